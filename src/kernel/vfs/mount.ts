/**
 * Mounts and mount namespaces (mount_namespaces(7)). A mount attaches a file system
 * (or a subtree of one, for bind mounts) at a directory of its parent mount; a mount
 * namespace is a tree of mounts with one root. A position in the name space is a
 * (mount, vnode) pair — Linux's struct path — so that ".." can climb out of a mount.
 *
 *      /            (ext4, mount 21)
 *      ├── proc     (proc, mount 22: mountpoint = /proc's vnode in mount 21)
 *      └── dev      (devtmpfs, mount 23)
 *
 * Propagation ("shared subtrees"): a mount is private, shared (a member of a peer
 * group, `shared:N` in mountinfo), a slave (receives from a master peer group,
 * `master:N`), both, or unbindable. Mounting or unmounting below a shared mount
 * happens at the same place below every peer and every slave (MNT-04…MNT-06).
 */
import type { FileSystem, Vnode } from './vnode.js';
import type { FsContext } from './fs-context.js';
import { sameVnode, vnodeKey } from './vnode.js';
import { Namespace } from '../ns/namespace.js';
import type { UserNamespace } from '../ns/user-ns.js';
import { SysError } from '../errno.js';
import { isDir } from './types.js';
import { copyOfChild, forgetLazy, materializeKey, materializeLevel, materializeSubtree, type CopySnapshot, type LazyChildren } from './mount-copy.js';

/** Per-mount flags (MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC). */
export interface MountFlags {
  readonly: boolean;
  nosuid: boolean;
  nodev: boolean;
  noexec: boolean;
}

/** The 16 combinations of mount flags, each one frozen object that mounts share (a remount gives a mount another). */
const FLAG_SETS: readonly MountFlags[] = Array.from({ length: 16 }, (_, i) =>
  Object.freeze({ readonly: (i & 1) !== 0, nosuid: (i & 2) !== 0, nodev: (i & 4) !== 0, noexec: (i & 8) !== 0 }),
);

/** The shared flags object for `f` (missing flags are off). */
export function mountFlags(f: Partial<MountFlags>): MountFlags {
  return FLAG_SETS[(f.readonly ? 1 : 0) | (f.nosuid ? 2 : 0) | (f.nodev ? 4 : 0) | (f.noexec ? 8 : 0)];
}

/** Every live mount of a kernel, the ID counters and the peer groups (one per kernel). */
export class MountTable {
  nextId = 21;
  private nextGroup = 1;
  private nextEvent = 1;
  readonly live = new Set<Mount>();

  newGroup(): number {
    return this.nextGroup++;
  }

  newEvent(): number {
    return this.nextEvent++;
  }

  private nextNsSeq = 1;

  newNsSeq(): number {
    return this.nextNsSeq++;
  }

  /**
   * Mounts by peer group and by master group, kept by Mount's setters, so that a
   * propagation step costs the size of the group rather than of every mount (a host
   * with a thousand containers has tens of thousands).
   * Invariant: every live mount with peerGroup (master) g ≠ 0 is in byPeer (byMaster) under g.
   */
  private readonly byPeer = new Map<number, Set<Mount>>();
  private readonly byMaster = new Map<number, Set<Mount>>();

  /** Moves `m` from group `from` to group `to` in one of the indexes. */
  regroup(kind: 'peer' | 'master', m: Mount, from: number, to: number): void {
    const index = kind === 'peer' ? this.byPeer : this.byMaster;
    if (from !== 0) index.get(from)?.delete(m);
    if (to === 0) return;
    let set = index.get(to);
    if (!set) index.set(to, (set = new Set()));
    set.add(m);
  }

  /** Forgets a mount that is gone (unmounted). */
  forget(m: Mount): void {
    this.live.delete(m);
    this.byPeer.get(m.peerGroup)?.delete(m);
    this.byMaster.get(m.master)?.delete(m);
  }

  /** The live members of a group in mount order (the order the mounts were made). */
  private members(index: Map<number, Set<Mount>>, g: number): Mount[] {
    const set = g === 0 ? undefined : index.get(g);
    if (!set) return [];
    return [...set].filter((m) => this.live.has(m)).sort((a, b) => a.id - b.id);
  }

  /** True when peer group `g` has a live member besides `m` (without listing the group). */
  hasOtherPeer(g: number, m: Mount): boolean {
    const set = g === 0 ? undefined : this.byPeer.get(g);
    if (set) for (const p of set) if (p !== m && this.live.has(p)) return true;
    return false;
  }

  /**
   * Copies made by copyInto whose children are not copied yet (see Mount.lazy).
   * Invariant: holds exactly the mounts whose `lazy` is set.
   */
  readonly pending = new Set<Mount>();

  /** Copies every child still to be copied, down to the last (what an eager copy_mnt_ns would have made). */
  materializeAll(): void {
    while (this.pending.size > 0) for (const l of [...this.pending]) materializeLevel(l);
  }

  /**
   * Called before `m` changes — its propagation or flags, or with `structural` its
   * children: every lazy copy that would copy `m` from what it is now copies it (or
   * its children) first, as it was when the namespace was copied.
   */
  beforeChange(m: Mount, structural: boolean): void {
    if (this.pending.size === 0) return;
    if (structural && m.lazy) materializeLevel(m);
    const path: Mount[] = [];
    for (let a: Mount | null = m; a !== null; a = a.parent) path.push(a);
    for (let i = path.length - 1; i >= 0; i--) {
      const copies = path[i].lazyCopies;
      if (!copies || copies.size === 0) continue;
      for (const l of [...copies]) {
        // Down from the copy of path[i] to the copy of m, copying what lies on the way.
        let copy: Mount | undefined = l;
        for (let j = i - 1; j >= 0 && copy; j--) copy = copyOfChild(copy, path[j]);
        if (copy && structural && copy.lazy) materializeLevel(copy);
      }
    }
  }

  /** The members of peer group `g`. */
  peers(g: number): Mount[] {
    return this.members(this.byPeer, g);
  }

  /** The mounts whose master is peer group `g`. */
  slavesOf(g: number): Mount[] {
    return this.members(this.byMaster, g);
  }
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
  /** vnodeKey(mountpoint), kept from when it was attached (copies of the mount reuse it). */
  mountpointKey = '';
  /**
   * How many mounts this one's subtree holds, itself included (kept by addChild and
   * removeChild; a lazy copy counts what it will copy): where a copy's ID goes.
   */
  size = 1;
  /**
   * Mounts attached below this one, in mount order (change it with addChild/removeChild);
   * while `lazy`, only the copies made so far (see `children`).
   */
  readonly kids: Mount[] = [];
  /**
   * A copy whose children are not all copied yet. copy_mnt_ns copies every mount of the
   * namespace; a container's runtime then detaches nearly all of them (pivot_root and
   * a lazy unmount of the old root) without looking at them — a host with thousands of
   * containers would copy thousands of mounts for each new one. So copyInto copies a
   * mount's children when something first looks at them (children, childAt), with the
   * IDs, propagation and flags an eager copy would have given them: IDs are reserved
   * in the copy's order, the source may not change before (MountTable.beforeChange
   * copies first), and recursive propagation changes made meanwhile are replayed.
   */
  lazy: LazyChildren | null = null;
  /** The lazy copies whose children are to be copied from this mount's. */
  lazyCopies: Set<Mount> | null = null;
  /** For a mount copyInto made: that copy (where its ID and its children's come from). */
  copiedBy: CopySnapshot | null = null;
  /**
   * The children by the vnode they cover (one mount, or a stack topmost last) — the
   * kernel's mount_hashtable, so that a path walk past a directory with many mounts below
   * it does not scan them. Made with the first child (most mounts have none).
   * Invariant: the same mounts as `children`, each filed under its mountpointKey.
   */
  private childIndex: Map<string, Mount | Mount[]> | null = null;
  flags: MountFlags;
  ns: MountNamespace;
  private peerGroupNr = 0;
  private masterNr = 0;

  /** The peer group when shared (`shared:N`), else 0. */
  get peerGroup(): number {
    return this.peerGroupNr;
  }

  set peerGroup(g: number) {
    if (g === this.peerGroupNr) return;
    this.ns.table.beforeChange(this, false);
    this.ns.table.regroup('peer', this, this.peerGroupNr, g);
    this.peerGroupNr = g;
  }

  /** The peer group this mount receives from when a slave (`master:N`), else 0. */
  get master(): number {
    return this.masterNr;
  }

  set master(g: number) {
    if (g === this.masterNr) return;
    this.ns.table.beforeChange(this, false);
    this.ns.table.regroup('master', this, this.masterNr, g);
    this.masterNr = g;
  }
  unbindable = false;
  /** Inherited by a less privileged namespace with its parent: cannot be unmounted alone (MNT-09). */
  locked = false;
  /** Its ro/nosuid/nodev/noexec came from a more privileged namespace and cannot be cleared (MNT-10). */
  lockedFlags = false;
  /** The mount event that made this mount; its propagated copies share it, so unmounts follow. */
  event: number;

  constructor(id: number, fs: FileSystem, root: Vnode, ns: MountNamespace, flags: Partial<MountFlags>, event: number) {
    this.id = id;
    this.fs = fs;
    this.root = root;
    this.parent = null;
    this.mountpoint = null;
    this.ns = ns;
    this.flags = mountFlags(flags);
    this.event = event;
  }

  /** Mounts attached below this one, in mount order (a lazy copy copies the rest first). */
  get children(): Mount[] {
    if (this.lazy) materializeLevel(this);
    return this.kids;
  }

  /** The children covering the vnode with key `key`, bottom first (a lazy copy copies them first). */
  private stackAt(key: string): Mount | Mount[] | undefined {
    const e = this.childIndex?.get(key);
    if (e !== undefined || !this.lazy) return e;
    materializeKey(this, key);
    return this.childIndex?.get(key);
  }

  /** The children at `key`, bottom first, of what is filed (for lazy copying). */
  filedAt(key: string): readonly Mount[] {
    const e = this.childIndex?.get(key);
    return e === undefined ? [] : Array.isArray(e) ? e : [e];
  }

  /** The topmost child mount covering `vn` in this mount, or undefined. */
  childAt(vn: Vnode): Mount | undefined {
    if (this.childIndex === null && !this.lazy) return undefined;
    const e = this.stackAt(vnodeKey(vn));
    return Array.isArray(e) ? e[e.length - 1] : e;
  }

  /** The children covering `vn`, bottom first (in mount order, as in `children`). */
  childrenAt(vn: Vnode): readonly Mount[] {
    const e = this.stackAt(vnodeKey(vn));
    return e === undefined ? [] : Array.isArray(e) ? e.slice() : [e];
  }

  /** Attaches `m` (whose mountpoint and mountpointKey are set) as the topmost child at its mountpoint. */
  addChild(m: Mount): void {
    this.ns.table.beforeChange(this, true);
    this.file(m);
    addToSizes(this, m.size);
  }

  /** Puts `m` in `kids` and the index (no checks: addChild, and lazy copying, which keeps `kids` in order itself). */
  file(m: Mount): void {
    this.kids.push(m);
    const index = (this.childIndex ??= new Map());
    const key = m.mountpointKey;
    const e = index.get(key);
    if (e === undefined) index.set(key, m);
    else if (Array.isArray(e)) e.push(m);
    else index.set(key, [e, m]);
  }

  /** Detaches child `m` (its mountpoint still set). */
  removeChild(m: Mount): void {
    this.ns.table.beforeChange(this, true);
    const i = this.kids.indexOf(m);
    if (i < 0) return;
    this.kids.splice(i, 1);
    addToSizes(this, -m.size);
    const index = this.childIndex!;
    const key = m.mountpointKey;
    const e = index.get(key)!;
    if (!Array.isArray(e)) index.delete(key);
    else {
      e.splice(e.indexOf(m), 1);
      if (e.length === 1) index.set(key, e[0]);
    }
  }

  /**
   * This mount and every mount below it, parents first; with `madeOnly`, without
   * copying what a lazy copy has not copied yet.
   */
  subtree(madeOnly = false): Mount[] {
    const out: Mount[] = [];
    const visit = (m: Mount): void => {
      out.push(m);
      for (const c of madeOnly ? m.kids : m.children) visit(c);
    };
    visit(this);
    return out;
  }
}

/** A position in a mount tree: a vnode reached through a mount. */
export interface Path {
  mnt: Mount;
  vn: Vnode;
}

/** mount --make-*: the propagation changes of mount(2) (MS_SHARED, MS_PRIVATE, MS_SLAVE, MS_UNBINDABLE). */
export type PropagationChange = 'shared' | 'private' | 'slave' | 'unbindable';

export class MountNamespace extends Namespace {
  readonly nsType = 'mnt' as const;
  root!: Mount;
  /**
   * The file-system contexts resolving paths here whose processes have not all exited
   * (kept by FsContext): what pivot_root moves to the new root, without scanning every
   * task of the kernel.
   */
  readonly contexts = new Set<FsContext>();
  readonly table: MountTable;
  /** Creation order: a namespace file can be bound only into an older namespace (mnt_ns_loop). */
  readonly seq: number;

  constructor(inum: number, owner: UserNamespace, table: MountTable) {
    super(inum, owner);
    this.table = table;
    this.seq = table.newNsSeq();
  }

  /** A dead namespace's mounts go with it (their peers stop propagating to them). */
  protected override teardown(): void {
    if (this.root) this.dropTree(this.root);
  }

  private newMount(fs: FileSystem, root: Vnode, flags: Partial<MountFlags>, event = this.table.newEvent(), id = this.table.nextId++): Mount {
    const m = new Mount(id, fs, root, this, flags, event);
    this.table.live.add(m);
    fs.pin?.(root);
    return m;
  }

  /**
   * The copy of `src` (a mount of the namespace copied by `snap`) below `parentCopy`,
   * as copy_mnt_ns makes it, with the propagation changes `ops` applied since; a lazy
   * copy itself when `src` has children. Its ID is the one reserved for `src`.
   */
  copyOne(snap: CopySnapshot, src: Mount, parentCopy: Mount | null, ops: readonly PropagationChange[], place: number): Mount {
    const c = this.newMount(src.fs, src.root, src.flags, src.event, snap.base + place);
    c.copiedBy = snap;
    c.size = src.size;
    c.peerGroup = src.peerGroup;
    c.master = src.master;
    c.unbindable = src.unbindable;
    if (snap.lessPrivileged) {
      if (c.peerGroup !== 0) {
        c.master = c.peerGroup;
        c.peerGroup = 0;
      }
      c.locked = parentCopy !== null;
      c.lockedFlags = true;
    } else {
      c.locked = src.locked;
      c.lockedFlags = src.lockedFlags;
    }
    if (parentCopy) {
      c.parent = parentCopy;
      c.mountpoint = src.mountpoint;
      c.mountpointKey = src.mountpointKey;
      parentCopy.file(c);
    }
    for (const op of ops) changePropagation(this.table, c, op);
    if (src.kids.length > 0) {
      c.lazy = { src, ops: ops.slice() };
      this.table.pending.add(c);
      (src.lazyCopies ??= new Set()).add(c);
    }
    return c;
  }

  /** Creates the root mount of this namespace. */
  mountRoot(fs: FileSystem, flags: Partial<MountFlags> = {}): Mount {
    const m = this.newMount(fs, fs.root(), flags);
    this.root = m;
    return m;
  }

  /** Attaches `fs` (or its subtree `root`) on top of `at`, without propagation (boot). */
  attach(at: Path, fs: FileSystem, root: Vnode = fs.root(), flags: Partial<MountFlags> = {}): Mount {
    const m = this.newMount(fs, root, flags);
    link(m, at);
    return m;
  }

  /**
   * Mounts `fs` at `at` and, when `at`'s mount is shared or a slave's master is, at
   * the same place in every receiving mount (propagate_mnt). The new mount joins a
   * new peer group when its parent is shared; copies on peers join it too, copies on
   * slaves become its slaves.
   */
  mountAt(at: Path, fs: FileSystem, root: Vnode, flags: Partial<MountFlags>): Mount {
    return this.graftTree(at, (ns, event) => ns.newMount(fs, root, { ...flags }, event), null);
  }

  /**
   * A bind mount (MS_BIND): `src`'s mount seen from `src.vn`, with every mount below
   * it when `recursive` (MS_REC); unbindable mounts are left out. Binding a shared
   * mount puts the copy in its peer group.
   */
  bind(at: Path, src: Path, recursive: boolean): Mount | SysError {
    if (src.mnt.unbindable) return new SysError('EINVAL', 'the source is an unbindable mount (MNT-07)');
    return this.graftTree(at, (ns, event) => ns.copyMount(src.mnt, src.vn, event), recursive ? src : null);
  }

  /** A copy of `m` rooted at `root` (clone_mnt), in the same peer group if shared. */
  private copyMount(m: Mount, root: Vnode, event: number): Mount {
    const c = this.newMount(m.fs, root, m.flags, event);
    c.peerGroup = m.peerGroup;
    c.master = m.master;
    return c;
  }

  /**
   * Attaches the mount `make` builds at `at`, plus (for a recursive bind) copies of
   * the mounts below `below`, and propagates the result to `at`'s receivers.
   *
   * Simplification: a copy propagated onto a mount point that already carries a
   * mount is stacked on top of it; Linux tucks it beneath (mnt_change_mountpoint),
   * which changes parent IDs in mountinfo but not what a path walk finds.
   */
  private graftTree(at: Path, make: (ns: MountNamespace, event: number) => Mount, below: Path | null): Mount {
    const event = this.table.newEvent();
    const top = make(this, event);
    // Copy the source's submounts before attaching, so a bind onto itself does not copy its own copy (copy_tree).
    if (below) copySubmounts(this, below, top);
    link(top, at);
    const parentShared = at.mnt.peerGroup !== 0;
    if (parentShared) for (const m of top.subtree()) if (m.peerGroup === 0) m.peerGroup = this.table.newGroup();
    for (const r of receivers(this.table, at.mnt)) {
      // The new mounts themselves (a bind of a shared mount joins its peer group) receive nothing (IS_MNT_NEW).
      if (r.mnt.event === event) continue;
      if (!reachable(r.mnt, at.vn)) continue;
      // The whole new tree (a recursive bind brings its submounts) goes to every receiver.
      const copyTree = (m: Mount, at2: Path): void => {
        const copy = r.mnt.ns.copyMount(m, m.root, event);
        if (r.asSlave) {
          copy.master = m.peerGroup;
          copy.peerGroup = 0;
        }
        link(copy, at2, at2.vn === m.mountpoint ? m.mountpointKey : undefined);
        for (const ch of m.children) copyTree(ch, { mnt: copy, vn: ch.mountpoint! });
      };
      copyTree(top, { mnt: r.mnt, vn: at.vn });
    }
    return top;
  }

  /**
   * Detaches `m` and everything below it (umount), and the copies propagation put
   * below the receivers of its parent (propagate_umount).
   */
  umountTree(m: Mount): void {
    const parent = m.parent;
    const at = m.mountpoint;
    if (parent && at) {
      for (const r of receivers(this.table, parent)) {
        const c = r.mnt.childAt(at);
        if (c && c !== m && c.event === m.event && c.children.length === 0) this.dropTree(c);
      }
    }
    this.dropTree(m);
  }

  /** Unlinks `m`'s subtree from the tree and forgets it (children a lazy copy never copied are simply not made). */
  dropTree(m: Mount): void {
    for (const x of m.subtree(true)) {
      this.table.forget(x);
      x.fs.unpin?.(x.root);
      if (x.lazy) forgetLazy(x);
    }
    m.parent?.removeChild(m);
    m.parent = null;
  }

  /** Moves `m` from where it is to `at` (MS_MOVE, pivot_root). */
  move(m: Mount, at: Path): void {
    m.parent?.removeChild(m);
    link(m, at);
  }

  /** Every mount, parents before children, in mount order (the order of /proc/mounts). */
  all(): Mount[] {
    return this.root.subtree().sort((a, b) => a.id - b.id);
  }

  /**
   * A copy of this namespace's tree for a new namespace `ns` (copy_mnt_ns): every
   * mount is copied with a new ID and the same propagation, except that a namespace
   * for a less privileged (different) user namespace gets shared mounts as slaves
   * (MNT-08) and every mount locked (MNT-09, MNT-10). Returns the copies of the mounts
   * in `wanted` (a process's root and working directory).
   */
  copyInto(ns: MountNamespace, wanted: readonly Mount[]): Map<Mount, Mount> {
    // A lazy copy being copied: copy what it has not first (its children are what is copied).
    for (const l of this.table.pending) {
      if (l.ns === this) {
        materializeSubtree(this.root);
        break;
      }
    }
    // The copy's IDs (in copy_tree's preorder) are all reserved now; the children are
    // copied when looked at (Mount.lazy).
    const snap: CopySnapshot = { ns, base: this.table.nextId, lessPrivileged: ns.owner !== this.owner };
    this.table.nextId += this.root.size;
    ns.root = ns.copyOne(snap, this.root, null, [], 0);
    const map = new Map<Mount, Mount>();
    for (const w of wanted) {
      const path: Mount[] = [];
      for (let a: Mount | null = w; a !== null && a !== this.root; a = a.parent) path.push(a);
      let copy: Mount | undefined = ns.root;
      for (let j = path.length - 1; j >= 0 && copy; j--) copy = copyOfChild(copy, path[j]);
      if (copy) map.set(w, copy);
    }
    return map;
  }

  /** mount --make-shared/--make-private/--make-slave/--make-unbindable on `m` (and below it with MS_REC). */
  setPropagation(m: Mount, change: PropagationChange, recursive: boolean): void {
    if (!recursive) {
      changePropagation(this.table, m, change);
      return;
    }
    // A shared mount gets a new group number, given in ID order: copy everything first.
    if (change === 'shared') for (const x of m.subtree(true)) if (x.lazy) materializeSubtree(x);
    const targets = m.subtree(true).sort((a, b) => a.id - b.id);
    for (const x of targets) changePropagation(this.table, x, change);
    // Copies still to be made get it when made: on a copy its outcome depends only on
    // the copy (its source, unchanged meanwhile, keeps it in its groups).
    for (const x of targets) if (x.lazy) x.lazy.ops.push(change);
  }
}

/** Adds `delta` to the size of `m` and of every mount above it. */
function addToSizes(m: Mount, delta: number): void {
  for (let a: Mount | null = m; a !== null; a = a.parent) a.size += delta;
}

/** Puts `m` below `at` (`key`: vnodeKey(at.vn), when the caller has it already). */
function link(m: Mount, at: Path, key = vnodeKey(at.vn)): void {
  m.parent = at.mnt;
  m.mountpoint = at.vn;
  m.mountpointKey = key;
  at.mnt.addChild(m);
}

/** Copies the mounts below `src` (within its subtree) under `top`, at the same places. */
function copySubmounts(ns: MountNamespace, src: Path, top: Mount): void {
  // Which of the source mount's children lie below src.vn: nothing lies below a file but
  // a mount on the file itself (docker's --volume of /etc/hosts on a host with thousands
  // of mounts under /); a directory's ancestors are looked up once for all children.
  const srcIsDir = isDir(src.vn.mode());
  const under = srcIsDir ? underTest(src.mnt, src.vn) : (vn: Vnode): boolean => sameVnode(vn, src.vn);
  const visit = (from: Mount, to: Mount): void => {
    for (const ch of from === src.mnt && !srcIsDir ? from.childrenAt(src.vn) : from.children) {
      if (ch.unbindable || ch.mountpoint === null) continue;
      if (from === src.mnt && !under(ch.mountpoint)) continue;
      const c = new Mount(ns.table.nextId++, ch.fs, ch.root, ns, ch.flags, top.event);
      ns.table.live.add(c);
      ch.fs.pin?.(ch.root);
      c.peerGroup = ch.peerGroup;
      c.master = ch.master;
      link(c, { mnt: to, vn: ch.mountpoint }, ch.mountpointKey);
      visit(ch, c);
    }
  };
  visit(src.mnt, top);
}

/** The mounts that receive events from `m`: its peers, and its group's slaves (and theirs). */
function receivers(table: MountTable, m: Mount): { mnt: Mount; asSlave: boolean }[] {
  // Copies not yet made would be peers or slaves too: make them all first.
  if (m.peerGroup !== 0 && table.pending.size > 0) table.materializeAll();
  const out: { mnt: Mount; asSlave: boolean }[] = [];
  const seenGroups = new Set<number>();
  const seen = new Set<Mount>([m]);
  const walkGroup = (g: number, asSlave: boolean): void => {
    if (g === 0 || seenGroups.has(g)) return;
    seenGroups.add(g);
    for (const p of table.peers(g)) {
      if (seen.has(p)) continue;
      seen.add(p);
      out.push({ mnt: p, asSlave });
    }
    for (const s of table.slavesOf(g)) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push({ mnt: s, asSlave: true });
      }
      walkGroup(s.peerGroup, true);
    }
  };
  walkGroup(m.peerGroup, false);
  return out;
}

/** True when `vn` lies inside the part of its file system that mount `m` shows. */
function reachable(m: Mount, vn: Vnode): boolean {
  return vn.fs === m.fs && isUnder(m, vn, m.root);
}

/**
 * isUnder(m, ·, top) for many vnodes: each directory on the way up is looked up once,
 * and what was found for it is remembered for the next vnode that passes through it.
 */
function underTest(m: Mount, top: Vnode): (vn: Vnode) => boolean {
  const known = new Map<string, boolean>();
  return (vn) => {
    const seen: string[] = [];
    let found = false;
    let cur: Vnode = vn;
    for (let guard = 0; guard < 4096; guard++) {
      const key = vnodeKey(cur);
      const k = known.get(key);
      if (k !== undefined) {
        found = k;
        break;
      }
      seen.push(key);
      if (sameVnode(cur, top)) {
        found = true;
        break;
      }
      if (sameVnode(cur, m.fs.root())) break;
      const up = cur.lookup ? cur.lookup('..') : null;
      if (!up || up instanceof SysError || sameVnode(up, cur)) break;
      cur = up;
    }
    for (const key of seen) known.set(key, found);
    return found;
  };
}

/** True when `vn` is `top` or below it in `m`'s file system (walking ".."). */
export function isUnder(m: Mount, vn: Vnode, top: Vnode): boolean {
  let cur: Vnode = vn;
  for (let guard = 0; guard < 4096; guard++) {
    if (sameVnode(cur, top)) return true;
    if (sameVnode(cur, m.fs.root())) return false;
    const up = cur.lookup ? cur.lookup('..') : null;
    if (!up || up instanceof SysError || sameVnode(up, cur)) return false;
    cur = up;
  }
  return false;
}

/** One mount's propagation change (change_mnt_propagation). */
function changePropagation(table: MountTable, m: Mount, change: PropagationChange): void {
  table.beforeChange(m, false);
  switch (change) {
    case 'shared':
      if (m.peerGroup === 0) m.peerGroup = table.newGroup();
      m.unbindable = false;
      return;
    case 'slave': {
      // A shared mount becomes a slave of its former peers; alone in its group it just becomes private.
      if (m.peerGroup !== 0) {
        if (table.hasOtherPeer(m.peerGroup, m)) m.master = m.peerGroup;
        else for (const s of table.slavesOf(m.peerGroup)) s.master = m.master;
        m.peerGroup = 0;
      }
      m.unbindable = false;
      return;
    }
    case 'private':
    case 'unbindable':
      if (m.peerGroup !== 0) {
        // Slaves of a group that loses its last member move up to that member's master.
        if (!table.hasOtherPeer(m.peerGroup, m)) for (const s of table.slavesOf(m.peerGroup)) s.master = m.master;
      }
      m.peerGroup = 0;
      m.master = 0;
      m.unbindable = change === 'unbindable';
      return;
  }
}
