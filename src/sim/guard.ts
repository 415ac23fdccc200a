/**
 * The simulator's own guard limits: what stops a run that would otherwise go on for
 * ever or exhaust the real machine (a fork bomb, an endless loop) — not a limit of the
 * simulated machine, whose kernel has its own (pid_max, the OOM killer, cgroups).
 *
 * The engine counts its events and every action of a simulated CPU (a user burst that
 * ends, a system call, a timer tick); every `GUARD_EVERY` of them, and when the count
 * reaches `maxEvents`, it asks the guard, which may stop the run by throwing a
 * `GuardStop`. Counting is deterministic; what `check` looks at (the host's memory) need
 * not be — it is supplied from outside src/ (the CLI edge).
 */

/** How many engine events and CPU actions pass between two looks at a guard. */
export const GUARD_EVERY = 1 << 13;

/** Which limit stopped the run. */
export type GuardLimit = 'events' | 'memory';

export interface Guard {
  /** Stop once this many engine events and CPU actions have run since the guard was set. */
  maxEvents: number;
  /** How many actions pass between two looks (default GUARD_EVERY). */
  every?: number;
  /** Asked every `every` actions: a reason to stop now, or null. */
  check?: () => { limit: GuardLimit; message: string } | null;
  /** What the simulated machines hold when it stops ("32768 tasks"), for the message. */
  describe?: () => string;
}

/** The limits a command sets (the CLI's --max-events and --max-memory): plain data, so they cross to worker threads. */
export interface GuardLimits {
  /** Engine events and CPU actions per run (Infinity: none). */
  maxEvents: number;
  /** This machine's memory ctsim may use, bytes; watched by a check the CLI edge supplies. */
  maxMemoryBytes: number;
}

/** Thrown out of `Engine.run` when a guard limit is reached; the simulation is abandoned. */
export class GuardStop extends Error {
  readonly limit: GuardLimit;
  /** Events and CPU actions run since the guard was set. */
  readonly events: number;
  /** The simulated time when it stopped, ns. */
  readonly atNs: number;
  /** What the simulated machines held then, when the guard says (Guard.describe). */
  readonly detail: string | undefined;
  /** What became of the run's state, when whoever ran it knows (a kept host not saved). */
  afterward: string | undefined;
  /** What to do about it, when whoever ran it knows better than the default hint (a command without --time-limit). */
  hint: string | undefined;

  constructor(limit: GuardLimit, message: string, events: number, atNs: number, detail?: string) {
    super(message);
    this.name = 'GuardStop';
    this.limit = limit;
    this.events = events;
    this.atNs = atNs;
    this.detail = detail;
  }
}

/** A GuardStop as plain data (to cross a thread), and back. */
export type GuardStopFacts = Pick<GuardStop, 'limit' | 'message' | 'events' | 'atNs' | 'detail'>;

export function guardStopFacts(e: GuardStop): GuardStopFacts {
  return { limit: e.limit, message: e.message, events: e.events, atNs: e.atNs, detail: e.detail };
}

export function guardStopFrom(f: GuardStopFacts): GuardStop {
  return new GuardStop(f.limit, f.message, f.events, f.atNs, f.detail);
}
