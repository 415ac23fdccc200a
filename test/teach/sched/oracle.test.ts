/**
 * Property tests: each OSTEP policy against a deliberately simple oracle written here
 * from the rules in /work/shared/reference/OSTEP-SEMANTICS.md. The oracles work tick by
 * tick and derive every metric from the per-tick record, where the implementations work
 * slice by slice (FIFO, SJF, RR) or keep one array per queue (MLFQ); the two must agree
 * on every tick and every number. Invariants every policy must keep are checked too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/sim/index.js';
import {
  CFS_DEFAULTS,
  mlfqTickBound,
  scheduleCfs,
  scheduleFifo,
  scheduleLottery,
  scheduleMlfq,
  scheduleRr,
  scheduleSjf,
  type AnySchedResult,
  type MlfqJobSpec,
  type MlfqParams,
  type MlfqResult,
} from '../../../src/teach/sched/index.js';

const RUNS = 300;

/** Per-job metrics read off a tick record (job per tick, null = idle). */
function metricsFromTicks(ticks: (number | null)[], arrivals: number[], lengths: number[]) {
  return lengths.map((length, job) => {
    const first = ticks.indexOf(job);
    const last = ticks.lastIndexOf(job);
    return { job, length, response: first - arrivals[job], turnaround: last + 1 - arrivals[job] };
  });
}

/** The tick record of a result, rebuilt from its slices. */
function ticksOf(r: AnySchedResult): (number | null)[] {
  const ticks = new Array<number | null>(r.makespan).fill(null);
  for (const s of r.slices) for (let t = s.start; t < s.start + s.duration; t++) ticks[t] = s.job;
  return ticks;
}

// ---- oracles: FIFO, SJF, RR -------------------------------------------------------

/** FIFO: each job's ticks, in list order. */
function oracleFifo(lengths: number[]): number[] {
  const ticks: number[] = [];
  lengths.forEach((len, job) => {
    for (let i = 0; i < len; i++) ticks.push(job);
  });
  return ticks;
}

/** SJF: repeatedly take the shortest job not yet run, the lowest index among equals. */
function oracleSjf(lengths: number[]): number[] {
  const ran = lengths.map(() => false);
  const ticks: number[] = [];
  for (let k = 0; k < lengths.length; k++) {
    let best = -1;
    for (let j = 0; j < lengths.length; j++) {
      if (!ran[j] && (best === -1 || lengths[j] < lengths[best])) best = j;
    }
    ran[best] = true;
    for (let i = 0; i < lengths[best]; i++) ticks.push(best);
  }
  return ticks;
}

/**
 * RR, one tick at a time: the head runs; a job that is done leaves, and the next
 * job starts fresh; a job that has used q ticks in a row goes to the tail.
 */
function oracleRr(lengths: number[], q: number): { ticks: number[]; dispatches: number[] } {
  const left = [...lengths];
  const queue = lengths.map((_, i) => i);
  const ticks: number[] = [];
  const dispatches: number[] = []; // the tick at which each slice began
  let usedInSlice = 0;
  while (queue.length > 0) {
    const job = queue[0];
    if (usedInSlice === 0) dispatches.push(ticks.length);
    ticks.push(job);
    left[job]--;
    usedInSlice++;
    if (left[job] === 0) {
      queue.shift();
      usedInSlice = 0;
    } else if (usedInSlice === q) {
      queue.push(queue.shift()!);
      usedInSlice = 0;
    }
  }
  return { ticks, dispatches };
}

// ---- oracle: MLFQ -----------------------------------------------------------------

interface OracleMlfqJob {
  level: number;
  /** Order within the level: smaller runs first. Tail = a fresh large key, front = a fresh small one. */
  key: number;
  ready: boolean;
  left: number;
  used: number;
  ticksLeft: number;
  allotLeft: number;
  ioDoneAt: number;
  ioIssuedAt: number;
  waited: number;
}

/**
 * MLFQ from the rules, with one flat list of jobs instead of per-level queues: the
 * next job is the ready job with the highest level and, within it, the smallest key.
 */
function oracleMlfq(specs: MlfqJobSpec[], p: MlfqParams): { ticks: (number | null)[]; levels: (number | null)[]; waits: number[] } {
  const top = p.queues - 1;
  const quantum = (level: number) => p.quantaTicks[top - level];
  const allot = (level: number) => p.allotments[top - level];
  let tailKey = 0;
  let frontKey = 0;
  const jobs: OracleMlfqJob[] = specs.map((s) => ({
    level: top,
    key: 0,
    ready: false,
    left: s.runTicks,
    used: 0,
    ticksLeft: quantum(top),
    allotLeft: allot(top),
    ioDoneAt: -1,
    ioIssuedAt: -1,
    waited: 0,
  }));
  const ticks: (number | null)[] = [];
  const levels: (number | null)[] = [];
  for (let t = 0; jobs.some((j) => j.left > 0); t++) {
    if (p.boostTicks > 0 && t > 0 && t % p.boostTicks === 0) {
      const lower = jobs
        .map((j, id) => ({ j, id }))
        .filter(({ j }) => j.ready && j.level < top)
        .sort((a, b) => a.j.level - b.j.level || a.j.key - b.j.key);
      for (const { j } of lower) j.key = ++tailKey;
      for (const j of jobs) {
        if (j.left > 0) {
          j.level = top;
          j.ticksLeft = quantum(top);
          j.allotLeft = allot(top);
        }
      }
    }
    specs.forEach((s, id) => {
      if (s.startTick === t) {
        jobs[id].ready = true;
        jobs[id].key = ++tailKey;
      }
    });
    const doneNow = jobs
      .map((j, id) => ({ j, id }))
      .filter(({ j }) => j.left > 0 && !j.ready && j.ioDoneAt === t)
      .sort((a, b) => a.j.ioIssuedAt - b.j.ioIssuedAt);
    for (const { j } of doneNow) {
      j.ready = true;
      j.key = p.ioBump ? --frontKey : ++tailKey;
    }
    let run = -1;
    jobs.forEach((j, id) => {
      if (!j.ready) return;
      const best = jobs[run];
      if (run === -1 || j.level > best.level || (j.level === best.level && j.key < best.key)) run = id;
    });
    if (run === -1) {
      ticks.push(null);
      levels.push(null);
      continue;
    }
    jobs.forEach((j, id) => {
      if (j.ready && id !== run) j.waited++;
    });
    const j = jobs[run];
    const level = j.level;
    ticks.push(run);
    levels.push(level);
    j.left--;
    j.used++;
    j.ticksLeft--;
    if (j.left === 0) {
      j.ready = false;
      continue;
    }
    const sliceOver = j.ticksLeft === 0;
    const blocks = specs[run].ioFreqTicks > 0 && j.used % specs[run].ioFreqTicks === 0;
    if (blocks) {
      j.ready = false;
      j.ioDoneAt = t + 1 + p.ioTimeTicks;
      j.ioIssuedAt = t;
      if (p.stayAfterIo) {
        j.ticksLeft = quantum(level);
        j.allotLeft = allot(level);
      }
    }
    if (sliceOver) {
      j.allotLeft--;
      if (j.allotLeft === 0) {
        if (level > 0) j.level = level - 1;
        j.ticksLeft = quantum(j.level);
        j.allotLeft = allot(j.level);
      } else {
        j.ticksLeft = quantum(level);
      }
      if (!blocks) j.key = ++tailKey;
    }
  }
  return { ticks, levels, waits: jobs.map((j) => j.waited) };
}

// ---- invariants -------------------------------------------------------------------

function checkInvariants(r: AnySchedResult): void {
  const lengths = r.jobs.map((j) => j.length);
  const total = lengths.reduce((a, b) => a + b, 0);
  expect(r.slices.reduce((a, s) => a + s.duration, 0)).toBe(total);
  let end = 0;
  for (const s of r.slices) {
    expect(s.duration).toBeGreaterThanOrEqual(1);
    expect(s.start).toBeGreaterThanOrEqual(end); // in time order, no overlap
    end = s.start + s.duration;
  }
  expect(end).toBe(r.makespan);
  for (const j of r.jobs) {
    const ran = r.slices.filter((s) => s.job === j.job).reduce((a, s) => a + s.duration, 0);
    expect(ran).toBe(j.length);
    const last = r.slices.filter((s) => s.job === j.job).at(-1)!;
    const arrival = r.policy === 'mlfq' ? r.jobs[j.job].start : 0;
    expect(last.start + last.duration).toBe(arrival + j.turnaround); // completion = end of its last slice
    if (r.policy === 'mlfq') expect(j.wait).toBe(j.turnaround - j.length - r.jobs[j.job].ioTicks);
    else expect(j.wait).toBe(j.turnaround - j.length);
    expect(j.response).toBeGreaterThanOrEqual(0);
    expect(j.turnaround).toBeGreaterThanOrEqual(j.length);
  }
  const n = r.jobs.length;
  expect(r.averages.turnaround).toBeCloseTo(r.jobs.reduce((a, j) => a + j.turnaround, 0) / n, 9);
  expect(r.averages.response).toBeCloseTo(r.jobs.reduce((a, j) => a + j.response, 0) / n, 9);
  expect(r.averages.wait).toBeCloseTo(r.jobs.reduce((a, j) => a + j.wait, 0) / n, 9);
  if (r.policy !== 'mlfq') {
    // Every job arrives at 0 and nothing blocks: the CPU is never idle.
    expect(r.makespan).toBe(total);
  }
}

function checkMlfqTimeline(r: MlfqResult): void {
  expect(r.timeline).toHaveLength(r.makespan);
  expect(r.timeline.filter((j) => j !== null)).toHaveLength(r.jobs.reduce((a, j) => a + j.length, 0));
  expect(ticksOf(r)).toEqual(r.timeline);
}

// ---- generators -------------------------------------------------------------------

const lengthsArb = fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 9 });
/** Lengths drawn from a small range, so that ties (the tie-break rules) are common. */
const tiedLengthsArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 9 });
const anyLengths = fc.oneof(lengthsArb, tiedLengthsArb);

const mlfqArb = fc
  .record({
    jobs: fc.array(
      fc.record({
        startTick: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 25 })),
        runTicks: fc.integer({ min: 1, max: 40 }),
        ioFreqTicks: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 })),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    queues: fc.integer({ min: 1, max: 4 }),
    boostTicks: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
    ioTimeTicks: fc.integer({ min: 0, max: 6 }),
    stayAfterIo: fc.boolean(),
    ioBump: fc.boolean(),
    seedQuanta: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 4, maxLength: 4 }),
    seedAllot: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ jobs, queues, seedQuanta, seedAllot, ...rest }) => ({
    jobs,
    params: {
      queues,
      quantaTicks: seedQuanta.slice(0, queues),
      allotments: seedAllot.slice(0, queues),
      ...rest,
    } satisfies MlfqParams,
  }));

// ---- properties -------------------------------------------------------------------

describe('FIFO, SJF and RR agree with tick-by-tick oracles', () => {
  it('FIFO', () => {
    fc.assert(
      fc.property(anyLengths, (lengths) => {
        const r = scheduleFifo(lengths);
        const ticks = oracleFifo(lengths);
        expect(ticksOf(r)).toEqual(ticks);
        expect(r.jobs.map(({ job, length, response, turnaround }) => ({ job, length, response, turnaround }))).toEqual(
          metricsFromTicks(ticks, lengths.map(() => 0), lengths),
        );
        expect(r.slices).toHaveLength(lengths.length);
        checkInvariants(r);
      }),
      { numRuns: RUNS },
    );
  });

  it('SJF', () => {
    fc.assert(
      fc.property(anyLengths, (lengths) => {
        const r = scheduleSjf(lengths);
        const ticks = oracleSjf(lengths);
        expect(ticksOf(r)).toEqual(ticks);
        expect(r.jobs.map(({ job, length, response, turnaround }) => ({ job, length, response, turnaround }))).toEqual(
          metricsFromTicks(ticks, lengths.map(() => 0), lengths),
        );
        for (const j of r.jobs) expect(j.wait).toBe(j.response);
        checkInvariants(r);
      }),
      { numRuns: RUNS },
    );
  });

  it('RR', () => {
    fc.assert(
      fc.property(anyLengths, fc.integer({ min: 1, max: 8 }), (lengths, q) => {
        const r = scheduleRr(lengths, { quantumTicks: q });
        const { ticks, dispatches } = oracleRr(lengths, q);
        expect(ticksOf(r)).toEqual(ticks);
        expect(r.slices.map((s) => s.start)).toEqual(dispatches);
        expect(r.jobs.map(({ job, length, response, turnaround }) => ({ job, length, response, turnaround }))).toEqual(
          metricsFromTicks(ticks, lengths.map(() => 0), lengths),
        );
        for (const s of r.slices) expect(s.duration).toBeLessThanOrEqual(q);
        checkInvariants(r);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('MLFQ agrees with a flat-list oracle', () => {
  it('on every tick, level, metric and wait', () => {
    fc.assert(
      fc.property(mlfqArb, ({ jobs, params }) => {
        const r = scheduleMlfq(jobs, params);
        const o = oracleMlfq(jobs, params);
        expect(r.timeline).toEqual(o.ticks);
        const levels = new Array<number | null>(r.makespan).fill(null);
        for (const s of r.slices) for (let t = s.start; t < s.start + s.duration; t++) levels[t] = s.priority;
        expect(levels).toEqual(o.levels);
        expect(r.jobs.map(({ job, length, response, turnaround }) => ({ job, length, response, turnaround }))).toEqual(
          metricsFromTicks(o.ticks, jobs.map((j) => j.startTick), jobs.map((j) => j.runTicks)),
        );
        expect(r.jobs.map((j) => j.wait)).toEqual(o.waits);
        for (const j of r.jobs) expect(j.end).toBe(j.start + j.turnaround);
        checkMlfqTimeline(r);
        checkInvariants(r);
        expect(r.makespan).toBeLessThanOrEqual(mlfqTickBound(jobs, params.ioTimeTicks));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('lottery and CFS keep the invariants', () => {
  it('lottery', () => {
    fc.assert(
      fc.property(
        lengthsArb,
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 9, maxLength: 9 }),
        fc.nat(),
        (lengths, q, pool, seed) => {
          const tickets = pool.slice(0, lengths.length);
          const r = scheduleLottery(lengths, { quantumTicks: q, tickets }, new Rng(seed).fork('sched.lottery'));
          checkInvariants(r);
          for (const s of r.slices) expect(s.duration).toBeLessThanOrEqual(q);
          expect(scheduleLottery(lengths, { quantumTicks: q, tickets }, new Rng(seed).fork('sched.lottery'))).toEqual(r);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('CFS, which also always runs a job with the smallest vruntime', () => {
    fc.assert(
      fc.property(lengthsArb, fc.array(fc.integer({ min: -20, max: 19 }), { minLength: 9, maxLength: 9 }), (lengths, pool) => {
        const nice = pool.slice(0, lengths.length);
        const r = scheduleCfs(lengths, { ...CFS_DEFAULTS, nice });
        checkInvariants(r);
        // Replay the vruntimes and check each pick was the leftmost runnable job.
        const vr = lengths.map(() => 0);
        const left = [...lengths];
        for (const s of r.slices) {
          const runnable = left.map((l, id) => ({ l, id })).filter((x) => x.l > 0);
          const min = Math.min(...runnable.map((x) => vr[x.id]));
          expect(vr[s.job]).toBe(min);
          expect(s.vruntimeNs).toBe(min);
          expect(runnable.find((x) => vr[x.id] === min)!.id).toBe(s.job);
          vr[s.job] += Math.floor((s.duration * 1_000_000 * 1024) / r.jobs[s.job].weight);
          left[s.job] -= s.duration;
        }
      }),
      { numRuns: RUNS },
    );
  });
});
