/**
 * Property: a guest driving READ(10)/WRITE(10) at random against a disk on a cow image
 * sees exactly what a byte-array model says — GOOD with the model's bytes inside the
 * disk, LOGICAL BLOCK ADDRESS OUT OF RANGE (and no change) past its end.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SECTOR, createImage } from '../../src/hypervisor/devices/disk-image.js';
import { ScsiDisk, cdbRead10, cdbWrite10, parseSense } from '../../src/hw/scsi-disk.js';
import { MemByteFile, expectBytes } from '../hypervisor/devices/mem-byte-file.js';

const BLOCKS = 600; // 300 KiB: not a whole number of 64 KiB clusters

const op = fc.record({
  write: fc.boolean(),
  lba: fc.integer({ min: 0, max: BLOCKS + 20 }),
  blocks: fc.integer({ min: 0, max: 140 }),
  fill: fc.integer({ min: 1, max: 255 }),
});

describe('SCSI disk against a byte-array model', () => {
  it('property: READ(10)/WRITE(10) read back the model\'s bytes and refuse ranges past the end', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const model = new Uint8Array(BLOCKS * SECTOR);
        const lu = new ScsiDisk(createImage(new MemByteFile(), 'cow', BLOCKS * SECTOR));
        for (const o of ops) {
          const inside = o.lba + o.blocks <= BLOCKS;
          const r = o.write
            ? lu.execute(cdbWrite10(o.lba, o.blocks), new Uint8Array(o.blocks * SECTOR).fill(o.fill))
            : lu.execute(cdbRead10(o.lba, o.blocks));
          if (!inside) {
            expect(r.status).toBe(0x02);
            expect(parseSense(r.sense)).toMatchObject({ key: 0x5, asc: 0x21, ascq: 0x00 });
            continue;
          }
          expect(r.status).toBe(0x00);
          if (o.write) model.fill(o.fill, o.lba * SECTOR, (o.lba + o.blocks) * SECTOR);
          else expectBytes(r.data, model.subarray(o.lba * SECTOR, (o.lba + o.blocks) * SECTOR));
        }
        expectBytes(lu.execute(cdbRead10(0, BLOCKS)).data, model);
      }),
      // A fixed seed: the same runs every time.
      { numRuns: 60, seed: 20260801 },
    );
  });
});
