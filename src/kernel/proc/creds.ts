/**
 * Process credentials (credentials(7)): real, effective, saved and filesystem user
 * and group IDs and supplementary groups, as kernel IDs.
 *
 * Simplification: capabilities are derived from euid 0 until the isolation issue
 * models capability sets and user namespaces (capabilities(7)).
 */
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

  constructor(uid = 0, gid = 0, groups: number[] = []) {
    this.uid = this.euid = this.suid = this.fsuid = uid;
    this.gid = this.egid = this.sgid = this.fsgid = gid;
    this.groups = groups;
  }

  clone(): Creds {
    const c = new Creds();
    Object.assign(c, this);
    c.groups = [...this.groups];
    return c;
  }

  /** True when this process acts as the superuser for file and process checks. */
  isPrivileged(): boolean {
    return this.euid === 0;
  }

  /** True when `gid` is the fsgid or a supplementary group. */
  inGroup(gid: number): boolean {
    return this.fsgid === gid || this.groups.includes(gid);
  }
}
