// Shared parts of the benchmarks (bench/run.js): timing, the machine-speed
// calibration, and the shape of a result row.
//
// A row: { id, case, value, unit, reference, refLabel, ratio, better, target, ok, extra }
//   id        stable key (the smoke baseline is keyed by it)
//   value     ctsim's figure, in `unit`
//   reference the figure it is compared with in the same run (refLabel says what it is)
//   ratio     the verdict's number; `better` says which way is good ('higher' | 'lower')
//   target    the target in words; ok: whether it holds (full runs only)
//   skipped   instead of the figures: why the case could not run here (a reference
//             program is missing); such a row is shown, never judged
export const now = () => globalThis.performance.now();
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** The least of some timings: other work on the machine only ever adds time. */
export const best = (xs) => Math.min(...xs);

/** Wall time in ms of `reps` runs of `fn`: their median, or what `pick` takes of them. */
export function timeMs(fn, reps = 3, pick = median) {
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = now();
    fn();
    ms.push(now() - t0);
  }
  return pick(ms);
}

/** Heap used after a full collection (needs node --expose-gc; bench/run.js is started with it). */
export function heapUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/**
 * Host memory in use after a full collection: the JS heap plus memory outside it
 * (typed arrays' buffers, where ctsim keeps its per-frame tables), which heapUsed leaves out.
 */
export function memoryUsed() {
  globalThis.gc?.();
  globalThis.gc?.();
  const u = process.memoryUsage();
  return u.heapUsed + u.external;
}

/** One CPU burst per yield: the unit of work of the throughput case and of the calibration. */
export function* worker(n, burst = 1_000) {
  for (let i = 0; i < n; i++) yield burst;
  return 0;
}

/** `procs` generators of `opsPerProc` yields each, driven round-robin by a plain loop, 3000 yields a turn. */
export function bareLoop(procs, opsPerProc) {
  const gens = Array.from({ length: procs }, () => worker(opsPerProc));
  let ops = 0;
  let sink = 0;
  let live = gens.length;
  while (live > 0) {
    live = 0;
    for (const g of gens) {
      let k = 0;
      for (; k < 3000; k++) {
        const r = g.next();
        if (r.done) break;
        sink += r.value;
        ops++;
      }
      if (k === 3000) live++;
    }
  }
  return { ops, sink };
}

let calibration;
/**
 * The machine's speed in this run: ms for a bare loop of 1,000,000 generator yields
 * (the best of 7). Cases whose figure is a wall time divide by it, so their ratio says
 * "how many bare-loop units", which a slower or busier machine does not change much.
 */
export function calibrationMs() {
  if (calibration === undefined) {
    const ms = [];
    for (let i = 0; i < 7; i++) {
      const t0 = now();
      bareLoop(4, 250_000);
      ms.push(now() - t0);
    }
    calibration = best(ms);
  }
  return calibration;
}

const gcEntries = [];
let gcObserver;
/**
 * Host milliseconds spent in garbage collection between performance.now() times `t0`
 * and `t1`. Entries arrive asynchronously, so call this from an async case after an
 * `await gcSettled()`.
 */
export function gcMsBetween(t0, t1) {
  let ms = 0;
  for (const e of gcEntries) if (e.startTime >= t0 && e.startTime < t1) ms += Math.min(e.duration, t1 - e.startTime);
  return ms;
}

/** Starts recording garbage collections (node:perf_hooks 'gc' entries). */
export async function trackGc() {
  if (gcObserver) return;
  const { PerformanceObserver } = await import('node:perf_hooks');
  gcObserver = new PerformanceObserver((list) => gcEntries.push(...list.getEntries().map((e) => ({ startTime: e.startTime, duration: e.duration }))));
  gcObserver.observe({ entryTypes: ['gc'] });
}

/** Lets queued 'gc' entries reach the observer. */
export const gcSettled = () => new Promise((resolve) => globalThis.setTimeout(resolve, 50));
