/**
 * A file-descriptor table (Linux's files_struct): small integers mapped to open
 * files, each with its own close-on-exec flag. Shared by CLONE_FILES, copied by fork.
 */
import type { OpenFile } from './file.js';

/** The default RLIMIT_NOFILE soft limit on Debian. */
export const NOFILE_DEFAULT = 1024;

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

export class FdTable {
  private readonly fds: (FdEntry | undefined)[] = [];
  /** Processes sharing this table (CLONE_FILES). */
  users = 1;

  get(fd: number): OpenFile | undefined {
    return fd >= 0 ? this.fds[fd]?.file : undefined;
  }

  entry(fd: number): FdEntry | undefined {
    return fd >= 0 ? this.fds[fd] : undefined;
  }

  /** The lowest free descriptor ≥ `min`, as open(2) and dup(2) choose. */
  lowestFree(min = 0): number {
    let fd = min;
    while (this.fds[fd] !== undefined) fd++;
    return fd;
  }

  /** Installs `file` at `fd`, returning what was there (the caller releases it). */
  install(fd: number, file: OpenFile, cloexec: boolean): OpenFile | undefined {
    const old = this.fds[fd]?.file;
    this.fds[fd] = { file, cloexec };
    return old;
  }

  /** Removes `fd`; returns its open file (the caller releases it). */
  remove(fd: number): OpenFile | undefined {
    const e = this.fds[fd];
    if (!e) return undefined;
    this.fds[fd] = undefined;
    while (this.fds.length > 0 && this.fds[this.fds.length - 1] === undefined) this.fds.pop();
    return e.file;
  }

  /** Descriptors in use, ascending. */
  openFds(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.fds.length; i++) if (this.fds[i]) out.push(i);
    return out;
  }

  get count(): number {
    let n = 0;
    for (const e of this.fds) if (e) n++;
    return n;
  }

  /** A copy for fork(2): the same open files (each gains a reference), same flags. */
  fork(): FdTable {
    const t = new FdTable();
    for (let i = 0; i < this.fds.length; i++) {
      const e = this.fds[i];
      if (e) {
        e.file.refs++;
        t.fds[i] = { file: e.file, cloexec: e.cloexec };
      }
    }
    return t;
  }
}
