/**
 * A physical drive's medium: zeros until written, whole sectors by number, RangeError
 * outside the disk (as a DiskImage answers), and sparse — a large drive costs nothing
 * until used.
 */
import { describe, expect, it } from 'vitest';
import { MemoryMedium } from '../../src/hw/memory-medium.js';
import { SECTOR } from '../../src/hw/scsi-disk.js';

describe('MemoryMedium', () => {
  it('reads zeros until written, and reads back writes that straddle its 64 KiB chunks', () => {
    const m = new MemoryMedium(1024 * 1024);
    expect(m.readSectors(0, 4).every((b) => b === 0)).toBe(true);
    // Sectors 126..129 span the first and second 64 KiB chunk.
    const data = new Uint8Array(4 * SECTOR).map((_, i) => (i % 251) + 1);
    m.writeSectors(126, data);
    expect(m.readSectors(126, 4)).toEqual(data);
    expect(m.readSectors(125, 1).every((b) => b === 0)).toBe(true);
    expect(m.readSectors(130, 1).every((b) => b === 0)).toBe(true);
  });

  it('refuses sectors past its end and writes that are not whole sectors', () => {
    const m = new MemoryMedium(8 * SECTOR);
    expect(m.readSectors(7, 1)).toHaveLength(SECTOR);
    expect(() => m.readSectors(7, 2)).toThrow(RangeError);
    expect(() => m.writeSectors(8, new Uint8Array(SECTOR))).toThrow(/outside the disk \(8 sectors\)/);
    expect(() => m.writeSectors(0, new Uint8Array(100))).toThrow(/not a whole number of 512-byte sectors/);
  });

  it('holds a 1 TiB drive without allocating it', () => {
    const m = new MemoryMedium(2 ** 40);
    m.writeSectors(2 ** 31 - 1, new Uint8Array(SECTOR).fill(7));
    expect(m.readSectors(2 ** 31 - 1, 1)[0]).toBe(7);
    expect(m.readSectors(0, 1)[0]).toBe(0);
  });
});
