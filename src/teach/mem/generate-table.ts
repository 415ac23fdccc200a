/**
 * A page table drawn from a seed, for `ctsim mem translate` without `--table`: like a
 * small process, it maps a few runs of nearby virtual pages (code, heap, stack), each
 * with some holes, into frames chosen at random — so that some addresses translate,
 * some fault at the last level (a hole next to mapped pages) and some fault higher up
 * (nothing mapped near them). OSTEP's paging-multilevel-translate.py does the same
 * with 64 random pages of a 1024-page space; random pages of a 2^36-page x86-64 space
 * would never share a table, hence the runs.
 *
 *   region (16 pages):  ■ ■ □ ■ ■ ■ □ ■ ■ ■ ■ ■ □ ■ ■ ■     ■ mapped (3 in 4)  □ hole
 *
 * On x86-64 the pages are in the user half (below 0x800000000000), as a process's are.
 *
 * Simplification: drawn from ctsim's seeded RNG, so a seed gives the same table on
 * every ctsim run but not the one Python's RNG gives the homework script.
 */
import type { Rng } from '../../sim/index.js';
import type { Geometry } from './geometry.js';
import { physicalFrames, type PageTable, type TableEntries } from './page-table.js';
import { splitAddress } from './translate.js';

/** Runs of nearby pages the generator maps. */
export const GENERATED_REGIONS = 3;

/** Pages per run, at most (fewer when a table or the address space is smaller). */
export const GENERATED_REGION_PAGES = 16;

/** Frames drawn from, at most: 2^20 frames of 4 KiB are 4 GiB of RAM. */
export const GENERATED_MAX_FRAMES = 2 ** 20;

/** A run of virtual pages the generator considered, and how many it mapped. */
export interface GeneratedRegion {
  firstVpn: number;
  pages: number;
  mapped: number;
}

export interface GeneratedTable {
  table: PageTable;
  regions: GeneratedRegion[];
  /** Every mapped virtual page, in ascending order. */
  mappedVpns: number[];
  /** Pages inside a region that were left unmapped, in ascending order. */
  holeVpns: number[];
}

/** Virtual pages a process may map: all of them, or the lower (user) half of a canonical address space. */
function userPages(g: Geometry): number {
  return 2 ** (g.addressBits - g.offsetBits - (g.canonical ? 1 : 0));
}

/** Draws a page table of `geometry` from `rng`. */
export function generatePageTable(geometry: Geometry, rng: Rng): GeneratedTable {
  const g = geometry;
  const frameCount = Math.min(physicalFrames(g), GENERATED_MAX_FRAMES);
  const vpnCount = userPages(g);
  const used = new Set<number>();
  // Precondition of the draw: at most half the frames are used, so a draw finds a free one in 2 tries on average.
  const allocate = (): number | null => {
    if ((used.size + 1) * 2 > frameCount) return null;
    let frame: number;
    do frame = rng.int(0, frameCount - 1);
    while (used.has(frame));
    used.add(frame);
    return frame;
  };
  const rootFrame = allocate() ?? 0; // a geometry has at least 2 frames, so this allocates
  const tables: TableEntries = new Map([[rootFrame, new Map()]]);

  /** Maps `vpn` to a fresh frame, creating the tables on the way; false when frames run out. */
  const map = (vpn: number): boolean => {
    const { indices } = splitAddress(g, vpn * g.pageSizeBytes);
    let table = tables.get(rootFrame)!;
    for (let l = 0; l < g.levels; l++) {
      const existing = table.get(indices[l]);
      if (l === g.levels - 1) {
        if (existing !== undefined) return true;
        const frame = allocate();
        if (frame === null) return false;
        table.set(indices[l], frame);
        return true;
      }
      if (existing !== undefined) {
        table = tables.get(existing)!;
        continue;
      }
      const frame = allocate();
      if (frame === null) return false;
      table.set(indices[l], frame);
      const next = new Map<number, number>();
      tables.set(frame, next);
      table = next;
    }
    return true;
  };

  const span = Math.min(GENERATED_REGION_PAGES, g.entriesPerTable, vpnCount);
  const mapped = new Set<number>();
  const holes = new Set<number>();
  const regions: GeneratedRegion[] = [];
  for (let r = 0; r < GENERATED_REGIONS; r++) {
    const firstVpn = rng.int(0, vpnCount - span);
    let count = 0;
    for (let vpn = firstVpn; vpn < firstVpn + span; vpn++) {
      if (mapped.has(vpn)) {
        count++;
        continue;
      }
      if (rng.int(0, 3) === 0 || !map(vpn)) {
        holes.add(vpn);
        continue;
      }
      holes.delete(vpn);
      mapped.add(vpn);
      count++;
    }
    regions.push({ firstVpn, pages: span, mapped: count });
  }
  const ascending = (s: Set<number>): number[] => [...s].sort((a, b) => a - b);
  return { table: { geometry: g, rootFrame, tables }, regions, mappedVpns: ascending(mapped), holeVpns: ascending(holes) };
}

/**
 * Addresses worth walking in a generated table, `count` of them cycling through:
 * a mapped page (translates), a hole next to mapped pages (faults at the last level
 * or close to it), a mapped page, an address anywhere (usually faults at the top).
 * Offsets within the page are random.
 */
export function sampleAddresses(gen: GeneratedTable, rng: Rng, count = 4): number[] {
  const g = gen.table.geometry;
  const vpnCount = userPages(g);
  const pick = (list: number[]): number => (list.length > 0 ? list[rng.int(0, list.length - 1)] : rng.int(0, vpnCount - 1));
  const kinds: (() => number)[] = [() => pick(gen.mappedVpns), () => pick(gen.holeVpns), () => pick(gen.mappedVpns), () => rng.int(0, vpnCount - 1)];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]() * g.pageSizeBytes + rng.int(0, g.pageSizeBytes - 1));
}
