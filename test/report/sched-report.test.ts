import { describe, expect, it } from 'vitest';
import {
  formatTwoDecimals,
  ganttInputOf,
  ganttScale,
  renderGantt,
  renderSchedHeader,
  renderSchedReport,
  renderSchedTable,
} from '../../src/report/sched-report.js';
import { Rng } from '../../src/sim/index.js';
import { scheduleCfs, scheduleFifo, scheduleLottery, scheduleMlfq, scheduleRr } from '../../src/teach/sched/index.js';

describe('formatTwoDecimals (printf "%.2f")', () => {
  it('rounds exact binary ties to even, as Python and C do and toFixed does not', () => {
    expect(formatTwoDecimals(0.125)).toBe('0.12');
    expect(formatTwoDecimals(0.375)).toBe('0.38');
    expect(formatTwoDecimals(2.625)).toBe('2.62');
    expect(formatTwoDecimals(-0.125)).toBe('-0.12');
  });

  it('rounds other values to the nearest, by their exact binary value', () => {
    expect(formatTwoDecimals(125 / 3)).toBe('41.67');
    expect(formatTwoDecimals(1.005)).toBe('1.00'); // 1.00499999999999989…
    expect(formatTwoDecimals(0.005)).toBe('0.01'); // 0.005000000000000000104…
    expect(formatTwoDecimals(20)).toBe('20.00');
    expect(formatTwoDecimals(0)).toBe('0.00');
  });
});

describe('renderSchedTable', () => {
  it('lists every job and the averages (OSTEP FIFO 10,10,10)', () => {
    expect(renderSchedTable(scheduleFifo([10, 10, 10]))).toBe(
      [
        '┌─────────┬────────┬──────────┬────────────┬───────┐',
        '│ Job     │ Length │ Response │ Turnaround │  Wait │',
        '├─────────┼────────┼──────────┼────────────┼───────┤',
        '│ 0       │     10 │        0 │         10 │     0 │',
        '│ 1       │     10 │       10 │         20 │    10 │',
        '│ 2       │     10 │       20 │         30 │    20 │',
        '│ Average │        │    10.00 │      20.00 │ 10.00 │',
        '└─────────┴────────┴──────────┴────────────┴───────┘',
        '',
      ].join('\n'),
    );
  });

  it('prints averages as OSTEP does (RR 10,20,30 q 5: 5.00, 41.67, 21.67)', () => {
    const text = renderSchedTable(scheduleRr([10, 20, 30], { quantumTicks: 5 }));
    expect(text).toMatch(/│ Average │ +│ +5\.00 │ +41\.67 │ +21\.67 │/);
  });

  it('adds the policy columns: MLFQ arrival and I/O, lottery tickets, CFS nice and weight', () => {
    const mlfq = scheduleMlfq([{ startTick: 2, runTicks: 6, ioFreqTicks: 3 }], {
      queues: 1, quantaTicks: [10], allotments: [1], boostTicks: 0, ioTimeTicks: 5, stayAfterIo: false, ioBump: false,
    });
    expect(renderSchedTable(mlfq)).toMatch(/│ Job +│ Start │ Length │ I\/O every │ First run │ End │ I\/O ticks │ Response │ Turnaround │ Wait │/);
    expect(renderSchedTable(mlfq)).toMatch(/│ 0 +│ +2 │ +6 │ +3 │ +2 │ +13 │ +5 │ +0 │ +11 │ +0 │/);
    const lottery = scheduleLottery([3, 4], { quantumTicks: 1, tickets: [30, 10] }, new Rng(1));
    expect(renderSchedTable(lottery)).toMatch(/│ 1 +│ +4 │ +10 │/);
    const cfs = scheduleCfs([3, 4], { latencyTicks: 6, minGranularityTicks: 1, nice: [0, 5] });
    expect(renderSchedTable(cfs)).toMatch(/│ 1 +│ +4 │ +5 │ +335 │/);
  });
});

describe('renderGantt', () => {
  it('draws one row per job, one column per tick when the run is short', () => {
    const text = renderGantt({
      makespan: 5,
      rows: [
        { job: 0, arrival: 0, end: 2 },
        { job: 1, arrival: 0, end: 5 },
      ],
      slices: [
        { job: 0, start: 0, duration: 2 },
        { job: 1, start: 2, duration: 3 },
      ],
    });
    expect(text).toBe(
      [
        'Gantt chart: 1 column = 1 tick, makespan 5 ticks',
        'time   0',
        '       |----|',
        'job 0  ##',
        'job 1  ..###',
        'legend: # running, . ready (waiting), blank: not arrived or done',
        '',
      ].join('\n'),
    );
  });

  it('scales long runs to fit, marking columns a job ran only part of', () => {
    const text = renderGantt(
      {
        makespan: 9,
        rows: [
          { job: 0, arrival: 0, end: 9 },
          { job: 1, arrival: 2, end: 7 },
        ],
        slices: [
          { job: 0, start: 0, duration: 3 },
          { job: 1, start: 3, duration: 4 },
          { job: 0, start: 7, duration: 2 },
        ],
      },
      4,
    );
    expect(text.split('\n').slice(0, 5)).toEqual([
      'Gantt chart: 1 column = 3 ticks, makespan 9 ticks',
      'time   0',
      '       |--|',
      'job 0  #.+',
      'job 1  .#+',
    ]);
    expect(text).toContain('+ running part of the column');
  });

  it('shows I/O, and arrivals after 0, for MLFQ', () => {
    const r = scheduleMlfq(
      [
        { startTick: 0, runTicks: 6, ioFreqTicks: 3 },
        { startTick: 2, runTicks: 4, ioFreqTicks: 0 },
      ],
      { queues: 1, quantaTicks: [10], allotments: [1], boostTicks: 0, ioTimeTicks: 5, stayAfterIo: false, ioBump: false },
    );
    const lines = renderGantt(ganttInputOf(r)).split('\n');
    expect(lines.slice(3, 5)).toEqual(['job 0  ###~~~~~###', 'job 1    .####']);
    expect(lines[5]).toContain('~ blocked in I/O');
  });

  it('keeps the chart within about 72 columns, labelling the axis every 10 columns', () => {
    expect(ganttScale(72)).toBe(1);
    expect(ganttScale(73)).toBe(2);
    expect(ganttScale(144)).toBe(2);
    expect(ganttScale(145)).toBe(3);
    const r = scheduleRr([400, 300, 333], { quantumTicks: 7 });
    const lines = renderGantt(ganttInputOf(r)).split('\n');
    expect(lines[0]).toBe('Gantt chart: 1 column = 15 ticks, makespan 1033 ticks');
    expect(lines[1]).toBe('time   0         150       300       450       600       750       900');
    for (const line of lines.slice(2, 6)) expect(line.length).toBeLessThanOrEqual(7 + 72 + 1);
  });
});

describe('renderSchedReport', () => {
  it('echoes the policy, its parameters, the jobs and the seed when there is one', () => {
    const r = scheduleLottery([5, 5], { quantumTicks: 2, tickets: [100, 50] }, new Rng(3));
    expect(renderSchedHeader(r, { version: '1.2.3', seed: 3 })).toBe(
      'ctsim 1.2.3 sched: policy lottery (lottery), quantum 2 ticks, tickets 100,50\njobs (ticks): 5,5\nseed: 3\n',
    );
    const mlfq = scheduleMlfq([{ startTick: 0, runTicks: 5, ioFreqTicks: 0 }], {
      queues: 2, quantaTicks: [2, 4], allotments: [1, 3], boostTicks: 10, ioTimeTicks: 5, stayAfterIo: true, ioBump: false,
    });
    expect(renderSchedHeader(mlfq, { version: '1', jobsRandom: true })).toBe(
      'ctsim 1 sched: policy mlfq (multi-level feedback queue), 2 queues, quanta 2,4 ticks and allotments 1,3 ' +
        '(highest priority first), boost every 10 ticks, I/O time 5 ticks, stay-after-io on, io-bump off\n' +
        'jobs (start,run,ioFreq ticks): 0,5,0 (drawn at random: give --jobs to choose them)\n',
    );
  });

  it('is deterministic: the same result renders to the same bytes', () => {
    const a = renderSchedReport(scheduleRr([10, 20, 30], { quantumTicks: 5 }), { version: '0' });
    const b = renderSchedReport(scheduleRr([10, 20, 30], { quantumTicks: 5 }), { version: '0' });
    expect(a).toBe(b);
    expect(a).toContain('policy rr (round robin), quantum 5 ticks');
    expect(a).toContain('job 2  ..........#####..........#####.....#####.....###############');
  });
});
