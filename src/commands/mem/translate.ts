/**
 * `ctsim mem translate`: walks virtual addresses through a multi-level page table and
 * prints every step — the index for each level, each entry read with its physical
 * address, and the physical address or the fault — as OSTEP chapter 20's figures do.
 * The table is drawn from --seed or read from a JSON file (--table).
 *
 * This file only parses and checks flags, reads the table file, calls src/teach/mem
 * and hands the result to src/report/mem-translate-report.
 */
import { Flags } from '@oclif/core';
import { Rng, UsageError } from '../../sim/index.js';
import {
  ARCH_NAMES,
  ARCH_PRESETS,
  MAX_ADDRESS_BITS,
  archGeometry,
  customGeometry,
  generatePageTable,
  geometryProblem,
  isArchName,
  pageTableDocument,
  parsePageTable,
  sampleAddresses,
  translate,
  type GeneratedTable,
  type Geometry,
  type GeometrySpec,
  type PageTable,
} from '../../teach/mem/index.js';
import { renderTranslateReport, virtualHex } from '../../report/mem-translate-report.js';
import { BaseCommand } from '../base.js';
import { parseSeed, parseWhole } from '../flag-values.js';
import { readJsonFile } from '../input-files.js';

/** The geometry flags and the spec field each sets. */
const GEOMETRY_FLAGS: Record<string, keyof GeometrySpec> = {
  levels: 'levels',
  'page-size': 'pageSizeBytes',
  'address-bits': 'addressBits',
  'entry-bytes': 'entryBytes',
  'phys-bits': 'physAddressBits',
};

const ADDRESS = /^(?:0[xX][0-9a-fA-F]+|\d+)$/;

/**
 * Parses one address for `g`. On x86-64 an address is canonical (bits 63..47 all
 * equal): the user half is below 0x800000000000, the kernel half from
 * 0xffff800000000000; anything between is the #GP the CPU raises before any walk.
 */
function parseAddress(raw: string, entry: number, g: Geometry): number {
  const text = raw.trim();
  const fail = (expected: string, found: string, fix: string): never => {
    throw new UsageError({ source: '--address', path: `entry ${entry}`, expected, found, fix });
  };
  if (!ADDRESS.test(text)) fail('an address in hex (0x611c) or decimal', JSON.stringify(raw), 'e.g. --address 0x611c');
  const value = BigInt(text);
  const width = BigInt(g.addressBits);
  if (!g.canonical) {
    if (value < 1n << width) return Number(value);
    return fail(`an address of at most ${g.addressBits} bits (below 0x${(1n << width).toString(16)})`, `${JSON.stringify(raw)}, which needs ${value.toString(2).length} bits`, 'use a smaller address, or a geometry with wider addresses');
  }
  const half = 1n << (width - 1n);
  if (value < half) return Number(value);
  if (value >= (1n << 64n) - half && value < 1n << 64n) return Number(value & ((1n << width) - 1n));
  return fail(
    `a canonical ${g.addressBits}-bit address: below 0x${half.toString(16)} (user half) or from 0x${((1n << 64n) - half).toString(16)} (kernel half)`,
    value < 1n << 64n ? `${JSON.stringify(raw)}, which is not canonical (the CPU raises #GP before any walk)` : `${JSON.stringify(raw)}, which needs ${value.toString(2).length} bits`,
    `bits 63..${g.addressBits - 1} must all be 0 or all be 1`,
  );
}

export default class MemTranslate extends BaseCommand {
  static override summary = 'Walk virtual addresses through a multi-level page table, step by step.';

  static override description = [
    'Translates each virtual address as the MMU does on a TLB miss (OSTEP chapter 20, "Paging: Smaller Tables"): the address is cut into one index per level and a page offset; starting from the top-level table (the frame in CR3, or OSTEP\'s PDBR), each index selects an entry; a valid entry gives the frame of the next table, and the last one the frame of the page. The output shows every entry read (its table, its physical address and its contents) and the physical address, or the fault at the first entry that is not valid.',
    `Geometry: --arch ${ARCH_NAMES.join(' | ')}, or your own with --levels, --page-size and --address-bits (plus --entry-bytes, default 8, and --phys-bits). ${ARCH_NAMES.map((a) => `${a}: ${ARCH_PRESETS[a].summary}.`).join(' ')} Every table below the top fills one page; the top level takes the bits that are left.`,
    'Page table: drawn from --seed (a few runs of mapped pages with holes, so that some addresses fault), or read from --table FILE, a JSON document {"geometry": "ostep" or {addressBits, pageSizeBytes, levels, entryBytes, physAddressBits}, "rootFrame": N, "tables": {"FRAME": {"INDEX": FRAME, …}, …}} listing the valid entries of each table (keys and values may be decimal or "0x…" strings; every entry not listed is invalid). --json prints the table in that format, so a generated table can be saved, edited and read back.',
    'Without --address, four addresses are drawn from the seed: mapped pages, a hole next to them and an address anywhere.',
  ].join('\n\n');

  static override examples = [
    { description: 'x86-64 4-level paging: walk four addresses through a table generated from the seed.', command: '<%= config.bin %> mem translate --arch x86-64 --seed 1' },
    { description: "OSTEP's homework geometry (paging-multilevel-translate.py): 15-bit addresses, 32-byte pages. The table is ctsim's own for the seed, not the script's; to check a homework answer, give the script's memory as --table.", command: '<%= config.bin %> mem translate --arch ostep --seed 3 --address 0x611c,0x3da8' },
    { description: 'A table of your own, from a JSON file.', command: '<%= config.bin %> mem translate --table my-table.json --address 0x611c' },
    { description: 'A 3-level geometry of your own: 39-bit addresses, 4 KiB pages (like RISC-V Sv39).', command: '<%= config.bin %> mem translate --levels 3 --page-size 4096 --address-bits 39 --address 0x12345678' },
    { description: 'Every step as JSON, and the generated table in the --table format.', command: '<%= config.bin %> mem translate --arch ostep --seed 1 --json' },
  ];

  static override flags = {
    help: Flags.help({ char: 'h', description: 'Show this help (-h, as OSTEP\'s scripts take it).' }),
    address: Flags.string({ description: 'Virtual addresses to translate, hex (0x…) or decimal, comma-separated. [default: 4 drawn from --seed]', helpValue: 'LIST' }),
    arch: Flags.string({ description: `A preset geometry: ${ARCH_NAMES.join(', ')}. [default: x86-64]`, helpValue: 'NAME', exclusive: ['levels', 'page-size', 'address-bits', 'entry-bytes', 'phys-bits', 'table'] }),
    levels: Flags.string({ description: 'Custom geometry: number of levels of tables (1-5).', helpValue: 'N', exclusive: ['table'] }),
    'page-size': Flags.string({ description: 'Custom geometry: bytes per page, a power of two (e.g. 4096).', helpValue: 'BYTES', exclusive: ['table'] }),
    'address-bits': Flags.string({ description: `Custom geometry: width of a virtual address in bits (up to ${MAX_ADDRESS_BITS}).`, helpValue: 'N', exclusive: ['table'] }),
    'entry-bytes': Flags.string({ description: 'Custom geometry: bytes per page-table entry. [default: 8]', helpValue: 'N', exclusive: ['table'] }),
    'phys-bits': Flags.string({ description: `Custom geometry: width of a physical address in bits. [default: 8 × entry bytes, at most ${MAX_ADDRESS_BITS}]`, helpValue: 'N', exclusive: ['table'] }),
    table: Flags.string({ description: 'A page table in JSON (see the description); its geometry comes with it.', helpValue: 'FILE', exclusive: ['seed'] }),
    seed: Flags.string({ description: 'Seed of the generated page table and of the drawn addresses. [default: 0]', helpValue: 'N' }),
    json: Flags.boolean({ description: 'Print {version, seed or tableFile, geometry, table (in the --table format), translations: [{virtualAddressHex (canonical, sign-extended), virtualAddress (its low address bits), vpn, offset, indices, steps, physicalAddress, fault, memoryReferences}]}.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(MemTranslate);
    const seed = flags.seed === undefined ? 0 : parseSeed(flags.seed);
    const rng = new Rng(seed);
    let table: PageTable;
    let generated: GeneratedTable | undefined;
    if (flags.table !== undefined) {
      table = this.readTable(flags.table);
    } else {
      generated = generatePageTable(this.geometry(flags as Record<string, string | boolean | undefined>), rng.fork('mem.table'));
      table = generated.table;
    }
    const g = table.geometry;
    if (flags.address === undefined && generated === undefined) {
      throw new UsageError({ source: '--address', expected: 'the addresses to translate with --table', found: 'none', fix: 'e.g. --address 0x611c,0x3da8' });
    }
    const parsed =
      flags.address === undefined
        ? sampleAddresses(generated!, rng.fork('mem.addresses'))
        : this.addresses(flags.address, g);
    const translations = parsed.map((address) => translate(table, address));
    if (flags.json) {
      const { arch, ...geometry } = g;
      this.printJson({
        version: this.config.version,
        ...(generated ? { seed } : { tableFile: flags.table }),
        geometry: { ...(arch ? { arch } : {}), ...geometry },
        table: pageTableDocument(table),
        // The address as written, sign-extended where the geometry is canonical: an
        // upper-half x86-64 address does not fit a JSON number exactly.
        translations: translations.map((t) => ({ virtualAddressHex: virtualHex(g, t.virtualAddress), ...t })),
      });
      return;
    }
    this.out(
      renderTranslateReport(g, translations, {
        version: this.config.version,
        seed: generated ? seed : undefined,
        tableFile: flags.table,
        rootFrame: table.rootFrame,
        regions: generated?.regions,
        addressesRandom: flags.address === undefined,
      }),
    );
  }

  /** The geometry from --arch or the custom geometry flags. */
  private geometry(flags: Record<string, string | boolean | undefined>): Geometry {
    const given = Object.keys(GEOMETRY_FLAGS).filter((f) => flags[f] !== undefined);
    if (given.length === 0) {
      const arch = ((flags.arch as string | undefined) ?? 'x86-64').toLowerCase();
      if (!isArchName(arch)) throw new UsageError({ source: '--arch', expected: `one of ${ARCH_NAMES.join(', ')}`, found: JSON.stringify(flags.arch), fix: 'e.g. --arch x86-64, or give --levels, --page-size and --address-bits' });
      return archGeometry(arch);
    }
    for (const required of ['levels', 'page-size', 'address-bits']) {
      if (flags[required] === undefined) {
        throw new UsageError({ source: `--${required}`, expected: 'it with the other geometry flags', found: `only ${given.map((f) => `--${f}`).join(', ')}`, fix: 'give --levels, --page-size and --address-bits together, or use --arch' });
      }
    }
    // Any whole number passes here; geometryProblem then says what each field allows (levels 1-5, …).
    const whole = (flag: string, fallback?: number): number =>
      flags[flag] === undefined ? fallback! : parseWhole(`--${flag}`, flags[flag] as string, 0, `e.g. --${flag} ${{ levels: 4, 'page-size': 4096, 'address-bits': 48, 'entry-bytes': 8, 'phys-bits': 52 }[flag]}`, 'a whole number', 2 ** 30);
    const entryBytes = whole('entry-bytes', 8);
    const spec: GeometrySpec = {
      levels: whole('levels'),
      pageSizeBytes: whole('page-size'),
      addressBits: whole('address-bits'),
      entryBytes,
      physAddressBits: whole('phys-bits', Math.min(MAX_ADDRESS_BITS, 8 * (entryBytes || 8))),
    };
    const problem = geometryProblem(spec);
    if (problem) {
      const flag = Object.keys(GEOMETRY_FLAGS).find((f) => GEOMETRY_FLAGS[f] === problem.field)!;
      throw new UsageError({ source: `--${flag}`, expected: problem.expected, found: problem.found, fix: problem.fix });
    }
    return customGeometry(spec);
  }

  private addresses(text: string, g: Geometry): number[] {
    const items = text.split(',');
    if (text.trim() === '') throw new UsageError({ source: '--address', expected: 'one or more addresses', found: 'an empty value', fix: 'e.g. --address 0x611c' });
    return items.map((item, i) => parseAddress(item, i + 1, g));
  }

  private readTable(file: string): PageTable {
    return parsePageTable(readJsonFile(file, '--table', 'a readable page-table JSON file', 'see ctsim mem translate --help for the format'), file);
  }
}
