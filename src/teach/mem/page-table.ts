/**
 * A multi-level page table as data: the frame of the top-level table (what x86's CR3
 * or OSTEP's PDBR holds) and, for each frame that holds a table, its valid entries.
 * Every other entry is invalid (not present), as in a zeroed page.
 *
 * The same shape is the `--table FILE` format of `ctsim mem translate` (a JSON
 * document; keys may be decimal or 0x-hex strings, values numbers or such strings):
 *
 *   {
 *     "geometry": "ostep",                      // a preset, or {addressBits, pageSizeBytes,
 *                                               //   levels, entryBytes, physAddressBits}
 *     "rootFrame": 108,                         // frame of the top-level table
 *     "tables": {
 *       "108": { "0": 90, "26": "0x52" },       // table in frame 108: entry 0 → frame 90 …
 *       "90":  { "30": 5 }                      // a last-level table: entry 30 → data frame 5
 *     }
 *   }
 *
 * A valid entry above the last level points at the frame of the next table; a frame
 * that no "tables" key names holds a table with no valid entries.
 */
import { InputError } from '../../sim/input-error.js';
import { archGeometry, customGeometry, geometryProblem, geometrySpecOf, isArchName, ARCH_NAMES, type Geometry, type GeometrySpec } from './geometry.js';

/** Physical frame numbers (PFNs) by table frame and entry index. */
export type TableEntries = Map<number, Map<number, number>>;

export interface PageTable {
  geometry: Geometry;
  /** The frame of the top-level table. */
  rootFrame: number;
  /**
   * The valid entries of each table, by the frame that holds it, then by index.
   * Invariant: indices are < geometry.entriesPerTable; frames are < 2^(physAddressBits
   * − offsetBits).
   */
  tables: TableEntries;
}

/** Frames of physical memory the geometry can address. */
export function physicalFrames(g: Geometry): number {
  return 2 ** (g.physAddressBits - g.offsetBits);
}

/** The raw value of an entry as the geometry lays it out in memory. */
export function encodeEntry(g: Geometry, valid: boolean, frame: number): number {
  if (!valid) return 0;
  return g.entryFormat === 'x86' ? frame * g.pageSizeBytes + 1 : 2 ** (g.entryBytes * 8 - 1) + frame;
}

/** The document form of `table` (the `--table FILE` format), with decimal keys. */
export function pageTableDocument(table: PageTable): { geometry: string | GeometrySpec; rootFrame: number; tables: Record<string, Record<string, number>> } {
  const tables: Record<string, Record<string, number>> = {};
  for (const frame of [...table.tables.keys()].sort((a, b) => a - b)) {
    const entries = table.tables.get(frame)!;
    const doc: Record<string, number> = {};
    for (const index of [...entries.keys()].sort((a, b) => a - b)) doc[String(index)] = entries.get(index)!;
    tables[String(frame)] = doc;
  }
  return { geometry: table.geometry.arch ?? geometrySpecOf(table.geometry), rootFrame: table.rootFrame, tables };
}

const NUMBER_TEXT = /^(?:0[xX][0-9a-fA-F]+|\d+)$/;

/**
 * Parses a page-table document (see the file comment). Every problem is an
 * InputError naming `source`, the JSON path, what was expected and a fix; unknown keys
 * are errors.
 */
export function parsePageTable(doc: unknown, source: string): PageTable {
  const fail = (path: string, expected: string, found: string, fix = 'correct it in the file; `ctsim mem translate --help` describes the --table format, and --json prints a valid table to start from'): never => {
    throw new InputError({ source, path, expected, found, fix });
  };
  const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) fail('$', 'an object {geometry, rootFrame, tables}', show(doc));
  const top = doc as Record<string, unknown>;
  for (const key of Object.keys(top)) {
    if (!['geometry', 'rootFrame', 'tables'].includes(key)) fail(`$.${key}`, 'only the keys geometry, rootFrame, tables', `"${key}"`, `remove "${key}"`);
  }
  const geometry = parseGeometry(top.geometry, fail, show);
  const frames = physicalFrames(geometry);
  /** A whole number in 0..limit-1, as a JSON number or a decimal/0x-hex string. */
  const whole = (v: unknown, path: string, limit: number, what: string): number => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && NUMBER_TEXT.test(v) ? Number(v) : NaN;
    if (!Number.isSafeInteger(n) || n < 0 || n >= limit) fail(path, `${what}: a whole number in 0..${limit - 1} (a number, or a decimal or 0x-hex string)`, show(v));
    return n;
  };
  const rootFrame = whole(top.rootFrame, '$.rootFrame', frames, 'the frame of the top-level table');
  const tablesDoc = top.tables;
  if (typeof tablesDoc !== 'object' || tablesDoc === null || Array.isArray(tablesDoc)) {
    fail('$.tables', 'an object mapping table frames to {index: frame} objects', show(tablesDoc));
  }
  const tables: TableEntries = new Map();
  for (const [frameKey, entriesDoc] of Object.entries(tablesDoc as Record<string, unknown>)) {
    const path = `$.tables["${frameKey}"]`;
    const frame = whole(frameKey, path, frames, 'a table frame');
    if (tables.has(frame)) fail(path, 'each table frame once', `frame ${frame} again`, 'merge the two tables');
    if (typeof entriesDoc !== 'object' || entriesDoc === null || Array.isArray(entriesDoc)) fail(path, 'an object mapping entry indices to frames', show(entriesDoc));
    const entries = new Map<number, number>();
    for (const [indexKey, target] of Object.entries(entriesDoc as Record<string, unknown>)) {
      const index = whole(indexKey, `${path}["${indexKey}"]`, geometry.entriesPerTable, 'an entry index');
      if (entries.has(index)) fail(`${path}["${indexKey}"]`, 'each entry index once', `index ${index} again`);
      entries.set(index, whole(target, `${path}["${indexKey}"]`, frames, 'the frame the entry points at'));
    }
    tables.set(frame, entries);
  }
  return { geometry, rootFrame, tables };
}

function parseGeometry(v: unknown, fail: (path: string, expected: string, found: string, fix?: string) => never, show: (v: unknown) => string): Geometry {
  if (typeof v === 'string') {
    if (!isArchName(v)) fail('$.geometry', `a preset (${ARCH_NAMES.join(', ')}) or an object`, show(v));
    return archGeometry(v as Parameters<typeof archGeometry>[0]);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    fail('$.geometry', `a preset (${ARCH_NAMES.join(', ')}) or an object {addressBits, pageSizeBytes, levels, entryBytes, physAddressBits}`, show(v));
  }
  const g = v as Record<string, unknown>;
  const keys: (keyof GeometrySpec)[] = ['addressBits', 'pageSizeBytes', 'levels', 'entryBytes', 'physAddressBits'];
  for (const key of Object.keys(g)) {
    if (!(keys as string[]).includes(key)) fail(`$.geometry.${key}`, `only the keys ${keys.join(', ')}`, `"${key}"`, `remove "${key}"`);
  }
  for (const key of keys) {
    if (typeof g[key] !== 'number') fail(`$.geometry.${key}`, 'a number', show(g[key]));
  }
  const spec = g as unknown as GeometrySpec;
  const problem = geometryProblem(spec);
  if (problem) fail(`$.geometry.${problem.field}`, problem.expected, problem.found, problem.fix);
  return customGeometry(spec);
}
