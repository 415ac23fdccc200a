/**
 * One virtual address of one process walked through that process's real page tables
 * (the x86-64 4-level tables ctsim's kernel keeps in simulated frames, src/kernel/mm):
 * the bits of the address each level indexes by, the entry read there — its value,
 * flags and the frame it points at — and the physical address at the end; or where
 * the walk stops and what a page fault would do there (handleFault's rules:
 * src/kernel/mm/vm.ts).
 *
 *   CR3 ─▶ PML4[i] ─▶ PDPT[j] ─▶ PD[k] ─▶ PT[l] ─▶ frame · 4096 + offset
 *          (pgd)      (pud)       (pmd)    (pte)     Linux's names; p4d is folded into the pgd
 *
 * Unlike the MMU's walk (hw/mmu.ts), this one is the kernel's software walk: it reads
 * the entries and changes nothing — no accessed or dirty bit set, no counter moved.
 *
 * Simplification: only a host process's own tables; a VM's guest tables (and the
 * nested or shadow tables under them) are not reached from here.
 */
import type { Kernel } from '../../kernel/kernel.js';
import type { Task } from '../../kernel/proc/task.js';
import { PTE_ACCESSED, PTE_DIRTY, PTE_PRESENT, PTE_USER, PTE_WRITABLE, LEVEL_NAMES, decodeEntry, readEntry, splitAddress } from '../../hw/mmu.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE, PTE_SWAP, type Vma } from '../../kernel/mm/mm-struct.js';
import { FrameKind } from '../../kernel/mm/memory.js';
import { stackToGrow } from '../../kernel/mm/vm.js';

/** Linux's names of the four levels (with 4-level paging the p4d is folded into the pgd). */
export const LINUX_LEVEL_NAMES = ['pgd', 'pud', 'pmd', 'pte'] as const;

/** The flags of one entry, by the names of the Intel SDM and Linux's pgtable_types.h. */
export interface EntryFlags {
  present: boolean;
  rw: boolean;
  user: boolean;
  accessed: boolean;
  dirty: boolean;
  nx: boolean;
  /** ctsim's software bit 9 on a not-present last-level entry: the frame field holds a swap slot. */
  swap: boolean;
}

/** One level of the walk. */
export interface WalkLevelView {
  /** PML4, PDPT, PD, PT. */
  name: string;
  linuxName: string;
  /** The address bits that index this level (high, low): 47..39, 38..30, 29..21, 20..12. */
  bits: [number, number];
  index: number;
  /** The frame holding this level's table, and the physical address of the entry read. */
  tableFrame: number;
  entryAddress: number;
  /** The 64-bit entry as 16 hex digits. */
  entryHex: string;
  flags: EntryFlags;
  /** The frame the entry names (next table, page, or — for a swap entry — the swap slot). */
  frame: number;
}

export type WalkOutcome =
  | { kind: 'mapped'; frame: number; physAddress: number; page: string }
  | { kind: 'not-present'; level: string; why: string; fault: string }
  | { kind: 'non-canonical'; fault: string };

export interface PageWalkView {
  pid: number;
  comm: string;
  vaddr: string;
  /** The PML4's frame (CR3). */
  cr3Frame: number;
  offset: number;
  /** The area containing the address as /proc/PID/maps shows it, or null. */
  area: string | null;
  levels: WalkLevelView[];
  outcome: WalkOutcome;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

function flagsOf(lo: number, hi: number, last: boolean): EntryFlags {
  return {
    present: (lo & PTE_PRESENT) !== 0,
    rw: (lo & PTE_WRITABLE) !== 0,
    user: (lo & PTE_USER) !== 0,
    accessed: (lo & PTE_ACCESSED) !== 0,
    dirty: (lo & PTE_DIRTY) !== 0,
    nx: decodeEntry(lo, hi).noExecute,
    swap: last && (lo & PTE_PRESENT) === 0 && (lo & PTE_SWAP) !== 0,
  };
}

function areaLine(v: Vma): string {
  const perms = `${v.prot & PROT_READ ? 'r' : '-'}${v.prot & PROT_WRITE ? 'w' : '-'}${v.prot & PROT_EXEC ? 'x' : '-'}p`;
  const name = v.file ? v.file.path : v.name;
  return `${v.start.toString(16).padStart(8, '0')}-${v.end.toString(16).padStart(8, '0')} ${perms}${name ? ` ${name}` : ''}`;
}

/** What the page-fault handler would do for a not-present page in `v` (or none). */
function faultAt(v: Vma | undefined, stackMayGrow: boolean, addr: number): string {
  if (!v) {
    return stackMayGrow
      ? 'no area here, but it lies within RLIMIT_STACK below the stack, which grows down (VM_GROWSDOWN): the fault grows the stack, then maps a page as for anonymous memory'
      : 'no memory area contains this address: a fault here is a segmentation fault (SIGSEGV), whatever the access';
  }
  if (v.prot === 0) return 'the area allows no access (PROT_NONE): any access is a segmentation fault (SIGSEGV)';
  if (v.file) {
    const write = v.prot & PROT_WRITE ? '; a write copies it into a new anonymous frame first (a private mapping)' : '; a write is a segmentation fault (the area is read-only)';
    const pageAddr = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    return `a read fills a new frame from ${v.file.path} at offset ${hex(v.pgoff + (pageAddr - v.start))} (a minor fault: ctsim keeps every file in memory, as a page-cache hit; Simplification: Linux would map the page-cache page itself, one frame shared by every process mapping it)${write}`;
  }
  return v.prot & PROT_WRITE
    ? 'never touched: a read maps the shared zero page read-only (no memory used); a write takes a new zeroed frame (a minor fault)'
    : 'never touched: a read maps the shared zero page read-only; a write is a segmentation fault (the area is read-only)';
}

/** Why a walk could not be made: no process with that PID (and the PIDs there are), or one without an address space. */
export type WalkRefusal = { refused: 'no-such-process'; pids: number[] } | { refused: 'no-address-space'; comm: string };

/** Walks `vaddr` in the tables of process `pid` (its PID in the initial PID namespace). */
export function walkPageOf(k: Kernel, pid: number, vaddr: bigint): PageWalkView | WalkRefusal {
  const t = k.tasks.get(pid);
  if (!t) return { refused: 'no-such-process', pids: [...k.tasks.keys()].sort((a, b) => a - b) };
  return walkPage(k, t, vaddr) ?? { refused: 'no-address-space', comm: t.comm };
}

/** Walks `vaddr` in task `t`'s tables; null when the task has no address space. */
export function walkPage(k: Kernel, t: Task, vaddr: bigint): PageWalkView | null {
  const mm = t.mm;
  if (!mm || mm.dead) return null;
  const memory = k.machine.memory;
  const head = { pid: t.tid, comm: t.comm, vaddr: hex(vaddr), cr3Frame: mm.root };
  const split = splitAddress(vaddr);
  if (!split) {
    return { ...head, offset: Number(vaddr & 0xfffn), area: null, levels: [], outcome: { kind: 'non-canonical', fault: 'bits 63..47 are not all equal: the CPU raises a general-protection fault (#GP) before any walk, and the process gets SIGSEGV' } };
  }
  const addr = Number(vaddr);
  const user = vaddr < 0x8000_0000_0000n;
  const v = user ? mm.findVma(addr) : undefined;
  // A fault below the stack grows it only within RLIMIT_STACK and the guard gap (the fault handler's own rule).
  const growable = user && !v ? stackToGrow(t, mm, addr) !== undefined : false;
  const levels: WalkLevelView[] = [];
  let table = mm.root;
  for (let level = 0; level < 4; level++) {
    const index = split.indices[level];
    const { lo, hi } = readEntry(memory, table, index);
    const e = decodeEntry(lo, hi);
    const high = 47 - 9 * level;
    const flags = flagsOf(lo, hi, level === 3);
    levels.push({
      name: LEVEL_NAMES[level],
      linuxName: LINUX_LEVEL_NAMES[level],
      bits: [high, high - 8],
      index,
      tableFrame: table,
      entryAddress: table * PAGE_SIZE + index * 8,
      entryHex: ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16).padStart(16, '0'),
      flags,
      frame: e.frame,
    });
    const name = `${LEVEL_NAMES[level]} (${LINUX_LEVEL_NAMES[level]})`;
    if (!flags.present) {
      if (!user) {
        return { ...head, offset: split.offset, area: null, levels, outcome: { kind: 'not-present', level: name, why: 'a kernel-half address: a process\'s tables map nothing there in ctsim', fault: 'a user-mode access is a segmentation fault (SIGSEGV)' } };
      }
      const fault = faultAt(v, growable, addr);
      if (level < 3) {
        const span = ['512 GiB', '1 GiB', '2 MiB'][level];
        return { ...head, offset: split.offset, area: v ? areaLine(v) : null, levels, outcome: { kind: 'not-present', level: name, why: `no lower table: no page in this ${span} region is mapped${v ? " (none was touched yet)" : ""}`, fault: v ? `the fault handler allocates the missing tables, then: ${fault}` : fault } };
      }
      if (flags.swap) {
        return { ...head, offset: split.offset, area: v ? areaLine(v) : null, levels, outcome: { kind: 'not-present', level: name, why: `a swap entry: the page was swapped out to slot ${e.frame} of the swap device`, fault: 'a major fault: the page is read back from swap into a new frame (the process waits for the device), and the slot is freed' } };
      }
      return { ...head, offset: split.offset, area: v ? areaLine(v) : null, levels, outcome: { kind: 'not-present', level: name, why: 'an empty entry: this page has never been touched (or was unmapped)', fault } };
    }
    table = e.frame;
  }
  const frame = table;
  const pte = levels[3].flags;
  let page: string;
  if (frame === k.mem.zeroFrame) page = 'the shared zero page (read-only): a write faults and gets a zeroed frame of its own';
  else {
    const kind = k.mem.kindOf(frame);
    const what = kind === FrameKind.File ? 'a file page (a private copy read from the file)' : kind === FrameKind.Anon ? 'an anonymous page' : 'a kernel frame';
    const maps = memory.mapCountOf(frame);
    page = `${what}, mapped ${maps === 1 ? 'once' : `${maps} times`}`;
    if (!pte.rw && v && v.prot & PROT_WRITE) page += maps > 1 ? ': write-protected and shared (after fork) — a write copies it (copy-on-write)' : ': write-protected though the area is writable — a write makes it writable again (its last user, no copy)';
  }
  return { ...head, offset: split.offset, area: v ? areaLine(v) : null, levels, outcome: { kind: 'mapped', frame, physAddress: frame * PAGE_SIZE + split.offset, page } };
}

function flagWords(f: EntryFlags): string {
  if (!f.present) return f.swap ? 'not present, swap entry' : 'not present';
  return [f.rw ? 'rw' : 'ro', f.user ? 'user' : 'kernel', f.accessed ? 'accessed' : '', f.dirty ? 'dirty' : '', f.nx ? 'nx' : 'x'].filter((w) => w !== '').join(' ');
}

/** The walk as text: a head, one line per level, then the outcome. */
export function renderPageWalk(w: PageWalkView): string[] {
  const out: string[] = [];
  out.push(`pid ${w.pid} (${w.comm}), virtual address ${w.vaddr}`);
  out.push(`  area: ${w.area ?? 'none (no memory area contains it)'}`);
  out.push(`  CR3: PML4 table in frame ${hex(w.cr3Frame)}  (4-level paging: Linux's p4d is folded into the pgd)`);
  out.push('');
  for (const l of w.levels) {
    const bits = `bits ${l.bits[0]}..${l.bits[1]}`;
    const lvl = `${l.name} (${l.linuxName})`.padEnd(11);
    const target = !l.flags.present ? '' : l.name === 'PT' ? ` -> page frame ${hex(l.frame)}` : ` -> table in frame ${hex(l.frame)}`;
    const swap = l.flags.swap ? ` -> swap slot ${l.frame}` : '';
    out.push(`  ${bits.padEnd(12)} ${lvl} index ${String(l.index).padStart(3)}  entry @ ${hex(l.entryAddress)} = 0x${l.entryHex}  [${flagWords(l.flags)}]${target}${swap}`);
  }
  const o = w.outcome;
  if (o.kind === 'mapped') {
    out.push(`  ${'bits 11..0'.padEnd(12)} offset ${hex(w.offset)}`);
    out.push('');
    out.push(`  physical address = ${hex(o.frame)} * 4096 + ${hex(w.offset)} = ${hex(o.physAddress)}`);
    out.push(`  the page: ${o.page}`);
  } else if (o.kind === 'not-present') {
    out.push('');
    out.push(`  the walk stops at ${o.level}: ${o.why}`);
    out.push(`  a page fault here: ${o.fault}`);
  } else {
    out.push('');
    out.push(`  not a canonical address: ${o.fault}`);
  }
  return out;
}
