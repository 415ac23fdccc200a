/**
 * Process credentials (credentials(7)): real, effective, saved and filesystem user
 * and group IDs and supplementary groups — stored as *kernel* IDs (the initial user
 * namespace's numbers; user-ns.ts translates) — the user namespace the process is in,
 * and its capability sets (capabilities(7)).
 */
import { CAP_EMPTY_SET, CAP_FULL_SET } from '../ns/capabilities.js';
import type { UserNamespace } from '../ns/user-ns.js';

export class Creds {
  uid: number;
  euid: number;
  suid: number;
  fsuid: number;
  gid: number;
  egid: number;
  sgid: number;
  fsgid: number;
  groups: number[];
  /** The user namespace the process is in: its IDs are shown through its maps, its capabilities count there. */
  userNs: UserNamespace;
  capInh: bigint = CAP_EMPTY_SET;
  capPrm: bigint;
  capEff: bigint;
  capBnd: bigint = CAP_FULL_SET;
  /** Invariant: ambient ⊆ permitted ∩ inheritable (capabilities(7) "Ambient"). */
  capAmb: bigint = CAP_EMPTY_SET;
  /**
   * The securebits flags (SECBIT_* in syscalls/abi.ts, capabilities(7)): SECBIT_KEEP_CAPS
   * is prctl(PR_SET_KEEPCAPS) and is cleared by execve; the others stay across execve.
   */
  securebits = 0;

  /** Credentials of a process of `userNs` with kernel IDs uid/gid: root (uid 0) starts with every capability. */
  constructor(userNs: UserNamespace, uid = 0, gid = 0, groups: number[] = []) {
    this.userNs = userNs;
    this.uid = this.euid = this.suid = this.fsuid = uid;
    this.gid = this.egid = this.sgid = this.fsgid = gid;
    this.groups = groups;
    this.capPrm = this.capEff = uid === 0 ? CAP_FULL_SET : CAP_EMPTY_SET;
  }

  clone(): Creds {
    const c = new Creds(this.userNs);
    Object.assign(c, this);
    c.groups = [...this.groups];
    return c;
  }

  /** True when `gid` is the fsgid or a supplementary group. */
  inGroup(gid: number): boolean {
    return this.fsgid === gid || this.groups.includes(gid);
  }
}
