/**
 * A physical drive's medium — its flash or platters — as the blocks it holds: a disk
 * of `virtualSize` bytes that reads as zeros until written, as a new (or
 * sanitized) drive does.
 *
 * Simplification: the blocks live in the simulator's memory, sparse in 64 KiB chunks
 * allocated on a chunk's first write, so a 1 TiB drive costs nothing until used; they
 * last as long as the machine (nothing is kept across runs), and flush has nothing to
 * make durable.
 */
import { SECTOR, type DiskMedium } from './scsi-disk.js';

/** Bytes per chunk of the sparse store: a power of two and a whole number of sectors. */
const CHUNK = 64 * 1024;

export class MemoryMedium implements DiskMedium {
  /** Chunk number → its bytes; a chunk not here reads as zeros. Invariant: every value is CHUNK bytes. */
  private readonly chunks = new Map<number, Uint8Array>();

  /** Precondition: `virtualSize` is a safe non-negative integer, a multiple of SECTOR. */
  constructor(readonly virtualSize: number) {}

  readSectors(lba: number, count: number): Uint8Array {
    this.check(lba, count);
    const out = new Uint8Array(count * SECTOR);
    this.eachChunk(lba * SECTOR, out.length, (chunk, within, at, length) => {
      const bytes = this.chunks.get(chunk);
      if (bytes) out.set(bytes.subarray(within, within + length), at);
    });
    return out;
  }

  writeSectors(lba: number, data: Uint8Array): void {
    if (data.length % SECTOR !== 0) throw new RangeError(`${data.length} bytes is not a whole number of ${SECTOR}-byte sectors`);
    this.check(lba, data.length / SECTOR);
    this.eachChunk(lba * SECTOR, data.length, (chunk, within, at, length) => {
      let bytes = this.chunks.get(chunk);
      if (!bytes) {
        bytes = new Uint8Array(CHUNK);
        this.chunks.set(chunk, bytes);
      }
      bytes.set(data.subarray(at, at + length), within);
    });
  }

  /** Every write is already in the medium. */
  flush(): void {}

  /** Throws RangeError unless sectors [lba, lba + count) are on the disk. */
  private check(lba: number, count: number): void {
    if (!Number.isSafeInteger(lba) || !Number.isSafeInteger(count) || lba < 0 || count < 0 || (lba + count) * SECTOR > this.virtualSize) {
      throw new RangeError(`sectors ${lba}..${lba + count - 1} are outside the disk (${this.virtualSize / SECTOR} sectors)`);
    }
  }

  /** Splits the disk bytes [start, start + length) at chunk boundaries; `at` is the offset within the request. */
  private eachChunk(start: number, length: number, visit: (chunk: number, within: number, at: number, length: number) => void): void {
    for (let pos = start; pos < start + length; ) {
      const chunk = Math.floor(pos / CHUNK);
      const within = pos - chunk * CHUNK;
      const n = Math.min(CHUNK - within, start + length - pos);
      visit(chunk, within, pos - start, n);
      pos += n;
    }
  }
}
