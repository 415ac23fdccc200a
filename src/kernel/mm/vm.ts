/**
 * Address-space operations: creating one at exec, copying it at fork (copy-on-write),
 * tearing it down at exit, mapping and unmapping areas (mmap, munmap, brk), and the
 * page-fault handler the memory-access path calls when the MMU cannot translate.
 *
 *   access ─▶ Machine.translate (TLB → walk) ─▶ frame
 *                       │ fault
 *                       ▼
 *   handleFault: no area / wrong access ─▶ SIGSEGV
 *                not present: file page ─▶ read it in        (minor: page cache)
 *                             anonymous ─▶ read: zero page, write: new zeroed frame
 *                             swap entry ─▶ read it back      (major: swap-in I/O)
 *                write to a read-only page of a writable area ─▶ copy-on-write
 *
 * Linux's rules kept here (mm/memory.c): a read of untouched anonymous memory maps
 * the shared zero page and costs no RSS; fork write-protects every private writable
 * page in both processes and shares the frames; the first write copies the page,
 * unless the writer is the page's last user, which just gets the page back writable.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { PTE_PRESENT, PTE_USER, PTE_WRITABLE, decodeEntry } from '../../hw/mmu.js';
import { FrameKind } from './memory.js';
import {
  ELF_BASE,
  MmStruct,
  PROT_EXEC,
  PROT_READ,
  PROT_WRITE,
  PTE_SWAP,
  STACK_GUARD_GAP,
  STACK_INITIAL,
  STACK_TOP,
  forEachPte,
  forEachTable,
  vmaPages,
  pteSlot,
  readPte,
  writePte,
  type MappedFile,
  type Vma,
} from './mm-struct.js';

/** What a fault handler decided. */
export const enum FaultResult {
  /** The page is mapped now: retry the access. */
  Retry = 0,
  /** A bad access: the process gets SIGSEGV. */
  Segv = 1,
  /** No memory could be had even after the OOM killer: the process gets SIGKILL'd (VM_FAULT_OOM). */
  Oom = 2,
}

const vpnOf = (addr: number): number => Math.floor(addr / PAGE_SIZE);

/**
 * A page-table allocator for `mm`. Getting a frame may run the OOM killer, which can
 * choose the very process whose tables are being built and reap them: then the new
 * frame is given back and the walk stops (it must not write into freed tables).
 */
function tableAllocator(k: Kernel, mm: MmStruct, owner: number): () => number | null {
  return () => {
    const f = k.mem.allocTable(owner);
    if (f !== null && mm.dead) {
      k.mem.freeTable(f);
      return null;
    }
    return f;
  };
}

/** A new, empty address space (a PML4 and nothing mapped); null when no frame is free. */
export function newMm(k: Kernel, owner: number): MmStruct | null {
  const root = k.mem.allocTable(owner);
  return root === null ? null : new MmStruct(root);
}

/** Swap I/O that building or copying an address space caused, charged as kernel time of the caller (not left for the next fault to wait on). */
function chargeIo(k: Kernel): void {
  k.charge(k.mem.takeIoNs(k.costs.swapIn, k.costs.swapOut));
}

/**
 * The address space exec gives a program: its image from `file` (read-only header,
 * text, read-only data, data) at ELF_BASE, an empty heap after it, and the stack below
 * TASK_SIZE, with the first text page and the top stack page already touched.
 *
 * Simplification: every ctsim program image has the same small layout (one page of
 * headers, four of text, two of read-only data, one of data); there is no dynamic
 * linker or libc mapped.
 */
export function execMm(k: Kernel, t: Task, file: MappedFile): MmStruct | null {
  const mm = newMm(k, t.tid);
  if (!mm) return null;
  const image: [number, number][] = [
    [1, PROT_READ],
    [4, PROT_READ | PROT_EXEC],
    [2, PROT_READ],
    [1, PROT_READ | PROT_WRITE],
  ];
  let addr = ELF_BASE;
  for (const [pages, prot] of image) {
    mm.insertVma({ start: addr, end: addr + pages * PAGE_SIZE, prot, file, pgoff: addr - ELF_BASE, name: '', growsDown: false, accounted: true });
    addr += pages * PAGE_SIZE;
  }
  mm.brkStart = addr;
  mm.brk = addr;
  mm.insertVma({ start: STACK_TOP - STACK_INITIAL, end: STACK_TOP, prot: PROT_READ | PROT_WRITE, file: null, pgoff: 0, name: '[stack]', growsDown: true, accounted: true });
  return mm;
}

/** The pages exec touches before the program runs: the first text page and the top of the stack. */
export function prefaultExec(k: Kernel, t: Task, mm: MmStruct): void {
  handleFault(k, t, mm, vpnOf(ELF_BASE) + 1, false);
  handleFault(k, t, mm, vpnOf(STACK_TOP) - 1, true);
  chargeIo(k);
}

/** Drops a user of `mm`; the last one tears it down. */
export function releaseMm(k: Kernel, mm: MmStruct): void {
  if (--mm.users > 0) return;
  teardown(k, mm);
}

/** Unmaps everything and frees the page tables (exit_mmap). Idempotent. */
export function teardown(k: Kernel, mm: MmStruct): void {
  if (mm.dead) return;
  unmapRange(k, mm, 0, STACK_TOP, false);
  mm.vmas.length = 0;
  const mem = k.mem;
  forEachTable(k.machine.memory, mm, (f) => mem.freeTable(f));
  // No CPU may go on using tables that are about to be reused.
  for (const cpu of k.machine.cpus) if (cpu.cr3 === mm.root) k.machine.switchAddressSpace(cpu, -1);
  mem.freeTable(mm.root);
  mm.ptPages = 0;
  mm.dead = true;
}

/**
 * Unmaps the pages of [start, end): frames lose a user (and are freed with their
 * last), swap slots likewise, cached translations are dropped.
 */
export function unmapRange(k: Kernel, mm: MmStruct, start: number, end: number, shootdown = true): void {
  const memory = k.machine.memory;
  const mem = k.mem;
  forEachPte(memory, mm, vpnOf(start), vpnOf(end - 1) + 1, (slot, vpn, lo, hi) => {
    if (lo & PTE_PRESENT) {
      const frame = decodeEntry(lo, hi).frame;
      if (frame !== mem.zeroFrame) {
        if (mem.kindOf(frame) === FrameKind.File) mm.rssFile--;
        else mm.rssAnon--;
      }
      mem.unmapPage(frame, mm, vpn);
    } else if (lo & PTE_SWAP) {
      mem.putSwap(decodeEntry(lo, hi).frame);
      mm.swapEnts--;
    }
    writePte(memory, slot, 0, 0, false);
    if (shootdown) tlbShootdown(k, mm, vpn);
  });
}

/** Drops the translation of `vpn` from every CPU whose loaded address space is `mm`. */
export function tlbShootdown(k: Kernel, mm: MmStruct, vpn: number): void {
  for (const pc of k.percpu) {
    if (pc.cpu.cr3 !== mm.root) continue;
    const cost = k.machine.invalidatePage(pc.cpu, vpn);
    // A remote CPU is asked by an inter-processor interrupt; the initiator waits for it.
    if (k.currentCpu !== null) k.charge(pc === k.currentCpu ? cost : cost + k.costs.ipi);
  }
}

/**
 * fork's copy of an address space (dup_mmap, copy_page_range): the same areas; every
 * mapped page shared, private writable ones write-protected in both for copy-on-write;
 * swap entries shared by count. Null when there is no memory for the child's tables.
 */
export function copyMm(k: Kernel, parent: MmStruct, childTid: number): MmStruct | null {
  const child = newMm(k, childTid);
  if (!child) return null;
  const memory = k.machine.memory;
  const mem = k.mem;
  child.brkStart = parent.brkStart;
  child.brk = parent.brk;
  let copied = 0;
  let failed = false;
  const childTable = tableAllocator(k, child, childTid);
  for (const v of parent.vmas) {
    child.insertVma({ ...v });
    const cow = (v.prot & PROT_WRITE) !== 0;
    forEachPte(memory, parent, vpnOf(v.start), vpnOf(v.end), (slot, vpn) => {
      if (failed || parent.dead) {
        failed = true;
        return;
      }
      // The child's table first: getting it may evict this very page or kill the
      // parent, so the parent's entry is read only afterwards (as Linux allocates the
      // destination table before it takes the source entries).
      const cs = pteSlot(memory, child, vpn, childTable);
      if (cs < 0 || parent.dead) {
        failed = true;
        return;
      }
      const { lo, hi } = readPte(memory, slot);
      if (lo === 0 && hi === 0) return;
      const e = decodeEntry(lo, hi);
      copied++;
      if (lo & PTE_PRESENT) {
        let flags = e.flags;
        if (cow && flags & PTE_WRITABLE) {
          flags &= ~PTE_WRITABLE;
          writePte(memory, slot, e.frame, flags, e.noExecute);
        }
        writePte(memory, cs, e.frame, flags, e.noExecute);
        if (e.frame !== mem.zeroFrame) {
          mem.addRmap(e.frame, child, vpn);
          if (mem.kindOf(e.frame) === FrameKind.File) child.rssFile++;
          else child.rssAnon++;
        }
      } else if (lo & PTE_SWAP) {
        mem.swap.dup(e.frame);
        writePte(memory, cs, e.frame, e.flags, e.noExecute);
        child.swapEnts++;
      }
    });
    if (failed) break;
  }
  chargeIo(k);
  // The parent's cached writable translations are stale now: flush them.
  for (const pc of k.percpu) if (pc.cpu.cr3 === parent.root) k.charge(k.machine.flushTlb(pc.cpu));
  k.charge(copied * 2 * k.costs.ptRef);
  child.noteRss();
  if (failed) {
    teardown(k, child);
    return null;
  }
  return child;
}

/** May an access of this kind happen in this area? */
function allowed(v: Vma, write: boolean): boolean {
  return write ? (v.prot & PROT_WRITE) !== 0 : (v.prot & (PROT_READ | PROT_WRITE | PROT_EXEC)) !== 0;
}

/**
 * The stack area a fault at `addr` (in no area) would grow down to it: the area just
 * above grows down, the grown stack stays within RLIMIT_STACK, and the guard gap to the
 * area below is kept. Undefined otherwise (the fault is a SIGSEGV).
 */
export function stackToGrow(t: Task, mm: MmStruct, addr: number): Vma | undefined {
  const above = mm.vmaAbove(addr);
  if (!above || !above.growsDown) return undefined;
  const limit = t.rlimits[3]?.soft ?? 8 * 1024 * 1024;
  const newStart = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  if (above.end - newStart > limit) return undefined;
  const below = mm.vmas[mm.vmas.indexOf(above) - 1];
  if (below && below.end + STACK_GUARD_GAP > newStart) return undefined;
  return above;
}

/** The area for a fault at `addr`, growing the stack down to it when it lies just below (within RLIMIT_STACK). */
function vmaForFault(t: Task, mm: MmStruct, addr: number): Vma | undefined {
  const v = mm.findVma(addr);
  if (v) return v;
  const above = stackToGrow(t, mm, addr);
  if (!above) return undefined;
  const newStart = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  above.start = newStart;
  mm.noteVm();
  return above;
}

/**
 * The page-fault handler for an access to page `vpn` (handle_mm_fault). Maps what is
 * needed and returns Retry, or says the access is bad (Segv) or memory ran out (Oom).
 * Charges the fault's kernel time; swap I/O is left in `k.mem.ioPages` for the caller
 * to wait for.
 */
export function handleFault(k: Kernel, t: Task, mm: MmStruct, vpn: number, write: boolean): FaultResult {
  const mem = k.mem;
  const memory = k.machine.memory;
  k.charge(k.costs.pageFault);
  const addr = vpn * PAGE_SIZE;
  const v = vmaForFault(t, mm, addr);
  if (!v || !allowed(v, write)) return FaultResult.Segv;
  // Counted where Linux counts it (handle_mm_fault): a bad access is not a page fault in /proc/vmstat.
  mem.events.pgfault++;
  if (t.cgroup.parent) t.cgroup.mem.fault(false);
  const slot = pteSlot(memory, mm, vpn, tableAllocator(k, mm, t.tid));
  if (slot < 0 || mm.dead) return FaultResult.Oom;
  const { lo, hi } = readPte(memory, slot);
  const nx = (v.prot & PROT_EXEC) === 0;
  const writable = (v.prot & PROT_WRITE) !== 0;
  // A frame for the page, or -1 when none could be had or the OOM killer chose this process.
  const take = (kind: FrameKind.Anon | FrameKind.File): number => {
    const f = mem.allocPage(kind, t.tid);
    if (f !== null && mm.dead) mem.dropPage(f);
    return f === null || mm.dead ? -1 : f;
  };

  if (lo & PTE_PRESENT) {
    // Present but not writable: copy-on-write (the area allows the write, checked above).
    const old = decodeEntry(lo, hi).frame;
    t.minFlt++;
    if (old !== mem.zeroFrame && mem.kindOf(old) === FrameKind.Anon && memory.mapCountOf(old) === 1) {
      writePte(memory, slot, old, (lo & 0xfff) | PTE_WRITABLE, nx);
      tlbShootdown(k, mm, vpn);
      return FaultResult.Retry;
    }
    const f = take(FrameKind.Anon);
    if (f < 0) return FaultResult.Oom;
    // Getting the frame may have evicted the old page: then fault again on what is there now.
    const now = readPte(memory, slot);
    if (!(now.lo & PTE_PRESENT) || decodeEntry(now.lo, now.hi).frame !== old) {
      mem.dropPage(f);
      return FaultResult.Retry;
    }
    mem.events.cowFaults++;
    if (old !== mem.zeroFrame) {
      memory.copyFrame(old, f);
      if (mem.kindOf(old) === FrameKind.File) mm.rssFile--;
      else mm.rssAnon--;
    }
    mem.unmapPage(old, mm, vpn);
    mapPage(k, mm, slot, vpn, f, PTE_WRITABLE, nx);
    mm.rssAnon++;
    mm.noteRss();
    tlbShootdown(k, mm, vpn);
    return FaultResult.Retry;
  }

  if (lo & PTE_SWAP) {
    // Swap-in: a major fault that waits for the device.
    const swapSlot = decodeEntry(lo, hi).frame;
    const f = take(FrameKind.Anon);
    if (f < 0) return FaultResult.Oom;
    const page = mem.swap.read(swapSlot);
    memory.setContents(f, page ? page.slice() : null);
    mem.putSwap(swapSlot);
    mm.swapEnts--;
    mem.events.pgmajfault++;
    if (t.cgroup.parent) t.cgroup.mem.pgmajfault++;
    mem.events.pswpin++;
    mem.ioPages.in++;
    t.majFlt++;
    mapPage(k, mm, slot, vpn, f, writable ? PTE_WRITABLE : 0, nx);
    mm.rssAnon++;
    mm.noteRss();
    return FaultResult.Retry;
  }

  t.minFlt++;
  if (v.file && !(write && writable)) {
    // A file page, read from the file (ctsim keeps every file in memory: a page-cache hit).
    const f = take(FrameKind.File);
    if (f < 0) return FaultResult.Oom;
    fillFromFile(memory, f, v, addr);
    mapPage(k, mm, slot, vpn, f, 0, nx);
    mm.rssFile++;
    mm.noteRss();
    return FaultResult.Retry;
  }
  if (!write && !v.file) {
    // A read of untouched anonymous memory: the shared zero page, read-only.
    writePte(memory, slot, mem.zeroFrame, PTE_PRESENT | PTE_USER, nx);
    return FaultResult.Retry;
  }
  const f = take(FrameKind.Anon);
  if (f < 0) return FaultResult.Oom;
  if (v.file) fillFromFile(memory, f, v, addr);
  mapPage(k, mm, slot, vpn, f, PTE_WRITABLE, nx);
  mm.rssAnon++;
  mm.noteRss();
  return FaultResult.Retry;
}

function mapPage(k: Kernel, mm: MmStruct, slot: number, vpn: number, frame: number, extra: number, nx: boolean): void {
  writePte(k.machine.memory, slot, frame, PTE_PRESENT | PTE_USER | extra, nx);
  k.mem.addRmap(frame, mm, vpn);
}

function fillFromFile(memory: Kernel['machine']['memory'], frame: number, v: Vma, addr: number): void {
  const data = v.file!.read(v.pgoff + (addr - v.start), PAGE_SIZE);
  if (data.length === 0) return;
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) bytes[i] = data.charCodeAt(i) & 0xff;
  memory.write(frame, 0, bytes);
}

/** Removes [start, end) from the areas, splitting those that straddle it. */
export function removeVmas(mm: MmStruct, start: number, end: number): void {
  const out: Vma[] = [];
  for (const v of mm.vmas) {
    if (v.end <= start || v.start >= end) {
      out.push(v);
      continue;
    }
    if (v.start < start) out.push({ ...v, end: start });
    if (v.end > end) out.push({ ...v, start: end, pgoff: v.pgoff + (end - v.start) });
  }
  mm.vmas.length = 0;
  mm.vmas.push(...out.sort((a, b) => a.start - b.start));
}

/** Pages of private writable memory an address space has committed (what Committed_AS sums). */
export function committedPages(mm: MmStruct): number {
  let n = 0;
  for (const v of mm.vmas) if (v.prot & PROT_WRITE && v.accounted) n += vmaPages(v);
  return n;
}

/** Committed_AS: the committed pages of every live address space. */
export function committedAs(k: Kernel): number {
  const seen = new Set<MmStruct>();
  let n = 0;
  for (const t of k.tasks.values()) {
    const mm = t.mm;
    if (mm && !mm.dead && !seen.has(mm)) {
      seen.add(mm);
      n += committedPages(mm);
    }
  }
  return n;
}

/** CommitLimit in pages: swap plus overcommit_ratio percent of RAM. */
export function commitLimit(k: Kernel): number {
  return k.mem.swap.slots + Math.floor((k.mem.totalFrames * k.mem.overcommitRatio) / 100);
}

/**
 * May `pages` more of private writable memory be committed (__vm_enough_memory)?
 * vm.overcommit_memory 0: Linux's heuristic, which refuses only a request larger than
 * RAM + swap; 1: always; 2: only while Committed_AS stays within CommitLimit.
 */
export function overcommitAllows(k: Kernel, pages: number): boolean {
  switch (k.mem.overcommitMemory) {
    case 1:
      return true;
    case 2:
      return committedAs(k) + pages <= commitLimit(k);
    default:
      return pages <= k.mem.totalFrames + k.mem.swap.slots;
  }
}
