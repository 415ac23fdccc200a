import { describe, expect, it } from 'vitest';
import Sched from '../../src/commands/sched.js';
import { runCli } from '../helpers/cli.js';

interface SchedJson {
  policy: string;
  version: string;
  seed?: number;
  params: Record<string, unknown>;
  jobs: { job: number; length: number; response: number; turnaround: number; wait: number; [k: string]: unknown }[];
  averages: { response: number; turnaround: number; wait: number };
  slices: { job: number; start: number; duration: number }[];
  makespan: number;
  timeline?: (number | null)[];
}

const run = (...argv: string[]) => runCli(Sched, argv);

describe('ctsim sched --json', () => {
  it('gives policy, jobs, averages and slices for RR (scheduler.py -p RR -q 5 -l 10,20,30)', async () => {
    const r = await run('--policy', 'rr', '--jobs', '10,20,30', '--quantum', '5', '--json');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const doc = r.json<SchedJson>();
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['policy', 'jobs', 'averages', 'slices']));
    expect(doc.policy).toBe('rr');
    expect(doc.params).toEqual({ quantumTicks: 5 });
    expect(doc.seed).toBeUndefined();
    expect(doc.jobs).toEqual([
      { job: 0, length: 10, response: 0, turnaround: 20, wait: 10 },
      { job: 1, length: 20, response: 5, turnaround: 45, wait: 25 },
      { job: 2, length: 30, response: 10, turnaround: 60, wait: 30 },
    ]);
    expect(doc.averages).toEqual({ response: 5, turnaround: 125 / 3, wait: 65 / 3 });
    expect(doc.slices.slice(0, 4)).toEqual([
      { job: 0, start: 0, duration: 5 },
      { job: 1, start: 5, duration: 5 },
      { job: 2, start: 10, duration: 5 },
      { job: 0, start: 15, duration: 5 },
    ]);
    expect(doc.slices).toHaveLength(12);
  });

  it('defaults to FIFO and RR to quantum 1, as scheduler.py does', async () => {
    const fifo = (await run('--jobs', '10,10,10', '--json')).json<SchedJson>();
    expect(fifo.policy).toBe('fifo');
    expect(fifo.averages.turnaround).toBe(20);
    const rr = (await run('--policy', 'rr', '--jobs', '5,5,5', '--json')).json<SchedJson>();
    expect(rr.params).toEqual({ quantumTicks: 1 });
    expect(rr.averages.response).toBe(1);
  });

  it('gives MLFQ per-job firstRun, end, response, turnaround and a per-tick timeline', async () => {
    const r = await run('--policy', 'mlfq', '--jobs', '0,6,3:2,4,0', '--queues', '1', '--json');
    expect(r.exitCode).toBe(0);
    const doc = r.json<SchedJson>();
    expect(doc.jobs[0]).toMatchObject({ job: 0, length: 6, start: 0, firstRun: 0, end: 11, response: 0, turnaround: 11 });
    expect(doc.jobs[1]).toMatchObject({ job: 1, length: 4, start: 2, firstRun: 3, end: 7, response: 1, turnaround: 5 });
    expect(doc.timeline).toEqual([0, 0, 0, 1, 1, 1, 1, null, 0, 0, 0]);
    expect(doc.params).toMatchObject({ queues: 1, quantaTicks: [10], allotments: [1], boostTicks: 0, ioTimeTicks: 5 });
  });

  it('maps mlfq.py flags: --quanta highest priority first, --allotments, --boost, --io-time, -S, -I', async () => {
    const doc = (
      await run('--policy', 'mlfq', '--jobs', '0,30,0:0,30,10', '--quanta', '10,10,10', '--allotments', '1,1,1', '--io-time', '1', '--stay-after-io', '--boost', '0', '--json')
    ).json<SchedJson>();
    // mlfq.py -l 0,30,0:0,30,10 -S -i 1 -c: turnarounds 50 and 60.
    expect(doc.jobs.map((j) => j.turnaround)).toEqual([50, 60]);
    expect(doc.params).toMatchObject({ stayAfterIo: true, ioBump: false, queues: 3 });
    const bumped = (await run('--policy', 'mlfq', '--jobs', '0,20,3:0,20,0', '--queues', '1', '--io-time', '2', '--io-bump', '--json')).json<SchedJson>();
    expect(bumped.jobs.map((j) => j.turnaround)).toEqual([36, 40]);
    const quanta = (await run('--policy', 'mlfq', '--jobs', '0,30,0', '--quanta', '2,4,8', '--json')).json<SchedJson>();
    expect(quanta.params).toMatchObject({ queues: 3, quantaTicks: [2, 4, 8] });
    expect(quanta.slices.slice(0, 3).map((s) => s.duration)).toEqual([2, 4, 8]);
  });

  it('echoes the seed for lottery and is reproducible with it', async () => {
    const a = await run('--policy', 'lottery', '--jobs', '10,10', '--tickets', '300,100', '--seed', '7', '--json');
    const b = await run('--policy', 'lottery', '--jobs', '10,10', '--tickets', '300,100', '--seed', '7', '--json');
    expect(a.exitCode).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = a.json<SchedJson>();
    expect(doc.seed).toBe(7);
    expect(doc.params).toEqual({ quantumTicks: 1, tickets: [300, 100] });
    expect(doc.jobs.map((j) => j.tickets)).toEqual([300, 100]);
  });

  it('runs the CFS model with nice values and its tunables', async () => {
    const doc = (await run('--policy', 'cfs', '--jobs', '30,30,30', '--nice', '-5,0,0', '--json')).json<SchedJson>();
    expect(doc.params).toEqual({ latencyTicks: 6, minGranularityTicks: 1, nice: [-5, 0, 0] });
    expect(doc.jobs.map((j) => j.weight)).toEqual([3121, 1024, 1024]);
    expect(doc.slices.slice(0, 3).map((s) => s.duration)).toEqual([4, 2, 2]);
    const wide = (await run('--policy', 'cfs', '--jobs', '30,30', '--latency', '20', '--min-granularity', '3', '--json')).json<SchedJson>();
    expect(wide.slices[0].duration).toBe(10);
  });

  it('draws 3 random jobs from --seed when --jobs is omitted, and echoes the seed', async () => {
    const a = (await run('--policy', 'sjf', '--seed', '11', '--json')).json<SchedJson>();
    const b = (await run('--policy', 'sjf', '--seed', '11', '--json')).json<SchedJson>();
    expect(a.seed).toBe(11);
    expect(a.jobs).toHaveLength(3);
    for (const j of a.jobs) expect(j.length).toBeGreaterThanOrEqual(1);
    for (const j of a.jobs) expect(j.length).toBeLessThanOrEqual(10);
    expect(b.jobs).toEqual(a.jobs);
    const dflt = (await run('--json')).json<SchedJson>();
    expect(dflt.seed).toBe(0);
  });
});

describe('ctsim sched text output', () => {
  it('echoes the policy and parameters, then the table and the Gantt chart', async () => {
    const r = await run('--policy', 'rr', '--jobs', '10,20,30', '--quantum', '5');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ctsim \S+ sched: policy rr \(round robin\), quantum 5 ticks$/);
    expect(lines[1]).toBe('jobs (ticks): 10,20,30');
    expect(r.stdout).toMatch(/│ Average │ +│ +5\.00 │ +41\.67 │ +21\.67 │/);
    expect(r.stdout).toContain('Gantt chart: 1 column = 1 tick, makespan 60 ticks');
    expect(r.stdout).toContain('job 0  #####..........#####\n');
  });

  it('shows examples in --help', async () => {
    const r = await run('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('sched --policy rr --jobs 10,20,30 --quantum 5');
    expect(r.stdout).toContain('--stay-after-io');
  });
});

describe('ctsim sched bad input: one line on stderr, exit 2', () => {
  const cases: [string, string[], RegExp][] = [
    ['a non-number job length', ['--jobs', '10,abc'], /^ctsim sched: --jobs at job 1: expected a whole number of ticks >= 1, found "abc" \(fix: .*--jobs 10,20,30\)$/],
    ['a negative job length', ['--jobs', '10,-5'], /--jobs at job 1: expected .* >= 1, found "-5"/],
    ['a zero job length', ['--jobs', '0'], /--jobs at job 0: expected .* >= 1, found "0"/],
    ['an empty job list', ['--jobs', ''], /--jobs: expected a comma-separated list.*found an empty value/],
    ['quantum 0', ['--policy', 'rr', '--jobs', '5', '--quantum', '0'], /--quantum: expected a whole number of ticks >= 1, found "0" \(fix: /],
    ['a negative quantum', ['--policy', 'rr', '--jobs', '5', '--quantum=-3'], /--quantum: expected .* >= 1, found "-3"/],
    ['an unknown policy', ['--policy', 'stcf'], /--policy: expected one of fifo, sjf, rr, mlfq, lottery, cfs, found "stcf" \(fix: /],
    ['an MLFQ job with 2 fields', ['--policy', 'mlfq', '--jobs', '0,10'], /--jobs at job 0: expected start,run,ioFreq \(3 whole numbers of ticks\), found 2 fields in "0,10" \(fix: /],
    ['an MLFQ job with a bad field', ['--policy', 'mlfq', '--jobs', '0,10,0:x,1,1'], /--jobs at job 1 \("x,1,1"\): expected start: .*found "x"/],
    ['--quanta not matching --queues', ['--policy', 'mlfq', '--jobs', '0,10,0', '--queues', '3', '--quanta', '10,20'], /--quanta: expected 3 values \(one per queue.*found 2 \("10,20"\) \(fix: /],
    ['--allotments not matching the queues', ['--policy', 'mlfq', '--jobs', '0,10,0', '--allotments', '1,2'], /--allotments: expected 3 values/],
    ['--quantum and --quanta together', ['--policy', 'mlfq', '--jobs', '0,10,0', '--quantum', '5', '--quanta', '1,2,3'], /--quanta: expected either --quantum .* or --quanta .*, found both/],
    ['a negative --io-time', ['--policy', 'mlfq', '--jobs', '0,10,0', '--io-time=-1'], /--io-time: expected .* >= 0, found "-1"/],
    ['a flag of another policy', ['--policy', 'rr', '--jobs', '5', '--tickets', '10'], /--tickets: expected it only with --policy lottery, found --policy rr \(fix: /],
    ['--quantum with FIFO', ['--jobs', '5', '--quantum', '2'], /--quantum: expected it only with --policy rr or mlfq or lottery, found --policy fifo/],
    ['a ticket count not matching the jobs', ['--policy', 'lottery', '--jobs', '5,5', '--tickets', '1'], /--tickets: expected 2 values \(one per job\), found 1/],
    ['zero tickets', ['--policy', 'lottery', '--jobs', '5,5', '--tickets', '1,0'], /--tickets at job 1: expected .* >= 1, found "0"/],
    ['a nice value out of range', ['--policy', 'cfs', '--jobs', '5', '--nice', '20'], /--nice at job 0: expected a nice value in -20\.\.19, found "20"/],
    ['a seed with an explicit FIFO job list', ['--jobs', '5', '--seed', '3'], /--seed: expected it only with --policy lottery or without --jobs/],
    ['a bad seed', ['--policy', 'lottery', '--jobs', '5', '--seed', 'x'], /--seed: expected a whole number in 0\.\.\d+, found "x"/],
    ['too much work', ['--jobs', '999999,2'], /--jobs: expected at most 1000000 ticks of work in total, found 1000001/],
  ];

  it.each(cases)('%s', async (_what, argv, message) => {
    const r = await run(...argv);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('treats an unknown flag as a usage error too', async () => {
    const r = await run('--jobs', '5', '--bogus');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^ctsim sched: Nonexistent flag: --bogus/);
  });
});
