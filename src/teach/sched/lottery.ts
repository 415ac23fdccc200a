/**
 * Lottery scheduling, OSTEP ch. 9 (Waldspurger & Weihl, OSDI 1994): each job holds
 * tickets; at every scheduling decision a ticket is drawn uniformly among the tickets
 * of the unfinished jobs and its holder runs for one quantum (or less, if it
 * finishes). Over time a job's share of the CPU approaches its share of the tickets.
 *
 * The winner is found as OSTEP's lottery.py finds it: walk the jobs in id order,
 * adding up tickets, until the running sum exceeds the drawn number.
 *
 *   tickets  A:75 B:25      draw in [0,100)
 *   [0 ........ 74][75 .. 99]   draw 63 → A runs; draw 80 → B runs
 *
 * Simplification: the draws come from ctsim's seeded RNG (sim/rng), not Python's, so
 * runs are reproducible for a seed but do not match lottery.py draw for draw. Every
 * job arrives at tick 0 and none blocks, as in the other simple policies.
 * Difference from lottery.py: a winner that finishes mid-quantum gives up the CPU at
 * once and the next draw happens then (lottery.py advances its clock by a full
 * quantum even when the winner needed less), so no time is lost to idle remainders.
 */
import type { Rng } from '../../sim/index.js';
import { assertLengths, assertWhole, averagesOf, type JobMetrics, type SchedResult, type Slice } from './types.js';

/** Lottery parameters. */
export interface LotteryParams {
  /** Length of one lottery period in ticks (a job that finishes early ends it). */
  quantumTicks: number;
  /** Tickets per job, by job id (each >= 1). */
  tickets: number[];
}

/** Tickets per job when none are given: equal shares (lottery.py's -T maximum is 100). */
export const LOTTERY_DEFAULT_TICKETS = 100;

/** A dispatch decided by a draw. */
export interface LotterySlice extends Slice {
  /** The winning ticket number, in [0, totalTickets). */
  draw: number;
  /** Tickets held by the unfinished jobs at the draw. */
  totalTickets: number;
}

export interface LotteryJobMetrics extends JobMetrics {
  tickets: number;
}

export type LotteryResult = SchedResult<'lottery', LotteryParams, LotteryJobMetrics, LotterySlice>;

/**
 * Schedules `lengths` (ticks of CPU per job, job id = index) by lottery, drawing from
 * `rng` (give it a stream forked for this purpose, e.g. `new Rng(seed).fork('lottery')`).
 */
export function scheduleLottery(lengths: readonly number[], params: LotteryParams, rng: Rng): LotteryResult {
  assertLengths(lengths);
  assertWhole(params.quantumTicks, 1, 'quantumTicks');
  if (params.tickets.length !== lengths.length) {
    throw new RangeError(`tickets has ${params.tickets.length} entries for ${lengths.length} jobs`);
  }
  params.tickets.forEach((t, i) => assertWhole(t, 1, `job ${i} tickets`));

  const remaining = [...lengths];
  const firstRun = lengths.map(() => -1);
  const done = lengths.map(() => 0);
  const slices: LotterySlice[] = [];
  let totalTickets = params.tickets.reduce((a, b) => a + b, 0);
  let unfinished = lengths.length;
  let now = 0;
  while (unfinished > 0) {
    const draw = rng.int(0, totalTickets - 1);
    let winner = -1;
    let counter = 0;
    for (let id = 0; id < lengths.length; id++) {
      if (remaining[id] === 0) continue;
      counter += params.tickets[id];
      if (counter > draw) {
        winner = id;
        break;
      }
    }
    const ran = Math.min(params.quantumTicks, remaining[winner]);
    if (firstRun[winner] < 0) firstRun[winner] = now;
    slices.push({ job: winner, start: now, duration: ran, draw, totalTickets });
    now += ran;
    remaining[winner] -= ran;
    if (remaining[winner] === 0) {
      done[winner] = now;
      totalTickets -= params.tickets[winner];
      unfinished--;
    }
  }
  const jobs: LotteryJobMetrics[] = lengths.map((length, id) => ({
    job: id,
    length,
    response: firstRun[id],
    turnaround: done[id],
    wait: done[id] - length,
    tickets: params.tickets[id],
  }));
  return {
    policy: 'lottery',
    params: { quantumTicks: params.quantumTicks, tickets: [...params.tickets] },
    jobs,
    averages: averagesOf(jobs),
    slices,
    makespan: now,
  };
}
