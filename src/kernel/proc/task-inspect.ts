/**
 * A process as a debugger sees it from outside the machine (a live session's
 * `:inspect PID`): what /proc/PID/{status,cmdline,ns/*,cgroup,fd/*,maps} would show,
 * gathered in one record without running anything in the simulation — reading it
 * costs no simulated time and changes nothing, so a replayed session stays the same.
 */
import type { Kernel } from '../kernel.js';
import { TaskState } from './task.js';
import { taskTimes } from '../cpu-loop.js';
import { SYSCALL_NAMES } from '../syscalls/numbers.js';
import { taskNs } from '../ns/nsproxy.js';
import type { NsType } from '../ns/namespace.js';
import { cgroupPathFrom } from '../cgroup/cgroup.js';
import { pathOf } from '../vfs/namei.js';
import { renderMaps } from '../mm/mm-render.js';

/** The namespace types in /proc/PID/ns order. */
const NS_TYPES: readonly NsType[] = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'time', 'user', 'uts'];

export interface TaskInspection {
  /** Global PID, and the PIDs from the initial namespace down to the task's own (NSpid). */
  pid: number;
  nsPids: number[];
  comm: string;
  argv: string[];
  exe: string;
  /** The state letter of /proc/PID/stat (R, S, D, T, Z, X). */
  state: string;
  ppid: number;
  pgid: number;
  sid: number;
  /** Real and effective IDs as the kernel holds them (the initial user namespace's view). */
  uid: number;
  euid: number;
  gid: number;
  egid: number;
  cwd: string;
  root: string;
  /** One per namespace type: its inode number, and whether it differs from init's. */
  namespaces: { type: NsType; inum: number; ownNs: boolean }[];
  /** The cgroup v2 path from the root, and the limits in effect where the controller is enabled. */
  cgroup: { path: string; limits: { name: string; value: string }[] };
  fds: { fd: number; target: string; mode: string }[];
  /** /proc/PID/maps text (empty for a zombie). */
  maps: string;
  /** Resident pages, page-table pages, swapped-out pages (0 without an address space). */
  rssPages: number;
  ptPages: number;
  swapPages: number;
  utimeNs: number;
  stimeNs: number;
  syscalls: number;
  voluntarySwitches: number;
  involuntarySwitches: number;
  /** The system call it sleeps in, with its path or descriptor argument if any; null when not in one. */
  blockedIn: { call: string; path?: string; fd?: number } | null;
}

const showMax = (v: number): string => (v === Infinity ? 'max' : String(v));

/** Inspects the process with global PID `pid`; null when there is none. */
export function inspectTask(k: Kernel, pid: number): TaskInspection | null {
  const t = k.tasks.get(pid);
  if (!t) return null;
  const init = k.initPidNs.init;
  const live = t.state !== TaskState.Zombie && t.state !== TaskState.Dead;
  const namespaces = NS_TYPES.map((type) => {
    const ns = taskNs(t, type);
    return { type, inum: ns.inum, ownNs: init !== null && init !== t && ns !== taskNs(init, type) };
  });
  const cg = t.cgroup;
  const limits: { name: string; value: string }[] = [];
  if (cg.has('memory')) {
    limits.push({ name: 'memory.max', value: cg.mem.maxPages === Infinity ? 'max' : String(cg.mem.maxPages * 4096) });
    limits.push({ name: 'memory.current', value: String(cg.mem.pages * 4096) });
  }
  if (cg.has('pids')) limits.push({ name: 'pids.max', value: showMax(cg.pidsMax) }, { name: 'pids.current', value: String(cg.pidsCurrent) });
  if (cg.has('cpu')) limits.push({ name: 'cpu.max', value: `${showMax(cg.cpu.quotaUs)} ${cg.cpu.periodUs}` }, { name: 'cpu.weight', value: String(cg.cpu.weight) });
  const fds = live
    ? t.files.openFds().map((fd) => {
        const f = t.files.get(fd)!;
        const target = f.vnode && f.mnt ? pathOf(t, { mnt: f.mnt, vn: f.vnode }, false) : (f.ops.describe?.(f) ?? f.path);
        return { fd, target, mode: `${f.canRead ? 'r' : '-'}${f.canWrite ? 'w' : '-'}` };
      })
    : [];
  const times = taskTimes(k, t);
  const req = t.pendingSyscall;
  const mm = live && t.mm && !t.mm.dead ? t.mm : null;
  return {
    pid: t.tid,
    nsPids: [...t.nsPids],
    comm: t.comm,
    argv: [...t.argv],
    exe: t.exe,
    state: t.state,
    ppid: t.parent?.tid ?? 0,
    pgid: t.pgid,
    sid: t.sid,
    uid: t.creds.uid,
    euid: t.creds.euid,
    gid: t.creds.gid,
    egid: t.creds.egid,
    cwd: live ? pathOf(t, t.fs.cwd, false) : '',
    root: live ? pathOf(init ?? t, t.fs.root, false) : '',
    namespaces,
    cgroup: { path: cgroupPathFrom(k.cgroupRoot, cg), limits },
    fds,
    maps: renderMaps(mm),
    rssPages: mm?.rss ?? 0,
    ptPages: mm?.ptPages ?? 0,
    swapPages: mm?.swapEnts ?? 0,
    utimeNs: times.utimeNs,
    stimeNs: times.stimeNs,
    syscalls: t.syscalls,
    voluntarySwitches: t.nvcsw,
    involuntarySwitches: t.nivcsw,
    blockedIn: req
      ? { call: SYSCALL_NAMES[req.nr] ?? String(req.nr), ...(typeof req.path === 'string' ? { path: req.path } : {}), ...(typeof req.fd === 'number' ? { fd: req.fd } : {}) }
      : null,
  };
}
