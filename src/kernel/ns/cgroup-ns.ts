/**
 * A cgroup namespace (cgroup_namespaces(7)): a view of the cgroup hierarchy rooted
 * at the creator's cgroup at creation time (CGNS-01, CGNS-04).
 */
import { Namespace } from './namespace.js';
import type { UserNamespace } from './user-ns.js';
import type { Cgroup } from '../cgroup/cgroup.js';

export class CgroupNamespace extends Namespace {
  readonly nsType = 'cgroup' as const;
  readonly root: Cgroup;

  constructor(inum: number, owner: UserNamespace, root: Cgroup) {
    super(inum, owner);
    this.root = root;
  }
}
