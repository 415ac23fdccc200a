/**
 * Mount calls (mount(2), umount2(2), pivot_root(2)) on the caller's mount namespace,
 * with the checks and errno Linux gives, in Linux's order:
 *
 *   mount       may_mount (CAP_SYS_ADMIN in the user namespace owning the mount
 *               namespace) → remount | bind | propagation change | move | new mount
 *   umount2     may_mount → a mount root (EINVAL) → of this namespace (EINVAL) →
 *               not locked (EINVAL, MNT-09) → not busy unless MNT_DETACH (EBUSY)
 *   pivot_root  may_mount (PIV-06) → not on the root mount (EBUSY, PIV-01) → the root
 *               a mount point (PIV-05) → new_root a mount point (PIV-02) → put_old
 *               under new_root (PIV-03) → no shared parents (PIV-04)
 */
import { traceVfs } from '../vfs/vfs-trace.js';
import { MS_FLAGS, UMOUNT_FLAGS, flags as flagsText } from '../trace/strace-xlat.js';
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { HandlerTable } from './handler.js';
import { resolve } from '../vfs/namei.js';
import { isUnder, mountFlags, type Mount, type MountFlags, type MountNamespace, type Path, type PropagationChange } from '../vfs/mount.js';
import { sameVnode, type FileSystem, type Vnode } from '../vfs/vnode.js';
import { isDir, makedev, S_IFCHR } from '../vfs/types.js';
import { CAP, capable, nsCapable, capMissing, capMissingInit } from '../ns/capabilities.js';
import { SysFs } from '../fs/sysfs.js';
import { SimFs } from '../fs/simfs.js';
import { ProcFs } from '../fs/procfs/procfs.js';
import { NsVnode } from '../ns/nsfs.js';
import { CgroupFs } from '../cgroup/cgroupfs.js';
import { OverlayFs } from '../fs/overlayfs.js';

// mount(2) flags (linux/mount.h).
export const MS_RDONLY = 1;
export const MS_NOSUID = 2;
export const MS_NODEV = 4;
export const MS_NOEXEC = 8;
export const MS_REMOUNT = 32;
export const MS_BIND = 4096;
export const MS_MOVE = 8192;
export const MS_REC = 16384;
export const MS_SILENT = 32768;
export const MS_UNBINDABLE = 1 << 17;
export const MS_PRIVATE = 1 << 18;
export const MS_SLAVE = 1 << 19;
export const MS_SHARED = 1 << 20;
export const MS_RELATIME = 1 << 21;
// umount2(2) flags.
export const MNT_FORCE = 1;
export const MNT_DETACH = 2;
export const MNT_EXPIRE = 4;
export const UMOUNT_NOFOLLOW = 8;

const PROPAGATION: [number, PropagationChange][] = [
  [MS_SHARED, 'shared'],
  [MS_PRIVATE, 'private'],
  [MS_SLAVE, 'slave'],
  [MS_UNBINDABLE, 'unbindable'],
];

/** may_mount(): CAP_SYS_ADMIN in the user namespace that owns the caller's mount namespace. */
function mayMount(t: Task): boolean {
  return nsCapable(t.creds, t.fs.mntNs.owner!, CAP.SYS_ADMIN);
}

/** The topmost mount at a path (LOOKUP_MOUNTPOINT: "." or a cwd covered by a later mount). */
function topmost(p: Path): Path {
  let cur = p;
  for (let m = cur.mnt.childAt(cur.vn); m !== undefined; m = cur.mnt.childAt(cur.vn)) cur = { mnt: m, vn: m.root };
  return cur;
}

function isMountRoot(p: Path): boolean {
  return sameVnode(p.vn, p.mnt.root);
}

function flagsOf(f: number): Partial<MountFlags> {
  return { readonly: (f & MS_RDONLY) !== 0, nosuid: (f & MS_NOSUID) !== 0, nodev: (f & MS_NODEV) !== 0, noexec: (f & MS_NOEXEC) !== 0 };
}

/** Parses tmpfs options (tmpfs(5)): size=N[k|m|g|%], mode=OCTAL; returns /proc/mounts text and the root mode. */
function tmpfsOptions(data: string): { options: string; mode: number } | SysError {
  const out: string[] = [];
  let mode = 0o1777;
  for (const opt of data.split(',').filter(Boolean)) {
    const [key, val = ''] = opt.split('=');
    if (key === 'size') {
      const m = /^(\d+)([kmg%]?)$/i.exec(val);
      if (!m) return err('EINVAL', `tmpfs: bad size "${val}"`);
      const unit = m[2].toLowerCase();
      out.push(unit === '%' ? `size=${m[1]}%` : `size=${Number(m[1]) * ({ '': 1 / 1024, k: 1, m: 1024, g: 1024 * 1024 } as Record<string, number>)[unit]}k`);
    } else if (key === 'mode') {
      if (!/^[0-7]{1,4}$/.test(val)) return err('EINVAL', `tmpfs: bad mode "${val}"`);
      mode = parseInt(val, 8);
      out.push(`mode=${mode.toString(8)}`);
    } else if (key === 'uid' || key === 'gid' || key === 'nr_inodes') {
      out.push(opt);
    } else if (!['rw', 'ro', 'defaults', 'relatime'].includes(key)) {
      return err('EINVAL', `tmpfs: unknown option "${key}"`);
    }
  }
  // The kernel shows them in its own order (size before mode), not as given.
  const rank = (o: string): number => ['size', 'nr_inodes', 'mode', 'uid', 'gid'].indexOf(o.split('=')[0]);
  return { options: out.sort((a, b) => rank(a) - rank(b)).join(','), mode };
}

/** devpts's options as /proc/mounts shows them: gid, mode and ptmxmode in the kernel's order (defaults mode=600, ptmxmode=000). */
function devptsOptions(data: string): string {
  const get = (key: string): string | undefined => new RegExp(`(?:^|,)${key}=([^,]*)`).exec(data)?.[1];
  const octal3 = (v: string | undefined, dflt: string): string => (v === undefined ? dflt : (parseInt(v, 8) & 0o777).toString(8).padStart(3, '0'));
  const gid = get('gid');
  return [gid !== undefined ? `gid=${gid}` : '', `mode=${octal3(get('mode'), '600')}`, `ptmxmode=${octal3(get('ptmxmode'), '000')}`].filter(Boolean).join(',');
}

/** A new file-system instance for mount -t TYPE (each type's fs_context, with its mount_capable check). */
function newFileSystem(k: Kernel, t: Task, type: string, source: string, data: string): FileSystem | SysError {
  switch (type) {
    case 'tmpfs': {
      const o = tmpfsOptions(data);
      if (o instanceof SysError) return o;
      // The root directory belongs to the mounter (shmem_fill_super: current_fsuid/fsgid).
      return new SimFs({ type: 'tmpfs', dev: k.allocAnonDev(), source, rootMode: o.mode, nowNs: k.realtimeNs, options: o.options, rootUid: t.creds.fsuid, rootGid: t.creds.fsgid });
    }
    case 'proc': {
      // proc belongs to the caller's PID namespace: CAP_SYS_ADMIN in its owner too (CAP-03).
      if (!nsCapable(t.creds, t.pidNs.owner!, CAP.SYS_ADMIN)) return err('EPERM', 'mounting proc needs CAP_SYS_ADMIN in the user namespace that owns the PID namespace (CAP-03)' + '; ' + capMissing(t.creds, t.pidNs.owner!, CAP.SYS_ADMIN));
      return new ProcFs(k, t.pidNs, k.allocAnonDev(), source);
    }
    case 'cgroup2':
      // Rooted at the mounter's cgroup-namespace root (CGNS-03); needs CAP_SYS_ADMIN in its owner.
      if (!nsCapable(t.creds, t.nsproxy.cgroup.owner!, CAP.SYS_ADMIN)) return err('EPERM', 'mounting cgroup2 needs CAP_SYS_ADMIN in the user namespace that owns the cgroup namespace' + '; ' + capMissing(t.creds, t.nsproxy.cgroup.owner!, CAP.SYS_ADMIN));
      return new CgroupFs(k, t.nsproxy.cgroup.root, k.allocAnonDev());
    case 'sysfs':
      if (!nsCapable(t.creds, t.nsproxy.net.owner!, CAP.SYS_ADMIN)) return err('EPERM', 'mounting sysfs needs CAP_SYS_ADMIN in the user namespace that owns the network namespace' + '; ' + capMissing(t.creds, t.nsproxy.net.owner!, CAP.SYS_ADMIN));
      // /sys/class/net shows the mounter's network namespace (NET-04).
      return new SysFs(k, k.allocAnonDev(), t.nsproxy.net, source);
    case 'overlay':
      return newOverlay(k, t, source, data);
    case 'devpts': {
      // Every devpts mount is a new instance (Linux ≥ 4.7): empty but for ptmx.
      // Simplification: its ptmx cannot allocate terminals; ctsim's terminals live in the boot instance.
      const fs = new SimFs({ type: 'devpts', dev: k.allocAnonDev(), source, rootMode: 0o755, nowNs: k.realtimeNs, options: devptsOptions(data) });
      const ptmxMode = /(?:^|,)ptmxmode=([0-7]+)/.exec(data);
      fs.root().mknod!('ptmx', S_IFCHR | (ptmxMode ? parseInt(ptmxMode[1], 8) & 0o777 : 0), makedev(5, 2), { fsuid: 0, fsgid: 0 }, k.realtimeNs);
      return fs;
    }
    case 'mqueue':
      // Simplification: POSIX message queues are not modelled; the file system is an empty directory.
      return new SimFs({ type: 'mqueue', dev: k.allocAnonDev(), source, rootMode: 0o1777, nowNs: k.realtimeNs });
    case 'ext4':
    case 'xfs':
    case 'btrfs':
      if (!capable(t.creds, CAP.SYS_ADMIN)) return err('EPERM', `${type} can be mounted only from the initial user namespace` + '; ' + capMissingInit(t.creds, CAP.SYS_ADMIN));
      return err('ENOTBLK', `${source} is not a block device`);
    default:
      return err('ENODEV', `file system type "${type}" is not supported by this kernel (see /proc/filesystems)`);
  }
}

/** An overlay from "lowerdir=A:B,upperdir=U,workdir=W" (overlayfs.rst "Multiple lower layers"). */
function newOverlay(k: Kernel, t: Task, source: string, data: string): FileSystem | SysError {
  const o = new Map<string, string>();
  for (const opt of data.split(',').filter(Boolean)) {
    const eq = opt.indexOf('=');
    o.set(eq < 0 ? opt : opt.slice(0, eq), eq < 0 ? '' : opt.slice(eq + 1));
  }
  const lowerdir = o.get('lowerdir');
  if (!lowerdir) return err('EINVAL', 'overlay: missing lowerdir');
  const dirOf = (p: string): Path | SysError => {
    const r = resolve(k, t, p, { follow: true });
    if (r instanceof SysError) return r;
    return isDir(r.vn.mode()) ? topmost(r) : err('ENOTDIR', `overlay: ${p} is not a directory`);
  };
  const lowers: Vnode[] = [];
  for (const p of lowerdir.split(':')) {
    const d = dirOf(p);
    if (d instanceof SysError) return d;
    lowers.push(d.vn);
  }
  const upperdir = o.get('upperdir');
  const workdir = o.get('workdir');
  let upper: Vnode;
  if (upperdir !== undefined) {
    if (workdir === undefined) return err('EINVAL', 'overlay: upperdir needs workdir');
    const u = dirOf(upperdir);
    if (u instanceof SysError) return u;
    const w = dirOf(workdir);
    if (w instanceof SysError) return w;
    if (u.vn.fs !== w.vn.fs) return err('EINVAL', 'overlay: workdir and upperdir must be on the same file system');
    if (sameVnode(u.vn, w.vn)) return err('EINVAL', 'overlay: workdir and upperdir must be separate directories');
    // The kernel's scratch directory inside workdir.
    if (w.vn.lookup && w.vn.lookup('work') instanceof SysError) w.vn.mkdir?.('work', 0o000, { fsuid: 0, fsgid: 0 }, k.realtimeNs);
    upper = u.vn;
  } else {
    // Lower layers only: a read-only overlay (the mount gets MS_RDONLY).
    upper = new SimFs({ type: 'tmpfs', dev: k.allocAnonDev(), source: 'none', nowNs: k.realtimeNs }).root();
  }
  return new OverlayFs({ source, dev: k.allocAnonDev(), lowers, upper, options: data, nowNs: realtimeClock(k) });
}

/**
 * The kernel's CLOCK_REALTIME as a function, made apart from newOverlay: a closure there
 * would share its scope with the ones that capture the mounting task, and the overlay
 * (which lives as long as the mount) would keep that task and its ancestors after they
 * are reaped.
 */
function realtimeClock(k: Kernel): () => number {
  return () => k.realtimeNs;
}

/** mount(2), with its vfs trace record when it succeeds. */
function mountTraced(k: Kernel, t: Task, r: MountRequest): number | SysError {
  const res = doMount(k, t, r);
  if (res === 0) {
    const f = r.flags ?? 0;
    const kind = f & MS_REMOUNT ? 'remount' : PROPAGATION.some(([bit]) => f & bit) ? 'propagation' : f & MS_BIND ? 'bind' : f & MS_MOVE ? 'move' : 'new';
    traceVfs(k, 'mount', t, () => ({ kind, source: r.source ?? '', target: r.target, fstype: r.fstype ?? '', flags: flagsText(f, MS_FLAGS), data: r.data ?? '' }));
  }
  return res;
}

interface MountRequest {
  source?: string;
  target: string;
  fstype?: string;
  flags?: number;
  data?: string;
}

function doMount(k: Kernel, t: Task, r: MountRequest): number | SysError {
  const flags = r.flags ?? 0;
  if (!mayMount(t)) return err('EPERM', 'mount needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace');
  const res = resolve(k, t, r.target, { follow: true });
  if (res instanceof SysError) return res;
  const target = topmost(res);
  const ns = t.fs.mntNs;
  const inNs = (m: Mount): boolean => m.ns === ns;

  if (flags & MS_REMOUNT) {
    if (!isMountRoot(target)) return err('EINVAL', `${r.target} is not a mount point`);
    if (!inNs(target.mnt)) return err('EINVAL', `${r.target} is not in the caller's mount namespace`);
    const m = target.mnt;
    const want = flagsOf(flags);
    // Flags a more privileged namespace set cannot be cleared here (MNT-10).
    if (m.lockedFlags && ((m.flags.readonly && !want.readonly) || (m.flags.nosuid && !want.nosuid) || (m.flags.nodev && !want.nodev) || (m.flags.noexec && !want.noexec))) {
      return err('EPERM', 'the mount\'s flags were locked when it came from a more privileged mount namespace (MNT-10)');
    }
    m.ns.table.beforeChange(m, false);
    m.flags = mountFlags(want);
    return 0;
  }
  const prop = PROPAGATION.filter(([bit]) => flags & bit);
  if (prop.length > 0) {
    if (prop.length > 1) return err('EINVAL', 'only one propagation type at a time');
    if (!isMountRoot(target)) return err('EINVAL', `${r.target} is not a mount point`);
    if (!inNs(target.mnt)) return err('EINVAL', `${r.target} is not in the caller's mount namespace`);
    ns.setPropagation(target.mnt, prop[0][1], (flags & MS_REC) !== 0);
    return 0;
  }
  if (flags & MS_BIND) {
    const src = resolve(k, t, r.source ?? '', { follow: true });
    if (src instanceof SysError) return src;
    const from = src.vn instanceof NsVnode ? src : topmost(src);
    // A mount namespace's file may not be bound into itself or a newer namespace: it would pin itself (mnt_ns_loop).
    if (from.vn instanceof NsVnode && from.vn.ns.nsType === 'mnt' && (from.vn.ns as MountNamespace).seq >= ns.seq) return err('EINVAL', 'binding this mount namespace here would make it pin itself');
    if (!inNs(from.mnt) && !(from.vn instanceof NsVnode)) return err('EINVAL', 'the source is not in the caller\'s mount namespace');
    if (!inNs(target.mnt)) return err('EINVAL', `${r.target} is not in the caller's mount namespace`);
    if (isDir(from.vn.mode()) !== isDir(target.vn.mode())) return err(isDir(from.vn.mode()) ? 'ENOTDIR' : 'EISDIR', `a bind mount needs ${r.source ?? ''} and ${r.target} to be both directories or both not`);
    const m = ns.bind(target, from, (flags & MS_REC) !== 0);
    if (m instanceof SysError) return m;
    return 0;
  }
  if (flags & MS_MOVE) {
    const src = resolve(k, t, r.source ?? '', { follow: true });
    if (src instanceof SysError) return src;
    const from = topmost(src);
    if (!isMountRoot(from) || !inNs(from.mnt) || from.mnt.parent === null) return err('EINVAL', `${r.source} is not a mount point`);
    if (from.mnt.locked) return err('EINVAL', 'the mount is locked (MNT-09)');
    if (from.mnt.parent.peerGroup !== 0) return err('EINVAL', 'cannot move a mount out of a shared mount');
    if (from.mnt.subtree().includes(target.mnt)) return err('ELOOP', 'cannot move a mount below itself');
    ns.move(from.mnt, target);
    return 0;
  }
  if (!isDir(target.vn.mode())) return err('ENOTDIR', `${r.target} is not a directory`);
  if (!inNs(target.mnt)) return err('EINVAL', `${r.target} is not in the caller's mount namespace`);
  const fs = newFileSystem(k, t, r.fstype ?? '', r.source ?? 'none', r.data ?? '');
  if (fs instanceof SysError) return fs;
  const mflags = flagsOf(flags);
  if (fs instanceof OverlayFs && !/(^|,)upperdir=/.test(r.data ?? '')) mflags.readonly = true;
  const m = ns.mountAt(target, fs, fs.root(), mflags);
  if (fs instanceof ProcFs) fs.mount = m;
  return 0;
}

/** True when a task works in `m` (cwd or root there) or has a file open on it. */
function mountBusy(k: Kernel, m: Mount): boolean {
  for (const t of k.tasks.values()) {
    if (t.exiting) continue;
    if (t.fs.cwd.mnt === m || t.fs.root.mnt === m) return true;
    for (const fd of t.files.openFds()) if (t.files.get(fd)?.mnt === m) return true;
  }
  return false;
}

function doUmount(k: Kernel, t: Task, r: { target: string; flags?: number }): number | SysError {
  const flags = r.flags ?? 0;
  if (flags & ~(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) return err('EINVAL', `flags 0x${flags.toString(16)} has bits other than MNT_FORCE, MNT_DETACH, MNT_EXPIRE and UMOUNT_NOFOLLOW (umount2(2))`);
  if (!mayMount(t)) return err('EPERM', 'umount needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace');
  const res = resolve(k, t, r.target, { follow: !(flags & UMOUNT_NOFOLLOW) });
  if (res instanceof SysError) return res;
  const p = topmost(res);
  if (!isMountRoot(p)) return err('EINVAL', `${r.target} is not a mount point`);
  const m = p.mnt;
  if (m.ns !== t.fs.mntNs) return err('EINVAL', `${r.target} is not mounted in the caller's mount namespace`);
  if (m.locked) return err('EINVAL', `${r.target} was inherited locked from a more privileged mount namespace; unmount its parent instead (MNT-09)`);
  if (flags & MNT_FORCE && !capable(t.creds, CAP.SYS_ADMIN)) return err('EPERM', 'MNT_FORCE needs CAP_SYS_ADMIN in the initial user namespace' + '; ' + capMissingInit(t.creds, CAP.SYS_ADMIN));
  if (m.parent === null) {
    if (!(flags & MNT_DETACH)) return err('EBUSY', 'the root of the mount namespace is in use');
    return err('EINVAL', 'the root of the mount namespace cannot be detached');
  }
  if (!(flags & MNT_DETACH) && (m.children.length > 0 || mountBusy(k, m))) return err('EBUSY', `${r.target} is busy (a process works in it, has a file open on it, or something is mounted below it)`);
  t.fs.mntNs.umountTree(m);
  traceVfs(k, 'umount', t, () => ({ target: r.target, fstype: m.fs.type, flags: flagsText(flags, UMOUNT_FLAGS) }));
  return 0;
}

/** True when `p` lies at or below `top` in the mount tree (is_path_reachable). */
function below(p: Path, top: Path): boolean {
  let cur = p;
  for (let guard = 0; guard < 4096; guard++) {
    if (cur.mnt === top.mnt) return isUnder(cur.mnt, cur.vn, top.vn);
    if (cur.mnt.parent === null || cur.mnt.mountpoint === null) return false;
    cur = { mnt: cur.mnt.parent, vn: cur.mnt.mountpoint };
  }
  return false;
}

function doPivotRoot(k: Kernel, t: Task, r: { newRoot: string; putOld: string }): number | SysError {
  if (!mayMount(t)) return err('EPERM', 'pivot_root needs CAP_SYS_ADMIN in the user namespace that owns the mount namespace (PIV-06)');
  const n = resolve(k, t, r.newRoot, { follow: true });
  if (n instanceof SysError) return n;
  const o = resolve(k, t, r.putOld, { follow: true });
  if (o instanceof SysError) return o;
  if (!isDir(n.vn.mode()) || !isDir(o.vn.mode())) return err('ENOTDIR', `${isDir(n.vn.mode()) ? r.putOld : r.newRoot} is not a directory`);
  const newRoot = topmost(n);
  const putOld = topmost(o);
  const root = t.fs.root;
  const ns = t.fs.mntNs;
  if (newRoot.mnt.ns !== ns || putOld.mnt.ns !== ns || root.mnt.ns !== ns) return err('EINVAL', 'the paths must be in the caller\'s mount namespace');
  if (newRoot.mnt.locked) return err('EINVAL', 'new_root is a locked mount');
  if (newRoot.mnt === root.mnt || putOld.mnt === root.mnt) return err('EBUSY', 'new_root and put_old must not be on the current root mount (PIV-01)');
  if (!isMountRoot(root)) return err('EINVAL', 'the current root is not a mount point (after chroot?) (PIV-05)');
  if (!isMountRoot(newRoot) || newRoot.mnt.parent === null) return err('EINVAL', `${r.newRoot} is not a mount point (PIV-02)`);
  if (!below(putOld, newRoot)) return err('EINVAL', `${r.putOld} is not at or underneath ${r.newRoot} (PIV-03)`);
  if (!below(newRoot, root)) return err('EINVAL', `${r.newRoot} is not under the current root`);
  if (putOld.mnt.peerGroup !== 0 || newRoot.mnt.parent.peerGroup !== 0 || (root.mnt.parent?.peerGroup ?? 0) !== 0) {
    return err('EINVAL', 'pivot_root refuses shared mounts: make them private first (mount --make-rprivate /) (PIV-04)');
  }
  const oldRoot = root.mnt;
  const newMnt = newRoot.mnt;
  // new_root leaves its parent and becomes the namespace's root; the old root goes to put_old.
  newMnt.parent!.removeChild(newMnt);
  newMnt.parent = null;
  newMnt.mountpoint = null;
  ns.root = newMnt;
  ns.move(oldRoot, putOld);
  // Every process of the namespace whose root or cwd was the old root now has the new one (PIV-08).
  // (A zombie's context is not among them: Linux frees a task's fs_struct when it exits.)
  for (const fs of ns.contexts) {
    if (fs.root.mnt === oldRoot && sameVnode(fs.root.vn, oldRoot.root)) fs.root = { mnt: newMnt, vn: newMnt.root };
    if (fs.cwd.mnt === oldRoot && sameVnode(fs.cwd.vn, oldRoot.root)) fs.cwd = { mnt: newMnt, vn: newMnt.root };
  }
  traceVfs(k, 'pivot_root', t, () => ({ newRoot: r.newRoot, putOld: r.putOld, fstype: newMnt.fs.type }));
  return 0;
}

export const mountSyscalls: HandlerTable = {
  /** mount({source, target, fstype, flags, data}). */
  mount: mountTraced,
  /** umount2({target, flags}). */
  umount2: doUmount,
  /** pivot_root({newRoot, putOld}). */
  pivot_root: doPivotRoot,
};
