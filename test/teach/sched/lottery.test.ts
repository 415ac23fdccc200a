import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/sim/index.js';
import { scheduleLottery } from '../../../src/teach/sched/index.js';

const rngFor = (seed: number): Rng => new Rng(seed).fork('sched.lottery');

describe('scheduleLottery (OSTEP ch. 9)', () => {
  it('gives the same schedule for the same seed, and another for another seed', () => {
    const params = { quantumTicks: 1, tickets: [100, 100, 100] };
    const a = scheduleLottery([20, 20, 20], params, rngFor(5));
    const b = scheduleLottery([20, 20, 20], params, rngFor(5));
    const c = scheduleLottery([20, 20, 20], params, rngFor(6));
    expect(b).toEqual(a);
    expect(c.slices.map((s) => s.job)).not.toEqual(a.slices.map((s) => s.job));
  });

  it('shares the CPU in proportion to tickets (3:1 → about 75%) while both jobs run', () => {
    for (const seed of [1, 2, 3]) {
      const r = scheduleLottery([4000, 4000], { quantumTicks: 1, tickets: [300, 100] }, rngFor(seed));
      const firstDone = Math.min(r.jobs[0].turnaround, r.jobs[1].turnaround);
      const ran0 = r.slices.filter((s) => s.job === 0 && s.start < firstDone).reduce((a, s) => a + s.duration, 0);
      expect(ran0 / firstDone).toBeGreaterThan(0.72);
      expect(ran0 / firstDone).toBeLessThan(0.78);
    }
  });

  it('draws among the unfinished jobs only and picks the holder of the drawn ticket', () => {
    const r = scheduleLottery([2, 50, 3], { quantumTicks: 1, tickets: [10, 20, 30] }, rngFor(9));
    for (const s of r.slices) {
      const live = r.jobs.filter((j) => j.turnaround > s.start);
      expect(s.totalTickets).toBe(live.reduce((a, j) => a + j.tickets, 0));
      // The winner is the live job whose ticket range [from, from + tickets) holds the draw.
      let from = 0;
      const holder = live.find((j) => {
        from += j.tickets;
        return s.draw < from;
      });
      expect(holder?.job).toBe(s.job);
    }
  });

  it('ends a quantum early when the winner finishes, with no idle time', () => {
    const r = scheduleLottery([3, 5], { quantumTicks: 4, tickets: [1, 1] }, rngFor(0));
    expect(r.makespan).toBe(8);
    let t = 0;
    for (const s of r.slices) {
      expect(s.start).toBe(t);
      t += s.duration;
    }
    for (const j of r.jobs) expect(j.wait).toBe(j.turnaround - j.length);
  });

  it('rejects zero tickets and a ticket list of the wrong length', () => {
    expect(() => scheduleLottery([1, 2], { quantumTicks: 1, tickets: [1, 0] }, rngFor(0))).toThrow(/tickets/);
    expect(() => scheduleLottery([1, 2], { quantumTicks: 1, tickets: [1] }, rngFor(0))).toThrow(/2 jobs/);
  });
});
