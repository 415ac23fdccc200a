/**
 * simfs: a disk-like or memory file system whose tree and bytes are stored in one
 * memfs volume (DESIGN.md decision 7) — its core, the Superblock. memfs's Links are the directory entries and
 * its Nodes hold the bytes; everything Linux decides about a file — inode number,
 * owner, mode, timestamps — is kept here, by the kernel, in `meta`. memfs's own
 * stamps (wall-clock dates, the host's uid) are never read.
 *
 * The same class serves the built-in root file system (type "ext4"), tmpfs mounts, and
 * — as the in-memory inode and page cache of a disk — ctsimfs (ctsimfs/ctsimfs.ts),
 * which learns of every change through `changed` to write it back.
 *
 *    SimFs ── meta: WeakMap<Node, InodeMeta>   (ino, mode, uid, gid, times)
 *      └── memfs Superblock ── Link (name, parent, children) ── Node (bytes, nlink)
 */
import { Superblock, type Link, type Node } from '@jsonjoy.com/fs-core';
import { err, SysError } from '../errno.js';
import type { FileOps, OpenFile } from '../vfs/file.js';
import type { FileSystem, FsIds, SetAttr, Vnode } from '../vfs/vnode.js';
import {
  type Bytes,
  type DirEntry,
  type Stat,
  dtype,
  isDir,
  O_APPEND,
  O_TRUNC,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
} from '../vfs/types.js';

/** What the kernel records for an inode (memfs keeps only the bytes and links). */
export interface InodeMeta {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  rdev: number;
  atimeNs: number;
  mtimeNs: number;
  ctimeNs: number;
}

export interface SimFsOptions {
  /** ext4 for the root file system, tmpfs for memory mounts. */
  type: 'ext4' | 'ctsimfs' | 'tmpfs' | 'devtmpfs' | 'devpts' | 'mqueue' | 'sysfs';
  dev: number;
  source: string;
  /** Mode of the root directory. */
  rootMode?: number;
  nowNs: number;
  /** Extra /proc/mounts options. */
  options?: string;
  /** Owner of the root directory (kernel ids): tmpfs gives it to the mounter's fsuid/fsgid (default root). */
  rootUid?: number;
  rootGid?: number;
}

/** A memfs event fan-out that keeps no listeners and tells no one (nothing in ctsim listens). */
const SILENT = { listeners: new Set<never>(), emit: (): void => {}, listen: () => (): void => {} } as unknown as Node['changes'];
/**
 * The one wall-clock Date memfs stamps are left at, taken from the first node memfs
 * made: ctsim never reads them (`meta` holds the kernel's times).
 */
let unreadDate: unknown;

/**
 * Makes a memfs node or link light: each comes with its own event fan-out (a Set) and a
 * node with four Dates — a fifth of what a container's files cost the host, for events
 * no one listens to and stamps no one reads. They share SILENT and one Date instead
 * (memfs still puts a new Date on a node it touches). Reaches into memfs's private
 * fields; fs-core 4.80's Node and Link have them.
 */
export function lighten<T extends Node | Link>(x: T): T {
  const o = x as unknown as Record<string, unknown>;
  o.changes = SILENT;
  if ('_btime' in o) {
    unreadDate ??= o._btime;
    o._atime = o._mtime = o._ctime = o._btime = unreadDate;
  } else if (!(x as Link).getNode().isDirectory()) {
    // A file's entry has no children, but memfs gives every link a Map for them.
    o.children = NO_CHILDREN;
  }
  return x;
}

/**
 * Puts a node's memfs stamps back on the shared Date after memfs touched it (each read,
 * write, truncate, link count or directory change makes new ones, kept per node).
 */
function unstamp(node: Node): void {
  if (unreadDate === undefined) return;
  const o = node as unknown as Record<string, unknown>;
  o._atime = o._mtime = o._ctime = unreadDate;
}

/** The children of every non-directory link: empty, and never changed (memfs adds children to directories only). */
const NO_CHILDREN: Link['children'] = new (class extends Map<string, Link | undefined> {
  override set(): this {
    throw new Error('simfs: memfs tried to add a child to a link that is not a directory');
  }
  override delete(): boolean {
    return false;
  }
})();

/**
 * The process memfs asks for its owner and working directory: fixed answers instead of
 * the host's (two system calls per node memfs makes; simfs keeps its own owners).
 */
const MEMFS_PROCESS = { getuid: () => 0, getgid: () => 0, cwd: () => '/', platform: 'linux', emitWarning: () => {}, env: {} };

/**
 * A memfs Superblock without the fs-like closures each one carries (open, writeFile,
 * mkdir, … 22 of them, 1.3 KiB a file system): simfs works on its links and nodes and
 * never calls them, and a host with thousands of containers has four tmpfs-like mounts
 * for each. Reaches into fs-core 4.80's instance fields.
 */
function bareSuperblock(): Superblock {
  const sb = new Superblock({ process: MEMFS_PROCESS });
  const o = sb as unknown as Record<string, unknown>;
  for (const key of Object.keys(o)) if (typeof o[key] === 'function') o[key] = undefined;
  o.changes = SILENT;
  return sb;
}

/**
 * The kernel's metadata of every simfs node and the vnode of every link, for all simfs
 * instances at once: a node or link belongs to one file system, and a WeakMap of its
 * own cost each of a container's four tmpfs-like mounts ~0.35 KiB before its first entry.
 */
const INODE_META = new WeakMap<Node, InodeMeta>();
const LINK_VNODES = new WeakMap<Link, SimVnode>();

export class SimFs implements FileSystem {
  readonly type: string;
  readonly dev: number;
  readonly source: string;
  /**
   * The memfs store holding this file system's tree and bytes: the core of a memfs
   * Volume without the Node-like API around it (hundreds of closures and classes made
   * per volume, which ctsim never calls — and a host with thousands of containers has
   * thousands of tmpfs mounts).
   */
  protected readonly sb: Superblock;
  protected readonly meta = INODE_META;
  private readonly vnodes = LINK_VNODES;
  protected nextIno: number;
  private readonly opts: string;
  private readonly rootVnode: SimVnode;

  constructor(o: SimFsOptions) {
    this.type = o.type;
    this.dev = o.dev;
    this.source = o.source;
    this.opts = o.options ?? '';
    this.sb = bareSuperblock();
    lighten(this.sb.root);
    lighten(this.sb.root.getNode());
    // ext4 gives the root inode 2 and the first ordinary inode 11 (lost+found); tmpfs starts at 1.
    const diskLike = o.type === 'ext4' || o.type === 'ctsimfs';
    const rootIno = diskLike ? 2 : 1;
    this.nextIno = diskLike ? 12 : 2;
    const root = this.sb.root;
    this.meta.set(root.getNode(), {
      ino: rootIno,
      mode: S_IFDIR | (o.rootMode ?? 0o755),
      uid: o.rootUid ?? 0,
      gid: o.rootGid ?? 0,
      rdev: 0,
      atimeNs: o.nowNs,
      mtimeNs: o.nowNs,
      ctimeNs: o.nowNs,
    });
    this.rootVnode = this.vnodeOf(root);
  }

  root(): Vnode {
    return this.rootVnode;
  }

  options(): string {
    return this.opts;
  }

  /** The vnode for a memfs link (one object per link, so identity checks are cheap). */
  vnodeOf(link: Link): SimVnode {
    let v = this.vnodes.get(link);
    if (!v) {
      v = new SimVnode(this, link);
      this.vnodes.set(link, v);
    }
    return v;
  }

  metaOf(node: Node): InodeMeta {
    const m = this.meta.get(node);
    if (!m) throw new Error(`simfs ${this.source}: memfs node without kernel metadata`);
    return m;
  }

  /** Creates a node with fresh metadata. */
  newNode(mode: number, uid: number, gid: number, nowNs: number, rdev = 0): Node {
    const node = lighten(this.sb.createNode(mode));
    this.meta.set(node, { ino: this.nextIno++, mode, uid, gid, rdev, atimeNs: nowNs, mtimeNs: nowNs, ctimeNs: nowNs });
    return node;
  }

  /**
   * Points every node's memfs timestamps at one Date (the root's birth time). memfs
   * gives each node four wall-clock Dates (~400 bytes) that ctsim never reads (the
   * kernel keeps times in `meta`); after a boot has built its tree of ~200 nodes they
   * can all share one. memfs replaces a node's Date (it never changes one in place)
   * when it touches the node again, so the shared one is never changed.
   */
  shareMemfsStamps(): void {
    const stamp = this.sb.root.getNode().btime;
    for (const node of Object.values(this.sb.inodes)) {
      node.mtime = stamp;
      node.atime = stamp;
      node.btime = stamp;
      // Last: memfs's mtime setter made a new ctime.
      node.ctime = stamp;
    }
  }

  /** Drops a node whose last link is gone and which no open file holds. */
  releaseNode(node: Node): void {
    if (node.nlink <= 0) this.sb.deleteNode(node);
  }

  /**
   * Something in the file system changed: `node`'s data (its bytes or size), or with
   * null only metadata (names, modes, owners, times). A disk file system marks it for
   * writeback; memory file systems have nothing to do.
   * Simplification: a read's atime update does not call this (as with lazytime, it is
   * written with the next change).
   */
  changed(_node: Node | null): void {}
}

/** A simfs object, reached through one memfs link. */
export class SimVnode implements Vnode {
  readonly fs: SimFs;
  /** The memfs directory entry this vnode was reached through. */
  readonly dentry: Link;
  readonly node: Node;

  constructor(fs: SimFs, link: Link) {
    this.fs = fs;
    this.dentry = link;
    this.node = link.getNode();
  }

  get ino(): number {
    return this.fs.metaOf(this.node).ino;
  }

  mode(): number {
    return this.fs.metaOf(this.node).mode;
  }

  accessAttrs(): Pick<Stat, 'mode' | 'uid' | 'gid'> {
    return this.fs.metaOf(this.node);
  }

  getattr(): Stat {
    const m = this.fs.metaOf(this.node);
    const node = this.node;
    const size = isDir(m.mode) ? 4096 : (m.mode & S_IFMT) === S_IFLNK ? node.symlink.length : node.getSize();
    return {
      dev: this.fs.dev,
      ino: m.ino,
      mode: m.mode,
      nlink: node.nlink,
      uid: m.uid,
      gid: m.gid,
      rdev: m.rdev,
      size,
      blksize: 4096,
      // A short symlink target lives in the inode (ext4 "fast" symlinks, tmpfs): no blocks.
      blocks: (m.mode & S_IFMT) === S_IFLNK && size < 60 ? 0 : Math.ceil(size / 4096) * 8,
      atimeNs: m.atimeNs,
      mtimeNs: m.mtimeNs,
      ctimeNs: m.ctimeNs,
    };
  }

  setattr(a: SetAttr): SysError | undefined {
    const m = this.fs.metaOf(this.node);
    this.fs.changed(a.size !== undefined ? this.node : null);
    if (a.mode !== undefined) m.mode = (m.mode & S_IFMT) | (a.mode & 0o7777);
    if (a.uid !== undefined && a.uid !== -1) m.uid = a.uid;
    if (a.gid !== undefined && a.gid !== -1) m.gid = a.gid;
    if (a.size !== undefined) {
      if (isDir(m.mode)) return err('EISDIR', `${this.dentry.getPath() || "/"} is a directory and has no size to truncate to ${a.size}`);
      this.node.truncate(a.size);
      unstamp(this.node);
      trimBuffer(this.node);
      m.mtimeNs = a.nowNs;
    }
    if (a.atimeNs !== undefined) m.atimeNs = a.atimeNs;
    if (a.mtimeNs !== undefined) m.mtimeNs = a.mtimeNs;
    m.ctimeNs = a.nowNs;
    return undefined;
  }

  private touchDir(nowNs: number): void {
    this.fs.changed(null);
    unstamp(this.node);
    const m = this.fs.metaOf(this.node);
    m.mtimeNs = nowNs;
    m.ctimeNs = nowNs;
  }

  lookup(name: string): Vnode | SysError {
    if (name === '..') return this.fs.vnodeOf(this.dentry.parent ?? this.dentry);
    const child = this.dentry.children.get(name);
    if (child === undefined || name === '.') return err('ENOENT', `${name} does not exist in ${this.dentry.getPath() || "/"} (${this.fs.type} ${this.fs.source})`);
    return this.fs.vnodeOf(child);
  }

  readdir(): DirEntry[] {
    const out: DirEntry[] = [];
    out.push({ name: '.', ino: this.ino, type: dtype(this.mode()) });
    const parent = this.dentry.parent ?? this.dentry;
    out.push({ name: '..', ino: this.fs.metaOf(parent.getNode()).ino, type: dtype(this.fs.metaOf(parent.getNode()).mode) });
    for (const [name, child] of this.dentry.children) {
      if (name === '.' || name === '..' || child === undefined) continue;
      const m = this.fs.metaOf(child.getNode());
      out.push({ name, ino: m.ino, type: dtype(m.mode) });
    }
    return out;
  }

  nameOf(child: Vnode): string | undefined {
    if (!(child instanceof SimVnode) || child.fs !== this.fs) return undefined;
    const link = child.dentry;
    const name = link.getName();
    // Still this directory's entry (not unlinked or moved since it was reached).
    if (link.parent !== this.dentry || name === '.' || name === '..' || this.dentry.children.get(name) !== link) return undefined;
    // A file with other hard links may be listed first under another name: readdir decides.
    if (child.node.nlink !== 1 && !isDir(this.fs.metaOf(child.node).mode)) return undefined;
    return name;
  }

  private addChild(name: string, node: Node, nowNs: number): SimVnode {
    const link = lighten(this.dentry.createChild(name, node));
    unstamp(node);
    this.touchDir(nowNs);
    return this.fs.vnodeOf(link);
  }

  private exists(name: string): boolean {
    return this.dentry.children.get(name) !== undefined;
  }

  create(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.exists(name)) return err('EEXIST', `${name} already exists in ${this.dentry.getPath() || "/"}`);
    const node = this.fs.newNode(S_IFREG | (mode & 0o7777), creds.fsuid, this.childGid(creds), nowNs);
    this.fs.changed(node);
    return this.addChild(name, node, nowNs);
  }

  mkdir(name: string, mode: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.exists(name)) return err('EEXIST', `cannot make directory ${name}: the name already exists in ${this.dentry.getPath() || "/"}`);
    const parentMode = this.mode();
    // A directory created in a set-group-ID directory inherits the bit (mkdir(2)).
    const sgid = parentMode & 0o2000;
    const node = this.fs.newNode(S_IFDIR | (mode & 0o7777) | sgid, creds.fsuid, this.childGid(creds), nowNs);
    return this.addChild(name, node, nowNs);
  }

  mknod(name: string, mode: number, rdev: number, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.exists(name)) return err('EEXIST', `cannot make node ${name}: the name already exists in ${this.dentry.getPath() || "/"}`);
    const node = this.fs.newNode(mode, creds.fsuid, this.childGid(creds), nowNs, rdev);
    return this.addChild(name, node, nowNs);
  }

  symlink(name: string, target: string, creds: FsIds, nowNs: number): Vnode | SysError {
    if (this.exists(name)) return err('EEXIST', `cannot make symlink ${name} -> ${target}: the name already exists in ${this.dentry.getPath() || "/"}`);
    const node = this.fs.newNode(S_IFLNK | 0o777, creds.fsuid, this.childGid(creds), nowNs);
    node.makeSymlink(target);
    return this.addChild(name, node, nowNs);
  }

  link(name: string, target: Vnode, nowNs: number): SysError | undefined {
    if (!(target instanceof SimVnode) || target.fs !== this.fs) return err('EXDEV', `a hard link ${name} must be on the same file system as its target (${this.fs.type} ${this.fs.source})`);
    if (this.exists(name)) return err('EEXIST', `cannot link ${name}: the name already exists in ${this.dentry.getPath() || "/"}`);
    const node = target.node;
    node.nlink++;
    lighten(this.dentry.createChild(name, node));
    unstamp(node);
    this.touchDir(nowNs);
    this.fs.metaOf(node).ctimeNs = nowNs;
    return undefined;
  }

  unlink(name: string, nowNs: number): SysError | undefined {
    const child = this.dentry.children.get(name);
    if (child === undefined || name === '.' || name === '..') return err('ENOENT', `${name} does not exist in ${this.dentry.getPath() || "/"}`);
    const node = child.getNode();
    if (node.isDirectory()) return err('EISDIR', `${name} is a directory: unlink(2) removes files, use rmdir(2)`);
    this.dentry.deleteChild(child);
    node.nlink--;
    this.fs.metaOf(node).ctimeNs = nowNs;
    this.touchDir(nowNs);
    this.maybeRelease(node);
    return undefined;
  }

  rmdir(name: string, nowNs: number): SysError | undefined {
    if (name === '.') return err('EINVAL', 'rmdir(2) refuses a path whose last component is "."');
    if (name === '..') return err('ENOTEMPTY', 'rmdir(2) refuses a path whose last component is ".."');
    const child = this.dentry.children.get(name);
    if (child === undefined) return err('ENOENT', `${name} does not exist in ${this.dentry.getPath() || "/"}`);
    const node = child.getNode();
    if (!node.isDirectory()) return err('ENOTDIR', `${name} is not a directory: rmdir(2) removes only directories`);
    for (const k of child.children.keys()) if (k !== '.' && k !== '..') return err('ENOTEMPTY', `${name} still has entries (${k} and maybe more)`);
    this.dentry.deleteChild(child);
    node.nlink = 0;
    this.touchDir(nowNs);
    this.fs.releaseNode(node);
    return undefined;
  }

  rename(oldName: string, newDir: Vnode, newName: string, nowNs: number): SysError | undefined {
    if (!(newDir instanceof SimVnode) || newDir.fs !== this.fs) return err('EXDEV', `rename(2) cannot move ${oldName} from ${this.fs.type} ${this.fs.source} to another file system`);
    const src = this.dentry.children.get(oldName);
    if (src === undefined) return err('ENOENT', `${oldName} does not exist in ${this.dentry.getPath() || "/"}`);
    const srcNode = src.getNode();
    // Moving a directory into its own subtree is EINVAL (rename(2)).
    if (srcNode.isDirectory()) {
      // memfs's root link is its own parent.
      for (let l: Link | undefined = newDir.dentry; l; l = l.parent === l ? undefined : l.parent) if (l === src) return err('EINVAL', `cannot move directory ${oldName} into its own subtree (${newDir.dentry.getPath()})`);
    }
    const dst = newDir.dentry.children.get(newName);
    if (dst === src) return undefined;
    if (dst !== undefined) {
      const dstNode = dst.getNode();
      if (dstNode.isDirectory()) {
        if (!srcNode.isDirectory()) return err('EISDIR', `cannot replace directory ${newName} with non-directory ${oldName}`);
        for (const k of dst.children.keys()) if (k !== '.' && k !== '..') return err('ENOTEMPTY', `target directory ${newName} still has entries (${k} and maybe more)`);
        newDir.dentry.deleteChild(dst);
        dstNode.nlink = 0;
        this.fs.releaseNode(dstNode);
      } else {
        if (srcNode.isDirectory()) return err('ENOTDIR', `cannot replace non-directory ${newName} with directory ${oldName}`);
        newDir.dentry.deleteChild(dst);
        dstNode.nlink--;
        this.maybeRelease(dstNode);
      }
    }
    this.dentry.deleteChild(src);
    src.name = newName;
    newDir.dentry.setChild(newName, src);
    // memfs finds a link's key from its cached path (steps): recompute it, or a later unlink or
    // rename of the new name would remove the old key and leave the entry behind.
    src.syncSteps();
    this.touchDir(nowNs);
    newDir.touchDir(nowNs);
    this.fs.metaOf(srcNode).ctimeNs = nowNs;
    return undefined;
  }

  readlink(): string | SysError {
    if ((this.mode() & S_IFMT) !== S_IFLNK) return err('EINVAL', `${this.dentry.getPath() || "/"} is not a symbolic link`);
    return this.node.symlink;
  }

  open(flags: number): { ops: FileOps; priv?: unknown } | SysError {
    const mode = this.mode();
    if ((mode & S_IFMT) === S_IFREG) {
      if (flags & O_TRUNC && (flags & 3) !== 0) {
        this.node.truncate(0);
        unstamp(this.node);
        this.fs.changed(this.node);
      }
      openCount.set(this.node, (openCount.get(this.node) ?? 0) + 1);
      return { ops: regularFileOps, priv: this };
    }
    return err('ENXIO', `${this.dentry.getPath() || "/"} is not a regular file and has no driver to open it`);
  }

  /** The whole contents of a regular file (overlay copy-up reads it). */
  contents(): Buffer {
    const size = this.node.getSize();
    const buf = Buffer.alloc(size);
    if (size > 0) this.node.read(buf, 0, size, 0);
    unstamp(this.node);
    return buf;
  }

  /** Replaces the contents of a regular file (overlay copy-up writes it). */
  setContents(buf: Buffer): void {
    this.fs.changed(this.node);
    this.node.truncate(0);
    if (buf.length > 0) this.node.write(buf, 0, buf.length, 0);
    unstamp(this.node);
    trimBuffer(this.node);
  }

  /** The group of a new object: the directory's group if it is set-group-ID, else the creator's fsgid. */
  private childGid(creds: FsIds): number {
    const m = this.fs.metaOf(this.node);
    return m.mode & 0o2000 ? m.gid : creds.fsgid;
  }

  private maybeRelease(node: Node): void {
    if (node.nlink <= 0 && (openCount.get(node) ?? 0) === 0) this.fs.releaseNode(node);
  }
}

/** Open files per memfs node: an unlinked file lives until its last close (unlink(2)). */
const openCount = new WeakMap<Node, number>();

/**
 * Gives a file a buffer of its size (at its last close after writing, after a truncate,
 * after a copy-up): memfs grows a buffer by doubling as it is written (a 9 KiB
 * config.json holds 16 KiB), and a small one is a slice of a shared 8 KiB pool that
 * stays whole while any slice lives. Thousands of containers keep thousands of such files.
 */
function trimBuffer(node: Node): void {
  const n = node as unknown as { buf: Buffer; capacity: number; size: number };
  if (n.capacity === n.size && n.buf.byteLength === n.buf.buffer.byteLength) return;
  const exact = Buffer.alloc(n.size);
  n.buf.copy(exact, 0, 0, n.size);
  n.buf = exact;
  n.capacity = n.size;
}

/** Reads, writes and seeks of a regular simfs file. */
const regularFileOps: FileOps = {
  read(k, _t, f: OpenFile, count: number): Bytes {
    const v = f.priv as SimVnode;
    const size = v.node.getSize();
    if (f.pos >= size || count <= 0) return '';
    const n = Math.min(count, size - f.pos);
    const buf = Buffer.allocUnsafe(n);
    const got = v.node.read(buf, 0, n, f.pos);
    unstamp(v.node);
    f.pos += got;
    v.fs.metaOf(v.node).atimeNs = k.realtimeNs;
    return buf.toString('latin1', 0, got);
  },
  write(k, _t, f: OpenFile, data: Bytes): number {
    const v = f.priv as SimVnode;
    if (f.flags & O_APPEND) f.pos = v.node.getSize();
    const buf = Buffer.from(data, 'latin1');
    v.node.write(buf, 0, buf.length, f.pos);
    unstamp(v.node);
    f.pos += buf.length;
    v.fs.changed(v.node);
    const m = v.fs.metaOf(v.node);
    m.mtimeNs = k.realtimeNs;
    m.ctimeNs = k.realtimeNs;
    return buf.length;
  },
  seekable(f: OpenFile): number {
    return (f.priv as SimVnode).node.getSize();
  },
  release(_k, f: OpenFile): void {
    const v = f.priv as SimVnode;
    const n = (openCount.get(v.node) ?? 1) - 1;
    openCount.set(v.node, n);
    if (n === 0 && v.node.nlink <= 0) v.fs.releaseNode(v.node);
    else if (n === 0 && f.flags & 3) trimBuffer(v.node);
  },
};

export { SysError };
