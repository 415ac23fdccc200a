/**
 * File-descriptor system calls: open/openat, read, write, close, dup/dup2/dup3,
 * pipe/pipe2, lseek, fcntl, ioctl, getdents64, fstat (open(2), read(2), …).
 */
import { traceVfs } from '../vfs/vfs-trace.js';
import { octal, openFlags } from '../trace/strace-xlat.js';
import type { Kernel } from '../kernel.js';
import { err, SysError } from '../errno.js';
import type { Task } from '../proc/task.js';
import { BLOCK, OpenFile, type Block, type FileOps } from '../vfs/file.js';
import { releaseFile } from '../vfs/file-ops.js';
import { resolve, resolveParent, pathOf } from '../vfs/namei.js';
import { MAY_READ, MAY_WRITE, MAY_EXEC, mayAccess } from '../vfs/permission.js';
import {
  AT_FDCWD,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  FD_CLOEXEC,
  O_ACCMODE,
  O_APPEND,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_TRUNC,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  isChr,
  isBlk,
  isDir,
  isLnk,
  isReg,
  isFifo,
  type DirEntry,
} from '../vfs/types.js';
import type { Mount } from '../vfs/mount.js';
import type { Vnode } from '../vfs/vnode.js';
import { Pipe, pipeEnd, pipeOps } from '../fs/pipefs.js';
import { openFifo, pendingFifoOpen, resumeFifoOpen } from '../fs/fifo.js';
import type { HandlerTable } from './handler.js';
import { copyCost } from '../../hw/cost-table.js';
import { RLIMIT_NOFILE, TCGETS } from './abi.js';
import { NOFILE_DEFAULT } from '../vfs/fd-table.js';
import { statFor } from './sys-path.js';

/** The lowest free descriptor within RLIMIT_NOFILE, or EMFILE. */
export function allocFd(t: Task, min = 0): number | SysError {
  const limit = t.rlimits[RLIMIT_NOFILE]?.soft ?? NOFILE_DEFAULT;
  const fd = t.files.lowestFree(min);
  if (fd >= limit) return err('EMFILE', `RLIMIT_NOFILE=${limit} descriptors are open`);
  return fd;
}

/** Installs a new open file at the lowest free descriptor. */
export function installFile(t: Task, f: OpenFile, cloexec: boolean): number | SysError {
  const fd = allocFd(t);
  if (fd instanceof SysError) return fd;
  t.files.install(fd, f, cloexec);
  return fd;
}

/** Directory listing through getdents64: entries handed out in order, then []. */
const directoryOps: FileOps = {
  readdir(_k, _t, f) {
    const vn = f.vnode!;
    const all = vn.readdir ? vn.readdir() : err('ENOTDIR', `${f.path} has no entries to list`);
    if (all instanceof SysError) return all;
    const batch = all.slice(f.pos);
    f.pos = all.length;
    return batch;
  },
  read: (_k, _t, f) => err('EISDIR', `${f.path} is a directory: list it with getdents64(2)`),
  write: (_k, _t, f) => err('EISDIR', `${f.path} is a directory and cannot be written`),
  seekable: () => 0,
};

/** What an O_PATH descriptor allows: nothing but being a position. */
const pathOnlyOps: FileOps = {
  read: (_k, _t, f) => err('EBADF', `${f.path} was opened with O_PATH, which allows no reading`),
  write: (_k, _t, f) => err('EBADF', `${f.path} was opened with O_PATH, which allows no writing`),
};

/** Opens the object at `mnt`/`vn` for `flags` after permission checks. FIFOs, which may wait, are opened by doOpen. */
export function openVnode(k: Kernel, t: Task, mnt: Mount, vn: Vnode, flags: number, path: string): OpenFile | SysError {
  const mode = vn.mode();
  if (flags & O_PATH) return new OpenFile(pathOnlyOps, flags, mnt, vn, path);
  const denied = mayOpen(t, mnt, vn, flags, path);
  if (denied) return denied;
  k.charge(k.costs.fileOpen);
  if (isDir(mode)) return new OpenFile(directoryOps, flags, mnt, vn, path);
  if (isChr(mode) || isBlk(mode)) {
    if (mnt.flags.nodev) return err('EACCES', `${path} is on a nodev mount`);
    const dev = (isChr(mode) ? k.chrdevs : k.blkdevs).get(vn.getattr().rdev);
    if (!dev) return err('ENXIO', `no driver for device ${vn.getattr().rdev}`);
    const o = dev.open(k, t, flags);
    if (o instanceof SysError) return o;
    return new OpenFile(o.ops, flags, mnt, vn, path, o.priv);
  }
  if (isFifo(mode)) return err('ENXIO', `${path} is a FIFO: open it with open(2)`);
  if (!vn.open) return err('ENXIO', `${path} is not an object its file system can open`);
  const o = vn.open(flags);
  if (o instanceof SysError) return o;
  return new OpenFile(o.ops, flags, mnt, vn, path, o.priv);
}

/** open(2)'s checks on an existing object: the type against O_DIRECTORY and write access, then permission and read-only mounts. */
function mayOpen(t: Task, mnt: Mount, vn: Vnode, flags: number, path: string): SysError | undefined {
  const mode = vn.mode();
  const acc = flags & O_ACCMODE;
  const wantWrite = acc === 1 || acc === 2;
  const wantRead = acc === 0 || acc === 2;
  if (isDir(mode)) {
    if (wantWrite) return err('EISDIR', `${path} is a directory and cannot be opened for writing`);
  } else if (flags & O_DIRECTORY) {
    return err('ENOTDIR', `O_DIRECTORY was given but ${path} is not a directory`);
  }
  const st = vn.getattr();
  const mask = (wantRead ? MAY_READ : 0) | (wantWrite ? MAY_WRITE : 0);
  if (!mayAccess(t.creds, st, mask)) {
    return err('EACCES', `uid ${t.creds.fsuid} lacks ${wantWrite ? 'write' : 'read'} permission on ${path} (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}, owner ${st.uid}:${st.gid})`);
  }
  // A FIFO or device node stays writable on a read-only mount: its data is not on it.
  if (wantWrite && mnt.flags.readonly && (isReg(mode) || isDir(mode))) return err('EROFS', `${path} is on a read-only mount`);
  return undefined;
}

/** openat(2). */
export function doOpen(k: Kernel, t: Task, dirfd: number, path: string, flags: number, mode: number): number | SysError | Block {
  // A FIFO open that waited for its partner continues where it was (fifo(7)).
  const waiting = pendingFifoOpen(t.syscallState);
  if (waiting) {
    const f = resumeFifoOpen(k, t, waiting);
    return f === BLOCK ? f : installOpened(k, t, f, flags);
  }
  let target: { mnt: Mount; vn: Vnode } | SysError;
  if (flags & O_CREAT) {
    const pl = resolveParent(k, t, path, dirfd);
    if (pl instanceof SysError) return pl;
    if (pl.name === '' || pl.trailingSlash) return err('EISDIR', `${path} names a directory (or ends in a slash), and O_CREAT creates only regular files`);
    const dir = pl.parent;
    const existing = dir.vn.lookup ? dir.vn.lookup(pl.name) : err('ENOTDIR', `the parent of ${path} is not a directory`);
    if (existing instanceof SysError) {
      if (existing.errno !== 'ENOENT') return existing;
      if (dir.mnt.flags.readonly) return err('EROFS', `${path} is on a read-only mount`);
      if (!mayAccess(t.creds, dir.vn.getattr(), MAY_WRITE | MAY_EXEC)) return err('EACCES', `no write permission on the directory to create ${path}`);
      if (!dir.vn.create) return err('EACCES', 'this file system does not allow creating files');
      const vn = dir.vn.create(pl.name, mode & ~t.fs.umask & 0o7777, t.creds, k.realtimeNs);
      if (vn instanceof SysError) return vn;
      target = { mnt: dir.mnt, vn };
      // A new file opened O_RDONLY|O_CREAT still opens: permission applies to existing files only.
      const o = vn.open ? vn.open(flags) : err('ENXIO', `the new file ${path} is not an object its file system can open`);
      if (o instanceof SysError) return o;
      k.charge(k.costs.fileOpen);
      const f = new OpenFile(o.ops, flags & ~O_CREAT, dir.mnt, vn, absPath(t, path));
      f.priv = o.priv;
      traceVfs(k, 'create', t, () => ({ path: f.path, mode: octal(vn.getattr().mode & 0o7777), fs: dir.mnt.fs.type }));
      return installOpened(k, t, f, flags);
    }
    if (flags & O_EXCL) return err('EEXIST', `${path} exists and O_CREAT|O_EXCL asks to create it`);
    target = resolve(k, t, path, { follow: (flags & O_NOFOLLOW) === 0, dirfd });
  } else {
    target = resolve(k, t, path, { follow: (flags & O_NOFOLLOW) === 0, dirfd });
  }
  if (target instanceof SysError) return target;
  if (isLnk(target.vn.mode()) && !(flags & O_PATH)) return err('ELOOP', `${path} is a symbolic link and O_NOFOLLOW was given`);
  if (flags & O_TRUNC && isReg(target.vn.mode()) && (flags & O_ACCMODE) === 0) flags &= ~O_TRUNC;
  if (isFifo(target.vn.mode()) && !(flags & O_PATH)) {
    const denied = mayOpen(t, target.mnt, target.vn, flags, path);
    if (denied) return denied;
    const f = openFifo(k, t, target.mnt, target.vn, flags & ~(O_CREAT | O_TRUNC), absPath(t, path));
    if (f instanceof SysError || f === BLOCK) return f;
    return installOpened(k, t, f, flags);
  }
  const f = openVnode(k, t, target.mnt, target.vn, flags, absPath(t, path));
  if (f instanceof SysError) return f;
  return installOpened(k, t, f, flags);
}

/** Installs a file open(2) made, or releases it when no descriptor is free. */
function installOpened(k: Kernel, t: Task, f: OpenFile, flags: number): number | SysError {
  const fd = installFile(t, f, (flags & O_CLOEXEC) !== 0);
  if (fd instanceof SysError) releaseFile(k, f);
  else traceVfs(k, 'open', t, () => ({ path: f.path, flags: openFlags(flags), fd, fs: f.mnt?.fs.type ?? '' }));
  return fd;
}

/** An absolute form of `path` for /proc/PID/fd links. */
function absPath(t: Task, path: string): string {
  if (path.startsWith('/')) return path;
  const cwd = pathOf(t, t.fs.cwd);
  return (cwd === '/' ? '' : cwd) + '/' + path;
}

function fileOf(t: Task, fd: number): OpenFile | SysError {
  return t.files.get(fd) ?? err('EBADF', `descriptor ${fd} is not open`);
}

/** Closes `fd` (close(2)). */
export function doClose(k: Kernel, t: Task, fd: number): number | SysError {
  const f = t.files.remove(fd);
  if (!f) return err('EBADF', `descriptor ${fd} is not open`);
  releaseFile(k, f);
  return 0;
}

/** dup2/dup3: make `newfd` refer to `oldfd`'s open file. */
function doDup2(k: Kernel, t: Task, oldfd: number, newfd: number, cloexec: boolean): number | SysError {
  const f = fileOf(t, oldfd);
  if (f instanceof SysError) return f;
  const limit = t.rlimits[RLIMIT_NOFILE]?.soft ?? NOFILE_DEFAULT;
  if (newfd < 0 || newfd >= limit) return err('EBADF', `new descriptor ${newfd} is outside 0..${limit - 1} (RLIMIT_NOFILE=${limit})`);
  if (oldfd === newfd) return newfd;
  f.refs++;
  const old = t.files.install(newfd, f, cloexec);
  if (old) releaseFile(k, old);
  return newfd;
}

export const fileSyscalls: HandlerTable = {
  /** open({path, flags, mode}) */
  open: (k, t, r: { path: string; flags: number; mode?: number }) => doOpen(k, t, AT_FDCWD, r.path, r.flags, r.mode ?? 0o666),
  /** openat({dirfd, path, flags, mode}) */
  openat: (k, t, r: { dirfd: number; path: string; flags: number; mode?: number }) =>
    doOpen(k, t, r.dirfd, r.path, r.flags, r.mode ?? 0o666),
  close: (k, t, r: { fd: number }) => doClose(k, t, r.fd),
  /** read({fd, count}) → bytes ('' at end of file). */
  read(k, t, r: { fd: number; count: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (!f.canRead || f.flags & O_PATH) return err('EBADF', `descriptor ${r.fd} is not open for reading`);
    if (!f.ops.read) return err('EINVAL', `descriptor ${r.fd} (${f.path}) is attached to an object that cannot be read`);
    const res = f.ops.read(k, t, f, Math.max(0, r.count | 0));
    if (typeof res === 'string') k.charge(copyCost(k.costs, res.length));
    return res;
  },
  /** write({fd, data}) → bytes written. */
  write(k, t, r: { fd: number; data: string }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (!f.canWrite || f.flags & O_PATH) return err('EBADF', `descriptor ${r.fd} is not open for writing`);
    if (!f.ops.write) return err('EINVAL', `descriptor ${r.fd} (${f.path}) is attached to an object that cannot be written`);
    const res = f.ops.write(k, t, f, r.data);
    if (typeof res === 'number') k.charge(copyCost(k.costs, res));
    return res;
  },
  /** pread64({fd, count, offset}) */
  pread64(k, t, r: { fd: number; count: number; offset: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (!f.ops.seekable || !f.ops.read) return err('ESPIPE', `descriptor ${r.fd} (${f.path}) has no file offset, so pread cannot read at one`);
    const save = f.pos;
    f.pos = r.offset;
    const res = f.ops.read(k, t, f, r.count);
    f.pos = save;
    return res;
  },
  dup(_k, t, r: { fd: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    const fd = allocFd(t);
    if (fd instanceof SysError) return fd;
    f.refs++;
    t.files.install(fd, f, false);
    return fd;
  },
  dup2: (k, t, r: { oldfd: number; newfd: number }) => doDup2(k, t, r.oldfd, r.newfd, false),
  dup3(k, t, r: { oldfd: number; newfd: number; flags: number }) {
    if (r.oldfd === r.newfd) return err('EINVAL', `oldfd and newfd are both ${r.oldfd}, which dup3(2) refuses`);
    return doDup2(k, t, r.oldfd, r.newfd, (r.flags & O_CLOEXEC) !== 0);
  },
  /** pipe2({flags}) → [readFd, writeFd]. */
  pipe2: (k, t, r: { flags?: number }) => doPipe(k, t, r.flags ?? 0),
  pipe: (k, t) => doPipe(k, t, 0),
  lseek(_k, t, r: { fd: number; offset: number; whence: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    const size = f.ops.seekable ? f.ops.seekable(f) : err('ESPIPE', `descriptor ${r.fd} (${f.path}) has no file offset to seek`);
    if (size instanceof SysError) return size;
    let pos: number;
    if (r.whence === SEEK_SET) pos = r.offset;
    else if (r.whence === SEEK_CUR) pos = f.pos + r.offset;
    else if (r.whence === SEEK_END) pos = size + r.offset;
    else return err('EINVAL', `whence ${r.whence} is not SEEK_SET, SEEK_CUR or SEEK_END`);
    if (pos < 0) return err('EINVAL', `the new offset ${pos} would be negative`);
    f.pos = pos;
    return pos;
  },
  fcntl(_k, t, r: { fd: number; cmd: number; arg?: number }) {
    const e = t.files.entry(r.fd);
    if (!e) return err('EBADF', `descriptor ${r.fd} is not open`);
    switch (r.cmd) {
      case F_GETFD:
        return e.cloexec ? FD_CLOEXEC : 0;
      case F_SETFD:
        e.cloexec = ((r.arg ?? 0) & FD_CLOEXEC) !== 0;
        return 0;
      case F_GETFL:
        return e.file.flags;
      case F_SETFL: {
        const changeable = O_APPEND | O_NONBLOCK;
        e.file.flags = (e.file.flags & ~changeable) | ((r.arg ?? 0) & changeable);
        return 0;
      }
      case F_DUPFD:
      case F_DUPFD_CLOEXEC: {
        const fd = allocFd(t, r.arg ?? 0);
        if (fd instanceof SysError) return fd;
        e.file.refs++;
        t.files.install(fd, e.file, r.cmd === F_DUPFD_CLOEXEC);
        return fd;
      }
      default:
        return err('EINVAL', `fcntl command ${r.cmd} is not modelled`);
    }
  },
  /** ioctl({fd, cmd, arg}) — terminals answer TCGETS, TIOCGWINSZ, TIOCGPGRP, TIOCSPGRP; others ENOTTY. */
  ioctl(k, t, r: { fd: number; cmd: number; arg?: unknown }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (!f.ops.ioctl) return err('ENOTTY', r.cmd === TCGETS ? 'not a terminal' : `descriptor ${r.fd} (${f.path}) takes no ioctl requests`);
    return f.ops.ioctl(k, t, f, r.cmd, r.arg);
  },
  /** getdents64({fd}) → the next batch of entries, [] at the end. */
  getdents64(k, t, r: { fd: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (!f.ops.readdir) return err('ENOTDIR', `descriptor ${r.fd} (${f.path}) is not a directory`);
    const res = f.ops.readdir(k, t, f);
    if (Array.isArray(res)) k.charge((res as DirEntry[]).length * 20);
    return res;
  },
  fstat(_k, t, r: { fd: number }) {
    const f = fileOf(t, r.fd);
    if (f instanceof SysError) return f;
    if (f.vnode) return statFor(t, f.vnode.getattr());
    return anonStat(f);
  },
};

/** fstat of an object without a vnode (a pipe): S_IFIFO, owner of the caller. */
function anonStat(f: OpenFile) {
  const desc = f.ops.describe?.(f) ?? '';
  const ino = Number(/\[(\d+)\]/.exec(desc)?.[1] ?? 0);
  return { dev: 0x0e, ino, mode: 0o010600, nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: 0, mtimeNs: 0, ctimeNs: 0 };
}

function doPipe(k: Kernel, t: Task, flags: number): [number, number] | SysError {
  const pipe = new Pipe(k.allocAnonIno());
  const rf = new OpenFile(pipeOps, 0 | (flags & O_NONBLOCK), null, null, `pipe:[${pipe.ino}]`, pipeEnd(pipe, false));
  const wf = new OpenFile(pipeOps, 1 | (flags & O_NONBLOCK), null, null, `pipe:[${pipe.ino}]`, pipeEnd(pipe, true));
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const rfd = installFile(t, rf, cloexec);
  if (rfd instanceof SysError) {
    releaseFile(k, rf);
    releaseFile(k, wf);
    return rfd;
  }
  const wfd = installFile(t, wf, cloexec);
  if (wfd instanceof SysError) {
    doClose(k, t, rfd);
    releaseFile(k, wf);
    return wfd;
  }
  return [rfd, wfd];
}

export { BLOCK };
