/**
 * The entry of a worker thread of `ctsim compare --jobs N` (src/compare/parallel.ts):
 * it serves runs (src/compare/run-worker.ts) with the guard's look at this machine's
 * memory, which is this edge's to make. Compiled to dist/cli/compare-worker.js.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveRuns } from '../compare/run-worker.js';
import type { WorkerSetup } from '../compare/worker-protocol.js';
import { memoryCheck } from './guard-limits.js';

const setup = workerData as WorkerSetup;
serveRuns(parentPort!, setup, setup.limits ? memoryCheck(setup.limits) : undefined);
