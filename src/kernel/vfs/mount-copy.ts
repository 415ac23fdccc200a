/**
 * copy_mnt_ns made lazily (Mount.lazy): the children of a copied mount are copied when
 * something first looks at them, as an eager copy would have made them — with the ID
 * reserved for each (copy_tree's preorder: a mount's place follows from the subtree
 * sizes of the mounts before it), the propagation changes made on the copy since
 * replayed, and the source kept as it was (MountTable.beforeChange copies first).
 */
import type { Mount, MountNamespace, PropagationChange } from './mount.js';

/** What a lazy copy still has to copy (Mount.lazy). */
export interface LazyChildren {
  /** The mount whose children are copied. */
  src: Mount;
  /** Recursive propagation changes made on the copy since it was made, in order. */
  ops: PropagationChange[];
}

/** One copy_mnt_ns: the new namespace, where the IDs of its mounts start, and how it was copied. */
export interface CopySnapshot {
  ns: MountNamespace;
  /** The ID of the copy of the copied namespace's root; a mount's copy has base + its preorder place. */
  base: number;
  lessPrivileged: boolean;
}

/**
 * The preorder place of `child` (a child of `parent`) in the copied tree, given its
 * parent's: after the parent and the subtrees of the siblings before it. Counted from
 * whichever end of the siblings is nearer (a container's overlay is the newest child of
 * the host's root).
 */
export function childPlace(parentPlace: number, parent: Mount, child: Mount): number {
  const kids = parent.kids;
  let lo = 0;
  let hi = kids.length - 1;
  let before = 0;
  let after = 0;
  while (lo <= hi) {
    if (kids[lo] === child) return parentPlace + 1 + before;
    if (kids[hi] === child) return parentPlace + parent.size - after - child.size;
    before += kids[lo++].size;
    after += kids[hi--].size;
  }
  throw new Error('copy_mnt_ns: a lazily copied mount is not a child of its source');
}

/** Copies every child of lazy copy `l` not copied yet, in the source's order. */
export function materializeLevel(l: Mount): void {
  const { src, ops } = l.lazy!;
  const snap = l.copiedBy!;
  const have = new Set(l.kids.map((c) => c.id));
  let place = l.id - snap.base + 1;
  for (const ch of src.kids) {
    if (!have.has(snap.base + place)) snap.ns.copyOne(snap, ch, l, ops, place);
    place += ch.size;
  }
  l.kids.sort((a, b) => a.id - b.id);
  forgetLazy(l);
}

/** Copies the children of lazy copy `l` that cover the vnode with key `key` (a stack, in order). */
export function materializeKey(l: Mount, key: string): void {
  const { src, ops } = l.lazy!;
  const snap = l.copiedBy!;
  const stack = src.filedAt(key);
  if (stack.length === 0) return;
  for (const ch of stack) snap.ns.copyOne(snap, ch, l, ops, childPlace(l.id - snap.base, src, ch));
  l.kids.sort((a, b) => a.id - b.id);
  if (l.kids.length === src.kids.length) forgetLazy(l);
}

/**
 * The copy, below `l` (a copy copyInto made), of `child` (a mount of the copied
 * namespace, then a child of l's source): found by the ID reserved for it, and copied
 * now if `l` had not yet. Undefined when it is gone (unmounted in the copy).
 */
export function copyOfChild(l: Mount, child: Mount): Mount | undefined {
  const snap = l.copiedBy;
  if (!snap || child.parent === null) return undefined;
  const want = snap.base + childPlace(l.id - snap.base, child.parent, child);
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
