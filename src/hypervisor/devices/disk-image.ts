/**
 * Virtual disk images: the one host file that holds a VM's disk, as QEMU's block
 * layer keeps it (`qemu-img create -f raw|qcow2`), in one of two formats.
 *
 *  - **raw** — the file's bytes are the disk's bytes: sector `n` is at file offset
 *    `n * 512`. Nothing to parse, nothing to get wrong; unwritten sectors cost the
 *    host nothing if the file system keeps the file sparse.
 *  - **cow** ("ctsim cow") — copy-on-write over an optional *backing image*, in the
 *    spirit of qcow2: the disk is cut into 64 KiB clusters; a cluster the guest never
 *    wrote is read from the backing image (or is zeros without one); the first write
 *    to a cluster appends a private copy to this file and points the cluster table at
 *    it. The backing image is never written, so many VMs can share one base image.
 *
 * A ctsim cow file (all integers little-endian):
 *
 * ```
 *   0        +---------------------------------+
 *            | magic "CTSMCOW\x01"         8 B |
 *   8        | version = 1                u32  |
 *   12       | cluster size in bytes      u32  |
 *   16       | virtual size in bytes      u64  |
 *   24       | cluster table offset       u64  |
 *   32       | cluster table entries      u32  |
 *   36       | backing path length        u32  |  0 = no backing image
 *   40       | backing path (UTF-8)            |
 *   table    +---------------------------------+  512-aligned
 *            | one u64 per virtual cluster:    |
 *            | 0 = not here, else the file     |
 *            | offset of its data cluster      |
 *            +---------------------------------+
 *            | data clusters, cluster-aligned, |
 *            | appended in first-write order   |
 *            +---------------------------------+
 * ```
 *
 * Simplification: this is NOT qcow2's byte layout. qcow2 is big-endian, has a
 * two-level table (L1 → L2), reference counts (for internal snapshots and
 * discard), compression, encryption and extensions; ctsim cow has one flat table,
 * no refcounts (a cluster belongs to exactly one table entry), no snapshots and no
 * way to free a cluster. What it keeps is what a lesson needs: the magic, the
 * header, the table, allocation on first write and reads through to the backing.
 */

import { SECTOR, type DiskMedium } from '../../hw/scsi-disk.js';

/** Bytes of one file, synchronously (the caller backs it with a file of the simulated host). */
export interface ByteFile {
  size(): number;
  /** `length` bytes from `offset`; zeros past the end. */
  read(offset: number, length: number): Uint8Array;
  /** Stores `bytes` at `offset`; grows the file as needed. */
  write(offset: number, bytes: Uint8Array): void;
  /** Sets the size: cuts the file, or extends it with zeros, like ftruncate(2). */
  truncate(size: number): void;
}

export type ImageFormat = 'raw' | 'cow';

/** A disk image: the medium of a VM's SCSI disk (src/hw/scsi-disk.ts), stored in one host file. */
export interface DiskImage extends DiskMedium {
  readonly format: ImageFormat;
  /** The virtual disk's size in bytes (a multiple of 512). */
  readonly virtualSize: number;
  /** Makes earlier writes durable (a no-op for these formats beyond flushing metadata; keep the hook). */
  flush(): void;
  /** Host bytes the image file uses (for `qemu-img info`-like reports). */
  fileSize(): number;
  /** The backing image's path, for cow; null for raw. */
  readonly backingPath: string | null;
}

/** A cow image whose header or table does not hold together; the message is one line. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
}

// The sector, the unit the guest addresses (512 bytes), is the SCSI disk's logical block.
export { SECTOR };
/** The cow cluster size in bytes: the unit of allocation and copy-on-write (qcow2's default). */
export const COW_CLUSTER_SIZE = 64 * 1024;
/** The first 8 bytes of every ctsim cow file. */
export const COW_MAGIC: Readonly<Uint8Array> = new Uint8Array([0x43, 0x54, 0x53, 0x4d, 0x43, 0x4f, 0x57, 0x01]);
/** The one cow version this code reads and writes. */
export const COW_VERSION = 1;

/** Bytes of the fixed part of the cow header (before the backing path). */
const HEADER_BYTES = 40;
/** The longest backing path accepted, in bytes (Linux's PATH_MAX). */
const MAX_BACKING_PATH = 4096;
/** Bytes of one cluster table entry. */
const ENTRY_BYTES = 8;

/** Creates a new image in `file` (truncating it). For cow, `backing` is the opened backing image and `backingPath` the path to record. */
export function createImage(file: ByteFile, format: ImageFormat, virtualSize: number, backing?: { image: DiskImage; path: string }): DiskImage {
  if (!Number.isSafeInteger(virtualSize) || virtualSize < 0) throw new RangeError(`virtual size ${virtualSize} is not a byte count`);
  // As qemu-img does, a size that is not whole sectors is rounded up to whole sectors.
  const size = roundUp(virtualSize, SECTOR);
  if (format === 'raw') {
    if (backing) throw new ImageError('a raw image cannot have a backing file (use format cow)');
    file.truncate(0);
    file.truncate(size);
    return new RawImage(file, size);
  }
  const path = backing ? backing.path : '';
  if (backing && path === '') throw new ImageError('the backing file path is empty');
  const pathBytes = new TextEncoder().encode(path);
  if (pathBytes.length > MAX_BACKING_PATH) throw new ImageError(`the backing file path is ${pathBytes.length} bytes; at most ${MAX_BACKING_PATH}`);
  const entries = Math.ceil(size / COW_CLUSTER_SIZE);
  if (entries > 0xffffffff) throw new RangeError(`virtual size ${size} needs more than 2^32 clusters`);
  const tableOffset = roundUp(HEADER_BYTES + pathBytes.length, SECTOR);
  const header = new Uint8Array(HEADER_BYTES + pathBytes.length);
  const view = new DataView(header.buffer);
  header.set(COW_MAGIC, 0);
  view.setUint32(8, COW_VERSION, true);
  view.setUint32(12, COW_CLUSTER_SIZE, true);
  setU64(view, 16, size);
  setU64(view, 24, tableOffset);
  view.setUint32(32, entries, true);
  view.setUint32(36, pathBytes.length, true);
  header.set(pathBytes, HEADER_BYTES);
  file.truncate(0);
  file.write(0, header);
  // An all-zero table (nothing allocated) by extending the file: sparse where the file allows.
  file.truncate(tableOffset + entries * ENTRY_BYTES);
  return new CowImage(file, size, COW_CLUSTER_SIZE, tableOffset, new Float64Array(entries), backing ? path : null, backing ? backing.image : null);
}

/**
 * Opens an existing image: detects the format from the file's first bytes (cow has a magic; anything else is raw), and for cow asks `openBacking(path)` for the backing image. Throws ImageError with a one-line reason for a damaged cow image.
 *
 * Format probing has a known hazard: a guest that writes the cow magic into the first
 * sector of its raw disk makes the next open read its disk as cow, with a backing
 * path of the guest's choosing (QEMU's CVE-2008-2004; QEMU now warns unless the format
 * is given). Callers that know the format should check `format` on the result.
 */
export function openImage(file: ByteFile, openBacking: (path: string) => DiskImage): DiskImage {
  if (file.size() >= COW_MAGIC.length && sameBytes(readExact(file, 0, COW_MAGIC.length), COW_MAGIC)) return openCow(file, openBacking);
  // Simplification: a trailing partial sector of a raw file is not part of the disk.
  return new RawImage(file, Math.floor(file.size() / SECTOR) * SECTOR);
}

/** What `qemu-img info` shows, as lines: "image: …" is the caller's; you return format, virtual size, disk size, cluster size, backing file. */
export function imageInfo(img: DiskImage): { format: string; virtualSize: number; diskSize: number; clusterSize: number | null; backingFile: string | null } {
  const clusterSize = img instanceof CowImage ? img.clusterSize : img.format === 'cow' ? COW_CLUSTER_SIZE : null;
  return { format: img.format, virtualSize: img.virtualSize, diskSize: img.fileSize(), clusterSize, backingFile: img.backingPath };
}

/** A raw image: disk byte `b` is file byte `b`. */
class RawImage implements DiskImage {
  readonly format = 'raw';
  readonly backingPath = null;

  /** Invariant: `virtualSize` is a multiple of SECTOR; the file may be shorter (sparse tail). */
  constructor(private readonly file: ByteFile, readonly virtualSize: number) {}

  readSectors(lba: number, count: number): Uint8Array {
    checkSectors(this.virtualSize, lba, count);
    return readExact(this.file, lba * SECTOR, count * SECTOR);
  }

  writeSectors(lba: number, data: Uint8Array): void {
    checkSectors(this.virtualSize, lba, sectorCount(data));
    if (data.length > 0) this.file.write(lba * SECTOR, data);
  }

  /** Nothing is cached here: every write went straight to the file. */
  flush(): void {}

  /** Simplification: the file's length, not the blocks it occupies (a ByteFile cannot tell holes). */
  fileSize(): number {
    return this.file.size();
  }
}

/** A ctsim cow image: clusters of this file over an optional backing image. */
class CowImage implements DiskImage {
  readonly format = 'cow';

  constructor(
    private readonly file: ByteFile,
    readonly virtualSize: number,
    /** Bytes per cluster: a power of two from 512 to 2 MiB. */
    readonly clusterSize: number,
    /** File offset of the cluster table. */
    private readonly tableOffset: number,
    /**
     * The cluster table, mirrored from the file: entry `c` is 0 (the cluster is not
     * here) or the file offset of cluster `c`'s data.
     * Invariant: each non-zero entry is cluster-aligned, the whole cluster lies after
     * the table and inside the file, and no two entries share a cluster.
     */
    private readonly table: Float64Array,
    readonly backingPath: string | null,
    /** Where unallocated clusters read from; never written. Null: they read as zeros. */
    private readonly backing: DiskImage | null,
  ) {}

  readSectors(lba: number, count: number): Uint8Array {
    checkSectors(this.virtualSize, lba, count);
    const out = new Uint8Array(count * SECTOR);
    const start = lba * SECTOR;
    this.eachCluster(start, out.length, (cluster, within, at, length) => {
      const offset = this.table[cluster];
      if (offset !== 0) out.set(readExact(this.file, offset + within, length), at - start);
      else this.readBelow(at, length, out, at - start);
    });
    return out;
  }

  writeSectors(lba: number, data: Uint8Array): void {
    checkSectors(this.virtualSize, lba, sectorCount(data));
    const start = lba * SECTOR;
    this.eachCluster(start, data.length, (cluster, within, at, length) => {
      const chunk = data.subarray(at - start, at - start + length);
      const offset = this.table[cluster];
      if (offset !== 0) this.file.write(offset + within, chunk);
      else this.allocate(cluster, within, chunk);
    });
  }

  /** The table is written through on each allocation, so there is nothing left to flush. */
  flush(): void {}

  fileSize(): number {
    return this.file.size();
  }

  /**
   * Copy-on-write: gives cluster `cluster` its own data cluster at the end of the file,
   * holding what the disk held there (from the backing image, or zeros) with `chunk`
   * written at `within`. The data is written before the table entry that points at it,
   * so a crash between the two leaks a cluster but never exposes garbage (qcow2 orders
   * its writes the same way).
   */
  private allocate(cluster: number, within: number, chunk: Uint8Array): void {
    const size = this.clusterSize;
    const data = new Uint8Array(size);
    const clusterStart = cluster * size;
    if (chunk.length < size) this.readBelow(clusterStart, Math.min(size, this.virtualSize - clusterStart), data, 0);
    data.set(chunk, within);
    const offset = roundUp(this.file.size(), size);
    this.file.write(offset, data);
    this.table[cluster] = offset;
    const entry = new Uint8Array(ENTRY_BYTES);
    setU64(new DataView(entry.buffer), 0, offset);
    this.file.write(this.tableOffset + cluster * ENTRY_BYTES, entry);
  }

  /**
   * Fills `out` at `outAt` with `length` disk bytes from `at` as the backing image has
   * them; bytes past the backing image's end (an overlay may be larger) are zeros.
   * Precondition: `at` and `length` are whole sectors; `out` is zeroed there.
   */
  private readBelow(at: number, length: number, out: Uint8Array, outAt: number): void {
    if (!this.backing) return;
    const end = Math.min(at + length, this.backing.virtualSize);
    if (end <= at) return;
    out.set(this.backing.readSectors(at / SECTOR, (end - at) / SECTOR), outAt);
  }

  /** Splits the disk bytes [start, start + length) at cluster boundaries. */
  private eachCluster(start: number, length: number, visit: (cluster: number, within: number, at: number, length: number) => void): void {
    const size = this.clusterSize;
    for (let at = start; at < start + length; ) {
      const cluster = Math.floor(at / size);
      const within = at - cluster * size;
      const n = Math.min(size - within, start + length - at);
      visit(cluster, within, at, n);
      at += n;
    }
  }
}

/** Parses and checks a cow header and table (the magic has matched). */
function openCow(file: ByteFile, openBacking: (path: string) => DiskImage): DiskImage {
  const fileBytes = file.size();
  const damaged = (why: string): ImageError => new ImageError(`ctsim cow image is damaged: ${why}`);
  if (fileBytes < HEADER_BYTES) throw damaged(`the file is ${fileBytes} bytes, shorter than the ${HEADER_BYTES}-byte header`);
  const view = new DataView(readExact(file, 0, HEADER_BYTES).slice().buffer);
  const version = view.getUint32(8, true);
  if (version !== COW_VERSION) throw damaged(`version ${version}, expected ${COW_VERSION}`);
  const clusterSize = view.getUint32(12, true);
  if (clusterSize < SECTOR || clusterSize > 2 * 1024 * 1024 || (clusterSize & (clusterSize - 1)) !== 0) {
    throw damaged(`cluster size ${clusterSize} is not a power of two from 512 to 2097152`);
  }
  const virtualSize = getU64(view, 16);
  if (!Number.isSafeInteger(virtualSize) || virtualSize % SECTOR !== 0) throw damaged(`virtual size ${virtualSize} is not a whole number of sectors`);
  const tableOffset = getU64(view, 24);
  const entries = view.getUint32(32, true);
  const needed = Math.ceil(virtualSize / clusterSize);
  if (entries !== needed) throw damaged(`the cluster table has ${entries} entries; a ${virtualSize}-byte disk needs ${needed}`);
  const pathBytes = view.getUint32(36, true);
  if (pathBytes > MAX_BACKING_PATH || HEADER_BYTES + pathBytes > fileBytes) throw damaged(`backing path length ${pathBytes} runs past the file or PATH_MAX`);
  let path: string;
  try {
    path = new TextDecoder('utf-8', { fatal: true }).decode(readExact(file, HEADER_BYTES, pathBytes));
  } catch {
    throw damaged('the backing path is not UTF-8');
  }
  const tableEnd = tableOffset + entries * ENTRY_BYTES;
  if (!Number.isSafeInteger(tableEnd) || tableOffset % ENTRY_BYTES !== 0 || tableOffset < HEADER_BYTES + pathBytes || tableEnd > fileBytes) {
    throw damaged(`the cluster table (${entries} entries at offset ${tableOffset}) is not inside the ${fileBytes}-byte file`);
  }
  const raw = new DataView(readExact(file, tableOffset, entries * ENTRY_BYTES).slice().buffer);
  const table = new Float64Array(entries);
  const used = new Set<number>();
  for (let c = 0; c < entries; c++) {
    const offset = getU64(raw, c * ENTRY_BYTES);
    if (offset === 0) continue;
    if (!Number.isSafeInteger(offset) || offset % clusterSize !== 0) throw damaged(`cluster ${c} is at offset ${offset}, not aligned to ${clusterSize}`);
    if (offset < tableEnd || offset + clusterSize > fileBytes) throw damaged(`cluster ${c} at offset ${offset} is not inside the data area [${tableEnd}, ${fileBytes})`);
    if (used.has(offset)) throw damaged(`cluster ${c} at offset ${offset} is also another cluster's`);
    used.add(offset);
    table[c] = offset;
  }
  const backing = pathBytes > 0 ? openBacking(path) : null;
  return new CowImage(file, virtualSize, clusterSize, tableOffset, table, backing ? path : null, backing);
}

/** Throws RangeError unless sectors [lba, lba + count) are inside a disk of `virtualSize` bytes. */
function checkSectors(virtualSize: number, lba: number, count: number): void {
  if (!Number.isSafeInteger(lba) || !Number.isSafeInteger(count) || lba < 0 || count < 0 || (lba + count) * SECTOR > virtualSize) {
    throw new RangeError(`sectors ${lba}..${lba + count - 1} are outside the disk (${virtualSize / SECTOR} sectors)`);
  }
}

/** Sectors in `data`; throws RangeError unless it is whole sectors. */
function sectorCount(data: Uint8Array): number {
  if (data.length % SECTOR !== 0) throw new RangeError(`${data.length} bytes is not a whole number of ${SECTOR}-byte sectors`);
  return data.length / SECTOR;
}

/** `file.read` as a plain Uint8Array of exactly `length` bytes (a Buffer is viewed, a short read padded with zeros). */
function readExact(file: ByteFile, offset: number, length: number): Uint8Array {
  const got = file.read(offset, length);
  if (got.length === length) return got.constructor === Uint8Array ? got : new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const out = new Uint8Array(length);
  out.set(got.subarray(0, length));
  return out;
}

function sameBytes(a: Uint8Array, b: Readonly<Uint8Array>): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function roundUp(n: number, unit: number): number {
  return Math.ceil(n / unit) * unit;
}

/** A little-endian u64 as a number; not a safe integer if the value is 2^53 or more. */
function getU64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * 2 ** 32 + view.getUint32(at, true);
}

/** Precondition: `n` is a safe non-negative integer. */
function setU64(view: DataView, at: number, n: number): void {
  view.setUint32(at, n % 2 ** 32, true);
  view.setUint32(at + 4, Math.floor(n / 2 ** 32), true);
}
