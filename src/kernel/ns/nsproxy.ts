/**
 * A task's namespaces (Linux's nsproxy plus the three kept elsewhere): the UTS, IPC,
 * network, cgroup and time namespaces live here; the PID namespace and the one for
 * children on the task, the mount namespace in its file-system context (which
 * CLONE_FS shares, so the two move together), and the user namespace in its
 * credentials.
 *
 * Each task holds one reference on each namespace it is in (namespace.ts): taken at
 * clone, moved by unshare and setns, dropped at exit (the PID and user namespaces at
 * reap, when the task's PID and credentials go).
 */
import type { Task } from '../proc/task.js';
import { nsGet, nsPut, type Namespace, type NsType } from './namespace.js';
import type { UtsNamespace, TimeNamespace } from './uts-ns.js';
import type { IpcNamespace } from './ipc-ns.js';
import type { NetNamespace } from './net-ns.js';
import type { CgroupNamespace } from './cgroup-ns.js';

export class Nsproxy {
  uts: UtsNamespace;
  ipc: IpcNamespace;
  net: NetNamespace;
  cgroup: CgroupNamespace;
  time: TimeNamespace;

  constructor(init: { uts: UtsNamespace; ipc: IpcNamespace; net: NetNamespace; cgroup: CgroupNamespace; time: TimeNamespace }) {
    this.uts = init.uts;
    this.ipc = init.ipc;
    this.net = init.net;
    this.cgroup = init.cgroup;
    this.time = init.time;
  }

  /** A copy holding a reference on each namespace. */
  copy(): Nsproxy {
    const p = new Nsproxy(this);
    for (const ns of p.all()) nsGet(ns);
    return p;
  }

  all(): Namespace[] {
    return [this.uts, this.ipc, this.net, this.cgroup, this.time];
  }

  /** Drops the references (exit_task_namespaces). */
  release(): void {
    for (const ns of this.all()) nsPut(ns);
  }
}

/** The namespace of `type` task `t` is in (for /proc/PID/ns and setns). */
export function taskNs(t: Task, type: NsType): Namespace {
  switch (type) {
    case 'pid':
      return t.pidNs;
    case 'mnt':
      return t.fs.mntNs;
    case 'user':
      return t.creds.userNs;
    default:
      return t.nsproxy[type];
  }
}

/** Replaces `t`'s namespace of `ns`'s type by `ns`, moving the task's reference. */
export function switchNs(t: Task, ns: Namespace): void {
  const old = ns.nsType === 'pid' ? t.pidNsForChildren : taskNs(t, ns.nsType);
  if (old === ns) return;
  nsGet(ns);
  switch (ns.nsType) {
    case 'pid':
      t.pidNsForChildren = ns as Task['pidNs'];
      break;
    case 'mnt':
      t.fs.mntNs = ns as Task['fs']['mntNs'];
      break;
    case 'user':
      t.creds.userNs = ns as Task['creds']['userNs'];
      break;
    default:
      (t.nsproxy as unknown as Record<string, Namespace>)[ns.nsType] = ns;
  }
  nsPut(old);
}
