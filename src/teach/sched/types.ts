/**
 * Shared shapes of the scheduling teaching tool: a workload of CPU jobs, the slices a
 * policy hands out, and the per-job metrics of OSTEP chapter 7 (response, turnaround,
 * wait). All times are in ticks, the abstract time unit of OSTEP's simulators (its
 * "secs"); the CFS model fixes 1 tick = 1 ms (see cfs.ts).
 */

/** The policies `ctsim sched` models, as they are spelled on the command line. */
export const POLICY_NAMES = ['fifo', 'sjf', 'rr', 'mlfq', 'lottery', 'cfs'] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** True when `name` is one of POLICY_NAMES. */
export function isPolicyName(name: string): name is PolicyName {
  return (POLICY_NAMES as readonly string[]).includes(name);
}

/**
 * One dispatch: job `job` held the CPU from tick `start` for `duration` ticks.
 *
 * Invariant: a slice is one scheduling decision and is never merged with the next
 * one, even when the same job runs again at once (a round-robin job alone in the
 * queue gets one slice per quantum, exactly as OSTEP's execution trace prints one
 * line per quantum). Slices are in time order and never overlap; `duration >= 1`.
 */
export interface Slice {
  /** The job's position in the input list, from 0 (OSTEP's numbering). */
  job: number;
  /** Tick at which the slice starts. */
  start: number;
  /** Length of the slice in ticks. */
  duration: number;
}

/** The metrics of one job, in ticks (OSTEP ch. 7). */
export interface JobMetrics {
  /** The job's position in the input list, from 0. */
  job: number;
  /** CPU time the job needs, in ticks. */
  length: number;
  /** Ticks from arrival until the job first runs. */
  response: number;
  /** Ticks from arrival until the job completes. */
  turnaround: number;
  /**
   * Ticks spent ready but not running. Invariant: equals `turnaround - length` when
   * the job never blocks (every policy but MLFQ with I/O).
   */
  wait: number;
}

/** Arithmetic means of the per-job metrics over all jobs, in ticks (not rounded). */
export interface Averages {
  response: number;
  turnaround: number;
  wait: number;
}

/** What every policy returns: the metrics, their averages and the dispatch history. */
export interface SchedResult<P extends PolicyName, Params, J extends JobMetrics = JobMetrics, S extends Slice = Slice> {
  policy: P;
  /** The parameters the run used, defaults filled in (echoed by every run). */
  params: Params;
  /** One entry per job, in job-id order. */
  jobs: J[];
  averages: Averages;
  /** Every dispatch, in time order. */
  slices: S[];
  /** Tick at which the last job completes. */
  makespan: number;
}

/**
 * Upper bound on the simulated time of one run, in ticks. A teaching tool has no use
 * for longer runs, and the bound keeps a mistyped length from exhausting memory
 * (an MLFQ timeline holds one entry per tick).
 */
export const MAX_RUN_TICKS = 1_000_000;

/** Means of response, turnaround and wait over `jobs` (all zero for no jobs). */
export function averagesOf(jobs: readonly JobMetrics[]): Averages {
  const n = jobs.length;
  if (n === 0) return { response: 0, turnaround: 0, wait: 0 };
  let response = 0;
  let turnaround = 0;
  let wait = 0;
  for (const j of jobs) {
    response += j.response;
    turnaround += j.turnaround;
    wait += j.wait;
  }
  return { response: response / n, turnaround: turnaround / n, wait: wait / n };
}

/**
 * Checks the precondition shared by the policies that take plain job lengths: at least
 * one job, every length a whole number of ticks >= 1, and the total within
 * MAX_RUN_TICKS. A violation here is a caller bug (the command validates flags first),
 * so it throws a RangeError.
 */
export function assertLengths(lengths: readonly number[]): void {
  if (lengths.length === 0) throw new RangeError('a workload needs at least one job');
  let total = 0;
  lengths.forEach((len, i) => {
    if (!Number.isSafeInteger(len) || len < 1) {
      throw new RangeError(`job ${i}: length must be a whole number of ticks >= 1, got ${len}`);
    }
    total += len;
  });
  if (total > MAX_RUN_TICKS) {
    throw new RangeError(`total length ${total} ticks exceeds the limit of ${MAX_RUN_TICKS}`);
  }
}

/** Checks that `value` is a whole number >= `min`; throws a RangeError naming `what`. */
export function assertWhole(value: number, min: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${what} must be a whole number >= ${min}, got ${value}`);
  }
}
