/**
 * Property tests: every replacement policy against a deliberately simple oracle
 * written here from the rules in /work/shared/reference/OSTEP-SEMANTICS.md ("Page
 * replacement"). The oracle keeps one array and, on each eviction, scans the rest of
 * the trace with indexOf; the implementation keeps sets, heaps and a clock hand. The
 * two must agree on every access. Invariants every policy must keep, and the
 * textbook's theorems (OPT is optimal, LRU is a stack algorithm, FIFO is not), are
 * checked too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/sim/index.js';
import { REPLACEMENT_POLICIES, nextUses, replay, replayTotals, type ReplacementPolicy, type ReplayParams } from '../../../src/teach/mem/index.js';

const RUNS = 300;

interface OracleAccess {
  hit: boolean;
  evicted: number | null;
  resident: number[];
}

/** FIFO, LRU, MRU, OPT and UNOPT by the rules, one array and linear scans. */
function oracle(trace: number[], policy: 'fifo' | 'lru' | 'mru' | 'opt' | 'unopt', frames: number): OracleAccess[] {
  const list: number[] = [];
  return trace.map((page, i) => {
    const at = list.indexOf(page);
    if (at >= 0) {
      if (policy === 'lru' || policy === 'mru') {
        list.splice(at, 1);
        list.push(page);
      }
      return { hit: true, evicted: null, resident: [...list] };
    }
    let evicted: number | null = null;
    if (list.length === frames) {
      // When each resident page is next used (trace.length: never again).
      const next = list.map((p) => {
        const k = trace.indexOf(p, i + 1);
        return k === -1 ? trace.length : k;
      });
      let victim = 0;
      if (policy === 'mru') victim = list.length - 1;
      if (policy === 'opt') {
        // The largest; among equals the one nearest the end of the list.
        for (let k = 0; k < list.length; k++) if (next[k] >= next[victim]) victim = k;
      }
      if (policy === 'unopt') {
        // The smallest; among equals the one nearest the head.
        for (let k = 0; k < list.length; k++) if (next[k] < next[victim]) victim = k;
      }
      evicted = list.splice(victim, 1)[0];
    }
    list.push(page);
    return { hit: false, evicted, resident: [...list] };
  });
}

/**
 * CLOCK as "second chance": a queue whose head is where the hand points. A head with
 * a non-zero counter loses 1 and goes to the tail; a head at 0 is evicted. Same
 * victims as a hand sweeping frames; the resident pages are compared as sets.
 */
function oracleClock(trace: number[], frames: number, clockBits: number): OracleAccess[] {
  const queue: { page: number; use: number }[] = [];
  const free: { page: number; use: number }[] = []; // pages that filled free frames, in frame order, before the hand moved
  return trace.map((page) => {
    const all = [...queue, ...free];
    const found = all.find((e) => e.page === page);
    if (found) {
      found.use = Math.min(found.use + 1, clockBits);
      return { hit: true, evicted: null, resident: all.map((e) => e.page).sort((a, b) => a - b) };
    }
    let evicted: number | null = null;
    if (all.length < frames) {
      free.push({ page, use: 1 });
    } else {
      if (free.length > 0) queue.push(...free.splice(0));
      for (;;) {
        const head = queue.shift()!;
        if (head.use > 0) {
          head.use--;
          queue.push(head);
        } else {
          evicted = head.page;
          break;
        }
      }
      queue.push({ page, use: 1 });
    }
    return { hit: false, evicted, resident: [...queue, ...free].map((e) => e.page).sort((a, b) => a - b) };
  });
}

const trace = (maxPage = 9, maxLength = 60) => fc.array(fc.nat(maxPage), { minLength: 1, maxLength });
const frames = fc.integer({ min: 1, max: 6 });

describe('replay against the oracle', () => {
  for (const policy of ['fifo', 'lru', 'mru', 'opt', 'unopt'] as const) {
    it(`${policy}: the same hit, victim and list on every access`, () => {
      fc.assert(
        fc.property(trace(), frames, (t, f) => {
          const r = replay(t, { policy, frames: f });
          expect(r.accesses.map(({ hit, evicted, resident }) => ({ hit, evicted, resident }))).toEqual(oracle(t, policy, f));
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('fifo, lru and mru on page numbers too large to index arrays by (the hash-based list), cold misses included', () => {
    fc.assert(
      fc.property(trace(), frames, fc.constantFrom('fifo' as const, 'lru' as const, 'mru' as const), fc.constantFrom(2 ** 22, 2 ** 40, Number.MAX_SAFE_INTEGER - 9), (small, f, policy, base) => {
        const t = small.map((p) => base + p);
        const r = replay(t, { policy, frames: f });
        expect(r.accesses.map(({ hit, evicted, resident }) => ({ hit, evicted, resident }))).toEqual(oracle(t, policy, f));
        expect(r.coldMisses).toBe(new Set(t).size);
      }),
      { numRuns: 100 },
    );
  });

  it('opt and unopt on long traces with few frames (the heap of next uses gets rebuilt many times)', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(7), { minLength: 300, maxLength: 500 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('opt' as const, 'unopt' as const), (t, f, policy) => {
        const r = replay(t, { policy, frames: f });
        expect(r.accesses.map(({ hit, evicted, resident }) => ({ hit, evicted, resident }))).toEqual(oracle(t, policy, f));
      }),
      { numRuns: 40 },
    );
  });

  it('clock: the same hits and victims as a second-chance queue, any counter limit', () => {
    fc.assert(
      fc.property(trace(), frames, fc.integer({ min: 1, max: 3 }), (t, f, bits) => {
        const r = replay(t, { policy: 'clock', frames: f, clockBits: bits });
        const got = r.accesses.map((a) => ({ hit: a.hit, evicted: a.evicted, resident: [...a.resident].sort((x, y) => x - y) }));
        expect(got).toEqual(oracleClock(t, f, bits));
      }),
      { numRuns: RUNS },
    );
  });
});

/** Runs any policy, RAND with a fixed stream. */
function run(t: number[], policy: ReplacementPolicy, f: number, seed = 1) {
  return replay(t, { policy, frames: f }, new Rng(seed).fork('mem.rand'));
}

describe('invariants of every policy', () => {
  it('hits + misses = accesses; a hit iff the page was resident; victims were resident and are gone; nothing evicted while a frame is free', () => {
    fc.assert(
      fc.property(trace(), frames, fc.constantFrom(...REPLACEMENT_POLICIES), (t, f, policy) => {
        const r = run(t, policy, f);
        expect(r.hits + r.misses).toBe(t.length);
        expect(r.accesses.filter((a) => a.hit)).toHaveLength(r.hits);
        let before: number[] = [];
        const seen = new Set<number>();
        r.accesses.forEach((a, i) => {
          expect(a.page).toBe(t[i]);
          expect(a.hit).toBe(before.includes(a.page));
          expect(a.resident.length).toBeLessThanOrEqual(f);
          expect(new Set(a.resident).size).toBe(a.resident.length);
          expect(a.resident).toContain(a.page);
          seen.add(a.page);
          expect(a.resident.length).toBe(Math.min(seen.size, f));
          if (a.hit || before.length < f) expect(a.evicted).toBeNull();
          else {
            expect(before).toContain(a.evicted);
            expect(a.resident).not.toContain(a.evicted);
          }
          // Exactly one page changes on a miss: the evicted one leaves, the accessed one enters.
          const expected = before.filter((p) => p !== a.evicted);
          if (!a.hit) expected.push(a.page);
          expect([...a.resident].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y));
          before = a.resident;
        });
        expect(r.coldMisses).toBe(seen.size);
        expect(r.hitRatePercent).toBeCloseTo((100 * r.hits) / t.length, 10);
      }),
      { numRuns: RUNS },
    );
  });

  it('replayTotals gives the totals of replay', () => {
    fc.assert(
      fc.property(trace(), frames, fc.constantFrom(...REPLACEMENT_POLICIES), (t, f, policy) => {
        const { accesses: _accesses, ...full } = run(t, policy, f);
        const totals = replayTotals(t, { policy, frames: f }, new Rng(1).fork('mem.rand'));
        expect(totals).toEqual({ ...full, accesses: t.length });
      }),
      { numRuns: 100 },
    );
  });

  it('with a frame for every page, only cold misses happen', () => {
    fc.assert(
      fc.property(trace(), fc.constantFrom(...REPLACEMENT_POLICIES), (t, policy) => {
        const distinct = new Set(t).size;
        const r = run(t, policy, distinct);
        expect(r.misses).toBe(distinct);
        expect(r.accesses.every((a) => a.evicted === null)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('the textbook theorems', () => {
  it('OPT misses no more than any other policy on the same trace', () => {
    fc.assert(
      fc.property(trace(), frames, fc.nat(1000), (t, f, seed) => {
        const opt = run(t, 'opt', f).misses;
        for (const policy of REPLACEMENT_POLICIES) expect(opt).toBeLessThanOrEqual(run(t, policy, f, seed).misses);
      }),
      { numRuns: RUNS },
    );
  });

  it('LRU is a stack algorithm: with N+1 frames it holds a superset of what it holds with N, so it never misses more', () => {
    fc.assert(
      fc.property(trace(12, 80), frames, (t, f) => {
        const small = run(t, 'lru', f);
        const big = run(t, 'lru', f + 1);
        expect(big.misses).toBeLessThanOrEqual(small.misses);
        small.accesses.forEach((a, i) => expect(big.accesses[i].resident).toEqual(expect.arrayContaining(a.resident)));
      }),
      { numRuns: RUNS },
    );
  });

  it("FIFO is not: Belady's anomaly, 9 misses with 3 frames and 10 with 4 (OSTEP ch. 22.5)", () => {
    const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
    expect(run(belady, 'fifo', 3).misses).toBe(9);
    expect(run(belady, 'fifo', 4).misses).toBe(10);
    expect(run(belady, 'lru', 3).misses).toBe(10);
    expect(run(belady, 'lru', 4).misses).toBe(8);
  });

  it('FIFO is not a stack algorithm: on that trace 4 frames do not always hold what 3 frames hold', () => {
    const belady = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
    const small = run(belady, 'fifo', 3);
    const big = run(belady, 'fifo', 4);
    const notSuperset = small.accesses.map((a, i) => a.resident.some((p) => !big.accesses[i].resident.includes(p)));
    // After 5 (access 6): 3 frames hold [1 2 5], 4 frames hold [2 3 4 5] — 1 is gone from the bigger memory.
    expect(notSuperset.indexOf(true)).toBe(6);
    expect(small.accesses[6].resident).toEqual([1, 2, 5]);
    expect(big.accesses[6].resident).toEqual([2, 3, 4, 5]);
  });
});

describe('the policies one by one', () => {
  it('MRU evicts the page loaded by the previous miss, as paging-policy.py does', () => {
    const r = replay([1, 2, 3, 4], { policy: 'mru', frames: 2 });
    expect(r.accesses.map((a) => a.evicted)).toEqual([null, null, 2, 3]);
    expect(r.accesses[3].resident).toEqual([1, 4]);
  });

  it('OPT breaks ties between pages never used again toward the most recently loaded', () => {
    // 1, 2, 3 are never used after 4; the list is [1 2 3]: OPT evicts 3 (nearest the end).
    expect(replay([1, 2, 3, 4], { policy: 'opt', frames: 3 }).accesses[3].evicted).toBe(3);
    // UNOPT with no page used again evicts the head.
    expect(replay([1, 2, 3, 4], { policy: 'unopt', frames: 3 }).accesses[3].evicted).toBe(1);
  });

  it('CLOCK with one use bit gives a second chance: a page hit since the hand last passed survives', () => {
    // Frames [1 2 3] all with use 1; 4 clears all three bits, comes back to frame 0 and evicts 1.
    const r = replay([1, 2, 3, 4, 2, 5], { policy: 'clock', frames: 3 });
    expect(r.accesses[3]).toMatchObject({ evicted: 1, resident: [4, 2, 3], use: [1, 0, 0], hand: 1 });
    // 2 is hit (use 1); 5 passes over 2 (clearing it) and evicts 3.
    expect(r.accesses[5]).toMatchObject({ evicted: 3, resident: [4, 2, 5], use: [1, 0, 1], hand: 0 });
    expect(r.clockBits).toBe(1);
  });

  it('CLOCK counts up to clockBits: with 2, page 1 (hit twice) outlives page 2; with 1 bit, 1 goes first', () => {
    const one = replay([1, 2, 1, 1, 3, 4], { policy: 'clock', frames: 2, clockBits: 1 });
    const two = replay([1, 2, 1, 1, 3, 4], { policy: 'clock', frames: 2, clockBits: 2 });
    expect(one.accesses.map((a) => a.evicted)).toEqual([null, null, null, null, 1, 2]);
    expect(two.accesses.map((a) => a.evicted)).toEqual([null, null, null, null, 2, 1]);
  });

  it('RAND is reproducible for a seed, varies with it, and picks every frame about equally often', () => {
    const t = Array.from({ length: 4001 }, (_, i) => i); // every access misses; 3997 evictions
    const a = run(t, 'rand', 4, 7);
    expect(run(t, 'rand', 4, 7).accesses).toEqual(a.accesses);
    expect(run(t, 'rand', 4, 8).accesses.map((x) => x.evicted)).not.toEqual(a.accesses.map((x) => x.evicted));
    // The victim's position in the list before the access: each of the 4 about 1/4 of the time.
    const counts = [0, 0, 0, 0];
    for (let i = 4; i < t.length; i++) counts[a.accesses[i - 1].resident.indexOf(a.accesses[i].evicted!)]++;
    for (const c of counts) expect(c / (t.length - 4)).toBeGreaterThan(0.2);
    expect(() => replay([1], { policy: 'rand', frames: 1 })).toThrow(/Rng/);
  });

  it('nextUses gives the next position of the same page, or the trace length', () => {
    expect([...nextUses([3, 1, 3, 2, 1])]).toEqual([2, 4, 5, 5, 5]);
  });

  it('rejects what the command must never pass: an empty trace, frames 0, a negative page', () => {
    const p: ReplayParams = { policy: 'lru', frames: 3 };
    expect(() => replay([], p)).toThrow(RangeError);
    expect(() => replay([1], { ...p, frames: 0 })).toThrow(/frames/);
    expect(() => replay([1, -2], p)).toThrow(/access 1/);
    expect(() => replay([1.5], p)).toThrow(RangeError);
    expect(() => replay([1], { policy: 'clock', frames: 1, clockBits: 0 })).toThrow(/clockBits/);
  });
});
