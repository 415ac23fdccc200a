/**
 * Scheduling calls: sched_yield, setpriority/getpriority (nice), sched_setscheduler,
 * sched_getscheduler, sched_getparam (sched(7), setpriority(2)).
 */
import { CAP, capable, nsCapable, capMissing, capMissingInit } from '../ns/capabilities.js';
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import { SchedPolicy, type Task } from '../proc/task.js';
import { niceToWeight } from '../sched/weights.js';
import type { HandlerTable } from './handler.js';
import { PRIO_PGRP, PRIO_PROCESS, PRIO_USER } from './abi.js';

/** Applies a scheduling change to a task that may be queued. */
function requeue(k: Kernel, t: Task, change: () => void): void {
  const queued = t.onRunqueue;
  if (queued) k.sched.dequeue(t);
  change();
  if (queued) k.sched.enqueue(t, 'preempted');
}

function targetsOf(k: Kernel, t: Task, which: number, who: number): Task[] {
  if (which === PRIO_PROCESS) {
    const x = who === 0 ? t : t.pidNs.tasks.get(who);
    return x ? [x] : [];
  }
  if (which === PRIO_PGRP) {
    const pg = who === 0 ? t.pgid : (t.pidNs.tasks.get(who)?.tid ?? -1);
    return t.pidNs.sortedTasks().filter((x) => x.pgid === pg);
  }
  if (which === PRIO_USER) {
    const uid = who === 0 ? t.creds.uid : who;
    return [...k.tasks.values()].filter((x) => x.creds.uid === uid);
  }
  return [];
}

/** Why setpriority/getpriority found no target. */
function noTarget(which: number, who: number): string {
  if (which === PRIO_PROCESS) return `no process ${who} in the caller's PID namespace`;
  if (which === PRIO_PGRP) return `no process group ${who} in the caller's PID namespace`;
  if (which === PRIO_USER) return `no process runs as uid ${who}`;
  return `which ${which} is not PRIO_PROCESS, PRIO_PGRP or PRIO_USER`;
}

export const schedSyscalls: HandlerTable = {
  sched_yield(k, t) {
    t.yieldPending = true;
    if (k.currentCpu) k.currentCpu.needResched = true;
    return 0;
  },
  /** setpriority({which, who, prio}): lowering a nice value needs CAP_SYS_NICE (root here). */
  setpriority(k, t, r: { which: number; who: number; prio: number }) {
    if (r.which < 0 || r.which > 2) return err('EINVAL', `which ${r.which} is not PRIO_PROCESS, PRIO_PGRP or PRIO_USER`);
    const targets = targetsOf(k, t, r.which, r.who);
    if (targets.length === 0) return err('ESRCH', noTarget(r.which, r.who));
    const nice = Math.max(-20, Math.min(19, Math.trunc(r.prio)));
    for (const x of targets) {
      if (t.creds.euid !== x.creds.uid && t.creds.euid !== x.creds.euid && !nsCapable(t.creds, x.creds.userNs, CAP.SYS_NICE)) return err('EPERM', `euid ${t.creds.euid} is neither the uid nor the euid of process ${x.pidIn(t.pidNs)}, and it lacks CAP_SYS_NICE in that process's user namespace` + '; ' + capMissing(t.creds, x.creds.userNs, CAP.SYS_NICE));
      if (nice < x.nice && !capable(t.creds, CAP.SYS_NICE)) return err('EACCES', `lowering nice from ${x.nice} to ${nice} needs CAP_SYS_NICE` + '; ' + capMissingInit(t.creds, CAP.SYS_NICE));
      requeue(k, x, () => {
        x.nice = nice;
        x.weight = niceToWeight(nice);
      });
    }
    return 0;
  },
  /** getpriority({which, who}) → the lowest nice value among the targets (as glibc's wrapper returns it). */
  getpriority(k, t, r: { which: number; who: number }) {
    const targets = targetsOf(k, t, r.which, r.who);
    if (targets.length === 0) return err('ESRCH', noTarget(r.which, r.who));
    return Math.min(...targets.map((x) => x.nice));
  },
  /** sched_setscheduler({pid, policy, priority}). */
  sched_setscheduler(k, t, r: { pid: number; policy: number; priority: number }) {
    const x = r.pid === 0 ? t : t.pidNs.tasks.get(r.pid);
    if (!x) return err('ESRCH', `no process ${r.pid} in the caller's PID namespace`);
    const policy = r.policy & ~0x40000000; // SCHED_RESET_ON_FORK
    const rt = policy === SchedPolicy.Fifo || policy === SchedPolicy.RR;
    if (![SchedPolicy.Other, SchedPolicy.Fifo, SchedPolicy.RR, SchedPolicy.Batch, SchedPolicy.Idle].includes(policy)) return err('EINVAL', `policy ${policy} is not SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH or SCHED_IDLE`);
    if (rt ? r.priority < 1 || r.priority > 99 : r.priority !== 0) return err('EINVAL', rt ? 'real-time priorities are 1..99' : 'non-real-time policies take priority 0');
    if (rt && !capable(t.creds, CAP.SYS_NICE)) return err('EPERM', 'real-time policies need CAP_SYS_NICE' + '; ' + capMissingInit(t.creds, CAP.SYS_NICE));
    requeue(k, x, () => {
      x.policy = policy;
      x.rtPriority = rt ? r.priority : 0;
      x.rrLeftNs = 0;
    });
    if (k.currentCpu && x.cpu) k.currentCpu.needResched = true;
    return 0;
  },
  sched_getscheduler(_k, t, r: { pid: number }) {
    const x = r.pid === 0 ? t : t.pidNs.tasks.get(r.pid);
    return x ? x.policy : err('ESRCH', `no process ${r.pid} in the caller's PID namespace`);
  },
  sched_getparam(_k, t, r: { pid: number }) {
    const x = r.pid === 0 ? t : t.pidNs.tasks.get(r.pid);
    return x ? x.rtPriority : err('ESRCH', `no process ${r.pid} in the caller's PID namespace`);
  },
};
