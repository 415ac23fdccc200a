/**
 * A teaching model of Linux's Completely Fair Scheduler (kernel/sched/fair.c; OSTEP
 * ch. 9.7): each job's virtual runtime grows by its CPU time scaled by
 * NICE_0_LOAD / weight, the job with the smallest virtual runtime runs next, and it
 * runs for a slice proportional to its share of the total weight of runnable jobs:
 *
 *   vruntime += delta * 1024 / weight
 *   slice     = max(sched_latency * weight / total_weight, min_granularity)
 *
 *   nice  -1   0   +1          weight 1277 1024 820   (each nice step ≈ ×1.25)
 *   vruntime: [ B 3.0 ][ A 3.9 ][ C 4.9 ]  → B (leftmost) runs next
 *
 * Units: 1 tick = 1 ms of CPU, the tick of a CONFIG_HZ=1000 kernel. Virtual runtime is
 * kept in integer nanoseconds as Linux keeps it. The defaults are Linux's tunables:
 * sched_latency 6 ms = 6 ticks, and min_granularity 0.75 ms, which becomes 1 tick.
 *
 * Simplification: slices are whole ticks, rounded up, because a tick-driven kernel
 * (no HRTICK) can only preempt at a tick; Linux computes slices in nanoseconds.
 * Simplification: every job arrives at tick 0 with vruntime 0 and never sleeps, so
 * min_vruntime, new-task placement (START_DEBIT), sleeper credit and wake-up
 * preemption play no part; a picked job always runs its whole slice.
 * Simplification: the period is not stretched to nr_running * min_granularity when
 * there are more than sched_latency / min_granularity jobs; the max() with
 * min_granularity per job has the same effect on each slice. One CPU, no groups.
 */
import { assertLengths, assertWhole, averagesOf, type JobMetrics, type SchedResult, type Slice } from './types.js';
import { NICE_0_WEIGHT, niceToWeight as kernelNiceToWeight } from '../../kernel/sched/index.js';

/** CFS parameters, in 1-ms ticks. */
export interface CfsParams {
  /** Target period in which every runnable job runs once (sysctl_sched_latency). */
  latencyTicks: number;
  /** Shortest slice a job is given (sysctl_sched_min_granularity). */
  minGranularityTicks: number;
  /** Nice value per job, by job id, in -20..19. */
  nice: number[];
}

/** Linux's defaults: sched_latency 6 ms, min_granularity 0.75 ms rounded up to a tick. */
export const CFS_DEFAULTS = { latencyTicks: 6, minGranularityTicks: 1 } as const;

/** Nanoseconds per tick in this model (1 ms, as with CONFIG_HZ=1000). */
export const CFS_NS_PER_TICK = 1_000_000;

/** The load weight of nice value `nice` (an integer in -20..19): Linux's sched_prio_to_weight, shared with the kernel's scheduler. */
export function niceToWeight(nice: number): number {
  if (!Number.isInteger(nice) || nice < -20 || nice > 19) {
    throw new RangeError(`nice must be an integer in -20..19, got ${nice}`);
  }
  return kernelNiceToWeight(nice);
}

export { NICE_0_WEIGHT };

/** A CFS dispatch. */
export interface CfsSlice extends Slice {
  /** The job's virtual runtime when it was picked, in ns. */
  vruntimeNs: number;
}

export interface CfsJobMetrics extends JobMetrics {
  nice: number;
  weight: number;
  /** Virtual runtime when the job completed, in ns. */
  vruntimeNs: number;
}

export type CfsResult = SchedResult<'cfs', CfsParams, CfsJobMetrics, CfsSlice>;

/** Schedules `lengths` (ticks of CPU per job, job id = index) with the CFS model. */
export function scheduleCfs(lengths: readonly number[], params: CfsParams): CfsResult {
  assertLengths(lengths);
  assertWhole(params.latencyTicks, 1, 'latencyTicks');
  assertWhole(params.minGranularityTicks, 1, 'minGranularityTicks');
  if (params.nice.length !== lengths.length) {
    throw new RangeError(`nice has ${params.nice.length} entries for ${lengths.length} jobs`);
  }
  const weights = params.nice.map(niceToWeight);
  const remaining = [...lengths];
  const vruntimeNs = lengths.map(() => 0);
  const firstRun = lengths.map(() => -1);
  const done = lengths.map(() => 0);
  const slices: CfsSlice[] = [];
  let totalWeight = weights.reduce((a, b) => a + b, 0);
  let unfinished = lengths.length;
  let now = 0;
  while (unfinished > 0) {
    // The leftmost entity of the red-black tree: smallest vruntime, then lowest id.
    let pick = -1;
    for (let id = 0; id < lengths.length; id++) {
      if (remaining[id] === 0) continue;
      if (pick < 0 || vruntimeNs[id] < vruntimeNs[pick]) pick = id;
    }
    const weight = weights[pick];
    const sliceTicks = Math.max(ceilDiv(params.latencyTicks * weight, totalWeight), params.minGranularityTicks);
    const ran = Math.min(sliceTicks, remaining[pick]);
    if (firstRun[pick] < 0) firstRun[pick] = now;
    slices.push({ job: pick, start: now, duration: ran, vruntimeNs: vruntimeNs[pick] });
    now += ran;
    remaining[pick] -= ran;
    // Linux's calc_delta_fair(): delta_exec * NICE_0_LOAD / weight, in ns (floored).
    vruntimeNs[pick] += Math.floor((ran * CFS_NS_PER_TICK * NICE_0_WEIGHT) / weight);
    if (remaining[pick] === 0) {
      done[pick] = now;
      totalWeight -= weight;
      unfinished--;
    }
  }
  const jobs: CfsJobMetrics[] = lengths.map((length, id) => ({
    job: id,
    length,
    response: firstRun[id],
    turnaround: done[id],
    wait: done[id] - length,
    nice: params.nice[id],
    weight: weights[id],
    vruntimeNs: vruntimeNs[id],
  }));
  return {
    policy: 'cfs',
    params: {
      latencyTicks: params.latencyTicks,
      minGranularityTicks: params.minGranularityTicks,
      nice: [...params.nice],
    },
    jobs,
    averages: averagesOf(jobs),
    slices,
    makespan: now,
  };
}

/** ceil(a / b) for non-negative integers a and positive integers b. */
function ceilDiv(a: number, b: number): number {
  const q = Math.floor(a / b);
  return q * b === a ? q : q + 1;
}
