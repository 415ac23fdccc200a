/**
 * Linux capabilities (capabilities(7)): the superuser's privileges split into
 * distinct units, held per task in five sets (permitted, effective, inheritable,
 * bounding, ambient) and always checked *against a user namespace* — a capability
 * held in a namespace means power over the resources that namespace owns and over
 * those of its descendants (user_namespaces(7) "Capabilities").
 *
 * Sets are bigints with bit N for capability N (CAP_LAST_CAP = 40 as on 6.x kernels).
 */
import type { Creds } from '../proc/creds.js';
import type { UserNamespace } from './user-ns.js';

/** Capability numbers (linux/capability.h), in order; the index is the number. */
export const CAP_NAMES = [
  'chown', 'dac_override', 'dac_read_search', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid',
  'setpcap', 'linux_immutable', 'net_bind_service', 'net_broadcast', 'net_admin', 'net_raw',
  'ipc_lock', 'ipc_owner', 'sys_module', 'sys_rawio', 'sys_chroot', 'sys_ptrace', 'sys_pacct',
  'sys_admin', 'sys_boot', 'sys_nice', 'sys_resource', 'sys_time', 'sys_tty_config', 'mknod',
  'lease', 'audit_write', 'audit_control', 'setfcap', 'mac_override', 'mac_admin', 'syslog',
  'wake_alarm', 'block_suspend', 'audit_read', 'perfmon', 'bpf', 'checkpoint_restore',
] as const;

export const CAP = {
  CHOWN: 0,
  DAC_OVERRIDE: 1,
  DAC_READ_SEARCH: 2,
  FOWNER: 3,
  FSETID: 4,
  KILL: 5,
  SETGID: 6,
  SETUID: 7,
  SETPCAP: 8,
  NET_BIND_SERVICE: 10,
  NET_ADMIN: 12,
  NET_RAW: 13,
  IPC_OWNER: 15,
  SYS_CHROOT: 18,
  SYS_PTRACE: 19,
  SYS_ADMIN: 21,
  SYS_NICE: 23,
  SYS_RESOURCE: 24,
  MKNOD: 27,
  SETFCAP: 31,
  SYSLOG: 34,
} as const;

/** /proc/sys/kernel/cap_last_cap. */
export const CAP_LAST_CAP = CAP_NAMES.length - 1;
/** Every capability: bits 0..CAP_LAST_CAP. */
export const CAP_FULL_SET = (1n << BigInt(CAP_LAST_CAP + 1)) - 1n;
export const CAP_EMPTY_SET = 0n;

export function capRaised(set: bigint, cap: number): boolean {
  return ((set >> BigInt(cap)) & 1n) === 1n;
}

/** A set as /proc/PID/status prints it: 16 hex digits. */
export function capHex(set: bigint): string {
  return set.toString(16).padStart(16, '0');
}

/**
 * True when `creds` has capability `cap` in user namespace `ns` (cap_capable()): its
 * effective set counts in its own namespace; the owner of a child namespace (same
 * euid, in the parent) has every capability there; and whatever holds in a namespace
 * holds in all its descendants.
 */
export function nsCapable(creds: Creds, ns: UserNamespace, cap: number): boolean {
  for (let n: UserNamespace | null = ns; n !== null; n = n.parent) {
    if (n === creds.userNs) return capRaised(creds.capEff, cap);
    if (n.level <= creds.userNs.level) return false;
    if (n.parent === creds.userNs && n.ownerUid === creds.euid) return true;
  }
  return false;
}

/** The initial user namespace at the top of `ns`'s chain. */
function initialOf(ns: UserNamespace): UserNamespace {
  let n = ns;
  while (n.parent !== null) n = n.parent;
  return n;
}

/** capable(): the capability over the whole machine (in the initial user namespace). */
export function capable(creds: Creds, cap: number): boolean {
  return nsCapable(creds, initialOf(creds.userNs), cap);
}

/**
 * capable_wrt_inode_uidgid(): a capability over a file — held in the caller's user
 * namespace, and the file's owner and group both mapped there (USER-08: root of a
 * user namespace cannot override permissions on files of unmapped host users).
 */
export function capableWrtInode(creds: Creds, uid: number, gid: number, cap: number): boolean {
  const ns = creds.userNs;
  if (ns.uidMap === null || ns.uidMap.up(uid) < 0) return false;
  if (ns.gidMap === null || ns.gidMap.up(gid) < 0) return false;
  return nsCapable(creds, ns, cap);
}

/** `CAP_SYS_ADMIN` for capability 21. */
export function capName(cap: number): string {
  return `CAP_${(CAP_NAMES[cap] ?? String(cap)).toUpperCase()}`;
}

function describeUserNs(ns: UserNamespace): string {
  return `user namespace ${ns.inum} (${ns.parent === null ? 'the initial one' : `level ${ns.level}, owner uid ${ns.ownerUid}`})`;
}

/**
 * Why `nsCapable(creds, ns, cap)` said no, in plain words with the numbers: which
 * capability, in which user namespace (its inode and owner), and which rule of
 * cap_capable() the caller did not meet (explain mode; issue 9).
 * Precondition: `nsCapable(creds, ns, cap)` is false.
 */
export function capMissing(creds: Creds, ns: UserNamespace, cap: number): string {
  const name = capName(cap);
  const inside = creds.userNs.uidOf(creds.euid);
  const euid = inside === creds.euid ? `euid ${inside}` : `euid ${inside}, kernel uid ${creds.euid},`;
  const who = `the caller (${euid} in ${describeUserNs(creds.userNs)})`;
  if (ns === creds.userNs) {
    // Why the set lacks it: execve as a uid other than 0 of the namespace empties it (capabilities(7)).
    const why = creds.capEff === CAP_EMPTY_SET && inside !== 0 ? `; its effective set is empty, as execve leaves it for a uid other than 0 of its namespace` : '';
    return `${name} is not in the effective set of ${who}${why}`;
  }
  for (let n: UserNamespace | null = creds.userNs.parent; n !== null; n = n.parent) {
    if (n === ns) return `${name} is needed in ${describeUserNs(ns)}, an ancestor of the caller's ${describeUserNs(creds.userNs)}; capabilities held in a child namespace give no power in its ancestors`;
  }
  for (let n: UserNamespace | null = ns; n !== null; n = n.parent) {
    if (n.parent === creds.userNs) {
      return capRaised(creds.capEff, cap)
        ? `${name} is needed in ${describeUserNs(ns)}; ${who} holds it but the namespace is not its own child owned by its euid (owner uid ${n.ownerUid})`
        : `${name} is needed in ${describeUserNs(ns)}; ${who} neither holds it nor owns the namespace (owner uid ${n.ownerUid}, not ${creds.euid})`;
    }
  }
  return `${name} is needed in ${describeUserNs(ns)}, which is not the caller's nor below it: ${who} has no capability there`;
}

/** capMissing() for capable(): the capability over the whole machine. */
export function capMissingInit(creds: Creds, cap: number): string {
  return capMissing(creds, initialOf(creds.userNs), cap);
}
