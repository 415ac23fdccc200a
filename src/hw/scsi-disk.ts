/**
 * A SCSI disk: the logical unit at the far end of a host adapter. The machine's sd
 * driver sends a Command Descriptor Block (CDB), the logical unit answers with a
 * status, data-in and, on failure, sense data that says why — SPC-4 (primary
 * commands, sense) and SBC-3 (block commands) are the contracts. The same target
 * answers behind a VMM's adapter (QEMU's `scsi-hd`, its medium a disk image file on
 * the host, src/hypervisor/devices) and behind a physical one (physical-scsi.ts, its
 * medium the drive's own blocks).
 *
 * ```
 *   sd driver ──CDB (+ data-out)──▶ ScsiDisk.execute ──sectors──▶ DiskMedium
 *             ◀──status, data-in, sense──┘
 * ```
 *
 * Commands answered: TEST UNIT READY, REQUEST SENSE, INQUIRY (standard data and VPD
 * pages 00h and 80h), MODE SENSE(6), READ CAPACITY(10), READ(10), WRITE(10) and
 * SYNCHRONIZE CACHE(10); any other opcode is CHECK CONDITION / ILLEGAL REQUEST /
 * INVALID COMMAND OPERATION CODE, as a real target says about commands it lacks.
 * `deviceLatencyNs` is what a command costs at the device, whichever adapter sent it.
 *
 * Simplification: one logical unit, one initiator, no task queue (each command
 * completes before the next), no unit attention after reset, no 16-byte commands
 * (a disk of 2 TiB or more reports 0xFFFFFFFF in READ CAPACITY(10) and the driver
 * cannot address past it), and the CONTROL byte (NACA, linking) is ignored.
 */
import type { Ns } from '../sim/engine.js';
import type { CostTable } from './cost-table.js';
import {
  FIXED_SENSE_BYTES,
  MAX_LBA_10,
  SCSI_OPCODES,
  STANDARD_INQUIRY_BYTES,
  STATUS_CHECK_CONDITION,
  STATUS_GOOD,
  be16,
  be32,
} from './scsi.js';
// The wire protocol (opcodes, CDB builders, decoders) is scsi.ts's, shared with the kernel's sd driver.
export {
  SCSI_OPCODES,
  STATUS_CHECK_CONDITION,
  STATUS_GOOD,
  cdbInquiry,
  cdbModeSense6,
  cdbRead10,
  cdbReadCapacity10,
  cdbRequestSense,
  cdbSynchronizeCache10,
  cdbTestUnitReady,
  cdbWrite10,
  parseInquiry,
  parseReadCapacity10,
  parseSense,
} from './scsi.js';

/** The logical block: the unit a SCSI disk addresses, in bytes. */
export const SECTOR = 512;

/**
 * What a disk stores its blocks on: a VM's disk image file (hypervisor/devices'
 * DiskImage) or a physical drive's medium (memory-medium.ts).
 */
export interface DiskMedium {
  /** The disk's size in bytes (a multiple of 512). */
  readonly virtualSize: number;
  /** Reads/writes whole 512-byte sectors: `count` sectors at `lba`. Throws RangeError outside the disk. */
  readSectors(lba: number, count: number): Uint8Array;
  writeSectors(lba: number, data: Uint8Array): void;
  /** Makes earlier writes durable. */
  flush(): void;
}

export interface ScsiResult {
  /** SCSI status: 0x00 GOOD, 0x02 CHECK CONDITION. */
  status: number;
  /** Data-in (what the target returns), possibly empty. */
  data: Uint8Array;
  /** Fixed-format sense data (18 bytes) when status is CHECK CONDITION, else empty. */
  sense: Uint8Array;
}

/**
 * What INQUIRY says about the unit: T10 vendor (8 characters), product (16), revision
 * (4), an optional serial number (VPD page 80h) and the SPC version it claims (byte 2
 * of the standard data: 5 = SPC-3, 6 = SPC-4; default 5).
 */
export interface ScsiTargetInfo { vendor: string; product: string; revision: string; serial?: string; version?: number }

const NAME_OF = new Map<number, string>(Object.entries(SCSI_OPCODES).map(([name, op]) => [op, name]));

/** The command's name from its opcode (byte 0), or 'other' for an opcode this target does not answer. */
export function cdbName(cdb: Uint8Array): string {
  return (cdb.length > 0 && NAME_OF.get(cdb[0])) || 'other';
}

/**
 * A sense key, additional sense code and qualifier (SPC-4 §4.5.6): the key is the
 * class of failure, ASC/ASCQ the precise reason.
 */
interface SenseCode { key: number; asc: number; ascq: number }

const NO_SENSE: SenseCode = { key: 0x0, asc: 0x00, ascq: 0x00 };
const INVALID_OPCODE: SenseCode = { key: 0x5, asc: 0x20, ascq: 0x00 };
const LBA_OUT_OF_RANGE: SenseCode = { key: 0x5, asc: 0x21, ascq: 0x00 };
const INVALID_FIELD_IN_CDB: SenseCode = { key: 0x5, asc: 0x24, ascq: 0x00 };
const WRITE_PROTECTED: SenseCode = { key: 0x7, asc: 0x27, ascq: 0x00 };

/** What QEMU's scsi-hd says about itself: the identity of a VMM's disks unless told otherwise. */
export const QEMU_HARDDISK: ScsiTargetInfo = { vendor: 'QEMU', product: 'QEMU HARDDISK', revision: '2.5+' };
const EMPTY = new Uint8Array(0);

/** A direct-access (disk) logical unit backed by `image`: answers one CDB. `dataOut` is what the initiator sends (WRITE). */
export class ScsiDisk {
  /** Commands answered, by opcode name ('INQUIRY', 'READ CAPACITY(10)', 'READ(10)', 'WRITE(10)', 'TEST UNIT READY', 'SYNCHRONIZE CACHE(10)', 'REQUEST SENSE', 'MODE SENSE(6)', 'other'). */
  readonly counts: Record<string, number>;
  /** The disk's size in 512-byte logical blocks. */
  private readonly blocks: number;
  /**
   * Sense data of the last CHECK CONDITION, until REQUEST SENSE reports it.
   * Invariant: empty or FIXED_SENSE_BYTES bytes.
   * Simplification: a real unit with autosense delivers the sense with the status and
   * keeps none; here it also stays for one REQUEST SENSE, as the SCSI-2 contingent
   * allegiance did, so a driver without autosense can fetch it.
   */
  private pendingSense: Uint8Array = EMPTY;
  private readonly info: ScsiTargetInfo;

  constructor(private readonly image: DiskMedium, info?: ScsiTargetInfo, private readonly readOnly = false) {
    this.info = info ?? QEMU_HARDDISK;
    this.blocks = Math.floor(image.virtualSize / SECTOR);
    this.counts = {};
    for (const name of [...Object.keys(SCSI_OPCODES), 'other']) this.counts[name] = 0;
  }

  execute(cdb: Uint8Array, dataOut?: Uint8Array): ScsiResult {
    const name = cdbName(cdb);
    this.counts[name]++;
    if (name === 'other') return this.fail(INVALID_OPCODE);
    if (cdb.length < cdbLength(cdb[0])) return this.fail(INVALID_FIELD_IN_CDB);
    switch (name) {
      case 'TEST UNIT READY':
        // The medium is always present and spun up.
        return this.good(EMPTY);
      case 'REQUEST SENSE':
        return this.requestSense(cdb);
      case 'INQUIRY':
        return this.inquiry(cdb);
      case 'MODE SENSE(6)':
        return this.modeSense6(cdb);
      case 'READ CAPACITY(10)':
        return this.readCapacity10(cdb);
      case 'READ(10)':
        return this.read10(cdb);
      case 'WRITE(10)':
        return this.write10(cdb, dataOut);
      default: // 'SYNCHRONIZE CACHE(10)'
        return this.synchronizeCache10(cdb);
    }
  }

  /** SPC-4 §6.39: the pending sense (then NO SENSE), up to the allocation length in byte 4. */
  private requestSense(cdb: Uint8Array): ScsiResult {
    const sense = this.pendingSense.length > 0 ? this.pendingSense : fixedSense(NO_SENSE);
    this.pendingSense = EMPTY;
    return this.good(sense.subarray(0, cdb[4]));
  }

  /** SPC-4 §6.6: standard data (EVPD 0, page 0) or a vital product data page (EVPD 1). */
  private inquiry(cdb: Uint8Array): ScsiResult {
    const evpd = (cdb[1] & 0x01) !== 0;
    const page = cdb[2];
    const allocation = (cdb[3] << 8) | cdb[4];
    if (!evpd) {
      if (page !== 0) return this.fail(INVALID_FIELD_IN_CDB);
      const d = new Uint8Array(STANDARD_INQUIRY_BYTES);
      d[0] = 0x00; // peripheral qualifier 0 (connected), device type 0 (direct access block device)
      d[1] = 0x00; // not removable
      d[2] = this.info.version ?? 0x05; // VERSION: SPC-3 by default, what QEMU claims so guests use modern commands
      d[3] = 0x02; // RESPONSE DATA FORMAT 2
      d[4] = STANDARD_INQUIRY_BYTES - 5; // ADDITIONAL LENGTH: bytes after byte 4
      d.set(ascii(this.info.vendor, 8), 8);
      d.set(ascii(this.info.product, 16), 16);
      d.set(ascii(this.info.revision, 4), 32);
      return this.good(d.subarray(0, allocation));
    }
    // VPD pages: byte 1 the page code, bytes 2–3 the page length.
    const serial = this.info.serial;
    let body: number[];
    if (page === 0x00) body = serial !== undefined ? [0x00, 0x80] : [0x00]; // SUPPORTED VPD PAGES
    else if (page === 0x80 && serial !== undefined) body = [...ascii(serial, Math.min(serial.length, 252))]; // UNIT SERIAL NUMBER
    // Simplification: no DEVICE IDENTIFICATION page (83h), which SPC-4 makes mandatory.
    else return this.fail(INVALID_FIELD_IN_CDB);
    const d = new Uint8Array([0x00, page, body.length >> 8, body.length & 0xff, ...body]);
    return this.good(d.subarray(0, allocation));
  }

  /**
   * SPC-4 §6.11: the 4-byte mode parameter header — MODE DATA LENGTH 3, medium type 0,
   * the DEVICE-SPECIFIC PARAMETER with WP (bit 7) when the unit is read-only, no block
   * descriptors.
   * Simplification: no mode pages; every page request gets the header alone.
   */
  private modeSense6(cdb: Uint8Array): ScsiResult {
    const d = new Uint8Array([3, 0x00, this.readOnly ? 0x80 : 0x00, 0]);
    return this.good(d.subarray(0, cdb[4]));
  }

  /** SBC-3 §5.15: the last LBA (0xFFFFFFFF when it does not fit) and the block length, big-endian. */
  private readCapacity10(cdb: Uint8Array): ScsiResult {
    const pmi = (cdb[8] & 0x01) !== 0;
    if (!pmi && be32(cdb, 2) !== 0) return this.fail(INVALID_FIELD_IN_CDB);
    const d = new Uint8Array(8);
    const view = new DataView(d.buffer);
    // Simplification: an empty disk reports last LBA 0 (it has no last block).
    view.setUint32(0, Math.min(Math.max(this.blocks - 1, 0), MAX_LBA_10));
    view.setUint32(4, SECTOR);
    return this.good(d);
  }

  /** SBC-3 §5.11: LBA in bytes 2–5, TRANSFER LENGTH in bytes 7–8; 0 blocks transfers nothing. */
  private read10(cdb: Uint8Array): ScsiResult {
    const lba = be32(cdb, 2);
    const count = be16(cdb, 7);
    if (!this.inRange(lba, count)) return this.fail(LBA_OUT_OF_RANGE);
    return this.good(count === 0 ? EMPTY : this.image.readSectors(lba, count));
  }

  /**
   * SBC-3 §5.32: as READ(10), from `dataOut`. A write-protected unit refuses before
   * looking at the range (QEMU's order). FUA (byte 1 bit 3) makes this write durable
   * before GOOD, as a flush after it.
   */
  private write10(cdb: Uint8Array, dataOut: Uint8Array | undefined): ScsiResult {
    if (this.readOnly) return this.fail(WRITE_PROTECTED);
    const lba = be32(cdb, 2);
    const count = be16(cdb, 7);
    if (!this.inRange(lba, count)) return this.fail(LBA_OUT_OF_RANGE);
    if (count === 0) return this.good(EMPTY);
    const bytes = count * SECTOR;
    if (!dataOut || dataOut.length < bytes) return this.fail(INVALID_FIELD_IN_CDB);
    this.image.writeSectors(lba, dataOut.subarray(0, bytes));
    if ((cdb[1] & 0x08) !== 0) this.image.flush();
    return this.good(EMPTY);
  }

  /** SBC-3 §5.22: LBA bytes 2–5, NUMBER OF LOGICAL BLOCKS bytes 7–8 (0 = to the end); flushes the image. */
  private synchronizeCache10(cdb: Uint8Array): ScsiResult {
    if (!this.inRange(be32(cdb, 2), be16(cdb, 7))) return this.fail(LBA_OUT_OF_RANGE);
    this.image.flush();
    return this.good(EMPTY);
  }

  /** Whether blocks [lba, lba + count) are on the disk (a zero-length range may start at its end). */
  private inRange(lba: number, count: number): boolean {
    return lba + count <= this.blocks;
  }

  private good(data: Uint8Array): ScsiResult {
    return { status: STATUS_GOOD, data, sense: EMPTY };
  }

  private fail(code: SenseCode): ScsiResult {
    const sense = fixedSense(code);
    this.pendingSense = sense;
    return { status: STATUS_CHECK_CONDITION, data: EMPTY, sense: sense.slice() };
  }
}

/**
 * How long `cdb` keeps the device busy, in ns: a command that touches the medium
 * (READ(10), WRITE(10), SYNCHRONIZE CACHE(10)) costs `diskOp`, plus `diskKiB` per KiB
 * it moved (the data-in of a read, the data-out of a write); the others are answered
 * from the unit's controller at no cost. The one formula for a VM's disks and a
 * physical host's, so the two differ only in what the adapter costs the CPU.
 * Simplification: one figure for every command, whatever the access pattern (no seek,
 * no queueing, no write cache).
 */
export function deviceLatencyNs(costs: CostTable, cdb: Uint8Array, result: ScsiResult, dataOut: Uint8Array | undefined): Ns {
  const op = cdb[0];
  const moved = op === SCSI_OPCODES['READ(10)'] ? result.data.length : op === SCSI_OPCODES['WRITE(10)'] ? (dataOut?.length ?? 0) : 0;
  const touchesMedium = op === SCSI_OPCODES['READ(10)'] || op === SCSI_OPCODES['WRITE(10)'] || op === SCSI_OPCODES['SYNCHRONIZE CACHE(10)'];
  return touchesMedium ? costs.diskOp + Math.ceil((moved / 1024) * costs.diskKiB) : 0;
}

/**
 * Fixed-format sense data (SPC-4 §4.5.3): response code 70h (current error, VALID 0),
 * sense key at byte 2, ADDITIONAL SENSE LENGTH 10 at byte 7, ASC at 12, ASCQ at 13.
 */
function fixedSense(code: SenseCode): Uint8Array {
  const s = new Uint8Array(FIXED_SENSE_BYTES);
  s[0] = 0x70;
  s[2] = code.key;
  s[7] = FIXED_SENSE_BYTES - 8;
  s[12] = code.asc;
  s[13] = code.ascq;
  return s;
}

/** CDB length from the opcode's group (its top 3 bits), SPC-4 §4.2.5.1. */
function cdbLength(opcode: number): number {
  return [6, 10, 10, 0, 16, 12, 0, 0][opcode >> 5];
}

/** `text` as printable ASCII, cut or padded with spaces to `width` bytes (SPC-4 §4.4.1). */
function ascii(text: string, width: number): Uint8Array {
  const out = new Uint8Array(width).fill(0x20);
  for (let i = 0; i < Math.min(text.length, width); i++) {
    const c = text.charCodeAt(i);
    out[i] = c >= 0x20 && c <= 0x7e ? c : 0x3f; // '?' for what ASCII cannot show
  }
  return out;
}
