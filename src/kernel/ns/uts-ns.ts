/**
 * A UTS namespace (uts_namespaces(7)): the host name and NIS domain name uname(2)
 * reports. A new one starts as a copy of its creator's (UTS-01); changes are seen by
 * its members only (UTS-02).
 */
import { Namespace } from './namespace.js';
import type { UserNamespace } from './user-ns.js';

export class UtsNamespace extends Namespace {
  readonly nsType = 'uts' as const;
  hostname: string;
  domainname: string;

  constructor(inum: number, owner: UserNamespace, hostname: string, domainname: string) {
    super(inum, owner);
    this.hostname = hostname;
    this.domainname = domainname;
  }
}

/** The time namespace: only the initial one exists (ctsim has no CLONE_NEWTIME). */
export class TimeNamespace extends Namespace {
  readonly nsType = 'time' as const;
}
