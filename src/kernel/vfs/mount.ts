/**
 * Mounts and mount namespaces (mount_namespaces(7)). A mount attaches a file system
 * (or a subtree of one, for bind mounts) at a directory of its parent mount; a mount
 * namespace is a tree of mounts with one root. A position in the name space is a
 * (mount, vnode) pair — Linux's struct path — so that ".." can climb out of a mount.
 *
 *      /            (ext4, mount 21)
 *      ├── proc     (proc, mount 22: mountpoint = /proc's vnode in mount 21)
 *      └── dev      (devtmpfs, mount 23)
 */
import type { FileSystem, Vnode } from './vnode.js';
import { sameVnode } from './vnode.js';

/** Per-mount flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_RELATIME). */
export interface MountFlags {
  readonly: boolean;
  nosuid: boolean;
  nodev: boolean;
  noexec: boolean;
}

export class Mount {
  /** The mount ID shown in /proc/PID/mountinfo. */
  readonly id: number;
  readonly fs: FileSystem;
  /** The root of this mount inside its file system (a subdirectory for bind mounts). */
  readonly root: Vnode;
  /** The mount this one is attached to, or null for a namespace's root mount. */
  parent: Mount | null;
  /** The directory (in `parent`) this mount covers. */
  mountpoint: Vnode | null;
  /** Mounts attached below this one, in mount order. */
  readonly children: Mount[] = [];
  flags: MountFlags;
  ns: MountNamespace;

  constructor(id: number, fs: FileSystem, root: Vnode, ns: MountNamespace, flags: Partial<MountFlags> = {}) {
    this.id = id;
    this.fs = fs;
    this.root = root;
    this.parent = null;
    this.mountpoint = null;
    this.ns = ns;
    this.flags = { readonly: false, nosuid: false, nodev: false, noexec: false, ...flags };
  }

  /** The topmost child mount covering `vn` in this mount, or undefined. */
  childAt(vn: Vnode): Mount | undefined {
    const ch = this.children;
    for (let i = ch.length - 1; i >= 0; i--) {
      const m = ch[i];
      if (m.mountpoint !== null && sameVnode(m.mountpoint, vn)) return m;
    }
    return undefined;
  }
}

/** A position in a mount tree: a vnode reached through a mount. */
export interface Path {
  mnt: Mount;
  vn: Vnode;
}

export class MountNamespace {
  root!: Mount;
  /** The namespace's inode number, shown as mnt:[N] (namespaces(7)). */
  readonly inum: number;
  private readonly nextMountId: { value: number };

  constructor(inum: number, nextMountId: { value: number }) {
    this.inum = inum;
    this.nextMountId = nextMountId;
  }

  /** Creates the root mount of this namespace. */
  mountRoot(fs: FileSystem, flags: Partial<MountFlags> = {}): Mount {
    const m = new Mount(this.nextMountId.value++, fs, fs.root(), this, flags);
    this.root = m;
    return m;
  }

  /** Attaches `fs` (or its subtree `root`) on top of `at`. */
  attach(at: Path, fs: FileSystem, root: Vnode = fs.root(), flags: Partial<MountFlags> = {}): Mount {
    const m = new Mount(this.nextMountId.value++, fs, root, this, flags);
    m.parent = at.mnt;
    m.mountpoint = at.vn;
    at.mnt.children.push(m);
    return m;
  }

  /** Detaches a mount that has no children (umount). */
  detach(m: Mount): void {
    const p = m.parent;
    if (!p) return;
    const i = p.children.indexOf(m);
    if (i >= 0) p.children.splice(i, 1);
    m.parent = null;
  }

  /** Every mount, parents before children, in mount order (the order of /proc/mounts). */
  all(): Mount[] {
    const out: Mount[] = [];
    const visit = (m: Mount): void => {
      out.push(m);
      for (const c of m.children) visit(c);
    };
    visit(this.root);
    return out.sort((a, b) => a.id - b.id);
  }
}
