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
export const GUARD_EVERY = 1 << 16;

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

  constructor(limit: GuardLimit, message: string, events: number, atNs: number, detail?: string) {
    super(message);
    this.name = 'GuardStop';
    this.limit = limit;
    this.events = events;
    this.atNs = atNs;
    this.detail = detail;
  }
}
