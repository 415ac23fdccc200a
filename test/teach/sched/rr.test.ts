import { describe, expect, it } from 'vitest';
import { scheduleRr } from '../../../src/teach/sched/index.js';

describe('scheduleRr (OSTEP ch. 7.7)', () => {
  it('gives three 5-tick jobs response 0,1,2 with quantum 1 (the chapter example)', () => {
    const r = scheduleRr([5, 5, 5], { quantumTicks: 1 });
    expect(r.jobs.map((j) => j.response)).toEqual([0, 1, 2]);
    expect(r.averages.response).toBe(1);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([13, 14, 15]);
    expect(r.averages.turnaround).toBe(14);
    expect(r.slices).toHaveLength(15);
  });

  it('matches scheduler.py -p RR -q 5 -l 10,20,30', () => {
    const r = scheduleRr([10, 20, 30], { quantumTicks: 5 });
    expect(r.jobs.map((j) => [j.response, j.turnaround, j.wait])).toEqual([
      [0, 20, 10],
      [5, 45, 25],
      [10, 60, 30],
    ]);
    expect(r.slices.map((s) => s.job)).toEqual([0, 1, 2, 0, 1, 2, 1, 2, 1, 2, 2, 2]);
  });

  it('finishes a job with exactly one quantum left without requeueing it', () => {
    const r = scheduleRr([4, 8, 3], { quantumTicks: 4 });
    expect(r.slices).toEqual([
      { job: 0, start: 0, duration: 4 },
      { job: 1, start: 4, duration: 4 },
      { job: 2, start: 8, duration: 3 },
      { job: 1, start: 11, duration: 4 },
    ]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([4, 15, 11]);
  });

  it('starts the next job at once, with a full quantum, when a job finishes mid-quantum', () => {
    const r = scheduleRr([1, 7, 2], { quantumTicks: 3 });
    expect(r.slices).toEqual([
      { job: 0, start: 0, duration: 1 },
      { job: 1, start: 1, duration: 3 },
      { job: 2, start: 4, duration: 2 },
      { job: 1, start: 6, duration: 3 },
      { job: 1, start: 9, duration: 1 },
    ]);
    expect(r.jobs.map((j) => [j.response, j.turnaround, j.wait])).toEqual([
      [0, 1, 0],
      [1, 10, 3],
      [4, 6, 4],
    ]);
  });

  it('keeps back-to-back slices of a lone job separate (one per quantum)', () => {
    const r = scheduleRr([1, 6], { quantumTicks: 2 });
    expect(r.slices.filter((s) => s.job === 1).map((s) => s.start)).toEqual([1, 3, 5]);
  });

  it('rejects a quantum that is not a whole number >= 1', () => {
    expect(() => scheduleRr([1], { quantumTicks: 0 })).toThrow(RangeError);
    expect(() => scheduleRr([1], { quantumTicks: 1.5 })).toThrow(RangeError);
  });
});
