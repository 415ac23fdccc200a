import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Engine, type Processor } from '../../src/sim/engine.js';
import { Rng } from '../../src/sim/rng.js';

describe('Engine', () => {
  test('events run in (time, sequence) order and advance the clock', () => {
    const e = new Engine(1);
    const seen: string[] = [];
    e.at(30, () => seen.push(`c@${e.now}`));
    e.at(10, () => seen.push(`a@${e.now}`));
    e.at(10, () => seen.push(`b@${e.now}`));
    expect(e.run()).toBe('idle');
    expect(seen).toEqual(['a@10', 'b@10', 'c@30']);
    expect(e.now).toBe(30);
  });

  test('a cancelled event never runs', () => {
    const e = new Engine(1);
    let ran = false;
    const ev = e.at(5, () => (ran = true));
    e.cancel(ev);
    e.run();
    expect(ran).toBe(false);
  });

  test('run stops at the time limit and can continue', () => {
    const e = new Engine(1);
    const seen: number[] = [];
    for (const t of [1, 2, 3, 4]) e.at(t * 100, () => seen.push(t));
    expect(e.run({ until: 250 })).toBe('until');
    expect(seen).toEqual([1, 2]);
    e.run();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  test('events scheduled in the past run now, never earlier', () => {
    const e = new Engine(1);
    const times: number[] = [];
    e.at(100, () => e.at(50, () => times.push(e.now)));
    e.run();
    expect(times).toEqual([100]);
  });

  test('processors interleave with events in time order', () => {
    const e = new Engine(1);
    const log: string[] = [];
    const mk = (name: string, period: number, count: number): Processor => {
      let left = count;
      const p: Processor = {
        nextTime: period,
        step() {
          do {
            log.push(`${name}@${e.now}`);
            left--;
            p.nextTime = left > 0 ? e.now + period : Infinity;
            if (p.nextTime < e.horizon) e.now = p.nextTime;
          } while (p.nextTime < e.horizon);
        },
      };
      return p;
    };
    e.addProcessor(mk('p', 10, 3));
    e.addProcessor(mk('q', 15, 2));
    e.at(20, () => log.push(`ev@${e.now}`));
    e.run();
    expect(log).toEqual(['p@10', 'q@15', 'ev@20', 'p@20', 'p@30', 'q@30']);
  });

  test('property: any set of events runs sorted by time, ties in scheduling order', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { maxLength: 200 }), (times) => {
        const e = new Engine(1);
        const seen: [number, number][] = [];
        times.forEach((t, i) => e.at(t, () => seen.push([e.now, i])));
        e.run();
        const expected = times.map((t, i) => [t, i] as [number, number]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(seen).toEqual(expected);
      }),
    );
  });
});

describe('deferrable events (TIMER_DEFERRABLE)', () => {
  test('run in time order while time passes, but never keep the engine busy', () => {
    const e = new Engine(1);
    const log: string[] = [];
    const tick = (): void => {
      log.push(`tick@${e.now}`);
      e.after(100, tick, true);
    };
    e.after(100, tick, true);
    // Nothing but the periodic deferrable timer: idle at once, the clock stands still.
    expect(e.run()).toBe('idle');
    expect(e.now).toBe(0);
    expect(e.isIdle()).toBe(true);
    // A real event at 250 lets time pass: the ticks before it run, in order, then idle again.
    e.at(250, () => log.push(`work@${e.now}`));
    expect(e.isIdle()).toBe(false);
    expect(e.run()).toBe('idle');
    expect(log).toEqual(['tick@100', 'tick@200', 'work@250']);
    // A run with a limit but nothing to do is still idle; letting time pass runs the ticks.
    expect(e.run({ until: 500 })).toBe('idle');
    expect(e.now).toBe(250);
    expect(e.runUntil(500)).toBe('until');
    expect(log.slice(3)).toEqual(['tick@300', 'tick@400', 'tick@500']);
    expect(e.now).toBe(500);
    // The clock moved forward (an interactive session keeping pace with the wall) runs them too.
    e.advanceTo(720);
    expect(log.slice(6)).toEqual(['tick@600', 'tick@700']);
    expect(e.now).toBe(720);
  });

  test('property: normal and deferrable events, some cancelled, run in one (time, scheduling) order when time passes', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ t: fc.nat({ max: 1000 }), deferrable: fc.boolean(), cancel: fc.boolean() }), { maxLength: 200 }), (evs) => {
        const e = new Engine(1);
        const seen: number[] = [];
        const handles = evs.map((x, i) => e.at(x.t, () => seen.push(i), x.deferrable));
        evs.forEach((x, i) => x.cancel && e.cancel(handles[i]));
        const live = evs.map((x, i) => ({ ...x, i })).filter((x) => !x.cancel);
        // Busy until the last live normal event; deferrable ones run only while time passes.
        expect(e.isIdle()).toBe(!live.some((x) => !x.deferrable));
        e.runUntil(1000);
        expect(seen).toEqual(live.sort((a, b) => a.t - b.t || a.i - b.i).map((x) => x.i));
        expect(e.isIdle()).toBe(true);
      }),
    );
  });

  test('cancelling a normal event lets the engine go idle; cancelling twice counts once', () => {
    const e = new Engine(1);
    const ev = e.at(10, () => {});
    e.at(5, () => {}, true);
    expect(e.isIdle()).toBe(false);
    e.cancel(ev);
    e.cancel(ev);
    expect(e.isIdle()).toBe(true);
    e.at(20, () => {});
    expect(e.isIdle()).toBe(false);
    expect(e.run()).toBe('idle');
    expect(e.now).toBe(20);
  });
});

describe('Rng', () => {
  test('the same seed gives the same numbers; forks are independent of draws', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 10 }, () => a.int(0, 1_000_000));
    expect(Array.from({ length: 10 }, () => b.int(0, 1_000_000))).toEqual(xs);
    const c = new Rng(42);
    const before = c.fork('net').int(0, 1e9);
    c.int(0, 10);
    c.int(0, 10);
    expect(c.fork('net').int(0, 1e9)).toBe(before);
    expect(new Rng(42).fork('mm').int(0, 1e9)).not.toBe(before);
  });

  test('int stays in range and float in [0,1)', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: -1000, max: 1000 }), fc.nat({ max: 5000 }), (seed, lo, span) => {
        const r = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const v = r.int(lo, lo + span);
          expect(v).toBeGreaterThanOrEqual(lo);
          expect(v).toBeLessThanOrEqual(lo + span);
          const f = r.float();
          expect(f).toBeGreaterThanOrEqual(0);
          expect(f).toBeLessThan(1);
        }
      }),
    );
  });
});
