/**
 * Starting a process from outside the simulation (Linux's call_usermodehelper): the
 * harness — the ctsim CLI, a test, a scenario — asks the kernel to run a command as
 * a child of init, in a new session, with given standard streams, credentials,
 * working directory and environment. The child then executes the program like any
 * other process, so everything it does goes through system calls.
 */
import { CAP_EMPTY_SET } from '../ns/capabilities.js';
import type { Kernel } from '../kernel.js';
import { err, SysError } from '../errno.js';
import type { OpenFile } from '../vfs/file.js';
import { FdTable } from '../vfs/fd-table.js';
import { resolve } from '../vfs/namei.js';
import { isDir } from '../vfs/types.js';
import { doClone } from '../proc/task-clone.js';
import { execStub } from './exec-stub.js';
import { SIG } from '../proc/signals.js';
import type { Task } from '../proc/task.js';
import { releaseFile } from '../vfs/file-ops.js';

export interface SpawnOptions {
  /** The file to execute (resolved like execve: no PATH search). */
  path: string;
  argv: string[];
  envp: string[];
  /** Working directory (default /). */
  cwd?: string;
  /** Descriptors 0, 1, 2 (and more); each gains a reference. */
  stdio: OpenFile[];
  uid?: number;
  gid?: number;
  groups?: number[];
  /** Start a new session and process group (default true). */
  newSession?: boolean;
}

/** Starts a process as a child of init. */
export function spawnUserProcess(k: Kernel, opts: SpawnOptions): Task | SysError {
  const init = k.initPidNs.init;
  if (!init) return err('ESRCH', 'init is not running');
  const saved = { current: k.current, cost: k.pendingCost };
  k.current = init;
  try {
    const child = doClone(k, init, () => execStub(opts.path, opts.argv, opts.envp), 0, SIG.SIGCHLD);
    if (child instanceof SysError) return child;
    // The child starts with exactly the given descriptors.
    const old = child.files;
    for (const fd of old.openFds()) {
      const f = old.remove(fd);
      if (f) releaseFile(k, f);
    }
    child.files = new FdTable();
    opts.stdio.forEach((f, fd) => {
      f.refs++;
      child.files.install(fd, f, false);
    });
    if (opts.uid !== undefined || opts.gid !== undefined) {
      const c = child.creds;
      c.uid = c.euid = c.suid = c.fsuid = opts.uid ?? c.uid;
      c.gid = c.egid = c.sgid = c.fsgid = opts.gid ?? c.gid;
      c.groups = opts.groups ?? [];
      // A login as a user other than root starts without capabilities (capabilities(7)).
      if (c.euid !== 0) c.capPrm = c.capEff = CAP_EMPTY_SET;
    }
    if (opts.newSession ?? true) {
      child.sid = child.tid;
      k.setPgid(child, child.tid);
    }
    if (opts.cwd) {
      k.current = child;
      const p = resolve(k, child, opts.cwd, { follow: true });
      if (!(p instanceof SysError) && isDir(p.vn.mode())) child.fs.cwd = p;
    }
    return child;
  } finally {
    k.current = saved.current;
    k.pendingCost = saved.cost;
  }
}
