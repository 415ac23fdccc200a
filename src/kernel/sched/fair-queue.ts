/**
 * The CFS runqueue: runnable tasks ordered by virtual runtime. Linux keeps them in a
 * red-black tree with the leftmost node cached; ctsim keeps them in a B+ tree
 * (sorted-btree), which gives the same order and the same costs: insert, remove and
 * the leftmost/rightmost task in O(log n). Ties go to the lower tid so the order is
 * deterministic. A queued task's vruntime must not change (callers dequeue first).
 */
import sortedBtree from 'sorted-btree';
import type { Task } from '../proc/task.js';

// A CommonJS package: Node's import gives module.exports, vitest's gives its default export.
const BTree = (typeof sortedBtree === 'function' ? sortedBtree : sortedBtree.default) as typeof sortedBtree.default;
const byVruntime = (a: Task, b: Task): number => a.vruntime - b.vruntime || a.tid - b.tid;

export class FairQueue {
  private readonly tree = new BTree<Task, undefined>(undefined, byVruntime);
  /** Sum of the weights of queued tasks. */
  weight = 0;

  get size(): number {
    return this.tree.size;
  }

  push(t: Task): void {
    this.tree.set(t, undefined);
    this.weight += t.weight;
  }

  /** The task with the smallest vruntime (the leftmost), without removing it. */
  peek(): Task | undefined {
    return this.tree.minKey();
  }

  /** The task with the largest vruntime (the rightmost), without removing it. */
  last(): Task | undefined {
    return this.tree.maxKey();
  }

  pop(): Task | undefined {
    const t = this.tree.minKey();
    if (t === undefined) return undefined;
    this.tree.delete(t);
    this.weight -= t.weight;
    return t;
  }

  remove(t: Task): boolean {
    const ok = this.tree.delete(t);
    if (ok) this.weight -= t.weight;
    return ok;
  }

  /** Queued tasks in vruntime order. */
  tasks(): Task[] {
    return this.tree.keysArray();
  }
}
