import { describe, expect, it } from 'vitest';
import { scheduleFifo, scheduleSjf } from '../../../src/teach/sched/index.js';

describe('scheduleFifo (OSTEP ch. 7.3)', () => {
  it('runs three equal jobs back to back: average turnaround 20 (the chapter example)', () => {
    const r = scheduleFifo([10, 10, 10]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([10, 20, 30]);
    expect(r.jobs.map((j) => j.response)).toEqual([0, 10, 20]);
    expect(r.averages).toEqual({ response: 10, turnaround: 20, wait: 10 });
    expect(r.slices).toEqual([
      { job: 0, start: 0, duration: 10 },
      { job: 1, start: 10, duration: 10 },
      { job: 2, start: 20, duration: 10 },
    ]);
    expect(r.makespan).toBe(30);
  });

  it('suffers the convoy effect: 100,10,10 averages 110 ticks of turnaround', () => {
    const r = scheduleFifo([100, 10, 10]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([100, 110, 120]);
    expect(r.averages.turnaround).toBe(110);
  });

  it('makes wait equal response, as every job arrives at 0', () => {
    const r = scheduleFifo([3, 1, 4, 1, 5]);
    for (const j of r.jobs) expect(j.wait).toBe(j.response);
    expect(r.jobs.map((j) => j.wait)).toEqual([0, 3, 4, 8, 9]);
  });

  it('rejects an empty list and lengths that are not whole ticks >= 1', () => {
    expect(() => scheduleFifo([])).toThrow(RangeError);
    expect(() => scheduleFifo([1, 0])).toThrow(/job 1/);
    expect(() => scheduleFifo([1.5])).toThrow(RangeError);
    expect(() => scheduleFifo([-2])).toThrow(RangeError);
  });
});

describe('scheduleSjf (OSTEP ch. 7.4)', () => {
  it('runs the convoy shortest first: 100,10,10 averages 50', () => {
    const r = scheduleSjf([100, 10, 10]);
    expect(r.slices.map((s) => s.job)).toEqual([1, 2, 0]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([120, 10, 20]);
    expect(r.averages.turnaround).toBe(50);
  });

  it('breaks ties between equal lengths by ascending job id (a stable sort)', () => {
    const r = scheduleSjf([5, 3, 5, 3, 1]);
    expect(r.slices.map((s) => s.job)).toEqual([4, 1, 3, 0, 2]);
    expect(r.jobs.map((j) => j.response)).toEqual([7, 1, 12, 4, 0]);
    expect(r.averages).toEqual({ response: 24 / 5, turnaround: 41 / 5, wait: 24 / 5 });
  });

  it('reports jobs in id order whatever the run order', () => {
    const r = scheduleSjf([9, 2, 4]);
    expect(r.jobs.map((j) => j.job)).toEqual([0, 1, 2]);
    expect(r.jobs.map((j) => j.length)).toEqual([9, 2, 4]);
  });
});
