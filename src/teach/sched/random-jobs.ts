/**
 * Random workloads for when the user gives no job list, shaped like the defaults of
 * OSTEP's simulators: scheduler.py draws 3 jobs of 1..10 ticks (-j 3 -m 10) and
 * mlfq.py draws 3 jobs arriving at 0 with 1..99 ticks of CPU and an I/O every 1..9
 * ticks (-j 3 -m 100 -M 10).
 *
 * Simplification: the draws come from ctsim's seeded RNG, so a seed gives the same
 * jobs on every ctsim run but not the jobs Python's RNG gives OSTEP's scripts.
 */
import type { Rng } from '../../sim/index.js';
import type { MlfqJobSpec } from './mlfq.js';

/** Number of jobs drawn when no list is given (scheduler.py and mlfq.py -j default). */
export const RANDOM_JOB_COUNT = 3;

/** `count` job lengths, each uniform in 1..maxLengthTicks (scheduler.py -m, default 10). */
export function randomLengths(rng: Rng, count = RANDOM_JOB_COUNT, maxLengthTicks = 10): number[] {
  return Array.from({ length: count }, () => rng.int(1, maxLengthTicks));
}

/** `count` MLFQ jobs arriving at tick 0: run 1..99 ticks, I/O every 1..9 ticks. */
export function randomMlfqJobs(rng: Rng, count = RANDOM_JOB_COUNT): MlfqJobSpec[] {
  return Array.from({ length: count }, () => {
    const runTicks = rng.int(1, 99);
    const ioFreqTicks = rng.int(1, 9);
    return { startTick: 0, runTicks, ioFreqTicks };
  });
}
