/**
 * The messages between parallel.ts and its worker threads (run-worker.ts): plain data,
 * since they cross threads by structured clone (no functions, no classes).
 *
 *   main ──WorkerSetup (once)──▶ worker
 *   main ──RunTask──▶ worker ──RunReply──▶ main      (one run at a time, per worker)
 */
import type { GuardLimits, GuardStopFacts } from '../sim/guard.js';
import type { InputErrorFacts } from '../sim/input-error.js';
import type { VariantResult } from './report.js';
import type { Variant } from './scenario.js';
import type { BundleUpload } from './instances.js';

export interface WorkerSetup {
  ctsim: string;
  /** The cost tables the runs name, read by the main thread (sweep.ts readRunCosts). */
  costs: Record<string, unknown>;
  /** The OCI bundles the runs' containers name, packed by the main thread (sweep.ts readRunBundles). */
  bundles: Record<string, BundleUpload[]>;
  /** The guard limits of each run, when the command sets them (CompareOptions.guard). */
  limits?: GuardLimits;
}

export interface RunTask {
  /** The run's position in the list the main thread runs (not its plan index). */
  pos: number;
  variant: Variant;
  seed: number;
}

/** An InputError's facts and exit code, a GuardStop's facts, or another error's message and stack. */
export type WorkerError = { facts: InputErrorFacts; exitCode: 2 | 3 } | { guard: GuardStopFacts } | { message: string; stack: string };

export type RunReply = { pos: number; result: VariantResult } | { pos: number; error: WorkerError };
