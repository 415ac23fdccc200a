/**
 * Namespace calls: unshare(2) and setns(2).
 *
 *   unshare(flags)   the caller leaves the namespaces `flags` name for new ones
 *                    (ns-create.ts makes them); CLONE_NEWPID moves only its future
 *                    children (PID-03)
 *   setns(fd, type)  the caller joins the namespace an open /proc/PID/ns file names,
 *                    with the checks of each type's install operation
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import type { HandlerTable } from './handler.js';
import {
  CLONE_FILES,
  CLONE_FS,
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
  CLONE_SYSVSEM,
} from './abi.js';
import { createNamespaces, remapFs } from '../ns/ns-create.js';
import { CLONE_NEW, nsGet, nsPut, type Namespace } from '../ns/namespace.js';
import { switchNs } from '../ns/nsproxy.js';
import { nsOfFile } from '../ns/nsfs.js';
import { CAP, CAP_EMPTY_SET, CAP_FULL_SET, nsCapable, capMissing } from '../ns/capabilities.js';
import type { UserNamespace } from '../ns/user-ns.js';
import type { PidNamespace } from '../proc/pid-namespace.js';
import type { MountNamespace } from '../vfs/mount.js';

const UNSHARE_FLAGS = CLONE_FILES | CLONE_FS | CLONE_SYSVSEM | CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

/** Gives the caller its own copy of a shared file-system context (unshare_fs). */
function unshareFs(t: Task): void {
  if (t.fs.users <= 1) return;
  t.fs.users--;
  t.fs = t.fs.copy();
  nsGet(t.fs.mntNs);
}

function doUnshare(k: Kernel, t: Task, flags: number): number | SysError {
  if (flags & ~UNSHARE_FLAGS) return err('EINVAL', `unknown unshare flags 0x${(flags & ~UNSHARE_FLAGS).toString(16)}`);
  const creds = t.creds.clone();
  const made = createNamespaces(k, t, creds, flags);
  if (made instanceof SysError) return made;
  if (flags & CLONE_FILES && t.files.users > 1) {
    t.files.users--;
    t.files = t.files.fork();
  }
  if (flags & (CLONE_FS | CLONE_NEWNS | CLONE_NEWUSER)) unshareFs(t);
  if (made.user) {
    nsGet(made.user);
    const old = t.creds.userNs;
    t.creds = creds;
    nsPut(old);
  }
  if (made.mnt) {
    const old = t.fs.mntNs;
    nsGet(made.mnt.ns);
    remapFs(t.fs, made.mnt.ns, made.mnt.map);
    nsPut(old);
  }
  for (const ns of [made.uts, made.ipc, made.net, made.cgroup, made.pid]) if (ns) switchNs(t, ns);
  return 0;
}

/** CAP_SYS_ADMIN both in the namespace's owner and in the caller's own user namespace (the *_install checks). */
function mayJoin(t: Task, ns: Namespace): boolean {
  return nsCapable(t.creds, ns.owner!, CAP.SYS_ADMIN) && nsCapable(t.creds, t.creds.userNs, CAP.SYS_ADMIN);
}

/** setns into a user namespace (userns_install): not one's own or an ancestor, with CAP_SYS_ADMIN there. */
function joinUser(t: Task, ns: UserNamespace): number | SysError {
  if (ns === t.creds.userNs) return err('EINVAL', 'the caller is already in this user namespace (USER-13)');
  if (t.creds.userNs.isWithin(ns)) return err('EPERM', 'a process cannot move into an ancestor user namespace');
  if (t.fs.users > 1) return err('EINVAL', 'the caller shares its file-system context (CLONE_FS)');
  if (!nsCapable(t.creds, ns, CAP.SYS_ADMIN)) return err('EPERM', 'joining a user namespace needs CAP_SYS_ADMIN in it' + '; ' + capMissing(t.creds, ns, CAP.SYS_ADMIN));
  const c = t.creds.clone();
  c.userNs = nsGet(ns);
  c.capInh = CAP_EMPTY_SET;
  c.capAmb = CAP_EMPTY_SET;
  c.capPrm = c.capEff = c.capBnd = CAP_FULL_SET;
  const old = t.creds.userNs;
  t.creds = c;
  nsPut(old);
  return 0;
}

/** setns into a mount namespace (mntns_install): CAP_SYS_CHROOT too (CAP-04); root and cwd move to its root. */
function joinMnt(t: Task, ns: MountNamespace): number | SysError {
  const c = t.creds;
  if (!nsCapable(c, ns.owner!, CAP.SYS_ADMIN) || !nsCapable(c, c.userNs, CAP.SYS_CHROOT) || !nsCapable(c, c.userNs, CAP.SYS_ADMIN)) {
    const [ns0, cap] = !nsCapable(c, ns.owner!, CAP.SYS_ADMIN) ? [ns.owner!, CAP.SYS_ADMIN] : !nsCapable(c, c.userNs, CAP.SYS_CHROOT) ? [c.userNs, CAP.SYS_CHROOT] : [c.userNs, CAP.SYS_ADMIN];
    return err('EPERM', `joining a mount namespace needs CAP_SYS_ADMIN in its owner and CAP_SYS_CHROOT and CAP_SYS_ADMIN in the caller's user namespace; ${capMissing(c, ns0, cap)}`);
  }
  if (t.fs.users > 1) return err('EINVAL', 'the caller shares its file-system context (CLONE_FS)');
  const old = t.fs.mntNs;
  nsGet(ns);
  t.fs.mntNs = ns;
  t.fs.root = { mnt: ns.root, vn: ns.root.root };
  t.fs.cwd = { mnt: ns.root, vn: ns.root.root };
  nsPut(old);
  return 0;
}

/** setns into a PID namespace (pidns_install): only the caller's own or a descendant (PID-14). */
function joinPid(t: Task, ns: PidNamespace): number | SysError {
  if (!mayJoin(t, ns)) return err('EPERM', 'joining a PID namespace needs CAP_SYS_ADMIN in its owner and in the caller\'s user namespace');
  let a: PidNamespace | null = ns;
  while (a !== null && a.level > t.pidNs.level) a = a.parent;
  if (a !== t.pidNs) return err('EINVAL', 'a process can only join its own PID namespace or a descendant (PID-14)');
  switchNs(t, ns);
  return 0;
}

function doSetns(k: Kernel, t: Task, fd: number, nstype: number): number | SysError {
  const f = t.files.get(fd);
  if (!f) return err('EBADF', `${fd} is not an open file descriptor`);
  const ns = nsOfFile(f);
  if (!ns) return err('EINVAL', 'the file is not a /proc/PID/ns file (pidfds are not modelled)');
  if (k.engine.trace.on('ns')) k.engine.trace.emit('ns', 'setns', { pid: t.tid, type: ns.nsType, inum: ns.inum });
  if (nstype !== 0 && nstype !== CLONE_NEW[ns.nsType]) return err('EINVAL', `the file is a ${ns.nsType} namespace, not the type asked for (NS-08)`);
  switch (ns.nsType) {
    case 'user':
      return joinUser(t, ns as UserNamespace);
    case 'mnt':
      return joinMnt(t, ns as MountNamespace);
    case 'pid':
      return joinPid(t, ns as PidNamespace);
    default:
      if (!mayJoin(t, ns)) return err('EPERM', `joining a ${ns.nsType} namespace needs CAP_SYS_ADMIN in its owner and in the caller's user namespace`);
      switchNs(t, ns);
      return 0;
  }
}

export const nsSyscalls: HandlerTable = {
  /** unshare({flags}). */
  unshare: (k, t, r: { flags: number }) => doUnshare(k, t, r.flags),
  /** setns({fd, nstype}). */
  setns: (k, t, r: { fd: number; nstype: number }) => doSetns(k, t, r.fd, r.nstype),
};
