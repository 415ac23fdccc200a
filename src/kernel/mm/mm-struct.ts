/**
 * A process's address space (Linux's mm_struct): its memory areas (VMAs), the
 * x86-64 page tables that map them — kept in simulated frames, the root loaded into
 * CR3 through the Machine — and the counters /proc/PID/status shows.
 *
 *   0x555555554000  program image (r--p r-xp r--p rw-p)   ← exec maps it
 *   brk_start …brk  [heap]                                ← brk(2)
 *         …         mmap areas, allocated top-down        ← mmap(2)
 *   0x7ffff7fff000  mmap_base (TASK_SIZE − 128 MiB)
 *   0x7ffffffde000  [stack] (grows down to RLIMIT_STACK)
 *   0x7ffffffff000  TASK_SIZE
 *
 * The layout is Linux's with address-space randomisation off (what `setarch -R`
 * shows). Simplification: no ASLR — the same run gets the same addresses, which
 * determinism wants anyway.
 *
 * A page-table entry is in one of four states: empty; present (a frame); a swap
 * entry (not present, bit 9 marks it, the frame field holds the swap slot); or
 * present and mapping the shared zero page (read-only).
 */
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { PTE_PRESENT, PTE_USER, PTE_WRITABLE, readEntry, writeEntry, decodeEntry, entryFrame } from '../../hw/mmu.js';
import type { PhysicalMemory } from '../../hw/physical-memory.js';

/** The top of user space (TASK_SIZE_MAX on x86-64 with 4-level paging). */
export const TASK_SIZE = 0x7fff_ffff_f000;
/** Where a PIE program is loaded without randomisation (ELF_ET_DYN_BASE). */
export const ELF_BASE = 0x5555_5555_4000;
/** mmap_base without randomisation: TASK_SIZE minus the 128 MiB minimum stack gap. */
export const MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;
/** The initial stack area: 132 KiB below TASK_SIZE, as a fresh process shows. */
export const STACK_TOP = TASK_SIZE;
export const STACK_INITIAL = 132 * 1024;
/** The gap kept below a stack that grows down (stack_guard_gap: 256 pages). */
export const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/** Marks a not-present entry that holds a swap slot (a software bit the MMU ignores). */
export const PTE_SWAP = 0x200;

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** A file a memory area maps (what /proc/PID/maps names). */
export interface MappedFile {
  path: string;
  dev: number;
  ino: number;
  /** The file's bytes at `offset` (at most `length`; shorter at the end of file). */
  read(offset: number, length: number): string;
}

/** A memory area: [start, end) with one protection and one backing (vm_area_struct). */
export interface Vma {
  start: number;
  end: number;
  prot: number;
  /** A file mapping (private: writes never reach the file), or null for anonymous memory. */
  file: MappedFile | null;
  /** Offset in the file of `start`. */
  pgoff: number;
  /** [heap], [stack], or '' (the file's path is shown for file mappings). */
  name: string;
  /** The stack: faults just below it grow it (VM_GROWSDOWN). */
  growsDown: boolean;
  /** Counted in Committed_AS when writable (VM_ACCOUNT; not for MAP_NORESERVE outside overcommit mode 2). */
  accounted: boolean;
}

/** Pages an area spans. */
export function vmaPages(v: Vma): number {
  return (v.end - v.start) / PAGE_SIZE;
}

/** Encodes a page-table slot (table frame, index) in one number. */
export function slotOf(tableFrame: number, index: number): number {
  return tableFrame * 512 + index;
}

export class MmStruct {
  /** The PML4's frame (CR3). */
  readonly root: number;
  /** Memory areas by start address; they never overlap. */
  readonly vmas: Vma[] = [];
  /** Processes sharing this address space (CLONE_VM); torn down when it reaches 0. */
  users = 1;
  brkStart = 0;
  brk = 0;
  /**
   * Resident pages by kind, swapped-out pages, and page-table pages below the root
   * (status: RssAnon, RssFile, VmSwap, VmPTE — Linux's mm_pgtables_bytes leaves the
   * PGD out too).
   */
  rssAnon = 0;
  rssFile = 0;
  swapEnts = 0;
  ptPages = 0;
  /** High-water marks in pages (VmHWM, VmPeak). */
  hiwaterRss = 0;
  hiwaterVm = 0;
  /** Set once the address space is torn down (exit, or the OOM reaper): nothing maps any more. */
  dead = false;
  /** Where the next top-down mmap search starts (mmap_base). */
  readonly mmapBase = MMAP_BASE;

  constructor(root: number) {
    this.root = root;
  }

  get rss(): number {
    return this.rssAnon + this.rssFile;
  }

  /** Total mapped pages (VmSize). */
  totalVm(): number {
    let n = 0;
    for (const v of this.vmas) n += vmaPages(v);
    return n;
  }

  noteRss(): void {
    const r = this.rss;
    if (r > this.hiwaterRss) this.hiwaterRss = r;
  }

  noteVm(): void {
    const v = this.totalVm();
    if (v > this.hiwaterVm) this.hiwaterVm = v;
  }

  /** The area containing address `addr`, or undefined. */
  findVma(addr: number): Vma | undefined {
    const vmas = this.vmas;
    let lo = 0;
    let hi = vmas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = vmas[mid];
      if (addr < v.start) hi = mid - 1;
      else if (addr >= v.end) lo = mid + 1;
      else return v;
    }
    return undefined;
  }

  /** The first area ending above `addr` (find_vma), or undefined. */
  vmaAbove(addr: number): Vma | undefined {
    return this.vmas.find((v) => v.end > addr);
  }

  /** Inserts an area that overlaps none. */
  insertVma(v: Vma): void {
    let i = 0;
    while (i < this.vmas.length && this.vmas[i].start < v.start) i++;
    this.vmas.splice(i, 0, v);
    this.noteVm();
  }

  /** True when [start, end) overlaps no area. */
  isFree(start: number, end: number): boolean {
    return !this.vmas.some((v) => v.start < end && start < v.end);
  }

  /** A free range of `length` bytes searched top-down from mmap_base (the default mmap placement); 0 if none. */
  findFreeTopDown(length: number): number {
    let top = this.mmapBase;
    for (let i = this.vmas.length - 1; i >= 0; i--) {
      const v = this.vmas[i];
      if (v.start >= top) continue;
      if (v.end <= top - length) break;
      top = v.start;
    }
    const start = top - length;
    return start >= this.brk + PAGE_SIZE && this.isFree(start, top) ? start : 0;
  }
}

/**
 * The page-table slot of `vpn` (its PT frame × 512 + index), allocating the missing
 * tables with `allocTable` when `create`; -1 when a table is missing (or cannot be had).
 */
export function pteSlot(memory: PhysicalMemory, mm: MmStruct, vpn: number, allocTable: (() => number | null) | null): number {
  let table = mm.root;
  for (let level = 0; level < 3; level++) {
    const index = Math.floor(vpn / 2 ** (27 - 9 * level)) % 512;
    const { lo, hi } = readEntry(memory, table, index);
    if (lo & PTE_PRESENT) {
      table = decodeEntry(lo, hi).frame;
      continue;
    }
    if (!allocTable) return -1;
    const t = allocTable();
    if (t === null) return -1;
    mm.ptPages++;
    // Upper levels allow everything; the last level says what the page allows.
    writeEntry(memory, table, index, t, PTE_PRESENT | PTE_WRITABLE | PTE_USER);
    table = t;
  }
  return slotOf(table, vpn % 512);
}

/** The entry in slot `slot` (see pteSlot). */
export function readPte(memory: PhysicalMemory, slot: number): { lo: number; hi: number } {
  return readEntry(memory, Math.floor(slot / 512), slot % 512);
}

export function writePte(memory: PhysicalMemory, slot: number, frame: number, flags: number, noExecute: boolean): void {
  writeEntry(memory, Math.floor(slot / 512), slot % 512, frame, flags, noExecute);
}

/**
 * Calls `fn` for every non-empty last-level entry mapping a page in [startVpn, endVpn),
 * skipping absent tables (so a large, sparse area costs little).
 */
export function forEachPte(
  memory: PhysicalMemory,
  mm: MmStruct,
  startVpn: number,
  endVpn: number,
  fn: (slot: number, vpn: number, lo: number, hi: number) => void,
): void {
  const visit = (table: number, level: number, base: number): void => {
    const span = 2 ** (27 - 9 * level);
    const first = Math.max(0, Math.floor((startVpn - base) / span));
    const last = Math.min(511, Math.floor((endVpn - 1 - base) / span));
    // Only the entries with a non-zero word: a table is mostly empty. Each is read when
    // its turn comes (`fn` may have changed it since).
    let prev = -1;
    for (const off of memory.nonZeroWordOffsets(table, first * 8, (last + 1) * 8)) {
      const i = off >> 3;
      if (i === prev) continue;
      prev = i;
      const lo = memory.readU32(table, i * 8);
      const hi = memory.readU32(table, i * 8 + 4);
      const vpn = base + i * span;
      if (level === 3) {
        if (lo !== 0 || hi !== 0) fn(slotOf(table, i), vpn, lo, hi);
      } else if (lo & PTE_PRESENT) {
        visit(entryFrame(lo, hi), level + 1, vpn);
      }
    }
  };
  if (endVpn > startVpn) visit(mm.root, 0, 0);
}

/** Calls `fn` with every page-table frame below the root (for freeing them), deepest first. */
export function forEachTable(memory: PhysicalMemory, mm: MmStruct, fn: (frame: number) => void): void {
  const visit = (table: number, level: number): void => {
    if (level === 3) return;
    // PTE_PRESENT is in the low word: only entries whose low word is non-zero can hold a table.
    for (const off of memory.nonZeroWordOffsets(table, 0, 512 * 8)) {
      if (off % 8 !== 0) continue;
      const i = off / 8;
      const lo = memory.readU32(table, i * 8);
      if (!(lo & PTE_PRESENT)) continue;
      const child = entryFrame(lo, memory.readU32(table, i * 8 + 4));
      visit(child, level + 1);
      fn(child);
    }
  };
  visit(mm.root, 0);
}
