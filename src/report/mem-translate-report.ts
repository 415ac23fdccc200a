/**
 * Text rendering of address translations (`ctsim mem translate`), laid out as the
 * textbook figure is: the geometry, the virtual address cut into its index fields and
 * offset, then one row per page-table entry read (its table, index, physical address
 * and contents) and the physical address or the fault. Pure: data in, text out.
 */
import Table from 'cli-table3';
import { ARCH_PRESETS, canonicalAddress, type GeneratedRegion, type Geometry, type Translation } from '../teach/mem/index.js';

/** Where the page table came from, for the header. */
export interface TranslateRunInfo {
  version: string;
  /** The seed the table was drawn from, or undefined for a table file. */
  seed?: number;
  /** The table file, or undefined for a generated table. */
  tableFile?: string;
  rootFrame: number;
  /** A generated table's regions (what it maps). */
  regions?: GeneratedRegion[];
  /** True when the addresses were drawn from the seed rather than given. */
  addressesRandom?: boolean;
}

/** `n` in hex with at least `digits` digits. */
export function hex(n: number | bigint, digits = 1): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** A virtual address as software writes it (canonical on x86-64), padded to the address width. */
export function virtualHex(g: Geometry, address: number): string {
  return hex(canonicalAddress(g, address), Math.ceil(g.addressBits / 4));
}

/** A page size as an adjective: `4 KiB`, `32-byte`. */
function pageSizeText(bytes: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return `${bytes}-byte`;
}

/** The geometry in one line, and its address split. Ends with a newline. */
export function renderGeometry(g: Geometry): string {
  let text = `${g.arch ? `${ARCH_PRESETS[g.arch].title} (--arch ${g.arch})` : 'a custom geometry'}\n`;
  text += `${g.addressBits}-bit virtual addresses, ${pageSizeText(g.pageSizeBytes)} pages, ${g.levels} level${g.levels === 1 ? '' : 's'} `;
  text += `(${g.levelNames.join(', ')}) of ${g.entriesPerTable} ${g.entryBytes}-byte entries per table page, ${g.physAddressBits}-bit physical addresses\n`;
  const fields = g.levelNames.map((n, l) => `${n} ${g.indexBits[l]}`);
  text += `address split (bits): ${[...fields, `offset ${g.offsetBits}`].join(' | ')}\n`;
  return text;
}

/** The address cut into its fields, in binary, with labels under them. Ends with a newline. */
export function renderAddressSplit(g: Geometry, t: Translation): string {
  const groups = g.indexBits.map((bits, l) => ({ bits: t.indices[l].toString(2).padStart(bits, '0'), label: `${g.levelNames[l]} ${t.indices[l]}` }));
  groups.push({ bits: t.offset.toString(2).padStart(g.offsetBits, '0'), label: `offset ${hex(t.offset)}` });
  const widths = groups.map((x) => Math.max(x.bits.length, x.label.length));
  const line = (pick: (x: { bits: string; label: string }) => string): string => groups.map((x, i) => pick(x).padEnd(widths[i])).join(' | ').trimEnd();
  return `  bits:   ${line((x) => x.bits)}\n          ${line((x) => x.label)}\n`;
}

/** The table of entries read, and the outcome. Ends with a newline. */
export function renderTranslation(g: Geometry, t: Translation): string {
  let text = `virtual address ${virtualHex(g, t.virtualAddress)} (page ${hex(t.vpn)}, offset ${hex(t.offset)})\n`;
  text += renderAddressSplit(g, t);
  const table = new Table({
    head: ['Level', 'Index', 'Table frame', 'Entry address', 'Entry', 'Meaning'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'left'],
    style: { head: [], border: [], compact: true },
  });
  for (const s of t.steps) {
    const last = s.level === g.levels;
    const meaning = s.valid ? `valid → ${last ? 'page in' : 'next table in'} frame ${hex(s.frame!)}` : 'not valid → page fault';
    table.push([s.name, String(s.index), hex(s.tableFrame), hex(s.entryAddress), hex(s.entry, g.entryBytes * 2), meaning]);
  }
  text += table.toString() + '\n';
  const reads = `${t.steps.length} page-table read${t.steps.length === 1 ? '' : 's'}`;
  if (t.fault) {
    text += `page fault: ${t.fault.reason} (${reads}; the OS must map the page or signal the process)\n`;
  } else {
    const frame = t.steps[t.steps.length - 1].frame!;
    text += `physical address: frame ${hex(frame)} × ${g.pageSizeBytes} + offset ${hex(t.offset)} = ${hex(t.physicalAddress!)}`;
    text += ` (${reads} + 1 access = ${t.memoryReferences} memory references on a TLB miss)\n`;
  }
  return text;
}

/** The whole report: geometry, table source, and one block per translation. */
export function renderTranslateReport(g: Geometry, translations: Translation[], info: TranslateRunInfo): string {
  let head = `ctsim ${info.version} mem translate: ${renderGeometry(g)}`;
  const root = g.arch === 'x86-64' || g.arch === 'x86' ? 'CR3' : 'PDBR';
  head += info.tableFile !== undefined ? `page table: from ${info.tableFile}` : `page table: generated from seed ${info.seed}`;
  head += `; top-level table in frame ${hex(info.rootFrame)} (the ${root})\n`;
  for (const r of info.regions ?? []) {
    if (r.mapped === 0) continue;
    const first = r.firstVpn * g.pageSizeBytes;
    const last = (r.firstVpn + r.pages) * g.pageSizeBytes - 1;
    head += `  maps ${r.mapped} of the ${r.pages} pages ${virtualHex(g, first)}-${virtualHex(g, last)}\n`;
  }
  if (info.addressesRandom) head += `addresses drawn from the seed (give --address to choose them)\n`;
  const blocks = translations.map((t) => renderTranslation(g, t));
  return [head, ...blocks].join('\n');
}
