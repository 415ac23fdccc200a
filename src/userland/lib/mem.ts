/**
 * Memory for simulated programs: the brk/mmap/munmap calls, `touch` — the loads and
 * stores a real program's instructions would do, as requests the kernel runs through
 * the TLB, the page walk and the fault handler — and a small malloc that charges a
 * program's buffers to its address space the way glibc's does.
 *
 *     const heap = new Heap();
 *     const p = yield* heap.alloc(1 << 20);   // brk below 128 KiB, mmap above
 *     yield* touch(p, 1 << 20, true);          // write it: page faults, RSS grows
 *
 * A JavaScript program keeps its data in JavaScript values; these calls make the
 * simulated machine do the memory work the real program would.
 */
import { NR, MEM_ACCESS_NR } from '../../kernel/syscalls/numbers.js';
import { SysError } from '../../kernel/errno.js';
import type { Sys } from './sys.js';

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
export const MAP_PRIVATE = 0x02;
export const MAP_ANONYMOUS = 0x20;
export const MAP_FIXED = 0x10;
export const MAP_POPULATE = 0x8000;
export const PAGE_SIZE = 4096;

/** Largest range one access request covers, so that memory work interleaves with other processes. */
const ACCESS_CHUNK = 1024 * 1024;
/** glibc's M_MMAP_THRESHOLD default: larger blocks get their own mapping. */
export const MMAP_THRESHOLD = 128 * 1024;
/** glibc's M_TOP_PAD default: brk grows by at least this much more than asked. */
const TOP_PAD = 128 * 1024;

function* call<T>(req: { nr: number; [k: string]: unknown }): Sys<T> {
  return (yield req) as T | SysError;
}

export const brk = (addr: number): Sys<number> => call({ nr: NR.brk, addr });
export const mmap = (addr: number, length: number, prot: number, flags: number, fd = -1, offset = 0): Sys<number> =>
  call({ nr: NR.mmap, addr, length, prot, flags, fd, offset });
export const munmap = (addr: number, length: number): Sys<number> => call({ nr: NR.munmap, addr, length });

/**
 * Reads or writes every page of [addr, addr + len). Returns 0, or EFAULT after the
 * kernel sent SIGSEGV for a bad address (a program with a handler sees the error).
 */
export function* touch(addr: number, len: number, write: boolean): Sys<number> {
  for (let off = 0; off < len; off += ACCESS_CHUNK) {
    const r = yield* call<number>({ nr: MEM_ACCESS_NR, addr: addr + off, len: Math.min(ACCESS_CHUNK, len - off), write });
    if (r instanceof SysError) return r;
  }
  return 0;
}

/** Stores the bytes of `data` at `addr` (a write of data.length bytes). */
export function* poke(addr: number, data: string): Sys<number> {
  return yield* call<number>({ nr: MEM_ACCESS_NR, addr, len: data.length, write: true, data });
}

/** Reads `len` bytes at `addr`. */
export function* peek(addr: number, len: number): Sys<string> {
  return yield* call<string>({ nr: MEM_ACCESS_NR, addr, len, write: false, fetch: true });
}

/**
 * A program's malloc: small blocks from the brk heap, large ones (≥ 128 KiB) from
 * their own anonymous mappings, as glibc does. `alloc` maps but does not touch;
 * freeing large blocks unmaps them, small ones stay in the heap (no free list:
 * ctsim's programs free little).
 */
export class Heap {
  private top = 0;
  private end = 0;
  private readonly big = new Map<number, number>();

  /** Address of a new block of `size` bytes, or ENOMEM. */
  *alloc(size: number): Sys<number> {
    if (size >= MMAP_THRESHOLD) {
      const len = Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
      const p = yield* mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      if (p instanceof SysError) return p;
      this.big.set(p, len);
      return p;
    }
    if (this.end === 0) {
      const cur = yield* brk(0);
      if (cur instanceof SysError) return cur;
      this.top = cur;
      this.end = cur;
    }
    const p = this.top;
    const need = p + ((size + 15) & ~15);
    if (need > this.end) {
      const want = Math.ceil((need + TOP_PAD) / PAGE_SIZE) * PAGE_SIZE;
      const got = yield* brk(want);
      if (got instanceof SysError || got < need) return new SysError('ENOMEM', 'brk could not grow the heap');
      this.end = got;
    }
    this.top = need;
    return p;
  }

  /** Gives a block back: large blocks are unmapped. */
  *free(p: number): Sys<number> {
    const len = this.big.get(p);
    if (len === undefined) return 0;
    this.big.delete(p);
    return yield* munmap(p, len);
  }
}
