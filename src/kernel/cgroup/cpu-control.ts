/**
 * The cpu controller and the freezer, enforced by the scheduler (cgroup-v2.rst
 * "CPU", "Core Interface Files" cgroup.freeze).
 *
 * cpu.weight — group scheduling. Linux gives each group a scheduling entity with
 * shares = weight × 1024 / 100 that competes with its siblings; the tasks inside
 * split what the group gets. ctsim has one fair runqueue, so it flattens the
 * hierarchy: each runnable task's effective weight is its share of the whole —
 * the product, level by level, of its entity's weight over the runnable weight at
 * that level — times the root level's total (so that without groups nothing
 * changes). Two hogs in groups of weight 100 and 300 get 1/4 and 3/4 of a CPU.
 *
 * cpu.max — bandwidth control (CFS bandwidth). A group with a quota may run
 * `quota` µs per `period` µs across all CPUs; CPU time is charged as it is used,
 * and at zero the group is throttled: its running tasks are rescheduled and its
 * runnable tasks parked off the runqueue until the period timer refills the quota.
 * cpu.stat counts nr_periods (periods with work), nr_throttled and throttled_usec.
 *
 * cgroup.freeze — frozen groups' tasks are parked the same way (and read as
 * sleeping); SIGKILL still reaches them.
 *
 * Simplification: one runqueue for all CPUs, so a group's share is computed over the
 * machine rather than per CPU; a throttled group's debt carries into the next period
 * instead of Linux's per-CPU runtime slices.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { TaskState } from '../proc/task.js';
import type { Cgroup } from './cgroup.js';
import type { Ns, SimEvent } from '../../sim/engine.js';
import { SIG } from '../proc/signals.js';
import { NICE_0_WEIGHT } from '../sched/weights.js';

/** A group entity's weight from cpu.weight (the kernel's shares = weight × 1024 / 100). */
function shares(cg: Cgroup): number {
  return (cg.cpu.weight * NICE_0_WEIGHT) / 100;
}

export class CpuControl {
  private readonly k: Kernel;
  /** Effective weights of runnable tasks, recomputed when the runnable set changed. */
  private readonly effective = new Map<Task, number>();
  private dirty = true;
  /** True when some group is frozen (the freezer works without the cpu controller). */
  anyFrozen = false;
  /**
   * The groups whose `cpu.parked` is not empty, so that a migration need not visit every
   * group of a host with thousands of containers to find none.
   * Invariant: holds every group with a parked task (`parked` changes only in this file).
   */
  private readonly parkedGroups = new Set<Cgroup>();

  constructor(k: Kernel) {
    this.k = k;
  }

  /** True when some group has the cpu controller enabled (else every hook is a no-op). */
  get active(): boolean {
    return this.k.cgroupRoot.subtreeControl.has('cpu');
  }

  /** The runnable set changed (a task was queued, dequeued, picked or blocked). */
  changed(): void {
    this.dirty = true;
  }

  /** The weight the scheduler uses for `t`: its nice weight, or its flattened group share. */
  weight(t: Task): number {
    if (!this.active) return t.weight;
    if (this.dirty) this.recompute();
    return this.effective.get(t) ?? t.weight;
  }

  /** The group whose entity `cg`'s tasks belong to: the nearest with cpu active, or the root. */
  private entityOf(cg: Cgroup): Cgroup {
    let c = cg;
    while (c.parent && !c.has('cpu')) c = c.parent;
    return c;
  }

  private recompute(): void {
    this.dirty = false;
    this.effective.clear();
    // The scheduler's queues and CPUs rather than every task of the kernel (a host with
    // thousands of containers has tens of thousands, nearly all asleep), taken in the
    // kernel's task order so that the sums below add up in the same order.
    const runnable = this.k.sched.queuedOrRunning().filter((t) => t.state === TaskState.Running && !t.exiting && (t.onRunqueue || t.cpu !== null) && this.k.tasks.get(t.tid) === t);
    runnable.sort((a, b) => a.seq - b.seq);
    // The runnable weight at each level: tasks directly there, plus child entities with runnable tasks.
    const levelWeight = new Map<Cgroup, number>();
    const seenEntity = new Set<Cgroup>();
    const add = (level: Cgroup, w: number): void => void levelWeight.set(level, (levelWeight.get(level) ?? 0) + w);
    for (const t of runnable) {
      let e = this.entityOf(t.cgroup);
      add(e, t.weight);
      while (e.parent && !seenEntity.has(e)) {
        seenEntity.add(e);
        const up = this.entityOf(e.parent);
        add(up, shares(e));
        e = up;
      }
    }
    const rootWeight = levelWeight.get(this.k.cgroupRoot) ?? NICE_0_WEIGHT;
    for (const t of runnable) {
      let e = this.entityOf(t.cgroup);
      let share = t.weight / (levelWeight.get(e) ?? t.weight);
      while (e.parent) {
        const up = this.entityOf(e.parent);
        share *= shares(e) / (levelWeight.get(up) ?? shares(e));
        e = up;
      }
      this.effective.set(t, Math.max(1, share * rootWeight));
    }
  }

  /** The outermost group holding `t` back (throttled by cpu.max or frozen), or null. */
  private holder(t: Task): Cgroup | null {
    let found: Cgroup | null = null;
    for (let c: Cgroup | null = t.cgroup; c !== null; c = c.parent) if (c.frozen || c.cpu.throttled) found = c;
    return found;
  }

  /**
   * Called instead of queueing a runnable task: true when it was parked because its
   * group is throttled or frozen. A task with SIGKILL pending is never held.
   */
  park(t: Task): boolean {
    if (!this.active && !this.anyFrozen) return false;
    const h = this.holder(t);
    if (!h || t.sigPending.has(SIG.SIGKILL)) return false;
    if (!h.cpu.parked.includes(t)) h.cpu.parked.push(t);
    this.parkedGroups.add(h);
    return true;
  }

  /** True when `t` (running) should leave the CPU now because its group is throttled or frozen. */
  mustStop(t: Task): boolean {
    return this.holder(t) !== null && !t.sigPending.has(SIG.SIGKILL);
  }

  /** A parked task got SIGKILL: let it run to its death. */
  release(t: Task): void {
    for (let c: Cgroup | null = t.cgroup; c !== null; c = c.parent) {
      const i = c.cpu.parked.indexOf(t);
      if (i >= 0) {
        c.cpu.parked.splice(i, 1);
        if (c.cpu.parked.length === 0) this.parkedGroups.delete(c);
        this.requeue(t);
      }
    }
  }

  /** True when `t` is parked by a frozen group (it reads as sleeping, CG-11). */
  frozen(t: Task): boolean {
    for (let c: Cgroup | null = t.cgroup; c !== null; c = c.parent) if (c.frozen) return true;
    return false;
  }

  /** ns `t` may still run before a cpu.max quota of its groups runs out (Infinity: no quota). */
  quotaLeft(t: Task): Ns {
    let left = Infinity;
    if (!this.active) return left;
    for (let c: Cgroup | null = t.cgroup; c !== null; c = c.parent) {
      if (c.has('cpu') && c.cpu.quotaUs !== Infinity) left = Math.min(left, Math.max(1, c.cpu.runtimeLeftNs));
    }
    return left;
  }

  /** CPU time `t` used: cpu.stat usage for its groups, and the quota of groups with cpu.max. */
  charge(t: Task, ns: Ns, user: boolean): void {
    const now = this.k.now;
    for (let c: Cgroup | null = t.cgroup; c !== null; c = c.parent) {
      const s = c.cpu;
      s.usageNs += ns;
      if (user) s.userNs += ns;
      else s.systemNs += ns;
      if (s.quotaUs === Infinity || !c.has('cpu')) continue;
      this.ensurePeriod(c, now);
      s.runtimeLeftNs -= ns;
      if (s.runtimeLeftNs <= 0 && !s.throttled) this.throttle(c, now);
    }
  }

  /** Starts the period timer of a group with a quota when it has work and none is running. */
  private ensurePeriod(c: Cgroup, now: Ns): void {
    const s = c.cpu;
    if (s.periodTimer !== null) return;
    s.runtimeLeftNs = s.quotaUs * 1000;
    s.activePeriod = 0;
    s.nrPeriods++;
    s.throttledThisPeriod = false;
    s.periodTimer = this.k.engine.at(now + s.periodUs * 1000, () => this.periodEnd(c));
  }

  /** The period timer: refill the quota, unthrottle, and keep ticking while the group has work. */
  private periodEnd(c: Cgroup): void {
    const s = c.cpu;
    const now = this.k.now;
    s.periodTimer = null;
    if (s.quotaUs === Infinity || !c.alive) {
      this.unthrottle(c, now);
      return;
    }
    const quota = s.quotaUs * 1000;
    s.runtimeLeftNs = Math.min(s.runtimeLeftNs + quota, quota + s.burstUs * 1000);
    if (s.runtimeLeftNs > 0) this.unthrottle(c, now);
    const busy = s.throttled || this.hasWork(c);
    s.throttledThisPeriod = s.throttled;
    if (!busy) return;
    s.nrPeriods++;
    s.periodTimer = this.k.engine.at(now + s.periodUs * 1000, () => this.periodEnd(c));
  }

  private hasWork(c: Cgroup): boolean {
    for (const g of c.subtree()) for (const t of g.tasks) if (t.state === TaskState.Running && !t.exiting) return true;
    return false;
  }

  private throttle(c: Cgroup, now: Ns): void {
    const s = c.cpu;
    s.throttled = true;
    s.throttledSince = now;
    if (!s.throttledThisPeriod) {
      s.nrThrottled++;
      s.throttledThisPeriod = true;
    }
    if (this.k.engine.trace.on('cgroup')) this.k.engine.trace.emit('cgroup', 'throttle', { cgroup: c.path, quota_us: s.quotaUs, period_us: s.periodUs });
    this.holdSubtree(c);
  }

  /** Parks the queued tasks of `c`'s subtree and makes CPUs running its tasks reschedule. */
  private holdSubtree(c: Cgroup): void {
    const k = this.k;
    for (const g of c.subtree()) {
      for (const t of g.tasks) {
        if (t.onRunqueue) {
          k.sched.dequeue(t);
          if (!c.cpu.parked.includes(t)) c.cpu.parked.push(t);
          this.parkedGroups.add(c);
        }
      }
    }
    for (const pc of k.percpu) if (pc.current && pc.current.cgroup.isWithin(c)) k.resched(pc);
    this.changed();
  }

  private unthrottle(c: Cgroup, now: Ns): void {
    const s = c.cpu;
    if (!s.throttled) return;
    s.throttled = false;
    s.throttledNs += now - s.throttledSince;
    if (this.k.engine.trace.on('cgroup')) this.k.engine.trace.emit('cgroup', 'unthrottle', { cgroup: c.path, throttled_us: Math.floor((now - s.throttledSince) / 1000) });
    this.wakeParked(c);
  }

  /** Puts the tasks parked in `c` back on the runqueue (they may be parked again by another holder). */
  private wakeParked(c: Cgroup): void {
    const parked = c.cpu.parked.splice(0);
    this.parkedGroups.delete(c);
    for (const t of parked) this.requeue(t);
  }

  private requeue(t: Task): void {
    if (t.state !== TaskState.Running || t.onRunqueue || t.cpu !== null) return;
    this.k.sched.enqueue(t, 'wakeup');
    if (t.onRunqueue) this.k.kick(t);
  }

  /** cgroup.freeze: 1 holds every task of the subtree, 0 lets them go. */
  setFrozen(c: Cgroup, on: boolean): void {
    if (c.frozen === on) return;
    c.frozen = on;
    this.anyFrozen = this.k.cgroupRoot.subtree().some((g) => g.frozen);
    if (on) this.holdSubtree(c);
    else {
      this.wakeParked(c);
      this.changed();
    }
  }

  /** cpu.max was written: a group without a quota any more is let go. */
  quotaChanged(c: Cgroup): void {
    const s = c.cpu;
    if (s.quotaUs === Infinity) {
      this.k.engine.cancel(s.periodTimer as SimEvent | null);
      s.periodTimer = null;
      this.unthrottle(c, this.k.now);
    } else if (s.runtimeLeftNs > s.quotaUs * 1000) {
      s.runtimeLeftNs = s.quotaUs * 1000;
    }
    this.changed();
  }

  groupCreated(_c: Cgroup): void {
    this.changed();
  }

  groupRemoved(c: Cgroup): void {
    this.k.engine.cancel(c.cpu.periodTimer as SimEvent | null);
    c.cpu.periodTimer = null;
    this.changed();
  }

  /** A task moved between groups: its weight changes, and it may now be held (or free). */
  taskMoved(t: Task): void {
    this.changed();
    // Held by the group it left (frozen or throttled): it is free of that now (cgroup_freezer_migrate_task).
    if (this.parkedGroups.size > 0) {
      for (const g of this.k.cgroupRoot.subtree()) {
        const i = g.cpu.parked.indexOf(t);
        if (i >= 0) {
          g.cpu.parked.splice(i, 1);
          if (g.cpu.parked.length === 0) this.parkedGroups.delete(g);
          if (!this.park(t)) this.requeue(t);
        }
      }
    }
    if (t.onRunqueue && this.holder(t)) {
      this.k.sched.dequeue(t);
      this.park(t);
    }
    if (t.cpu !== null && this.mustStop(t)) this.k.resched(this.k.percpu[t.cpu.id]);
  }
}

/** The kernel's cpu controller. */
export function cpuControl(k: Kernel): CpuControl {
  return k.cpuControl;
}
