import { describe, expect, it } from 'vitest';
import { MLFQ_DEFAULTS, scheduleMlfq, type MlfqJobSpec, type MlfqParams } from '../../../src/teach/sched/index.js';

/** mlfq.py's -l format: "start,run,ioFreq:…". */
function jobs(list: string): MlfqJobSpec[] {
  return list.split(':').map((j) => {
    const [startTick, runTicks, ioFreqTicks] = j.split(',').map(Number);
    return { startTick, runTicks, ioFreqTicks };
  });
}

/** mlfq.py's defaults, with `over` applied; `quantum`/`allotment` fill every queue. */
function params(over: Partial<MlfqParams> & { quantum?: number; allotment?: number } = {}): MlfqParams {
  const queues = over.queues ?? MLFQ_DEFAULTS.queues;
  return {
    queues,
    quantaTicks: over.quantaTicks ?? new Array<number>(queues).fill(over.quantum ?? MLFQ_DEFAULTS.quantumTicks),
    allotments: over.allotments ?? new Array<number>(queues).fill(over.allotment ?? MLFQ_DEFAULTS.allotment),
    boostTicks: over.boostTicks ?? MLFQ_DEFAULTS.boostTicks,
    ioTimeTicks: over.ioTimeTicks ?? MLFQ_DEFAULTS.ioTimeTicks,
    stayAfterIo: over.stayAfterIo ?? false,
    ioBump: over.ioBump ?? false,
  };
}

const brief = (r: ReturnType<typeof scheduleMlfq>): number[][] => r.slices.map((s) => [s.job, s.start, s.duration, s.priority]);

describe('scheduleMlfq (OSTEP ch. 8, mlfq.py)', () => {
  it('demotes a lone long job one level per used allotment (OSTEP fig. 8.2)', () => {
    const r = scheduleMlfq(jobs('0,40,0'), params());
    expect(brief(r)).toEqual([
      [0, 0, 10, 2],
      [0, 10, 10, 1],
      [0, 20, 10, 0],
      [0, 30, 10, 0],
    ]);
    expect(r.jobs[0]).toMatchObject({ firstRun: 0, end: 40, response: 0, turnaround: 40, wait: 0 });
  });

  it('lets a short job that arrives later run first at top priority (OSTEP fig. 8.3)', () => {
    const r = scheduleMlfq(jobs('0,200,0:100,20,0'), params());
    expect(r.jobs[1]).toMatchObject({ start: 100, firstRun: 100, end: 120, response: 0, turnaround: 20 });
    expect(r.jobs[0]).toMatchObject({ end: 220, turnaround: 220, wait: 20 });
    expect(brief(r).filter((s) => s[0] === 1)).toEqual([
      [1, 100, 10, 2],
      [1, 110, 10, 1],
    ]);
    expect(r.makespan).toBe(220);
  });

  it('boosts the lower queues into the top queue lowest queue first, the running job included', () => {
    const r = scheduleMlfq(jobs('0,20,0:0,20,0'), params({ quantum: 2, boostTicks: 7 }));
    // At t=7 job 0 waits in queue 0 and job 1 runs in queue 1: job 0 comes out first.
    expect(brief(r).slice(0, 6)).toEqual([
      [0, 0, 2, 2],
      [1, 2, 2, 2],
      [0, 4, 2, 1],
      [1, 6, 1, 1],
      [0, 7, 2, 2],
      [1, 9, 2, 2],
    ]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([34, 40]);
  });

  it('with --io-bump puts a job back at the front of its queue when its I/O completes', () => {
    const bumped = scheduleMlfq(jobs('0,20,3:0,20,0'), params({ queues: 1, ioTimeTicks: 2, ioBump: true }));
    expect(brief(bumped).slice(0, 5)).toEqual([
      [0, 0, 3, 0],
      [1, 3, 2, 0],
      [0, 5, 3, 0],
      [1, 8, 2, 0],
      [0, 10, 3, 0],
    ]);
    const plain = scheduleMlfq(jobs('0,20,3:0,20,0'), params({ queues: 1, ioTimeTicks: 2 }));
    expect(brief(plain).slice(0, 3)).toEqual([
      [0, 0, 3, 0],
      [1, 3, 10, 0],
      [0, 13, 3, 0],
    ]);
    expect(plain.jobs.map((j) => j.turnaround)).toEqual([48, 26]);
  });

  it('queues arrivals before I/O completions due at the same tick', () => {
    const r = scheduleMlfq(jobs('0,10,2:5,10,0'), params({ ioTimeTicks: 3 }));
    expect(r.timeline.slice(0, 6)).toEqual([0, 0, null, null, null, 1]);
    expect(r.jobs.map((j) => j.end)).toEqual([32, 15]);
  });

  it('finishes a job rather than starting an I/O due on its last tick', () => {
    const r = scheduleMlfq(jobs('0,6,3'), params());
    expect(r.timeline).toEqual([0, 0, 0, null, null, null, null, null, 0, 0, 0]);
    expect(r.jobs[0]).toMatchObject({ end: 11, ioTicks: 5, wait: 0 });
    expect(r.io).toEqual([{ job: 0, start: 3, duration: 5 }]);
  });

  it('with --stay-after-io lets a job that blocks just before its slice ends keep its level (gaming)', () => {
    const r = scheduleMlfq(jobs('0,30,0:0,30,9'), params({ stayAfterIo: true, ioTimeTicks: 1 }));
    expect(r.slices.filter((s) => s.job === 1).every((s) => s.priority === 2)).toBe(true);
  });

  it('with --stay-after-io still charges an I/O on the last tick of the slice (mlfq.py quirk)', () => {
    const r = scheduleMlfq(jobs('0,30,0:0,30,10'), params({ stayAfterIo: true, ioTimeTicks: 1 }));
    expect(brief(r)).toEqual([
      [0, 0, 10, 2],
      [1, 10, 10, 2],
      [0, 20, 10, 1],
      [1, 30, 10, 1],
      [0, 40, 10, 0],
      [1, 50, 10, 0],
    ]);
    expect(r.jobs.map((j) => j.turnaround)).toEqual([50, 60]);
  });

  it('without --stay-after-io carries the slice across an I/O (the anti-gaming rule)', () => {
    const r = scheduleMlfq(jobs('0,30,0:0,30,9'), params({ ioTimeTicks: 1 }));
    // Job 1 uses 9 ticks, blocks, then its 10th tick at level 2 ends its allotment.
    const levels = r.slices.filter((s) => s.job === 1).map((s) => [s.start, s.duration, s.priority]);
    expect(levels.slice(0, 2)).toEqual([
      [10, 9, 2],
      [20, 1, 2],
    ]);
    expect(levels[2][2]).toBe(1);
  });

  it('uses per-queue quanta and allotments given highest priority first', () => {
    const r = scheduleMlfq(jobs('0,30,0'), params({ quantaTicks: [2, 4, 8], allotments: [1, 2, 1] }));
    expect(brief(r).slice(0, 4)).toEqual([
      [0, 0, 2, 2],
      [0, 2, 4, 1],
      [0, 6, 4, 1],
      [0, 10, 8, 0],
    ]);
  });

  it('idles until the first arrival and counts response from arrival', () => {
    const r = scheduleMlfq(jobs('3,2,0'), params());
    expect(r.timeline).toEqual([null, null, null, 0, 0]);
    expect(r.jobs[0]).toMatchObject({ firstRun: 3, end: 5, response: 0, turnaround: 2 });
  });

  it('rejects parameters mlfq.py would loop on or abort with', () => {
    expect(() => scheduleMlfq(jobs('0,0,0'), params())).toThrow(/runTicks/);
    expect(() => scheduleMlfq(jobs('0,5,0'), params({ quantum: 0 }))).toThrow(/quantum/);
    expect(() => scheduleMlfq(jobs('0,5,0'), { ...params(), quantaTicks: [10, 10] })).toThrow(/one per queue/);
    expect(() => scheduleMlfq([], params())).toThrow(RangeError);
  });
});
