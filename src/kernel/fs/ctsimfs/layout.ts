/**
 * ctsimfs's bytes on a disk: a superblock in block 0, data blocks of regular files,
 * and an inode table — every inode with its directory entries, extents or symlink
 * target — stored in blocks of its own. All integers little-endian; times and sizes
 * are IEEE 754 doubles (what the kernel holds them as); names and targets UTF-8.
 *
 * ```
 *  block 0   superblock (4096 B)
 *    0    magic "CTSIMFS\0"                8 B
 *    8    version = 1                      u32
 *    12   block size = 4096                u32
 *    16   blocks in the file system        u32
 *    20   generation (commits so far)      u32
 *    24   root inode number (2)            u32
 *    28   next inode number to hand out    u32
 *    32   inodes in the table              u32
 *    36   inode table bytes                u32
 *    40   inode table checksum (FNV-1a)    u32
 *    44   inode table extents (n ≤ 496)    u32
 *    48   volume label, NUL-padded         16 B
 *    64   made at (CLOCK_REALTIME ns)      f64
 *    72   last written at                  f64
 *    80   superblock checksum (FNV-1a of   u32
 *         bytes 0..128+8n with this field 0)
 *    128  table extents: n × (first block u32, blocks u32)
 *
 *  inode table (its extents' blocks in order, `inode table bytes` long): one record per inode
 *    0    ino u32   4 mode u32   8 uid u32   12 gid u32   16 rdev u32   20 nlink u32
 *    24   size f64   32 atime f64   40 mtime f64   48 ctime f64
 *    56   n u32, then by type:
 *           directory  n entries: ino u32, name length u16, name   ("." and ".." not stored)
 *           regular    n extents: first block u32, blocks u32       (the data, in order)
 *           symlink    n bytes of target
 *           other      n = 0 (FIFOs, sockets, device nodes: mode and rdev say it all)
 * ```
 *
 * The layout is copy-on-write, as btrfs's is: a commit writes changed files' data and
 * a new inode table into free blocks, then the superblock that points at them, so the
 * superblock's write is the instant the new tree replaces the old one; the blocks the
 * old tree used become free only after it.
 *
 * Simplification: no journal, bitmaps, block groups, xattrs, quotas or holes; an
 * inode's data is rewritten whole when it changes; the free space is not stored but
 * computed at mount from what the table uses.
 */

/** The first 8 bytes of a ctsimfs superblock: "CTSIMFS\0". */
export const CTSIMFS_MAGIC: Readonly<Uint8Array> = new Uint8Array([0x43, 0x54, 0x53, 0x49, 0x4d, 0x46, 0x53, 0x00]);
export const CTSIMFS_VERSION = 1;
/** Bytes per file-system block (ext4's usual size; the page size). */
export const BLOCK_BYTES = 4096;
/** The root directory's inode number (ext4's EXT4_ROOT_INO). */
export const ROOT_INO = 2;
/** Bytes of the superblock before its table extents. */
const SB_HEADER = 128;
/** Table extents that fit in block 0 after the header. */
export const MAX_TABLE_EXTENTS = (BLOCK_BYTES - SB_HEADER) / 8;
const LABEL_BYTES = 16;
/** Bytes of an inode record before its payload. */
const RECORD_HEADER = 60;

/** A run of blocks: `count` blocks from block `start`. */
export interface Extent {
  start: number;
  count: number;
}

export interface Superblock {
  blockCount: number;
  generation: number;
  rootIno: number;
  nextIno: number;
  inodeCount: number;
  tableBytes: number;
  tableChecksum: number;
  tableExtents: Extent[];
  label: string;
  madeNs: number;
  writtenNs: number;
}

/** One inode as the table stores it. Exactly one of entries / extents / target is set, by type. */
export interface InodeRecord {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  rdev: number;
  nlink: number;
  size: number;
  atimeNs: number;
  mtimeNs: number;
  ctimeNs: number;
  entries?: { name: string; ino: number }[];
  extents?: Extent[];
  target?: string;
}

/** A device whose block 0 is not a ctsimfs superblock (no magic): it holds no ctsimfs. */
export class NotCtsimfs extends Error {
  override readonly name = 'NotCtsimfs';
}

/** A ctsimfs whose superblock or inode table does not hold together; the message is one line. */
export class CtsimfsDamaged extends Error {
  override readonly name = 'CtsimfsDamaged';
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFLNK = 0o120000;

export const isDirMode = (mode: number): boolean => (mode & S_IFMT) === S_IFDIR;
export const isRegMode = (mode: number): boolean => (mode & S_IFMT) === S_IFREG;
export const isLinkMode = (mode: number): boolean => (mode & S_IFMT) === S_IFLNK;

/** FNV-1a, 32 bits: a checksum that catches damage (not an attacker). */
export function fnv1a(bytes: Uint8Array, hash = 0x811c9dc5): number {
  let h = hash;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h;
}

/** Whether `block0` starts with ctsimfs's magic (what blkid and `file -s` look at). */
export function hasCtsimfsMagic(block0: Uint8Array): boolean {
  return block0.length >= CTSIMFS_MAGIC.length && CTSIMFS_MAGIC.every((b, i) => block0[i] === b);
}

export function encodeSuperblock(sb: Superblock): Uint8Array {
  if (sb.tableExtents.length > MAX_TABLE_EXTENTS) throw new RangeError(`${sb.tableExtents.length} table extents; at most ${MAX_TABLE_EXTENTS}`);
  const b = new Uint8Array(BLOCK_BYTES);
  const v = new DataView(b.buffer);
  b.set(CTSIMFS_MAGIC, 0);
  v.setUint32(8, CTSIMFS_VERSION, true);
  v.setUint32(12, BLOCK_BYTES, true);
  v.setUint32(16, sb.blockCount, true);
  v.setUint32(20, sb.generation, true);
  v.setUint32(24, sb.rootIno, true);
  v.setUint32(28, sb.nextIno, true);
  v.setUint32(32, sb.inodeCount, true);
  v.setUint32(36, sb.tableBytes, true);
  v.setUint32(40, sb.tableChecksum, true);
  v.setUint32(44, sb.tableExtents.length, true);
  b.set(new TextEncoder().encode(sb.label).subarray(0, LABEL_BYTES - 1), 48);
  v.setFloat64(64, sb.madeNs, true);
  v.setFloat64(72, sb.writtenNs, true);
  sb.tableExtents.forEach((e, i) => {
    v.setUint32(SB_HEADER + 8 * i, e.start, true);
    v.setUint32(SB_HEADER + 8 * i + 4, e.count, true);
  });
  v.setUint32(80, fnv1a(b.subarray(0, SB_HEADER + 8 * sb.tableExtents.length)), true);
  return b;
}

/**
 * Reads a superblock from block 0 of a device of `deviceBlocks` blocks. Throws
 * NotCtsimfs without the magic, CtsimfsDamaged when its fields do not hold together.
 */
export function decodeSuperblock(b: Uint8Array, deviceBlocks: number): Superblock {
  if (!hasCtsimfsMagic(b)) throw new NotCtsimfs('block 0 does not start with the ctsimfs magic "CTSIMFS"');
  const damaged = (why: string): CtsimfsDamaged => new CtsimfsDamaged(`the superblock is damaged: ${why}`);
  if (b.length < BLOCK_BYTES) throw damaged(`it is ${b.length} bytes, not ${BLOCK_BYTES}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const version = v.getUint32(8, true);
  if (version !== CTSIMFS_VERSION) throw new CtsimfsDamaged(`ctsimfs version ${version}; this kernel reads version ${CTSIMFS_VERSION}`);
  const blockBytes = v.getUint32(12, true);
  if (blockBytes !== BLOCK_BYTES) throw damaged(`block size ${blockBytes}, expected ${BLOCK_BYTES}`);
  const n = v.getUint32(44, true);
  if (n > MAX_TABLE_EXTENTS) throw damaged(`${n} inode table extents; at most ${MAX_TABLE_EXTENTS}`);
  const copy = b.slice(0, SB_HEADER + 8 * n);
  new DataView(copy.buffer).setUint32(80, 0, true);
  if (fnv1a(copy) !== v.getUint32(80, true)) throw damaged('its checksum does not match');
  const sb: Superblock = {
    blockCount: v.getUint32(16, true),
    generation: v.getUint32(20, true),
    rootIno: v.getUint32(24, true),
    nextIno: v.getUint32(28, true),
    inodeCount: v.getUint32(32, true),
    tableBytes: v.getUint32(36, true),
    tableChecksum: v.getUint32(40, true),
    tableExtents: [],
    label: new TextDecoder().decode(b.subarray(48, 48 + LABEL_BYTES)).replace(/\0.*$/s, ''),
    madeNs: v.getFloat64(64, true),
    writtenNs: v.getFloat64(72, true),
  };
  if (sb.blockCount > deviceBlocks) throw damaged(`the file system is ${sb.blockCount} blocks, the device only ${deviceBlocks}`);
  let capacity = 0;
  for (let i = 0; i < n; i++) {
    const e = { start: v.getUint32(SB_HEADER + 8 * i, true), count: v.getUint32(SB_HEADER + 8 * i + 4, true) };
    if (e.start < 1 || e.count < 1 || e.start + e.count > sb.blockCount) throw damaged(`inode table extent ${i} (${e.count} blocks at ${e.start}) is not inside blocks 1..${sb.blockCount - 1}`);
    sb.tableExtents.push(e);
    capacity += e.count * BLOCK_BYTES;
  }
  if (sb.tableBytes > capacity) throw damaged(`the inode table is ${sb.tableBytes} bytes but its extents hold ${capacity}`);
  return sb;
}

/** Serializes the inode table (records in the order given). */
export function encodeTable(records: readonly InodeRecord[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const r of records) {
    const names = r.entries?.map((e) => enc.encode(e.name)) ?? [];
    const target = r.target !== undefined ? enc.encode(r.target) : null;
    const payload = r.entries ? names.reduce((a, nm) => a + 6 + nm.length, 0) : r.extents ? 8 * r.extents.length : (target?.length ?? 0);
    const rec = new Uint8Array(RECORD_HEADER + payload);
    const v = new DataView(rec.buffer);
    [r.ino, r.mode, r.uid, r.gid, r.rdev, r.nlink].forEach((x, i) => v.setUint32(4 * i, x, true));
    [r.size, r.atimeNs, r.mtimeNs, r.ctimeNs].forEach((x, i) => v.setFloat64(24 + 8 * i, x, true));
    let at = RECORD_HEADER;
    if (r.entries) {
      v.setUint32(56, r.entries.length, true);
      r.entries.forEach((e, i) => {
        v.setUint32(at, e.ino, true);
        v.setUint16(at + 4, names[i].length, true);
        rec.set(names[i], at + 6);
        at += 6 + names[i].length;
      });
    } else if (r.extents) {
      v.setUint32(56, r.extents.length, true);
      for (const e of r.extents) {
        v.setUint32(at, e.start, true);
        v.setUint32(at + 4, e.count, true);
        at += 8;
      }
    } else if (target) {
      v.setUint32(56, target.length, true);
      rec.set(target, at);
    }
    parts.push(rec);
    total += rec.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Parses and checks an inode table (fsck's questions): records whole, inode numbers
 * unique and below nextIno, the root a directory, every entry naming an inode, every
 * inode reached from the root (directories once), link counts right, and extents
 * inside the file system, big enough for the data and not shared. Throws CtsimfsDamaged.
 */
export function decodeTable(bytes: Uint8Array, sb: Superblock): InodeRecord[] {
  const damaged = (why: string): CtsimfsDamaged => new CtsimfsDamaged(`the inode table is damaged: ${why}`);
  if (fnv1a(bytes) !== sb.tableChecksum) throw damaged('its checksum does not match the superblock');
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dec = new TextDecoder('utf-8', { fatal: true });
  const records: InodeRecord[] = [];
  const byIno = new Map<number, InodeRecord>();
  for (let at = 0; at < bytes.length; ) {
    if (at + RECORD_HEADER > bytes.length) throw damaged(`a record at byte ${at} runs past the table's end`);
    const u = (i: number): number => v.getUint32(at + 4 * i, true);
    const d = (i: number): number => v.getFloat64(at + 24 + 8 * i, true);
    const r: InodeRecord = { ino: u(0), mode: u(1), uid: u(2), gid: u(3), rdev: u(4), nlink: u(5), size: d(0), atimeNs: d(1), mtimeNs: d(2), ctimeNs: d(3) };
    const n = v.getUint32(at + 56, true);
    at += RECORD_HEADER;
    const need = (len: number): void => {
      if (at + len > bytes.length) throw damaged(`inode ${r.ino}'s record runs past the table's end`);
    };
    if (isDirMode(r.mode)) {
      r.entries = [];
      for (let i = 0; i < n; i++) {
        need(6);
        const ino = v.getUint32(at, true);
        const len = v.getUint16(at + 4, true);
        need(6 + len);
        let name: string;
        try {
          name = dec.decode(bytes.subarray(at + 6, at + 6 + len));
        } catch {
          throw damaged(`an entry of directory inode ${r.ino} is not UTF-8`);
        }
        if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw damaged(`directory inode ${r.ino} has an entry named ${JSON.stringify(name)}`);
        r.entries.push({ name, ino });
        at += 6 + len;
      }
    } else if (isRegMode(r.mode)) {
      need(8 * n);
      r.extents = [];
      for (let i = 0; i < n; i++, at += 8) r.extents.push({ start: v.getUint32(at, true), count: v.getUint32(at + 4, true) });
    } else if (isLinkMode(r.mode)) {
      need(n);
      try {
        r.target = dec.decode(bytes.subarray(at, at + n));
      } catch {
        throw damaged(`the target of symlink inode ${r.ino} is not UTF-8`);
      }
      at += n;
    } else if (n !== 0) {
      throw damaged(`inode ${r.ino} (mode ${r.mode.toString(8)}) has a payload of ${n}`);
    }
    if (!Number.isSafeInteger(r.size) || r.size < 0) throw damaged(`inode ${r.ino} has size ${r.size}`);
    if (r.ino === 0 || r.ino >= sb.nextIno) throw damaged(`inode number ${r.ino} is not in 1..${sb.nextIno - 1}`);
    if (byIno.has(r.ino)) throw damaged(`inode ${r.ino} appears twice`);
    byIno.set(r.ino, r);
    records.push(r);
  }
  if (records.length !== sb.inodeCount) throw damaged(`it holds ${records.length} inodes; the superblock says ${sb.inodeCount}`);
  checkTree(byIno, sb, damaged);
  return records;
}

function checkTree(byIno: Map<number, InodeRecord>, sb: Superblock, damaged: (why: string) => CtsimfsDamaged): void {
  const root = byIno.get(sb.rootIno);
  if (!root || !isDirMode(root.mode)) throw damaged(`the root inode ${sb.rootIno} is missing or not a directory`);
  const links = new Map<number, number>([[root.ino, 1]]);
  const queue = [root];
  while (queue.length > 0) {
    const dir = queue.shift()!;
    const seen = new Set<string>();
    for (const e of dir.entries!) {
      if (seen.has(e.name)) throw damaged(`directory inode ${dir.ino} has two entries named ${JSON.stringify(e.name)}`);
      seen.add(e.name);
      const child = byIno.get(e.ino);
      if (!child) throw damaged(`entry ${JSON.stringify(e.name)} of directory inode ${dir.ino} names inode ${e.ino}, which is not in the table`);
      const count = (links.get(e.ino) ?? 0) + 1;
      if (isDirMode(child.mode) && count > 1) throw damaged(`directory inode ${e.ino} is reached twice`);
      links.set(e.ino, count);
      if (count === 1 && isDirMode(child.mode)) queue.push(child);
    }
  }
  // The blocks each extent claims: block 0 is the superblock's, the table's are its own.
  const owner = new Map<number, string>();
  const claim = (e: Extent, who: string): void => {
    if (e.count < 1 || e.start < 1 || e.start + e.count > sb.blockCount) throw damaged(`${who} has an extent (${e.count} blocks at ${e.start}) outside blocks 1..${sb.blockCount - 1}`);
    for (let b = e.start; b < e.start + e.count; b++) {
      const prev = owner.get(b);
      if (prev !== undefined) throw damaged(`block ${b} belongs to both ${prev} and ${who}`);
      owner.set(b, who);
    }
  };
  sb.tableExtents.forEach((e) => claim(e, 'the inode table'));
  for (const r of byIno.values()) {
    const n = links.get(r.ino);
    if (n === undefined) throw damaged(`inode ${r.ino} is in no directory`);
    if (!isDirMode(r.mode) && r.nlink !== n) throw damaged(`inode ${r.ino} has link count ${r.nlink} but ${n} entries`);
    if (!r.extents) continue;
    const blocks = r.extents.reduce((a, e) => a + e.count, 0);
    if (blocks !== Math.ceil(r.size / BLOCK_BYTES)) throw damaged(`inode ${r.ino} is ${r.size} bytes in ${blocks} blocks`);
    for (const e of r.extents) claim(e, `inode ${r.ino}`);
  }
}
