/**
 * ctsimfs, the file system a VM's root disk holds (src/kernel/fs/ctsimfs): mkfs writes
 * a tree, mount reads it back the same (inode numbers, modes, owners, times, hard and
 * symbolic links, data), a commit writes changed files into free blocks and the
 * superblock last (copy-on-write: a commit cut short leaves the old tree whole), and a
 * damaged or foreign device is refused with the reason.
 */
import { describe, expect, it } from 'vitest';
import { CtsimFs } from '../../../src/kernel/fs/ctsimfs/ctsimfs.js';
import { SimFs, type SimVnode } from '../../../src/kernel/fs/simfs.js';
import { buildRootfs } from '../../../src/kernel/fs/rootfs.js';
import { BLOCK_BYTES, decodeSuperblock, hasCtsimfsMagic } from '../../../src/kernel/fs/ctsimfs/layout.js';
import { err, SysError } from '../../../src/kernel/errno.js';
import type { BlockIo, IoDone } from '../../../src/kernel/block/block-io.js';
import type { Vnode } from '../../../src/kernel/vfs/vnode.js';
import { defaultPrograms } from '../../../src/index.js';

const NOW = 1_700_000_000_000_000_000;
const ROOT = { fsuid: 0, fsgid: 0 };

/** A disk in memory: counts commands; `failAfterWrites` makes later writes fail with EIO. */
class MemDisk implements BlockIo {
  readonly name = 'sda';
  readonly rdev = 8 << 8;
  readonly bytes: Uint8Array;
  reads = 0;
  writes = 0;
  flushes = 0;
  writtenLbas: number[] = [];
  failAfterWrites = Infinity;
  readOnly = false;

  constructor(readonly sectors: number) {
    this.bytes = new Uint8Array(sectors * 512);
  }

  read(lba: number, count: number): IoDone {
    this.reads++;
    return { data: this.bytes.slice(lba * 512, (lba + count) * 512), cpuNs: 10, latencyNs: 100, error: null };
  }

  write(lba: number, data: Uint8Array): IoDone {
    if (this.writes >= this.failAfterWrites) return { data: new Uint8Array(0), cpuNs: 10, latencyNs: 100, error: err('EIO', 'the disk failed') };
    this.writes++;
    this.writtenLbas.push(lba);
    this.bytes.set(data, lba * 512);
    return { data: new Uint8Array(0), cpuNs: 10, latencyNs: 100, error: null };
  }

  flush(): IoDone {
    this.flushes++;
    return { data: new Uint8Array(0), cpuNs: 10, latencyNs: 100, error: null };
  }
}

function at(fs: SimFs, path: string): Vnode {
  let v: Vnode = fs.root();
  for (const c of path.split('/').filter(Boolean)) {
    const n = v.lookup!(c);
    if (n instanceof SysError) throw new Error(`${path}: ${n.errno}`);
    v = n;
  }
  return v;
}

const text = (fs: SimFs, path: string): string => (at(fs, path) as SimVnode).contents().toString('latin1');

function mounted(disk: BlockIo): CtsimFs {
  const r = CtsimFs.mount(disk, NOW);
  if ('error' in r) throw new Error(`mount failed: ${r.error.errno} ${r.error.reason}`);
  return r.fs;
}

/** Every path in the tree with its inode number, mode, owner, link count and size (what ls -ailn shows). */
function listing(fs: SimFs): string[] {
  const out: string[] = [];
  const walk = (v: Vnode, path: string): void => {
    for (const e of v.readdir!() as { name: string }[]) {
      if (e.name === '.' || e.name === '..') continue;
      const c = v.lookup!(e.name) as Vnode;
      const st = c.getattr();
      out.push(`${path}/${e.name} ${st.ino} ${st.mode.toString(8)} ${st.uid}:${st.gid} ${st.nlink} ${st.size} ${st.mtimeNs}`);
      if ((st.mode & 0o170000) === 0o040000) walk(c, `${path}/${e.name}`);
    }
  };
  walk(fs.root(), '');
  return out;
}

describe('ctsimfs', () => {
  it('mkfs writes the default root tree and mount reads back the same tree, inode numbers and hard links included', () => {
    const tree = buildRootfs(defaultPrograms(), 0x801, NOW, 'guest');
    const disk = new MemDisk(131072);
    expect(CtsimFs.format(disk, tree, 'cloudimg-rootfs', NOW).error).toBeNull();
    expect(hasCtsimfsMagic(disk.bytes.subarray(0, 512))).toBe(true);
    expect(new TextDecoder().decode(disk.bytes.subarray(0, 7))).toBe('CTSIMFS');
    const fs = mounted(disk);
    expect(listing(fs)).toEqual(listing(tree));
    expect(fs.root().ino).toBe(2);
    expect(text(fs, '/etc/hostname')).toBe('guest\n');
    expect(at(fs, '/bin').readlink!()).toBe('usr/bin');
    expect(fs.info()).toMatchObject({ label: 'cloudimg-rootfs', generation: 1, blocks: 16384 });
    // A hard-linked program is one inode under each of its names, with its link count.
    const linked = listing(fs).map((l) => l.split(' ')).filter(([, , mode, , nlink]) => !mode.startsWith('4') && nlink !== '1');
    expect(linked.length).toBeGreaterThanOrEqual(2);
    expect(linked.filter((l) => l[1] === linked[0][1]).length).toBe(Number(linked[0][4]));
    expect(fs.isDirty()).toBe(false);
  });

  it('a commit writes only what changed, the superblock last, and a new file gets the next inode number', () => {
    const disk = new MemDisk(8192);
    const tree = new SimFs({ type: 'ext4', dev: 1, source: 'x', nowNs: NOW });
    const etc = tree.root().mkdir!('etc', 0o755, ROOT, NOW) as Vnode;
    (etc.create!('motd', 0o644, ROOT, NOW) as SimVnode).setContents(Buffer.from('hi\n'));
    (tree.root().create!('big', 0o600, ROOT, NOW) as SimVnode).setContents(Buffer.alloc(3 * BLOCK_BYTES + 1, 7));
    CtsimFs.format(disk, tree, 'data', NOW);
    const fs = mounted(disk);
    const bigIno = at(fs, '/big').ino;
    disk.writes = 0;
    disk.writtenLbas = [];
    (fs.root().create!('note', 0o644, ROOT, NOW + 1) as SimVnode).setContents(Buffer.from('hello\n'));
    expect(fs.isDirty()).toBe(true);
    const cost = fs.writeback(NOW + 2);
    expect(cost.error).toBeNull();
    // The new file's one block, the inode table, the superblock; /big (4 blocks) is not rewritten.
    expect(disk.writes).toBe(3);
    expect(disk.writtenLbas[disk.writtenLbas.length - 1]).toBe(0);
    expect(disk.flushes).toBeGreaterThanOrEqual(2);
    expect(cost.latencyNs).toBe(5 * 100);
    expect(fs.isDirty()).toBe(false);
    const again = mounted(disk);
    expect(text(again, '/note')).toBe('hello\n');
    expect(at(again, '/note').ino).toBe(15);
    expect(at(again, '/big').ino).toBe(bigIno);
    expect((at(again, '/big') as SimVnode).contents()).toEqual(Buffer.alloc(3 * BLOCK_BYTES + 1, 7));
    expect(again.info().generation).toBe(2);
    // Nothing changed: nothing to write.
    disk.writes = 0;
    expect(again.writeback(NOW + 3).latencyNs).toBe(0);
    expect(disk.writes).toBe(0);
  });

  it('renames, unlinks, chmod and truncation reach the disk; freed blocks are used again', () => {
    const disk = new MemDisk(64);
    const tree = new SimFs({ type: 'ext4', dev: 1, source: 'x', nowNs: NOW });
    CtsimFs.format(disk, tree, '', NOW);
    const fs = mounted(disk);
    // 8 blocks, 7 after the superblock: each commit rewrites the 2-block file in new blocks.
    for (let i = 0; i < 5; i++) {
      (fs.root().create!(`f${i}`, 0o644, ROOT, NOW) as SimVnode).setContents(Buffer.alloc(2 * BLOCK_BYTES, i));
      if (i > 0) fs.root().unlink!(`f${i - 1}`, NOW);
      expect(fs.writeback(NOW).error).toBeNull();
    }
    fs.root().rename!('f4', fs.root(), 'renamed', NOW);
    at(fs, '/renamed').setattr!({ mode: 0o600, nowNs: NOW });
    at(fs, '/renamed').setattr!({ size: 5, nowNs: NOW });
    expect(fs.writeback(NOW).error).toBeNull();
    const again = mounted(disk);
    expect(listing(again).map((l) => l.split(' ').slice(0, 4).join(' '))).toEqual(['/renamed 7 100600 0:0']);
    expect(text(again, '/renamed')).toBe('\x04'.repeat(5));
  });

  it('a commit cut short (a failed write) leaves the disk holding the last commit, and the changes stay dirty', () => {
    const disk = new MemDisk(8192);
    CtsimFs.format(disk, buildRootfs(defaultPrograms(), 1, NOW, 'g'), 'r', NOW);
    const fs = mounted(disk);
    (at(fs, '/root') as Vnode).create!('note', 0o644, ROOT, NOW);
    (at(fs, '/root/note') as SimVnode).setContents(Buffer.from('lost?\n'));
    disk.failAfterWrites = disk.writes + 1;
    const cost = fs.writeback(NOW);
    expect(cost.error?.errno).toBe('EIO');
    expect(fs.isDirty()).toBe(true);
    expect(at(mounted(disk), '/root').lookup!('note')).toBeInstanceOf(SysError);
    disk.failAfterWrites = Infinity;
    expect(fs.writeback(NOW).error).toBeNull();
    expect(text(mounted(disk), '/root/note')).toBe('lost?\n');
  });

  it('a full disk fails the commit with ENOSPC and keeps the old tree; a write-protected one with EROFS', () => {
    const disk = new MemDisk(64);
    CtsimFs.format(disk, new SimFs({ type: 'ext4', dev: 1, source: 'x', nowNs: NOW }), '', NOW);
    const fs = mounted(disk);
    (fs.root().create!('huge', 0o644, ROOT, NOW) as SimVnode).setContents(Buffer.alloc(20 * BLOCK_BYTES));
    expect(fs.writeback(NOW).error?.errno).toBe('ENOSPC');
    expect(mounted(disk).root().lookup!('huge')).toBeInstanceOf(SysError);
    const ro = new MemDisk(64);
    ro.bytes.set(disk.bytes);
    ro.readOnly = true;
    const rofs = mounted(ro);
    rofs.root().mkdir!('d', 0o755, ROOT, NOW);
    expect(rofs.writeback(NOW).error?.errno).toBe('EROFS');
    expect(ro.writes).toBe(0);
  });

  it('refuses a device without the magic (EINVAL) and a damaged one (EUCLEAN), saying why', () => {
    const blank = new MemDisk(4096);
    const r = CtsimFs.mount(blank, NOW);
    expect('error' in r && r.error.errno).toBe('EINVAL');
    expect('error' in r && r.error.reason).toBe('block 0 does not start with the ctsimfs magic "CTSIMFS"');
    const disk = new MemDisk(4096);
    CtsimFs.format(disk, buildRootfs(defaultPrograms(), 1, NOW, 'g'), 'r', NOW);
    const sb = decodeSuperblock(disk.bytes.subarray(0, BLOCK_BYTES), 512);
    // A flipped byte in the inode table.
    disk.bytes[sb.tableExtents[0].start * BLOCK_BYTES + 100] ^= 0xff;
    const d = CtsimFs.mount(disk, NOW);
    expect('error' in d && d.error.errno).toBe('EUCLEAN');
    expect('error' in d && d.error.reason).toBe('the inode table is damaged: its checksum does not match the superblock');
    // A flipped byte in the superblock.
    disk.bytes[20] ^= 0x01;
    const s = CtsimFs.mount(disk, NOW);
    expect('error' in s && s.error.reason).toBe('the superblock is damaged: its checksum does not match');
    // A newer version.
    disk.bytes[8] = 2;
    const v = CtsimFs.mount(disk, NOW);
    expect('error' in v && v.error.reason).toBe('ctsimfs version 2; this kernel reads version 1');
    expect(new SysError('EUCLEAN', 'test').message).toBe('Structure needs cleaning');
  });
});
