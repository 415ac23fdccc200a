/**
 * The runs of a sweep spread over worker threads (node:worker_threads): each worker is
 * handed one run at a time, in run order, and the results are put back in run order,
 * so the report is byte-identical whatever the number of workers. Runs are independent
 * (each boots its own engine from its seed), so nothing is shared but the inputs.
 *
 *   runs 0 … R−1 ──next run──▶ worker 1 … J (run-worker.ts) ──result──▶ slot of its run ──▶ results in run order
 *
 * When a run fails, no further runs are handed out, the runs already out finish, and
 * the error of the earliest failed run is thrown — the error an in-process run, which
 * stops at the first failure, would have thrown; an InputError crosses the thread as
 * its facts and is thrown again as the same one line, and so does a GuardStop (a run that
 * reached a guard limit).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../sim/fixtures.js';
import { guardStopFrom } from '../sim/guard.js';
import { InputError } from '../sim/input-error.js';
import type { CompareReport, VariantResult } from './report.js';
import { runInThread, type CompareOptions } from './runner.js';
import type { Scenario } from './scenario.js';
import { assembleReport, planRuns, readRunBundles, readRunCosts, reportHead, type PlannedRun, type SweepOptions } from './sweep.js';
import type { RunReply, RunTask, WorkerError, WorkerSetup } from './worker-protocol.js';

/**
 * The compiled worker entry, dist/cli/compare-worker.js of the package (which serves
 * runs with run-worker.ts) — also when this code runs from the CLI's bundle
 * (dist/bundle/), which has no worker entry beside it.
 */
export function runWorkerUrl(): URL {
  return pathToFileURL(join(packageRoot(), 'dist', 'cli', 'compare-worker.js'));
}

export interface ParallelOptions extends CompareOptions {
  /** Worker threads at most; 1 runs in this thread (then progress counts steps, else finished runs). */
  jobs: number;
  /** The worker entry (default runWorkerUrl()). */
  workerUrl?: URL;
}

/** runCompare's report, with the runs spread over `opts.jobs` worker threads. */
export async function runCompareParallel(s: Scenario, source: { name: string; text: string }, opts: ParallelOptions & SweepOptions): Promise<CompareReport> {
  const plan = planRuns(s, opts);
  return assembleReport(reportHead(s, source, opts.ctsim, plan, opts), await runSpread(plan.runs, plan.repeat, opts), plan.repeat);
}

/** Runs `runs` (a plan, or a shard's part of it) on up to `opts.jobs` threads; results in the order of `runs`. */
export async function runSpread(runs: readonly PlannedRun[], repeat: number, opts: ParallelOptions): Promise<VariantResult[]> {
  const jobs = Math.min(Math.max(1, Math.floor(opts.jobs)), runs.length);
  if (jobs <= 1) return runInThread(runs, repeat, opts);
  const setup: WorkerSetup = { ctsim: opts.ctsim, costs: readRunCosts(runs, opts.readCosts), bundles: readRunBundles(runs, opts.readBundle), limits: opts.guard?.limits };
  const name = (r: PlannedRun): string => (repeat > 1 ? `${r.label} (seed ${r.seed})` : r.label);
  const results: VariantResult[] = new Array<VariantResult>(runs.length);
  const workers: Worker[] = [];
  let next = 0;
  let out = 0;
  let finished = 0;
  let failure: { pos: number; error: WorkerError } | null = null;
  opts.progress?.(0, runs.length, `${runs.length} runs on ${jobs} worker threads`);
  try {
    await new Promise<void>((resolve, reject) => {
      const hand = (w: Worker): void => {
        if (failure === null && next < runs.length) {
          const r = runs[next];
          const task: RunTask = { pos: next++, variant: r.variant, seed: r.seed };
          out++;
          w.postMessage(task);
        } else if (out === 0) resolve();
      };
      for (let j = 0; j < jobs; j++) {
        const w = new Worker(opts.workerUrl ?? runWorkerUrl(), { workerData: setup });
        workers.push(w);
        w.on('message', (m: RunReply) => {
          out--;
          if ('error' in m) {
            if (failure === null || m.pos < failure.pos) failure = m;
          } else {
            results[m.pos] = m.result;
            opts.progress?.(++finished, runs.length, name(runs[m.pos]));
          }
          hand(w);
        });
        // A worker that dies (its entry missing, out of memory) is a bug or a broken install, not bad input.
        w.on('error', (e) => reject(new Error(`compare: a worker thread failed: ${e.message}`)));
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`compare: a worker thread exited with code ${code}`));
        });
        hand(w);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== null) throw rethrown((failure as { error: WorkerError }).error);
  opts.progress?.(runs.length, runs.length, 'done');
  return results;
}

/** The error a worker reported, as the main thread throws it. */
function rethrown(e: WorkerError): Error {
  if ('facts' in e) return new InputError(e.facts, e.exitCode);
  if ('guard' in e) return guardStopFrom(e.guard);
  const err = new Error(e.message);
  err.stack = e.stack;
  return err;
}
