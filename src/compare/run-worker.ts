/**
 * What a worker thread of parallel.ts does: it is handed runs one at a time (a variant
 * and a seed), runs each with runVariant, as the main thread would, and posts back the
 * result — or the error, as plain data, so that the main thread can throw the same
 * InputError (same one line, same exit code) or GuardStop an in-process run would have
 * thrown.
 *
 * The thread's entry is the CLI edge's src/cli/compare-worker.ts (compiled to
 * dist/cli/compare-worker.js, which parallel.ts finds from the package root), since the
 * guard's look at this machine's memory belongs there; it calls serveRuns.
 */
import type { MessagePort } from 'node:worker_threads';
import { GuardStop, guardStopFacts, type Guard } from '../sim/guard.js';
import { InputError } from '../sim/input-error.js';
import { runVariant } from './runner.js';
import type { RunReply, RunTask, WorkerError, WorkerSetup } from './worker-protocol.js';

/** Serves runs on `port`; `check` is the guard's look at memory when setup.limits sets a guard. */
export function serveRuns(port: MessagePort, setup: WorkerSetup, check?: Guard['check']): void {
  const guard = setup.limits ? { limits: setup.limits, check } : undefined;
  port.on('message', (task: RunTask) => {
    let reply: RunReply;
    try {
      reply = { pos: task.pos, result: runVariant(task.variant, task.seed, { ctsim: setup.ctsim, readCosts: (name) => setup.costs[name], readBundle: (b) => setup.bundles[b], guard }) };
    } catch (e) {
      reply = { pos: task.pos, error: workerError(e) };
    }
    port.postMessage(reply);
  });
}

function workerError(e: unknown): WorkerError {
  if (e instanceof InputError) return { facts: e.facts, exitCode: e.exitCode };
  if (e instanceof GuardStop) return { guard: guardStopFacts(e) };
  return { message: (e as Error).message ?? String(e), stack: (e as Error).stack ?? '' };
}
