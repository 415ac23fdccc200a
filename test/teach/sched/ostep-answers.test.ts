/**
 * ctsim against OSTEP's own simulators: fixtures/ostep-answers.json holds the answers
 * that cpu-sched/scheduler.py and cpu-sched-mlfq/mlfq.py printed (with -c) for a few
 * hundred random inputs plus the chapter examples (see make-ostep-answers.py there).
 * Every printed number must match: the execution trace, each job's metrics and the
 * averages exactly as "%.2f" prints them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTwoDecimals } from '../../../src/report/sched-report.js';
import { scheduleFifo, scheduleMlfq, scheduleRr, scheduleSjf, type MlfqResult } from '../../../src/teach/sched/index.js';

interface SchedCase {
  policy: 'FIFO' | 'SJF' | 'RR';
  jobs: number[];
  quantum: number;
  command: string;
  expected: {
    /** [start, job, ran] per printed "Run job" line. */
    trace: [number, number, number][];
    /** [job, response, turnaround, wait] as printed, in the script's order. */
    stats: [number, string, string, string][];
    averages: [string, string, string];
  };
}

interface MlfqCase {
  jobs: [number, number, number][];
  quanta: number[];
  allotments: number[];
  boost: number;
  ioTime: number;
  stay: boolean;
  iobump: boolean;
  command: string;
  expected: {
    /** Run-length encoded ticks: [job or null (idle), priority or null, ticks]. */
    timeline: [number | null, number | null, number][];
    ends: number[];
    /** [job, start, response, turnaround]. */
    stats: [number, number, number, number][];
    averages: [string, string];
  };
}

// CTSIM_OSTEP_ANSWERS=/path/to/answers.json checks a larger, uncommitted set made by
// the same generator (a run with a few thousand cases takes a few seconds).
const fixturePath = process.env.CTSIM_OSTEP_ANSWERS ?? new URL('./fixtures/ostep-answers.json', import.meta.url);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as {
  scheduler: SchedCase[];
  mlfq: MlfqCase[];
};

/** The MLFQ run as mlfq.py prints it: per tick the job and its priority, run-length encoded. */
function encodeTimeline(r: MlfqResult): [number | null, number | null, number][] {
  const priorityAt = new Array<number | null>(r.makespan).fill(null);
  for (const s of r.slices) for (let t = s.start; t < s.start + s.duration; t++) priorityAt[t] = s.priority;
  const runs: [number | null, number | null, number][] = [];
  r.timeline.forEach((job, t) => {
    const last = runs[runs.length - 1];
    if (last && last[0] === job && last[1] === priorityAt[t]) last[2]++;
    else runs.push([job, priorityAt[t], 1]);
  });
  return runs;
}

describe('ctsim sched vs OSTEP scheduler.py', () => {
  it('covers a few hundred cases of every policy', () => {
    expect(fixture.scheduler.length).toBeGreaterThanOrEqual(300);
    for (const p of ['FIFO', 'SJF', 'RR']) expect(fixture.scheduler.filter((c) => c.policy === p).length).toBeGreaterThan(80);
  });

  it.each(fixture.scheduler.map((c) => [c.command, c] as const))('%s', (_command, c) => {
    const r =
      c.policy === 'FIFO' ? scheduleFifo(c.jobs) : c.policy === 'SJF' ? scheduleSjf(c.jobs) : scheduleRr(c.jobs, { quantumTicks: c.quantum });
    expect(r.slices.map((s) => [s.start, s.job, s.duration])).toEqual(c.expected.trace);
    expect(c.expected.stats).toHaveLength(c.jobs.length);
    for (const [job, response, turnaround, wait] of c.expected.stats) {
      const j = r.jobs[job];
      expect([job, formatTwoDecimals(j.response), formatTwoDecimals(j.turnaround), formatTwoDecimals(j.wait)]).toEqual([
        job,
        response,
        turnaround,
        wait,
      ]);
    }
    const a = r.averages;
    expect([a.response, a.turnaround, a.wait].map(formatTwoDecimals)).toEqual(c.expected.averages);
  });
});

describe('ctsim sched --policy mlfq vs OSTEP mlfq.py', () => {
  it('covers a few hundred cases, with every option in play', () => {
    expect(fixture.mlfq.length).toBeGreaterThanOrEqual(300);
    expect(fixture.mlfq.filter((c) => c.stay).length).toBeGreaterThan(50);
    expect(fixture.mlfq.filter((c) => c.iobump).length).toBeGreaterThan(50);
    expect(fixture.mlfq.filter((c) => c.boost > 0).length).toBeGreaterThan(50);
  });

  it.each(fixture.mlfq.map((c) => [c.command, c] as const))('%s', (_command, c) => {
    const r = scheduleMlfq(
      c.jobs.map(([startTick, runTicks, ioFreqTicks]) => ({ startTick, runTicks, ioFreqTicks })),
      {
        queues: c.quanta.length,
        quantaTicks: c.quanta,
        allotments: c.allotments,
        boostTicks: c.boost,
        ioTimeTicks: c.ioTime,
        stayAfterIo: c.stay,
        ioBump: c.iobump,
      },
    );
    expect(encodeTimeline(r)).toEqual(c.expected.timeline);
    expect(r.jobs.map((j) => j.end)).toEqual(c.expected.ends);
    expect(r.jobs.map((j) => [j.job, j.start, j.response, j.turnaround])).toEqual(c.expected.stats);
    expect([r.averages.response, r.averages.turnaround].map(formatTwoDecimals)).toEqual(c.expected.averages);
  });
});
