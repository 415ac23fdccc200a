/**
 * Changing credentials (setuid(2), setresuid(2), setgid(2), setresgid(2),
 * setgroups(2)) in the caller's user namespace: IDs arrive as the caller sees them
 * and are mapped to kernel IDs — an ID without a mapping is EINVAL (USER-10) — and
 * changing to an ID other than one already held needs CAP_SETUID / CAP_SETGID in the
 * caller's user namespace. Capabilities then follow the user IDs as
 * capabilities(7) "Effect of user ID changes on capabilities" says.
 */
import type { Creds } from './creds.js';
import { err, type SysError } from '../errno.js';
import { CAP, CAP_EMPTY_SET, nsCapable, capMissing } from '../ns/capabilities.js';
import { SECBIT_KEEP_CAPS, SECBIT_NO_SETUID_FIXUP } from '../syscalls/abi.js';

/** The capabilities that follow the filesystem UID (CAP_FS_MASK). */
const FS_CAPS = [CAP.CHOWN, CAP.DAC_OVERRIDE, CAP.DAC_READ_SEARCH, CAP.FOWNER, CAP.FSETID, 9, 27, 32].reduce((m, c) => m | (1n << BigInt(c)), 0n);

/** -1 leaves an ID as it is. */
const KEEP = -1;

/** Kernel IDs for caller-visible IDs (KEEP stays KEEP); null when one has no mapping. */
function toKernel(ids: number[], map: (id: number) => number): number[] | null {
  const out: number[] = [];
  for (const id of ids) {
    if (id === KEEP) {
      out.push(KEEP);
      continue;
    }
    const k = Number.isInteger(id) && id >= 0 && id <= 0xfffffffe ? map(id) : -1;
    if (k < 0) return null;
    out.push(k);
  }
  return out;
}

/**
 * Applies capabilities(7)'s rules after the UIDs changed from `old` (cap_emulate_setxuid,
 * cap_task_fix_setuid): leaving root altogether empties permitted and effective — unless
 * SECBIT_KEEP_CAPS (prctl(PR_SET_KEEPCAPS)) keeps permitted — and always ambient;
 * SECBIT_NO_SETUID_FIXUP turns all of this off.
 */
function fixCapsAfterSetuid(c: Creds, old: { uid: number; euid: number; suid: number; fsuid: number }): void {
  if (c.securebits & SECBIT_NO_SETUID_FIXUP) return;
  const root = c.userNs.kuid(0);
  const wasRoot = old.uid === root || old.euid === root || old.suid === root;
  if (wasRoot && c.uid !== root && c.euid !== root && c.suid !== root) {
    if (!(c.securebits & SECBIT_KEEP_CAPS)) {
      c.capPrm = CAP_EMPTY_SET;
      c.capEff = CAP_EMPTY_SET;
    }
    c.capAmb = CAP_EMPTY_SET;
  }
  if (old.euid === root && c.euid !== root) c.capEff = CAP_EMPTY_SET;
  if (old.euid !== root && c.euid === root) c.capEff = c.capPrm;
  if (old.fsuid === root && c.fsuid !== root) c.capEff &= ~FS_CAPS;
  if (old.fsuid !== root && c.fsuid === root) c.capEff |= c.capPrm & FS_CAPS;
  c.capEff &= c.capPrm;
}

/** Sets the kernel UIDs (KEEP: unchanged), the fsuid to the euid, and fixes the capabilities. */
function applyUids(c: Creds, kr: number, ke: number, ks: number): 0 {
  const old = { uid: c.uid, euid: c.euid, suid: c.suid, fsuid: c.fsuid };
  if (kr !== KEEP) c.uid = kr;
  if (ke !== KEEP) c.euid = ke;
  if (ks !== KEEP) c.suid = ks;
  c.fsuid = c.euid;
  fixCapsAfterSetuid(c, old);
  return 0;
}

/** setresuid(ruid, euid, suid) with -1 for "unchanged". */
export function setresuid(c: Creds, r: number, e: number, s: number): 0 | SysError {
  const ids = toKernel([r, e, s], (id) => c.userNs.kuid(id));
  if (ids === null) return err('EINVAL', 'the UID has no mapping in the caller\'s user namespace (USER-10)');
  if (!nsCapable(c, c.userNs, CAP.SETUID)) {
    const held = [c.uid, c.euid, c.suid];
    for (const v of ids) if (v !== KEEP && !held.includes(v)) return err('EPERM', `changing to a UID not already held needs CAP_SETUID; ${capMissing(c, c.userNs, CAP.SETUID)}`);
  }
  return applyUids(c, ids[0], ids[1], ids[2]);
}

/** setuid(2): with CAP_SETUID all of real, effective and saved; otherwise the effective one, to the real or saved UID. */
export function setuid(c: Creds, uid: number): 0 | SysError {
  const k = toKernel([uid], (id) => c.userNs.kuid(id));
  if (k === null) return err('EINVAL', 'the UID has no mapping in the caller\'s user namespace (USER-10)');
  if (nsCapable(c, c.userNs, CAP.SETUID)) return applyUids(c, k[0], k[0], k[0]);
  if (k[0] !== c.uid && k[0] !== c.suid) return err('EPERM', `uid ${c.userNs.uidOf(c.euid)} may not become uid ${uid}`);
  return applyUids(c, KEEP, k[0], KEEP);
}

/** setreuid(2): the saved UID becomes the new effective one when the real one is set or the effective one moves off the real one. */
export function setreuid(c: Creds, r: number, e: number): 0 | SysError {
  const k = toKernel([r, e], (id) => c.userNs.kuid(id));
  if (k === null) return err('EINVAL', 'the UID has no mapping in the caller\'s user namespace (USER-10)');
  const [kr, ke] = k;
  if (!nsCapable(c, c.userNs, CAP.SETUID)) {
    if (kr !== KEEP && kr !== c.uid && kr !== c.euid) return err('EPERM', `without CAP_SETUID the real UID may only become the real or effective UID, not ${r}`);
    if (ke !== KEEP && ke !== c.uid && ke !== c.euid && ke !== c.suid) return err('EPERM', `without CAP_SETUID the effective UID may only become the real, effective or saved UID, not ${e}`);
  }
  const newE = ke === KEEP ? c.euid : ke;
  const moveSaved = kr !== KEEP || (ke !== KEEP && ke !== c.uid);
  return applyUids(c, kr, ke, moveSaved ? newE : KEEP);
}

/** setresgid(rgid, egid, sgid). */
export function setresgid(c: Creds, r: number, e: number, s: number): 0 | SysError {
  const ids = toKernel([r, e, s], (id) => c.userNs.kgid(id));
  if (ids === null) return err('EINVAL', 'the GID has no mapping in the caller\'s user namespace');
  if (!nsCapable(c, c.userNs, CAP.SETGID)) {
    const held = [c.gid, c.egid, c.sgid];
    for (const v of ids) if (v !== KEEP && !held.includes(v)) return err('EPERM', `changing to a GID not already held needs CAP_SETGID; ${capMissing(c, c.userNs, CAP.SETGID)}`);
  }
  if (ids[0] !== KEEP) c.gid = ids[0];
  if (ids[1] !== KEEP) c.egid = ids[1];
  if (ids[2] !== KEEP) c.sgid = ids[2];
  c.fsgid = c.egid;
  return 0;
}

/** setregid(2): the real GID may become the real or effective one; the saved GID follows a new effective one as in setreuid. */
export function setregid(c: Creds, r: number, e: number): 0 | SysError {
  const k = toKernel([r, e], (id) => c.userNs.kgid(id));
  if (k === null) return err('EINVAL', 'the GID has no mapping in the caller\'s user namespace');
  const [kr, ke] = k;
  if (!nsCapable(c, c.userNs, CAP.SETGID)) {
    if (kr !== KEEP && kr !== c.gid && kr !== c.egid) return err('EPERM', `without CAP_SETGID the real GID may only become the real or effective GID, not ${r}`);
    if (ke !== KEEP && ke !== c.gid && ke !== c.egid && ke !== c.sgid) return err('EPERM', `without CAP_SETGID the effective GID may only become the real, effective or saved GID, not ${e}`);
  }
  const newE = ke === KEEP ? c.egid : ke;
  if (kr !== KEEP || (ke !== KEEP && ke !== c.gid)) c.sgid = newE;
  if (kr !== KEEP) c.gid = kr;
  c.egid = c.fsgid = newE;
  return 0;
}

/** setgid(2). */
export function setgid(c: Creds, gid: number): 0 | SysError {
  const k = toKernel([gid], (id) => c.userNs.kgid(id));
  if (k === null) return err('EINVAL', `GID ${gid} has no mapping in the caller's user namespace`);
  if (nsCapable(c, c.userNs, CAP.SETGID)) return setresgid(c, gid, gid, gid);
  if (k[0] !== c.gid && k[0] !== c.sgid) return err('EPERM', `gid ${c.userNs.gidOf(c.egid)} may not become gid ${gid} without CAP_SETGID (only the real or saved GID)`);
  return setresgid(c, KEEP, gid, KEEP);
}

/**
 * setgroups(2): CAP_SETGID in the caller's user namespace, and that namespace must
 * allow it — its gid_map written and /proc/PID/setgroups not "deny" (USER-06).
 */
export function setgroups(c: Creds, groups: number[]): 0 | SysError {
  const ns = c.userNs;
  if (!nsCapable(c, ns, CAP.SETGID) || !ns.setgroupsAllowed || ns.gidMap === null) {
    return err('EPERM', ns.setgroupsAllowed && ns.gidMap !== null && !nsCapable(c, ns, CAP.SETGID) ? `setgroups needs CAP_SETGID; ${capMissing(c, ns, CAP.SETGID)}` : ns.setgroupsAllowed ? `setgroups needs the gid_map of user namespace ${ns.inum} written first` : 'setgroups is denied in this user namespace (/proc/PID/setgroups)');
  }
  const ids = toKernel(groups, (id) => ns.kgid(id));
  if (ids === null) return err('EINVAL', 'a group in the list has no mapping in the caller\'s user namespace');
  c.groups = ids;
  return 0;
}
