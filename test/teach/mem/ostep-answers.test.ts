/**
 * ctsim against OSTEP's own simulators: fixtures/ostep-answers.json holds what
 * vm-beyondphys-policy/paging-policy.py and vm-smalltables/paging-multilevel-translate.py
 * printed (with -c) for a few hundred random inputs plus the chapter examples (see
 * make-ostep-answers.py there). Every printed answer must match: per access the hit,
 * the victim and the list of resident pages, the totals and the hit rate as "%.2f"
 * prints it; per address every entry read, the physical address or the fault.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTwoDecimals } from '../../../src/report/sched-report.js';
import { parsePageTable, replay, translate, type ReplacementPolicy } from '../../../src/teach/mem/index.js';

interface ReplayCase {
  policy: 'FIFO' | 'LRU' | 'OPT' | 'UNOPT' | 'MRU';
  frames: number;
  trace: number[];
  command: string;
  expected: {
    /** [page, hit, evicted or null, resident list as printed] per access. */
    accesses: [number, boolean, number | null, number[]][];
    hits: number;
    misses: number;
    hitrate: string;
  };
}

interface TranslateCase {
  command: string;
  table: unknown;
  addresses: {
    va: number;
    /** [index, contents, valid, pfn] per entry read, page directory first. */
    steps: [number, number, boolean, number][];
    pa: number | null;
    fault: 'pde' | 'pte' | null;
  }[];
}

// CTSIM_OSTEP_MEM_ANSWERS=/path/to/answers.json checks a larger, uncommitted set made
// by the same generator.
const fixturePath = process.env.CTSIM_OSTEP_MEM_ANSWERS ?? new URL('./fixtures/ostep-answers.json', import.meta.url);
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as { replay: ReplayCase[]; translate: TranslateCase[] };

describe('ctsim mem replay vs OSTEP paging-policy.py', () => {
  it('covers a few hundred traces of every policy, frame counts and lengths', () => {
    expect(fixture.replay.length).toBeGreaterThanOrEqual(400);
    for (const p of ['FIFO', 'LRU', 'OPT', 'UNOPT', 'MRU']) expect(fixture.replay.filter((c) => c.policy === p).length).toBeGreaterThan(70);
    expect(new Set(fixture.replay.map((c) => c.frames)).size).toBeGreaterThanOrEqual(8);
    expect(fixture.replay.filter((c) => c.trace.length >= 50).length).toBeGreaterThan(50);
    // Enough evictions to exercise every tie-break.
    expect(fixture.replay.filter((c) => c.expected.accesses.some((a) => a[2] !== null)).length).toBeGreaterThan(250);
  });

  it.each(fixture.replay.map((c) => [c.command, c] as const))('%s', (_command, c) => {
    const r = replay(c.trace, { policy: c.policy.toLowerCase() as ReplacementPolicy, frames: c.frames });
    expect(r.accesses.map((a) => [a.page, a.hit, a.evicted, a.resident])).toEqual(c.expected.accesses);
    expect([r.hits, r.misses]).toEqual([c.expected.hits, c.expected.misses]);
    expect(formatTwoDecimals(r.hitRatePercent)).toBe(c.expected.hitrate);
  });
});

describe('ctsim mem translate --arch ostep vs OSTEP paging-multilevel-translate.py', () => {
  it('covers hundreds of addresses with translations and faults at both levels', () => {
    const all = fixture.translate.flatMap((t) => t.addresses);
    expect(all.length).toBeGreaterThanOrEqual(400);
    expect(all.filter((a) => a.pa !== null).length).toBeGreaterThan(100);
    expect(all.filter((a) => a.fault === 'pte').length).toBeGreaterThan(50);
    expect(all.filter((a) => a.fault === 'pde').length).toBeGreaterThan(0);
  });

  it.each(fixture.translate.map((c) => [c.command, c] as const))('%s', (_command, c) => {
    const table = parsePageTable(c.table, c.command);
    for (const a of c.addresses) {
      const t = translate(table, a.va);
      expect(t.steps.map((s) => s.index)).toEqual(a.steps.map((s) => s[0]));
      expect(t.steps.map((s) => s.valid)).toEqual(a.steps.map((s) => s[2]));
      // The script fills invalid entries with 0x7f; ctsim reads them as 0. Valid ones must match bit for bit.
      expect(t.steps.filter((s) => s.valid).map((s) => [s.entry, s.frame])).toEqual(a.steps.filter((s) => s[2]).map((s) => [s[1], s[3]]));
      expect(t.physicalAddress).toBe(a.pa);
      expect(t.fault === null ? null : t.fault.level === 1 ? 'pde' : 'pte').toBe(a.fault);
    }
  });
});
