/**
 * Round-robin scheduling, OSTEP ch. 7.7: the ready queue starts in job-id order; the
 * head job runs for one quantum (or less, if it finishes) and, if work remains, goes
 * to the tail. Matches `scheduler.py -p RR -q Q -c`, tie-breaks included:
 *
 * - a job with more than `quantumTicks` left runs exactly one quantum and requeues;
 * - a job with `quantumTicks` or fewer left runs to completion and is not requeued;
 * - a job that finishes mid-quantum gives up the CPU at once; the next job starts at
 *   that instant with a fresh, full quantum. There is no switch cost.
 *
 *   queue: [0 1 2] → run 0 for q → [1 2 0] → run 1 for q → [2 0 1] → …
 */
import { assertLengths, assertWhole, averagesOf, type JobMetrics, type SchedResult, type Slice } from './types.js';

/** Round-robin parameters. */
export interface RrParams {
  /** The time slice, in ticks (scheduler.py's -q; its default is 1). */
  quantumTicks: number;
}

export type RrResult = SchedResult<'rr', RrParams>;

/** The default quantum of OSTEP's scheduler.py, in ticks. */
export const RR_DEFAULT_QUANTUM_TICKS = 1;

/** Schedules `lengths` (ticks of CPU per job, job id = index) round robin. */
export function scheduleRr(lengths: readonly number[], params: RrParams): RrResult {
  assertLengths(lengths);
  assertWhole(params.quantumTicks, 1, 'quantumTicks');
  const q = params.quantumTicks;
  const remaining = [...lengths];
  const firstRun = lengths.map(() => -1);
  const done = lengths.map(() => 0);
  // Invariant: `ready` holds the ids of unfinished jobs, head first.
  const ready: number[] = lengths.map((_, i) => i);
  const slices: Slice[] = [];
  let now = 0;
  let head = 0; // index of the queue head in `ready` (avoids O(n) shift)
  while (head < ready.length) {
    const id = ready[head++];
    if (firstRun[id] < 0) firstRun[id] = now;
    const ran = Math.min(remaining[id], q);
    slices.push({ job: id, start: now, duration: ran });
    now += ran;
    remaining[id] -= ran;
    if (remaining[id] > 0) ready.push(id);
    else done[id] = now;
  }
  const jobs: JobMetrics[] = lengths.map((length, id) => ({
    job: id,
    length,
    response: firstRun[id],
    turnaround: done[id],
    wait: done[id] - length,
  }));
  return { policy: 'rr', params: { quantumTicks: q }, jobs, averages: averagesOf(jobs), slices, makespan: now };
}
