/**
 * nsfs: the internal file system behind /proc/PID/ns/* (namespaces(7)). Following
 * such a link reaches the namespace's nsfs inode, whose inode number is the
 * namespace's (NS-02: stat's st_ino equals the number in `uts:[N]`). An open file or
 * a bind mount of one holds the namespace alive (NS-03); setns(2) takes such a file.
 */
import type { Kernel } from '../kernel.js';
import { OpenFile, type FileOps } from '../vfs/file.js';
import { err, type SysError } from '../errno.js';
import type { UserNamespace } from './user-ns.js';
import type { PidNamespace } from '../proc/pid-namespace.js';
import type { FileSystem, Vnode } from '../vfs/vnode.js';
import { Mount, MountNamespace } from '../vfs/mount.js';
import { S_IFREG, makedev, type Stat } from '../vfs/types.js';
import { CLONE_NEW, nsGet, nsLinkText, nsPut, type Namespace } from './namespace.js';

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

/** ioctl_ns(2) requests. */
export const NS_GET_USERNS = 0xb701;
export const NS_GET_PARENT = 0xb702;
export const NS_GET_NSTYPE = 0xb703;
export const NS_GET_OWNER_UID = 0xb704;

const nsFileOps: FileOps = {
  release(_k, f: OpenFile) {
    nsPut(f.priv as Namespace);
  },
  /**
   * ioctl_ns(2): NS_GET_USERNS and NS_GET_PARENT return a new descriptor for the owning
   * user namespace or the parent (user and PID namespaces only, else EINVAL; EPERM at
   * the top); NS_GET_NSTYPE the CLONE_NEW* flag; NS_GET_OWNER_UID a user namespace's
   * owner as the caller sees it.
   */
  ioctl(k, t, f, cmd) {
    const ns = f.priv as Namespace;
    const openNs = (target: Namespace): number | SysError => {
      const fd = t.files.lowestFree();
      const file = new OpenFile(nsFileOps, 0, k.nsfs.mount, k.nsfs.vnodeOf(target), nsLinkText(target), nsGet(target));
      t.files.install(fd, file, true);
      return fd;
    };
    switch (cmd) {
      case NS_GET_USERNS:
        // Only within the caller's own user namespace and below (ns_get_owner).
        if (!ns.owner || !ns.owner.isWithin(t.creds.userNs)) return err('EPERM', 'the owner is outside the caller\'s user namespace');
        return openNs(ns.owner);
      case NS_GET_PARENT: {
        if (ns.nsType !== 'user' && ns.nsType !== 'pid') return err('EINVAL', 'only user and PID namespaces have parents');
        if (ns.nsType === 'user') {
          const parent = (ns as UserNamespace).parent;
          if (!parent || !parent.isWithin(t.creds.userNs)) return err('EPERM', 'the parent is outside the caller\'s user namespace');
          return openNs(parent);
        }
        const parent = (ns as PidNamespace).parent;
        // Within the caller's active PID namespace only (pidns_get_parent).
        let visible = false;
        for (let p: PidNamespace | null = parent; p !== null; p = p.parent) if (p === t.pidNs) visible = true;
        if (!parent || !visible) return err('EPERM', 'the parent is outside the caller\'s PID namespace');
        return openNs(parent);
      }
      case NS_GET_NSTYPE:
        return CLONE_NEW[ns.nsType];
      case NS_GET_OWNER_UID:
        return ns.nsType === 'user' ? t.creds.userNs.uidOf((ns as UserNamespace).ownerUid) : err('EINVAL', `NS_GET_OWNER_UID needs a user namespace; ${nsLinkText(ns)} is not one`);
      default:
        return err('ENOTTY', `ioctl 0x${cmd.toString(16)} is not a namespace request (ioctl_ns(2))`);
    }
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
