/**
 * Namespaces as kernel objects (namespaces(7)). Each namespace has a type, an inode
 * number (what /proc/PID/ns/TYPE links name: `uts:[4026531838]`) and an owning user
 * namespace — the one its creator was in (NS-09); a user namespace's owner is its
 * parent.
 *
 * Lifetime: a namespace lives while something references it — member tasks, a
 * child namespace, an open /proc/PID/ns file or a bind mount of one (NS-03). The
 * references are counted; at zero the namespace is destroyed (its IPC objects go
 * with it, IPC-03) and it no longer counts against /proc/sys/user/max_TYPE_namespaces.
 */
import {
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
} from '../syscalls/abi.js';
import type { UserNamespace } from './user-ns.js';

export type NsType = 'cgroup' | 'ipc' | 'mnt' | 'net' | 'pid' | 'time' | 'user' | 'uts';

/** The entries of /proc/PID/ns, in the order ls shows them. */
export const NS_ENTRIES = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'] as const;
export type NsEntry = (typeof NS_ENTRIES)[number];

/** CLONE_NEW* by type (CLONE_NEWTIME shares its bit with CSIGNAL, so clone(2) cannot take it). */
export const CLONE_NEW: Record<NsType, number> = {
  cgroup: CLONE_NEWCGROUP,
  ipc: CLONE_NEWIPC,
  mnt: CLONE_NEWNS,
  net: CLONE_NEWNET,
  pid: CLONE_NEWPID,
  time: 0x00000080,
  user: CLONE_NEWUSER,
  uts: CLONE_NEWUTS,
};

/** The namespace types a ucount limit exists for (/proc/sys/user/max_TYPE_namespaces). */
export const COUNTED_TYPES: NsType[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

export abstract class Namespace {
  abstract readonly nsType: NsType;
  readonly inum: number;
  /** The owning user namespace (for a user namespace, its parent); null only for the initial user namespace. */
  readonly owner: UserNamespace | null;
  /** References: member tasks, child namespaces, open ns files, bind mounts. */
  refs = 0;
  /** False once the last reference went. */
  alive = true;

  constructor(inum: number, owner: UserNamespace | null) {
    this.inum = inum;
    this.owner = owner;
    if (owner) nsGet(owner);
  }

  /** What is torn down with the namespace (IPC objects, devices); the base does nothing. */
  protected teardown(): void {}

  /** Called when the last reference goes. */
  destroy(): void {
    this.alive = false;
    this.teardown();
    if (this.owner) {
      this.owner.uncharge(this.nsType);
      nsPut(this.owner);
    }
  }
}

export function nsGet<T extends Namespace>(ns: T): T {
  ns.refs++;
  return ns;
}

export function nsPut(ns: Namespace): void {
  if (--ns.refs === 0) ns.destroy();
}

/** The readlink text of a /proc/PID/ns link: `uts:[4026531838]`. */
export function nsLinkText(ns: Namespace): string {
  return `${ns.nsType}:[${ns.inum}]`;
}
