/**
 * The simulation engine: one virtual clock in integer nanoseconds and the events of the
 * whole simulation (host, containers, VMs), ordered by (time, sequence) — kept in two
 * heaps, one for the events that keep the simulation busy and one for deferrable ones,
 * so that scheduling, cancelling and finding the next of either kind are O(log n).
 *
 * Two kinds of work advance time:
 *  - events: callbacks scheduled at a time (timers, wakeups, device completions);
 *  - processors: things that execute a stream of actions, each at its own `nextTime`
 *    (CPUs). A processor is run when its `nextTime` is the earliest pending time;
 *    it may then run several actions in a row while they stay before `horizon`
 *    (the next event or the next action of another processor). This keeps the hot
 *    path (a CPU running a task's operations) out of the heap.
 *
 * Ordering rule (deterministic): at equal times events run before processors, and
 * processors run in registration order. Invariant: `now` never decreases.
 */
import { GUARD_EVERY, GuardStop, type Guard } from './guard.js';
import { Heap } from 'heap-js';
import { Rng } from './rng.js';
import { Trace } from './trace.js';
import { Metrics } from './metrics.js';

/** Nanoseconds of simulated time. Invariant: a non-negative safe integer. */
export type Ns = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_SEC = 1_000_000_000;

const byTimeSeq = (a: SimEvent, b: SimEvent): number => a.time - b.time || a.seq - b.seq;

/** The earliest live event of `h`, dropping cancelled ones from the top (O(log n) each). */
function liveTop(h: Heap<SimEvent>): SimEvent | undefined {
  for (;;) {
    const top = h.peek();
    if (top === undefined || top.fn !== null) return top;
    h.pop();
  }
}

/** A scheduled callback. Cancelling marks it; the heap drops it when it reaches the top. */
export interface SimEvent {
  readonly time: Ns;
  readonly seq: number;
  fn: (() => void) | null;
  /**
   * A deferrable event (Linux's TIMER_DEFERRABLE): it runs in time order when time
   * passes, but does not keep the simulation busy — with only deferrable events left
   * and no limit, `run` returns 'idle' (periodic protocol timers such as LACP's).
   */
  readonly deferrable: boolean;
}

/** Something that executes actions at times of its own choosing (a CPU). */
export interface Processor {
  /** When this processor's next action is due; Infinity while it has nothing to do. */
  nextTime: Ns;
  /**
   * Runs at least the action due at `nextTime`, then more while `nextTime < engine.horizon`.
   * Precondition: `engine.now === nextTime`.
   */
  step(): void;
}

export interface RunLimits {
  /** Stop before any action later than this time (inclusive bound). */
  until?: Ns;
  /**
   * Let time pass up to `until` even with only deferrable events left (runUntil,
   * advanceTo); otherwise those alone make the engine 'idle'.
   */
  deferrable?: boolean;
  /** Stop after this many engine iterations (events + processor steps); a guard. */
  maxSteps?: number;
}

/** Why `run` returned. */
export type StopReason = 'stopped' | 'idle' | 'until' | 'max-steps';

export class Engine {
  /** The current simulated time in ns. */
  now: Ns = 0;
  /**
   * The earliest time at which something other than the running processor may act.
   * Processors stop their inner loop when their next action is not before it.
   */
  horizon: Ns = Infinity;
  readonly rng: Rng;
  readonly trace: Trace;
  readonly metrics: Metrics;

  /** Events that keep the simulation busy, and deferrable ones, each a heap in (time, seq) order. */
  private readonly heap = new Heap<SimEvent>(byTimeSeq);
  private readonly deferred = new Heap<SimEvent>(byTimeSeq);
  private seq = 0;
  private readonly processors: Processor[] = [];
  /** Processors to take out at the next step (the scan must not change under a running step). */
  private readonly removals: Processor[] = [];
  private stopRequested = false;
  /** Live events in the heap that are not deferrable. */
  private pending = 0;
  /** Events run and processor steps taken so far. */
  steps = 0;
  /**
   * Events run and CPU actions taken so far (a CPU counts each of its actions, many in
   * one processor step): what a guard's maxEvents counts (src/sim/guard.ts).
   */
  actions = 0;
  /** When `actions` reaches this, the guard is asked (Infinity without one); a CPU ends its step there. */
  checkAt = Infinity;
  private guard: Guard | null = null;
  /** `actions` when the guard was set. */
  private guardBase = 0;

  constructor(seed: number) {
    this.rng = new Rng(seed);
    this.trace = new Trace(this);
    this.metrics = new Metrics();
  }

  get seed(): number {
    return this.rng.seed;
  }

  /** Schedules `fn` at absolute time `time` (clamped to now); `deferrable` events do not keep the simulation busy. */
  at(time: Ns, fn: () => void, deferrable = false): SimEvent {
    const t = time < this.now ? this.now : time;
    const ev: SimEvent = { time: t, seq: this.seq++, fn, deferrable };
    if (!deferrable) this.pending++;
    (deferrable ? this.deferred : this.heap).push(ev);
    if (t < this.horizon) this.horizon = t;
    return ev;
  }

  /** Schedules `fn` after `delay` ns. */
  after(delay: Ns, fn: () => void, deferrable = false): SimEvent {
    return this.at(this.now + delay, fn, deferrable);
  }

  /** Cancels an event; a cancelled or already-run event is left alone. */
  cancel(ev: SimEvent | null | undefined): void {
    if (!ev || ev.fn === null) return;
    if (!ev.deferrable) this.pending--;
    ev.fn = null;
  }

  /** Adds a processor (a CPU). Processors run in the order they were added at equal times. */
  addProcessor(p: Processor): void {
    this.processors.push(p);
  }

  /** Takes a processor out for good (a stopped VM's vCPU), before the next step. */
  removeProcessor(p: Processor): void {
    this.removals.push(p);
  }

  private applyRemovals(): void {
    for (const p of this.removals) {
      const i = this.processors.indexOf(p);
      if (i >= 0) this.processors.splice(i, 1);
    }
    this.removals.length = 0;
  }

  /**
   * Tells the engine that processor `p` now has an action due at `time` (e.g. an idle CPU
   * was given work). Lowers the horizon so a running processor yields in time.
   */
  poke(p: Processor, time: Ns): void {
    const t = time < this.now ? this.now : time;
    if (t < p.nextTime) p.nextTime = t;
    if (t < this.horizon) this.horizon = t;
  }

  /**
   * Takes over everything `other` has pending — its events, and those of its processors
   * `keep` accepts — and makes `other` a forwarder to this engine, so that whatever
   * still holds `other` (a VM's guest kernel moved from another simulated host) reads
   * this clock and schedules here. `other`'s clock may stand behind this one (what it
   * had due meanwhile runs at once: its clock jumps); never ahead. The processors kept
   * must have nothing due before this engine's time. Events keep their order (time,
   * then their order in `other`).
   */
  absorb(other: Engine, keep: (p: Processor) => boolean): void {
    if (other.now > this.now) throw new Error(`engine.absorb: the other clock is ahead (${other.now} > ${this.now})`);
    const moved: SimEvent[] = [];
    for (const h of [other.heap, other.deferred]) {
      while (h.size() > 0) {
        const ev = h.pop()!;
        if (ev.fn !== null) moved.push(ev);
      }
    }
    moved.sort(byTimeSeq);
    for (const ev of moved) {
      const fn = ev.fn!;
      ev.fn = null;
      const mine = this.at(ev.time, fn, ev.deferrable);
      // An event object held by its owner (to cancel it) must stay cancellable: forward its cancellation.
      Object.defineProperty(ev, 'fn', {
        get: () => mine.fn,
        set: (v: (() => void) | null) => {
          mine.fn = v;
        },
      });
    }
    for (const p of other.processors) if (keep(p)) this.addProcessor(p);
    other.processors.length = 0;
    Object.defineProperty(other, 'now', { get: () => this.now, set: (v: Ns) => (this.now = v) });
    Object.defineProperty(other, 'horizon', { get: () => this.horizon, set: (v: Ns) => (this.horizon = v) });
    // A CPU of the other engine's kernel counts its actions here and ends its step at this engine's guard check.
    Object.defineProperty(other, 'actions', { get: () => this.actions, set: (v: number) => (this.actions = v) });
    Object.defineProperty(other, 'checkAt', { get: () => this.checkAt });
    other.at = (time, fn, deferrable) => this.at(time, fn, deferrable);
    other.after = (delay, fn, deferrable) => this.after(delay, fn, deferrable);
    other.cancel = (ev) => this.cancel(ev);
    other.poke = (p, time) => this.poke(p, time);
    other.addProcessor = (p) => this.addProcessor(p);
    other.removeProcessor = (p) => this.removeProcessor(p);
    other.run = (limits) => this.run(limits);
    other.stop = () => this.stop();
    other.advanceTo = (t) => this.advanceTo(t);
    other.runUntil = (t) => this.runUntil(t);
    other.setGuard = (g) => this.setGuard(g);
  }

  /**
   * Sets (or, with null, removes) the guard limits of the runs that follow; its
   * maxEvents counts from now. A run that reaches one throws a GuardStop.
   */
  setGuard(guard: Guard | null): void {
    this.guard = guard;
    this.guardBase = this.actions;
    this.checkAt = guard === null ? Infinity : this.actions + Math.min(guard.every ?? GUARD_EVERY, guard.maxEvents);
  }

  /** Between two steps, once `actions` reached `checkAt`: stops the run if a guard limit is reached. */
  private checkGuard(): void {
    const g = this.guard;
    if (g === null) {
      this.checkAt = Infinity;
      return;
    }
    const used = this.actions - this.guardBase;
    if (used >= g.maxEvents) {
      throw new GuardStop('events', `the simulation ran ${used} events and CPU actions (the --max-events limit)`, used, this.now, g.describe?.());
    }
    const why = g.check?.();
    if (why) throw new GuardStop(why.limit, why.message, used, this.now, g.describe?.());
    this.checkAt = this.actions + Math.min(g.every ?? GUARD_EVERY, g.maxEvents - used);
  }

  /** Asks `run` to return after the current action. */
  stop(): void {
    this.stopRequested = true;
    this.horizon = -Infinity;
  }

  /** When the next event or processor action is due (Infinity when idle). */
  nextActionTime(): Ns {
    let t = this.peekTime();
    for (const p of this.processors) if (p.nextTime < t) t = p.nextTime;
    return t;
  }

  /**
   * Moves the clock forward to `t` when nothing is due before then — the simulated
   * machine simply waited (an interactive session keeping pace with the wall clock).
   */
  advanceTo(t: Ns): void {
    const limit = this.nextWorkTime();
    const target = t < limit ? t : limit;
    if (!(target > this.now) || !Number.isFinite(target)) return;
    // Deferrable events due meanwhile run as the time passes.
    this.run({ until: Math.floor(target), deferrable: true });
    if (target > this.now) this.now = Math.floor(target);
  }

  /** When the next non-deferrable event or processor action is due (Infinity when idle). */
  private nextWorkTime(): Ns {
    let t = liveTop(this.heap)?.time ?? Infinity;
    for (const p of this.processors) if (p.nextTime < t) t = p.nextTime;
    return t;
  }

  /** Runs what is due up to `t`, then lets the clock stand at `t` (the machines simply waited). */
  runUntil(t: Ns): StopReason {
    const r = this.run({ until: t, deferrable: true });
    this.advanceTo(t);
    return r;
  }

  /** True when nothing but deferrable events is scheduled and no processor has work. */
  isIdle(): boolean {
    if (this.pending > 0) return false;
    for (const p of this.processors) if (p.nextTime !== Infinity) return false;
    return true;
  }

  /** The heap holding the earliest live event (either kind), or null when there is none. */
  private nextHeap(): Heap<SimEvent> | null {
    const a = liveTop(this.heap);
    const b = liveTop(this.deferred);
    if (a === undefined) return b === undefined ? null : this.deferred;
    return b === undefined || byTimeSeq(a, b) < 0 ? this.heap : this.deferred;
  }

  /** Time of the earliest live event, or Infinity. */
  private peekTime(): Ns {
    return this.nextHeap()?.peek()!.time ?? Infinity;
  }

  /** Runs events and processors in time order until stopped, idle, or a limit is reached. */
  run(limits: RunLimits = {}): StopReason {
    const until = limits.until ?? Infinity;
    const maxSteps = limits.maxSteps ?? Infinity;
    const procs = this.processors;
    if (this.removals.length > 0) this.applyRemovals();
    let n = procs.length;
    let steps = 0;
    this.stopRequested = false;
    for (;;) {
      if (this.stopRequested) {
        this.stopRequested = false;
        this.horizon = Infinity;
        return 'stopped';
      }
      if (steps >= maxSteps) return 'max-steps';
      if (this.actions >= this.checkAt) this.checkGuard();
      if (this.removals.length > 0) {
        this.applyRemovals();
        n = procs.length;
      }
      const evHeap = this.nextHeap();
      const evTime = evHeap === null ? Infinity : evHeap.peek()!.time;
      // Earliest processor, and the earliest of the others (its horizon).
      let best: Processor | null = null;
      let bestTime = Infinity;
      let second = Infinity;
      for (let i = 0; i < n; i++) {
        const p = procs[i];
        const t = p.nextTime;
        if (t < bestTime) {
          second = bestTime;
          bestTime = t;
          best = p;
        } else if (t < second) {
          second = t;
        }
      }
      if (evTime <= bestTime) {
        if (evTime === Infinity) return 'idle';
        // Only deferrable events left: they run only while the caller lets time pass.
        if (bestTime === Infinity && this.pending === 0 && (!limits.deferrable || until === Infinity)) return 'idle';
        if (evTime > until) return 'until';
        const ev = evHeap!.pop()!;
        this.now = ev.time;
        const fn = ev.fn!;
        ev.fn = null;
        if (!ev.deferrable) this.pending--;
        steps++;
        this.steps++;
        this.actions++;
        fn();
        continue;
      }
      if (bestTime > until) return 'until';
      this.now = bestTime;
      // The processor may continue while strictly before the next event, the next other
      // processor, and the run limit.
      let h = evTime < second ? evTime : second;
      if (until + 1 < h) h = until + 1;
      this.horizon = h;
      steps++;
      this.steps++;
      this.actions++;
      best!.step();
      this.horizon = Infinity;
    }
  }
}
