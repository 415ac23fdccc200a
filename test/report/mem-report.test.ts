import { describe, expect, it } from 'vitest';
import { renderReplayReport, renderReplayTotals, TRACE_ECHO_MAX } from '../../src/report/mem-replay-report.js';
import { renderAddressSplit, renderTranslateReport, virtualHex } from '../../src/report/mem-translate-report.js';
import { archGeometry, customGeometry, replay, replayTotals, translate, type PageTable } from '../../src/teach/mem/index.js';

const CHAPTER_TRACE = [0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1];

describe('renderReplayReport', () => {
  it("prints OSTEP ch. 22's LRU example access by access (figure 22.5), then the totals", () => {
    const text = renderReplayReport(replay(CHAPTER_TRACE, { policy: 'lru', frames: 3 }), { version: '9.9.9', trace: CHAPTER_TRACE });
    expect(text).toBe(
      [
        'ctsim 9.9.9 mem replay: policy lru (least recently used), 3 frames',
        'trace (11 accesses): 0,1,2,0,1,3,0,3,1,2,1',
        '',
        '┌────┬──────┬──────────┬─────────┬──────────────────────┐',
        '│  # │ Page │ Hit/Miss │ Evicted │ Resident (LRU → MRU) │',
        '├────┼──────┼──────────┼─────────┼──────────────────────┤',
        '│  0 │    0 │ miss     │       - │ 0                    │',
        '│  1 │    1 │ miss     │       - │ 0 1                  │',
        '│  2 │    2 │ miss     │       - │ 0 1 2                │',
        '│  3 │    0 │ hit      │       - │ 1 2 0                │',
        '│  4 │    1 │ hit      │       - │ 2 0 1                │',
        '│  5 │    3 │ miss     │       2 │ 0 1 3                │',
        '│  6 │    0 │ hit      │       - │ 1 3 0                │',
        '│  7 │    3 │ hit      │       - │ 1 0 3                │',
        '│  8 │    1 │ hit      │       - │ 0 3 1                │',
        '│  9 │    2 │ miss     │       0 │ 3 1 2                │',
        '│ 10 │    1 │ hit      │       - │ 3 2 1                │',
        '└────┴──────┴──────────┴─────────┴──────────────────────┘',
        "hits 6, misses 5 (4 cold, on a page's first access), hit rate 54.55% of 11 accesses",
        '',
      ].join('\n'),
    );
  });

  it('shows CLOCK frames with their use counters and the hand', () => {
    const trace = [1, 2, 3, 4, 2, 5];
    const text = renderReplayReport(replay(trace, { policy: 'clock', frames: 3, clockBits: 2 }), { version: '9.9.9', trace });
    expect(text.split('\n')[0]).toBe('ctsim 9.9.9 mem replay: policy clock (clock: second chance with a sweeping hand), 3 frames, use counter up to 2');
    expect(text).toContain('│ # │ Page │ Hit/Miss │ Evicted │ Resident (by frame, page(use)) │    Hand │');
    expect(text).toContain('│ 3 │    4 │ miss     │       1 │ 4(1) 2(0) 3(0)                 │ frame 1 │');
    expect(text).toContain('│ 4 │    2 │ hit      │       - │ 4(1) 2(1) 3(0)                 │ frame 1 │');
  });

  it('prints only the totals for replayTotals, and echoes seed, file and a long trace shortened', () => {
    const trace = Array.from({ length: 100 }, (_, i) => i % 7);
    const text = renderReplayReport(replayTotals(trace, { policy: 'fifo', frames: 3 }), { version: '1', trace, seed: 4, traceFile: 't.txt' });
    const lines = text.split('\n');
    expect(lines[1]).toBe(`trace (100 accesses from t.txt): ${trace.slice(0, TRACE_ECHO_MAX).join(',')},… (the first ${TRACE_ECHO_MAX} shown)`);
    expect(lines[2]).toBe('seed: 4');
    expect(text).not.toContain('┌');
    expect(text.endsWith("hits 0, misses 100 (7 cold, on a page's first access), hit rate 0.00% of 100 accesses\n")).toBe(true);
  });

  it('rounds the hit rate as "%.2f" does (paging-policy.py prints it so)', () => {
    expect(renderReplayTotals({ ...replayTotals([1, 1, 1], { policy: 'lru', frames: 1 }) })).toContain('hit rate 66.67% of 3 accesses');
    expect(renderReplayTotals(replayTotals([1], { policy: 'lru', frames: 1 }))).toContain("hits 0, misses 1 (1 cold, on a page's first access), hit rate 0.00% of 1 access\n");
  });
});

describe('renderTranslateReport', () => {
  const table: PageTable = {
    geometry: archGeometry('ostep'),
    rootFrame: 108,
    tables: new Map([
      [108, new Map([[24, 33]])],
      [33, new Map([[8, 53]])],
    ]),
  };

  it('prints the geometry, the address cut into fields, each entry read and the physical address (the OSTEP homework example 0x611c)', () => {
    const text = renderTranslateReport(table.geometry, [translate(table, 0x611c), translate(table, 0x6100 - 0x20)], { version: '9.9.9', tableFile: 't.json', rootFrame: 108 });
    expect(text).toBe(
      [
        "ctsim 9.9.9 mem translate: OSTEP's multi-level page-table homework (--arch ostep)",
        '15-bit virtual addresses, 32-byte pages, 2 levels (PD, PT) of 32 1-byte entries per table page, 12-bit physical addresses',
        'address split (bits): PD 5 | PT 5 | offset 5',
        'page table: from t.json; top-level table in frame 0x6c (the PDBR)',
        '',
        'virtual address 0x611c (page 0x308, offset 0x1c)',
        '  bits:   11000 | 01000 | 11100',
        '          PD 24 | PT 8  | offset 0x1c',
        '┌───────┬───────┬─────────────┬───────────────┬───────┬──────────────────────────────────┐',
        '│ Level │ Index │ Table frame │ Entry address │ Entry │ Meaning                          │',
        '├───────┼───────┼─────────────┼───────────────┼───────┼──────────────────────────────────┤',
        '│ PD    │    24 │        0x6c │         0xd98 │  0xa1 │ valid → next table in frame 0x21 │',
        '│ PT    │     8 │        0x21 │         0x428 │  0xb5 │ valid → page in frame 0x35       │',
        '└───────┴───────┴─────────────┴───────────────┴───────┴──────────────────────────────────┘',
        'physical address: frame 0x35 × 32 + offset 0x1c = 0x6bc (2 page-table reads + 1 access = 3 memory references on a TLB miss)',
        '',
        'virtual address 0x60e0 (page 0x307, offset 0x0)',
        '  bits:   11000 | 00111 | 00000',
        '          PD 24 | PT 7  | offset 0x0',
        '┌───────┬───────┬─────────────┬───────────────┬───────┬──────────────────────────────────┐',
        '│ Level │ Index │ Table frame │ Entry address │ Entry │ Meaning                          │',
        '├───────┼───────┼─────────────┼───────────────┼───────┼──────────────────────────────────┤',
        '│ PD    │    24 │        0x6c │         0xd98 │  0xa1 │ valid → next table in frame 0x21 │',
        '│ PT    │     7 │        0x21 │         0x427 │  0x00 │ not valid → page fault           │',
        '└───────┴───────┴─────────────┴───────────────┴───────┴──────────────────────────────────┘',
        'page fault: PT entry 7 is not valid (2 page-table reads; the OS must map the page or signal the process)',
        '',
      ].join('\n'),
    );
  });

  it('labels custom geometries and lists what a generated table maps', () => {
    const g = customGeometry({ addressBits: 39, pageSizeBytes: 4096, levels: 3, entryBytes: 8, physAddressBits: 52 });
    const text = renderTranslateReport(g, [], { version: '1', seed: 3, rootFrame: 5, regions: [{ firstVpn: 16, pages: 16, mapped: 12 }, { firstVpn: 64, pages: 16, mapped: 0 }], addressesRandom: true });
    expect(text).toBe(
      [
        'ctsim 1 mem translate: a custom geometry',
        '39-bit virtual addresses, 4 KiB pages, 3 levels (PGD, PMD, PT) of 512 8-byte entries per table page, 52-bit physical addresses',
        'address split (bits): PGD 9 | PMD 9 | PT 9 | offset 12',
        'page table: generated from seed 3; top-level table in frame 0x5 (the PDBR)',
        '  maps 12 of the 16 pages 0x0000010000-0x000001ffff',
        'addresses drawn from the seed (give --address to choose them)',
        '',
      ].join('\n'),
    );
  });

  it('writes x86-64 kernel-half addresses sign-extended and splits 48 bits into 9+9+9+9+12', () => {
    const g = archGeometry('x86-64');
    expect(virtualHex(g, 0x8000_0000_1000)).toBe('0xffff800000001000');
    expect(virtualHex(g, 0x1000)).toBe('0x000000001000');
    const t = translate({ geometry: g, rootFrame: 1, tables: new Map() }, 0x7fff_ffff_f123);
    expect(renderAddressSplit(g, t)).toBe(
      ['  bits:   011111111 | 111111111 | 111111111 | 111111111 | 000100100011', '          PML4 255  | PDPT 511  | PD 511    | PT 511    | offset 0x123', ''].join('\n'),
    );
  });
});
