/**
 * Simulated time kept in step with the wall clock during a live session (the CLI edge:
 * it reads the real clock), and taken off it while the session is paused.
 */
import type { Host } from '../host.js';

/**
 * Simulated time per chunk when running flat out (paused: a typed command, a :step).
 * A lone busy CPU with no timer due runs in one engine step up to the run's limit, so
 * the limit must be near for ^C to be heard.
 */
export const FREE_CHUNK_NS = 10_000_000;

/** Simulated time that keeps pace with the wall clock from the start of a live session. */
export interface Pacer {
  /** The simulated time the session may run up to now: the wall clock's, or, paused, where time stands. */
  realNowNs: () => number;
  /** Moves an idle simulation's clock up to the wall clock (call before feeding it input). */
  sync: () => void;
  /** True while simulated time is not paced to the wall clock (a live session's `pause`). */
  readonly paused: boolean;
  /** Stops pacing: simulated time stands still except while input typed is being handled. */
  pause: () => void;
  /** Paces again, from the simulated time now. */
  resume: () => void;
  /** Paused: input was just given; run freely until `atRest()` (the terminal waits for a line again). */
  runFree: () => void;
  /** True while paused input is being handled (the run must stop when the terminal's reader waits again). */
  readonly isFree: boolean;
}

/**
 * A pacer for `host`. `atRest` tells a paused session when the input it was given has
 * been handled (by default, at once): then simulated time stands still again.
 */
export function makePacer(host: Host, atRest: () => boolean = () => true): Pacer {
  let simStart = host.engine.now;
  let realStart = performance.now();
  let paused = false;
  /** Paused: where simulated time stands. */
  let frozenNs = 0;
  /** Paused: engine steps taken when input was given, while that input is being handled (else -1). */
  let freeSince = -1;
  const realNowNs = (): number => {
    if (!paused) return simStart + Math.floor((performance.now() - realStart) * 1e6);
    if (freeSince >= 0) {
      // At rest again only once the input has been looked at (the engine took a step).
      if (!(host.engine.steps > freeSince && atRest())) return host.engine.now + FREE_CHUNK_NS;
      freeSince = -1;
      frozenNs = Math.max(frozenNs, host.engine.now);
    }
    return Math.max(frozenNs, host.engine.now);
  };
  return {
    realNowNs,
    sync: () => host.engine.advanceTo(realNowNs()),
    get paused() {
      return paused;
    },
    pause: () => {
      freeSince = -1;
      if (paused) return;
      paused = true;
      frozenNs = host.engine.now;
      freeSince = -1;
    },
    resume: () => {
      if (!paused) return;
      paused = false;
      simStart = host.engine.now;
      realStart = performance.now();
    },
    runFree: () => {
      if (paused) freeSince = host.engine.steps;
    },
    get isFree() {
      return paused && freeSince >= 0;
    },
  };
}
