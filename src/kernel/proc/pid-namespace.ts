/**
 * A PID namespace (pid_namespaces(7)): a numbering of processes. Namespaces nest;
 * a task has a PID in its own namespace and in every ancestor. PIDs are allocated
 * from 1 upwards, skipping numbers in use, and wrap at pid_max (like Linux's
 * idr_alloc_cyclic).
 *
 * The first task created in a namespace is its init (PID-01): orphans of the
 * namespace go to it (PID-10), signals reach it only through handlers (PID-11), and
 * its death kills the rest (PID-08). Namespaces nest at most 32 levels deep (PID-13).
 */
import type { Task } from './task.js';
import { Namespace, nsGet, nsPut } from '../ns/namespace.js';
import type { UserNamespace } from '../ns/user-ns.js';

/** The default /proc/sys/kernel/pid_max on 64-bit systems with ≤ 32 CPUs. */
export const PID_MAX_DEFAULT = 32768;

/** The deepest PID namespace level (MAX_PID_NS_LEVEL): creating level 33 fails with ENOSPC. */
export const MAX_PID_NS_LEVEL = 32;

export class PidNamespace extends Namespace {
  readonly nsType = 'pid' as const;
  readonly level: number;
  readonly parent: PidNamespace | null;
  /** Live tasks by their PID in this namespace. */
  readonly tasks = new Map<number, Task>();
  /** The namespace's init (PID 1), once created. */
  init: Task | null = null;
  /** The last PID handed out; the next search starts after it. */
  private lastPid = 0;
  pidMax = PID_MAX_DEFAULT;
  /** True once the init has died: no process may enter any more (PID-09). */
  initDied = false;

  constructor(parent: PidNamespace | null, inum: number, owner: UserNamespace) {
    super(inum, owner);
    this.parent = parent;
    this.level = parent ? parent.level + 1 : 0;
    if (parent) nsGet(parent);
  }

  protected override teardown(): void {
    if (this.parent) nsPut(this.parent);
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
