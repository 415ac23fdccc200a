/**
 * Helpers for the sysutils tests: one booted host that several commands run on in
 * turn (so files and background processes persist between them), and a way to
 * start a background process and let simulated time pass.
 */
import { createHost, type Host, type RunOptions, type RunResult } from '../../../src/index.js';

export interface TestHost {
  host: Host;
  /** Runs argv to completion on this host. */
  run(argv: string[], opts?: RunOptions): RunResult;
  /** Starts argv in the background; returns its PID. */
  start(argv: string[], opts?: RunOptions): number;
  /** Lets `seconds` of simulated time pass. */
  wait(seconds: number): void;
}

export function bootHost(cpus = 2, seed = 1): TestHost {
  const host = createHost({ cpus, seed });
  return {
    host,
    run: (argv, opts = {}) => host.run(argv, { maxSteps: 20_000_000, ...opts }),
    start: (argv, opts = {}) => host.spawn(argv, opts).task.tid,
    wait: (seconds) => {
      // An event at the target time makes the clock reach it even if nothing else happens.
      const until = host.now + Math.round(seconds * 1e9);
      host.engine.at(until, () => {});
      host.engine.run({ until });
    },
  };
}
