/**
 * copy_mnt_ns made lazily (Mount.lazy): the children of a copied mount are copied when
 * something first looks at them, as an eager copy would have made them — IDs reserved in
 * the copy's order (a CopySnapshot), the propagation changes made on the copy since
 * replayed, and the source kept as it was (MountTable.beforeChange copies first).
 */
import type { Mount, MountNamespace, PropagationChange } from './mount.js';

/** What a lazy copy still has to copy (Mount.lazy). */
export interface LazyChildren {
  snap: CopySnapshot;
  /** The mount whose children are copied. */
  src: Mount;
  /** Recursive propagation changes made on the copy since it was made, in order. */
  ops: PropagationChange[];
}

/** One copy_mnt_ns: the copied namespace's mounts in the copy's order, and where their IDs start. */
export interface CopySnapshot {
  ns: MountNamespace;
  order: Mount[];
  base: number;
  lessPrivileged: boolean;
  /** Each source mount's place in `order`, made when many are looked up. */
  index: Map<Mount, number> | null;
}

export function snapshotIndex(snap: CopySnapshot, src: Mount): number {
  const i = snap.index ? snap.index.get(src) : snap.order.indexOf(src);
  if (i === undefined || i < 0) throw new Error('copy_mnt_ns: a lazily copied mount is not in its snapshot');
  return i;
}

/** Copies every child of lazy copy `l` not copied yet, in the source's order. */
export function materializeLevel(l: Mount): void {
  const lz = l.lazy!;
  const { snap, src } = lz;
  if (!snap.index && src.kids.length > 8) snap.index = new Map(snap.order.map((m, i) => [m, i]));
  const have = new Set(l.kids.map((c) => snap.order[c.id - snap.base]));
  for (const ch of src.kids) if (!have.has(ch)) snap.ns.copyOne(snap, ch, l, lz.ops);
  l.kids.sort((a, b) => a.id - b.id);
  forgetLazy(l);
}

/** Copies the children of lazy copy `l` that cover the vnode with key `key` (a stack, in order). */
export function materializeKey(l: Mount, key: string): void {
  const lz = l.lazy!;
  const stack = lz.src.filedAt(key);
  if (stack.length === 0) return;
  for (const ch of stack) lz.snap.ns.copyOne(lz.snap, ch, l, lz.ops);
  l.kids.sort((a, b) => a.id - b.id);
  if (l.kids.length === lz.src.kids.length) forgetLazy(l);
}

/**
 * The copy, below `l` (a copy copyInto made), of `child` (a mount of the copied
 * namespace, then a child of l's source): found by the ID reserved for it, and copied
 * now if `l` had not yet. Undefined when it is gone (unmounted in the copy).
 */
export function copyOfChild(l: Mount, child: Mount): Mount | undefined {
  const snap = l.copiedBy;
  if (!snap) return undefined;
  const want = snap.base + snapshotIndex(snap, child);
  const made = l.kids.find((c) => c.id === want);
  if (made || !l.lazy) return made;
  materializeKey(l, child.mountpointKey);
  return l.kids.find((c) => c.id === want);
}

/** Copies all of a lazy copy's subtree. */
export function materializeSubtree(m: Mount): void {
  for (const c of m.children) materializeSubtree(c);
}

/** A lazy copy with nothing left to copy, or dropped. */
export function forgetLazy(l: Mount): void {
  const lz = l.lazy!;
  l.lazy = null;
  l.ns.table.pending.delete(l);
  lz.src.lazyCopies?.delete(l);
}
