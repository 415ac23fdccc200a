/**
 * ctsimfs mounted: the file system on a disk (layout.ts) held in memory as a simfs —
 * which plays the inode and page cache — and written back to the disk through its
 * block device.
 *
 *   mount ──read superblock, inode table, data──▶ CtsimFs (a SimFs: every inode and byte)
 *   write(2), mkdir(2), … ──▶ changed() ──▶ dirty set ──writeback()──▶ new blocks + table,
 *                                                                    then the superblock
 *
 * A commit (`writeback`) writes the data of every file changed since the last one into
 * free blocks, then a new inode table, flushes the device's cache, writes the
 * superblock that points at the new table and flushes again: until the superblock is
 * written the disk holds the old tree whole, after it the new one (copy-on-write).
 * Writeback happens at sync(2)/syncfs(2)/fsync(2), when dirty data has waited
 * dirty_expire_centisecs (fs/writeback.ts), and when the VM shuts down.
 *
 * Simplification: the whole tree is read into memory at mount and a file's data is
 * rewritten whole when it changed (no page-sized writeback, no reads on a cache miss);
 * fsync(2) writes back the whole file system, not one file.
 */
import type { Link, Node } from '@jsonjoy.com/fs-core';
import { err, SysError } from '../../errno.js';
import { lighten, SimFs, type SimVnode } from '../simfs.js';
import { IoCost, type BlockIo } from '../../block/block-io.js';
import { BlockMap } from './block-map.js';
import {
  BLOCK_BYTES,
  CtsimfsDamaged,
  MAX_TABLE_EXTENTS,
  NotCtsimfs,
  decodeSuperblock,
  decodeTable,
  encodeSuperblock,
  encodeTable,
  fnv1a,
  isDirMode,
  isLinkMode,
  isRegMode,
  type Extent,
  type InodeRecord,
  type Superblock,
} from './layout.js';

const SECTORS_PER_BLOCK = BLOCK_BYTES / 512;

/** What the disk holds as of the last commit, and which of its blocks are in use. */
interface DiskState {
  blockCount: number;
  generation: number;
  label: string;
  madeNs: number;
  /** The committed data extents of each regular file. */
  extents: Map<Node, Extent[]>;
  tableExtents: Extent[];
  /** Block 0, the table's blocks and every file's. Between commits: exactly those. */
  used: BlockMap;
}

export class CtsimFs extends SimFs {
  /** Inodes whose data changed since the last commit. */
  private readonly dirtyData = new Set<Node>();
  private dirtyMeta = false;
  /**
   * Called when the file system goes from clean to dirty (the kernel arms the flusher).
   * Invariant: called at most once between two commits.
   */
  onDirty: (() => void) | null = null;

  private constructor(
    readonly io: BlockIo,
    private disk: DiskState,
    nowNs: number,
  ) {
    super({ type: 'ctsimfs', dev: io.rdev, source: `/dev/${io.name}`, nowNs });
  }

  /**
   * Reads the file system on `io` (superblock, inode table, then every file's data in
   * runs of adjacent blocks). Returns it with what the reads cost, or an error: EINVAL
   * when the device holds no ctsimfs, EUCLEAN when it is damaged, EIO when a read failed.
   */
  static mount(io: BlockIo, nowNs: number): { fs: CtsimFs; cost: IoCost } | { error: SysError; cost: IoCost } {
    const cost = new IoCost();
    const deviceBlocks = Math.floor(io.sectors / SECTORS_PER_BLOCK);
    const failed = (e: SysError): { error: SysError; cost: IoCost } => ({ error: e, cost });
    if (deviceBlocks < 2) return failed(err('EINVAL', `${io.name} is too small to hold a ctsimfs (${io.sectors} sectors)`));
    const block0 = io.read(0, SECTORS_PER_BLOCK);
    if (cost.add(block0)) return failed(cost.error!);
    let sb: Superblock;
    let records: InodeRecord[];
    try {
      sb = decodeSuperblock(block0.data, deviceBlocks);
      const table = readExtents(io, sb.tableExtents, cost);
      if (!table) return failed(cost.error!);
      records = decodeTable(table.subarray(0, sb.tableBytes), sb);
    } catch (e) {
      if (e instanceof NotCtsimfs) return failed(err('EINVAL', e.message));
      if (e instanceof CtsimfsDamaged) return failed(err('EUCLEAN', e.message));
      throw e;
    }
    const data = readData(io, records, cost);
    if (!data) return failed(cost.error!);
    const disk: DiskState = { blockCount: sb.blockCount, generation: sb.generation, label: sb.label, madeNs: sb.madeNs, extents: new Map(), tableExtents: sb.tableExtents, used: BlockMap.of(sb.blockCount, [], afterLast(sb.tableExtents)) };
    const fs = new CtsimFs(io, disk, nowNs);
    fs.load(records, sb, data);
    disk.used = usedMap(disk);
    return { fs, cost };
  }

  /**
   * mkfs: writes `tree` (any simfs: the default root tree) onto `io` as a fresh
   * ctsimfs labelled `label`, over whatever the device held. Returns what it cost.
   */
  static format(io: BlockIo, tree: SimFs, label: string, nowNs: number): IoCost {
    const cost = new IoCost();
    const blockCount = Math.floor(io.sectors / SECTORS_PER_BLOCK);
    if (blockCount < 2) {
      cost.error = err('ENOSPC', `${io.name} is too small for a ctsimfs (${io.sectors} sectors)`);
      return cost;
    }
    const disk: DiskState = { blockCount, generation: 0, label, madeNs: nowNs, extents: new Map(), tableExtents: [], used: BlockMap.of(blockCount, []) };
    writeTree(tree, io, disk, () => true, 0, nowNs, cost);
    return cost;
  }

  /** The superblock's counters, for the mount message and blkid. */
  info(): { label: string; generation: number; blocks: number; usedBlocks: number } {
    return { label: this.disk.label, generation: this.disk.generation, blocks: this.disk.blockCount, usedBlocks: this.disk.used.used };
  }

  isDirty(): boolean {
    return this.dirtyMeta || this.dirtyData.size > 0;
  }

  override changed(node: Node | null): void {
    const wasDirty = this.dirtyMeta || this.dirtyData.size > 0;
    if (node) this.dirtyData.add(node);
    else this.dirtyMeta = true;
    if (!wasDirty) this.onDirty?.();
  }

  /**
   * Commits every change since the last commit (see the file comment). Returns what the
   * commands cost; on an error (EROFS, ENOSPC, EIO) the disk still holds the last
   * commit whole and the changes stay dirty for the next try.
   */
  writeback(nowNs: number): IoCost {
    const cost = new IoCost();
    if (!this.isDirty()) return cost;
    if (this.io.readOnly) {
      cost.error = err('EROFS', `/dev/${this.io.name} is write-protected`);
      return cost;
    }
    writeTree(this, this.io, this.disk, (n) => this.dirtyData.has(n), this.nextIno, nowNs, cost);
    if (cost.error === null) {
      this.dirtyData.clear();
      this.dirtyMeta = false;
    }
    return cost;
  }

  /** Builds the tree from the table: directories breadth-first, entries in their stored order. */
  private load(records: InodeRecord[], sb: Superblock, data: Map<number, Uint8Array>): void {
    const byIno = new Map(records.map((r) => [r.ino, r]));
    const root = byIno.get(sb.rootIno)!;
    const rootLink = (this.root() as SimVnode).dentry;
    this.meta.set(rootLink.getNode(), metaOf(root));
    const nodes = new Map<number, Node>([[root.ino, rootLink.getNode()]]);
    const queue: [Link, InodeRecord][] = [[rootLink, root]];
    while (queue.length > 0) {
      const [dir, rec] = queue.shift()!;
      for (const e of rec.entries!) {
        const r = byIno.get(e.ino)!;
        let node = nodes.get(r.ino);
        if (node) {
          // Another name for an inode already linked (a hard link).
          node.nlink++;
          lighten(dir.createChild(e.name, node));
          continue;
        }
        node = lighten(this.sb.createNode(r.mode));
        this.meta.set(node, metaOf(r));
        nodes.set(r.ino, node);
        if (isLinkMode(r.mode)) node.makeSymlink(r.target!);
        if (isRegMode(r.mode)) {
          const bytes = data.get(r.ino)!;
          if (r.size > 0) node.write(Buffer.from(bytes.buffer, bytes.byteOffset, r.size), 0, r.size, 0);
          this.disk.extents.set(node, r.extents!);
        }
        const link = lighten(dir.createChild(e.name, node));
        if (isDirMode(r.mode)) queue.push([link, r]);
      }
    }
    this.nextIno = sb.nextIno;
  }
}

function metaOf(r: InodeRecord): { ino: number; mode: number; uid: number; gid: number; rdev: number; atimeNs: number; mtimeNs: number; ctimeNs: number } {
  return { ino: r.ino, mode: r.mode, uid: r.uid, gid: r.gid, rdev: r.rdev, atimeNs: r.atimeNs, mtimeNs: r.mtimeNs, ctimeNs: r.ctimeNs };
}

/** The block after the last of `extents` (the table is the last thing a commit writes before the superblock). */
function afterLast(extents: readonly Extent[]): number {
  const e = extents[extents.length - 1];
  return e ? e.start + e.count : 1;
}

/** The blocks `d`'s tree uses; the allocator goes on from where it was. */
function usedMap(d: DiskState): BlockMap {
  const all: Extent[] = [...d.tableExtents];
  for (const ex of d.extents.values()) all.push(...ex);
  return BlockMap.of(d.blockCount, all, d.used.next);
}

/** The bytes of `extents`, in order; null when a read failed (the error is in `cost`). */
function readExtents(io: BlockIo, extents: readonly Extent[], cost: IoCost): Uint8Array | null {
  const out = new Uint8Array(extents.reduce((a, e) => a + e.count, 0) * BLOCK_BYTES);
  let at = 0;
  for (const e of extents) {
    const r = io.read(e.start * SECTORS_PER_BLOCK, e.count * SECTORS_PER_BLOCK);
    if (cost.add(r)) return null;
    out.set(r.data, at);
    at += e.count * BLOCK_BYTES;
  }
  return out;
}

/** Every regular file's data by inode, read in runs of adjacent blocks (few, large READ(10)s). */
function readData(io: BlockIo, records: InodeRecord[], cost: IoCost): Map<number, Uint8Array> | null {
  const pieces: { ino: number; e: Extent; at: number }[] = [];
  const out = new Map<number, Uint8Array>();
  for (const r of records) {
    if (!r.extents) continue;
    const buf = new Uint8Array(r.extents.reduce((a, e) => a + e.count, 0) * BLOCK_BYTES);
    out.set(r.ino, buf);
    let at = 0;
    for (const e of r.extents) {
      pieces.push({ ino: r.ino, e, at });
      at += e.count * BLOCK_BYTES;
    }
  }
  pieces.sort((a, b) => a.e.start - b.e.start);
  for (let i = 0; i < pieces.length; ) {
    let j = i + 1;
    let end = pieces[i].e.start + pieces[i].e.count;
    while (j < pieces.length && pieces[j].e.start === end) end += pieces[j++].e.count;
    const run = readExtents(io, [{ start: pieces[i].e.start, count: end - pieces[i].e.start }], cost);
    if (!run) return null;
    for (let p = i; p < j; p++) {
      const off = (pieces[p].e.start - pieces[i].e.start) * BLOCK_BYTES;
      out.get(pieces[p].ino)!.set(run.subarray(off, off + pieces[p].e.count * BLOCK_BYTES), pieces[p].at);
    }
    i = j;
  }
  return out;
}

/** Writes `data` (padded with zeros to whole blocks) into `extents`; true on failure. */
function writeExtents(io: BlockIo, extents: readonly Extent[], data: Uint8Array, cost: IoCost): boolean {
  let at = 0;
  for (const e of extents) {
    const buf = new Uint8Array(e.count * BLOCK_BYTES);
    buf.set(data.subarray(at, Math.min(data.length, at + buf.length)));
    if (cost.add(io.write(e.start * SECTORS_PER_BLOCK, buf))) return true;
    at += buf.length;
  }
  return false;
}

/** Each inode of `fs` once, breadth-first from the root, with the link it was first reached by. */
function* walk(fs: SimFs): Generator<{ node: Node; link: Link }> {
  const seen = new Set<Node>();
  const queue: Link[] = [(fs.root() as SimVnode).dentry];
  seen.add(queue[0].getNode());
  yield { node: queue[0].getNode(), link: queue[0] };
  while (queue.length > 0) {
    const dir = queue.shift()!;
    for (const [name, child] of dir.children) {
      if (name === '.' || name === '..' || child === undefined) continue;
      const node = child.getNode();
      if (seen.has(node)) continue;
      seen.add(node);
      yield { node, link: child };
      if (node.isDirectory()) queue.push(child);
    }
  }
}

/**
 * One commit of `fs` onto `io` (see the file comment). Files `isDirty` says changed —
 * and any without committed extents — get new blocks; the others keep theirs. On
 * success `d` describes the new tree; on failure (the error in `cost`) it is as before.
 */
function writeTree(fs: SimFs, io: BlockIo, d: DiskState, isDirty: (n: Node) => boolean, nextIno: number, nowNs: number, cost: IoCost): void {
  const records: InodeRecord[] = [];
  const extents = new Map<Node, Extent[]>();
  const fail = (e: SysError): void => {
    if (!cost.error) cost.error = e;
    d.used = usedMap(d);
  };
  let maxIno = 0;
  const rootIno = fs.metaOf((fs.root() as SimVnode).node).ino;
  for (const { node, link } of walk(fs)) {
    const m = fs.metaOf(node);
    maxIno = Math.max(maxIno, m.ino);
    const r: InodeRecord = { ino: m.ino, mode: m.mode, uid: m.uid, gid: m.gid, rdev: m.rdev, nlink: node.nlink, size: 0, atimeNs: m.atimeNs, mtimeNs: m.mtimeNs, ctimeNs: m.ctimeNs };
    if (isDirMode(m.mode)) {
      r.entries = [];
      for (const [name, child] of link.children) if (name !== '.' && name !== '..' && child !== undefined) r.entries.push({ name, ino: fs.metaOf(child.getNode()).ino });
    } else if (isRegMode(m.mode)) {
      r.size = node.getSize();
      let ex = d.extents.get(node);
      if (ex === undefined || isDirty(node)) {
        const data = Buffer.alloc(r.size);
        if (r.size > 0) node.read(data, 0, r.size, 0);
        ex = d.used.alloc(Math.ceil(r.size / BLOCK_BYTES)) ?? undefined;
        if (ex === undefined) return fail(err('ENOSPC', `/dev/${io.name}: no room for the ${r.size} bytes of inode ${m.ino} (${d.blockCount - d.used.used} blocks free)`));
        if (writeExtents(io, ex, data, cost)) return fail(cost.error!);
      }
      r.extents = ex;
      extents.set(node, ex);
    } else if (isLinkMode(m.mode)) {
      r.target = node.symlink;
      r.size = new TextEncoder().encode(r.target).length;
    }
    records.push(r);
  }
  const table = encodeTable(records);
  const tableExtents = d.used.alloc(Math.ceil(table.length / BLOCK_BYTES));
  if (!tableExtents) return fail(err('ENOSPC', `/dev/${io.name}: no room for the inode table (${table.length} bytes)`));
  if (tableExtents.length > MAX_TABLE_EXTENTS) return fail(err('ENOSPC', `/dev/${io.name}: the free space is too fragmented for the inode table`));
  if (writeExtents(io, tableExtents, table, cost)) return fail(cost.error!);
  // The barrier: data and table are on the medium before the superblock points at them.
  if (cost.add(io.flush())) return fail(cost.error!);
  const sb: Superblock = {
    blockCount: d.blockCount,
    generation: d.generation + 1,
    rootIno,
    nextIno: Math.max(nextIno, maxIno + 1),
    inodeCount: records.length,
    tableBytes: table.length,
    tableChecksum: fnv1a(table),
    tableExtents,
    label: d.label,
    madeNs: d.madeNs,
    writtenNs: nowNs,
  };
  if (cost.add(io.write(0, encodeSuperblock(sb))) || cost.add(io.flush())) return fail(cost.error!);
  d.generation = sb.generation;
  d.extents = extents;
  d.tableExtents = tableExtents;
  d.used = usedMap(d);
}
