/**
 * nsfs: the internal file system behind /proc/PID/ns/* (namespaces(7)). Following
 * such a link reaches the namespace's nsfs inode, whose inode number is the
 * namespace's (NS-02: stat's st_ino equals the number in `uts:[N]`). An open file or
 * a bind mount of one holds the namespace alive (NS-03); setns(2) takes such a file.
 */
import type { Kernel } from '../kernel.js';
import type { FileOps, OpenFile } from '../vfs/file.js';
import type { FileSystem, Vnode } from '../vfs/vnode.js';
import { Mount, MountNamespace } from '../vfs/mount.js';
import { S_IFREG, makedev, type Stat } from '../vfs/types.js';
import { nsGet, nsLinkText, nsPut, type Namespace } from './namespace.js';

/** nsfs's device, 0:4 as on Linux. */
export const NSFS_DEV = makedev(0, 4);

export class NsVnode implements Vnode {
  readonly fs: NsFs;
  readonly ino: number;
  readonly ns: Namespace;

  constructor(fs: NsFs, ns: Namespace) {
    this.fs = fs;
    this.ns = ns;
    this.ino = ns.inum;
  }

  mode(): number {
    return S_IFREG | 0o444;
  }

  getattr(): Stat {
    const t = this.fs.kernel.config.bootEpochNs;
    return { dev: NSFS_DEV, ino: this.ino, mode: this.mode(), nlink: 1, uid: 0, gid: 0, rdev: 0, size: 0, blksize: 4096, blocks: 0, atimeNs: t, mtimeNs: t, ctimeNs: t };
  }

  open(): { ops: FileOps; priv?: unknown } {
    return { ops: nsFileOps, priv: nsGet(this.ns) };
  }
}

const nsFileOps: FileOps = {
  release(_k, f: OpenFile) {
    nsPut(f.priv as Namespace);
  },
};

/** The namespace an open file refers to, when it is an nsfs file. */
export function nsOfFile(f: OpenFile): Namespace | null {
  return f.ops === nsFileOps ? (f.priv as Namespace) : null;
}

export class NsFs implements FileSystem {
  readonly type = 'nsfs';
  readonly dev = NSFS_DEV;
  readonly source = 'nsfs';
  readonly kernel: Kernel;
  /** The internal mount (kern_mount) that ns files are reached through. */
  readonly mount: Mount;
  private readonly rootVnode: NsVnode;

  constructor(k: Kernel) {
    this.kernel = k;
    this.rootVnode = new NsVnode(this, k.initUserNs);
    // An anonymous mount namespace, like the one kern_mount() puts internal mounts in.
    const internal = new MountNamespace(0, k.initUserNs, k.mounts);
    this.mount = new Mount(0, this, this.rootVnode, internal, {}, 0);
    internal.root = this.mount;
  }

  root(): Vnode {
    return this.rootVnode;
  }

  options(): string {
    return '';
  }

  /** The inode of namespace `ns` (a new vnode each time; vnodes compare by inode number). */
  vnodeOf(ns: Namespace): NsVnode {
    return new NsVnode(this, ns);
  }

  rootName(vn: Vnode): string {
    return vn instanceof NsVnode ? nsLinkText(vn.ns) : '/';
  }

  /** A bind mount of a namespace file keeps the namespace alive (NS-03). */
  pin(vn: Vnode): void {
    if (vn instanceof NsVnode) nsGet(vn.ns);
  }

  unpin(vn: Vnode): void {
    if (vn instanceof NsVnode) nsPut(vn.ns);
  }
}
