/**
 * A PID namespace (pid_namespaces(7)): a numbering of processes. Namespaces nest;
 * a task has a PID in its own namespace and in every ancestor. PIDs are allocated
 * from 1 upwards, skipping numbers in use, and wrap at pid_max (like Linux's
 * idr_alloc_cyclic).
 *
 * This issue models the initial namespace; the isolation issue adds nesting rules,
 * the namespace init and its death.
 */
import type { Task } from './task.js';

/** The default /proc/sys/kernel/pid_max on 64-bit systems with ≤ 32 CPUs. */
export const PID_MAX_DEFAULT = 32768;

export class PidNamespace {
  readonly level: number;
  readonly parent: PidNamespace | null;
  /** Live tasks by their PID in this namespace. */
  readonly tasks = new Map<number, Task>();
  /** The namespace's init (PID 1), once created. */
  init: Task | null = null;
  /** The last PID handed out; the next search starts after it. */
  private lastPid = 0;
  pidMax = PID_MAX_DEFAULT;
  /** The namespace's inode number, shown as pid:[N] (namespaces(7)). */
  readonly inum: number;

  constructor(parent: PidNamespace | null, inum: number) {
    this.parent = parent;
    this.level = parent ? parent.level + 1 : 0;
    this.inum = inum;
  }

  /** The next free PID, or 0 when every PID is in use. */
  allocate(): number {
    for (let i = 0; i < this.pidMax; i++) {
      let pid = this.lastPid + 1 + i;
      // Like Linux, PIDs wrap to 300 (RESERVED_PIDS) in the initial namespace, to 2 elsewhere.
      if (pid >= this.pidMax) pid = (this.level === 0 ? 300 : 2) + ((pid - this.pidMax) % this.pidMax);
      if (pid > 0 && !this.tasks.has(pid)) {
        this.lastPid = pid;
        return pid;
      }
    }
    return 0;
  }

  /** Live tasks in PID order. */
  sortedTasks(): Task[] {
    return [...this.tasks.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }
}
