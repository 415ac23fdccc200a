import { describe, expect, it } from 'vitest';
import { CFS_DEFAULTS, niceToWeight, scheduleCfs } from '../../../src/teach/sched/index.js';

const cfs = (lengths: number[], nice = lengths.map(() => 0), over: { latencyTicks?: number; minGranularityTicks?: number } = {}) =>
  scheduleCfs(lengths, { ...CFS_DEFAULTS, ...over, nice });

describe('niceToWeight (Linux sched_prio_to_weight)', () => {
  it('maps nice 0 to 1024 and the ends of the range to 88761 and 15', () => {
    expect(niceToWeight(0)).toBe(1024);
    expect(niceToWeight(-20)).toBe(88761);
    expect(niceToWeight(19)).toBe(15);
    expect(niceToWeight(1)).toBe(820);
    expect(niceToWeight(-1)).toBe(1277);
  });

  it('changes the weight by about ×1.25 per nice step', () => {
    for (let n = -20; n < 19; n++) {
      const ratio = niceToWeight(n) / niceToWeight(n + 1);
      expect(ratio).toBeGreaterThan(1.19);
      expect(ratio).toBeLessThan(1.31);
    }
  });

  it('rejects nice values outside -20..19', () => {
    expect(() => niceToWeight(20)).toThrow(RangeError);
    expect(() => niceToWeight(-21)).toThrow(RangeError);
    expect(() => niceToWeight(0.5)).toThrow(RangeError);
  });
});

describe('scheduleCfs (teaching model of Linux CFS)', () => {
  it('gives equal-nice jobs latency/n slices in turn, ties going to the lowest id', () => {
    const r = cfs([10, 20, 30]);
    // 3 × nice 0: slice = 6 × 1024 / 3072 = 2 ticks; two left: 3; one left: 6.
    expect(r.slices.slice(0, 4).map((s) => [s.job, s.start, s.duration])).toEqual([
      [0, 0, 2],
      [1, 2, 2],
      [2, 4, 2],
      [0, 6, 2],
    ]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([26, 47, 60]);
    // Job 0 ends at 26; each later pick sizes its slice for the jobs still runnable.
    expect(r.slices.filter((s) => s.start >= 26).map((s) => [s.job, s.start, s.duration])).toEqual([
      [1, 26, 3],
      [2, 29, 3],
      [1, 32, 3],
      [2, 35, 3],
      [1, 38, 3],
      [2, 41, 3],
      [1, 44, 3],
      [2, 47, 6],
      [2, 53, 6],
      [2, 59, 1],
    ]);
  });

  it('advances vruntime by delta × 1024 / weight, in ns of a 1-ms tick', () => {
    const r = cfs([4, 4], [0, 5]);
    expect(r.jobs[0].vruntimeNs).toBe(4_000_000);
    expect(r.jobs[1].vruntimeNs).toBe(Math.floor((4_000_000 * 1024) / 335));
    // The slice picked at vruntime 0 by the lowest id; job 1 follows with its own 0.
    expect(r.slices[0]).toMatchObject({ job: 0, vruntimeNs: 0 });
    expect(r.slices[1]).toMatchObject({ job: 1, vruntimeNs: 0 });
  });

  it('sizes slices by weight share: nice -5 vs two nice 0 jobs gets 4 of 6 ticks per period', () => {
    const r = cfs([30, 30, 30], [-5, 0, 0]);
    // 6 × 3121 / 5169 = 3.6 → 4 ticks; 6 × 1024 / 5169 = 1.2 → 2 ticks.
    expect(r.slices.slice(0, 3).map((s) => [s.job, s.duration])).toEqual([
      [0, 4],
      [1, 2],
      [2, 2],
    ]);
  });

  it('shares the CPU in proportion to weight over time (nice 0 vs nice 5 → about 75%)', () => {
    const r = cfs([2000, 2000], [0, 5]);
    const firstDone = Math.min(...r.jobs.map((j) => j.turnaround));
    const ran0 = r.slices.filter((s) => s.job === 0 && s.start < firstDone).reduce((a, s) => a + s.duration, 0);
    expect(ran0 / firstDone).toBeCloseTo(1024 / (1024 + 335), 1);
  });

  it('never gives a slice shorter than min_granularity', () => {
    const ten = new Array<number>(10).fill(5);
    expect(cfs(ten).slices.every((s) => s.duration === 1)).toBe(true);
    const r = cfs(ten, undefined, { minGranularityTicks: 2 });
    expect(r.slices.slice(0, 10).every((s) => s.duration === 2)).toBe(true);
  });

  it('rejects a nice list of the wrong length and a zero latency', () => {
    expect(() => cfs([1, 2], [0])).toThrow(/2 jobs/);
    expect(() => cfs([1], [0], { latencyTicks: 0 })).toThrow(RangeError);
  });
});
