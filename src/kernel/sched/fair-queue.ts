/**
 * The CFS runqueue: runnable tasks ordered by virtual runtime (Linux keeps them in a
 * red-black tree; a binary heap gives the same leftmost-first order). Ties go to the
 * lower tid so the order is deterministic.
 */
import { Heap } from 'heap-js';
import type { Task } from '../proc/task.js';

export class FairQueue {
  private readonly heap = new Heap<Task>((a, b) => a.vruntime - b.vruntime || a.tid - b.tid);
  /** Sum of the weights of queued tasks. */
  weight = 0;

  get size(): number {
    return this.heap.size();
  }

  push(t: Task): void {
    this.heap.push(t);
    this.weight += t.weight;
  }

  /** The task with the smallest vruntime, without removing it. */
  peek(): Task | undefined {
    return this.heap.peek();
  }

  pop(): Task | undefined {
    const t = this.heap.pop();
    if (t) this.weight -= t.weight;
    return t;
  }

  remove(t: Task): boolean {
    const ok = this.heap.remove(t);
    if (ok) this.weight -= t.weight;
    return ok;
  }

  /** Queued tasks in no particular order (cheap: for sums). */
  tasks(): Task[] {
    return this.heap.toArray();
  }

  /** Queued tasks in vruntime order (for /proc/sched_debug-like views). */
  sorted(): Task[] {
    return this.heap.toArray().sort((a, b) => a.vruntime - b.vruntime || a.tid - b.tid);
  }
}
