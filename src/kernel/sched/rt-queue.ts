/**
 * The real-time runqueue (sched(7): SCHED_FIFO and SCHED_RR): one FIFO list per
 * priority 1..99; the highest non-empty priority runs first, always before any
 * SCHED_OTHER task.
 */
import type { Task } from '../proc/task.js';

export class RtQueue {
  private readonly lists: Task[][] = [];
  size = 0;

  /** Adds `t` at the tail of its priority's list (or the head when `head`, as for a preempted FIFO task). */
  push(t: Task, head = false): void {
    const l = (this.lists[t.rtPriority] ??= []);
    if (head) l.unshift(t);
    else l.push(t);
    this.size++;
  }

  /** The highest priority among queued tasks, or 0. */
  topPriority(): number {
    for (let p = 99; p >= 1; p--) if (this.lists[p]?.length) return p;
    return 0;
  }

  peek(): Task | undefined {
    const p = this.topPriority();
    return p ? this.lists[p][0] : undefined;
  }

  pop(): Task | undefined {
    const p = this.topPriority();
    if (!p) return undefined;
    this.size--;
    return this.lists[p].shift();
  }

  /** Every queued task, highest priority first. */
  tasks(): Task[] {
    const out: Task[] = [];
    for (let p = 99; p >= 1; p--) if (this.lists[p]?.length) out.push(...this.lists[p]);
    return out;
  }

  remove(t: Task): boolean {
    const l = this.lists[t.rtPriority];
    const i = l ? l.indexOf(t) : -1;
    if (i < 0) return false;
    l!.splice(i, 1);
    this.size--;
    return true;
  }
}
