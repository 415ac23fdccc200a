/**
 * An in-memory ByteFile for the disk tests: sparse (4 KiB pages, allocated on a
 * page's first write), so a 1 GiB raw image costs nothing until written, and counting
 * writes, so a test can prove a backing image was never written; and `expectBytes`,
 * a byte comparison fast enough for whole disks.
 */
import { expect } from 'vitest';
import type { ByteFile } from '../../../src/hypervisor/devices/disk-image.js';

const PAGE = 4096;

export class MemByteFile implements ByteFile {
  private bytes = 0;
  /** Page number → its bytes; a page not here reads as zeros. */
  private readonly pages = new Map<number, Uint8Array>();
  /** Calls of write and truncate. */
  writes = 0;

  static of(content: Uint8Array): MemByteFile {
    const f = new MemByteFile();
    f.write(0, content);
    f.writes = 0;
    return f;
  }

  size(): number {
    return this.bytes;
  }

  read(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    for (let at = offset; at < offset + length; ) {
      const page = Math.floor(at / PAGE);
      const within = at - page * PAGE;
      const n = Math.min(PAGE - within, offset + length - at);
      const p = this.pages.get(page);
      if (p && at < this.bytes) out.set(p.subarray(within, within + Math.min(n, this.bytes - at)), at - offset);
      at += n;
    }
    return out;
  }

  write(offset: number, bytes: Uint8Array): void {
    this.writes++;
    for (let at = offset; at < offset + bytes.length; ) {
      const page = Math.floor(at / PAGE);
      const within = at - page * PAGE;
      const n = Math.min(PAGE - within, offset + bytes.length - at);
      let p = this.pages.get(page);
      if (!p) this.pages.set(page, (p = new Uint8Array(PAGE)));
      p.set(bytes.subarray(at - offset, at - offset + n), within);
      at += n;
    }
    this.bytes = Math.max(this.bytes, offset + bytes.length);
  }

  truncate(size: number): void {
    this.writes++;
    // Drop what lies past the new end, so a later extension reads zeros there.
    for (const [page, p] of [...this.pages]) {
      if (page * PAGE >= size) this.pages.delete(page);
      else if ((page + 1) * PAGE > size) p.fill(0, size - page * PAGE);
    }
    this.bytes = size;
  }

  /** Bytes of memory the pages hold: what a sparse file would occupy. */
  allocatedBytes(): number {
    return this.pages.size * PAGE;
  }

  /** The whole file. */
  all(): Uint8Array {
    return this.read(0, this.bytes);
  }
}

/**
 * Asserts that two byte arrays are equal. vitest's deep equality walks a typed array
 * element by element and takes seconds on a disk's worth of bytes; this compares them
 * natively and, on a mismatch, shows the first 32 bytes from the first difference.
 */
export function expectBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length, 'byte count').toBe(expected.length);
  if (Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength))) return;
  let i = 0;
  while (actual[i] === expected[i]) i++;
  expect([...actual.subarray(i, i + 32)], `bytes from offset ${i}`).toEqual([...expected.subarray(i, i + 32)]);
}
