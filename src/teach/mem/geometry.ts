/**
 * The shape of a multi-level page table (OSTEP ch. 20 "Paging: Smaller Tables"): how
 * a virtual address splits into one table index per level and a page offset, how big
 * an entry is and how it is laid out.
 *
 *   x86-64 (4-level paging, Intel SDM vol. 3A §4.5): 48-bit virtual addresses
 *   ┌────────┬────────┬────────┬────────┬─────────────┐
 *   │ PML4 9 │ PDPT 9 │  PD 9  │  PT 9  │  offset 12  │   bits 47..39, 38..30, 29..21,
 *   └────────┴────────┴────────┴────────┴─────────────┘   20..12, 11..0
 *
 * Every table below the top fills exactly one page (pageSize / entryBytes entries, so
 * log2 of that many index bits); the top level takes the bits that are left, which
 * must be at least 1 and at most a page's worth — otherwise the geometry needs another
 * level, or one fewer. That is how real designs come out: x86-64 9+9+9+9+12, i386
 * 10+10+12, OSTEP's homework 5+5+5.
 */

/** How the bits of one page-table entry are laid out. */
export type EntryFormat =
  /** x86: the frame's physical address (PFN × page size) with the present bit in bit 0. */
  | 'x86'
  /** OSTEP's paging-multilevel-translate.py: VALID in the top bit, the PFN below it. */
  | 'ostep';

/** What a user chooses about a page table's shape. */
export interface GeometrySpec {
  /** Width of a virtual address in bits. */
  addressBits: number;
  /** Bytes per page, a power of two. */
  pageSizeBytes: number;
  /** Number of levels of tables. */
  levels: number;
  /** Bytes per entry, a power of two no larger than a page. */
  entryBytes: number;
  /** Width of a physical address in bits (x86-64's MAXPHYADDR is at most 52). */
  physAddressBits: number;
}

/** A checked geometry with everything a walk needs. */
export interface Geometry extends GeometrySpec {
  /** The preset it came from, if any. */
  arch?: ArchName;
  entryFormat: EntryFormat;
  /** The tables' names, top level first (x86-64: PML4, PDPT, PD, PT). */
  levelNames: string[];
  /**
   * True when addresses are canonical as on x86-64: written as 64-bit numbers, bits
   * 63..addressBits copy bit addressBits−1, so the user half is 0..2^(addressBits−1)−1
   * and the kernel half the top 2^(addressBits−1) addresses of the 64-bit space. A walk
   * uses the low addressBits bits.
   */
  canonical: boolean;
  /** log2(pageSizeBytes). */
  offsetBits: number;
  /** Index bits per level, top level first. Invariant: their sum + offsetBits = addressBits. */
  indexBits: number[];
  /** The lowest address bit of each level's index, top level first. */
  indexShift: number[];
  /** Entries in one table page: pageSizeBytes / entryBytes. */
  entriesPerTable: number;
}

/** The presets of `--arch`. */
export const ARCH_NAMES = ['x86-64', 'x86', 'ostep'] as const;
export type ArchName = (typeof ARCH_NAMES)[number];

interface ArchPreset {
  spec: GeometrySpec;
  entryFormat: EntryFormat;
  levelNames: string[];
  canonical: boolean;
  /** What it is, in a few words. */
  title: string;
  /** One line for --help and the README. */
  summary: string;
}

export const ARCH_PRESETS: Record<ArchName, ArchPreset> = {
  'x86-64': {
    spec: { addressBits: 48, pageSizeBytes: 4096, levels: 4, entryBytes: 8, physAddressBits: 52 },
    entryFormat: 'x86',
    levelNames: ['PML4', 'PDPT', 'PD', 'PT'],
    canonical: true,
    title: 'x86-64 4-level paging',
    summary: 'x86-64 4-level paging: 48-bit addresses, 4 KiB pages, 4 levels of 512 8-byte entries (9+9+9+9+12 bits)',
  },
  x86: {
    spec: { addressBits: 32, pageSizeBytes: 4096, levels: 2, entryBytes: 4, physAddressBits: 32 },
    entryFormat: 'x86',
    levelNames: ['PD', 'PT'],
    canonical: false,
    title: 'i386 paging without PAE',
    summary: 'i386 paging without PAE: 32-bit addresses, 4 KiB pages, 2 levels of 1024 4-byte entries (10+10+12 bits)',
  },
  ostep: {
    spec: { addressBits: 15, pageSizeBytes: 32, levels: 2, entryBytes: 1, physAddressBits: 12 },
    entryFormat: 'ostep',
    levelNames: ['PD', 'PT'],
    canonical: false,
    title: "OSTEP's multi-level page-table homework",
    summary: "OSTEP's vm-smalltables homework: 15-bit addresses, 32-byte pages, 2 levels of 32 1-byte entries (5+5+5 bits), 4 KiB of RAM",
  },
};

/** True when `name` is one of ARCH_NAMES. */
export function isArchName(name: string): name is ArchName {
  return (ARCH_NAMES as readonly string[]).includes(name);
}

/** Widest virtual or physical address ctsim walks: addresses are exact JS numbers. */
export const MAX_ADDRESS_BITS = 52;

/** Levels ctsim walks at most (x86-64 with LA57 has 5). */
export const MAX_LEVELS = 5;

/** Table names by number of levels, after Linux's pgd/p4d/pud/pmd/pte. */
function defaultLevelNames(levels: number): string[] {
  return [['PT'], ['PD', 'PT'], ['PGD', 'PMD', 'PT'], ['PGD', 'PUD', 'PMD', 'PT'], ['PGD', 'P4D', 'PUD', 'PMD', 'PT']][levels - 1];
}

/** What is wrong with a geometry spec: the field at fault and the facts of an error. */
export interface GeometryProblem {
  field: keyof GeometrySpec;
  expected: string;
  found: string;
  fix: string;
}

function isPowerOfTwo(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** The first problem with `spec` under `format`, or null when it is a valid geometry. */
export function geometryProblem(spec: GeometrySpec, format: EntryFormat = 'x86'): GeometryProblem | null {
  const whole = (field: keyof GeometrySpec, min: number, max: number, fix: string): GeometryProblem | null => {
    const v = spec[field];
    return Number.isSafeInteger(v) && v >= min && v <= max ? null : { field, expected: `a whole number in ${min}..${max}`, found: String(v), fix };
  };
  const simple =
    whole('levels', 1, MAX_LEVELS, 'x86-64 uses 4 levels') ??
    whole('addressBits', 2, MAX_ADDRESS_BITS, 'x86-64 uses 48-bit virtual addresses') ??
    whole('physAddressBits', 2, MAX_ADDRESS_BITS, 'x86-64 allows up to 52-bit physical addresses');
  if (simple) return simple;
  if (!isPowerOfTwo(spec.pageSizeBytes) || spec.pageSizeBytes < 2 || spec.pageSizeBytes > 2 ** 30) {
    return { field: 'pageSizeBytes', expected: 'a power of two from 2 bytes to 1 GiB', found: String(spec.pageSizeBytes), fix: 'x86-64 uses 4096-byte pages' };
  }
  if (!isPowerOfTwo(spec.entryBytes) || spec.entryBytes > 8 || spec.entryBytes * 2 > spec.pageSizeBytes) {
    return {
      field: 'entryBytes',
      expected: `a power of two from 1 to 8 that fits a page at least twice (page size ${spec.pageSizeBytes})`,
      found: String(spec.entryBytes),
      fix: 'x86-64 uses 8-byte entries',
    };
  }
  const offsetBits = Math.log2(spec.pageSizeBytes);
  const perLevel = Math.log2(spec.pageSizeBytes / spec.entryBytes);
  const vpnBits = spec.addressBits - offsetBits;
  if (vpnBits < spec.levels) {
    return { field: 'addressBits', expected: `more than ${offsetBits + spec.levels - 1} bits (${offsetBits} offset bits and at least 1 index bit per level)`, found: String(spec.addressBits), fix: 'use wider addresses, bigger pages or fewer levels' };
  }
  const topBits = vpnBits - (spec.levels - 1) * perLevel;
  if (topBits < 1 || topBits > perLevel) {
    const needed = Math.ceil(vpnBits / perLevel);
    return {
      field: 'levels',
      expected: `${needed} level${needed === 1 ? '' : 's'}: ${vpnBits} page-number bits over tables of ${2 ** perLevel} entries (${perLevel} bits each, one page per table)`,
      found: String(spec.levels),
      fix: `use ${needed} levels, or change the address width, page size or entry size`,
    };
  }
  const pfnBits = spec.physAddressBits - offsetBits;
  if (pfnBits < 1) {
    return { field: 'physAddressBits', expected: `more than ${offsetBits} bits (the page offset)`, found: String(spec.physAddressBits), fix: 'use a wider physical address' };
  }
  const entryBits = spec.entryBytes * 8;
  const fits = format === 'x86' ? spec.physAddressBits <= entryBits : pfnBits <= entryBits - 1;
  if (!fits) {
    return {
      field: 'physAddressBits',
      expected:
        format === 'x86'
          ? `at most ${entryBits} bits, so that a frame's address fits a ${spec.entryBytes}-byte entry`
          : `at most ${entryBits - 1 + offsetBits} bits, so that a frame number and the valid bit fit a ${spec.entryBytes}-byte entry`,
      found: String(spec.physAddressBits),
      fix: 'use a narrower physical address or bigger entries',
    };
  }
  return null;
}

function derive(spec: GeometrySpec, format: EntryFormat, levelNames: string[], canonical: boolean, arch?: ArchName): Geometry {
  const problem = geometryProblem(spec, format);
  if (problem) throw new RangeError(`${problem.field}: expected ${problem.expected}, got ${problem.found}`);
  const offsetBits = Math.log2(spec.pageSizeBytes);
  const perLevel = Math.log2(spec.pageSizeBytes / spec.entryBytes);
  const topBits = spec.addressBits - offsetBits - (spec.levels - 1) * perLevel;
  const indexBits = [topBits, ...new Array<number>(spec.levels - 1).fill(perLevel)];
  const indexShift = indexBits.map((_, l) => offsetBits + indexBits.slice(l + 1).reduce((a, b) => a + b, 0));
  return {
    ...(arch ? { arch } : {}),
    ...spec,
    entryFormat: format,
    levelNames,
    canonical,
    offsetBits,
    indexBits,
    indexShift,
    entriesPerTable: spec.pageSizeBytes / spec.entryBytes,
  };
}

/** The geometry of a preset. */
export function archGeometry(arch: ArchName): Geometry {
  const p = ARCH_PRESETS[arch];
  return derive(p.spec, p.entryFormat, p.levelNames, p.canonical, arch);
}

/**
 * A geometry from its spec, with x86-style entries and tables named after Linux's
 * (PD, PT for two levels; PGD, PUD, PMD, PT for four). Precondition: geometryProblem
 * (spec) is null; otherwise this throws a RangeError.
 */
export function customGeometry(spec: GeometrySpec): Geometry {
  return derive(spec, 'x86', defaultLevelNames(spec.levels) ?? [], false);
}

/** The spec part of a geometry (what a table file records). */
export function geometrySpecOf(g: Geometry): GeometrySpec {
  return { addressBits: g.addressBits, pageSizeBytes: g.pageSizeBytes, levels: g.levels, entryBytes: g.entryBytes, physAddressBits: g.physAddressBits };
}

/**
 * The address as software writes it: for a canonical geometry, an address with bit
 * addressBits−1 set is sign-extended to 64 bits (0x800000000000 → 0xffff800000000000).
 */
export function canonicalAddress(g: Geometry, address: number): bigint {
  const value = BigInt(address);
  if (!g.canonical || address < 2 ** (g.addressBits - 1)) return value;
  return value | (((1n << 64n) - 1n) ^ ((1n << BigInt(g.addressBits)) - 1n));
}
