import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../src/sim/input-error.js';
import { Rng } from '../../../src/sim/index.js';
import {
  archGeometry,
  canonicalAddress,
  customGeometry,
  generatePageTable,
  geometryProblem,
  pageTableDocument,
  parsePageTable,
  sampleAddresses,
  translate,
  type PageTable,
} from '../../../src/teach/mem/index.js';

describe('geometry', () => {
  it('x86-64 is 9+9+9+9+12 bits, i386 10+10+12, the OSTEP homework 5+5+5', () => {
    const x64 = archGeometry('x86-64');
    expect(x64.indexBits).toEqual([9, 9, 9, 9]);
    expect(x64.indexShift).toEqual([39, 30, 21, 12]);
    expect(x64.entriesPerTable).toBe(512);
    expect(x64.levelNames).toEqual(['PML4', 'PDPT', 'PD', 'PT']);
    expect(archGeometry('x86').indexBits).toEqual([10, 10]);
    const ostep = archGeometry('ostep');
    expect([ostep.indexBits, ostep.offsetBits, ostep.entriesPerTable]).toEqual([[5, 5], 5, 32]);
  });

  it('gives the top level the bits left over: i386 PAE-like 32-bit with 8-byte entries is 2+9+9+12', () => {
    const g = customGeometry({ addressBits: 32, pageSizeBytes: 4096, levels: 3, entryBytes: 8, physAddressBits: 36 });
    expect(g.indexBits).toEqual([2, 9, 9]);
    expect(g.levelNames).toEqual(['PGD', 'PMD', 'PT']);
  });

  it('says how many levels a geometry needs when the count is wrong', () => {
    const spec = { addressBits: 48, pageSizeBytes: 4096, entryBytes: 8, physAddressBits: 52 };
    expect(geometryProblem({ ...spec, levels: 3 })).toMatchObject({ field: 'levels', expected: expect.stringMatching(/^4 levels: 36 page-number bits over tables of 512 entries/) });
    expect(geometryProblem({ ...spec, levels: 5 })).toMatchObject({ field: 'levels', found: '5' });
    expect(geometryProblem({ ...spec, levels: 4 })).toBeNull();
    expect(geometryProblem({ ...spec, levels: 4, pageSizeBytes: 3000 })).toMatchObject({ field: 'pageSizeBytes' });
    expect(geometryProblem({ ...spec, levels: 4, entryBytes: 3 })).toMatchObject({ field: 'entryBytes' });
    expect(geometryProblem({ ...spec, levels: 4, addressBits: 64 })).toMatchObject({ field: 'addressBits' });
    // A 4-byte x86 entry holds a frame address of at most 32 bits.
    expect(geometryProblem({ addressBits: 32, pageSizeBytes: 4096, levels: 2, entryBytes: 4, physAddressBits: 36 })).toMatchObject({ field: 'physAddressBits' });
    expect(() => customGeometry({ ...spec, levels: 3 })).toThrow(RangeError);
  });

  it('writes x86-64 kernel-half addresses in canonical form', () => {
    const g = archGeometry('x86-64');
    expect(canonicalAddress(g, 0x7fff_ffff_f000)).toBe(0x7fff_ffff_f000n);
    expect(canonicalAddress(g, 0x8000_0000_0000)).toBe(0xffff_8000_0000_0000n);
    expect(canonicalAddress(archGeometry('ostep'), 0x7fff)).toBe(0x7fffn);
  });
});

/** OSTEP ch. 20.3's example: 16 KiB space, 64-byte pages, 4-byte entries: 4+4+6 bits. */
function ostepChapterTable(): PageTable {
  const geometry = customGeometry({ addressBits: 14, pageSizeBytes: 64, levels: 2, entryBytes: 4, physAddressBits: 16 });
  // Page directory in frame 108: entry 0 → page table in frame 100, entry 15 → frame 101.
  // Frame 101 entry 14 maps VPN 254 to PFN 55 (0x37), as in the chapter.
  return {
    geometry,
    rootFrame: 108,
    tables: new Map([
      [108, new Map([[0, 100], [15, 101]])],
      [100, new Map([[0, 10], [1, 23], [4, 80], [5, 59]])],
      [101, new Map([[14, 55], [15, 45]])],
    ]),
  };
}

describe('translate', () => {
  it("walks OSTEP ch. 20's example: VA 0x3F80 (VPN 254) → PD 15 → PT 14 → PFN 55 → PA 0x0DC0", () => {
    const t = translate(ostepChapterTable(), 0x3f80);
    expect(t).toMatchObject({ vpn: 254, offset: 0, indices: [15, 14], physicalAddress: 0x0dc0, fault: null, memoryReferences: 3 });
    expect(t.steps).toEqual([
      { level: 1, name: 'PD', index: 15, tableFrame: 108, entryAddress: 108 * 64 + 15 * 4, entry: 101 * 64 + 1, valid: true, frame: 101 },
      { level: 2, name: 'PT', index: 14, tableFrame: 101, entryAddress: 101 * 64 + 14 * 4, entry: 55 * 64 + 1, valid: true, frame: 55 },
    ]);
  });

  it('stops at the first invalid entry, at either level', () => {
    const table = ostepChapterTable();
    const pdFault = translate(table, 0x1000); // PD index 4: no page table there
    expect(pdFault.steps).toHaveLength(1);
    expect(pdFault).toMatchObject({ physicalAddress: null, memoryReferences: 1, fault: { level: 1, name: 'PD', reason: 'PD entry 4 is not valid' } });
    expect(pdFault.steps[0]).toMatchObject({ valid: false, entry: 0, frame: null });
    const ptFault = translate(table, 0x3f00); // PD 15 valid, PT index 12 not
    expect(ptFault.steps.map((s) => s.valid)).toEqual([true, false]);
    expect(ptFault.fault).toMatchObject({ level: 2, name: 'PT' });
  });

  it('takes x86-64 indices from bits 47..39, 38..30, 29..21, 20..12 and reads 8-byte entries', () => {
    const g = archGeometry('x86-64');
    const va = 0x7f12_3456_7abc;
    const idx = [39, 30, 21, 12].map((shift) => Number((BigInt(va) >> BigInt(shift)) & 0x1ffn));
    const frames = [0x1000, 0x2000, 0x3000, 0x4000, 0xabcde];
    const tables = new Map(idx.map((index, l) => [frames[l], new Map([[index, frames[l + 1]]])]));
    const t = translate({ geometry: g, rootFrame: frames[0], tables }, va);
    expect(t.indices).toEqual(idx);
    expect(t.steps.map((s) => s.name)).toEqual(['PML4', 'PDPT', 'PD', 'PT']);
    expect(t.steps.map((s) => s.entryAddress)).toEqual(idx.map((index, l) => frames[l] * 4096 + index * 8));
    // An x86 entry is the frame's physical address with the present bit (bit 0).
    expect(t.steps.map((s) => s.entry)).toEqual(frames.slice(1).map((f) => f * 4096 + 1));
    expect(t.physicalAddress).toBe(0xabcde * 4096 + 0xabc);
    expect(t.memoryReferences).toBe(5);
  });

  it('lays out OSTEP entries as VALID in bit 7 and the PFN in bits 6..0', () => {
    const g = archGeometry('ostep');
    const t = translate({ geometry: g, rootFrame: 108, tables: new Map([[108, new Map([[24, 33]])], [33, new Map([[8, 53]])]]) }, 0x611c);
    expect(t.steps.map((s) => s.entry)).toEqual([0xa1, 0xb5]);
    expect(t.physicalAddress).toBe(0x6bc);
  });

  it('rejects an address wider than the geometry', () => {
    expect(() => translate(ostepChapterTable(), 0x4000)).toThrow(RangeError);
  });
});

describe('parsePageTable (the --table format)', () => {
  const ok = { geometry: 'ostep', rootFrame: 108, tables: { '108': { '24': 33 }, '0x21': { '0x8': '0x35' } } };

  it('accepts decimal and hex keys and values, and round-trips through pageTableDocument', () => {
    const table = parsePageTable(ok, 't.json');
    expect(table.tables.get(33)!.get(8)).toBe(0x35);
    expect(translate(table, 0x611c).physicalAddress).toBe(0x35 * 32 + 0x1c);
    const doc = pageTableDocument(table);
    expect(doc).toEqual({ geometry: 'ostep', rootFrame: 108, tables: { '33': { '8': 53 }, '108': { '24': 33 } } });
    expect(parsePageTable(JSON.parse(JSON.stringify(doc)), 'again.json')).toEqual(table);
  });

  it('takes a custom geometry object', () => {
    const t = parsePageTable({ geometry: { addressBits: 14, pageSizeBytes: 64, levels: 2, entryBytes: 4, physAddressBits: 16 }, rootFrame: 1, tables: {} }, 'c.json');
    expect(t.geometry.indexBits).toEqual([4, 4]);
  });

  const bad: [string, unknown, RegExp][] = [
    ['not an object', [1], /^t\.json at \$: expected an object \{geometry, rootFrame, tables\}, found \[1\] \(fix: correct it in the file; `ctsim mem translate --help` describes the --table format, and --json prints a valid table to start from\)$/],
    ['an unknown key', { ...ok, pdbr: 3 }, /^t\.json at \$\.pdbr: expected only the keys geometry, rootFrame, tables, found "pdbr" \(fix: remove "pdbr"\)$/],
    ['an unknown preset', { ...ok, geometry: 'arm64' }, /at \$\.geometry: expected a preset \(x86-64, x86, ostep\) or an object, found "arm64"/],
    ['a bad custom geometry', { ...ok, geometry: { addressBits: 48, pageSizeBytes: 4096, levels: 3, entryBytes: 8, physAddressBits: 52 } }, /at \$\.geometry\.levels: expected 4 levels/],
    ['a missing geometry field', { ...ok, geometry: { addressBits: 48, pageSizeBytes: 4096, levels: 4, entryBytes: 8 } }, /at \$\.geometry\.physAddressBits: expected a number, found nothing/],
    ['a root frame past physical memory', { ...ok, rootFrame: 128 }, /at \$\.rootFrame: expected the frame of the top-level table: a whole number in 0\.\.127/],
    ['an index past the table', { ...ok, tables: { '108': { '32': 1 } } }, /at \$\.tables\["108"\]\["32"\]: expected an entry index: a whole number in 0\.\.31/],
    ['a frame that is not a number', { ...ok, tables: { '108': { '1': 'x' } } }, /at \$\.tables\["108"\]\["1"\]: expected the frame the entry points at: .*found "x"/],
    ['a table that is not an object', { ...ok, tables: { '108': 5 } }, /at \$\.tables\["108"\]: expected an object mapping entry indices to frames, found 5/],
    ['the same frame twice', { ...ok, tables: { '108': {}, '0x6c': {} } }, /at \$\.tables\["0x6c"\]: expected each table frame once, found frame 108 again/],
  ];
  it.each(bad)('names the file, the JSON path and the fix: %s', (_what, doc, message) => {
    let error: unknown;
    try {
      parsePageTable(doc, 't.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toMatch(message);
    expect((error as InputError).message).toMatch(/\(fix: .+\)$/);
  });
});

describe('generatePageTable', () => {
  it('maps runs of pages with holes: every mapped page translates, every hole faults at the last level', () => {
    for (const arch of ['x86-64', 'x86', 'ostep'] as const) {
      const gen = generatePageTable(archGeometry(arch), new Rng(5).fork('mem.table'));
      const g = gen.table.geometry;
      expect(gen.mappedVpns.length).toBeGreaterThan(10);
      expect(gen.holeVpns.length).toBeGreaterThan(0);
      for (const vpn of gen.mappedVpns) expect(translate(gen.table, vpn * g.pageSizeBytes).fault).toBeNull();
      for (const vpn of gen.holeVpns) expect(translate(gen.table, vpn * g.pageSizeBytes).fault?.level).toBe(g.levels);
      expect(gen.regions.reduce((n, r) => n + r.mapped, 0)).toBeGreaterThanOrEqual(gen.mappedVpns.length);
    }
  });

  it('uses every frame once (tables and pages), within physical memory', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.constantFrom('x86-64', 'x86', 'ostep') as fc.Arbitrary<'x86-64' | 'x86' | 'ostep'>, (seed, arch) => {
        const { table } = generatePageTable(archGeometry(arch), new Rng(seed));
        const frames = [table.rootFrame, ...[...table.tables.values()].flatMap((t) => [...t.values()])];
        expect(new Set(frames).size).toBe(frames.length);
        for (const f of frames) expect(f).toBeLessThan(2 ** (table.geometry.physAddressBits - table.geometry.offsetBits));
      }),
      { numRuns: 100 },
    );
  });

  it('maps x86-64 pages in the user half only, and is the same for the same seed', () => {
    const a = generatePageTable(archGeometry('x86-64'), new Rng(9));
    expect(Math.max(...a.mappedVpns)).toBeLessThan(2 ** 35);
    expect(generatePageTable(archGeometry('x86-64'), new Rng(9))).toEqual(a);
    expect(generatePageTable(archGeometry('x86-64'), new Rng(10)).mappedVpns).not.toEqual(a.mappedVpns);
  });

  it('draws sample addresses that translate and that fault', () => {
    for (let seed = 0; seed < 20; seed++) {
      const gen = generatePageTable(archGeometry('x86-64'), new Rng(seed).fork('mem.table'));
      const results = sampleAddresses(gen, new Rng(seed).fork('mem.addresses')).map((a) => translate(gen.table, a));
      expect(results).toHaveLength(4);
      expect(results[0].fault).toBeNull();
      expect(results[1].fault).not.toBeNull();
      expect(results[2].fault).toBeNull();
    }
  });
});
