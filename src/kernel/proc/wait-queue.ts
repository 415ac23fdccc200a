/**
 * A wait queue: tasks sleeping until something happens (data in a pipe, a child's
 * exit). Waking a queue makes every sleeper runnable; each re-runs its system call,
 * which either completes or sleeps again (the usual Linux wait-loop pattern).
 *
 * Linux's wait_queue_head is a doubly linked list (O(1) add and remove); ctsim's is an
 * insertion-ordered Set, which gives the same costs and keeps arrival order.
 */
import type { Task } from './task.js';

export class WaitQueue {
  /** Sleepers in arrival order; a task appears at most once (null until the first: most queues stay empty). */
  private set: Set<Task> | null = null;

  add(t: Task): void {
    (this.set ??= new Set()).add(t);
  }

  remove(t: Task): void {
    this.set?.delete(t);
  }

  has(t: Task): boolean {
    return this.set?.has(t) ?? false;
  }

  /** The sleepers in arrival order (a copy: waking them changes the queue). */
  get sleepers(): Task[] {
    return this.set ? [...this.set] : [];
  }

  get isEmpty(): boolean {
    return this.set === null || this.set.size === 0;
  }
}
