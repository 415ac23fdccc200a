/**
 * FIFO (first in, first out) scheduling, OSTEP ch. 7.3: every job arrives at tick 0
 * and the jobs run to completion one after another in list order. Matches
 * `scheduler.py -p FIFO -c` of OSTEP's homework.
 *
 *   tick 0        10        20        30
 *        |  job 0  |  job 1  |  job 2  |      jobs 10,10,10: avg turnaround 20
 */
import { assertLengths, averagesOf, type JobMetrics, type SchedResult, type Slice } from './types.js';

/** FIFO takes no parameters. */
export type FifoParams = Record<string, never>;

export type FifoResult = SchedResult<'fifo', FifoParams>;

/** Schedules `lengths` (ticks of CPU per job, job id = index) first in, first out. */
export function scheduleFifo(lengths: readonly number[]): FifoResult {
  assertLengths(lengths);
  const order = lengths.map((_, i) => i);
  return { policy: 'fifo', params: {}, ...runToCompletion(lengths, order) };
}

/**
 * Runs the jobs back to back in `order`, each to completion (no preemption), and
 * measures them. Shared by FIFO and SJF, which differ only in the order.
 *
 * Precondition: `order` is a permutation of the job ids. Every job arrives at tick 0,
 * so its response (and its wait) is the tick at which it starts.
 */
export function runToCompletion(
  lengths: readonly number[],
  order: readonly number[],
): Pick<SchedResult<'fifo', FifoParams>, 'jobs' | 'averages' | 'slices' | 'makespan'> {
  const jobs: JobMetrics[] = new Array<JobMetrics>(lengths.length);
  const slices: Slice[] = [];
  let now = 0;
  for (const id of order) {
    const length = lengths[id];
    slices.push({ job: id, start: now, duration: length });
    jobs[id] = { job: id, length, response: now, turnaround: now + length, wait: now };
    now += length;
  }
  return { jobs, averages: averagesOf(jobs), slices, makespan: now };
}
