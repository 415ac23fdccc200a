/**
 * A machine's SCSI host adapter, as the kernel's disk driver (sd) sees it: logical
 * units it can send command descriptor blocks (CDBs) to. On a VM the adapter is the
 * VMM's device model (an emulated LSI 53C895A or a paravirtual virtio-scsi) answering
 * from a virtual disk stored in one file of the host; on a physical machine it is a
 * SAS HBA (physical-scsi.ts) with its drives, when the machine is given disks.
 */
import type { Ns } from '../sim/engine.js';
import type { Cpu } from './cpu.js';

/** What a logical unit answers: SCSI status (0x00 GOOD, 0x02 CHECK CONDITION), data-in, and fixed-format sense. */
export interface ScsiCommandResult {
  status: number;
  data: Uint8Array;
  sense: Uint8Array;
}

export interface ScsiUnit {
  /** The drive's id in the machine's configuration (rootfs, data, …). */
  readonly id: string;
}

export interface ScsiHost {
  /** The Linux driver that binds the adapter ("virtio_scsi", "sym53c8xx", "mpt3sas"). */
  readonly driver: string;
  /** What Linux prints for the adapter at boot as "scsi host0: …": its host template's info() or name. */
  readonly banner: string;
  readonly units: readonly ScsiUnit[];
  /**
   * Sends `cdb` (with `dataOut` for a write) to unit `unit`. Returns the answer, what
   * issuing the command cost the CPU that issued it (register accesses, notifications,
   * the completion interrupt) and how long until it completes (the device's latency).
   * `first` is false for the further commands of one request (a paravirtual queue
   * notifies the device once per batch).
   */
  command(cpu: Cpu | null, unit: number, cdb: Uint8Array, dataOut: Uint8Array | undefined, first: boolean): { result: ScsiCommandResult; cpuNs: Ns; latencyNs: Ns };
}


// The wire protocol: opcodes, status, CDB builders and decoders (SPC-4, SBC-3).

/** Status GOOD: the command completed. */
export const STATUS_GOOD = 0x00;
/** Status CHECK CONDITION: the command failed; the sense data says why. */
export const STATUS_CHECK_CONDITION = 0x02;

/** The opcodes this target answers, by their SPC/SBC names. */
export const SCSI_OPCODES: Readonly<Record<string, number>> = Object.freeze({
  'TEST UNIT READY': 0x00,
  'REQUEST SENSE': 0x03,
  INQUIRY: 0x12,
  'MODE SENSE(6)': 0x1a,
  'READ CAPACITY(10)': 0x25,
  'READ(10)': 0x28,
  'WRITE(10)': 0x2a,
  'SYNCHRONIZE CACHE(10)': 0x35,
});

/** Sense key names, SPC-4 table 48 (0xC is obsolete). */
export const SENSE_KEY_NAMES = [
  'NO SENSE', 'RECOVERED ERROR', 'NOT READY', 'MEDIUM ERROR', 'HARDWARE ERROR', 'ILLEGAL REQUEST', 'UNIT ATTENTION', 'DATA PROTECT',
  'BLANK CHECK', 'VENDOR SPECIFIC', 'COPY ABORTED', 'ABORTED COMMAND', 'OBSOLETE', 'VOLUME OVERFLOW', 'MISCOMPARE', 'COMPLETED',
];

/** Bytes of fixed-format sense data: 8 + additional sense length 10. */
export const FIXED_SENSE_BYTES = 18;
/** Bytes of standard INQUIRY data: 5 + additional length 31. */
export const STANDARD_INQUIRY_BYTES = 36;
/** The largest value READ CAPACITY(10) can return; it also means "use READ CAPACITY(16)". */
export const MAX_LBA_10 = 0xffffffff;

function asciiText(data: Uint8Array, start: number, width: number): string {
  return String.fromCharCode(...data.subarray(start, start + width)).replace(/[ \0]+$/, '');
}

export function be32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

export function be16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${name} ${value} does not fit its CDB field (0..${max})`);
}

/** A 10-byte CDB with an LBA (bytes 2–5) and a 16-bit length (bytes 7–8). */
function cdb10(opcode: number, lba: number, length: number): Uint8Array {
  checkField('LBA', lba, MAX_LBA_10);
  checkField('transfer length', length, 0xffff);
  const c = new Uint8Array(10);
  c[0] = opcode;
  new DataView(c.buffer).setUint32(2, lba);
  new DataView(c.buffer).setUint16(7, length);
  return c;
}

/** READ(10): `blocks` 512-byte blocks from `lba`. */
export function cdbRead10(lba: number, blocks: number): Uint8Array {
  return cdb10(SCSI_OPCODES['READ(10)'], lba, blocks);
}

/** WRITE(10): `blocks` 512-byte blocks at `lba`; the data goes as `dataOut`. */
export function cdbWrite10(lba: number, blocks: number): Uint8Array {
  return cdb10(SCSI_OPCODES['WRITE(10)'], lba, blocks);
}

/** INQUIRY for the standard data; the allocation length (bytes 3–4) caps what comes back. */
export function cdbInquiry(allocationLength = STANDARD_INQUIRY_BYTES): Uint8Array {
  checkField('allocation length', allocationLength, 0xffff);
  return new Uint8Array([SCSI_OPCODES.INQUIRY, 0, 0, allocationLength >> 8, allocationLength & 0xff, 0]);
}

export function cdbReadCapacity10(): Uint8Array {
  return cdb10(SCSI_OPCODES['READ CAPACITY(10)'], 0, 0);
}

export function cdbTestUnitReady(): Uint8Array {
  return new Uint8Array(6);
}

/** SYNCHRONIZE CACHE(10) of the whole medium (LBA 0, 0 blocks). */
export function cdbSynchronizeCache10(): Uint8Array {
  return cdb10(SCSI_OPCODES['SYNCHRONIZE CACHE(10)'], 0, 0);
}

/** REQUEST SENSE in fixed format (DESC 0), up to `allocationLength` bytes (byte 4). */
export function cdbRequestSense(allocationLength = FIXED_SENSE_BYTES): Uint8Array {
  checkField('allocation length', allocationLength, 0xff);
  return new Uint8Array([SCSI_OPCODES['REQUEST SENSE'], 0, 0, 0, allocationLength, 0]);
}

/** MODE SENSE(6) of current values of `pageCode` (3Fh: all pages), up to `allocationLength` bytes. */
export function cdbModeSense6(pageCode = 0x3f, allocationLength = 0xff): Uint8Array {
  checkField('page code', pageCode, 0x3f);
  checkField('allocation length', allocationLength, 0xff);
  return new Uint8Array([SCSI_OPCODES['MODE SENSE(6)'], 0, pageCode, 0, allocationLength, 0]);
}

/** Decodes standard INQUIRY data; throws RangeError if it is shorter than the 36 standard bytes. */
export function parseInquiry(data: Uint8Array): { peripheralType: number; vendor: string; product: string; revision: string; version: number } {
  if (data.length < STANDARD_INQUIRY_BYTES) throw new RangeError(`INQUIRY data is ${data.length} bytes; the standard data is ${STANDARD_INQUIRY_BYTES}`);
  return {
    peripheralType: data[0] & 0x1f,
    vendor: asciiText(data, 8, 8),
    product: asciiText(data, 16, 16),
    revision: asciiText(data, 32, 4),
    version: data[2],
  };
}

/** Decodes READ CAPACITY(10) data; throws RangeError if it is shorter than 8 bytes. */
export function parseReadCapacity10(data: Uint8Array): { lastLba: number; blockSize: number } {
  if (data.length < 8) throw new RangeError(`READ CAPACITY(10) data is ${data.length} bytes; it is 8`);
  return { lastLba: be32(data, 0), blockSize: be32(data, 4) };
}

/** Decodes sense data, fixed (70h/71h) or descriptor (72h/73h) format; empty sense is NO SENSE. */
export function parseSense(sense: Uint8Array): { key: number; asc: number; ascq: number; keyName: string } {
  const format = sense.length > 0 ? sense[0] & 0x7f : 0x70;
  const descriptor = format === 0x72 || format === 0x73;
  const key = sense.length === 0 ? 0 : (descriptor ? sense[1] : sense[2]) & 0x0f;
  const asc = (descriptor ? sense[2] : sense[12]) ?? 0;
  const ascq = (descriptor ? sense[3] : sense[13]) ?? 0;
  return { key, asc, ascq, keyName: SENSE_KEY_NAMES[key] };
}
