/**
 * Bringing files from this machine into a simulated host: a bundle's config.json and
 * root file system (a directory, or a tar archive, gzip'd or not) become tar archives
 * that the simulated `tar -x` unpacks. Real ELF executables are replaced by ctsim's
 * executable for the program of the same name (/bin/ls → ctsim's ls); one with no
 * such program still becomes an executable naming it, whose exec fails with ENOEXEC
 * ("names program X, which this ctsim does not have"), and the import warns.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync, existsSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, isAbsolute, basename } from 'node:path';
import { InputError } from '../sim/input-error.js';
import { binaryImage, parseBinaryImage, ELF_IDENT, type ProgramTable } from '../kernel/exec/program-table.js';
import { buildTar, parseTar, type TarEntry } from '../userland/programs/archive/tar-format.js';

export interface PackedUpload {
  /** Where the archive is unpacked in the simulated host. */
  dest: string;
  tar: Buffer;
}

/** Replaces a real ELF binary by ctsim's executable of that name; counts what it could not map. */
class ElfMapper {
  readonly unmapped: string[] = [];
  mapped = 0;
  /** @param programs command name (a program's name or the base name of a path it is installed at) → program */
  constructor(private readonly programs: ReadonlyMap<string, string>) {}

  /** Links to a multi-call binary that became ctsim programs of their own names. */
  linked = 0;

  map(path: string, content: string): string {
    if (!content.startsWith(ELF_IDENT.slice(0, 4)) || parseBinaryImage(content.slice(0, 200)) !== null) return content;
    const name = basename(path);
    const program = this.programs.get(name);
    if (program) this.mapped++;
    else this.unmapped.push(path);
    return binaryImage(program ?? name);
  }

  /** The executable for another name of a real binary (a hard link): the program of that name, or one naming it. */
  mapName(path: string): string {
    const name = basename(path);
    const program = this.programs.get(name);
    if (program) this.linked++;
    else this.unmapped.push(path);
    return binaryImage(program ?? name);
  }

  /** The program a command name runs (sh → dash), if this ctsim has it. */
  program(name: string): string | undefined {
    return this.programs.get(name);
  }

  /** Whether `content` is the executable map() made for a real binary at `path` with no program of its name. */
  isUnmappedImage(path: string, content: string | undefined): boolean {
    const name = basename(path);
    return !this.programs.has(name) && content === binaryImage(name);
  }

  warnings(where: string): string[] {
    if (this.unmapped.length === 0) return [];
    const eg = this.unmapped.slice(0, 3).join(', ');
    const links = this.linked ? ` (${this.linked} link${this.linked === 1 ? '' : 's'} to ${this.unmapped.length === 1 ? 'it' : 'them'} became the ctsim programs they are named after)` : '';
    return [`${this.unmapped.length} real ELF binar${this.unmapped.length === 1 ? 'y' : 'ies'} in ${where} ha${this.unmapped.length === 1 ? 's' : 've'} no simulated program of the same name (${eg}${this.unmapped.length > 3 ? ', …' : ''}): exec fails with ENOEXEC ("Exec format error")${links}`];
  }
}

const major = (rdev: number): number => (rdev >> 8) & 0xfff;
const minor = (rdev: number): number => (rdev & 0xff) | ((rdev >> 12) & 0xfff00);

/** The entries of a real directory tree, with paths under `prefix` (no leading slash). */
function walkDir(dir: string, prefix: string, elf: ElfMapper, out: TarEntry[], links: Map<string, string>): void {
  const st = lstatSync(dir);
  if (prefix !== '') out.push({ path: prefix, type: 'dir', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeSec: Math.floor(st.mtimeMs / 1000) });
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const rel = prefix === '' ? name : `${prefix}/${name}`;
    const s = lstatSync(full);
    const base = { path: rel, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, mtimeSec: Math.floor(s.mtimeMs / 1000) };
    if (s.isDirectory()) walkDir(full, rel, elf, out, links);
    else if (s.isSymbolicLink()) out.push({ ...base, type: 'symlink', linkTarget: readlinkSync(full) });
    else if (s.isFile()) {
      const key = `${s.dev}:${s.ino}`;
      const first = s.nlink > 1 ? links.get(key) : undefined;
      if (first !== undefined) out.push({ ...base, type: 'hardlink', linkTarget: first });
      else {
        if (s.nlink > 1) links.set(key, rel);
        out.push({ ...base, type: 'file', content: elf.map('/' + rel, readFileSync(full).toString('latin1')) });
      }
    } else if (s.isFIFO()) out.push({ ...base, type: 'fifo' });
    else if (s.isCharacterDevice() || s.isBlockDevice()) {
      out.push({ ...base, type: s.isCharacterDevice() ? 'chardev' : 'blockdev', devMajor: major(s.rdev), devMinor: minor(s.rdev) });
    }
  }
}

/** A tar archive's entries with its real ELF binaries mapped (gzip'd archives are unpacked first). */
export function tarFileEntries(path: string, elf: ElfMapper, prefix: string): TarEntry[] {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const parsed = parseTar(bytes.toString('latin1'));
  if (!Array.isArray(parsed)) throw new InputError({ source: path, expected: 'a tar archive (optionally gzip-compressed)', found: parsed.error });
  const under = (p: string): string => (prefix === '' ? p : `${prefix}/${p.replace(/^\.?\/*/, '')}`);
  return parsed.map((e) => ({
    ...e,
    path: under(e.path),
    // A hard link names another member of the archive, which moves under the prefix too.
    linkTarget: e.type === 'hardlink' && e.linkTarget !== undefined ? under(e.linkTarget) : e.linkTarget,
    content: e.type === 'file' && e.content !== undefined ? elf.map('/' + e.path.replace(/^\.?\/*/, ''), e.content) : e.content,
  }));
}

/** Normalizes an archive path ("a/./b/../c" → "a/c"). */
function normalize(p: string): string {
  const out: string[] = [];
  for (const c of p.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') out.pop();
    else out.push(c);
  }
  return out.join('/');
}

/**
 * A multi-call binary (BusyBox) is one file under many names — hard links (docker
 * export's busybox: /bin/[, /bin/ls, … one inode) or symbolic links (Alpine: /bin/ls →
 * /bin/busybox) — and runs the applet its name says. So every name of a hard-linked
 * executable becomes ctsim's program of that name (or, with none, an executable naming
 * it), and a symbolic link to an executable ctsim could not map becomes the program
 * it is named after, when ctsim has it.
 */
function mapMultiCallLinks(entries: TarEntry[], elf: ElfMapper, prefix: string): TarEntry[] {
  const executables = new Map(entries.filter((e) => e.type === 'file' && e.content?.startsWith(ELF_IDENT)).map((e) => [normalize(e.path), e]));
  if (executables.size === 0) return entries;
  return entries.map((e) => {
    if ((e.type !== 'hardlink' && e.type !== 'symlink') || e.linkTarget === undefined) return e;
    if (e.type === 'hardlink') {
      if (!executables.has(normalize(e.linkTarget))) return e;
      const shown = '/' + normalize(e.path).slice(prefix === '' ? 0 : normalize(prefix).length + 1);
      return { ...e, type: 'file', mode: executables.get(normalize(e.linkTarget))!.mode, linkTarget: undefined, content: elf.mapName(shown) };
    }
    const target = normalize(e.linkTarget.startsWith('/') ? `${prefix}/${e.linkTarget}` : `${e.path.split('/').slice(0, -1).join('/')}/${e.linkTarget}`);
    const t = executables.get(target);
    const program = elf.program(basename(e.path));
    if (!t || !elf.isUnmappedImage(t.path, t.content) || !program) return e;
    elf.linked++;
    return { ...e, type: 'file', mode: 0o755, linkTarget: undefined, content: binaryImage(program) };
  });
}

/** A root file system on this machine (directory or tar archive) as entries under `prefix`. */
export function rootfsEntries(path: string, elf: ElfMapper, prefix: string): TarEntry[] {
  const out: TarEntry[] = [];
  if (statSync(path).isDirectory()) walkDir(path, prefix, elf, out, new Map());
  else out.push(...tarFileEntries(path, elf, prefix));
  return mapMultiCallLinks(out, elf, prefix);
}

/**
 * The archives that bring a bundle in: config.json and the root file system named by
 * root.path (in the bundle, or elsewhere when absolute), to be unpacked at the same
 * absolute paths in the simulated host.
 */
export function packBundle(bundle: string, programs: ReadonlyMap<string, string>): { uploads: PackedUpload[]; warnings: string[] } {
  if (!existsSync(bundle) || !statSync(bundle).isDirectory()) {
    throw new InputError({ source: bundle, expected: 'a bundle directory (config.json and a root file system)', found: 'no such directory', fix: 'give -b BUNDLE, or run from the bundle directory' });
  }
  const elf = new ElfMapper(programs);
  const entries: TarEntry[] = [];
  const uploads: PackedUpload[] = [];
  const cfgPath = join(bundle, 'config.json');
  let rootPath = 'rootfs';
  if (existsSync(cfgPath)) {
    const text = readFileSync(cfgPath);
    const st = statSync(cfgPath);
    entries.push({ path: 'config.json', type: 'file', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtimeSec: Math.floor(st.mtimeMs / 1000), content: text.toString('latin1') });
    try {
      const doc = JSON.parse(text.toString('utf8')) as { root?: { path?: unknown } };
      if (typeof doc.root?.path === 'string') rootPath = doc.root.path;
    } catch {
      /* the simulated runc reports a bad config.json */
    }
  }
  if (isAbsolute(rootPath)) {
    if (existsSync(rootPath)) uploads.push({ dest: rootPath, tar: Buffer.from(buildTar(rootfsEntries(rootPath, elf, '')), 'latin1') });
  } else {
    const full = join(bundle, rootPath);
    if (existsSync(full)) entries.push(...rootfsEntries(full, elf, rootPath.replace(/^\.\/+/, '').replace(/\/+$/, '')));
  }
  uploads.unshift({ dest: bundle, tar: Buffer.from(buildTar(entries), 'latin1') });
  return { uploads, warnings: elf.warnings(join(bundle, rootPath)) };
}

/** Entries as an archive's bytes. */
export function packTree(entries: TarEntry[]): Buffer {
  return Buffer.from(buildTar(entries), 'latin1');
}

/** Every command name of a program table → its program: the programs' names and the base names of their install paths. */
export function commandNames(table: ProgramTable): Map<string, string> {
  const m = new Map<string, string>();
  for (const spec of table.all()) {
    m.set(spec.name, spec.name);
    for (const p of spec.paths) if (!m.has(basename(p))) m.set(basename(p), spec.name);
  }
  // /bin/sh is a link to dash on Debian (fixtures/rootfs.json); BusyBox's sh and ash are its ash.
  for (const alias of ['sh', 'ash']) if (!m.has(alias) && m.has('dash')) m.set(alias, 'dash');
  return m;
}

/** One file as an archive (e.g. exec's process.json). */
export function packFile(name: string, bytes: Buffer): Buffer {
  return Buffer.from(buildTar([{ path: name, type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeSec: 0, content: bytes.toString('latin1') }]), 'latin1');
}

export { ElfMapper };
