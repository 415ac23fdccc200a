/**
 * The entry of a worker thread of parallel.ts: it is handed runs one at a time (a
 * variant and a seed), runs each with runVariant, as the main thread would, and posts
 * back the result — or the error, as plain data, so that the main thread can throw the
 * same InputError (same one line, same exit code) an in-process run would have thrown.
 *
 * Compiled to dist/compare/run-worker.js, which parallel.ts finds from the package root
 * (runWorkerUrl()).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../sim/input-error.js';
import { runVariant } from './runner.js';
import type { RunReply, RunTask, WorkerSetup } from './worker-protocol.js';

const setup = workerData as WorkerSetup;
const port = parentPort!;

port.on('message', (task: RunTask) => {
  let reply: RunReply;
  try {
    reply = { pos: task.pos, result: runVariant(task.variant, task.seed, { ctsim: setup.ctsim, readCosts: (name) => setup.costs[name], readBundle: (b) => setup.bundles[b] }) };
  } catch (e) {
    reply = { pos: task.pos, error: e instanceof InputError ? { facts: e.facts, exitCode: e.exitCode } : { message: (e as Error).message ?? String(e), stack: (e as Error).stack ?? '' } };
  }
  port.postMessage(reply);
});
