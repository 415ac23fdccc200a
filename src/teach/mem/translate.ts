/**
 * Address translation through a multi-level page table, step by step, as the MMU
 * walks it on a TLB miss (OSTEP ch. 20.3, figure 20.6's control flow; Intel SDM vol. 3A
 * §4.5 for x86-64):
 *
 *   VA ─┬─ index[0] ──▶ entry at root frame × page + index[0] × entry size
 *       │                 valid? ──no──▶ fault (at the top level)
 *       │                   │ yes: frame of the next table
 *       ├─ index[1] ──▶ entry in that table … (one read per level)
 *       │                 …
 *       └─ offset ────▶ PA = frame from the last entry × page size + offset
 *
 * Each level costs one memory reference, so a walk of an n-level table makes n
 * references before the access itself (x86-64: 4 + 1), which the TLB exists to avoid.
 */
import type { Geometry } from './geometry.js';
import { encodeEntry, type PageTable } from './page-table.js';

/** One entry read during a walk. */
export interface WalkStep {
  /** 1 for the top-level table, `levels` for the last. */
  level: number;
  /** The table's name (x86-64: PML4, PDPT, PD, PT). */
  name: string;
  /** The index taken from the virtual address for this level. */
  index: number;
  /** The frame that holds this level's table. */
  tableFrame: number;
  /** Physical address of the entry read: tableFrame × page size + index × entry size. */
  entryAddress: number;
  /** The entry's raw value in the geometry's format (0 when invalid). */
  entry: number;
  valid: boolean;
  /** The frame the entry points at (next table, or the data page at the last level); null when invalid. */
  frame: number | null;
}

/** A walk that found an invalid entry: the access raises a page fault. */
export interface WalkFault {
  level: number;
  name: string;
  /** In words, e.g. "PT entry 14 is not valid". */
  reason: string;
}

export interface Translation {
  virtualAddress: number;
  /** Virtual page number: the address without its offset bits. */
  vpn: number;
  /** The offset within the page. */
  offset: number;
  /** The index for every level, top level first (all of them, even past a fault). */
  indices: number[];
  /** The entries read, in order; the last one is the faulting one after a fault. */
  steps: WalkStep[];
  /** The translated address; null after a fault. */
  physicalAddress: number | null;
  fault: WalkFault | null;
  /** Memory references without a TLB: one per entry read, plus the access itself when it translates. */
  memoryReferences: number;
}

/** `address`'s bits from `shift` upwards, `bits` of them (exact for addresses below 2^53). */
export function bitField(address: number, shift: number, bits: number): number {
  return Math.floor(address / 2 ** shift) % 2 ** bits;
}

/** The table indices and offset of `address` under `g`. */
export function splitAddress(g: Geometry, address: number): { vpn: number; offset: number; indices: number[] } {
  return {
    vpn: Math.floor(address / g.pageSizeBytes),
    offset: address % g.pageSizeBytes,
    indices: g.indexBits.map((bits, l) => bitField(address, g.indexShift[l], bits)),
  };
}

/**
 * Walks `virtualAddress` through `table`. Precondition: 0 <= virtualAddress <
 * 2^addressBits (a wider address is the caller's error to report).
 */
export function translate(table: PageTable, virtualAddress: number): Translation {
  const g = table.geometry;
  if (!Number.isSafeInteger(virtualAddress) || virtualAddress < 0 || virtualAddress >= 2 ** g.addressBits) {
    throw new RangeError(`virtual address ${virtualAddress} does not fit ${g.addressBits} bits`);
  }
  const { vpn, offset, indices } = splitAddress(g, virtualAddress);
  const steps: WalkStep[] = [];
  let fault: WalkFault | null = null;
  let tableFrame = table.rootFrame;
  for (let l = 0; l < g.levels && fault === null; l++) {
    const index = indices[l];
    const target = table.tables.get(tableFrame)?.get(index);
    const valid = target !== undefined;
    steps.push({
      level: l + 1,
      name: g.levelNames[l],
      index,
      tableFrame,
      entryAddress: tableFrame * g.pageSizeBytes + index * g.entryBytes,
      entry: encodeEntry(g, valid, target ?? 0),
      valid,
      frame: target ?? null,
    });
    if (target === undefined) fault = { level: l + 1, name: g.levelNames[l], reason: `${g.levelNames[l]} entry ${index} is not valid` };
    else tableFrame = target;
  }
  return {
    virtualAddress,
    vpn,
    offset,
    indices,
    steps,
    physicalAddress: fault ? null : tableFrame * g.pageSizeBytes + offset,
    fault,
    memoryReferences: steps.length + (fault ? 0 : 1),
  };
}
