/**
 * The cost table (DESIGN.md decision 8): every figure is data with a source; an
 * override file may give some figures; sizes (the TLB's geometry) are counts, not ns.
 */
import { describe, expect, it } from 'vitest';
import { COST_KEYS, COUNT_KEYS, loadDefaultCosts, parseCostTable } from '../../src/hw/cost-table.js';

describe('cost table', () => {
  it('the default table gives every figure a source', () => {
    const d = loadDefaultCosts();
    for (const k of COST_KEYS) {
      expect(Number.isSafeInteger(d.costs[k])).toBe(true);
      expect(d.sources[k].length).toBeGreaterThan(10);
    }
    expect(d.costs.tlbEntries % d.costs.tlbWays).toBe(0);
  });

  it('an override changes only what it names; a count takes {"count": N}', () => {
    const t = parseCostTable({ costs: { pageFault: 700, tlbEntries: { count: 16, source: 'a small TLB' }, tlbWays: { count: 16 } } }, 'o.json', loadDefaultCosts());
    expect(t.costs.pageFault).toBe(700);
    expect(t.costs.tlbEntries).toBe(16);
    expect(t.sources.tlbEntries).toBe('a small TLB');
    expect(t.costs.syscall).toBe(loadDefaultCosts().costs.syscall);
  });

  it('bad figures are errors that name the path and the fix', () => {
    const base = loadDefaultCosts();
    expect(() => parseCostTable({ costs: { tlbWays: { ns: 4 } } }, 'o.json', base)).toThrow(/\$\.costs\.tlbWays\.ns: expected only "count" and "source"/);
    expect(() => parseCostTable({ costs: { tlbWays: 5 } }, 'o.json', base)).toThrow(/tlbWays: expected a number of ways that divides tlbEntries \(64\), found 5/);
    expect(() => parseCostTable({ costs: { tlbEntries: { count: 0 } } }, 'o.json', base)).toThrow(/tlbEntries\.count: expected a positive whole number/);
    expect(() => parseCostTable({ costs: { swapIn: -1 } }, 'o.json', base)).toThrow(/swapIn: expected a non-negative integer number of nanoseconds/);
    expect(() => parseCostTable({ costs: { tlbSize: 1 } }, 'o.json', base)).toThrow(/a known operation/);
    expect(COUNT_KEYS).toEqual(['tlbEntries', 'tlbWays', 'btBlockNs', 'btCacheBlocks', 'pvBatchMax']);
  });
});
