/**
 * Disk images as QEMU's block layer keeps them: raw (the file is the disk) and ctsim
 * cow (copy-on-write clusters over a backing image, qcow2's idea in a simpler layout).
 */
import { describe, expect, it } from 'vitest';
import {
  COW_CLUSTER_SIZE, COW_MAGIC, ImageError, SECTOR, createImage, imageInfo, openImage, type DiskImage,
} from '../../../src/hypervisor/devices/disk-image.js';
import { MemByteFile, expectBytes } from './mem-byte-file.js';

const MiB = 1024 * 1024;
const SECTORS_PER_CLUSTER = COW_CLUSTER_SIZE / SECTOR;

/** `sectors` sectors where byte i of sector s is (s * 7 + i + seed) & 0xff. */
function pattern(sectors: number, seed: number): Uint8Array {
  const b = new Uint8Array(sectors * SECTOR);
  for (let i = 0; i < b.length; i++) b[i] = (Math.floor(i / SECTOR) * 7 + i + seed) & 0xff;
  return b;
}

/** A raw base image of `bytes` filled with pattern(…, seed). */
function rawBase(bytes: number, seed = 1): { file: MemByteFile; image: DiskImage } {
  const file = new MemByteFile();
  const image = createImage(file, 'raw', bytes);
  image.writeSectors(0, pattern(bytes / SECTOR, seed));
  file.writes = 0;
  return { file, image };
}

function noBacking(path: string): DiskImage {
  throw new Error(`unexpected backing open: ${path}`);
}

describe('raw images', () => {
  it('create sizes the file to the disk and keeps it sparse; unwritten sectors read as zeros', () => {
    const file = new MemByteFile();
    const img = createImage(file, 'raw', 1024 * MiB);
    expect(img.format).toBe('raw');
    expect(img.virtualSize).toBe(1024 * MiB);
    expect(img.backingPath).toBeNull();
    expect(file.size()).toBe(1024 * MiB);
    expect(file.allocatedBytes()).toBe(0);
    expectBytes(img.readSectors(1000, 2), new Uint8Array(1024));
  });

  it('sector n is at file offset n * 512; a write round-trips and reopens with the same bytes', () => {
    const file = new MemByteFile();
    const img = createImage(file, 'raw', MiB);
    const data = pattern(3, 9);
    img.writeSectors(5, data);
    expectBytes(img.readSectors(5, 3), data);
    expectBytes(file.read(5 * SECTOR, 3 * SECTOR), data);
    expectBytes(img.readSectors(4, 1), new Uint8Array(SECTOR));
    const again = openImage(file, noBacking);
    expect(again.format).toBe('raw');
    expect(again.virtualSize).toBe(MiB);
    expectBytes(again.readSectors(4, 5), img.readSectors(4, 5));
  });

  it('create truncates what the file held and rounds the size up to whole sectors', () => {
    const file = MemByteFile.of(new Uint8Array(4096).fill(0xee));
    const img = createImage(file, 'raw', 1000);
    expect(img.virtualSize).toBe(1024);
    expect(file.size()).toBe(1024);
    expectBytes(img.readSectors(0, 2), new Uint8Array(1024));
  });

  it('an existing file of any bytes opens as raw, its size rounded down to whole sectors', () => {
    const img = openImage(MemByteFile.of(new Uint8Array(1300).fill(3)), noBacking);
    expect(img.format).toBe('raw');
    expect(img.virtualSize).toBe(1024);
    // A file that starts like the magic but is cut short is raw too.
    expect(openImage(MemByteFile.of(COW_MAGIC.slice(0, 7)), noBacking).format).toBe('raw');
  });

  it('throws RangeError outside the disk or for partial sectors', () => {
    const img = createImage(new MemByteFile(), 'raw', 8 * SECTOR);
    expect(() => img.readSectors(7, 2)).toThrow(RangeError);
    expect(() => img.readSectors(-1, 1)).toThrow(RangeError);
    expect(() => img.readSectors(0.5, 1)).toThrow(RangeError);
    expect(() => img.writeSectors(8, new Uint8Array(SECTOR))).toThrow(RangeError);
    expect(() => img.writeSectors(0, new Uint8Array(100))).toThrow(RangeError);
    expectBytes(img.readSectors(8, 0), new Uint8Array(0));
    expect(img.readSectors(0, 8).length).toBe(8 * SECTOR);
  });

  it('refuses a backing file, and imageInfo reports no cluster size', () => {
    const base = rawBase(MiB);
    expect(() => createImage(new MemByteFile(), 'raw', MiB, { image: base.image, path: 'base.raw' })).toThrow(ImageError);
    expect(imageInfo(base.image)).toEqual({ format: 'raw', virtualSize: MiB, diskSize: MiB, clusterSize: null, backingFile: null });
  });
});

describe('ctsim cow images', () => {
  it('create writes the header and an empty cluster table, byte for byte', () => {
    const base = rawBase(MiB);
    const file = new MemByteFile();
    createImage(file, 'cow', 3 * MiB, { image: base.image, path: 'base.img' });
    const h = file.read(0, 64);
    const v = new DataView(h.buffer);
    expect([...h.subarray(0, 8)]).toEqual([0x43, 0x54, 0x53, 0x4d, 0x43, 0x4f, 0x57, 0x01]); // "CTSMCOW\x01"
    expect(v.getUint32(8, true)).toBe(1); // version
    expect(v.getUint32(12, true)).toBe(65536); // cluster size
    expect(v.getUint32(16, true)).toBe(3 * MiB); // virtual size, low half
    expect(v.getUint32(20, true)).toBe(0); // virtual size, high half
    expect(v.getUint32(24, true)).toBe(512); // table offset
    expect(v.getUint32(32, true)).toBe(48); // 3 MiB / 64 KiB entries
    expect(v.getUint32(36, true)).toBe(8); // backing path length
    expect(new TextDecoder().decode(h.subarray(40, 48))).toBe('base.img');
    expect(file.size()).toBe(512 + 48 * 8);
    expectBytes(file.read(512, 48 * 8), new Uint8Array(48 * 8));
  });

  it('without a backing image, unwritten clusters are zeros and nothing is allocated for them', () => {
    const file = new MemByteFile();
    const img = createImage(file, 'cow', 4 * MiB);
    expect(img.backingPath).toBeNull();
    expectBytes(img.readSectors(0, 300), new Uint8Array(300 * SECTOR));
    expect(file.size()).toBe(512 + 64 * 8);
  });

  it('reads through to the backing image; writes stay in the overlay and the backing is never written', () => {
    const base = rawBase(MiB, 5);
    const before = base.file.all();
    const file = new MemByteFile();
    const img = createImage(file, 'cow', MiB, { image: base.image, path: '/var/lib/vm/base.raw' });
    expectBytes(img.readSectors(0, MiB / SECTOR), before);
    const data = pattern(4, 77);
    img.writeSectors(130, data);
    expectBytes(img.readSectors(130, 4), data);
    expect(base.file.writes).toBe(0);
    expectBytes(base.file.all(), before);
    expectBytes(base.image.readSectors(130, 4), before.subarray(130 * SECTOR, 134 * SECTOR));
  });

  it('a partial write to an unallocated cluster copies the rest of the cluster from the backing image', () => {
    const base = rawBase(MiB, 5);
    const file = new MemByteFile();
    const img = createImage(file, 'cow', MiB, { image: base.image, path: 'base' });
    img.writeSectors(SECTORS_PER_CLUSTER + 3, pattern(1, 200)); // sector 3 of cluster 1
    // One data cluster appended at the first cluster-aligned offset; table entry 1 points at it.
    expect(file.size()).toBe(2 * COW_CLUSTER_SIZE);
    expect(new DataView(file.read(512 + 8, 8).buffer).getUint32(0, true)).toBe(COW_CLUSTER_SIZE);
    const expected = base.image.readSectors(SECTORS_PER_CLUSTER, SECTORS_PER_CLUSTER);
    expected.set(pattern(1, 200), 3 * SECTOR);
    expectBytes(file.read(COW_CLUSTER_SIZE, COW_CLUSTER_SIZE), expected);
    expectBytes(img.readSectors(SECTORS_PER_CLUSTER, SECTORS_PER_CLUSTER), expected);
    // A second write to the same cluster goes in place.
    img.writeSectors(SECTORS_PER_CLUSTER + 100, pattern(2, 9));
    expect(file.size()).toBe(2 * COW_CLUSTER_SIZE);
  });

  it('a write across a cluster boundary allocates both clusters in write order', () => {
    const file = new MemByteFile();
    const img = createImage(file, 'cow', MiB);
    const data = pattern(4, 3);
    img.writeSectors(3 * SECTORS_PER_CLUSTER - 2, data);
    expect(file.size()).toBe(3 * COW_CLUSTER_SIZE);
    const t = new DataView(file.read(512, 16 * 8).buffer);
    expect(t.getUint32(2 * 8, true)).toBe(COW_CLUSTER_SIZE);
    expect(t.getUint32(3 * 8, true)).toBe(2 * COW_CLUSTER_SIZE);
    expectBytes(img.readSectors(3 * SECTORS_PER_CLUSTER - 3, 6), new Uint8Array([...new Uint8Array(SECTOR), ...data, ...new Uint8Array(SECTOR)]));
  });

  it('an overlay larger than its backing image reads zeros past the backing end', () => {
    const base = rawBase(COW_CLUSTER_SIZE + 4 * SECTOR, 8);
    const img = createImage(new MemByteFile(), 'cow', 4 * COW_CLUSTER_SIZE, { image: base.image, path: 'small' });
    const tail = img.readSectors(SECTORS_PER_CLUSTER, SECTORS_PER_CLUSTER);
    expectBytes(tail.subarray(0, 4 * SECTOR), base.image.readSectors(SECTORS_PER_CLUSTER, 4));
    expectBytes(tail.subarray(4 * SECTOR), new Uint8Array(COW_CLUSTER_SIZE - 4 * SECTOR));
    // Copy-on-write of the cluster that straddles the backing end.
    img.writeSectors(SECTORS_PER_CLUSTER + 10, pattern(1, 1));
    expectBytes(img.readSectors(SECTORS_PER_CLUSTER, 4), base.image.readSectors(SECTORS_PER_CLUSTER, 4));
  });

  it('a cow of a cow reads each cluster from the nearest image that has it', () => {
    const base = rawBase(MiB, 1);
    const midFile = new MemByteFile();
    const mid = createImage(midFile, 'cow', MiB, { image: base.image, path: 'base.raw' });
    mid.writeSectors(0, pattern(1, 50));
    const topFile = new MemByteFile();
    const top = createImage(topFile, 'cow', MiB, { image: mid, path: 'mid.cow' });
    top.writeSectors(SECTORS_PER_CLUSTER, pattern(1, 60));
    expectBytes(top.readSectors(0, 1), pattern(1, 50)); // from mid
    expectBytes(top.readSectors(1, 1), base.image.readSectors(1, 1)); // mid copied it from base
    expectBytes(top.readSectors(SECTORS_PER_CLUSTER, 1), pattern(1, 60)); // its own
    expectBytes(top.readSectors(2 * SECTORS_PER_CLUSTER, 1), base.image.readSectors(2 * SECTORS_PER_CLUSTER, 1)); // from base
    expectBytes(mid.readSectors(SECTORS_PER_CLUSTER, 1), base.image.readSectors(SECTORS_PER_CLUSTER, 1));
    expect(base.file.writes).toBe(0);
  });

  it('reopening the same file gives the same bytes, asking for the recorded backing path', () => {
    const base = rawBase(MiB, 2);
    const file = new MemByteFile();
    const img = createImage(file, 'cow', 2 * MiB, { image: base.image, path: 'images/base.raw' });
    img.writeSectors(7, pattern(3, 11));
    img.writeSectors(1500, pattern(300, 12));
    img.flush();
    const asked: string[] = [];
    const again = openImage(file, (p) => {
      asked.push(p);
      return base.image;
    });
    expect(asked).toEqual(['images/base.raw']);
    expect(again.format).toBe('cow');
    expect(again.backingPath).toBe('images/base.raw');
    expect(again.virtualSize).toBe(2 * MiB);
    expectBytes(again.readSectors(0, 4096), img.readSectors(0, 4096));
    // A cow without a backing image never calls openBacking.
    const solo = new MemByteFile();
    createImage(solo, 'cow', MiB).writeSectors(0, pattern(1, 4));
    expectBytes(openImage(solo, noBacking).readSectors(0, 1), pattern(1, 4));
  });

  it('imageInfo reports what qemu-img info shows', () => {
    const base = rawBase(MiB);
    const file = new MemByteFile();
    const img = createImage(file, 'cow', 2 * MiB, { image: base.image, path: 'base.raw' });
    img.writeSectors(0, pattern(1, 1));
    expect(imageInfo(img)).toEqual({ format: 'cow', virtualSize: 2 * MiB, diskSize: 2 * COW_CLUSTER_SIZE, clusterSize: COW_CLUSTER_SIZE, backingFile: 'base.raw' });
  });

  it('a 1 GiB disk needs a 128 KiB table and one cluster per written cluster, not memory per sector', () => {
    const file = new MemByteFile();
    const img = createImage(file, 'cow', 1024 * MiB);
    expect(file.size()).toBe(512 + 16384 * 8);
    img.writeSectors(2_000_000, pattern(1, 1));
    // The table ends at 512 + 128 KiB; the data cluster goes at the next 64 KiB boundary, 192 KiB.
    expect(file.size()).toBe(4 * COW_CLUSTER_SIZE);
    expectBytes(img.readSectors(2_000_000, 1), pattern(1, 1));
    expect(() => img.readSectors(2 * 1024 * 1024 - 1, 2)).toThrow(RangeError);
  });
});

describe('damaged cow images', () => {
  /** A valid 1 MiB cow file with one allocated cluster (table entry 0), to spoil. */
  function goodCow(path = ''): MemByteFile {
    const file = new MemByteFile();
    const base = path ? rawBase(MiB).image : null;
    const img = createImage(file, 'cow', MiB, base ? { image: base, path } : undefined);
    img.writeSectors(0, pattern(1, 1));
    expect(() => openImage(file, () => rawBase(MiB).image)).not.toThrow();
    return file;
  }
  function u32(n: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return b;
  }
  function rejects(file: MemByteFile, reason: RegExp): void {
    let err: unknown;
    try {
      openImage(file, () => rawBase(MiB).image);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImageError);
    expect((err as Error).message).toMatch(/^ctsim cow image is damaged: /);
    expect((err as Error).message).toMatch(reason);
    expect((err as Error).message).not.toContain('\n');
  }

  it('rejects a header cut short after the magic', () => {
    rejects(MemByteFile.of(COW_MAGIC.slice()), /shorter than the 40-byte header/);
  });
  it('rejects an unknown version', () => {
    const f = goodCow();
    f.write(8, u32(2));
    rejects(f, /version 2/);
  });
  it('rejects a cluster size that is not a power of two', () => {
    const f = goodCow();
    f.write(12, u32(65535));
    rejects(f, /cluster size 65535/);
  });
  it('rejects a virtual size that is not whole sectors', () => {
    const f = goodCow();
    f.write(16, u32(MiB + 1));
    rejects(f, /virtual size 1048577/);
  });
  it('rejects a table whose entry count does not match the virtual size', () => {
    const f = goodCow();
    f.write(32, u32(17));
    rejects(f, /17 entries/);
  });
  it('rejects a table that is not inside the file', () => {
    const f = goodCow();
    f.write(24, u32(2 * MiB));
    rejects(f, /cluster table .* is not inside/);
    const g = goodCow();
    g.write(24, u32(4)); // overlaps the header
    rejects(g, /cluster table/);
  });
  it('rejects a backing path that runs past the file or is not UTF-8', () => {
    const f = goodCow();
    f.write(36, u32(1 << 20));
    rejects(f, /backing path length/);
    const g = goodCow('base');
    g.write(40, new Uint8Array([0xff, 0xfe]));
    rejects(g, /not UTF-8/);
  });
  it('rejects a cluster offset that is misaligned, outside the file, inside the table or shared', () => {
    const cases: [number, RegExp][] = [
      [COW_CLUSTER_SIZE + 512, /not aligned/],
      [64 * COW_CLUSTER_SIZE, /not inside the data area/],
    ];
    for (const [offset, reason] of cases) {
      const f = goodCow();
      f.write(512, u32(offset));
      rejects(f, reason);
    }
    const small = goodCow();
    small.write(12, u32(512)); // 512-byte clusters: entries now 2048; fix the count and point into the table
    small.write(32, u32(2048));
    small.truncate(512 + 2048 * 8 + 512);
    small.write(512, u32(512));
    rejects(small, /not inside the data area/);
    const shared = goodCow();
    shared.write(512 + 8, u32(COW_CLUSTER_SIZE));
    rejects(shared, /also another cluster's/);
  });
  it('rejects a 64-bit offset beyond 2^53', () => {
    const f = goodCow();
    f.write(512 + 4, u32(0x00200000)); // high half of entry 0: 2^53 + 64 KiB
    rejects(f, /cluster 0/);
  });
});
