/**
 * The SCSI disk target (a VM's and a physical host's), byte for byte against
 * SPC-4/SBC-3: CDB encodings, the data each command returns, and the fixed-format
 * sense of each error.
 */
import { describe, expect, it } from 'vitest';
import { SECTOR, createImage, type DiskImage } from '../../src/hypervisor/devices/disk-image.js';
import {
  SCSI_OPCODES, ScsiDisk, cdbInquiry, cdbModeSense6, cdbName, cdbRead10, cdbReadCapacity10, cdbRequestSense, cdbSynchronizeCache10,
  cdbTestUnitReady, cdbWrite10, parseInquiry, parseReadCapacity10, parseSense,
} from '../../src/hw/scsi-disk.js';
import { MemByteFile, expectBytes } from '../hypervisor/devices/mem-byte-file.js';

const MiB = 1024 * 1024;

/** Fixed-format sense: response code 70h, key at 2, additional length 10 at 7, ASC at 12, ASCQ at 13. */
function sense(key: number, asc: number, ascq: number): number[] {
  return [0x70, 0, key, 0, 0, 0, 0, 10, 0, 0, 0, 0, asc, ascq, 0, 0, 0, 0];
}
const INVALID_OPCODE = sense(0x5, 0x20, 0x00);
const LBA_OUT_OF_RANGE = sense(0x5, 0x21, 0x00);
const INVALID_FIELD = sense(0x5, 0x24, 0x00);
const WRITE_PROTECTED = sense(0x7, 0x27, 0x00);
const NO_SENSE = sense(0x0, 0x00, 0x00);

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/** A 1 MiB raw disk (2048 blocks) whose sector s is filled with byte s & 0xff. */
function disk(readOnly = false): { image: DiskImage; lu: ScsiDisk } {
  const image = createImage(new MemByteFile(), 'raw', MiB);
  for (let s = 0; s < 2048; s += 256) {
    const b = new Uint8Array(256 * SECTOR);
    for (let i = 0; i < b.length; i++) b[i] = (s + Math.floor(i / SECTOR)) & 0xff;
    image.writeSectors(s, b);
  }
  return { image, lu: new ScsiDisk(image, undefined, readOnly) };
}

/** An image of any size that holds nothing, counting flushes (READ CAPACITY of huge disks, SYNCHRONIZE CACHE). */
function fakeImage(virtualSize: number): DiskImage & { flushes: number } {
  return {
    format: 'raw', virtualSize, backingPath: null, flushes: 0,
    readSectors: (_lba, count) => new Uint8Array(count * SECTOR),
    writeSectors: () => {},
    flush() { this.flushes++; },
    fileSize: () => 0,
  };
}

describe('CDB encodings', () => {
  it('names the opcodes as SPC-4/SBC-3 do', () => {
    expect(SCSI_OPCODES).toEqual({
      'TEST UNIT READY': 0x00, 'REQUEST SENSE': 0x03, INQUIRY: 0x12, 'MODE SENSE(6)': 0x1a,
      'READ CAPACITY(10)': 0x25, 'READ(10)': 0x28, 'WRITE(10)': 0x2a, 'SYNCHRONIZE CACHE(10)': 0x35,
    });
    expect(Object.isFrozen(SCSI_OPCODES)).toBe(true);
    for (const [name, op] of Object.entries(SCSI_OPCODES)) expect(cdbName(new Uint8Array([op, 0, 0, 0, 0, 0]))).toBe(name);
    expect(cdbName(new Uint8Array([0x9e, 0x10]))).toBe('other'); // SERVICE ACTION IN(16): not answered here
    expect(cdbName(new Uint8Array(0))).toBe('other');
  });

  it('builds READ(10)/WRITE(10) with the LBA in bytes 2–5 and the transfer length in 7–8, big-endian', () => {
    expect([...cdbRead10(0x01020304, 0x0506)]).toEqual([0x28, 0, 0x01, 0x02, 0x03, 0x04, 0, 0x05, 0x06, 0]);
    expect([...cdbWrite10(0xfffffffe, 1)]).toEqual([0x2a, 0, 0xff, 0xff, 0xff, 0xfe, 0, 0x00, 0x01, 0]);
    expect(() => cdbRead10(2 ** 32, 1)).toThrow(RangeError);
    expect(() => cdbWrite10(0, 0x10000)).toThrow(RangeError);
    expect(() => cdbRead10(-1, 1)).toThrow(RangeError);
  });

  it('builds INQUIRY, READ CAPACITY(10), TEST UNIT READY, SYNCHRONIZE CACHE(10), REQUEST SENSE and MODE SENSE(6)', () => {
    expect([...cdbInquiry()]).toEqual([0x12, 0, 0, 0, 36, 0]);
    expect([...cdbInquiry(0x1234)]).toEqual([0x12, 0, 0, 0x12, 0x34, 0]);
    expect(() => cdbInquiry(0x10000)).toThrow(RangeError);
    expect([...cdbReadCapacity10()]).toEqual([0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...cdbTestUnitReady()]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...cdbSynchronizeCache10()]).toEqual([0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...cdbRequestSense()]).toEqual([0x03, 0, 0, 0, 18, 0]);
    expect([...cdbModeSense6()]).toEqual([0x1a, 0, 0x3f, 0, 0xff, 0]);
    expect([...cdbModeSense6(0x08, 4)]).toEqual([0x1a, 0, 0x08, 0, 4, 0]);
  });
});

describe('INQUIRY', () => {
  it('returns 36 bytes of standard data as QEMU\'s scsi-hd does', () => {
    const r = disk().lu.execute(cdbInquiry());
    expect(r.status).toBe(0x00);
    expect(r.sense.length).toBe(0);
    expect([...r.data]).toEqual([
      0x00, 0x00, 0x05, 0x02, 31, 0, 0, 0,
      ...ascii('QEMU    '), ...ascii('QEMU HARDDISK   '), ...ascii('2.5+'),
    ]);
    expect(parseInquiry(r.data)).toEqual({ peripheralType: 0, vendor: 'QEMU', product: 'QEMU HARDDISK', revision: '2.5+', version: 5 });
  });

  it('pads and cuts the identification strings to their fields', () => {
    const lu = new ScsiDisk(disk().image, { vendor: 'ACME', product: 'A very long product name', revision: '1' });
    const d = lu.execute(cdbInquiry()).data;
    expect([...d.subarray(8, 36)]).toEqual([...ascii('ACME    '), ...ascii('A very long prod'), ...ascii('1   ')]);
    expect(parseInquiry(d)).toMatchObject({ vendor: 'ACME', product: 'A very long prod', revision: '1' });
  });

  it('returns no more than the allocation length', () => {
    const d = disk().lu.execute(cdbInquiry(5)).data;
    expect([...d]).toEqual([0x00, 0x00, 0x05, 0x02, 31]);
    expect(disk().lu.execute(cdbInquiry(0)).data.length).toBe(0);
    expect(() => parseInquiry(d)).toThrow(RangeError);
  });

  it('answers VPD pages 00h and 80h (with a serial) and refuses others as INVALID FIELD IN CDB', () => {
    const { image } = disk();
    const withSerial = new ScsiDisk(image, { vendor: 'QEMU', product: 'QEMU HARDDISK', revision: '2.5+', serial: 'SN42' });
    expect([...withSerial.execute(new Uint8Array([0x12, 0x01, 0x00, 0, 255, 0])).data]).toEqual([0x00, 0x00, 0x00, 2, 0x00, 0x80]);
    expect([...withSerial.execute(new Uint8Array([0x12, 0x01, 0x80, 0, 255, 0])).data]).toEqual([0x00, 0x80, 0x00, 4, ...ascii('SN42')]);
    const plain = new ScsiDisk(image);
    expect([...plain.execute(new Uint8Array([0x12, 0x01, 0x00, 0, 255, 0])).data]).toEqual([0x00, 0x00, 0x00, 1, 0x00]);
    for (const cdb of [[0x12, 0x01, 0x80, 0, 255, 0], [0x12, 0x01, 0x83, 0, 255, 0], [0x12, 0x00, 0x80, 0, 255, 0]]) {
      const r = plain.execute(new Uint8Array(cdb));
      expect(r.status).toBe(0x02);
      expect([...r.sense]).toEqual(INVALID_FIELD);
      expect(r.data.length).toBe(0);
    }
  });
});

describe('READ CAPACITY(10)', () => {
  it('returns the last LBA and the 512-byte block length, big-endian', () => {
    const r = disk().lu.execute(cdbReadCapacity10());
    expect(r.status).toBe(0);
    expect([...r.data]).toEqual([0x00, 0x00, 0x07, 0xff, 0x00, 0x00, 0x02, 0x00]);
    expect(parseReadCapacity10(r.data)).toEqual({ lastLba: 2047, blockSize: 512 });
    expect(() => parseReadCapacity10(r.data.subarray(0, 7))).toThrow(RangeError);
  });

  it('returns 0xFFFFFFFF when the last LBA does not fit in 32 bits', () => {
    const TiB = 1024 * 1024 * MiB;
    const lastLba = (bytes: number) => parseReadCapacity10(new ScsiDisk(fakeImage(bytes)).execute(cdbReadCapacity10()).data).lastLba;
    expect(lastLba(2 * TiB - SECTOR)).toBe(0xfffffffe);
    expect(lastLba(2 * TiB)).toBe(0xffffffff);
    expect(lastLba(3 * TiB)).toBe(0xffffffff); // not (3 TiB / 512 - 1) mod 2^32
  });

  it('refuses a non-zero LBA without PMI as INVALID FIELD IN CDB', () => {
    const r = disk().lu.execute(new Uint8Array([0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0]));
    expect(r.status).toBe(0x02);
    expect([...r.sense]).toEqual(INVALID_FIELD);
  });
});

describe('READ(10) and WRITE(10)', () => {
  it('reads the image\'s blocks; a transfer length of 0 transfers nothing', () => {
    const { image, lu } = disk();
    const r = lu.execute(cdbRead10(300, 3));
    expect(r.status).toBe(0);
    expectBytes(r.data, image.readSectors(300, 3));
    expect([r.data[0], r.data[SECTOR], r.data[2 * SECTOR]]).toEqual([300 & 0xff, 301 & 0xff, 302 & 0xff]);
    const none = lu.execute(cdbRead10(5, 0));
    expect(none.status).toBe(0);
    expect(none.data.length).toBe(0);
  });

  it('writes data-out to the image (only the transfer length of it) and reads it back', () => {
    const { image, lu } = disk();
    const data = new Uint8Array(3 * SECTOR).fill(0xab);
    const w = lu.execute(cdbWrite10(2046, 2), data);
    expect(w).toEqual({ status: 0, data: new Uint8Array(0), sense: new Uint8Array(0) });
    expectBytes(image.readSectors(2046, 2), data.subarray(0, 2 * SECTOR));
    expectBytes(lu.execute(cdbRead10(2046, 2)).data, data.subarray(0, 2 * SECTOR));
    expect(image.readSectors(2045, 1)[0]).toBe(2045 & 0xff);
  });

  it('an LBA range past the end is ILLEGAL REQUEST / LOGICAL BLOCK ADDRESS OUT OF RANGE', () => {
    const { lu } = disk();
    expect(lu.execute(cdbRead10(2047, 1)).status).toBe(0);
    expect(lu.execute(cdbRead10(2048, 0)).status).toBe(0);
    for (const cdb of [cdbRead10(2047, 2), cdbRead10(2048, 1), cdbRead10(0xffffffff, 0xffff), cdbWrite10(2040, 9)]) {
      const r = lu.execute(cdb, new Uint8Array(9 * SECTOR));
      expect(r.status).toBe(0x02);
      expect([...r.sense]).toEqual(LBA_OUT_OF_RANGE);
      expect(r.data.length).toBe(0);
    }
  });

  it('a WRITE on a read-only unit is DATA PROTECT / WRITE PROTECTED and changes nothing', () => {
    const { image, lu } = disk(true);
    const r = lu.execute(cdbWrite10(10, 1), new Uint8Array(SECTOR).fill(1));
    expect(r.status).toBe(0x02);
    expect([...r.sense]).toEqual(WRITE_PROTECTED);
    expect(image.readSectors(10, 1)[0]).toBe(10);
    expect(lu.execute(cdbRead10(10, 1)).status).toBe(0);
  });

  it('data-out shorter than the transfer (or none) is ILLEGAL REQUEST / INVALID FIELD IN CDB', () => {
    const { image, lu } = disk();
    for (const out of [new Uint8Array(2 * SECTOR - 1), undefined]) {
      const r = lu.execute(cdbWrite10(10, 2), out);
      expect(r.status).toBe(0x02);
      expect([...r.sense]).toEqual(INVALID_FIELD);
    }
    expect(image.readSectors(10, 1)[0]).toBe(10);
  });

  it('FUA makes the write durable: the image is flushed', () => {
    const image = fakeImage(MiB);
    const lu = new ScsiDisk(image);
    lu.execute(cdbWrite10(0, 1), new Uint8Array(SECTOR));
    expect(image.flushes).toBe(0);
    const fua = cdbWrite10(0, 1);
    fua[1] = 0x08;
    expect(lu.execute(fua, new Uint8Array(SECTOR)).status).toBe(0);
    expect(image.flushes).toBe(1);
  });

  it('a CDB shorter than its opcode\'s group says is INVALID FIELD IN CDB', () => {
    const r = disk().lu.execute(cdbRead10(0, 1).subarray(0, 6));
    expect(r.status).toBe(0x02);
    expect([...r.sense]).toEqual(INVALID_FIELD);
  });
});

describe('TEST UNIT READY, SYNCHRONIZE CACHE(10), MODE SENSE(6)', () => {
  it('TEST UNIT READY is GOOD with no data', () => {
    expect(disk().lu.execute(cdbTestUnitReady())).toEqual({ status: 0, data: new Uint8Array(0), sense: new Uint8Array(0) });
  });

  it('SYNCHRONIZE CACHE(10) flushes the image; a range past the end is LBA OUT OF RANGE', () => {
    const image = fakeImage(MiB);
    const lu = new ScsiDisk(image);
    expect(lu.execute(cdbSynchronizeCache10()).status).toBe(0);
    expect(image.flushes).toBe(1);
    const r = lu.execute(new Uint8Array([0x35, 0, 0, 0, 0x08, 0x00, 0, 0, 1, 0])); // LBA 2048, 1 block
    expect([...r.sense]).toEqual(LBA_OUT_OF_RANGE);
    expect(image.flushes).toBe(1);
  });

  it('MODE SENSE(6) returns a 4-byte header, with WP (bit 7 of byte 2) on a read-only unit', () => {
    expect([...disk().lu.execute(cdbModeSense6()).data]).toEqual([3, 0, 0x00, 0]);
    expect([...disk(true).lu.execute(cdbModeSense6()).data]).toEqual([3, 0, 0x80, 0]);
    expect([...disk(true).lu.execute(cdbModeSense6(0x3f, 3)).data]).toEqual([3, 0, 0x80]);
  });
});

describe('errors and REQUEST SENSE', () => {
  it('an unknown opcode is ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE', () => {
    const r = disk().lu.execute(new Uint8Array([0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(r.status).toBe(0x02);
    expect(r.data.length).toBe(0);
    expect([...r.sense]).toEqual(INVALID_OPCODE);
    expect(parseSense(r.sense)).toEqual({ key: 5, asc: 0x20, ascq: 0x00, keyName: 'ILLEGAL REQUEST' });
  });

  it('REQUEST SENSE returns the last sense, then NO SENSE', () => {
    const { lu } = disk();
    expect([...lu.execute(cdbRequestSense()).data]).toEqual(NO_SENSE);
    lu.execute(cdbRead10(5000, 1));
    const first = lu.execute(cdbRequestSense());
    expect(first.status).toBe(0);
    expect([...first.data]).toEqual(LBA_OUT_OF_RANGE);
    expect([...lu.execute(cdbRequestSense()).data]).toEqual(NO_SENSE);
    lu.execute(new Uint8Array([0xff]));
    expect([...lu.execute(cdbRequestSense(8)).data]).toEqual(INVALID_OPCODE.slice(0, 8));
  });

  it('decodes fixed and descriptor sense and names the keys', () => {
    expect(parseSense(new Uint8Array(WRITE_PROTECTED))).toEqual({ key: 7, asc: 0x27, ascq: 0, keyName: 'DATA PROTECT' });
    expect(parseSense(new Uint8Array(NO_SENSE))).toEqual({ key: 0, asc: 0, ascq: 0, keyName: 'NO SENSE' });
    expect(parseSense(new Uint8Array([0x72, 0x06, 0x29, 0x00, 0, 0, 0, 0]))).toEqual({ key: 6, asc: 0x29, ascq: 0, keyName: 'UNIT ATTENTION' });
    expect(parseSense(new Uint8Array(0))).toEqual({ key: 0, asc: 0, ascq: 0, keyName: 'NO SENSE' });
  });

  it('counts every command by name, failed ones too', () => {
    const { lu } = disk();
    lu.execute(cdbInquiry());
    lu.execute(cdbReadCapacity10());
    lu.execute(cdbRead10(0, 1));
    lu.execute(cdbRead10(9999, 1));
    lu.execute(cdbWrite10(0, 1), new Uint8Array(SECTOR));
    lu.execute(cdbTestUnitReady());
    lu.execute(cdbSynchronizeCache10());
    lu.execute(cdbRequestSense());
    lu.execute(cdbModeSense6());
    lu.execute(new Uint8Array([0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])); // REPORT LUNS: not answered here
    expect(lu.counts).toEqual({
      'TEST UNIT READY': 1, 'REQUEST SENSE': 1, INQUIRY: 1, 'MODE SENSE(6)': 1, 'READ CAPACITY(10)': 1,
      'READ(10)': 2, 'WRITE(10)': 1, 'SYNCHRONIZE CACHE(10)': 1, other: 1,
    });
  });
});
