/**
 * The TLB (Intel SDM vol. 3A §4.10): a set-associative cache of translations with LRU
 * replacement in each set, flushed by a CR3 load and per page by INVLPG.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { Tlb, TLB_DIRTY, TLB_USER, TLB_WRITABLE } from '../../src/hw/tlb.js';

const ALL = TLB_WRITABLE | TLB_USER | TLB_DIRTY;

describe('Tlb', () => {
  test('a miss, a fill, then hits; a write through a clean entry misses so the walk can set the dirty bit', () => {
    const tlb = new Tlb(8, 2);
    expect(tlb.lookup(5, false, true)).toBe(false);
    tlb.fill(5, 42, TLB_WRITABLE | TLB_USER);
    expect(tlb.lookup(5, false, true)).toBe(true);
    expect(tlb.hitFrame).toBe(42);
    expect(tlb.lookup(5, true, true)).toBe(false);
    tlb.fill(5, 42, ALL);
    expect(tlb.lookup(5, true, true)).toBe(true);
    expect(tlb.stats()).toEqual({ hits: 2, misses: 2, flushes: 0, invalidations: 0 });
  });

  test('each set keeps its least recently used entry out', () => {
    const tlb = new Tlb(4, 2); // 2 sets: even and odd pages
    tlb.fill(0, 100, ALL);
    tlb.fill(2, 102, ALL);
    tlb.lookup(0, false, true); // 0 is now more recent than 2
    tlb.fill(4, 104, ALL); // evicts 2
    expect(tlb.lookup(2, false, true)).toBe(false);
    expect(tlb.lookup(0, false, true)).toBe(true);
    expect(tlb.lookup(4, false, true)).toBe(true);
    tlb.fill(1, 101, ALL); // the odd set is untouched by all this
    expect(tlb.validEntries()).toBe(3);
  });

  test('flush drops everything; invalidate drops one page', () => {
    const tlb = new Tlb(16, 4);
    for (let v = 0; v < 8; v++) tlb.fill(v, v + 1000, ALL);
    tlb.invalidate(3);
    expect(tlb.lookup(3, false, true)).toBe(false);
    expect(tlb.lookup(4, false, true)).toBe(true);
    tlb.flush();
    expect(tlb.validEntries()).toBe(0);
  });

  test('geometry errors are clear', () => {
    expect(() => new Tlb(0, 1)).toThrow(/at least one entry/);
    expect(() => new Tlb(64, 5)).toThrow(/associativity 5 must divide its 64 entries/);
  });

  test('property: a hit always returns the frame last filled for that page, and matches a reference LRU model', () => {
    fc.assert(
      fc.property(
        // Power-of-two set counts (taken from the low bits) and others (3 sets: vpn mod 3).
        fc.constantFrom([4, 1], [4, 2], [8, 4], [16, 16], [12, 4], [6, 2]),
        // Page numbers near 0, across 2^31 and 2^32 (doubles, not small integers), and of a high user address.
        fc.constantFrom(0, 2 ** 31 - 20, 2 ** 32 - 20, 2 ** 35 - 41),
        fc.array(fc.tuple(fc.constantFrom('fill', 'look', 'inv', 'flush'), fc.integer({ min: 0, max: 40 })), { maxLength: 300 }),
        ([entries, ways], base, ops) => {
          const tlb = new Tlb(entries, ways);
          const sets = entries / ways;
          // Reference: per set, a list of pages, most recent last.
          const model: number[][] = Array.from({ length: sets }, () => []);
          const frameOf = new Map<number, number>();
          let stamp = 0;
          for (const [op, i] of ops) {
            const vpn = base + i;
            const set = model[vpn % sets];
            if (op === 'fill') {
              const frame = ++stamp;
              tlb.fill(vpn, frame, ALL);
              frameOf.set(vpn, frame);
              const i = set.indexOf(vpn);
              if (i >= 0) set.splice(i, 1);
              else if (set.length === ways) set.shift();
              set.push(vpn);
            } else if (op === 'look') {
              const hit = tlb.lookup(vpn, false, true);
              expect(hit).toBe(set.includes(vpn));
              if (hit) {
                expect(tlb.hitFrame).toBe(frameOf.get(vpn));
                set.splice(set.indexOf(vpn), 1);
                set.push(vpn);
              }
            } else if (op === 'inv') {
              tlb.invalidate(vpn);
              const i = set.indexOf(vpn);
              if (i >= 0) set.splice(i, 1);
            } else {
              tlb.flush();
              for (const s of model) s.length = 0;
            }
          }
          expect(tlb.validEntries()).toBe(model.reduce((n, s) => n + s.length, 0));
        },
      ),
    );
  });
});
