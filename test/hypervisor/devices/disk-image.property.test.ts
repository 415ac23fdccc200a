/**
 * Property: whatever sectors a guest writes, every image format reads back exactly
 * what a plain byte array (the model disk) holds — before and after reopening the
 * file — and a cow image never writes its backing image.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COW_CLUSTER_SIZE, SECTOR, createImage, openImage, type DiskImage } from '../../../src/hypervisor/devices/disk-image.js';
import { MemByteFile, expectBytes } from './mem-byte-file.js';

/** 5 clusters and a half: writes cross cluster boundaries and the partial last cluster. */
const DISK_BYTES = 5 * COW_CLUSTER_SIZE + COW_CLUSTER_SIZE / 2;
const DISK_SECTORS = DISK_BYTES / SECTOR;

interface Write { lba: number; count: number; seed: number }

const write: fc.Arbitrary<Write> = fc
  .record({ lba: fc.integer({ min: 0, max: DISK_SECTORS - 1 }), count: fc.integer({ min: 0, max: 300 }), seed: fc.integer({ min: 0, max: 255 }) })
  .map((w) => ({ ...w, count: Math.min(w.count, DISK_SECTORS - w.lba) }));

function bytesOf(w: Write): Uint8Array {
  const b = new Uint8Array(w.count * SECTOR);
  for (let i = 0; i < b.length; i++) b[i] = (i * 31 + w.seed) & 0xff;
  return b;
}

type Setup = 'raw' | 'cow' | 'cow over raw' | 'cow over cow';

function build(setup: Setup, baseSeed: number): { file: MemByteFile; image: DiskImage; model: Uint8Array; reopen: () => DiskImage; backingFiles: MemByteFile[] } {
  const model = new Uint8Array(DISK_BYTES);
  const file = new MemByteFile();
  if (setup === 'raw') {
    return { file, image: createImage(file, 'raw', DISK_BYTES), model, reopen: () => openImage(file, () => { throw new Error('raw has no backing'); }), backingFiles: [] };
  }
  if (setup === 'cow') {
    return { file, image: createImage(file, 'cow', DISK_BYTES), model, reopen: () => openImage(file, () => { throw new Error('no backing'); }), backingFiles: [] };
  }
  // A base of half the size, so the overlay also reads zeros past the backing's end.
  const baseFile = new MemByteFile();
  const base = createImage(baseFile, 'raw', DISK_BYTES / 2);
  const content = new Uint8Array(DISK_BYTES / 2).map((_, i) => (i * 13 + baseSeed) & 0xff);
  base.writeSectors(0, content);
  model.set(content);
  let below = base;
  const backingFiles = [baseFile];
  if (setup === 'cow over cow') {
    const midFile = new MemByteFile();
    below = createImage(midFile, 'cow', DISK_BYTES, { image: base, path: 'base.raw' });
    const mid: Write = { lba: 3, count: 200, seed: baseSeed ^ 0x5a };
    below.writeSectors(mid.lba, bytesOf(mid));
    model.set(bytesOf(mid), mid.lba * SECTOR);
    backingFiles.push(midFile);
  }
  for (const f of backingFiles) f.writes = 0;
  const image = createImage(file, 'cow', DISK_BYTES, { image: below, path: 'below' });
  return { file, image, model, reopen: () => openImage(file, () => below), backingFiles };
}

describe('disk images against a byte-array model', () => {
  for (const setup of ['raw', 'cow', 'cow over raw', 'cow over cow'] as Setup[]) {
    it(`property (${setup}): random sector writes read back as the model has them, also after reopening`, () => {
      fc.assert(
        fc.property(fc.array(write, { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 255 }), fc.array(write, { maxLength: 6 }), (writes, baseSeed, reads) => {
          const { image, model, reopen, backingFiles } = build(setup, baseSeed);
          for (const w of writes) {
            image.writeSectors(w.lba, bytesOf(w));
            model.set(bytesOf(w), w.lba * SECTOR);
            // Any range reads back as the model has it, right away.
            for (const r of reads) expectBytes(image.readSectors(r.lba, r.count), model.subarray(r.lba * SECTOR, (r.lba + r.count) * SECTOR));
          }
          expectBytes(image.readSectors(0, DISK_SECTORS), model);
          image.flush();
          expectBytes(reopen().readSectors(0, DISK_SECTORS), model);
          for (const f of backingFiles) expect(f.writes).toBe(0);
        }),
        // A fixed seed: the same runs every time.
        { numRuns: 40, seed: 20260731 },
      );
    });
  }
});
