/**
 * Open files (Linux's struct file): what a file descriptor points at. Several
 * descriptors — in one process after dup(2), or in several after fork(2) — may share
 * one open file and with it the offset and status flags.
 */
import type { Bytes, DirEntry } from './types.js';
import type { SysError } from '../errno.js';
import type { Task } from '../proc/task.js';
import type { Kernel } from '../kernel.js';
import type { Mount } from './mount.js';
import type { Vnode } from './vnode.js';

/** Returned by an operation that put the calling task to sleep; the call is re-run on wake-up. */
export const BLOCK: unique symbol = Symbol('BLOCK');
export type Block = typeof BLOCK;

/** What a file supports. Absent operations fail as Linux fails them (EINVAL, ENOTTY, …). */
export interface FileOps {
  /** Reads up to `count` bytes at the file's position; '' means end of file. */
  read?(k: Kernel, t: Task, f: OpenFile, count: number): Bytes | SysError | Block;
  /** Writes `data`; returns the number of bytes written. */
  write?(k: Kernel, t: Task, f: OpenFile, data: Bytes): number | SysError | Block;
  /** The file's size for SEEK_END, or an error when the file cannot seek (ESPIPE). */
  seekable?(f: OpenFile): number | SysError;
  /** Device control (ioctl(2)). */
  ioctl?(k: Kernel, t: Task, f: OpenFile, cmd: number, arg: unknown): unknown;
  /** Called when the last descriptor referring to the file is closed. */
  release?(k: Kernel, f: OpenFile): void;
  /** Readiness for poll: bit 1 readable (POLLIN), bit 4 writable (POLLOUT). */
  poll?(k: Kernel, f: OpenFile): number;
  /** A name for /proc/PID/fd links of objects without a path (`pipe:[1234]`). */
  describe?(f: OpenFile): string;
  /**
   * Opening /proc/PID/fd/N of an object without a path (a pipe): a new open file on
   * the same object, with `flags`' access mode.
   */
  reopen?(k: Kernel, f: OpenFile, flags: number): { ops: FileOps; priv?: unknown } | SysError;
  /** Directory listing for getdents64 (directories opened for reading). */
  readdir?(k: Kernel, t: Task, f: OpenFile): DirEntry[] | SysError;
}

export class OpenFile {
  /** Descriptors (across all processes) referring to this open file. */
  refs = 1;
  /** The file offset in bytes. */
  pos = 0;
  /** Status flags (O_ACCMODE, O_APPEND, O_NONBLOCK, …). */
  flags: number;
  readonly ops: FileOps;
  /** Where the file was opened, for fstat/fchdir and /proc/PID/fd; null for pipes and sockets. */
  readonly mnt: Mount | null;
  readonly vnode: Vnode | null;
  /** The path the file was opened by (for /proc/PID/fd readlink). */
  readonly path: string;
  /** The file's private state (a pipe end, a directory cursor, a tty). */
  priv: unknown;

  constructor(ops: FileOps, flags: number, mnt: Mount | null, vnode: Vnode | null, path: string, priv?: unknown) {
    this.ops = ops;
    this.flags = flags;
    this.mnt = mnt;
    this.vnode = vnode;
    this.path = path;
    this.priv = priv;
  }

  get canRead(): boolean {
    return (this.flags & 3) !== 1;
  }

  get canWrite(): boolean {
    return (this.flags & 3) !== 0;
  }
}
