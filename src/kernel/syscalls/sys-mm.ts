/**
 * Memory calls: brk(2), mmap(2), munmap(2) — and ctsim's memory-access request, the
 * way a program touches its memory (`yield` a read or write of an address range):
 * every page of the range goes through the CPU's TLB, the MMU walk and, when they
 * cannot translate, the page-fault handler.
 *
 * Simplification: accesses are counted per page, not per byte (a range touches each
 * of its pages once, in order); MAP_SHARED mappings are not modelled (mmap refuses
 * them with EINVAL and says so); file mappings are private copies of the file's pages.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { TaskState } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { HandlerTable } from './handler.js';
import { BLOCK, OpenFile } from '../vfs/file.js';
import { isReg, O_RDONLY } from '../vfs/types.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { SIG } from '../proc/signals.js';
import { forceFaultSignal, sendSignal } from '../proc/task-signal.js';
import { FaultResult, handleFault, overcommitAllows, removeVmas, unmapRange } from '../mm/vm.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE, type MappedFile } from '../mm/mm-struct.js';
import { releaseFile } from '../vfs/file-ops.js';
import type { Mount } from '../vfs/mount.js';
import type { Vnode } from '../vfs/vnode.js';

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_FIXED_NOREPLACE = 0x100000;

const pageUp = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

/**
 * The memory-access request: {addr, len, write}. A write may carry the bytes to store
 * (`data`, len of them); a read with `fetch` returns the bytes it read.
 */
export interface MemAccessRequest {
  readonly nr: number;
  readonly addr: number;
  readonly len: number;
  readonly write: boolean;
  readonly data?: string;
  readonly fetch?: boolean;
}

/** Where an access blocked for swap I/O resumes, and what it fetched so far. */
interface AccessState {
  next: number;
  got: string;
}

/**
 * Runs a memory access: each page through Machine.translate, faults through the
 * handler. Returns 0, EFAULT (after SIGSEGV), or BLOCK while the task waits for
 * swap I/O (it resumes at the page it stopped on). User time — streaming the bytes
 * and the page walks — is added to the task's user burst; fault handling is charged
 * as kernel time.
 */
export function memAccess(k: Kernel, t: Task, req: MemAccessRequest): number | string | SysError | typeof BLOCK {
  const mm = t.mm;
  // A process the OOM killer chose has no memory any more: it only has to die.
  if (!mm || mm.dead || t.sigPending.has(SIG.SIGKILL)) return 0;
  const { addr, len, write } = req;
  if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(len) || (req.data !== undefined && (!write || req.data.length !== len))) {
    segv(k, t, Number.isSafeInteger(addr) ? addr : 0, write);
    return err('EFAULT', `a memory access needs a whole-number address and length, got ${addr} and ${len}`);
  }
  if (len <= 0) return 0;
  const cpu = k.currentCpu!.cpu;
  const machine = k.machine;
  const mem = k.mem;
  const lru = mem.policy === 'lru';
  const first = Math.floor(addr / PAGE_SIZE);
  const last = Math.floor((addr + len - 1) / PAGE_SIZE);
  const state = t.syscallState as AccessState | undefined;
  let vpn = state?.next ?? first;
  const start = vpn;
  let faults = 0;
  let got = state?.got ?? '';
  let result: number | string | SysError | typeof BLOCK = 0;
  if (addr < 0 || addr + len > TASK_SIZE) {
    segv(k, t, addr, write);
    return err('EFAULT', `address 0x${addr.toString(16)} is outside user space`);
  }
  for (; vpn <= last; vpn++) {
    let frame = machine.translate(cpu, vpn, write);
    let tries = 0;
    while (frame < 0) {
      const r = handleFault(k, t, mm, vpn, write);
      if (r === FaultResult.Segv) {
        segv(k, t, Math.max(addr, vpn * PAGE_SIZE), write);
        result = err('EFAULT', `no mapping allows a ${write ? 'write' : 'read'} at 0x${(vpn * PAGE_SIZE).toString(16)}`);
        break;
      }
      if (r === FaultResult.Oom || mm.dead) {
        if (!mm.dead) sendSignal(k, t, SIG.SIGKILL, false);
        result = 0;
        break;
      }
      faults++;
      if (++tries > 8) k.panic('memory access: a fault did not make the page accessible', { pid: t.tid, vpn });
      const waitNs = mem.takeIoNs(k.costs.swapIn, k.costs.swapOut);
      if (waitNs > 0) {
        // Wait for the swap device before touching the page.
        t.syscallState = { next: vpn, got } satisfies AccessState;
        k.sleepUntil(t, k.now + waitNs, null, TaskState.DiskSleep);
        result = BLOCK;
        break;
      }
      frame = machine.translate(cpu, vpn, write);
    }
    if (frame < 0) break;
    if (lru) mem.touched(frame);
    if (req.data !== undefined || req.fetch) {
      // The bytes of this page the access covers.
      const from = Math.max(addr, vpn * PAGE_SIZE);
      const to = Math.min(addr + len, (vpn + 1) * PAGE_SIZE);
      const off = from - vpn * PAGE_SIZE;
      if (req.data !== undefined) {
        const bytes = new Uint8Array(to - from);
        for (let i = 0; i < bytes.length; i++) bytes[i] = req.data.charCodeAt(from - addr + i) & 0xff;
        machine.memory.write(frame, off, bytes);
      } else {
        got += String.fromCharCode(...machine.memory.read(frame, off, to - from));
      }
    }
  }
  if (req.fetch && result === 0) result = got;
  // User time: the bytes streamed and the page walks the hardware did.
  const pages = vpn - start;
  t.burstLeftNs += Math.ceil((pages * PAGE_SIZE * k.costs.memKiB) / 1024) + cpu.accessCostNs;
  cpu.accessCostNs = 0;
  if (k.engine.trace.on('mm') && faults > 0) {
    // One record per stretch of the access that faulted: where, how many pages, and
    // whether it now waits for swap.
    const from = start * PAGE_SIZE;
    k.engine.trace.emit('mm', result === BLOCK ? 'fault-wait' : 'access', {
      pid: t.tid,
      addr: `0x${from.toString(16)}`,
      pages,
      write,
      faults,
      ...(result === BLOCK ? { waitFor: 'swap' } : {}),
    });
  }
  return result;
}

/**
 * A bad access: SIGSEGV, which the process cannot block or ignore (force_sig_fault).
 * Unless the program catches it, the kernel logs the fault as x86's show_signal_msg()
 * does: the address, the error code (4 user, 2 write, 1 protection) and the area.
 * Simplification: ctsim programs have no instruction pointer; ip is shown as the
 * start of the program's text and sp as the top of its stack.
 */
function segv(k: Kernel, t: Task, addr: number, write: boolean): void {
  const act = t.sighand.actions[SIG.SIGSEGV];
  if (!act || typeof act.handler !== 'function') {
    const mm = t.mm;
    const mapped = mm?.findVma(addr) !== undefined;
    const code = 4 | (write ? 2 : 0) | (mapped ? 1 : 0);
    const text = mm?.vmas.find((v) => v.prot & PROT_EXEC);
    const px = (n: number): string => n.toString(16).padStart(16, '0');
    const where = text ? ` in ${t.comm}[${text.start.toString(16)}+${(text.end - text.start).toString(16)}]` : '';
    const cpu = k.currentCpu?.id ?? 0;
    k.printk(
      `${t.comm}[${t.tid}]: segfault at ${addr.toString(16)} ip ${px(text?.start ?? 0)} sp ${px(TASK_SIZE - PAGE_SIZE)} error ${code}${where} likely on CPU ${cpu} (core ${cpu}, socket 0)`,
    );
  }
  forceFaultSignal(k, t, SIG.SIGSEGV);
}

/**
 * brk(2): moves the program break; returns the new break, or the old one when it
 * cannot. Growing extends the area that ends at the old break (or starts a new
 * [heap] area) when [old, new) and a guard page above it are free; shrinking unmaps
 * [new, old) whatever is there, as do_munmap does.
 */
function doBrk(k: Kernel, t: Task, addr: number): number {
  const mm = t.mm;
  if (!mm) return 0;
  if (!Number.isSafeInteger(addr) || addr < mm.brkStart || addr > TASK_SIZE) return mm.brk;
  const oldEnd = pageUp(mm.brk);
  const newEnd = pageUp(addr);
  if (newEnd > oldEnd) {
    if (!mm.isFree(oldEnd, newEnd + PAGE_SIZE)) return mm.brk;
    if (!overcommitAllows(k, (newEnd - oldEnd) / PAGE_SIZE)) return mm.brk;
    const heap = mm.vmas.find((v) => v.end === oldEnd && v.name === '[heap]');
    if (heap) {
      heap.end = newEnd;
      mm.noteVm();
    } else {
      mm.insertVma({ start: oldEnd, end: newEnd, prot: PROT_READ | PROT_WRITE, file: null, pgoff: 0, name: '[heap]', growsDown: false, accounted: true });
    }
  } else if (newEnd < oldEnd) {
    unmapRange(k, mm, newEnd, oldEnd);
    removeVmas(mm, newEnd, oldEnd);
  }
  mm.brk = addr;
  return addr;
}

/** A private, read-only view of a regular file for a mapping (a file mmap, or exec's image). */
export function fileMapping(k: Kernel, t: Task, mnt: Mount | null, vn: Vnode, path: string): MappedFile | SysError {
  if (!isReg(vn.mode()) || !vn.open) return err('ENODEV', `${path} is not a regular file and cannot be mapped`);
  const st = vn.getattr();
  return {
    path,
    dev: st.dev,
    ino: st.ino,
    read(offset: number, length: number): string {
      const o = vn.open!(O_RDONLY);
      if (o instanceof SysError || !o.ops.read) return '';
      const rf = new OpenFile(o.ops, O_RDONLY, mnt, vn, path, o.priv);
      rf.pos = offset;
      const r = o.ops.read(k, t, rf, length);
      releaseFile(k, rf);
      return typeof r === 'string' ? r : '';
    },
  };
}

interface MmapRequest {
  addr: number;
  length: number;
  prot: number;
  flags: number;
  fd: number;
  offset: number;
}

/** mmap_min_addr's default: nothing may be mapped below 64 KiB. */
const MMAP_MIN_ADDR = 65536;

function doMmap(k: Kernel, t: Task, r: MmapRequest): number | SysError {
  const mm = t.mm;
  if (!mm) return err('ENOMEM', `process ${t.tid} has no address space to map into`);
  const { addr, prot, flags } = r;
  const offset = r.offset ?? 0;
  if (r.length === 0) return err('EINVAL', 'length must be greater than 0 (mmap(2))');
  // A negative length is a huge unsigned one: no room for it.
  if (!Number.isSafeInteger(r.length) || r.length < 0) return err('ENOMEM', `no room for a mapping of length ${r.length}`);
  if (!Number.isSafeInteger(offset)) return err('EINVAL', 'offset must be a whole number of bytes');
  if (offset < 0) return err('EOVERFLOW', 'a negative offset overflows the file offset');
  if (offset % PAGE_SIZE !== 0) return err('EINVAL', 'offset must be a multiple of the page size (mmap(2))');
  if (!Number.isSafeInteger(addr) || addr < 0) return err('EINVAL', 'the address must be a whole number of bytes');
  // The mapping type (flags & MAP_TYPE) must be shared or private; other unknown bits are ignored, as Linux does.
  const type = flags & 0x0f;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== 0x03) return err('EINVAL', 'flags must contain exactly one of MAP_SHARED and MAP_PRIVATE (mmap(2))');
  if (type !== MAP_PRIVATE) return err('EINVAL', 'ctsim does not model shared mappings (MAP_SHARED); use MAP_PRIVATE');
  const length = pageUp(r.length);
  if (length > TASK_SIZE) return err('ENOMEM', `length ${r.length}, rounded up to ${length}, is larger than the whole user address space (0x${TASK_SIZE.toString(16)} bytes)`);
  let file: MappedFile | null = null;
  if (!(flags & MAP_ANONYMOUS)) {
    const f = t.files.get(r.fd);
    if (!f) return err('EBADF', `descriptor ${r.fd} is not open`);
    if (!f.canRead) return err('EACCES', `descriptor ${r.fd} is not open for reading`);
    const mf = f.vnode ? fileMapping(k, t, f.mnt, f.vnode, f.path) : err('ENODEV', `descriptor ${r.fd} is not a file that can be mapped`);
    if (mf instanceof SysError) return mf;
    file = mf;
  }
  const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
  if (fixed && addr % PAGE_SIZE !== 0) return err('EINVAL', 'a fixed address must be page-aligned (mmap(2))');
  // Private writable memory counts against overcommit; MAP_NORESERVE opts out except in mode 2.
  const accounted = (prot & PROT_WRITE) !== 0 && (!(flags & MAP_NORESERVE) || k.mem.overcommitMemory === 2);
  if (accounted && !overcommitAllows(k, length / PAGE_SIZE)) {
    return err('ENOMEM', `${length} bytes would overcommit memory (vm.overcommit_memory=${k.mem.overcommitMemory})`);
  }
  let start: number;
  if (fixed) {
    if (addr < MMAP_MIN_ADDR) return err('EPERM', `nothing may be mapped below vm.mmap_min_addr (${MMAP_MIN_ADDR})`);
    if (addr + length > TASK_SIZE) return err('ENOMEM', 'the range goes past the end of user space');
    if (!mm.isFree(addr, addr + length)) {
      if (flags & MAP_FIXED_NOREPLACE) return err('EEXIST', 'the range is already mapped (MAP_FIXED_NOREPLACE)');
      unmapRange(k, mm, addr, addr + length);
      removeVmas(mm, addr, addr + length);
    }
    start = addr;
  } else {
    const hint = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    start = hint >= MMAP_MIN_ADDR && hint + length <= TASK_SIZE && mm.isFree(hint, hint + length) ? hint : mm.findFreeTopDown(length);
    if (start === 0) return err('ENOMEM', 'no free range of that size in the address space');
  }
  mm.insertVma({ start, end: start + length, prot: prot & (PROT_READ | PROT_WRITE | PROT_EXEC), file, pgoff: offset, name: '', growsDown: false, accounted });
  return start;
}

function doMunmap(k: Kernel, t: Task, addr: number, length: number): number | SysError {
  const mm = t.mm;
  if (!mm) return 0;
  if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(length) || addr < 0 || addr % PAGE_SIZE !== 0 || length <= 0 || addr + length > TASK_SIZE) {
    return err('EINVAL', 'munmap needs a page-aligned address in user space and a length greater than 0');
  }
  const end = addr + pageUp(length);
  unmapRange(k, mm, addr, end);
  removeVmas(mm, addr, end);
  return 0;
}

export const mmSyscalls: HandlerTable = {
  /** brk({addr}) */
  brk: (k, t, r: { addr: number }) => doBrk(k, t, r.addr),
  /** mmap({addr, length, prot, flags, fd, offset}) */
  mmap: (k, t, r: MmapRequest) => doMmap(k, t, r),
  /** munmap({addr, length}) */
  munmap: (k, t, r: { addr: number; length: number }) => doMunmap(k, t, r.addr, r.length),
};
