/**
 * Which blocks of a ctsimfs are in use, one bit each, and the allocator that hands out
 * free ones: next-fit (the search goes on from where the last one ended and wraps), so
 * successive commits write forward across the disk as a log-structured file system
 * does, and a file's blocks come out contiguous while free space allows.
 *
 * Simplification: the map is not stored on the disk; mount rebuilds it from the
 * superblock and the inode table's extents (what ext4's block bitmaps would record).
 */
import type { Extent } from './layout.js';

export class BlockMap {
  private readonly bits: Uint8Array;
  /** Where the next search starts. */
  private rotor = 1;
  /** Blocks in use. Invariant: the number of set bits. */
  used = 0;

  constructor(readonly blocks: number) {
    this.bits = new Uint8Array(Math.ceil(blocks / 8));
  }

  /** A map with block 0 (the superblock) and every block of `extents` in use; the next search starts at `rotor`. */
  static of(blocks: number, extents: Iterable<Extent>, rotor = 1): BlockMap {
    const m = new BlockMap(blocks);
    m.rotor = rotor >= 1 && rotor < blocks ? rotor : 1;
    m.mark({ start: 0, count: 1 });
    for (const e of extents) m.mark(e);
    return m;
  }

  /** Where the next search starts (kept when the map is rebuilt after a commit). */
  get next(): number {
    return this.rotor;
  }

  isUsed(b: number): boolean {
    return (this.bits[b >> 3] & (1 << (b & 7))) !== 0;
  }

  mark(e: Extent): void {
    for (let b = e.start; b < e.start + e.count; b++) {
      if (this.isUsed(b)) continue;
      this.bits[b >> 3] |= 1 << (b & 7);
      this.used++;
    }
  }

  /** `count` free blocks as extents (in the order found), marked used; null when there are not that many. */
  alloc(count: number): Extent[] | null {
    if (count === 0) return [];
    if (this.blocks - this.used < count) return null;
    const out: Extent[] = [];
    let left = count;
    let b = this.rotor;
    for (let scanned = 0; left > 0 && scanned < this.blocks; scanned++, b = b + 1 >= this.blocks ? 1 : b + 1) {
      if (this.isUsed(b)) continue;
      const last = out[out.length - 1];
      if (last && last.start + last.count === b) last.count++;
      else out.push({ start: b, count: 1 });
      left--;
    }
    if (left > 0) return null;
    for (const e of out) this.mark(e);
    const end = out[out.length - 1];
    this.rotor = end.start + end.count >= this.blocks ? 1 : end.start + end.count;
    return out;
  }
}
