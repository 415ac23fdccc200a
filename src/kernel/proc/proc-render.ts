/**
 * The text of /proc/PID/{status,stat,cmdline,environ,comm,statm,limits} in Linux's
 * formats (proc(5)), rendered by the process subsystem for procfs to serve. PIDs are
 * shown as seen from the PID namespace of the procfs instance (`ns`).
 *
 * Simplification: capability sets are derived from euid 0.
 */
import { capHex } from '../ns/capabilities.js';
import { renderStatmOf, renderStatusVm } from '../mm/mm-render.js';
import type { Kernel } from '../kernel.js';
import type { PidNamespace } from './pid-namespace.js';
import { SchedPolicy, TaskState, type Task } from './task.js';
import { SigSet } from './signals.js';
import { threadsMax } from './task-clone.js';
import { USER_HZ } from '../syscalls/sys-info.js';
import { taskTimes } from '../cpu-loop.js';

const NS_PER_TICK = 1e9 / USER_HZ;
const STATE_NAMES: Record<string, string> = {
  R: 'R (running)',
  S: 'S (sleeping)',
  D: 'D (disk sleep)',
  T: 'T (stopped)',
  t: 't (tracing stop)',
  Z: 'Z (zombie)',
  X: 'X (dead)',
};

/**
 * The state /proc shows: a task held by a frozen cgroup reads as sleeping (cgroup.freeze,
 * CG-11); a tracee stopped for strace reads as `t` (tracing stop).
 */
export function shownState(k: Kernel, t: Task): string {
  if (t.tracer !== null && t.state === TaskState.Sleeping && t.tracer.stopQueue.has(t)) return 't';
  return t.state === TaskState.Running && !t.onRunqueue && t.cpu === null && k.cpuControl.frozen(t) ? TaskState.Sleeping : t.state;
}

/** The task's PIDs from `ns` down to its own namespace (NSpid), tab-separated. */
function nsChain(t: Task, ns: PidNamespace, ids: number[]): string {
  return ids.slice(ns.level).join('\t');
}

function ignoredAndCaught(t: Task): { ign: SigSet; cgt: SigSet } {
  const ign = new SigSet();
  const cgt = new SigSet();
  t.sighand.actions.forEach((a, sig) => {
    if (!a) return;
    if (a.handler === 'ignore') ign.add(sig);
    else if (typeof a.handler === 'function') cgt.add(sig);
  });
  return { ign, cgt };
}

/** The controlling terminal's device number and foreground group, for stat fields 7 and 8. */
export interface TtyInfo {
  ttyNr: number;
  tpgid: number;
}

export function renderStatus(k: Kernel, t: Task, ns: PidNamespace): string {
  const c = t.creds;
  const ppid = t.pidNs.init === t && ns !== t.pidNs.parent ? 0 : (t.parent?.pidIn(ns) ?? 0);
  const { ign, cgt } = ignoredAndCaught(t);
  const pgidIds = pidsOfGroup(k, t.pgid, t, ns);
  const sidIds = pidsOfGroup(k, t.sid, t, ns);
  const ncpu = k.machine.cpus.length;
  // IDs as the reader's user namespace sees them (proc(5): from_kuid_munged of the opener).
  const viewer = k.current?.creds.userNs ?? k.initUserNs;
  const u = (id: number): number => viewer.uidOf(id);
  const g = (id: number): number => viewer.gidOf(id);
  const lines = [
    `Name:\t${t.comm}`,
    `Umask:\t${t.fs.umask.toString(8).padStart(4, '0')}`,
    `State:\t${STATE_NAMES[shownState(k, t)]}`,
    `Tgid:\t${t.pidIn(ns)}`,
    `Ngid:\t0`,
    `Pid:\t${t.pidIn(ns)}`,
    `PPid:\t${ppid}`,
    `TracerPid:\t${t.tracer?.owner.pidIn(ns) ?? 0}`,
    `Uid:\t${u(c.uid)}\t${u(c.euid)}\t${u(c.suid)}\t${u(c.fsuid)}`,
    `Gid:\t${g(c.gid)}\t${g(c.egid)}\t${g(c.sgid)}\t${g(c.fsgid)}`,
    `FDSize:\t${Math.max(64, 2 ** Math.ceil(Math.log2(Math.max(t.files.openFds().at(-1) ?? 0, 1) + 1)))}`,
    `Groups:\t${c.groups.map(g).join(' ')} `,
    `NStgid:\t${nsChain(t, ns, t.nsPids)}`,
    `NSpid:\t${nsChain(t, ns, t.nsPids)}`,
    `NSpgid:\t${pgidIds}`,
    `NSsid:\t${sidIds}`,
    `Kthread:\t0`,
  ];
  if (t.state !== TaskState.Zombie && t.mm && !t.mm.dead) lines.push(...renderStatusVm(t.mm, t.exe));
  lines.push(
    `CoreDumping:\t0`,
    `THP_enabled:\t1`,
    `Threads:\t1`,
    `SigQ:\t0/${Math.floor(threadsMax(k.machine.ramBytes) / 2)}`,
    `SigPnd:\t${t.sigPending.toHex()}`,
    `ShdPnd:\t0000000000000000`,
    `SigBlk:\t${t.sigBlocked.toHex()}`,
    `SigIgn:\t${ign.toHex()}`,
    `SigCgt:\t${cgt.toHex()}`,
    `CapInh:\t${capHex(c.capInh)}`,
    `CapPrm:\t${capHex(c.capPrm)}`,
    `CapEff:\t${capHex(c.capEff)}`,
    `CapBnd:\t${capHex(c.capBnd)}`,
    `CapAmb:\t${capHex(c.capAmb)}`,
    `NoNewPrivs:\t${t.noNewPrivs ? 1 : 0}`,
    `Seccomp:\t0`,
    `Seccomp_filters:\t0`,
    `Speculation_Store_Bypass:\tthread vulnerable`,
    `SpeculationIndirectBranch:\tconditional enabled`,
    `Cpus_allowed:\t${((2 ** ncpu - 1) >>> 0).toString(16)}`,
    `Cpus_allowed_list:\t${ncpu === 1 ? '0' : `0-${ncpu - 1}`}`,
    `Mems_allowed:\t00000001`,
    `Mems_allowed_list:\t0`,
    `voluntary_ctxt_switches:\t${t.nvcsw}`,
    `nonvoluntary_ctxt_switches:\t${t.nivcsw}`,
  );
  return lines.join('\n') + '\n';
}

/** The NSpgid/NSsid value: the group or session leader's ids from `ns` down to the task's level. */
function pidsOfGroup(k: Kernel, globalId: number, t: Task, ns: PidNamespace): string {
  const leader = k.tasks.get(globalId);
  if (leader) return leader.nsPids.slice(ns.level, t.nsPids.length).join('\t');
  return String(globalId);
}

/** Linux's "priority" field: 20 + nice for normal tasks, -1 - rt_priority for real-time ones. */
function priorityOf(t: Task): number {
  return t.policy === SchedPolicy.Fifo || t.policy === SchedPolicy.RR ? -1 - t.rtPriority : 20 + t.nice;
}

export function renderStat(k: Kernel, t: Task, ns: PidNamespace, tty: TtyInfo): string {
  const ticks = (ns_: number): number => Math.floor(ns_ / NS_PER_TICK);
  const ppid = t.parent?.pidIn(ns) ?? 0;
  const { ign, cgt } = ignoredAndCaught(t);
  const sigDec = (s: SigSet): string => String(s.lo >>> 0);
  const pgid = k.tasks.get(t.pgid)?.pidIn(ns) ?? (ns.level === 0 ? t.pgid : 0);
  const sid = k.tasks.get(t.sid)?.pidIn(ns) ?? (ns.level === 0 ? t.sid : 0);
  const exitCode = t.state === TaskState.Zombie ? t.exitStatus : 0;
  const times = taskTimes(k, t);
  const fields = [
    t.pidIn(ns),
    `(${t.comm})`,
    shownState(k, t),
    ppid,
    pgid,
    sid,
    tty.ttyNr,
    tty.tpgid,
    4194304,
    t.minFlt,
    0,
    t.majFlt,
    0,
    ticks(times.utimeNs),
    ticks(times.stimeNs),
    ticks(t.cutimeNs),
    ticks(t.cstimeNs),
    priorityOf(t),
    t.nice,
    1,
    0,
    ticks(t.startTime - (k.config.bootNs ?? 0)),
    t.mm && !t.mm.dead ? t.mm.totalVm() * 4096 : 0,
    t.mm && !t.mm.dead ? t.mm.rss : 0,
    '18446744073709551615',
    0,
    0,
    0,
    0,
    0,
    sigDec(t.sigPending),
    sigDec(t.sigBlocked),
    sigDec(ign),
    sigDec(cgt),
    0,
    0,
    0,
    t.exitSignal,
    t.lastCpu,
    t.rtPriority,
    t.policy,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    0,
    exitCode,
  ];
  return fields.join(' ') + '\n';
}

/** /proc/PID/cmdline: the arguments, each followed by a NUL; empty for zombies. */
export function renderCmdline(t: Task): string {
  if (t.state === TaskState.Zombie) return '';
  return t.argv.map((a) => a + '\0').join('');
}

export function renderEnviron(t: Task): string {
  if (t.state === TaskState.Zombie) return '';
  return t.envp.map((a) => a + '\0').join('');
}

/** /proc/PID/statm: size resident shared text lib data dt, in pages. */
export function renderStatm(t: Task): string {
  return renderStatmOf(t.mm, t.exe);
}

/** /proc/PID/schedstat: time on CPU (ns), time waiting on a runqueue (ns), timeslices run. */
export function renderSchedstat(k: Kernel, t: Task): string {
  const times = taskTimes(k, t);
  return `${times.utimeNs + times.stimeNs} ${t.runDelayNs} ${t.nvcsw + t.nivcsw}\n`;
}

const LIMIT_ROWS: [string, number, string][] = [
  ['Max cpu time', 0, 'seconds'],
  ['Max file size', 1, 'bytes'],
  ['Max data size', 2, 'bytes'],
  ['Max stack size', 3, 'bytes'],
  ['Max core file size', 4, 'bytes'],
  ['Max resident set', 5, 'bytes'],
  ['Max processes', 6, 'processes'],
  ['Max open files', 7, 'files'],
  ['Max locked memory', 8, 'bytes'],
  ['Max address space', 9, 'bytes'],
  ['Max file locks', 10, 'locks'],
  ['Max pending signals', 11, 'signals'],
  ['Max msgqueue size', 12, 'bytes'],
  ['Max nice priority', 13, ''],
  ['Max realtime priority', 14, ''],
  ['Max realtime timeout', 15, 'us'],
];

/** /proc/PID/limits, with Linux's column layout. */
export function renderLimits(t: Task): string {
  const v = (n: number): string => (n === Infinity ? 'unlimited' : String(n));
  let out = 'Limit                     Soft Limit           Hard Limit           Units     \n';
  for (const [name, res, unit] of LIMIT_ROWS) {
    const l = t.rlimits[res] ?? { soft: Infinity, hard: Infinity };
    out += `${name.padEnd(26)}${v(l.soft).padEnd(21)}${v(l.hard).padEnd(21)}${unit.padEnd(10)}\n`;
  }
  return out;
}
