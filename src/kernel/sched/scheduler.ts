/**
 * The scheduler: which runnable task each CPU runs next, and for how long
 * (sched(7)). Two classes, as in Linux: real-time (SCHED_FIFO, SCHED_RR; priorities
 * 1–99, always first) and fair (SCHED_OTHER/BATCH/IDLE: a CFS-like weighted fair
 * scheduler where nice values map to weights and each task's virtual runtime grows
 * by its CPU time × 1024 / weight; the smallest virtual runtime runs next).
 *
 * Preemption: when a task is dispatched the kernel arms the CPU's one-shot timer
 * (through the Machine) at the end of its slice; at the tick the running task is
 * preempted if another deserves the CPU more. A task woken with a much smaller
 * virtual runtime preempts at once (wake-up preemption).
 *
 * Simplification: one runqueue shared by all CPUs (Linux has one per CPU plus load
 * balancing), so placement is ideal and there is no migration cost. RT throttling
 * (sched_rt_runtime_us) is not modelled.
 *
 *    enqueue ─▶ [rt lists 99..1] ─┐
 *               [fair: vruntime heap] ─▶ pickNext(cpu) ─▶ run until slice end / block
 */
import type { Ns } from '../../sim/engine.js';
import { NS_PER_MS } from '../../sim/engine.js';
import { SchedPolicy, TaskState, type Task } from '../proc/task.js';
import { FairQueue } from './fair-queue.js';
import { RtQueue } from './rt-queue.js';
import { NICE_0_WEIGHT } from './weights.js';

/** Tunables, as /proc/sys/kernel/sched_* and debugfs name them, in ns. */
export interface SchedTunables {
  /** Target period in which every runnable fair task runs once (sysctl_sched_latency). */
  latencyNs: Ns;
  /** The shortest slice a fair task gets (sysctl_sched_min_granularity). */
  minGranularityNs: Ns;
  /** How much smaller a waking task's vruntime must be to preempt (sysctl_sched_wakeup_granularity). */
  wakeupGranularityNs: Ns;
  /** The SCHED_RR quantum (/proc/sys/kernel/sched_rr_timeslice_ms). */
  rrTimesliceNs: Ns;
}

/** Linux's defaults, scaled by 1 + ilog2(min(ncpus, 8)) as the kernel does (SCHED_TUNABLESCALING_LOG). */
export function defaultTunables(ncpus: number): SchedTunables {
  const factor = 1 + Math.floor(Math.log2(Math.min(Math.max(ncpus, 1), 8)));
  return {
    latencyNs: 6 * NS_PER_MS * factor,
    minGranularityNs: 0.75 * NS_PER_MS * factor,
    wakeupGranularityNs: 1 * NS_PER_MS * factor,
    rrTimesliceNs: 100 * NS_PER_MS,
  };
}

/** The scheduler's per-CPU state. */
export interface CpuRunState {
  readonly id: number;
  /** The task on this CPU, or null when idle. */
  current: Task | null;
  /** Set when the current task should give up the CPU at the next opportunity. */
  needResched: boolean;
}

const isRt = (t: Task): boolean => t.policy === SchedPolicy.Fifo || t.policy === SchedPolicy.RR;

/** What group scheduling adds (cgroup/cpu-control.ts): group-share weights and held (parked) tasks. */
export interface GroupHooks {
  /** The weight a fair task is scheduled with. */
  weight(t: Task): number;
  /** True when `t` was parked instead of queued (its group is throttled or frozen). */
  park(t: Task): boolean;
  /** The runnable set changed. */
  changed(): void;
  readonly active: boolean;
}

export class Scheduler<C extends CpuRunState = CpuRunState> {
  readonly tunables: SchedTunables;
  /** Group scheduling, when the kernel has cgroups. */
  group: GroupHooks | null = null;
  readonly fair = new FairQueue();
  readonly rt = new RtQueue();
  /** A monotonic floor of fair tasks' virtual runtimes (cfs_rq->min_vruntime). */
  minVruntime = 0;
  private readonly cpus: C[];

  constructor(cpus: C[], tunables: SchedTunables) {
    this.cpus = cpus;
    this.tunables = tunables;
  }

  /** Runnable tasks not currently on a CPU. */
  get queued(): number {
    return this.fair.size + this.rt.size;
  }

  /** Runnable tasks including the running ones (the first field of /proc/loadavg's "R/N"). */
  nrRunning(): number {
    let n = this.queued;
    for (const c of this.cpus) if (c.current && c.current.state === TaskState.Running) n++;
    return n;
  }

  /** The weight `t` is scheduled with: its nice weight, or its share under cpu.weight. */
  w(t: Task): number {
    return this.group ? this.group.weight(t) : t.weight;
  }

  /** Total weight of runnable fair tasks, running ones included. */
  private fairLoad(): number {
    if (this.group?.active) {
      let sum = 0;
      for (const t of this.fair.tasks()) sum += this.w(t);
      for (const c of this.cpus) if (c.current && !isRt(c.current)) sum += this.w(c.current);
      return sum;
    }
    let w = this.fair.weight;
    for (const c of this.cpus) if (c.current && !isRt(c.current)) w += c.current.weight;
    return w;
  }

  /** Every queued task and every task on a CPU (those with `onRunqueue` or a `cpu`), in no particular order. */
  queuedOrRunning(): Task[] {
    const out = [...this.fair.tasks(), ...this.rt.tasks()];
    for (const c of this.cpus) if (c.current) out.push(c.current);
    return out;
  }

  /** Number of runnable fair tasks, running ones included. */
  private fairCount(): number {
    let n = this.fair.size;
    for (const c of this.cpus) if (c.current && !isRt(c.current)) n++;
    return n;
  }

  /** The wall-clock slice a fair task gets now (sched_slice()). */
  fairSlice(t: Task): Ns {
    const tu = this.tunables;
    const n = this.fairCount() + (t.onRunqueue || this.isRunning(t) ? 0 : 1);
    const nrLatency = Math.floor(tu.latencyNs / tu.minGranularityNs);
    const period = n > nrLatency ? n * tu.minGranularityNs : tu.latencyNs;
    const load = this.fairLoad() + (t.onRunqueue || this.isRunning(t) ? 0 : this.w(t));
    const slice = Math.floor((period * this.w(t)) / Math.max(load, 1));
    return Math.max(slice, tu.minGranularityNs);
  }

  private isRunning(t: Task): boolean {
    return t.cpu !== null;
  }

  /** Virtual time for `ns` of real time at weight `w`. */
  static vdelta(ns: Ns, w: number): number {
    return w === NICE_0_WEIGHT ? ns : (ns * NICE_0_WEIGHT) / w;
  }

  /** Charges `t` (running) for the time since it last was charged (update_curr()). */
  updateCurr(t: Task, now: Ns): void {
    const delta = now - t.execStart;
    if (delta <= 0) return;
    t.execStart = now;
    if (!isRt(t)) {
      t.vruntime += Scheduler.vdelta(delta, this.w(t));
      this.updateMinVruntime();
    } else if (t.policy === SchedPolicy.RR) {
      t.rrLeftNs -= delta;
    }
  }

  private updateMinVruntime(): void {
    let min = Infinity;
    for (const c of this.cpus) {
      const cur = c.current;
      if (cur && !isRt(cur) && cur.state === TaskState.Running && cur.vruntime < min) min = cur.vruntime;
    }
    const left = this.fair.peek();
    if (left && left.vruntime < min) min = left.vruntime;
    if (min !== Infinity && min > this.minVruntime) this.minVruntime = min;
  }

  /**
   * Makes `t` runnable (not running). `how` is 'new' for a forked task, 'wakeup' after
   * a sleep, 'preempted' when it lost the CPU, 'yield' for sched_yield().
   */
  enqueue(t: Task, how: 'new' | 'wakeup' | 'preempted' | 'yield'): void {
    if (t.onRunqueue) return;
    // A task of a throttled or frozen group waits off the queue until its group is let go.
    if (this.group) {
      this.group.changed();
      if (this.group.park(t)) return;
    }
    if (isRt(t)) {
      // A preempted FIFO/RR task keeps its place at the head of its list (sched(7)).
      this.rt.push(t, how === 'preempted' && (t.policy === SchedPolicy.Fifo || t.rrLeftNs > 0));
    } else {
      if (how === 'new') {
        // START_DEBIT: a new task starts one slice behind, so forking cannot starve others.
        t.vruntime = Math.max(t.vruntime, this.minVruntime + Scheduler.vdelta(this.fairSlice(t), this.w(t)));
      } else if (how === 'wakeup') {
        // GENTLE_FAIR_SLEEPERS: a sleeper gets at most half a latency of credit.
        t.vruntime = Math.max(t.vruntime, this.minVruntime - this.tunables.latencyNs / 2);
      } else if (how === 'yield') {
        // Yield: go behind every queued task.
        const last = this.fair.last();
        if (last && last.vruntime > t.vruntime) t.vruntime = last.vruntime;
      }
      this.fair.push(t);
    }
    t.onRunqueue = true;
  }

  /** Removes a queued task (it is stopping, dying or changing policy). */
  dequeue(t: Task): void {
    this.group?.changed();
    if (!t.onRunqueue) return;
    if (isRt(t)) this.rt.remove(t);
    else this.fair.remove(t);
    t.onRunqueue = false;
  }

  /** Takes the task that should run next off the queues, or null. */
  pickNext(): Task | null {
    const t = this.rt.size > 0 ? this.rt.pop() : this.fair.pop();
    this.group?.changed();
    if (!t) return null;
    t.onRunqueue = false;
    if (!isRt(t)) this.updateMinVruntime();
    return t;
  }

  /** How long `t` may run from now before the tick should look at it again (Infinity: no tick needed). */
  sliceFor(t: Task): Ns {
    if (t.policy === SchedPolicy.Fifo) return Infinity;
    if (t.policy === SchedPolicy.RR) {
      if (t.rrLeftNs <= 0) t.rrLeftNs = this.tunables.rrTimesliceNs;
      return t.rrLeftNs;
    }
    return this.fairSlice(t);
  }

  /**
   * How long the running task `t` may still run before its slice (fair) or quantum
   * (RR) is used up, from `now`; Infinity for FIFO. Never less than min_granularity
   * for fair tasks.
   */
  remainingSlice(t: Task, now: Ns): Ns {
    if (t.policy === SchedPolicy.Fifo) return Infinity;
    if (t.policy === SchedPolicy.RR) {
      if (t.rrLeftNs <= 0) t.rrLeftNs = this.tunables.rrTimesliceNs;
      return Math.max(1, t.rrLeftNs - (now - t.execStart));
    }
    return Math.max(this.fairSlice(t) - (now - t.sliceStart), this.tunables.minGranularityNs);
  }

  /** True when some queued task should run instead of `cur` at its tick (check_preempt_tick()). */
  tickWantsSwitch(cur: Task, ranNs: Ns): boolean {
    if (isRt(cur)) {
      if (this.rt.topPriority() > cur.rtPriority) return true;
      // An expired RR quantum goes to the tail of its list if another task of the same
      // priority waits (the quantum is refilled at the next dispatch).
      if (cur.policy === SchedPolicy.RR && cur.rrLeftNs <= 0) {
        if (this.rt.topPriority() === cur.rtPriority) return true;
        cur.rrLeftNs = this.tunables.rrTimesliceNs;
        return false;
      }
      return false;
    }
    if (this.rt.size > 0) return true;
    const left = this.fair.peek();
    if (!left) return false;
    const ideal = this.fairSlice(cur);
    if (ranNs >= ideal) return true;
    if (ranNs < this.tunables.minGranularityNs) return false;
    return cur.vruntime - left.vruntime > ideal;
  }

  /** True when a woken task `t` should preempt `cur` right away (check_preempt_wakeup()). */
  wakeupPreempts(cur: Task | null, t: Task): boolean {
    if (cur === null) return true;
    if (isRt(t)) return !isRt(cur) || t.rtPriority > cur.rtPriority;
    if (isRt(cur)) return false;
    if (cur.policy === SchedPolicy.Batch || cur.policy === SchedPolicy.Idle) return t.policy === SchedPolicy.Other;
    const gran = Scheduler.vdelta(this.tunables.wakeupGranularityNs, this.w(t));
    return cur.vruntime - t.vruntime > gran;
  }

  /** The CPU to preempt for a newly runnable RT task: the one running the least important task. */
  rtVictim(t: Task): C | null {
    let victim: C | null = null;
    let victimPrio = t.rtPriority;
    for (const c of this.cpus) {
      const cur = c.current;
      const prio = cur === null ? -1 : isRt(cur) ? cur.rtPriority : 0;
      if (prio < victimPrio) {
        victim = c;
        victimPrio = prio;
      }
    }
    return victim;
  }
}

export { isRt };
