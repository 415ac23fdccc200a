/**
 * `tar -x` as GNU tar 1.34's extract.c does it. Each member is created with O_EXCL
 * (or mkdir, symlink, link, mknod); when that fails maybe_recoverable() decides:
 * an existing file is removed (an empty directory too) and the call retried, missing
 * parent directories are made (mode 0777 less the umask), -k keeps what exists and
 * reports it, --skip-old-files keeps it silently. Then set_stat(): the mtime (atime
 * "now"), the owner (root, or --same-owner: by user/group name through /etc/passwd
 * and /etc/group, by number with --numeric-owner or when the name is unknown), then
 * the mode (all of 07777 with -p, the default for root; else less the umask).
 *
 * Directories get their metadata only once extraction has left them (the next member
 * is not inside), so that extracting into them is not hampered by their final mode
 * and does not change their final mtime; symlinks to absolute or ".." targets are
 * made at the end, a placeholder file standing in meanwhile, so that no later member
 * is written through them (GNU's delayed links).
 */
import { SysError } from '../../../kernel/errno.js';
import { AT_SYMLINK_NOFOLLOW, O_CREAT, O_EXCL, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_TRUNC, O_WRONLY, S_IFBLK, S_IFCHR, S_IFIFO, isDir, makedev } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { writeAll } from '../../lib/io.js';
import { quote } from '../../lib/gnu-quote.js';
import type { UserDb } from '../../lib/passwd.js';
import { TYPE, dataChunk, isDirMember, type Member } from './tar-format.js';
import type { Diag, FdBlockSource, Gen } from './tar-io.js';
import { Listing } from './tar-list.js';
import { permString, quoteEscape } from './tar-names.js';
import type { TarOptions } from './tar-options.js';
import { forEachMember, refusesDotDot, skipMember, type MemberNames } from './tar-read.js';

/** How this run extracts: the options with root's defaults filled in. */
export interface ExtractSettings {
  o: TarOptions;
  d: Diag;
  src: FdBlockSource;
  listing: Listing;
  /** geteuid() == 0 (in the caller's user namespace). */
  root: boolean;
  samePermissions: boolean;
  sameOwner: boolean;
  /** The process umask; final modes lose it unless -p. */
  umask: number;
  /** Loaded on first use (only --same-owner without --numeric-owner needs it). */
  users: () => Gen<UserDb>;
}

/**
 * A directory whose metadata waits until extraction has left it (delay_set_stat);
 * `existingMode` when it was there before. Invariant: the list is a stack, the
 * latest directory last. `afterLinks` holds a directory that contains a delayed
 * symlink until the links are made.
 */
interface DelayedDir {
  name: string;
  m: Member;
  existingMode: number | null;
  afterLinks: boolean;
}

/** A symlink made at the end in place of its placeholder (dev, ino). */
interface DelayedLink {
  name: string;
  m: Member;
  dev: number;
  ino: number;
}

type Recover = 'ok' | 'skip' | 'no';

/** Extracts the whole archive; the exit status is the Diag's. */
export function* extractArchive(x: ExtractSettings): Gen<void> {
  const dirs: DelayedDir[] = [];
  const links: DelayedLink[] = [];
  // A fatal error still fixes up what was extracted.
  x.d.fatalHook = () => finish(x, dirs, links);
  yield* forEachMember(x.d, x.src, x.o, (m, n) => extractMember(x, m, n, dirs, links));
  x.d.fatalHook = null;
  yield* finish(x, dirs, links);
}

/** Whether directory `dir` is above `name` (so that `name` is still being extracted into it). */
function isAncestor(dir: string, name: string): boolean {
  return dir.length < name.length && name.startsWith(dir) && (name[dir.length] === '/' || dir.endsWith('/'));
}

/**
 * apply_nonancestor_delayed_set_stat(): sets the metadata of the delayed directories,
 * latest first, until one is an ancestor of `name` (or, before the links are made,
 * waits for them).
 */
function* applyNonAncestors(x: ExtractSettings, dirs: DelayedDir[], name: string, afterLinks: boolean): Gen<void> {
  while (dirs.length > 0) {
    const top = dirs[dirs.length - 1];
    if ((top.afterLinks && !afterLinks) || isAncestor(top.name, name)) break;
    dirs.pop();
    yield* setStat(x, top.name, top.m, 'dir', top.existingMode);
  }
}

/** extract_finish(): the directories done with, the delayed symlinks, then the directories that held them. */
function* finish(x: ExtractSettings, dirs: DelayedDir[], links: DelayedLink[]): Gen<void> {
  yield* applyNonAncestors(x, dirs, '', false);
  // GNU keeps its delayed links as a stack: the latest is made first.
  for (const l of [...links].reverse()) {
    const st = yield* sys.lstat(l.name);
    if (st instanceof SysError || st.dev !== l.dev || st.ino !== l.ino) continue;
    const u = yield* sys.unlink(l.name);
    if (u instanceof SysError) {
      yield* x.d.fileError(l.name, 'Cannot unlink', u);
      continue;
    }
    const r = yield* sys.symlink(l.m.linkname, l.name);
    if (r instanceof SysError) yield* x.d.fileError(l.name, `Cannot create symlink to ${quote(l.m.linkname)}`, r);
    else yield* setStat(x, l.name, l.m, 'symlink', null);
  }
  yield* applyNonAncestors(x, dirs, '', true);
}

function* extractMember(x: ExtractSettings, m: Member, n: MemberNames, dirs: DelayedDir[], links: DelayedLink[]): Gen<void> {
  const { d, o } = x;
  if (refusesDotDot(m, o)) {
    yield* d.error(`${quoteEscape(m.name, true)}: Member name contains '..'`);
    return yield* skipMember(d, x.src, m.size);
  }
  if (n.file === '') return yield* skipMember(d, x.src, m.size);
  if (o.verbose > 1) yield* d.say(x.listing.long(m, n.shown, n.link));
  else if (o.verbose === 1) yield* d.say(Listing.short(n.shown));
  yield* applyNonAncestors(x, dirs, n.file, false);
  const t = m.typeflag;
  if (isDirMember(m)) {
    yield* skipMember(d, x.src, m.size);
    if (!o.toStdout) yield* extractDir(x, n.file, m, dirs);
    return;
  }
  const known = t === TYPE.REG || t === TYPE.AREG || t === TYPE.CONT || t === 'S';
  const special = t === TYPE.SYM || t === TYPE.LNK || t === TYPE.CHR || t === TYPE.BLK || t === TYPE.FIFO || t === TYPE.GNU_VOLHDR || t === 'M';
  if (!known && !special) yield* d.warn(`${quoteEscape(n.file, true)}: Unknown file type ${quote(t)}, extracted as normal file`);
  if (!special) return yield* extractFile(x, n.file, m);
  yield* skipMember(d, x.src, m.size);
  if (o.toStdout || t === TYPE.GNU_VOLHDR) return;
  if (t === 'M') return yield* d.error(`${quoteEscape(n.file, true)}: Cannot extract -- file is continued from another volume`);
  if (t === TYPE.SYM) return yield* extractSymlink(x, n.file, m, links, dirs);
  if (t === TYPE.LNK) return yield* extractLink(x, n.file, n.link);
  return yield* extractNode(x, n.file, m);
}

/** remove_any_file(): unlink, or rmdir for an (empty) directory. */
function* removeAnyFile(name: string): Gen<boolean> {
  const u = yield* sys.unlink(name);
  if (!(u instanceof SysError)) return true;
  if (u.errno !== 'EISDIR' && u.errno !== 'EPERM') return false;
  return !((yield* sys.rmdir(name)) instanceof SysError);
}

/** make_directories(): the missing parents of `name`; true if one was made. */
function* makeDirectories(x: ExtractSettings, name: string): Gen<boolean> {
  let made = false;
  for (let i = 1; i < name.length; i++) {
    if (name[i] !== '/' || name[i - 1] === '/') continue;
    const part = name.slice(0, i);
    const last = part.slice(part.lastIndexOf('/') + 1);
    if (last === '.' || last === '..') continue;
    const r = yield* sys.mkdir(part, 0o777 | (x.root ? 0 : 0o300));
    if (!(r instanceof SysError)) {
      made = true;
      if (x.o.verbose > 1) yield* x.d.say(`d${permString(0o777 & ~x.umask)} ${'Creating directory:'.padStart(x.listing.columnsWidth())} ${quoteEscape(part)}\n`);
    } else if (r.errno === 'ENOENT' || r.errno === 'ENOTDIR' || r.errno === 'ELOOP' || r.errno === 'ENAMETOOLONG') {
      yield* x.d.fileError(part, 'Cannot mkdir', r);
      return false;
    }
  }
  return made;
}

/** maybe_recoverable(): after a failed create, whether to retry, skip, or give up. */
function* maybeRecoverable(x: ExtractSettings, name: string, e: SysError, state: { interdir: boolean }): Gen<Recover> {
  if (state.interdir) return 'no';
  if (e.errno === 'EEXIST' || e.errno === 'ELOOP') {
    if (x.o.oldFiles === 'skip') return 'skip';
    if (x.o.oldFiles === 'keep') return 'no';
    if (yield* removeAnyFile(name)) return 'ok';
  } else if (e.errno !== 'ENOENT') return 'no';
  if (yield* makeDirectories(x, name)) {
    state.interdir = true;
    return 'ok';
  }
  return 'no';
}

/** Runs `make` until it succeeds or maybe_recoverable gives up; the last error, 'skip', or null. */
function* withRecovery(x: ExtractSettings, name: string, make: () => Gen<SysError | null>): Gen<SysError | 'skip' | null> {
  const state = { interdir: false };
  for (;;) {
    const e = yield* make();
    if (e === null) return null;
    const r = yield* maybeRecoverable(x, name, e, state);
    if (r === 'skip') return 'skip';
    if (r === 'no') return e;
  }
}

const errOf = (r: number | SysError): SysError | null => (r instanceof SysError ? r : null);

function* extractFile(x: ExtractSettings, name: string, m: Member): Gen<void> {
  const { d, o, src } = x;
  let fd = 1;
  if (!o.toStdout) {
    const mode = m.mode & 0o777 & ~(x.sameOwner ? 0o77 : 0);
    // open_output_file(): O_EXCL, so that an existing file is removed first; with
    // --overwrite, truncated in place — but never through a symlink.
    const flags = O_WRONLY | O_CREAT | O_NOCTTY | O_NONBLOCK | (o.oldFiles === 'overwrite' ? O_TRUNC | O_NOFOLLOW : O_EXCL);
    const r = yield* withRecovery(x, name, function* () {
      const f = yield* sys.open(name, flags, mode);
      if (f instanceof SysError) return f;
      fd = f;
      return null;
    });
    if (r !== null) {
      yield* skipMember(d, src, m.size);
      if (r !== 'skip') yield* d.fileError(name, 'Cannot open', r);
      return;
    }
  }
  let left = m.size;
  while (left > 0) {
    const chunk = yield* dataChunk(src, left);
    if (chunk === '') {
      yield* d.error('Unexpected EOF in archive');
      yield* d.fatal('Unexpected EOF in archive');
    }
    left -= chunk.length;
    const w = yield* writeAll(fd, chunk);
    if (w instanceof SysError) {
      yield* d.fileError(o.toStdout ? '-' : name, 'Cannot write', w);
      yield* skipMember(d, src, left);
      break;
    }
  }
  if (o.toStdout) return;
  yield* sys.close(fd);
  yield* setStat(x, name, m, 'file', null);
}

function* extractDir(x: ExtractSettings, name: string, m: Member, dirs: DelayedDir[]): Gen<void> {
  const mode = (m.mode | (x.root ? 0 : 0o300)) & 0o777;
  let existingMode: number | null = null;
  const r = yield* withRecovery(x, name, function* () {
    const e = errOf(yield* sys.mkdir(name, mode));
    if (e === null || e.errno !== 'EEXIST' || x.o.oldFiles === 'keep' || x.o.oldFiles === 'skip') return e;
    // An existing directory is kept, and its metadata updated at the end.
    const st = yield* sys.lstat(name);
    if (!(st instanceof SysError) && isDir(st.mode)) {
      existingMode = st.mode;
      return null;
    }
    return e;
  });
  if (r === 'skip' || (r !== null && r.errno === 'EEXIST')) return;
  if (r !== null) return yield* x.d.fileError(name, 'Cannot mkdir', r);
  dirs.push({ name, m, existingMode, afterLinks: false });
}

function* extractSymlink(x: ExtractSettings, name: string, m: Member, links: DelayedLink[], dirs: DelayedDir[]): Gen<void> {
  const target = m.linkname;
  if (!x.o.absoluteNames && (target.startsWith('/') || target.split('/').includes('..'))) {
    // create_placeholder_file(): an empty file, mode 0, replaced by the link at the end.
    let fd = -1;
    const r = yield* withRecovery(x, name, function* () {
      const f = yield* sys.open(name, O_WRONLY | O_CREAT | O_EXCL, 0);
      if (f instanceof SysError) return f;
      fd = f;
      return null;
    });
    if (r === 'skip') return;
    if (r !== null) return yield* x.d.fileError(name, 'Cannot open', r);
    const st = yield* sys.fstat(fd);
    yield* sys.close(fd);
    if (!(st instanceof SysError)) links.push({ name, m, dev: st.dev, ino: st.ino });
    // Its directory's mtime is set once the link is made.
    const parent = [...dirs].reverse().find((dd) => !dd.afterLinks && isAncestor(dd.name, name) && !name.slice(dd.name.length + 1).includes('/'));
    if (parent) parent.afterLinks = true;
    return;
  }
  const r = yield* withRecovery(x, name, function* () {
    return errOf(yield* sys.symlink(target, name));
  });
  if (r === 'skip') return;
  if (r !== null) return yield* x.d.fileError(name, `Cannot create symlink to ${quote(target)}`, r);
  yield* setStat(x, name, m, 'symlink', null);
}

function* extractLink(x: ExtractSettings, name: string, target: string): Gen<void> {
  const r = yield* withRecovery(x, name, function* () {
    const e = errOf(yield* sys.link(target, name));
    if (e === null) return null;
    // Already the same file (as after an earlier run): nothing to do.
    const a = yield* sys.lstat(target);
    const b = yield* sys.lstat(name);
    if ((e.errno === 'EEXIST' && target === name) || (!(a instanceof SysError) && !(b instanceof SysError) && a.dev === b.dev && a.ino === b.ino)) return null;
    return e;
  });
  if (r !== null && r !== 'skip') yield* x.d.fileError(name, `Cannot hard link to ${quote(target)}`, r);
}

function* extractNode(x: ExtractSettings, name: string, m: Member): Gen<void> {
  const fifo = m.typeflag === TYPE.FIFO;
  const type = fifo ? S_IFIFO : m.typeflag === TYPE.CHR ? S_IFCHR : S_IFBLK;
  const mode = type | (m.mode & 0o777 & ~(x.sameOwner ? 0o77 : 0));
  const dev = fifo ? 0 : makedev(m.devmajor, m.devminor);
  const r = yield* withRecovery(x, name, function* () {
    return errOf(yield* sys.mknod(name, mode, dev));
  });
  if (r === 'skip') return;
  if (r !== null) return yield* x.d.fileError(name, fifo ? 'Cannot mkfifo' : 'Cannot mknod', r);
  yield* setStat(x, name, m, 'node', null);
}

/** The owner set_stat gives: the archived names mapped through the local databases, else the numbers. */
function* ownerOf(x: ExtractSettings, m: Member): Gen<{ uid: number; gid: number }> {
  if (x.o.numericOwner || (m.uname === '' && m.gname === '')) return { uid: m.uid, gid: m.gid };
  const db = yield* x.users();
  return {
    uid: (m.uname !== '' ? db.getpwnam(m.uname)?.uid : undefined) ?? m.uid,
    gid: (m.gname !== '' ? db.getgrnam(m.gname)?.gid : undefined) ?? m.gid,
  };
}

/**
 * set_stat(): times, then owner, then mode. `existingMode` is the mode of a directory
 * that was there before (its set-id bits survive without -p).
 */
function* setStat(x: ExtractSettings, name: string, m: Member, kind: 'file' | 'dir' | 'symlink' | 'node', existingMode: number | null): Gen<void> {
  const { d } = x;
  if (!x.o.touch) {
    const r = yield* sys.utimensat(name, undefined, m.mtimeSec * 1e9 + m.mtimeNsec, AT_SYMLINK_NOFOLLOW);
    if (r instanceof SysError) yield* d.fileError(name, 'Cannot utime', r);
  }
  if (x.sameOwner) {
    const { uid, gid } = yield* ownerOf(x, m);
    const r = kind === 'symlink' ? yield* sys.lchown(name, uid, gid) : yield* sys.chown(name, uid, gid);
    if (r instanceof SysError) yield* d.fileError(name, `Cannot change ownership to uid ${uid}, gid ${gid}`, r);
  }
  if (kind === 'symlink') return;
  const mode = x.samePermissions ? m.mode & 0o7777 : ((existingMode ?? 0) & 0o7000) | (m.mode & 0o777 & ~x.umask);
  const r = yield* sys.chmod(name, mode);
  if (r instanceof SysError) yield* d.fileError(name, `Cannot change mode to ${permString(mode)}`, r);
}
