/**
 * SJF (shortest job first) scheduling, OSTEP ch. 7.4: the jobs run to completion,
 * shortest first. Because every job arrives at tick 0 this is also STCF (ch. 7.5):
 * no arrival can ever preempt. Matches `scheduler.py -p SJF -c`.
 *
 * Tie-break: a stable sort by length, so equal lengths run in ascending job id
 * (the script sorts with Python's stable `sorted`).
 *
 *   jobs 100,10,10 → order 1,2,0 → turnarounds 10, 20, 120 (avg 50)
 */
import { runToCompletion } from './fifo.js';
import { assertLengths, type SchedResult } from './types.js';

/** SJF takes no parameters. */
export type SjfParams = Record<string, never>;

export type SjfResult = SchedResult<'sjf', SjfParams>;

/** Schedules `lengths` (ticks of CPU per job, job id = index) shortest job first. */
export function scheduleSjf(lengths: readonly number[]): SjfResult {
  assertLengths(lengths);
  const order = lengths
    .map((length, id) => ({ length, id }))
    .sort((a, b) => a.length - b.length || a.id - b.id)
    .map((entry) => entry.id);
  return { policy: 'sjf', params: {}, ...runToCompletion(lengths, order) };
}
