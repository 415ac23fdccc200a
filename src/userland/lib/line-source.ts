/**
 * Reads a descriptor in large chunks (64 KiB read(2) calls) and hands out whole
 * lines in batches, so a filter makes one system call per chunk instead of one per
 * line. Each line keeps its terminator; the last line of the input may lack it.
 */
import * as sys from './sys.js';
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { READ_CHUNK } from './io.js';

type Gen<T> = Generator<Op, T, unknown>;

export class LineSource {
  private carry = '';
  private eof = false;
  /** The read error that ended the input, if any. */
  error: SysError | null = null;
  /** Bytes read so far. */
  bytesRead = 0;

  constructor(
    readonly fd: number,
    /** The line terminator: '\n', or '\0' for -z style input. */
    readonly delim = '\n',
  ) {}

  /** The next batch of complete lines (at least one), or null at end of input. */
  *next(): Gen<string[] | null> {
    while (!this.eof) {
      const chunk = yield* sys.read(this.fd, READ_CHUNK);
      if (chunk instanceof SysError) {
        this.error = chunk;
        this.eof = true;
        break;
      }
      if (chunk === '') {
        this.eof = true;
        break;
      }
      this.bytesRead += chunk.length;
      const last = chunk.lastIndexOf(this.delim);
      if (last < 0) {
        this.carry += chunk;
        continue;
      }
      const text = this.carry + chunk.slice(0, last + 1);
      this.carry = chunk.slice(last + 1);
      return splitLines(text, this.delim);
    }
    if (this.carry !== '') {
      const rest = this.carry;
      this.carry = '';
      return [rest];
    }
    return null;
  }

  /** The raw next chunk (what is carried over first), or null at end of input. */
  *chunk(): Gen<string | null> {
    if (this.carry !== '') {
      const c = this.carry;
      this.carry = '';
      return c;
    }
    if (this.eof) return null;
    const chunk = yield* sys.read(this.fd, READ_CHUNK);
    if (chunk instanceof SysError) {
      this.error = chunk;
      this.eof = true;
      return null;
    }
    if (chunk === '') {
      this.eof = true;
      return null;
    }
    this.bytesRead += chunk.length;
    return chunk;
  }
}

/** Splits text that ends with `delim` into lines that keep it. */
export function splitLines(text: string, delim = '\n'): string[] {
  const parts = text.split(delim);
  parts.pop();
  for (let i = 0; i < parts.length; i++) parts[i] += delim;
  return parts;
}
