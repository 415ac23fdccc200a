/**
 * A wait queue: tasks sleeping until something happens (data in a pipe, a child's
 * exit). Waking a queue makes every sleeper runnable; each re-runs its system call,
 * which either completes or sleeps again (the usual Linux wait-loop pattern).
 */
import type { Task } from './task.js';

export class WaitQueue {
  /** Sleepers in arrival order. Invariant: a task appears at most once. */
  readonly sleepers: Task[] = [];

  add(t: Task): void {
    if (!this.sleepers.includes(t)) this.sleepers.push(t);
  }

  remove(t: Task): void {
    const i = this.sleepers.indexOf(t);
    if (i >= 0) this.sleepers.splice(i, 1);
  }

  get isEmpty(): boolean {
    return this.sleepers.length === 0;
  }
}
