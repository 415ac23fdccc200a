/**
 * The SCSI disk driver (Linux's sd): the machine's SCSI logical units become block
 * devices /dev/sda, /dev/sdb, … (major 8, 16 minors each). Every read and write is
 * turned into SCSI commands — READ(10)/WRITE(10) of 512-byte blocks, at most 128 KiB
 * each — sent through the machine's host adapter; the process sleeps uninterruptibly
 * (state D) until the device completes. At boot each unit is probed with INQUIRY and
 * READ CAPACITY(10), and MODE SENSE(6) for the write-protect bit, as the kernel log shows.
 *
 *   read(fd) ──▶ sd ──CDB──▶ Machine.scsi (a VM: the VMM's device model, answering
 *                                           from a disk image file on the host;
 *                                           a physical host: its SAS HBA and drives)
 *
 * ioctls: BLKGETSIZE64, BLKSSZGET, BLKFLSBUF (SYNCHRONIZE CACHE), and SG_IO, which
 * sends a raw CDB (sg(4); sg3_utils' tools use it). A file system on a disk (the
 * guest's root, ctsimfs) reaches it through `sdBlockIo`, the same commands.
 * Simplification: no page cache for block devices (every read goes to the device),
 * no partitions, no request merging or queue depth (commands of one request run one
 * after the other); SG_IO takes a JavaScript object, not struct sg_io_hdr.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { TaskState } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import { BLOCK, type FileOps, type OpenFile } from '../vfs/file.js';
import type { Bytes } from '../vfs/types.js';
import type { BlockIo, IoDone } from './block-io.js';
import { makedev } from '../vfs/types.js';
import {
  STATUS_GOOD,
  cdbInquiry,
  cdbModeSense6,
  cdbRead10,
  cdbReadCapacity10,
  cdbSynchronizeCache10,
  cdbWrite10,
  parseInquiry,
  parseReadCapacity10,
  parseSense,
  type ScsiCommandResult,
} from '../../hw/scsi.js';

export const SD_MAJOR = 8;
export const SECTOR = 512;
/** Blocks per READ(10)/WRITE(10) command (Linux's default max_sectors_kb is larger; 128 KiB keeps requests countable). */
const MAX_BLOCKS = 256;

export const BLKGETSIZE64 = 0x80081272;
export const BLKSSZGET = 0x1268;
export const BLKFLSBUF = 0x1261;
export const SG_IO = 0x2285;

export interface SdDisk {
  /** sda, sdb, … */
  name: string;
  unit: number;
  blocks: number;
  rdev: number;
  /** The disk is write-protected (MODE SENSE's WP bit): writes fail with EROFS, a file system on it mounts read-only. */
  readOnly: boolean;
}

/** A raw command for SG_IO: the CDB, the direction and (to the device) the data. */
export interface SgIoRequest {
  cdb: number[];
  /** 'none', 'to' (data to the device) or 'from' (data from it). */
  dxfer: 'none' | 'to' | 'from';
  data?: Bytes;
}

export interface SgIoResult {
  status: number;
  /** Sense bytes (latin1) when status is CHECK CONDITION. */
  sense: Bytes;
  data: Bytes;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const bytesOf = (s: Bytes): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** "67.1 MB/64.0 MiB" as sd prints a capacity: three significant digits each (string_get_size). */
export function formatCapacity(bytes: number): string {
  const dec = ['B', 'kB', 'MB', 'GB', 'TB'];
  const bin = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  const fmt = (n: number, base: number, units: string[]): string => {
    let i = 0;
    while (n >= base && i < units.length - 1) {
      n /= base;
      i++;
    }
    return `${n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0)} ${units[i]}`;
  };
  return `${fmt(bytes, 1000, dec)}/${fmt(bytes, 1024, bin)}`;
}

/** Probes the machine's SCSI units at boot (INQUIRY, READ CAPACITY) and registers a block device for each. */
export function probeScsiDisks(k: Kernel): SdDisk[] {
  const host = k.machine.scsi;
  if (!host) return [];
  k.printk(`scsi host0: ${host.banner}`);
  const disks: SdDisk[] = [];
  host.units.forEach((_u, unit) => {
    const inq = host.command(null, unit, cdbInquiry(), undefined, true).result;
    const cap = host.command(null, unit, cdbReadCapacity10(), undefined, true).result;
    if (inq.status !== STATUS_GOOD || cap.status !== STATUS_GOOD) {
      k.printk(`scsi 0:0:${unit}:0: probe failed`);
      return;
    }
    const id = parseInquiry(inq.data);
    const c = parseReadCapacity10(cap.data);
    const name = `sd${String.fromCharCode(97 + disks.length)}`;
    const blocks = c.lastLba + 1;
    k.printk(`scsi 0:0:${unit}:0: Direct-Access     ${id.vendor.padEnd(8)} ${id.product.padEnd(16)} ${id.revision.padEnd(4)} PQ: 0 ANSI: ${id.version}`);
    k.printk(`sd 0:0:${unit}:0: [${name}] ${blocks} ${c.blockSize}-byte logical blocks: (${formatCapacity(blocks * c.blockSize)})`);
    // The mode parameter header's DEVICE-SPECIFIC PARAMETER bit 7 is WP (sd_read_write_protect_flag).
    const mode = host.command(null, unit, cdbModeSense6(0x3f, 4), undefined, true).result;
    const header = mode.status === STATUS_GOOD && mode.data.length >= 4 ? mode.data : null;
    const readOnly = header !== null && (header[2] & 0x80) !== 0;
    if (header) {
      k.printk(`sd 0:0:${unit}:0: [${name}] Write Protect is ${readOnly ? 'on' : 'off'}`);
      k.printk(`sd 0:0:${unit}:0: [${name}] Mode Sense: ${[...header.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(' ')}`);
    }
    k.printk(`sd 0:0:${unit}:0: [${name}] Attached SCSI disk`);
    const d: SdDisk = { name, unit, blocks, rdev: makedev(SD_MAJOR, 16 * disks.length), readOnly };
    disks.push(d);
    k.blkdevs.set(d.rdev, { name, open: () => ({ ops: sdOps, priv: d }) });
  });
  return disks;
}

/** What a request to the device did: its data, what it cost the CPU, how long until it completes, or an error. */
type Done = IoDone;

function failure(r: ScsiCommandResult, what: string): SysError {
  const s = parseSense(r.sense);
  if (s.key === 7) return err('EROFS', `${what}: the disk is write-protected (sense DATA PROTECT)`);
  return err('EIO', `${what}: the device answered CHECK CONDITION, sense ${s.keyName} (ASC 0x${s.asc.toString(16)}, ASCQ 0x${s.ascq.toString(16)})`);
}

/** Runs CDBs one after the other on `d`'s unit, adding up what they cost. */
function run(k: Kernel, d: SdDisk, cmds: { cdb: Uint8Array; out?: Uint8Array }[], what: string): Done {
  const host = k.machine.scsi!;
  const cpu = k.currentCpu?.cpu ?? null;
  const parts: Uint8Array[] = [];
  let cpuNs = 0;
  let latencyNs = 0;
  for (let i = 0; i < cmds.length; i++) {
    const c = host.command(cpu, d.unit, cmds[i].cdb, cmds[i].out, i === 0);
    cpuNs += c.cpuNs;
    latencyNs += c.latencyNs;
    if (c.result.status !== STATUS_GOOD) return { data: new Uint8Array(0), cpuNs, latencyNs, error: failure(c.result, what) };
    parts.push(c.result.data);
  }
  const data = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    data.set(p, o);
    o += p.length;
  }
  return { data, cpuNs, latencyNs, error: null };
}

/**
 * The disk as a file system's block device: each call sends its READ(10)/WRITE(10)
 * (at most 128 KiB each) or SYNCHRONIZE CACHE(10) at once and reports what it cost;
 * the caller sleeps for the latency (or, at boot and in the flusher, does not).
 */
export function sdBlockIo(k: Kernel, d: SdDisk): BlockIo {
  return {
    name: d.name,
    rdev: d.rdev,
    sectors: d.blocks,
    readOnly: d.readOnly,
    read: (lba, count): IoDone => run(k, d, readCmds(lba, count), `reading /dev/${d.name}`),
    write: (lba, data): IoDone => run(k, d, writeCmds(lba, data), `writing /dev/${d.name}`),
    flush: (): IoDone => run(k, d, [{ cdb: cdbSynchronizeCache10() }], `flushing /dev/${d.name}`),
  };
}

/** WRITE(10) commands for `buf` (whole blocks) from block `first`, at most MAX_BLOCKS each. */
function writeCmds(first: number, buf: Uint8Array): { cdb: Uint8Array; out: Uint8Array }[] {
  const cmds: { cdb: Uint8Array; out: Uint8Array }[] = [];
  const last = first + buf.length / SECTOR - 1;
  for (let lba = first; lba <= last; lba += MAX_BLOCKS) {
    const blocks = Math.min(MAX_BLOCKS, last + 1 - lba);
    cmds.push({ cdb: cdbWrite10(lba, blocks), out: buf.subarray((lba - first) * SECTOR, (lba - first + blocks) * SECTOR) });
  }
  return cmds;
}

function readCmds(first: number, count: number): { cdb: Uint8Array }[] {
  const cmds: { cdb: Uint8Array }[] = [];
  for (let lba = first; lba < first + count; lba += MAX_BLOCKS) cmds.push({ cdb: cdbRead10(lba, Math.min(MAX_BLOCKS, first + count - lba)) });
  return cmds;
}

/**
 * Finishes a request: charges its CPU cost and puts the task to sleep (D) until the
 * device completes, keeping the answer for when the call runs again; or, on the second
 * run, hands the answer back. The device starts only once the driver has issued the
 * command (on a VM, after the exit that notifies it), so the wake-up is the issuing
 * cost plus the device's latency after now, not the latency alone.
 */
function complete<T>(k: Kernel, t: Task, answer: () => T, done: Done | null): T | SysError | typeof BLOCK {
  const st = t.syscallState as { sd: true; result: T | SysError } | undefined;
  if (st?.sd) {
    t.syscallState = undefined;
    return st.result;
  }
  const d = done!;
  k.charge(d.cpuNs);
  t.syscallState = { sd: true, result: d.error ?? answer() };
  return k.sleepUntil(t, k.now + d.cpuNs + d.latencyNs, null, TaskState.DiskSleep);
}

function pending(t: Task): boolean {
  return (t.syscallState as { sd?: true } | undefined)?.sd === true;
}

const sdOps: FileOps = {
  read(k, t, f: OpenFile, count: number): Bytes | SysError | typeof BLOCK {
    const d = f.priv as SdDisk;
    const size = d.blocks * SECTOR;
    if (pending(t)) {
      const r = complete<Bytes>(k, t, () => '', null);
      if (typeof r === 'string') f.pos += r.length;
      return r;
    }
    if (f.pos >= size || count <= 0) return '';
    const n = Math.min(count, size - f.pos);
    const first = Math.floor(f.pos / SECTOR);
    const last = Math.floor((f.pos + n - 1) / SECTOR);
    const done = run(k, d, readCmds(first, last - first + 1), `reading /dev/${d.name}`);
    const off = f.pos - first * SECTOR;
    return complete(k, t, () => latin1(done.data.subarray(off, off + n)), done);
  },
  write(k, t, f: OpenFile, data: Bytes): number | SysError | typeof BLOCK {
    const d = f.priv as SdDisk;
    const size = d.blocks * SECTOR;
    if (pending(t)) {
      const r = complete<number>(k, t, () => 0, null);
      if (typeof r === 'number') f.pos += r;
      return r;
    }
    if (data.length === 0) return 0;
    if (f.pos >= size) return err('ENOSPC', `/dev/${d.name} ends at byte ${size}`);
    const n = Math.min(data.length, size - f.pos);
    const first = Math.floor(f.pos / SECTOR);
    const last = Math.floor((f.pos + n - 1) / SECTOR);
    // A write that does not cover whole blocks reads them first (read-modify-write).
    const aligned = f.pos % SECTOR === 0 && (f.pos + n) % SECTOR === 0;
    const pre = aligned ? null : run(k, d, readCmds(first, last - first + 1), `reading /dev/${d.name}`);
    if (pre?.error) return complete(k, t, () => 0, pre);
    const buf = pre ? pre.data : new Uint8Array((last - first + 1) * SECTOR);
    buf.set(bytesOf(data.slice(0, n)), f.pos - first * SECTOR);
    const done = run(k, d, writeCmds(first, buf), `writing /dev/${d.name}`);
    if (pre) {
      done.cpuNs += pre.cpuNs;
      done.latencyNs += pre.latencyNs;
    }
    return complete(k, t, () => n, done);
  },
  seekable(f: OpenFile): number {
    return (f.priv as SdDisk).blocks * SECTOR;
  },
  ioctl(k, t, f: OpenFile, cmd: number, arg: unknown): unknown {
    const d = f.priv as SdDisk;
    if (cmd === BLKGETSIZE64) return d.blocks * SECTOR;
    if (cmd === BLKSSZGET) return SECTOR;
    if (pending(t)) return complete(k, t, () => 0, null);
    if (cmd === BLKFLSBUF) return complete(k, t, () => 0, run(k, d, [{ cdb: cdbSynchronizeCache10() }], `flushing /dev/${d.name}`));
    if (cmd === SG_IO) {
      const a = arg as Partial<SgIoRequest> | undefined;
      if (!a || !Array.isArray(a.cdb) || a.cdb.length < 6 || a.cdb.length > 16 || !['none', 'to', 'from'].includes(a.dxfer ?? '')) {
        return err('EINVAL', 'SG_IO needs {cdb: 6 to 16 bytes, dxfer: none|to|from, data}');
      }
      const c = k.machine.scsi!.command(k.currentCpu?.cpu ?? null, d.unit, new Uint8Array(a.cdb), a.dxfer === 'to' ? bytesOf(a.data ?? '') : undefined, true);
      // SG_IO reports the device's status instead of failing: the caller decodes the sense.
      const result: SgIoResult = { status: c.result.status, sense: latin1(c.result.sense), data: latin1(c.result.data) };
      return complete(k, t, () => result, { data: new Uint8Array(0), cpuNs: c.cpuNs, latencyNs: c.latencyNs, error: null });
    }
    return err('ENOTTY', `ioctl 0x${cmd.toString(16)} is not one /dev/${d.name} answers (BLKGETSIZE64, BLKSSZGET, BLKFLSBUF, SG_IO)`);
  },
};
