/**
 * Test helpers: boot a simulated host and run a shell script in it, as
 * `ctsim sh -c` does.
 */
import { createHost, type HostOptions, type RunOptions, type RunResult } from '../../src/index.js';

export type TestRunOptions = RunOptions & { host?: HostOptions; args?: string[] };

/** Boots a fresh host (2 CPUs, seed 1 unless told otherwise) and runs `sh -c script args…`. */
export function sh(script: string, opts: TestRunOptions = {}): RunResult {
  const host = createHost({ cpus: 2, seed: 1, ...opts.host });
  return host.sh(script, { maxSteps: 5_000_000, ...opts }, opts.args ?? []);
}

/** Runs a program directly (no shell) on a fresh host. */
export function run(argv: string[], opts: TestRunOptions = {}): RunResult {
  const host = createHost({ cpus: 2, seed: 1, ...opts.host });
  return host.run(argv, { maxSteps: 5_000_000, ...opts });
}
