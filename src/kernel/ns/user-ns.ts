/**
 * User namespaces (user_namespaces(7)): a numbering of user and group IDs and the
 * scope of capabilities. IDs are stored in the kernel as *kernel IDs* (the IDs of
 * the initial namespace); a namespace's uid_map and gid_map translate between its
 * own IDs and kernel IDs. An ID with no mapping reads as the overflow ID 65534
 * (USER-01).
 *
 *   init user ns (level 0, map 0 0 4294967295)
 *     └── ns A (level 1, owner = creator's euid, uid_map "0 1000 1": A's 0 is kernel 1000)
 *           └── ns B ...  (at most 33 levels below the initial one, USER-11)
 */
import { COUNTED_TYPES, Namespace, type NsType } from './namespace.js';

/** /proc/sys/kernel/overflowuid and overflowgid. */
export const OVERFLOW_ID = 65534;
/** The deepest user namespace: the kernel refuses a child of a namespace past level 32 (USER-11). */
export const MAX_USER_NS_LEVEL = 32;
/** Lines a map may have (Linux 4.15+). */
export const MAX_MAP_LINES = 340;

/** One line of a map: `count` IDs from `first` inside are kernel IDs from `kfirst` (written as `lowerFirst` in the parent). */
export interface IdExtent {
  first: number;
  lowerFirst: number;
  count: number;
  kfirst: number;
}

export class IdMap {
  readonly extents: IdExtent[];

  constructor(extents: IdExtent[]) {
    this.extents = extents;
  }

  /** Kernel ID for namespace ID `id`, or -1 when unmapped. */
  down(id: number): number {
    for (const e of this.extents) if (id >= e.first && id - e.first < e.count) return e.kfirst + (id - e.first);
    return -1;
  }

  /** Namespace ID for kernel ID `kid`, or -1 when unmapped. */
  up(kid: number): number {
    for (const e of this.extents) if (kid >= e.kfirst && kid - e.kfirst < e.count) return e.first + (kid - e.kfirst);
    return -1;
  }

  /** The text of /proc/PID/uid_map as read from a namespace whose view of the lower IDs is `lower`. */
  render(lower: (e: IdExtent) => number): string {
    return this.extents.map((e) => `${String(e.first).padStart(10)} ${String(lower(e)).padStart(10)} ${String(e.count).padStart(10)}\n`).join('');
  }
}

/** `ns` and its ancestors, innermost first. */
function* lineage(ns: UserNamespace): Generator<UserNamespace> {
  for (let n: UserNamespace | null = ns; n !== null; n = n.parent) yield n;
}

/** The identity map of the initial namespace: `0 0 4294967295`. */
const IDENTITY = new IdMap([{ first: 0, lowerFirst: 0, count: 4294967295, kfirst: 0 }]);

export class UserNamespace extends Namespace {
  readonly nsType = 'user' as const;
  readonly parent: UserNamespace | null;
  readonly level: number;
  /** The creator's effective UID and GID (kernel IDs): the owner has every capability here (CAP-06). */
  readonly ownerUid: number;
  readonly ownerGid: number;
  uidMap: IdMap | null;
  gidMap: IdMap | null;
  /** /proc/PID/setgroups: 'allow' until someone writes 'deny' (USER-06). */
  setgroupsAllowed = true;
  /** The creator held CAP_SETFCAP when it made the namespace (USER-14: mapping parent UID 0 from inside). */
  readonly creatorHadSetfcap: boolean;
  /** /proc/sys/user/max_TYPE_namespaces as seen in this namespace (NS-05). */
  readonly maxNamespaces: Record<NsType, number>;
  /** Namespaces of each type owned by this namespace or its descendants. */
  readonly counts: Record<NsType, number>;

  constructor(inum: number, parent: UserNamespace | null, ownerUid: number, ownerGid: number, creatorHadSetfcap: boolean, initialMax: number) {
    super(inum, parent);
    this.parent = parent;
    this.level = parent ? parent.level + 1 : 0;
    this.ownerUid = ownerUid;
    this.ownerGid = ownerGid;
    this.creatorHadSetfcap = creatorHadSetfcap;
    this.uidMap = parent ? null : IDENTITY;
    this.gidMap = parent ? null : IDENTITY;
    const max = {} as Record<NsType, number>;
    const counts = {} as Record<NsType, number>;
    for (const t of COUNTED_TYPES) {
      max[t] = parent ? 2147483647 : initialMax;
      counts[t] = 0;
    }
    this.maxNamespaces = max;
    this.counts = counts;
  }

  /** Kernel UID of namespace UID `uid`, or -1 (make_kuid). */
  kuid(uid: number): number {
    return this.uidMap ? this.uidMap.down(uid) : -1;
  }

  kgid(gid: number): number {
    return this.gidMap ? this.gidMap.down(gid) : -1;
  }

  /** This namespace's UID for kernel UID `kuid`, or the overflow UID (from_kuid_munged). */
  uidOf(kuid: number): number {
    const u = this.uidMap ? this.uidMap.up(kuid) : -1;
    return u < 0 ? OVERFLOW_ID : u;
  }

  gidOf(kgid: number): number {
    const g = this.gidMap ? this.gidMap.up(kgid) : -1;
    return g < 0 ? OVERFLOW_ID : g;
  }

  /** True when `ancestor` is this namespace or one of its ancestors. */
  isWithin(ancestor: UserNamespace): boolean {
    for (const n of lineage(this)) if (n === ancestor) return true;
    return false;
  }

  /**
   * Counts a new namespace of `type` against this namespace and every ancestor
   * (inc_ucount); false when one of them is at its max_TYPE_namespaces (ENOSPC).
   */
  charge(type: NsType): boolean {
    if (!this.canCharge(type)) return false;
    for (const n of lineage(this)) n.counts[type]++;
    return true;
  }

  /** True when one more namespace of `type` fits under every max_TYPE_namespaces up the chain. */
  canCharge(type: NsType): boolean {
    for (const n of lineage(this)) if (n.counts[type] >= n.maxNamespaces[type]) return false;
    return true;
  }

  uncharge(type: NsType): void {
    for (const n of lineage(this)) n.counts[type]--;
  }
}
