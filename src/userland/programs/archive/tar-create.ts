/**
 * `tar -c` as GNU tar 1.34's create.c does it, in GNU format (Debian's default
 * `--format=gnu`): each name on the command line, directories recursively in the
 * order getdents(2) gives (`--sort=none`), -C DIR applying to the names after it.
 * A file met again through another hard link is stored as a link to the first name;
 * names lose a leading "/" (and anything up to a ".." component) unless -P; the
 * archive itself is never stored; sockets are skipped with a warning.
 */
import { readDirNames } from '../sysutils/gnu-style.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, isLnk, isReg, major, minor, O_RDONLY, S_IFBLK, S_IFCHR, S_IFIFO, S_IFMT, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { READ_CHUNK } from '../../lib/io.js';
import type { UserDb } from '../../lib/passwd.js';
import { TYPE, blockPadding, encodeMemberHeader, type LongLinkOwner, type Member, type TarEntry } from './tar-format.js';
import type { ArchiveWriter, Diag, Gen } from './tar-io.js';
import { Listing } from './tar-list.js';
import { quoteEscape, saferName } from './tar-names.js';
import type { TarOptions } from './tar-options.js';

/** User CPU per file visited — a design choice. */
const CREATE_PER_FILE_NS = 3_000;

export interface CreateSettings {
  o: TarOptions;
  d: Diag;
  w: ArchiveWriter;
  listing: Listing;
  /** The archive file's identity, when it is a regular file ("file is the archive; not dumped"). */
  archive: { dev: number; ino: number } | null;
  users: () => Gen<UserDb>;
  /** Owner names of the "././@LongLink" headers. */
  longLinkOwner: LongLinkOwner;
}

/** Writes every named file (and -C switch) in order, then the end of the archive. */
export function* createArchive(c: CreateSettings): Gen<void> {
  const links = new Map<string, string>();
  for (const a of c.o.args) {
    if ('dir' in a) {
      const r = yield* sys.chdir(a.dir);
      if (r instanceof SysError) yield* c.d.fatal(`${quoteEscape(a.dir, true)}: Cannot open: ${r.message}`);
      continue;
    }
    const name = a.name.length > 1 ? a.name.replace(/\/+$/, '') || '/' : a.name;
    yield* dumpFile(c, name, links);
  }
  yield* c.w.finish();
}

/** The names in a directory, in getdents(2) order, without "." and "..". */
function* readDir(path: string): Gen<string[] | SysError> {
  const names = yield* readDirNames(path);
  return names instanceof SysError ? names : names.filter((n) => n !== '.' && n !== '..');
}

/** The TarEntry type of a file, or null for a socket. */
function typeOf(st: Stat): TarEntry['type'] | null {
  switch (st.mode & S_IFMT) {
    case S_IFCHR: return 'chardev';
    case S_IFBLK: return 'blockdev';
    case S_IFIFO: return 'fifo';
    default:
      if (isDir(st.mode)) return 'dir';
      if (isLnk(st.mode)) return 'symlink';
      return isReg(st.mode) ? 'file' : null;
  }
}

const TYPEFLAG: Record<TarEntry['type'], string> = { file: TYPE.REG, dir: TYPE.DIR, symlink: TYPE.SYM, hardlink: TYPE.LNK, fifo: TYPE.FIFO, chardev: TYPE.CHR, blockdev: TYPE.BLK };

/** dump_file(): one file, and what is under it. */
function* dumpFile(c: CreateSettings, p: string, links: Map<string, string>): Gen<void> {
  const { d, o } = c;
  yield CREATE_PER_FILE_NS;
  const safe = saferName(p, o.absoluteNames);
  yield* d.removedPrefix(safe.removed, 'member names');
  if (safe.substituted) yield* d.warn("Substituting `.' for empty member name");
  const st = o.dereference ? yield* sys.stat(p) : yield* sys.lstat(p);
  if (st instanceof SysError) return yield* d.fileError(p, 'Cannot stat', st);
  if (c.archive && isReg(st.mode) && st.dev === c.archive.dev && st.ino === c.archive.ino) {
    return yield* d.warn(`${quoteEscape(p, true)}: file is the archive; not dumped`);
  }
  let type = typeOf(st);
  if (type === null) return yield* d.warn(`${quoteEscape(p, true)}: socket ignored`);
  const db = o.numericOwner ? null : yield* c.users();
  const e: TarEntry = {
    path: safe.name,
    type,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    uname: db?.userName(st.uid) ?? '',
    gname: db?.groupName(st.gid) ?? '',
    mtimeSec: Math.floor(st.mtimeNs / 1e9),
  };
  const key = `${st.dev}:${st.ino}`;
  const first = type !== 'dir' ? links.get(key) : undefined;
  if (first !== undefined) {
    type = e.type = 'hardlink';
    e.linkTarget = first;
  } else if (type !== 'dir') links.set(key, safe.name);
  if (type === 'dir') return yield* dumpDir(c, p, e, links);
  if (type === 'symlink') {
    const target = yield* sys.readlink(p);
    if (target instanceof SysError) return yield* d.fileError(p, 'Cannot readlink', target);
    e.linkTarget = target;
  }
  if (type === 'chardev' || type === 'blockdev') {
    e.devMajor = major(st.rdev);
    e.devMinor = minor(st.rdev);
  }
  if (type !== 'file') return yield* writeMember(c, p, e, 0);
  const fd = yield* sys.open(p, O_RDONLY);
  if (fd instanceof SysError) return yield* d.fileError(p, 'Cannot open', fd);
  yield* writeMember(c, p, e, st.size);
  let left = st.size;
  while (left > 0) {
    const chunk = yield* sys.read(fd, Math.min(READ_CHUNK, left));
    if (chunk instanceof SysError) {
      yield* d.fileError(p, 'Read error', chunk);
      break;
    }
    if (chunk === '') break;
    yield* c.w.write(chunk);
    left -= chunk.length;
  }
  yield* sys.close(fd);
  if (left > 0) {
    yield* d.error(`${quoteEscape(p, true)}: File shrank by ${left} bytes; padding with zeros`);
    yield* c.w.write('\0'.repeat(left));
  }
  yield* c.w.write(blockPadding(st.size));
}

/** A directory: its header (only once its names could be read), then its contents. */
function* dumpDir(c: CreateSettings, p: string, e: TarEntry, links: Map<string, string>): Gen<void> {
  const names = yield* readDir(p);
  if (names instanceof SysError) return yield* c.d.fileError(p, 'Cannot open', names);
  yield* writeMember(c, p.endsWith('/') ? p : p + '/', e, 0);
  for (const n of names) yield* dumpFile(c, p.endsWith('/') ? p + n : `${p}/${n}`, links);
}

/** The member's header blocks, and its verbose line (`shown` is the name as given). */
function* writeMember(c: CreateSettings, shown: string, e: TarEntry, size: number): Gen<void> {
  // The header announces `size` bytes of data, which the caller writes next.
  yield* c.w.write(encodeMemberHeader(e, c.longLinkOwner, size));
  if (c.o.verbose > 1) {
    const m: Member = {
      name: e.type === 'dir' && !e.path.endsWith('/') ? e.path + '/' : e.path,
      typeflag: TYPEFLAG[e.type],
      mode: e.mode,
      uid: e.uid,
      gid: e.gid,
      uname: e.uname ?? '',
      gname: e.gname ?? '',
      mtimeSec: e.mtimeSec,
      mtimeNsec: 0,
      size,
      linkname: e.linkTarget ?? '',
      devmajor: e.devMajor ?? 0,
      devminor: e.devMinor ?? 0,
      format: 'gnu',
    };
    yield* c.d.say(c.listing.long(m, shown, m.linkname));
  } else if (c.o.verbose === 1) yield* c.d.say(Listing.short(shown));
}
