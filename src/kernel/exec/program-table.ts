/**
 * The programs exec(2) can run. A simulated executable is a file in the simulated
 * file system whose bytes start like an ELF image and name a program of this table
 * (see `binaryImage`); the kernel's ELF loader, in ctsim, is a table lookup.
 *
 * Simplification: executables carry no machine code; their size on disk is the size
 * of this small image, not of the real binary.
 */
import type { ProgramMain } from '../proc/program.js';

/** A program and where the root file system installs it. */
export interface ProgramSpec {
  /** The name in the binary image (usually the basename). */
  name: string;
  main: ProgramMain;
  /** Absolute install paths (the first is the file; the others are hard links). */
  paths: string[];
  /** Mode of the installed file (0755 unless it is, e.g., set-user-ID). */
  mode?: number;
  /** One line for `ctsim features`: what the program supports. */
  summary?: string;
}

export class ProgramTable {
  private readonly byName = new Map<string, ProgramSpec>();

  add(spec: ProgramSpec): this {
    this.byName.set(spec.name, spec);
    return this;
  }

  get(name: string): ProgramSpec | undefined {
    return this.byName.get(name);
  }

  /** Every program, by name. */
  all(): ProgramSpec[] {
    return [...this.byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The first bytes of every ctsim executable: an ELF64 little-endian identification. */
export const ELF_IDENT = '\x7fELF\x02\x01\x01\x00';
const MARK = 'ctsim-program:';

/** The bytes of the executable file for program `name`. */
export function binaryImage(name: string): string {
  return `${ELF_IDENT}\0\0\0\0\0\0\0\0\n${MARK}${name}\n`;
}

/** The program named by an executable's first bytes, or null if they are not a ctsim binary. */
export function parseBinaryImage(head: string): string | null {
  if (!head.startsWith(ELF_IDENT)) return null;
  const i = head.indexOf(MARK);
  if (i < 0) return null;
  const end = head.indexOf('\n', i);
  return head.slice(i + MARK.length, end < 0 ? undefined : end);
}
