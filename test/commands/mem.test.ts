import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import MemReplay from '../../src/commands/mem/replay.js';
import MemTranslate from '../../src/commands/mem/translate.js';
import { runCli } from '../helpers/cli.js';

const replay = (...argv: string[]) => runCli(MemReplay, argv, 'mem:replay');
const translate = (...argv: string[]) => runCli(MemTranslate, argv, 'mem:translate');
const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-mem-'));
const file = (name: string, text: string): string => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};

interface ReplayJson {
  policy: string;
  frames: number;
  accesses: { page: number; hit: boolean; evicted: number | null; resident: number[] }[];
  hits: number;
  misses: number;
  hitRatePercent: number;
}

/** One line on stderr, nothing on stdout, no stack trace. */
function expectOneLineError(r: { stdout: string; stderr: string; exitCode: number }, exitCode: number, message: RegExp): void {
  expect(r.exitCode).toBe(exitCode);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(r.stderr.trimEnd()).toMatch(message);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('ctsim mem replay --json', () => {
  it('gives exactly {policy, frames, accesses: [{page, hit, evicted, resident}], hits, misses, hitRatePercent}', async () => {
    const r = await replay('--policy', 'lru', '--frames', '3', '--trace', '0,1,2,0,1,3', '--json');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const doc = r.json<ReplayJson>();
    expect(Object.keys(doc)).toEqual(['policy', 'frames', 'accesses', 'hits', 'misses', 'hitRatePercent']);
    expect(doc).toEqual({
      policy: 'lru',
      frames: 3,
      accesses: [
        { page: 0, hit: false, evicted: null, resident: [0] },
        { page: 1, hit: false, evicted: null, resident: [0, 1] },
        { page: 2, hit: false, evicted: null, resident: [0, 1, 2] },
        { page: 0, hit: true, evicted: null, resident: [1, 2, 0] },
        { page: 1, hit: true, evicted: null, resident: [2, 0, 1] },
        { page: 3, hit: false, evicted: 2, resident: [0, 1, 3] },
      ],
      hits: 2,
      misses: 4,
      hitRatePercent: (100 * 2) / 6,
    });
  });

  it('defaults to FIFO with 3 frames, as paging-policy.py does', async () => {
    const doc = (await replay('--trace', '1,2,3,4,1,2,5,1,2,3,4,5', '--json')).json<ReplayJson>();
    expect([doc.policy, doc.frames, doc.misses]).toEqual(['fifo', 3, 9]);
    const four = (await replay('--trace', '1,2,3,4,1,2,5,1,2,3,4,5', '--frames', '4', '--json')).json<ReplayJson>();
    expect(four.misses).toBe(10); // Belady's anomaly
  });

  it('leaves the accesses out with --summary', async () => {
    const doc = (await replay('--policy', 'opt', '--trace', '0,1,2,0,1,3,0,3,1,2,1', '--summary', '--json')).json<ReplayJson>();
    expect(doc).toEqual({ policy: 'opt', frames: 3, hits: 6, misses: 5, hitRatePercent: 600 / 11 });
  });

  it('passes --clock-bits to CLOCK and --seed to RAND (reproducibly)', async () => {
    const trace = ['--trace', '1,2,1,1,3,4', '--frames', '2'];
    const one = (await replay('--policy', 'clock', ...trace, '--json')).json<ReplayJson>();
    const two = (await replay('--policy', 'clock', '--clock-bits', '2', ...trace, '--json')).json<ReplayJson>();
    expect(one.accesses.map((a) => a.evicted)).toEqual([null, null, null, null, 1, 2]);
    expect(two.accesses.map((a) => a.evicted)).toEqual([null, null, null, null, 2, 1]);
    const a = await replay('--policy', 'rand', '--trace', '0,1,2,3,4,5,6,7,8,9', '--seed', '7', '--json');
    const b = await replay('--policy', 'rand', '--trace', '0,1,2,3,4,5,6,7,8,9', '--seed', '7', '--json');
    expect(a.stdout).toBe(b.stdout);
  });

  it('reads a trace file of one page per line (paging-policy.py -f) or comma-separated', async () => {
    const perLine = (await replay('--trace-file', file('lines.txt', '0\n1\n2\n0\n1\n3\n'), '--policy', 'lru', '--json')).json<ReplayJson>();
    const commas = (await replay('--trace-file', file('commas.txt', '0, 1,2 0\n1,3'), '--policy', 'lru', '--json')).json<ReplayJson>();
    expect(perLine.accesses.map((a) => a.page)).toEqual([0, 1, 2, 0, 1, 3]);
    expect(commas).toEqual(perLine);
    // Files written on Windows end their lines with CRLF.
    const crlf = (await replay('--trace-file', file('crlf.txt', '0\r\n1\r\n2\r\n0\r\n1\r\n3\r\n'), '--policy', 'LRU', '--json')).json<ReplayJson>();
    expect(crlf).toEqual(perLine);
  });

  it('reads the same pages from files the byte scan hands to the text parser (pages of 10 digits or more, Unicode spaces, a BOM)', async () => {
    const pages = [0, 1_000_000_000, 2, 0, 999_999_999_999_999, 3, 1_000_000_000];
    const expected = (await replay('--trace', pages.join(','), '--policy', 'lru', '--json')).json<ReplayJson>();
    expect(expected.accesses.map((a) => a.page)).toEqual(pages);
    const big = (await replay('--trace-file', file('big.txt', pages.join('\n') + '\n'), '--policy', 'lru', '--json')).json<ReplayJson>();
    expect(big).toEqual(expected);
    const small = [0, 10, 2, 0, 11, 3, 10];
    const smallExpected = (await replay('--trace', small.join(','), '--policy', 'lru', '--json')).json<ReplayJson>();
    const unicode = (await replay('--trace-file', file('nbsp.txt', '\ufeff0\u00a010 2\n0\u200311,3\u00a0\n10\r\n'), '--policy', 'lru', '--json')).json<ReplayJson>();
    expect(unicode).toEqual(smallExpected);
    const leadingZeros = (await replay('--trace-file', file('zeros.txt', '0000000000\n0010\n002\n0\n11\n3\n10\n'), '--policy', 'lru', '--json')).json<ReplayJson>();
    expect(leadingZeros).toEqual(smallExpected);
  });

  it('draws 10 accesses to pages 0..9 from --seed without a trace', async () => {
    const a = (await replay('--seed', '3', '--json')).json<ReplayJson>();
    expect(a.accesses).toHaveLength(10);
    for (const x of a.accesses) expect(x.page).toBeLessThanOrEqual(9);
    expect((await replay('--seed', '3', '--json')).json<ReplayJson>()).toEqual(a);
  });
});

describe('ctsim mem replay text output', () => {
  it('prints the echo, one row per access and the totals (golden: OSTEP ch. 22 OPT example)', async () => {
    const r = await replay('--policy', 'opt', '--frames', '3', '--trace', '0,1,2,0,1,3,0,3,1,2,1');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.replace(/^ctsim \S+ /, 'ctsim VERSION ')).toBe(
      [
        "ctsim VERSION mem replay: policy opt (optimal: Belady's MIN, evicts the page used furthest in the future), 3 frames",
        'trace (11 accesses): 0,1,2,0,1,3,0,3,1,2,1',
        '',
        '┌────┬──────┬──────────┬─────────┬───────────────────────┐',
        '│  # │ Page │ Hit/Miss │ Evicted │ Resident (load order) │',
        '├────┼──────┼──────────┼─────────┼───────────────────────┤',
        '│  0 │    0 │ miss     │       - │ 0                     │',
        '│  1 │    1 │ miss     │       - │ 0 1                   │',
        '│  2 │    2 │ miss     │       - │ 0 1 2                 │',
        '│  3 │    0 │ hit      │       - │ 0 1 2                 │',
        '│  4 │    1 │ hit      │       - │ 0 1 2                 │',
        '│  5 │    3 │ miss     │       2 │ 0 1 3                 │',
        '│  6 │    0 │ hit      │       - │ 0 1 3                 │',
        '│  7 │    3 │ hit      │       - │ 0 1 3                 │',
        '│  8 │    1 │ hit      │       - │ 0 1 3                 │',
        '│  9 │    2 │ miss     │       3 │ 0 1 2                 │',
        '│ 10 │    1 │ hit      │       - │ 0 1 2                 │',
        '└────┴──────┴──────────┴─────────┴───────────────────────┘',
        "hits 6, misses 5 (4 cold, on a page's first access), hit rate 54.55% of 11 accesses",
        '',
      ].join('\n'),
    );
  });

  it('echoes the seed for RAND and for a random trace', async () => {
    const r = await replay('--policy', 'rand', '--trace', '1,2,3', '--frames', '1', '--seed', '5');
    expect(r.stdout.split('\n')[2]).toBe('seed: 5');
    const random = await replay('--summary');
    expect(random.stdout).toMatch(/^trace \(10 accesses\): [\d,]+ \(drawn at random: give --trace to choose them\)\nseed: 0\n/m);
  });

  it('shows examples in --help', async () => {
    const r = await replay('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('mem replay --policy lru --frames 3 --trace 0,1,2,0,1,3,0,3,1,2,1');
    expect(r.stdout).toContain('--clock-bits');
  });
});

describe('ctsim mem replay bad input: one line on stderr, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['an unknown policy', ['--policy', 'lfu', '--trace', '1'], /^ctsim mem replay: --policy: expected one of fifo, lru, opt, unopt, mru, clock, rand, found "lfu" \(fix: e\.g\. --policy lru\)$/],
    ['frames 0', ['--frames', '0', '--trace', '1'], /^ctsim mem replay: --frames: expected a whole number of frames in 1\.\.1000000, found "0" \(fix: e\.g\. --frames 3\)$/],
    ['non-numeric frames', ['--frames', 'three', '--trace', '1'], /--frames: expected a whole number of frames .*found "three"/],
    ['an empty trace', ['--trace', ''], /^ctsim mem replay: --trace: expected at least one page number, found an empty value \(fix: .*--trace 0,1,2,0,1,3\)$/],
    ['a trace of only commas', ['--trace', ', ,'], /--trace: expected at least one page number, found ", ,"/],
    ['a non-numeric page', ['--trace', '1,2,x,4'], /^ctsim mem replay: --trace at entry 3: expected a page number \(a whole number >= 0\), found "x" \(fix: /],
    ['a negative page', ['--trace', '1,-2'], /--trace at entry 2: expected a page number .*found "-2"/],
    ['a fractional page', ['--trace', '1.5'], /--trace at entry 1: .*found "1\.5"/],
    ['--clock-bits with LRU', ['--policy', 'lru', '--clock-bits', '2', '--trace', '1'], /--clock-bits: expected it only with --policy clock, found --policy lru/],
    ['--clock-bits 0', ['--policy', 'clock', '--clock-bits', '0', '--trace', '1'], /--clock-bits: expected a whole number in 1\.\.64, found "0"/],
    ['--seed with a deterministic policy and a trace', ['--policy', 'lru', '--trace', '1', '--seed', '3'], /--seed: expected it only with --policy rand or without a trace/],
    ['a bad seed', ['--policy', 'rand', '--trace', '1', '--seed', '-1'], /--seed: expected a whole number in 0\.\.\d+, found "-1"/],
  ];
  it.each(cases)('%s (exit 2)', async (_what, argv, message) => {
    expectOneLineError(await replay(...argv), 2, message);
  });

  it('--trace and --trace-file together (exit 2; the oclif parser adds a pointer to --help)', async () => {
    const r = await replay('--trace', '1', '--trace-file', 'x');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('ctsim mem replay: --trace-file=x cannot also be provided when using --trace\nSee: ctsim mem replay --help\n');
  });

  it('an unreadable --trace-file (exit 3)', async () => {
    expectOneLineError(await replay('--trace-file', path.join(dir, 'missing.txt')), 3, /^ctsim mem replay: \S*missing\.txt: expected a readable trace file, found ENOENT \(fix: check the path given to --trace-file\)$/);
  });

  it('a trace file with a bad line names the line (exit 3)', async () => {
    expectOneLineError(await replay('--trace-file', file('bad.txt', '1\n2\n\nthree\n')), 3, /bad\.txt at line 4: expected a page number \(a whole number >= 0\), found "three"/);
    expectOneLineError(await replay('--trace-file', file('empty.txt', '\n\n')), 3, /empty\.txt: expected at least one page number, found an empty value/);
  });

  it('a detailed run too big to print asks for --summary', async () => {
    const trace = Array.from({ length: 200_001 }, (_, i) => i % 100).join(',');
    expectOneLineError(await replay('--trace', trace, '--frames', '64'), 2, /--trace: expected a detailed run of at most 10000000 resident-page entries .*found 200001 accesses with up to 64 resident pages .*\(fix: add --summary/);
    const ok = await replay('--trace', trace, '--frames', '64', '--summary', '--json');
    expect(ok.json<ReplayJson>().misses).toBe(200_001);
  });
});

interface TranslateJson {
  version: string;
  seed?: number;
  tableFile?: string;
  geometry: { arch?: string; indexBits: number[]; offsetBits: number };
  table: { geometry: unknown; rootFrame: number; tables: Record<string, Record<string, number>> };
  translations: {
    virtualAddress: number;
    indices: number[];
    steps: { level: number; name: string; index: number; tableFrame: number; entryAddress: number; entry: number; valid: boolean; frame: number | null }[];
    physicalAddress: number | null;
    fault: { level: number; name: string; reason: string } | null;
    memoryReferences: number;
  }[];
}

const OSTEP_TABLE = { geometry: 'ostep', rootFrame: 108, tables: { '108': { '24': 33 }, '33': { '8': 53 } } };

describe('ctsim mem translate', () => {
  it('walks addresses through a --table file and prints every step as JSON', async () => {
    const r = await translate('--table', file('t.json', JSON.stringify(OSTEP_TABLE)), '--address', '0x611c,0x60e0,0x7fff', '--json');
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const doc = r.json<TranslateJson>();
    expect(Object.keys(doc)).toEqual(['version', 'tableFile', 'geometry', 'table', 'translations']);
    expect(doc.geometry).toMatchObject({ arch: 'ostep', indexBits: [5, 5], offsetBits: 5 });
    expect(doc.table).toEqual(OSTEP_TABLE);
    const [ok, ptFault, pdFault] = doc.translations;
    expect(ok).toMatchObject({ virtualAddress: 0x611c, indices: [24, 8], physicalAddress: 0x6bc, fault: null, memoryReferences: 3 });
    expect(ok.steps).toEqual([
      { level: 1, name: 'PD', index: 24, tableFrame: 108, entryAddress: 108 * 32 + 24, entry: 0xa1, valid: true, frame: 33 },
      { level: 2, name: 'PT', index: 8, tableFrame: 33, entryAddress: 33 * 32 + 8, entry: 0xb5, valid: true, frame: 53 },
    ]);
    expect(ptFault).toMatchObject({ physicalAddress: null, fault: { level: 2, name: 'PT', reason: 'PT entry 7 is not valid' }, memoryReferences: 2 });
    expect(pdFault.steps).toHaveLength(1);
    expect(pdFault.fault).toMatchObject({ level: 1, name: 'PD' });
  });

  it('generates an x86-64 table from --seed, walks 4 levels and prints a table that --table reads back', async () => {
    const r = await translate('--seed', '4', '--json');
    expect(r.exitCode).toBe(0);
    const doc = r.json<TranslateJson>();
    expect(doc.seed).toBe(4);
    expect(doc.geometry).toMatchObject({ arch: 'x86-64', indexBits: [9, 9, 9, 9], offsetBits: 12 });
    expect(doc.translations).toHaveLength(4);
    const ok = doc.translations.find((t) => t.fault === null)!;
    expect(ok.steps.map((s) => s.name)).toEqual(['PML4', 'PDPT', 'PD', 'PT']);
    expect(ok.memoryReferences).toBe(5);
    expect(doc.translations.some((t) => t.fault !== null)).toBe(true);
    expect((await translate('--seed', '4', '--json')).stdout).toBe(r.stdout);

    const again = await translate('--table', file('gen.json', JSON.stringify(doc.table)), '--address', doc.translations.map((t) => String(t.virtualAddress)).join(','), '--json');
    expect(again.json<TranslateJson>().translations).toEqual(doc.translations);
  });

  it('takes a custom geometry from --levels, --page-size and --address-bits', async () => {
    const doc = (await translate('--levels', '3', '--page-size', '4096', '--address-bits', '39', '--address', '0x12345678', '--json')).json<TranslateJson>();
    expect(doc.geometry).toMatchObject({ indexBits: [9, 9, 9], offsetBits: 12 });
    expect(doc.geometry.arch).toBeUndefined();
    expect(doc.translations[0].indices).toEqual([0, 0x91, 0x145]);
  });

  it('reads x86-64 kernel-half addresses in canonical form', async () => {
    const doc = (await translate('--address', '0xffff800000001000', '--json')).json<TranslateJson>();
    expect(doc.translations[0].virtualAddress).toBe(0x8000_0000_1000);
    expect(doc.translations[0].indices[0]).toBe(256);
  });

  it("prints the walk as text (golden: OSTEP ch. 20's example, VA 0x3F80 → PA 0x0DC0, from a table file with its own geometry)", async () => {
    const chapter20 = {
      geometry: { addressBits: 14, pageSizeBytes: 64, levels: 2, entryBytes: 4, physAddressBits: 16 },
      rootFrame: 108,
      tables: { '108': { '0': 100, '15': 101 }, '101': { '14': 55 } },
    };
    const r = await translate('--table', file('ch20.json', JSON.stringify(chapter20)), '--address', '0x3f80');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.replace(/^ctsim \S+ /, 'ctsim VERSION ').replace(/from \S+ch20\.json/, 'from ch20.json')).toBe(
      [
        'ctsim VERSION mem translate: a custom geometry',
        '14-bit virtual addresses, 64-byte pages, 2 levels (PD, PT) of 16 4-byte entries per table page, 16-bit physical addresses',
        'address split (bits): PD 4 | PT 4 | offset 6',
        'page table: from ch20.json; top-level table in frame 0x6c (the PDBR)',
        '',
        'virtual address 0x3f80 (page 0xfe, offset 0x0)',
        '  bits:   1111  | 1110  | 000000',
        '          PD 15 | PT 14 | offset 0x0',
        '┌───────┬───────┬─────────────┬───────────────┬────────────┬──────────────────────────────────┐',
        '│ Level │ Index │ Table frame │ Entry address │      Entry │ Meaning                          │',
        '├───────┼───────┼─────────────┼───────────────┼────────────┼──────────────────────────────────┤',
        '│ PD    │    15 │        0x6c │        0x1b3c │ 0x00001941 │ valid → next table in frame 0x65 │',
        '│ PT    │    14 │        0x65 │        0x1978 │ 0x00000dc1 │ valid → page in frame 0x37       │',
        '└───────┴───────┴─────────────┴───────────────┴────────────┴──────────────────────────────────┘',
        'physical address: frame 0x37 × 64 + offset 0x0 = 0xdc0 (2 page-table reads + 1 access = 3 memory references on a TLB miss)',
        '',
      ].join('\n'),
    );
  });

  it('shows examples in --help', async () => {
    const r = await translate('--help');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('mem translate --arch x86-64 --seed 1');
    expect(r.stdout).toContain('--table');
  });
});

describe('ctsim mem translate: upper-half addresses and -h', () => {
  it('--json gives each address as canonical hex too, since 0xffff8… does not fit a JSON number', async () => {
    const doc = (await translate('--address', '0x1000,0xffff800000001000', '--json')).json<{ translations: { virtualAddressHex: string; virtualAddress: number }[] }>();
    expect(doc.translations.map((t) => t.virtualAddressHex)).toEqual(['0x000000001000', '0xffff800000001000']);
    expect(doc.translations[1].virtualAddress).toBe(0x800000001000);
  });

  it('-h prints the help, as the OSTEP scripts take it', async () => {
    const r = await translate('-h');
    expect(r.stdout).toContain('Walk virtual addresses through a multi-level page table');
  });
});

describe('ctsim mem translate bad input: one line on stderr, no stack trace', () => {
  const cases: [string, string[], RegExp][] = [
    ['an address too wide for the geometry', ['--arch', 'ostep', '--address', '0x8000'], /^ctsim mem translate: --address at entry 1: expected an address of at most 15 bits \(below 0x8000\), found "0x8000", which needs 16 bits \(fix: /],
    ['a non-canonical x86-64 address', ['--address', '0x1000,0x800000000000'], /--address at entry 2: expected a canonical 48-bit address: below 0x800000000000 \(user half\) or from 0xffff800000000000 \(kernel half\), found "0x800000000000", which is not canonical/],
    ['an address wider than 64 bits', ['--address', '0x10000000000000000'], /--address at entry 1: expected a canonical 48-bit address.*which needs 65 bits/],
    ['an address that is not a number', ['--address', '0xg1'], /--address at entry 1: expected an address in hex \(0x611c\) or decimal, found "0xg1"/],
    ['an empty address list', ['--address', ''], /--address: expected one or more addresses, found an empty value/],
    ['an unknown arch', ['--arch', 'arm'], /--arch: expected one of x86-64, x86, ostep, found "arm"/],
    ['an incomplete custom geometry', ['--levels', '3'], /--page-size: expected it with the other geometry flags, found only --levels/],
    ['a geometry whose levels do not add up', ['--levels', '3', '--page-size', '4096', '--address-bits', '48'], /^ctsim mem translate: --levels: expected 4 levels: 36 page-number bits over tables of 512 entries/],
    ['a page size that is not a power of two', ['--levels', '2', '--page-size', '1000', '--address-bits', '20'], /--page-size: expected a power of two/],
    ['zero levels', ['--levels', '0', '--page-size', '4096', '--address-bits', '48'], /^ctsim mem translate: --levels: expected a whole number in 1\.\.5, found 0 \(fix: x86-64 uses 4 levels\)$/m],
    ['a zero page size', ['--levels', '4', '--page-size', '0', '--address-bits', '48'], /--page-size: expected a power of two from 2 bytes to 1 GiB, found 0/],
    ['zero address bits', ['--levels', '4', '--page-size', '4096', '--address-bits', '0'], /--address-bits: expected a whole number in 2\.\.52, found 0/],
    ['zero-byte entries (not blamed on the default --phys-bits)', ['--levels', '4', '--page-size', '4096', '--address-bits', '48', '--entry-bytes', '0'], /--entry-bytes: expected a power of two from 1 to 8/],
  ];
  it.each(cases)('%s (exit 2)', async (_what, argv, message) => {
    expectOneLineError(await translate(...argv), 2, message);
  });

  it('--arch with a geometry flag, --table with --seed (exit 2; the oclif parser adds a pointer to --help)', async () => {
    const arch = await translate('--arch', 'x86', '--levels', '2');
    expect(arch.exitCode).toBe(2);
    expect(arch.stderr).toBe('ctsim mem translate: --levels=2 cannot also be provided when using --arch\nSee: ctsim mem translate --help\n');
    const table = await translate('--table', 'x.json', '--seed', '1');
    expect(table.exitCode).toBe(2);
    expect(table.stderr).toBe('ctsim mem translate: --seed=1 cannot also be provided when using --table\nSee: ctsim mem translate --help\n');
  });

  it('--table without --address (exit 2)', async () => {
    expectOneLineError(await translate('--table', file('t3.json', JSON.stringify(OSTEP_TABLE))), 2, /--address: expected the addresses to translate with --table, found none/);
  });

  it('an unreadable, invalid or malformed --table file (exit 3)', async () => {
    expectOneLineError(await translate('--table', path.join(dir, 'none.json'), '--address', '1'), 3, /none\.json: expected a readable page-table JSON file, found ENOENT/);
    expectOneLineError(await translate('--table', file('bad.json', '{"geometry":'), '--address', '1'), 3, /bad\.json: expected valid JSON, found /);
    expectOneLineError(await translate('--table', file('key.json', JSON.stringify({ ...OSTEP_TABLE, cr3: 1 })), '--address', '1'), 3, /key\.json at \$\.cr3: expected only the keys geometry, rootFrame, tables, found "cr3"/);
  });
});
