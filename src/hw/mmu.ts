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
 * Simplification: no large pages (the PS bit), no PCID, no SMEP/SMAP or CR0.WP. The
 * TLB in front of this walk is tlb.ts; the Machine puts the two together.
 */
import { FRAME_DIRTY, FRAME_REFERENCED, PAGE_SHIFT, PAGE_SIZE, type PhysicalMemory } from './physical-memory.js';
import { TLB_DIRTY, TLB_USER, TLB_WRITABLE } from './tlb.js';

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

/** The frame an entry points at: its bits 12-51, split over the low and high words. */
export function entryFrame(lo: number, hi: number): number {
  return (hi & 0xfffff) * 2 ** 20 + (lo >>> PAGE_SHIFT);
}

/** An entry's fields. */
export function decodeEntry(lo: number, hi: number): { frame: number; flags: number; noExecute: boolean } {
  return { frame: entryFrame(lo, hi), flags: lo & 0xfff, noExecute: (hi & PTE_HI_NO_EXECUTE) !== 0 };
}

/** Writes entry `index` of the table in `tableFrame`: `frame` with `flags` (and no-execute). */
export function writeEntry(memory: PhysicalMemory, tableFrame: number, index: number, frame: number, flags: number, noExecute = false): void {
  if (!Number.isInteger(index) || index < 0 || index >= 1 << INDEX_BITS) throw new RangeError(`a table has 512 entries; index ${index}`);
  memory.writeU32(tableFrame, index * ENTRY_BYTES, ((frame % 2 ** 20) * PAGE_SIZE + (flags & 0xfff)) >>> 0);
  memory.writeU32(tableFrame, index * ENTRY_BYTES + 4, ((Math.floor(frame / 2 ** 20) & 0xfffff) | (noExecute ? PTE_HI_NO_EXECUTE : 0)) >>> 0);
}

/** Reads entry `index` of the table in `tableFrame` (the kernel's software walk). */
export function readEntry(memory: PhysicalMemory, tableFrame: number, index: number): { lo: number; hi: number } {
  return { lo: memory.readU32(tableFrame, index * ENTRY_BYTES), hi: memory.readU32(tableFrame, index * ENTRY_BYTES + 4) };
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

/**
 * The entry a walk read at each level — table frame, byte offset, low word — kept so
 * that the accessed bits are set once the walk succeeds, without reading again an
 * entry that has them (each walker holds one; a walk allocates nothing).
 */
export class WalkedEntries {
  readonly table = new Float64Array(PAGING_LEVELS);
  readonly offset = new Float64Array(PAGING_LEVELS);
  readonly lo = new Float64Array(PAGING_LEVELS);

  record(level: number, table: number, offset: number, lo: number): void {
    this.table[level] = table;
    this.offset[level] = offset;
    this.lo[level] = lo;
  }
}

/** walkVpn's answers besides a frame number. */
export const WALK_NOT_PRESENT = -1;
export const WALK_PROTECTION = -2;

const KIND_CODE: Record<AccessKind, number> = { read: 0, write: 1, execute: 2 };

/** The walker of one machine's memory, with its counters. */
export class Mmu {
  /** Page-table entries read by walks (memory references). */
  memoryReferences = 0;
  walks = 0;
  faults = 0;
  /** After a walkVpn fault: the level (0 = PML4) whose entry stopped it. */
  faultLevel = 0;
  /** After a successful walkVpn: what the translation allows, as TLB_* bits (tlb.ts). */
  perm = 0;

  /** The entries the current walk read, to set their accessed bits once it succeeds. */
  private readonly used = new WalkedEntries();

  constructor(readonly memory: PhysicalMemory) {}

  /** Translates `vaddr` from the tables rooted at frame `root` (CR3) for `access`, recording each step. */
  walk(root: number, vaddr: bigint, access: Access): WalkResult {
    const steps: WalkStep[] = [];
    const split = splitAddress(vaddr);
    if (!split) {
      this.walks++;
      this.faults++;
      return { ok: false, fault: 'non-canonical', level: 0, steps };
    }
    const vpn = Number((vaddr >> 12n) & 0xf_ffff_ffffn);
    const frame = this.walkCore(root, vpn, KIND_CODE[access.kind], access.user, steps);
    if (frame < 0) return { ok: false, fault: frame === WALK_NOT_PRESENT ? 'not-present' : 'protection', level: this.faultLevel, steps };
    return { ok: true, physAddress: frame * PAGE_SIZE + split.offset, frame, steps };
  }

  /**
   * The TLB-miss path: translates virtual page `vpn` (a canonical address >> 12, below
   * 2^36) for a read or write. Returns the frame, or WALK_NOT_PRESENT / WALK_PROTECTION
   * with `faultLevel` set. Allocates nothing.
   */
  walkVpn(root: number, vpn: number, write: boolean, user: boolean): number {
    return this.walkCore(root, vpn, write ? 1 : 0, user, null);
  }

  private walkCore(root: number, vpn: number, kind: number, user: boolean, steps: WalkStep[] | null): number {
    this.walks++;
    const mem = this.memory;
    const used = this.used;
    let table = root;
    let writable = true;
    let userOk = true;
    let executable = true;
    if (!(vpn >= 0 && vpn < 2 ** 36)) throw new RangeError(`page walk: virtual page number ${vpn} is not that of a canonical user address (0 to 2^36 - 1)`);
    // The PML4 and PDPT indices, and the PD and PT ones, as two 18-bit halves (integer arithmetic).
    const upper = Math.floor(vpn / 2 ** 18);
    const lower = vpn - upper * 2 ** 18;
    for (let level = 0; level < PAGING_LEVELS; level++) {
      const index = level === 0 ? upper >>> 9 : level === 1 ? upper & 511 : level === 2 ? lower >>> 9 : lower & 511;
      const off = index * ENTRY_BYTES;
      const lo = mem.readEntry(table, off);
      const hi = mem.entryHi;
      this.memoryReferences++;
      if (steps) steps.push({ level, index, entryAddress: table * PAGE_SIZE + off, lo, hi });
      used.record(level, table, off, lo);
      if (!(lo & PTE_PRESENT)) return this.fault(WALK_NOT_PRESENT, level);
      writable &&= (lo & PTE_WRITABLE) !== 0;
      userOk &&= (lo & PTE_USER) !== 0;
      executable &&= (hi & PTE_HI_NO_EXECUTE) === 0;
      table = entryFrame(lo, hi);
    }
    if ((kind === 1 && !writable) || (user && !userOk) || (kind === 2 && !executable)) return this.fault(WALK_PROTECTION, PAGING_LEVELS - 1);
    // The hardware marks what it used: accessed on every level, dirty on the last for a write.
    for (let level = 0; level < PAGING_LEVELS - 1; level++) this.mark(used.table[level], used.offset[level], used.lo[level], PTE_ACCESSED);
    const dirty = kind === 1 ? PTE_DIRTY : 0;
    const last = this.mark(used.table[3], used.offset[3], used.lo[3], PTE_ACCESSED | dirty);
    const frame = table;
    mem.setFlag(frame, FRAME_REFERENCED, true);
    if (kind === 1) mem.setFlag(frame, FRAME_DIRTY, true);
    this.perm = (writable ? TLB_WRITABLE : 0) | (userOk ? TLB_USER : 0) | (last & PTE_DIRTY ? TLB_DIRTY : 0);
    return frame;
  }

  /**
   * Sets `bits` in the entry at byte `off` of `table`, whose low word the walk read as
   * `read`; returns the entry's low word after. Marks only set bits, so an entry the
   * walk read with them set still has them: only one without them is read again.
   */
  private mark(table: number, off: number, read: number, bits: number): number {
    if ((read & bits) === bits) return read;
    const lo = this.memory.readU32(table, off);
    if ((lo & bits) !== bits) this.memory.writeU32(table, off, (lo | bits) >>> 0);
    return lo | bits;
  }

  private fault(code: number, level: number): number {
    this.faults++;
    this.faultLevel = level;
    return code;
  }
}
