/**
 * Path system calls: stat/lstat/newfstatat, access/faccessat, mkdir, mknod/mknodat, rmdir,
 * unlink/unlinkat, rename, link, symlink, readlink, chdir/fchdir, getcwd, chmod,
 * chown, truncate/ftruncate, utimensat, umask, chroot — each with the errno its
 * man page gives for the same failure.
 */
import { traceVfs } from '../vfs/vfs-trace.js';
import { octal } from '../trace/strace-xlat.js';
import type { Kernel } from '../kernel.js';
import { err, SysError } from '../errno.js';
import type { Task } from '../proc/task.js';
import { resolve, resolveParent, pathOf, type ParentLookup } from '../vfs/namei.js';
import { MAY_EXEC, MAY_READ, MAY_WRITE, mayAccess } from '../vfs/permission.js';
import {
  AT_EACCESS,
  AT_EMPTY_PATH,
  AT_FDCWD,
  AT_REMOVEDIR,
  AT_SYMLINK_FOLLOW,
  AT_SYMLINK_NOFOLLOW,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  S_ISVTX,
  isDir,
  isLnk,
  type Stat,
} from '../vfs/types.js';
import type { Path } from '../vfs/mount.js';
import { sameVnode, type Vnode } from '../vfs/vnode.js';
import type { HandlerTable } from './handler.js';
import type { Creds } from '../proc/creds.js';
import { CAP, capable, capableWrtInode, nsCapable, capMissing, capMissingInit } from '../ns/capabilities.js';

function lookupPath(k: Kernel, t: Task, dirfd: number, path: string, follow: boolean, flags = 0): Path | SysError {
  if (path === '' && flags & AT_EMPTY_PATH) {
    if (dirfd === AT_FDCWD) return t.fs.cwd;
    const f = t.files.get(dirfd);
    if (!f) return err('EBADF', `dirfd ${dirfd} is not open in process ${t.tid}`);
    if (!f.vnode || !f.mnt) return err('EBADF', `fd ${dirfd} does not refer to a file in the file tree (AT_EMPTY_PATH)`);
    return { mnt: f.mnt, vn: f.vnode };
  }
  return resolve(k, t, path, { follow, dirfd });
}

/**
 * EROFS on a read-only mount, else write and search permission on the directory whose
 * entry is changing (EACCES). The mount comes first: Linux takes mnt_want_write before
 * may_create/may_delete (a denied user on a read-only bind mount sees EROFS).
 */
function mayModifyDir(t: Task, dir: Path, what: string): SysError | undefined {
  if (dir.mnt.flags.readonly) return err('EROFS', `the directory is on a read-only mount`);
  if (!mayAccess(t.creds, dir.vn.getattr(), MAY_WRITE | MAY_EXEC)) {
    return err('EACCES', `uid ${t.creds.fsuid} lacks write permission on the directory to ${what}`);
  }
  return undefined;
}

/** The sticky-bit rule: in a sticky directory only the owner of the entry or of the directory (or CAP_FOWNER) may remove it. */
function stickyDenies(t: Task, dir: Vnode, victim: Vnode): boolean {
  const d = dir.getattr();
  if (!(d.mode & S_ISVTX)) return false;
  const v = victim.getattr();
  return t.creds.fsuid !== v.uid && t.creds.fsuid !== d.uid && !ownerOrCapable(t.creds, v);
}

/**
 * inode_owner_or_capable(): the file's owner, or CAP_FOWNER in the caller's user
 * namespace when the owner is mapped there (USER-08).
 */
function ownerOrCapable(c: Creds, st: Stat): boolean {
  if (c.fsuid === st.uid) return true;
  return (c.userNs.uidMap?.up(st.uid) ?? -1) >= 0 && nsCapable(c, c.userNs, CAP.FOWNER);
}

/** struct stat as the caller sees it: owner and group through its user namespace (USER-08, USER-09). */
export function statFor(t: Task, st: Stat): Stat {
  const ns = t.creds.userNs;
  if (ns.parent === null) return st;
  return { ...st, uid: ns.uidOf(st.uid), gid: ns.gidOf(st.gid) };
}

function childOf(pl: ParentLookup): Vnode | SysError {
  return pl.parent.vn.lookup ? pl.parent.vn.lookup(pl.name) : err('ENOTDIR', `the parent of ${pl.name} is not a directory`);
}

function doUnlink(k: Kernel, t: Task, dirfd: number, path: string): number | SysError {
  const pl = resolveParent(k, t, path, dirfd);
  if (pl instanceof SysError) return pl;
  if (pl.name === '' || pl.name === '.' || pl.name === '..') return err('EISDIR', `${path} names a directory (it ends in "${pl.name || '/'}"); use rmdir`);
  const victim = childOf(pl);
  if (victim instanceof SysError) return victim;
  if (isDir(victim.mode())) return err('EISDIR', `${path} is a directory (use rmdir)`);
  if (pl.trailingSlash) return err('ENOTDIR', `${path} ends in a slash but ${pl.name} is not a directory`);
  const denied = mayModifyDir(t, pl.parent, `remove ${path}`);
  if (denied) return denied;
  if (stickyDenies(t, pl.parent.vn, victim)) return err('EPERM', `the directory is sticky and ${path} belongs to someone else`);
  if (isMountpoint(pl.parent, victim)) return err('EBUSY', `${path} is a mount point`);
  const r = pl.parent.vn.unlink ? pl.parent.vn.unlink(pl.name, k.realtimeNs) : err('EPERM', `the file system holding ${path} does not support unlink`);
  if (r) return r;
  traceVfs(k, 'unlink', t, () => ({ path, fs: pl.parent.mnt.fs.type }));
  return 0;
}

function isMountpoint(dir: Path, vn: Vnode): boolean {
  return dir.mnt.childAt(vn) !== undefined;
}

function doRmdir(k: Kernel, t: Task, dirfd: number, path: string): number | SysError {
  const pl = resolveParent(k, t, path, dirfd);
  if (pl instanceof SysError) return pl;
  if (pl.name === '.' ) return err('EINVAL', `${path} ends in "."; rmdir refuses to remove "." (rmdir(2))`);
  if (pl.name === '..') return err('ENOTEMPTY', `${path} ends in "..", which is never empty (rmdir(2))`);
  if (pl.name === '') return err('EBUSY', `${path} names the root directory, which is always in use`);
  const victim = childOf(pl);
  if (victim instanceof SysError) return victim;
  if (!isDir(victim.mode())) return err('ENOTDIR', `${path} is not a directory (use unlink)`);
  const denied = mayModifyDir(t, pl.parent, `remove ${path}`);
  if (denied) return denied;
  if (stickyDenies(t, pl.parent.vn, victim)) return err('EPERM', `the directory holding ${path} is sticky and ${pl.name} belongs to uid ${victim.getattr().uid}, not uid ${t.creds.fsuid}`);
  if (isMountpoint(pl.parent, victim)) return err('EBUSY', `${path} is a mount point`);
  if (sameVnode(victim, t.fs.root.vn) && pl.parent.mnt === t.fs.root.mnt) return err('EBUSY', `${path} is the root directory of process ${t.tid}`);
  const r = pl.parent.vn.rmdir ? pl.parent.vn.rmdir(pl.name, k.realtimeNs) : err('EPERM', `the file system holding ${path} does not support rmdir`);
  if (r) return r;
  detachForeignMounts(k, victim);
  traceVfs(k, 'rmdir', t, () => ({ path, fs: pl.parent.mnt.fs.type }));
  return 0;
}

/**
 * A directory removed while it is a mount point in other mount namespaces takes
 * those mounts with it (detach_mounts, since Linux 3.18, MNT-11).
 */
function detachForeignMounts(k: Kernel, victim: Vnode): void {
  k.mounts.materializeAll();
  for (const m of [...k.mounts.live]) if (m.mountpoint && sameVnode(m.mountpoint, victim) && m.parent) m.ns.dropTree(m);
}

function doMkdir(k: Kernel, t: Task, dirfd: number, path: string, mode: number): number | SysError {
  const pl = resolveParent(k, t, path, dirfd);
  if (pl instanceof SysError) return pl;
  if (pl.name === '' || pl.name === '.' || pl.name === '..') return err('EEXIST', `${path} names an existing directory (it ends in "${pl.name || '/'}")`);
  const existing = childOf(pl);
  if (!(existing instanceof SysError)) return err('EEXIST', `${path} already exists`);
  const denied = mayModifyDir(t, pl.parent, `create ${path}`);
  if (denied) return denied;
  if (!pl.parent.vn.mkdir) return err('EPERM', `the file system holding ${path} does not support mkdir`);
  // mkdir(2): the permission bits less the umask, and S_ISVTX; set-user-ID and
  // set-group-ID are not taken from `mode` (a set-group-ID parent passes its bit on).
  const r = pl.parent.vn.mkdir(pl.name, mode & ~t.fs.umask & 0o1777, t.creds, k.realtimeNs);
  if (r instanceof SysError) return r;
  traceVfs(k, 'mkdir', t, () => ({ path, mode: octal(mode & ~t.fs.umask & 0o1777), fs: pl.parent.mnt.fs.type }));
  return 0;
}

/**
 * mknod(2)/mknodat(2): a regular file, FIFO, socket or device node. The type is checked
 * first (a directory is EPERM, an unknown type EINVAL), then the name (EEXIST, ENOENT
 * for a trailing slash), the directory (EACCES, EROFS), and last the privilege: a
 * character or block device needs CAP_MKNOD in the initial user namespace — except a
 * 0/0 character device, the overlay whiteout anyone may make (Linux ≥ 5.8). The
 * permission bits lose the umask; `dev` matters for devices only.
 */
function doMknod(k: Kernel, t: Task, dirfd: number, path: string, mode: number, dev: number): number | SysError {
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return err('EPERM', 'mknod does not make directories (use mkdir)');
  if (type !== 0 && type !== S_IFREG && type !== S_IFCHR && type !== S_IFBLK && type !== S_IFIFO && type !== S_IFSOCK) {
    return err('EINVAL', `file type 0${type.toString(8)} is not one mknod makes`);
  }
  const pl = resolveParent(k, t, path, dirfd);
  if (pl instanceof SysError) return pl;
  if (pl.name === '' || pl.name === '.' || pl.name === '..') return err('EEXIST', `${path} names an existing directory (it ends in "${pl.name || '/'}")`);
  if (!(childOf(pl) instanceof SysError)) return err('EEXIST', `${path} already exists`);
  if (pl.trailingSlash) return err('ENOENT', `${path} ends in a slash but names no directory`);
  const denied = mayModifyDir(t, pl.parent, `create ${path}`);
  if (denied) return denied;
  const device = type === S_IFCHR || type === S_IFBLK;
  if (device && !(type === S_IFCHR && dev === 0) && !capable(t.creds, CAP.MKNOD)) {
    return err('EPERM', `making a device node needs CAP_MKNOD in the initial user namespace; ${capMissingInit(t.creds, CAP.MKNOD)}`);
  }
  const perm = mode & 0o7777 & ~t.fs.umask;
  const dir = pl.parent.vn;
  let r: Vnode | SysError;
  if (type === 0 || type === S_IFREG) r = dir.create ? dir.create(pl.name, perm, t.creds, k.realtimeNs) : err('EPERM', `the file system holding ${path} cannot create regular files`);
  else r = dir.mknod ? dir.mknod(pl.name, type | perm, device ? dev : 0, t.creds, k.realtimeNs) : err('EPERM', 'this file system cannot hold special files');
  return r instanceof SysError ? r : 0;
}

function doRename(k: Kernel, t: Task, olddirfd: number, oldpath: string, newdirfd: number, newpath: string): number | SysError {
  const from = resolveParent(k, t, oldpath, olddirfd);
  if (from instanceof SysError) return from;
  const to = resolveParent(k, t, newpath, newdirfd);
  if (to instanceof SysError) return to;
  if (from.name === '' || from.name === '.' || from.name === '..' || to.name === '' || to.name === '.' || to.name === '..') return err('EBUSY', `${from.name === '' || from.name === '.' || from.name === '..' ? oldpath : newpath} ends in "/", "." or ".."; rename needs a plain last component`);
  const src = childOf(from);
  if (src instanceof SysError) return src;
  if (from.parent.mnt !== to.parent.mnt) return err('EXDEV', 'rename across mounts is not possible (use cp and rm)');
  for (const side of [from, to]) {
    const denied = mayModifyDir(t, side.parent, 'rename');
    if (denied) return denied;
  }
  if (stickyDenies(t, from.parent.vn, src)) return err('EPERM', `the directory holding ${oldpath} is sticky and ${from.name} belongs to uid ${src.getattr().uid}, not uid ${t.creds.fsuid}`);
  if (isMountpoint(from.parent, src)) return err('EBUSY', `${oldpath} is a mount point`);
  const r = from.parent.vn.rename ? from.parent.vn.rename(from.name, to.parent.vn, to.name, k.realtimeNs) : err('EPERM', `the file system holding ${oldpath} does not support rename`);
  if (r) return r;
  traceVfs(k, 'rename', t, () => ({ from: oldpath, to: newpath, fs: from.parent.mnt.fs.type }));
  return 0;
}

function doLink(k: Kernel, t: Task, oldpath: string, newpath: string, follow: boolean): number | SysError {
  const src = resolve(k, t, oldpath, { follow });
  if (src instanceof SysError) return src;
  if (isDir(src.vn.mode())) return err('EPERM', 'hard links to directories are not allowed');
  const pl = resolveParent(k, t, newpath);
  if (pl instanceof SysError) return pl;
  if (pl.name === '') return err('EEXIST', `${newpath} names the root directory, which exists`);
  if (!(childOf(pl) instanceof SysError)) return err('EEXIST', `${newpath} already exists`);
  if (pl.parent.mnt !== src.mnt) return err('EXDEV', `${oldpath} and ${newpath} are on different mounts; a hard link cannot cross mounts`);
  const denied = mayModifyDir(t, pl.parent, `create ${newpath}`);
  if (denied) return denied;
  const r = pl.parent.vn.link ? pl.parent.vn.link(pl.name, src.vn, k.realtimeNs) : err('EPERM', `the file system holding ${newpath} does not support hard links`);
  return r ?? 0;
}

function doSymlink(k: Kernel, t: Task, target: string, path: string): number | SysError {
  if (target === '') return err('ENOENT', 'the symlink target is an empty string (symlink(2))');
  const pl = resolveParent(k, t, path);
  if (pl instanceof SysError) return pl;
  if (pl.name === '') return err('EEXIST', `${path} names the root directory, which exists`);
  if (!(childOf(pl) instanceof SysError)) return err('EEXIST', `${path} already exists`);
  const denied = mayModifyDir(t, pl.parent, `create ${path}`);
  if (denied) return denied;
  const r = pl.parent.vn.symlink ? pl.parent.vn.symlink(pl.name, target, t.creds, k.realtimeNs) : err('EPERM', `the file system holding ${path} does not support symbolic links`);
  return r instanceof SysError ? r : 0;
}

/** chmod: only the owner or CAP_FOWNER; a non-member of the group loses set-group-ID without CAP_FSETID (chmod(2)). */
function doChmod(k: Kernel, t: Task, p: Path, mode: number): number | SysError {
  const st = p.vn.getattr();
  if (!ownerOrCapable(t.creds, st)) return err('EPERM', `only the owner (uid ${t.creds.userNs.uidOf(st.uid)}) or CAP_FOWNER may change the mode`);
  if (p.mnt.flags.readonly) return err('EROFS', `${pathOf(t, p)} is on a read-only mount`);
  let m = mode & 0o7777;
  if (!t.creds.inGroup(st.gid) && !capableWrtInode(t.creds, st.uid, st.gid, CAP.FSETID)) m &= ~0o2000;
  const r = p.vn.setattr ? p.vn.setattr({ mode: m, nowNs: k.realtimeNs }) : err('EPERM', `the file system holding ${pathOf(t, p)} cannot change modes`);
  return r ?? 0;
}

/**
 * chown: only CAP_CHOWN (over the file: its owner and group mapped in the caller's
 * user namespace) changes the owner; the owner may change the group to one of its
 * groups (chown(2)). IDs are the caller's and must map to kernel IDs (EINVAL).
 */
function doChown(k: Kernel, t: Task, p: Path, nsUid: number, nsGid: number): number | SysError {
  const st = p.vn.getattr();
  const c = t.creds;
  const uid = nsUid === -1 ? -1 : c.userNs.kuid(nsUid);
  const gid = nsGid === -1 ? -1 : c.userNs.kgid(nsGid);
  if (uid === -1 && nsUid !== -1) return err('EINVAL', `uid ${nsUid} has no mapping in the caller's user namespace`);
  if (gid === -1 && nsGid !== -1) return err('EINVAL', `gid ${nsGid} has no mapping in the caller's user namespace`);
  if (!capableWrtInode(c, st.uid, st.gid, CAP.CHOWN)) {
    if (uid !== -1 && uid !== st.uid) return err('EPERM', 'giving a file away needs CAP_CHOWN over it');
    if (gid !== -1 && gid !== st.gid && (c.fsuid !== st.uid || !c.inGroup(gid))) return err('EPERM', `changing the group to gid ${nsGid} needs ownership of the file (uid ${c.userNs.uidOf(st.uid)}) and membership of that group, or CAP_CHOWN`);
    if (uid !== -1 && c.fsuid !== st.uid) return err('EPERM', `uid ${c.userNs.uidOf(c.fsuid)} does not own the file (owner uid ${c.userNs.uidOf(st.uid)}) and lacks CAP_CHOWN over it`);
  }
  if (p.mnt.flags.readonly) return err('EROFS', `${pathOf(t, p)} is on a read-only mount`);
  let mode: number | undefined;
  // Changing the owner clears set-user-ID and set-group-ID on executables.
  if ((uid !== -1 || gid !== -1) && !isDir(st.mode) && st.mode & 0o6000 && st.mode & 0o111) mode = st.mode & ~0o6000;
  const r = p.vn.setattr ? p.vn.setattr({ uid, gid, mode, nowNs: k.realtimeNs }) : err('EPERM', `the file system holding ${pathOf(t, p)} cannot change owners`);
  return r ?? 0;
}

function doTruncate(k: Kernel, t: Task, p: Path, length: number, checkPerm: boolean): number | SysError {
  if (length < 0) return err('EINVAL', `length ${length} is negative (truncate(2))`);
  if (isDir(p.vn.mode())) return err('EISDIR', `${pathOf(t, p)} is a directory and cannot be truncated`);
  if (checkPerm && !mayAccess(t.creds, p.vn.getattr(), MAY_WRITE)) return err('EACCES', `write permission denied on ${pathOf(t, p)} for uid ${t.creds.fsuid}: mode ${p.vn.getattr().mode.toString(8)}, owner ${p.vn.getattr().uid}`);
  if (p.mnt.flags.readonly) return err('EROFS', `${pathOf(t, p)} is on a read-only mount`);
  const r = p.vn.setattr ? p.vn.setattr({ size: length, nowNs: k.realtimeNs }) : err('EINVAL', `${pathOf(t, p)} is not a file whose size can be set`);
  return r ?? 0;
}

export const pathSyscalls: HandlerTable = {
  stat(k, t, r: { path: string }): Stat | SysError {
    const p = resolve(k, t, r.path, { follow: true });
    return p instanceof SysError ? p : statFor(t, p.vn.getattr());
  },
  lstat(k, t, r: { path: string }): Stat | SysError {
    const p = resolve(k, t, r.path, { follow: false });
    return p instanceof SysError ? p : statFor(t, p.vn.getattr());
  },
  newfstatat(k, t, r: { dirfd: number; path: string; flags: number }): Stat | SysError {
    const p = lookupPath(k, t, r.dirfd, r.path, !(r.flags & AT_SYMLINK_NOFOLLOW), r.flags);
    return p instanceof SysError ? p : statFor(t, p.vn.getattr());
  },
  access: (k, t, r: { path: string; mode: number }) => doAccess(k, t, AT_FDCWD, r.path, r.mode, 0),
  faccessat: (k, t, r: { dirfd: number; path: string; mode: number; flags?: number }) => doAccess(k, t, r.dirfd, r.path, r.mode, r.flags ?? 0),
  mkdir: (k, t, r: { path: string; mode: number }) => doMkdir(k, t, AT_FDCWD, r.path, r.mode),
  mkdirat: (k, t, r: { dirfd: number; path: string; mode: number }) => doMkdir(k, t, r.dirfd, r.path, r.mode),
  /** mknod({path, mode, dev}) */
  mknod: (k, t, r: { path: string; mode: number; dev?: number }) => doMknod(k, t, AT_FDCWD, r.path, r.mode, r.dev ?? 0),
  /** mknodat({dirfd, path, mode, dev}) */
  mknodat: (k, t, r: { dirfd: number; path: string; mode: number; dev?: number }) => doMknod(k, t, r.dirfd, r.path, r.mode, r.dev ?? 0),
  rmdir: (k, t, r: { path: string }) => doRmdir(k, t, AT_FDCWD, r.path),
  unlink: (k, t, r: { path: string }) => doUnlink(k, t, AT_FDCWD, r.path),
  unlinkat: (k, t, r: { dirfd: number; path: string; flags: number }) =>
    r.flags & AT_REMOVEDIR ? doRmdir(k, t, r.dirfd, r.path) : doUnlink(k, t, r.dirfd, r.path),
  rename: (k, t, r: { oldpath: string; newpath: string }) => doRename(k, t, AT_FDCWD, r.oldpath, AT_FDCWD, r.newpath),
  renameat: (k, t, r: { olddirfd: number; oldpath: string; newdirfd: number; newpath: string }) =>
    doRename(k, t, r.olddirfd, r.oldpath, r.newdirfd, r.newpath),
  link: (k, t, r: { oldpath: string; newpath: string }) => doLink(k, t, r.oldpath, r.newpath, false),
  linkat: (k, t, r: { oldpath: string; newpath: string; flags: number }) => doLink(k, t, r.oldpath, r.newpath, (r.flags & AT_SYMLINK_FOLLOW) !== 0),
  symlink: (k, t, r: { target: string; path: string }) => doSymlink(k, t, r.target, r.path),
  readlink(k, t, r: { path: string }) {
    const p = resolve(k, t, r.path, { follow: false });
    if (p instanceof SysError) return p;
    if (!isLnk(p.vn.mode()) || !p.vn.readlink) return err('EINVAL', `${r.path} is not a symbolic link`);
    return p.vn.readlink();
  },
  chdir(k, t, r: { path: string }) {
    const p = resolve(k, t, r.path, { follow: true });
    if (p instanceof SysError) return p;
    if (!isDir(p.vn.mode())) return err('ENOTDIR', `${r.path} is not a directory`);
    if (!mayAccess(t.creds, p.vn.getattr(), MAY_EXEC)) return err('EACCES', `search (x) permission denied on ${r.path} for uid ${t.creds.fsuid}: mode ${p.vn.getattr().mode.toString(8)}, owner ${p.vn.getattr().uid}`);
    t.fs.cwd = p;
    return 0;
  },
  fchdir(_k, t, r: { fd: number }) {
    const f = t.files.get(r.fd);
    if (!f) return err('EBADF', `fd ${r.fd} is not open in process ${t.tid}`);
    if (!f.vnode || !f.mnt || !isDir(f.vnode.mode())) return err('ENOTDIR', `fd ${r.fd} does not refer to a directory`);
    if (!mayAccess(t.creds, f.vnode.getattr(), MAY_EXEC)) return err('EACCES', `search (x) permission denied on the directory of fd ${r.fd} for uid ${t.creds.fsuid}: mode ${f.vnode.getattr().mode.toString(8)}, owner ${f.vnode.getattr().uid}`);
    t.fs.cwd = { mnt: f.mnt, vn: f.vnode };
    return 0;
  },
  getcwd: (_k, t) => pathOf(t, t.fs.cwd),
  chmod(k, t, r: { path: string; mode: number }) {
    const p = resolve(k, t, r.path, { follow: true });
    return p instanceof SysError ? p : doChmod(k, t, p, r.mode);
  },
  fchmod(k, t, r: { fd: number; mode: number }) {
    const f = t.files.get(r.fd);
    if (!f) return err('EBADF', `fd ${r.fd} is not open in process ${t.tid}`);
    if (!f.vnode || !f.mnt) return err('EINVAL', `fd ${r.fd} does not refer to a file whose mode can be changed`);
    return doChmod(k, t, { mnt: f.mnt, vn: f.vnode }, r.mode);
  },
  fchmodat(k, t, r: { dirfd: number; path: string; mode: number }) {
    const p = resolve(k, t, r.path, { follow: true, dirfd: r.dirfd });
    return p instanceof SysError ? p : doChmod(k, t, p, r.mode);
  },
  chown(k, t, r: { path: string; uid: number; gid: number }) {
    const p = resolve(k, t, r.path, { follow: true });
    return p instanceof SysError ? p : doChown(k, t, p, r.uid, r.gid);
  },
  lchown(k, t, r: { path: string; uid: number; gid: number }) {
    const p = resolve(k, t, r.path, { follow: false });
    return p instanceof SysError ? p : doChown(k, t, p, r.uid, r.gid);
  },
  fchown(k, t, r: { fd: number; uid: number; gid: number }) {
    const f = t.files.get(r.fd);
    if (!f) return err('EBADF', `fd ${r.fd} is not open in process ${t.tid}`);
    if (!f.vnode || !f.mnt) return err('EINVAL', `fd ${r.fd} does not refer to a file whose owner can be changed`);
    return doChown(k, t, { mnt: f.mnt, vn: f.vnode }, r.uid, r.gid);
  },
  truncate(k, t, r: { path: string; length: number }) {
    const p = resolve(k, t, r.path, { follow: true });
    return p instanceof SysError ? p : doTruncate(k, t, p, r.length, true);
  },
  ftruncate(k, t, r: { fd: number; length: number }) {
    const f = t.files.get(r.fd);
    if (!f) return err('EBADF', `fd ${r.fd} is not open in process ${t.tid}`);
    if (!f.vnode || !f.mnt || !f.canWrite) return err('EINVAL', `fd ${r.fd} is not a file open for writing (ftruncate(2))`);
    return doTruncate(k, t, { mnt: f.mnt, vn: f.vnode }, r.length, false);
  },
  /** utimensat({dirfd, path, atimeNs, mtimeNs, flags}); absent times mean "now" (UTIME_NOW). */
  utimensat(k, t, r: { dirfd?: number; path: string; atimeNs?: number; mtimeNs?: number; flags?: number }) {
    const p = lookupPath(k, t, r.dirfd ?? AT_FDCWD, r.path, !((r.flags ?? 0) & AT_SYMLINK_NOFOLLOW), r.flags ?? 0);
    if (p instanceof SysError) return p;
    const st = p.vn.getattr();
    const explicit = r.atimeNs !== undefined || r.mtimeNs !== undefined;
    // Setting explicit times needs ownership; "now" needs ownership or write permission.
    if (!ownerOrCapable(t.creds, st)) {
      if (explicit) return err('EPERM', `setting explicit times on ${r.path || `fd ${r.dirfd ?? AT_FDCWD}`} needs ownership (uid ${st.uid}) or CAP_FOWNER`);
      if (!mayAccess(t.creds, st, MAY_WRITE)) return err('EACCES', `setting the times to now on ${r.path || `fd ${r.dirfd ?? AT_FDCWD}`} needs ownership or write permission: uid ${t.creds.fsuid}, mode ${st.mode.toString(8)}, owner ${st.uid}`);
    }
    if (p.mnt.flags.readonly) return err('EROFS', `${r.path || `fd ${r.dirfd ?? AT_FDCWD}`} is on a read-only mount`);
    const now = k.realtimeNs;
    const res = p.vn.setattr ? p.vn.setattr({ atimeNs: r.atimeNs ?? now, mtimeNs: r.mtimeNs ?? now, nowNs: now }) : err('EPERM', `the file system holding ${r.path || `fd ${r.dirfd ?? AT_FDCWD}`} cannot change times`);
    return res ?? 0;
  },
  umask(_k, t, r: { mask: number }) {
    const old = t.fs.umask;
    t.fs.umask = r.mask & 0o777;
    return old;
  },
  /** chroot({path}): needs CAP_SYS_CHROOT in the caller's user namespace; does not change the working directory (chroot(2), CHR-01). */
  chroot(k, t, r: { path: string }) {
    const p = resolve(k, t, r.path, { follow: true });
    if (p instanceof SysError) return p;
    if (!isDir(p.vn.mode())) return err('ENOTDIR', `${r.path} is not a directory`);
    if (!mayAccess(t.creds, p.vn.getattr(), MAY_EXEC)) return err('EACCES', `search (x) permission denied on ${r.path} for uid ${t.creds.fsuid}: mode ${p.vn.getattr().mode.toString(8)}, owner ${p.vn.getattr().uid}`);
    if (!nsCapable(t.creds, t.creds.userNs, CAP.SYS_CHROOT)) return err('EPERM', 'chroot needs CAP_SYS_CHROOT' + '; ' + capMissing(t.creds, t.creds.userNs, CAP.SYS_CHROOT));
    t.fs.root = p;
    traceVfs(k, 'chroot', t, () => ({ path: r.path, fs: p.mnt.fs.type }));
    return 0;
  },
};

function doAccess(k: Kernel, t: Task, dirfd: number, path: string, mode: number, flags: number): number | SysError {
  if (mode & ~7) return err('EINVAL', `mode 0${mode.toString(8)} has bits other than R_OK, W_OK and X_OK (access(2))`);
  const p = lookupPath(k, t, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), flags);
  if (p instanceof SysError) return p;
  if (mode === 0) return 0;
  // access(2) checks with the real IDs unless AT_EACCESS.
  const creds = flags & AT_EACCESS ? t.creds : t.creds.clone();
  if (!(flags & AT_EACCESS)) {
    creds.fsuid = t.creds.uid;
    creds.fsgid = t.creds.gid;
  }
  const mask = (mode & 4 ? MAY_READ : 0) | (mode & 2 ? MAY_WRITE : 0) | (mode & 1 ? MAY_EXEC : 0);
  if (!mayAccess(creds, p.vn.getattr(), mask)) return err('EACCES', `${path}: uid ${creds.fsuid} lacks the ${mode & 4 ? 'r' : ''}${mode & 2 ? 'w' : ''}${mode & 1 ? 'x' : ''} access asked for: mode ${p.vn.getattr().mode.toString(8)}, owner ${p.vn.getattr().uid}`);
  if (mode & 2 && p.mnt.flags.readonly) return err('EROFS', `write access asked for on ${path}, which is on a read-only mount`);
  return 0;
}
