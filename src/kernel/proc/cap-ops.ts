/**
 * Changing capability sets (capabilities(7)): capget(2) and capset(2) with
 * _LINUX_CAPABILITY_VERSION_3's three sets, and the capability options of prctl(2) —
 * the ambient set (PR_CAP_AMBIENT), "keep capabilities" (PR_SET_KEEPCAPS), the
 * securebits (PR_SET_SECUREBITS) and the bounding set (PR_CAPBSET_READ/DROP). The
 * rules are security/commoncap.c's (cap_capset, cap_task_prctl), checked against
 * Linux 6.18. Each function changes only the calling task's credentials.
 *
 *   capset:  P' ⊆ P,  E' ⊆ P',  I' ⊆ I ∪ P (unless CAP_SETPCAP),  I' ⊆ I ∪ bounding;
 *            then A' = A ∩ P' ∩ I'
 *   ambient: raise needs the capability in P and I and no SECBIT_NO_CAP_AMBIENT_RAISE
 */
import { err, type SysError } from '../errno.js';
import type { Task } from './task.js';
import { TaskState } from './task.js';
import { CAP, CAP_EMPTY_SET, CAP_FULL_SET, CAP_LAST_CAP, capRaised, nsCapable, capMissing } from '../ns/capabilities.js';
import {
  PR_CAP_AMBIENT,
  PR_CAP_AMBIENT_CLEAR_ALL,
  PR_CAP_AMBIENT_IS_SET,
  PR_CAP_AMBIENT_LOWER,
  PR_CAP_AMBIENT_RAISE,
  PR_CAPBSET_DROP,
  PR_CAPBSET_READ,
  PR_GET_KEEPCAPS,
  PR_GET_SECUREBITS,
  PR_SET_KEEPCAPS,
  PR_SET_SECUREBITS,
  SECBIT_KEEP_CAPS,
  SECBIT_KEEP_CAPS_LOCKED,
  SECBIT_NO_CAP_AMBIENT_RAISE,
  SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
  SECBIT_NO_SETUID_FIXUP,
  SECBIT_NO_SETUID_FIXUP_LOCKED,
  SECBIT_NOROOT,
  SECBIT_NOROOT_LOCKED,
  type CapSets,
} from '../syscalls/abi.js';

/** The securebits flags Linux 6.1 knows (SECURE_ALL_BITS) and their locks (SECURE_ALL_LOCKS). */
const SECURE_ALL_BITS = SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP | SECBIT_KEEP_CAPS | SECBIT_NO_CAP_AMBIENT_RAISE;
const SECURE_ALL_LOCKS = SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;

const isSubset = (a: bigint, b: bigint): boolean => (a & ~b) === 0n;
const bit = (cap: number): bigint => 1n << BigInt(cap);
/** cap_valid(): a capability number this kernel knows. */
const capValid = (cap: number): boolean => Number.isInteger(cap) && cap >= 0 && cap <= CAP_LAST_CAP;

/**
 * capget(2): the effective, permitted and inheritable sets of the caller (pid 0) or of
 * process `pid` in the caller's PID namespace. Anyone may read anyone's sets.
 */
export function capget(t: Task, pid: number): CapSets | SysError {
  if (!Number.isInteger(pid) || pid < 0) return err('EINVAL', `pid ${pid} is negative`);
  const target = pid === 0 ? t : t.pidNs.tasks.get(pid);
  if (!target || target.state === TaskState.Dead) return err('ESRCH', `no process ${pid} in the caller's PID namespace`);
  const c = target.creds;
  return { effective: c.capEff, permitted: c.capPrm, inheritable: c.capInh };
}

/**
 * capset(2): sets the caller's effective, permitted and inheritable sets. Bits above
 * CAP_LAST_CAP are dropped, as Linux masks them (CAP_VALID_MASK).
 */
export function capset(t: Task, pid: number, sets: CapSets): 0 | SysError {
  if (pid !== 0 && pid !== t.pid) return err('EPERM', 'capset changes only the calling thread (pid 0 or its own)');
  if (typeof sets.effective !== 'bigint' || typeof sets.permitted !== 'bigint' || typeof sets.inheritable !== 'bigint') {
    return err('EFAULT', 'capset needs the effective, permitted and inheritable sets as bigints');
  }
  const c = t.creds;
  const eff = sets.effective & CAP_FULL_SET;
  const prm = sets.permitted & CAP_FULL_SET;
  const inh = sets.inheritable & CAP_FULL_SET;
  if (!nsCapable(c, c.userNs, CAP.SETPCAP) && !isSubset(inh, c.capInh | c.capPrm)) {
    return err('EPERM', 'without CAP_SETPCAP the new inheritable set must lie within the old inheritable and permitted sets');
  }
  if (!isSubset(inh, c.capInh | c.capBnd)) return err('EPERM', 'the new inheritable set may not add capabilities outside the bounding set');
  if (!isSubset(prm, c.capPrm)) return err('EPERM', 'the permitted set can only shrink');
  if (!isSubset(eff, prm)) return err('EPERM', 'the effective set must lie within the new permitted set');
  c.capEff = eff;
  c.capPrm = prm;
  c.capInh = inh;
  // Ambient capabilities no longer both permitted and inheritable go.
  c.capAmb &= prm & inh;
  return 0;
}

/**
 * The capability options of prctl(2) (cap_task_prctl), or null when `option` is not one
 * of them. Arguments are unsigned longs in Linux: a negative number is out of range.
 */
export function capPrctl(t: Task, option: number, a2: number, a3: number, a4: number, a5: number): number | SysError | null {
  const c = t.creds;
  switch (option) {
    case PR_CAPBSET_READ:
      if (!capValid(a2)) return err('EINVAL', `capability ${a2} does not exist`);
      return capRaised(c.capBnd, a2) ? 1 : 0;
    case PR_CAPBSET_DROP:
      // Dropping from the bounding set needs CAP_SETPCAP (checked before the number, as Linux does).
      if (!nsCapable(c, c.userNs, CAP.SETPCAP)) return err('EPERM', 'dropping from the bounding set needs CAP_SETPCAP' + '; ' + capMissing(c, c.userNs, CAP.SETPCAP));
      if (!capValid(a2)) return err('EINVAL', `capability ${a2} does not exist`);
      c.capBnd &= ~bit(a2);
      return 0;
    case PR_GET_KEEPCAPS:
      return c.securebits & SECBIT_KEEP_CAPS ? 1 : 0;
    case PR_SET_KEEPCAPS:
      if (a2 !== 0 && a2 !== 1) return err('EINVAL', 'PR_SET_KEEPCAPS takes 0 or 1');
      if (c.securebits & SECBIT_KEEP_CAPS_LOCKED) return err('EPERM', 'SECBIT_KEEP_CAPS is locked');
      c.securebits = a2 ? c.securebits | SECBIT_KEEP_CAPS : c.securebits & ~SECBIT_KEEP_CAPS;
      return 0;
    case PR_GET_SECUREBITS:
      return c.securebits;
    case PR_SET_SECUREBITS: {
      const locked = (c.securebits & SECURE_ALL_LOCKS) >> 1;
      if (!Number.isInteger(a2) || a2 < 0 || a2 & ~(SECURE_ALL_BITS | SECURE_ALL_LOCKS)) return err('EPERM', `securebits ${a2} has flags Linux 6.1 does not know`);
      if (locked & (c.securebits ^ a2)) return err('EPERM', 'a locked securebits flag cannot change');
      if (c.securebits & SECURE_ALL_LOCKS & ~a2) return err('EPERM', 'a securebits lock cannot be released');
      if (!nsCapable(c, c.userNs, CAP.SETPCAP)) return err('EPERM', 'changing securebits needs CAP_SETPCAP' + '; ' + capMissing(c, c.userNs, CAP.SETPCAP));
      c.securebits = a2;
      return 0;
    }
    case PR_CAP_AMBIENT:
      return ambient(t, a2, a3, a4, a5);
    default:
      return null;
  }
}

/** prctl(PR_CAP_AMBIENT, op, cap, 0, 0). */
function ambient(t: Task, op: number, cap: number, a4: number, a5: number): number | SysError {
  const c = t.creds;
  if (op === PR_CAP_AMBIENT_CLEAR_ALL) {
    if (cap !== 0 || a4 !== 0 || a5 !== 0) return err('EINVAL', 'PR_CAP_AMBIENT_CLEAR_ALL takes no further arguments');
    c.capAmb = CAP_EMPTY_SET;
    return 0;
  }
  if (!capValid(cap) || a4 !== 0 || a5 !== 0) return err('EINVAL', capValid(cap) ? 'unused prctl arguments must be 0' : `capability ${cap} does not exist`);
  switch (op) {
    case PR_CAP_AMBIENT_IS_SET:
      return capRaised(c.capAmb, cap) ? 1 : 0;
    case PR_CAP_AMBIENT_RAISE:
      if (!capRaised(c.capPrm, cap) || !capRaised(c.capInh, cap)) return err('EPERM', 'an ambient capability must be both permitted and inheritable');
      if (c.securebits & SECBIT_NO_CAP_AMBIENT_RAISE) return err('EPERM', 'SECBIT_NO_CAP_AMBIENT_RAISE is set');
      c.capAmb |= bit(cap);
      return 0;
    case PR_CAP_AMBIENT_LOWER:
      c.capAmb &= ~bit(cap);
      return 0;
    default:
      return err('EINVAL', `PR_CAP_AMBIENT operation ${op} does not exist`);
  }
}
