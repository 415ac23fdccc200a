/**
 * The x86-64 page-table walk (4-level paging, 4 KiB pages) over simulated physical
 * memory: what the MMU does on a TLB miss (Intel SDM vol. 3A §4.5; OSTEP ch. 20).
 *
 *   virtual address: | sign 16 | PML4 9 | PDPT 9 | PD 9 | PT 9 | offset 12 |
 *   CR3 ─▶ PML4[i] ─▶ PDPT[j] ─▶ PD[k] ─▶ PT[l] ─▶ frame · 4096 + offset
 *
 * Each entry is 8 bytes, little-endian, in a table frame of PhysicalMemory: bit 0
 * present, 1 writable, 2 user, 5 accessed, 6 dirty, 63 no-execute, bits 12–51 the
 * frame. A write needs the writable bit at every level, a user access the user bit
 * at every level, an instruction fetch no no-execute bit on the way. The walk sets
 * the accessed bit in every entry it used and, for a write, the dirty bit in the last
 * one, as the hardware does; it counts one memory reference per entry read (4 per
 * walk natively — a nested walk under a hypervisor will count more).
 *
 * Simplification: no large pages (the PS bit), no PCID, no SMEP/SMAP or CR0.WP; the
 * TLB in front of this walk comes next.
 */
import { FRAME_DIRTY, FRAME_REFERENCED, PAGE_SHIFT, PAGE_SIZE, type PhysicalMemory } from './physical-memory.js';

export const PTE_PRESENT = 0x1;
export const PTE_WRITABLE = 0x2;
export const PTE_USER = 0x4;
export const PTE_ACCESSED = 0x20;
export const PTE_DIRTY = 0x40;
/** Bit 63, kept in the high 32-bit half of the entry. */
export const PTE_HI_NO_EXECUTE = 0x80000000;

export const PAGING_LEVELS = 4;
export const LEVEL_NAMES = ['PML4', 'PDPT', 'PD', 'PT'] as const;
const INDEX_BITS = 9;
const ENTRY_BYTES = 8;

export type AccessKind = 'read' | 'write' | 'execute';

export interface Access {
  kind: AccessKind;
  /** A user-mode access (CPL 3) rather than the kernel's. */
  user: boolean;
}

/** One table entry as the walk read it. */
export interface WalkStep {
  level: number;
  index: number;
  /** Physical address of the entry. */
  entryAddress: number;
  /** The entry's low and high 32 bits, before the walk set accessed/dirty. */
  lo: number;
  hi: number;
}

export type WalkResult =
  | { ok: true; physAddress: number; frame: number; steps: WalkStep[] }
  | { ok: false; fault: 'non-canonical' | 'not-present' | 'protection'; level: number; steps: WalkStep[] };

/** An entry's fields. */
export function decodeEntry(lo: number, hi: number): { frame: number; flags: number; noExecute: boolean } {
  return { frame: (hi & 0xfffff) * 2 ** 20 + (lo >>> PAGE_SHIFT), flags: lo & 0xfff, noExecute: (hi & PTE_HI_NO_EXECUTE) !== 0 };
}

/** Writes entry `index` of the table in `tableFrame`: `frame` with `flags` (and no-execute). */
export function writeEntry(memory: PhysicalMemory, tableFrame: number, index: number, frame: number, flags: number, noExecute = false): void {
  if (!Number.isInteger(index) || index < 0 || index >= 1 << INDEX_BITS) throw new RangeError(`a table has 512 entries; index ${index}`);
  const bytes = new Uint8Array(ENTRY_BYTES);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, ((frame % 2 ** 20) * PAGE_SIZE + (flags & 0xfff)) >>> 0, true);
  view.setUint32(4, (Math.floor(frame / 2 ** 20) & 0xfffff) | (noExecute ? PTE_HI_NO_EXECUTE : 0), true);
  memory.write(tableFrame, index * ENTRY_BYTES, bytes);
}

function readEntry(memory: PhysicalMemory, tableFrame: number, index: number): { lo: number; hi: number } {
  const view = new DataView(memory.read(tableFrame, index * ENTRY_BYTES, ENTRY_BYTES).buffer);
  return { lo: view.getUint32(0, true), hi: view.getUint32(4, true) };
}

/** The four table indices and the page offset of a canonical 48-bit address; null if it is not canonical. */
export function splitAddress(vaddr: bigint): { indices: number[]; offset: number } | null {
  const top = vaddr >> 47n;
  if (vaddr < 0n || vaddr > 0xffff_ffff_ffff_ffffn || (top !== 0n && top !== 0x1ffffn)) return null;
  const indices: number[] = [];
  for (let level = 0; level < PAGING_LEVELS; level++) {
    const shift = BigInt(PAGE_SHIFT + INDEX_BITS * (PAGING_LEVELS - 1 - level));
    indices.push(Number((vaddr >> shift) & 0x1ffn));
  }
  return { indices, offset: Number(vaddr & 0xfffn) };
}

/** The walker of one machine's memory, with its counters. */
export class Mmu {
  /** Page-table entries read by walks (memory references). */
  memoryReferences = 0;
  walks = 0;
  faults = 0;

  constructor(readonly memory: PhysicalMemory) {}

  /** Translates `vaddr` from the tables rooted at frame `root` (CR3) for `access`. */
  walk(root: number, vaddr: bigint, access: Access): WalkResult {
    this.walks++;
    const steps: WalkStep[] = [];
    const split = splitAddress(vaddr);
    if (!split) return this.fault('non-canonical', 0, steps);
    let table = root;
    let writable = true;
    let user = true;
    let executable = true;
    for (let level = 0; level < PAGING_LEVELS; level++) {
      const index = split.indices[level];
      const { lo, hi } = readEntry(this.memory, table, index);
      this.memoryReferences++;
      steps.push({ level, index, entryAddress: table * PAGE_SIZE + index * ENTRY_BYTES, lo, hi });
      if (!(lo & PTE_PRESENT)) return this.fault('not-present', level, steps);
      writable &&= (lo & PTE_WRITABLE) !== 0;
      user &&= (lo & PTE_USER) !== 0;
      executable &&= (hi & PTE_HI_NO_EXECUTE) === 0;
      table = decodeEntry(lo, hi).frame;
    }
    if ((access.kind === 'write' && !writable) || (access.user && !user) || (access.kind === 'execute' && !executable)) {
      return this.fault('protection', PAGING_LEVELS - 1, steps);
    }
    // The hardware marks what it used: accessed on every level, dirty on the last for a write.
    steps.forEach((s, i) => {
      const last = i === steps.length - 1;
      const set = PTE_ACCESSED | (last && access.kind === 'write' ? PTE_DIRTY : 0);
      if ((s.lo & set) !== set) {
        const tableFrame = Math.floor(s.entryAddress / PAGE_SIZE);
        const e = decodeEntry(s.lo, s.hi);
        writeEntry(this.memory, tableFrame, s.index, e.frame, e.flags | set, e.noExecute);
      }
    });
    const frame = table;
    this.memory.setFlag(frame, FRAME_REFERENCED, true);
    if (access.kind === 'write') this.memory.setFlag(frame, FRAME_DIRTY, true);
    return { ok: true, physAddress: frame * PAGE_SIZE + split.offset, frame, steps };
  }

  private fault(fault: 'non-canonical' | 'not-present' | 'protection', level: number, steps: WalkStep[]): WalkResult {
    this.faults++;
    return { ok: false, fault, level, steps };
  }
}
