/**
 * Creating namespaces for clone(2) and unshare(2) (create_new_namespaces and
 * unshare_userns in Linux). All checks come first, so a failing call creates
 * nothing:
 *
 *   CLONE_NEWUSER  no privilege needed (NS-06), but not from a chroot and not with an
 *                  unmapped euid/egid (USER-12), at most 33 levels (USER-11, ENOSPC);
 *                  made first, so the other new namespaces are owned by it (NS-07, NS-09)
 *   CLONE_NEW*     CAP_SYS_ADMIN in the (possibly new) user namespace, else EPERM (NS-06)
 *   CLONE_NEWPID   not twice before a child exists (PID-05, EINVAL), 32 levels (PID-13)
 *   every type     /proc/sys/user/max_TYPE_namespaces up the user-namespace chain (NS-05)
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import type { Creds } from '../proc/creds.js';
import { err, type SysError } from '../errno.js';
import { CAP, CAP_EMPTY_SET, CAP_FULL_SET, capRaised, nsCapable, capMissing } from './capabilities.js';
import { CLONE_NEW, type NsType } from './namespace.js';
import { MAX_USER_NS_LEVEL, UserNamespace } from './user-ns.js';
import { MAX_PID_NS_LEVEL, PidNamespace } from '../proc/pid-namespace.js';
import { MountNamespace, type Mount } from '../vfs/mount.js';
import { UtsNamespace } from './uts-ns.js';
import { IpcNamespace } from './ipc-ns.js';
import { NetNamespace } from './net-ns.js';
import { CgroupNamespace } from './cgroup-ns.js';
import type { FsContext } from '../vfs/fs-context.js';
import { sameVnode } from '../vfs/vnode.js';

/** The namespaces one call made (null: not asked for). */
export interface NewNamespaces {
  user: UserNamespace | null;
  mnt: { ns: MountNamespace; map: Map<Mount, Mount> } | null;
  uts: UtsNamespace | null;
  ipc: IpcNamespace | null;
  pid: PidNamespace | null;
  cgroup: CgroupNamespace | null;
  net: NetNamespace | null;
}

/** The non-user types in the order Linux creates them. */
const ORDER: NsType[] = ['mnt', 'uts', 'ipc', 'pid', 'cgroup', 'net'];

/** True when `t`'s root is not the root of its mount namespace (current_chrooted()). */
export function isChrooted(t: Task): boolean {
  const nsRoot = t.fs.mntNs.root;
  return t.fs.root.mnt !== nsRoot || !sameVnode(t.fs.root.vn, nsRoot.root);
}

/**
 * Checks and makes the namespaces `flags` ask for on behalf of `t`. `creds` are the
 * credentials the task will have (a copy): with CLONE_NEWUSER they move into the new
 * user namespace with every capability there (CAP-01).
 */
export function createNamespaces(k: Kernel, t: Task, creds: Creds, flags: number): NewNamespaces | SysError {
  const wantUser = (flags & CLONE_NEW.user) !== 0;
  const types = ORDER.filter((ty) => (flags & CLONE_NEW[ty]) !== 0);
  const parentUser = creds.userNs;
  if (wantUser) {
    if (isChrooted(t)) return err('EPERM', 'a chrooted process cannot create a user namespace (unshare(2))');
    const mapped = (parentUser.uidMap?.up(creds.euid) ?? -1) >= 0 && (parentUser.gidMap?.up(creds.egid) ?? -1) >= 0;
    if (!mapped) {
      return err('EPERM', 'the caller\'s effective UID or GID has no mapping in its user namespace');
    }
    if (parentUser.level > MAX_USER_NS_LEVEL) return err('ENOSPC', `user namespaces nest at most ${MAX_USER_NS_LEVEL + 1} levels deep`);
    if (!parentUser.canCharge('user')) return err('ENOSPC', 'max_user_namespaces reached');
  } else if (types.length > 0 && !nsCapable(creds, parentUser, CAP.SYS_ADMIN)) {
    return err('EPERM', `creating a ${types[0]} namespace needs CAP_SYS_ADMIN in the caller's user namespace; ${capMissing(creds, parentUser, CAP.SYS_ADMIN)}`);
  }
  if (types.includes('pid')) {
    if (t.pidNsForChildren !== t.pidNs) return err('EINVAL', 'the caller already made a PID namespace for its children (unshare(CLONE_NEWPID) once)');
    if (t.pidNs.level + 1 > MAX_PID_NS_LEVEL) return err('ENOSPC', `PID namespaces nest at most ${MAX_PID_NS_LEVEL} levels deep`);
  }
  // The ucount limits: a new user namespace starts with counts 0 under MAXINT, so its parent's chain decides.
  for (const ty of types) if (!parentUser.canCharge(ty)) return err('ENOSPC', `max_${ty}_namespaces reached`);

  const out: NewNamespaces = { user: null, mnt: null, uts: null, ipc: null, pid: null, cgroup: null, net: null };
  let owner = parentUser;
  if (wantUser) {
    const user = new UserNamespace(k.allocAnonIno(), parentUser, creds.euid, creds.egid, capRaised(creds.capEff, CAP.SETFCAP), 0);
    parentUser.charge('user');
    out.user = user;
    owner = user;
    creds.userNs = user;
    creds.capInh = CAP_EMPTY_SET;
    creds.capAmb = CAP_EMPTY_SET;
    creds.capPrm = creds.capEff = creds.capBnd = CAP_FULL_SET;
  }
  for (const ty of types) {
    owner.charge(ty);
    const inum = k.allocAnonIno();
    switch (ty) {
      case 'mnt': {
        const ns = new MountNamespace(inum, owner, k.mounts);
        out.mnt = { ns, map: t.fs.mntNs.copyInto(ns, [t.fs.root.mnt, t.fs.cwd.mnt]) };
        break;
      }
      case 'uts':
        out.uts = new UtsNamespace(inum, owner, t.nsproxy.uts.hostname, t.nsproxy.uts.domainname);
        break;
      case 'ipc':
        out.ipc = new IpcNamespace(inum, owner);
        break;
      case 'pid':
        out.pid = new PidNamespace(t.pidNs, inum, owner);
        break;
      case 'cgroup':
        out.cgroup = new CgroupNamespace(inum, owner, t.cgroup);
        break;
      case 'net':
        out.net = new NetNamespace(inum, owner, k.net);
        // devconf_inherit_init_net=0: a new namespace starts with the initial namespace's settings.
        out.net.ipForward = k.initNsproxy.net.ipForward;
        break;
    }
  }
  const trace = k.engine.trace;
  if (trace.on('ns')) {
    for (const ns of [out.user, out.mnt?.ns ?? null, out.uts, out.ipc, out.pid, out.cgroup, out.net]) {
      if (ns) trace.emit('ns', 'create', { pid: t.tid, type: ns.nsType, inum: ns.inum, owner: ns.owner?.inum ?? 0 });
    }
  }
  return out;
}

/** Points a file-system context's root and cwd at their copies in a new mount namespace. */
export function remapFs(fs: FsContext, ns: MountNamespace, map: Map<Mount, Mount>): void {
  fs.mntNs = ns;
  fs.root = { mnt: map.get(fs.root.mnt) ?? fs.root.mnt, vn: fs.root.vn };
  fs.cwd = { mnt: map.get(fs.cwd.mnt) ?? fs.cwd.mnt, vn: fs.cwd.vn };
}
