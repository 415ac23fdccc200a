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

/** PIDs a bitmap word covers, and a block of words whose count of PIDs in use is kept. */
const WORD = 32;
const BLOCK = 1024;

/**
 * Live tasks by PID, with a bitmap of the PIDs in use, so that the next free PID is
 * found without probing every number (Linux: idr_alloc_cyclic over the namespace's
 * radix tree): a word at a time, skipping whole blocks of 1,024 in use. A fork bomb
 * fills the table; each failing fork then costs pid_max / 1,024 steps, not pid_max.
 */
export class PidTable extends Map<number, Task> {
  /** Bit set: the PID is in use. Grows as PIDs are taken. */
  private words = new Uint32Array(0);
  /** PIDs in use per block of BLOCK. */
  private blockUsed = new Uint16Array(0);

  override set(pid: number, t: Task): this {
    if (!super.has(pid)) this.mark(pid, true);
    return super.set(pid, t);
  }

  override delete(pid: number): boolean {
    const had = super.delete(pid);
    if (had) this.mark(pid, false);
    return had;
  }

  override clear(): void {
    super.clear();
    this.words.fill(0);
    this.blockUsed.fill(0);
  }

  private mark(pid: number, used: boolean): void {
    const w = Math.floor(pid / WORD);
    if (w >= this.words.length) {
      if (!used) return;
      const blocks = Math.floor(w / (BLOCK / WORD)) + 1;
      const words = new Uint32Array(blocks * (BLOCK / WORD));
      words.set(this.words);
      const counts = new Uint16Array(blocks);
      counts.set(this.blockUsed);
      this.words = words;
      this.blockUsed = counts;
    }
    const bit = 1 << pid % WORD;
    if (used) this.words[w] |= bit;
    else this.words[w] &= ~bit;
    this.blockUsed[Math.floor(pid / BLOCK)] += used ? 1 : -1;
  }

  /** The lowest PID in [from, end) that is not in use, or -1. */
  nextFree(from: number, end: number): number {
    const words = this.words;
    let p = from;
    while (p < end) {
      const w = Math.floor(p / WORD);
      if (w >= words.length) return p;
      if (p % BLOCK === 0 && this.blockUsed[p / BLOCK] === BLOCK) {
        p += BLOCK;
        continue;
      }
      const free = ~words[w] & (0xffffffff << p % WORD);
      if (free !== 0) {
        const q = w * WORD + (31 - Math.clz32(free & -free));
        return q < end ? q : -1;
      }
      p = (w + 1) * WORD;
    }
    return -1;
  }
}

export class PidNamespace extends Namespace {
  readonly nsType = 'pid' as const;
  readonly level: number;
  readonly parent: PidNamespace | null;
  /** Live tasks by their PID in this namespace. */
  readonly tasks = new PidTable();
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

  /** The next free PID after the last one handed out, wrapping at pid_max; 0 when every PID is in use. */
  allocate(): number {
    // Like Linux, PIDs wrap to 300 (RESERVED_PIDS) in the initial namespace, to 2 elsewhere.
    const wrapTo = this.level === 0 ? 300 : 2;
    let pid = this.tasks.nextFree(Math.max(1, this.lastPid + 1), this.pidMax);
    if (pid < 0) pid = this.tasks.nextFree(wrapTo, Math.min(this.lastPid + 1, this.pidMax));
    if (pid < 0) return 0;
    this.lastPid = pid;
    return pid;
  }

  /** Live tasks in PID order. */
  sortedTasks(): Task[] {
    return [...this.tasks.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }
}
