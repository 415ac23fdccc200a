/**
 * The VFS's view of a file system object (Linux's inode + the operations on it) and
 * of a mounted file-system instance (the superblock).
 *
 * Every file system — simfs on memfs, procfs, devfs, later cgroupfs and overlay —
 * implements these. The VFS above them owns mount trees, path walks, permission
 * checks and file descriptors; a file system only answers for its own objects.
 */
import type { SysError } from '../errno.js';
import type { DirEntry, Stat } from './types.js';
import type { FileOps } from './file.js';
import type { Path } from './mount.js';

/** Attributes chmod/chown/truncate/utimensat change; absent fields stay as they are. */
export interface SetAttr {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atimeNs?: number;
  mtimeNs?: number;
  /** The time of the change (becomes ctime). */
  nowNs: number;
}

/** The IDs a new object is owned by: the creator's filesystem uid and gid (kernel IDs). */
export interface FsIds {
  readonly fsuid: number;
  readonly fsgid: number;
}

/** A file-system instance (a superblock): its type, device number and root. */
export interface FileSystem {
  /** As /proc/mounts prints it: ext4, tmpfs, proc, devtmpfs, devpts, sysfs, cgroup2, overlay. */
  readonly type: string;
  /** st_dev of every object in it. */
  readonly dev: number;
  /** What was mounted (`/dev/sda1`, `proc`, `tmpfs`, …): the first field of /proc/mounts. */
  readonly source: string;
  root(): Vnode;
  /** Mount options the file system adds to /proc/mounts (`size=…,mode=755`), or ''. */
  options(): string;
  /** The mountinfo root field for a mount rooted at `vn`, when not a path (nsfs: `uts:[N]`). */
  rootName?(vn: Vnode): string;
  /** A mount rooted at `vn` was made / dropped (nsfs: a bind mount keeps its namespace alive). */
  pin?(vn: Vnode): void;
  unpin?(vn: Vnode): void;
}

/** A file system object. Optional methods are absent where the object does not support them. */
export interface Vnode {
  readonly fs: FileSystem;
  readonly ino: number;
  /** st_mode (type and permission bits). */
  mode(): number;
  getattr(): Stat;
  /**
   * The mode and owner, without making a whole Stat (a path walk checks search
   * permission on every directory it passes). Absent: getattr() gives them.
   */
  accessAttrs?(): Pick<Stat, 'mode' | 'uid' | 'gid'>;
  setattr?(attr: SetAttr): SysError | undefined;

  // Directories.
  /** The entry `name` (never "." — the VFS handles it; ".." must be answered). */
  lookup?(name: string): Vnode | SysError;
  readdir?(): DirEntry[] | SysError;
  /**
   * The name of `child` in this directory when the file system knows it without listing
   * the directory (its entry records it, as a Linux dentry does); undefined when it does
   * not, and the caller lists the directory instead.
   */
  nameOf?(child: Vnode): string | undefined;
  create?(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError;
  mkdir?(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError;
  symlink?(name: string, target: string, creds: FsIds, nowNs: number): Vnode | SysError;
  link?(name: string, target: Vnode, nowNs: number): SysError | undefined;
  unlink?(name: string, nowNs: number): SysError | undefined;
  rmdir?(name: string, nowNs: number): SysError | undefined;
  rename?(oldName: string, newDir: Vnode, newName: string, nowNs: number): SysError | undefined;
  mknod?(name: string, mode: number, rdev: number, creds: FsIds, nowNs: number): Vnode | SysError;

  // Symbolic links.
  readlink?(): string | SysError;
  /**
   * A "magic" link (/proc/PID/cwd, /proc/PID/fd/N): following it jumps to the object
   * itself rather than re-resolving the text readlink shows (proc(5)).
   */
  followLink?(): Path | SysError;

  /**
   * Opens the object: returns the operations of the new open file and its private
   * state. Directories need not implement this (the VFS opens them for getdents).
   */
  open?(flags: number): { ops: FileOps; priv?: unknown } | SysError;
}

/** A key that identifies a vnode across lookups: `dev:ino`. */
export function vnodeKey(v: Vnode): string {
  return `${v.fs.dev}:${v.ino}`;
}

/** True when two vnodes are the same object. */
export function sameVnode(a: Vnode, b: Vnode): boolean {
  return a === b || (a.ino === b.ino && a.fs === b.fs);
}
