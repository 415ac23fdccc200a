/**
 * Physical memory as 4 KiB page frames (issue 3's first building block): a frame
 * allocator, per-frame metadata (owner, map count, referenced and dirty bits), and
 * page contents that cost host memory only for frames that hold data other than
 * zeros — so a host with gigabytes of simulated RAM stays small until programs
 * really store bytes in it.
 *
 *     frame number ──▶ owner[f]  mapCount[f]  flags[f] (USED | REFERENCED | DIRTY)
 *                  └─▶ contents: Map<frame, Uint8Array(4096)>  (absent: all zeros)
 *
 * The allocator hands out the lowest-numbered frames first and then reuses the most
 * recently freed one (a stack), so the same run gets the same frames; it counts what
 * it does. It knows nothing of processes
 * or page tables: the kernel's memory manager decides what a frame is for, and the
 * MMU (a later step) sets the referenced and dirty bits.
 */

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

/** Frame flags. */
export const FRAME_USED = 1;
/** Set by an access through the MMU; cleared by page replacement (CLOCK's use bit). */
export const FRAME_REFERENCED = 2;
/** Set by a write through the MMU; cleared when the page is written back. */
export const FRAME_DIRTY = 4;

/** Frames the per-frame arrays start with (16 MiB of RAM); they widen by a quarter as frames are handed out. */
const INITIAL_FRAMES = 4096;

/**
 * The next size of a per-frame array of `length` entries: a quarter more (at least 1024
 * entries more), at most `total`. A quarter, not double: a guest's boot hands out
 * just over 5,000 frames, and hundreds of guests each with tables for 8,192 would
 * carry ~100 KiB of unused entries apiece.
 */
export function widerFrameCapacity(length: number, total: number): number {
  return Math.min(total, Math.max(length + 1024, Math.ceil(length * 1.25)));
}

/** A frame holding more non-zero words than this is stored as a full page. */
const MAX_WORDS = 64;

/** No owner recorded (free frames, and frames the kernel has not tagged). */
export const NO_OWNER = -1;

export interface PhysicalMemoryStats {
  totalFrames: number;
  freeFrames: number;
  /** Frames whose contents are stored (not all zeros). */
  storedFrames: number;
  allocations: number;
  frees: number;
}

export class PhysicalMemory {
  readonly totalFrames: number;
  /** Owner + 1 (0: none), so that a new memory needs no initialising pass. */
  private owner: Int32Array;
  private mapCount: Int32Array;
  private flags: Uint8Array;
  /**
   * Freed frame numbers; the next to hand out is at the top (the most recently freed).
   * Widened as frames are freed, not with the other per-frame arrays: a
   * memory whose frames are never given back (a guest's boot) needs none of it.
   */
  private freeStack: Int32Array;
  private freeTop = 0;
  /** Frames from here up have never been handed out. */
  private fresh = 0;
  private readonly contents = new Map<number, Uint8Array>();
  /**
   * Frames written only as a few 32-bit words (page tables are mostly empty): the
   * non-zero words by byte offset, so that a table costs the host bytes, not 4 KiB.
   * A frame is in at most one of `contents` and `words`.
   */
  private readonly words = new Map<number, Map<number, number>>();
  private allocations = 0;
  private frees = 0;

  /** `bytes` of RAM, rounded down to whole frames. */
  constructor(bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < PAGE_SIZE) throw new RangeError(`physical memory needs at least one ${PAGE_SIZE}-byte frame, got ${bytes} bytes`);
    const n = Math.floor(bytes / PAGE_SIZE);
    this.totalFrames = n;
    // The per-frame arrays cover the frames handed out so far and double as more are:
    // a host with gigabytes of RAM that uses a few megabytes allocates little.
    const cap = Math.min(n, INITIAL_FRAMES);
    this.owner = new Int32Array(cap);
    this.mapCount = new Int32Array(cap);
    this.flags = new Uint8Array(cap);
    this.freeStack = new Int32Array(0);
  }

  /** Frames the per-frame arrays cover (every frame below it may have been handed out). */
  get capacity(): number {
    return this.flags.length;
  }

  private grow(): void {
    const cap = widerFrameCapacity(this.flags.length, this.totalFrames);
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.owner = widen(this.owner, (k) => new Int32Array(k));
    this.mapCount = widen(this.mapCount, (k) => new Int32Array(k));
    this.flags = widen(this.flags, (k) => new Uint8Array(k));
  }

  get freeFrames(): number {
    return this.freeTop + this.totalFrames - this.fresh;
  }

  /** A free frame, zero-filled, tagged with `owner`; null when memory is exhausted. */
  alloc(owner = NO_OWNER): number | null {
    let f: number;
    if (this.freeTop > 0) f = this.freeStack[--this.freeTop];
    else if (this.fresh < this.totalFrames) {
      if (this.fresh === this.flags.length) this.grow();
      f = this.fresh++;
    } else return null;
    this.flags[f] = FRAME_USED;
    this.owner[f] = owner + 1;
    this.mapCount[f] = 0;
    this.allocations++;
    return f;
  }

  /** Returns a frame to the free pool; its contents are dropped (it reads as zeros). */
  free(frame: number): void {
    this.checkUsed(frame, 'free');
    this.flags[frame] = 0;
    this.owner[frame] = 0;
    this.mapCount[frame] = 0;
    this.contents.delete(frame);
    this.words.delete(frame);
    if (this.freeTop === this.freeStack.length) {
      const wider = new Int32Array(widerFrameCapacity(this.freeStack.length, this.totalFrames));
      wider.set(this.freeStack);
      this.freeStack = wider;
    }
    this.freeStack[this.freeTop++] = frame;
    this.frees++;
  }

  isUsed(frame: number): boolean {
    return this.inRange(frame) && (this.flags[frame] & FRAME_USED) !== 0;
  }

  ownerOf(frame: number): number {
    this.checkUsed(frame, 'ownerOf');
    return this.owner[frame] - 1;
  }

  setOwner(frame: number, owner: number): void {
    this.checkUsed(frame, 'setOwner');
    this.owner[frame] = owner + 1;
  }

  /** How many page-table entries map the frame (shared after fork until copy-on-write). */
  mapCountOf(frame: number): number {
    this.checkUsed(frame, 'mapCountOf');
    return this.mapCount[frame];
  }

  /** Adds `delta` (±1) to the map count; returns the new count. */
  adjustMapCount(frame: number, delta: number): number {
    this.checkUsed(frame, 'adjustMapCount');
    const v = this.mapCount[frame] + delta;
    if (v < 0) throw new RangeError(`frame ${frame}: map count would become ${v}`);
    this.mapCount[frame] = v;
    return v;
  }

  hasFlag(frame: number, flag: number): boolean {
    this.checkUsed(frame, 'hasFlag');
    return (this.flags[frame] & flag) !== 0;
  }

  setFlag(frame: number, flag: number, on: boolean): void {
    this.checkUsed(frame, 'setFlag');
    if (flag === FRAME_USED) throw new RangeError('FRAME_USED is the allocator\'s; use alloc and free');
    this.flags[frame] = on ? this.flags[frame] | flag : this.flags[frame] & ~flag;
  }

  /** Copies `length` bytes at `offset` in the frame out (zeros where nothing was stored). */
  read(frame: number, offset: number, length: number): Uint8Array {
    this.checkUsed(frame, 'read');
    this.checkSpan(offset, length);
    const page = this.contents.get(frame) ?? this.promote(frame);
    return page ? page.slice(offset, offset + length) : new Uint8Array(length);
  }

  /** Stores bytes at `offset` in the frame; writing only zeros to an empty frame stores nothing. */
  write(frame: number, offset: number, bytes: Uint8Array): void {
    this.checkUsed(frame, 'write');
    this.checkSpan(offset, bytes.length);
    let page = this.contents.get(frame) ?? this.promote(frame);
    if (!page) {
      if (bytes.every((b) => b === 0)) return;
      page = new Uint8Array(PAGE_SIZE);
      this.contents.set(frame, page);
    }
    page.set(bytes, offset);
  }

  /** The little-endian 32-bit word at byte `offset` (a multiple of 4) of the frame: the walk's fast read. */
  readU32(frame: number, offset: number): number {
    const page = this.contents.get(frame);
    if (!page) return this.words.get(frame)?.get(offset) ?? 0;
    return (page[offset] | (page[offset + 1] << 8) | (page[offset + 2] << 16) | (page[offset + 3] << 24)) >>> 0;
  }

  /** The high word of the entry the last `readEntry` read. */
  entryHi = 0;

  /**
   * The little-endian 64-bit entry at byte `offset` (a multiple of 8) of the frame, as
   * two words: returns the low one and leaves the high one in `entryHi`. The same as
   * two readU32 calls, with one lookup of the frame's contents instead of two (the walk
   * reads four entries per TLB miss).
   */
  readEntry(frame: number, offset: number): number {
    const page = this.contents.get(frame);
    if (page) {
      this.entryHi = (page[offset + 4] | (page[offset + 5] << 8) | (page[offset + 6] << 16) | (page[offset + 7] << 24)) >>> 0;
      return (page[offset] | (page[offset + 1] << 8) | (page[offset + 2] << 16) | (page[offset + 3] << 24)) >>> 0;
    }
    const w = this.words.get(frame);
    if (!w) {
      this.entryHi = 0;
      return 0;
    }
    this.entryHi = w.get(offset + 4) ?? 0;
    return w.get(offset) ?? 0;
  }

  /**
   * The byte offsets (multiples of 4, ascending) of the frame's non-zero 32-bit words in
   * [fromOffset, toOffset): what a page-table walk visits, without reading the zero
   * entries of a mostly empty table one by one.
   */
  nonZeroWordOffsets(frame: number, fromOffset: number, toOffset: number): number[] {
    const out: number[] = [];
    const page = this.contents.get(frame);
    if (page) {
      for (let off = fromOffset; off < toOffset; off += 4) if (page[off] | page[off + 1] | page[off + 2] | page[off + 3]) out.push(off);
      return out;
    }
    const w = this.words.get(frame);
    if (!w) return out;
    for (const off of w.keys()) if (off >= fromOffset && off < toOffset) out.push(off);
    return out.sort((a, b) => a - b);
  }

  /** Stores a little-endian 32-bit word at byte `offset` (a multiple of 4) of the frame. */
  writeU32(frame: number, offset: number, value: number): void {
    const page = this.contents.get(frame);
    if (page) {
      page[offset] = value & 0xff;
      page[offset + 1] = (value >>> 8) & 0xff;
      page[offset + 2] = (value >>> 16) & 0xff;
      page[offset + 3] = value >>> 24;
      return;
    }
    let w = this.words.get(frame);
    if (value === 0) {
      if (w?.delete(offset) && w.size === 0) this.words.delete(frame);
      return;
    }
    if (!w) {
      this.checkUsed(frame, 'writeU32');
      w = new Map();
      this.words.set(frame, w);
    }
    w.set(offset, value >>> 0);
    if (w.size > MAX_WORDS) this.promote(frame);
  }

  /** Turns a frame kept as words into a full page (null if it has none). */
  private promote(frame: number): Uint8Array | null {
    const w = this.words.get(frame);
    if (!w) return null;
    const page = new Uint8Array(PAGE_SIZE);
    for (const [off, v] of w) {
      page[off] = v & 0xff;
      page[off + 1] = (v >>> 8) & 0xff;
      page[off + 2] = (v >>> 16) & 0xff;
      page[off + 3] = v >>> 24;
    }
    this.words.delete(frame);
    this.contents.set(frame, page);
    return page;
  }

  /** The frame's stored contents, or null when it holds only zeros (swap-out reads this). */
  contentsOf(frame: number): Uint8Array | null {
    return this.contents.get(frame) ?? this.promote(frame);
  }

  /** Replaces the frame's contents (swap-in); null makes it all zeros. */
  setContents(frame: number, page: Uint8Array | null): void {
    this.checkUsed(frame, 'setContents');
    this.words.delete(frame);
    if (page) this.contents.set(frame, page);
    else this.contents.delete(frame);
  }

  /** Copies a whole frame's contents to another (copy-on-write, swap-in). */
  copyFrame(from: number, to: number): void {
    this.checkUsed(from, 'copyFrame');
    this.checkUsed(to, 'copyFrame');
    this.words.delete(to);
    const page = this.contents.get(from) ?? this.promote(from);
    if (page) this.contents.set(to, page.slice());
    else this.contents.delete(to);
  }

  /** Fills a frame with zeros. */
  zeroFrame(frame: number): void {
    this.checkUsed(frame, 'zeroFrame');
    this.contents.delete(frame);
    this.words.delete(frame);
  }

  stats(): PhysicalMemoryStats {
    return { totalFrames: this.totalFrames, freeFrames: this.freeFrames, storedFrames: this.contents.size + this.words.size, allocations: this.allocations, frees: this.frees };
  }

  private inRange(frame: number): boolean {
    return Number.isInteger(frame) && frame >= 0 && frame < this.totalFrames;
  }

  private checkUsed(frame: number, what: string): void {
    if (!this.inRange(frame)) throw new RangeError(`${what}: frame ${frame} is outside physical memory (0..${this.totalFrames - 1})`);
    if (!(this.flags[frame] & FRAME_USED)) throw new RangeError(`${what}: frame ${frame} is not allocated`);
  }

  private checkSpan(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > PAGE_SIZE) {
      throw new RangeError(`bytes ${offset}..${offset + length} do not lie within one ${PAGE_SIZE}-byte frame`);
    }
  }
}
