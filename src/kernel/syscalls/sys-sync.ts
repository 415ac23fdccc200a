/**
 * Writing back to the disk (sync(2), syncfs(2), fsync(2), fdatasync(2)): the caller's
 * dirty data on disk file systems is written through their block devices now
 * (fs/writeback.ts), and the caller sleeps uninterruptibly (state D) until the device
 * has completed the commands, as sd's reads and writes do.
 *
 * sync(2) always succeeds (Linux ignores writeback errors there); syncfs and fsync
 * report them (EIO, ENOSPC, EROFS). On a file system without a disk (tmpfs, proc, the
 * built-in root) there is nothing to write and the calls return at once.
 * Simplification: fsync and fdatasync write back the file's whole file system.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { TaskState } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { Block } from '../vfs/file.js';
import { IoCost } from '../block/block-io.js';
import type { HandlerTable } from './handler.js';

/**
 * Charges `cost`'s CPU time and sleeps in D until its commands complete, then returns
 * `result` (on the call's re-run after the wake-up).
 */
function waitForWriteback(k: Kernel, t: Task, run: () => { cost: IoCost; result: number | SysError }): number | SysError | Block {
  const st = t.syscallState as { sync: true; result: number | SysError } | undefined;
  if (st?.sync) {
    t.syscallState = undefined;
    return st.result;
  }
  const { cost, result } = run();
  k.charge(cost.cpuNs);
  if (cost.latencyNs <= 0) return result;
  t.syscallState = { sync: true, result };
  // The commands reach the device after they are issued (sd's complete() says why).
  return k.sleepUntil(t, k.now + cost.cpuNs + cost.latencyNs, null, TaskState.DiskSleep);
}

function syncFile(k: Kernel, t: Task, fd: number): number | SysError | Block {
  return waitForWriteback(k, t, () => {
    const f = t.files.get(fd);
    const fs = f?.vnode?.fs;
    if (!f) return { cost: new IoCost(), result: err('EBADF', `descriptor ${fd} is not open`) };
    // Pipes and sockets cannot be synced (fsync(2): EINVAL).
    if (!fs) return { cost: new IoCost(), result: err('EINVAL', `descriptor ${fd} is not a file that can be synced`) };
    const cost = k.writeback.syncFs(fs);
    return { cost, result: cost.error ?? 0 };
  });
}

export const syncSyscalls: HandlerTable = {
  /** sync(): every disk file system; always 0. */
  sync: (k, t) => waitForWriteback(k, t, () => ({ cost: k.writeback.syncAll(), result: 0 })),
  /** syncfs({fd}): the file system `fd` is on. */
  syncfs: (k, t, r: { fd: number }) => syncFile(k, t, r.fd),
  /** fsync({fd}) */
  fsync: (k, t, r: { fd: number }) => syncFile(k, t, r.fd),
  /** fdatasync({fd}) */
  fdatasync: (k, t, r: { fd: number }) => syncFile(k, t, r.fd),
};
