/**
 * Process system calls: clone/fork, execve, exit, wait4, the identity calls
 * (getpid, getppid, getuid, …), kill, and process groups and sessions
 * (setpgid(2), setsid(2), credentials(7)).
 */
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import { TaskState, type Task } from '../proc/task.js';
import { doClone, VforkWait, vforkWait } from '../proc/task-clone.js';
import { doExec } from '../proc/task-exec.js';
import { doExit, reap } from '../proc/task-exit.js';
import { sendSignal } from '../proc/task-signal.js';
import { NSIG } from '../proc/signals.js';
import { exitedStatus, WCONTINUED, WNOHANG, WUNTRACED, stoppedStatus, CONTINUED_STATUS } from '../proc/wstatus.js';
import type { HandlerTable } from './handler.js';
import {
  CLONE_VFORK,
  CLONE_VM,
  PR_GET_CHILD_SUBREAPER,
  PR_GET_NAME,
  PR_GET_NO_NEW_PRIVS,
  PR_SET_CHILD_SUBREAPER,
  PR_SET_NAME,
  PR_SET_NO_NEW_PRIVS,
  type CapSets,
  type CloneEntry,
  type WaitResult,
} from './abi.js';
import { capget, capPrctl, capset } from '../proc/cap-ops.js';
import { SIG } from '../proc/signals.js';
import * as creds from '../proc/cred-ops.js';
import { CAP, nsCapable } from '../ns/capabilities.js';

/**
 * A signal may be sent if the sender's real or effective UID matches the target's
 * real or saved UID, or the sender has CAP_KILL in the target's user namespace (kill(2)).
 */
export function maySignal(sender: Task, target: Task): boolean {
  const s = sender.creds;
  const d = target.creds;
  if (s.euid === d.uid || s.euid === d.suid || s.uid === d.uid || s.uid === d.suid) return true;
  return nsCapable(s, d.userNs, CAP.KILL);
}

/** Tasks in process group `pgid` (global id), visible from `viewer`'s PID namespace. */
function groupMembers(k: Kernel, viewer: Task, pgid: number): Task[] {
  const out: Task[] = [];
  for (const t of viewer.pidNs.sortedTasks()) if (t.pgid === pgid && t.state !== TaskState.Zombie) out.push(t);
  void k;
  return out;
}

/** The global id for a PID the caller named in its own namespace, or 0. */
function globalPid(t: Task, pid: number): number {
  return t.pidNs.tasks.get(pid)?.tid ?? 0;
}

function doKill(k: Kernel, t: Task, pid: number, sig: number): unknown {
  if (!Number.isInteger(sig) || sig < 0 || sig > NSIG) return err('EINVAL', `signal ${sig} does not exist`);
  let targets: Task[];
  if (pid > 0) {
    const target = t.pidNs.tasks.get(pid);
    if (!target || target.state === TaskState.Dead) return err('ESRCH', `no process ${pid} in the caller's PID namespace`);
    targets = [target];
  } else if (pid === 0) {
    targets = groupMembers(k, t, t.pgid);
  } else if (pid === -1) {
    // Every process the caller may signal, except init and itself (kill(2)).
    targets = t.pidNs.sortedTasks().filter((x) => x !== t && x !== t.pidNs.init && x.state !== TaskState.Zombie);
  } else {
    const pg = globalPid(t, -pid);
    targets = pg ? groupMembers(k, t, pg) : [];
  }
  if (targets.length === 0) return err('ESRCH', pid < -1 ? `no process group ${-pid}` : 'no such process');
  let sent = 0;
  let denied = 0;
  for (const target of targets) {
    if (!maySignal(t, target)) {
      denied++;
      continue;
    }
    sendSignal(k, target, sig, target.pidNs === t.pidNs || isInside(target, t));
    sent++;
  }
  if (sent === 0 && denied > 0) return err('EPERM', `uid ${t.creds.euid} may not signal a process of uid ${targets[0].creds.uid}`);
  return 0;
}

/** True when `sender` is in `target`'s PID namespace or a descendant of it. */
function isInside(target: Task, sender: Task): boolean {
  for (let n: typeof sender.pidNs | null = sender.pidNs; n !== null; n = n.parent) if (n === target.pidNs) return true;
  return false;
}

/** The zombie child earliest in `t.children` (what a scan of the children in order finds first). */
function firstZombieChild(t: Task): Task | undefined {
  let first: Task | undefined;
  for (const c of t.zombieChildren ?? []) if (first === undefined || c.childSeq < first.childSeq) first = c;
  return first;
}

function doWait(k: Kernel, t: Task, req: { pid: number; options: number }): unknown {
  const { pid, options } = req;
  // Any child, only exits asked for (init's loop): the zombie set answers without a scan.
  if (pid === -1 && !(options & (WUNTRACED | WCONTINUED))) {
    if (t.children.length === 0) return err('ECHILD', 'the caller has no children to wait for');
    const c = firstZombieChild(t);
    if (c) {
      const res: WaitResult = { pid: c.pidIn(t.pidNs), status: c.exitStatus, utimeNs: c.utimeNs + c.cutimeNs, stimeNs: c.stimeNs + c.cstimeNs };
      reap(k, c);
      return res;
    }
    if (options & WNOHANG) return { pid: 0, status: 0, utimeNs: 0, stimeNs: 0 } satisfies WaitResult;
    return k.sleepOn(t, t.childWait);
  }
  const matches = (c: Task): boolean => {
    if (pid > 0) return c.pidIn(t.pidNs) === pid;
    if (pid === -1) return true;
    if (pid === 0) return c.pgid === t.pgid;
    return c.pgid === globalPid(t, -pid);
  };
  const kids = t.children.filter(matches);
  if (kids.length === 0) return err('ECHILD', pid > 0 ? `process ${pid} is not a child of the caller` : 'the caller has no children to wait for');
  for (const c of kids) {
    if (c.state === TaskState.Zombie) {
      const res: WaitResult = { pid: c.pidIn(t.pidNs), status: c.exitStatus, utimeNs: c.utimeNs + c.cutimeNs, stimeNs: c.stimeNs + c.cstimeNs };
      reap(k, c);
      return res;
    }
    if (options & WUNTRACED && c.state === TaskState.Stopped && c.stopUnreported) {
      c.stopUnreported = false;
      return { pid: c.pidIn(t.pidNs), status: stoppedStatus(c.stopSignal), utimeNs: c.utimeNs, stimeNs: c.stimeNs } satisfies WaitResult;
    }
    if (options & WCONTINUED && c.contUnreported) {
      c.contUnreported = false;
      return { pid: c.pidIn(t.pidNs), status: CONTINUED_STATUS, utimeNs: c.utimeNs, stimeNs: c.stimeNs } satisfies WaitResult;
    }
  }
  if (options & WNOHANG) return { pid: 0, status: 0, utimeNs: 0, stimeNs: 0 } satisfies WaitResult;
  return k.sleepOn(t, t.childWait);
}

export const procSyscalls: HandlerTable = {
  /** clone({entry, flags, exitSignal}) → child PID in the caller's namespace. */
  clone(k, t, req: { entry: CloneEntry; flags?: number; exitSignal?: number }) {
    const exitSignal = req.exitSignal ?? SIG.SIGCHLD;
    // Simplification: the exit signal is a field of its own, as in clone3(2), so clone3's
    // check applies (copy_clone_args_from_user: EINVAL unless 0 or a valid signal); legacy
    // clone masks it from the flags (CSIGNAL) and would accept 65..255 and send nothing.
    if (!Number.isInteger(exitSignal) || exitSignal < 0 || exitSignal > 64) return err('EINVAL', `exit signal ${exitSignal} is not a signal (1 to 64, or 0 for none)`);
    const st = t.syscallState;
    if (st instanceof VforkWait) return vforkWait(k, t, st.child);
    const flags = req.flags ?? 0;
    const child = doClone(k, t, req.entry, flags, exitSignal);
    if (!(child instanceof Object) || 'errno' in child) return child;
    return flags & CLONE_VFORK ? vforkWait(k, t, child) : child.pidIn(t.pidNs);
  },
  /** fork({entry}) = clone with SIGCHLD. */
  fork(k, t, req: { entry: CloneEntry }) {
    const child = doClone(k, t, req.entry, 0, SIG.SIGCHLD);
    if ('errno' in child) return child;
    return child.pidIn(t.pidNs);
  },
  /**
   * vfork({entry}) = clone with CLONE_VM | CLONE_VFORK | SIGCHLD: the child borrows the
   * caller's address space and the caller sleeps (killably) until the child execs or exits.
   */
  vfork(k, t, req: { entry: CloneEntry }) {
    const st = t.syscallState;
    if (st instanceof VforkWait) return vforkWait(k, t, st.child);
    const child = doClone(k, t, req.entry, CLONE_VM | CLONE_VFORK, SIG.SIGCHLD);
    if ('errno' in child) return child;
    return vforkWait(k, t, child);
  },
  /** execve({path, argv, envp}). */
  execve(k, t, req: { path: string; argv: string[]; envp: string[] }) {
    const r = doExec(k, t, req.path, req.argv, req.envp);
    return r ?? 0;
  },
  exit(k, t, req: { status: number }) {
    doExit(k, t, exitedStatus(req.status));
    return 0;
  },
  exit_group(k, t, req: { status: number }) {
    doExit(k, t, exitedStatus(req.status));
    return 0;
  },
  /** wait4({pid, options}) → WaitResult. */
  wait4: doWait,
  kill(k, t, req: { pid: number; sig: number }) {
    return doKill(k, t, req.pid, req.sig);
  },
  tgkill(k, t, req: { tgid: number; tid: number; sig: number }) {
    return doKill(k, t, req.tid, req.sig);
  },
  getpid: (_k, t) => t.pid,
  gettid: (_k, t) => t.pid,
  getppid(_k, t) {
    const p = t.parent;
    return p === null ? 0 : p.pidIn(t.pidNs);
  },
  // IDs as the caller's user namespace sees them; unmapped ones read as 65534 (USER-01).
  getuid: (_k, t) => t.creds.userNs.uidOf(t.creds.uid),
  geteuid: (_k, t) => t.creds.userNs.uidOf(t.creds.euid),
  getgid: (_k, t) => t.creds.userNs.gidOf(t.creds.gid),
  getegid: (_k, t) => t.creds.userNs.gidOf(t.creds.egid),
  getresuid: (_k, t) => [t.creds.uid, t.creds.euid, t.creds.suid].map((u) => t.creds.userNs.uidOf(u)),
  getresgid: (_k, t) => [t.creds.gid, t.creds.egid, t.creds.sgid].map((g) => t.creds.userNs.gidOf(g)),
  getgroups: (_k, t) => t.creds.groups.map((g) => t.creds.userNs.gidOf(g)),
  setuid: (_k, t, req: { uid: number }) => creds.setuid(t.creds, req.uid),
  setgid: (_k, t, req: { gid: number }) => creds.setgid(t.creds, req.gid),
  setreuid: (_k, t, req: { ruid: number; euid: number }) => creds.setreuid(t.creds, req.ruid, req.euid),
  setregid: (_k, t, req: { rgid: number; egid: number }) => creds.setregid(t.creds, req.rgid, req.egid),
  setresuid: (_k, t, req: { ruid: number; euid: number; suid: number }) => creds.setresuid(t.creds, req.ruid, req.euid, req.suid),
  setresgid: (_k, t, req: { rgid: number; egid: number; sgid: number }) => creds.setresgid(t.creds, req.rgid, req.egid, req.sgid),
  setgroups: (_k, t, req: { groups: number[] }) => creds.setgroups(t.creds, req.groups),
  getpgid(k, t, req: { pid: number }) {
    const target = req.pid === 0 ? t : t.pidNs.tasks.get(req.pid);
    if (!target) return err('ESRCH', `no process ${req.pid} in the caller's PID namespace`);
    return pidOfGlobal(k, t, target.pgid);
  },
  getpgrp: (k, t) => pidOfGlobal(k, t, t.pgid),
  getsid(k, t, req: { pid: number }) {
    const target = req.pid === 0 ? t : t.pidNs.tasks.get(req.pid);
    if (!target) return err('ESRCH', `no process ${req.pid} in the caller's PID namespace`);
    return pidOfGlobal(k, t, target.sid);
  },
  setsid(k, t) {
    // A process-group leader cannot start a session (setsid(2) EPERM).
    for (const x of k.groupTasks(t.tid)) if (x.state !== TaskState.Zombie) return err('EPERM', 'the caller is a process-group leader');
    t.sid = t.tid;
    k.setPgid(t, t.tid);
    return t.pid;
  },
  setpgid(k, t, req: { pid: number; pgid: number }) {
    const target = req.pid === 0 ? t : t.pidNs.tasks.get(req.pid);
    if (!target || (target !== t && target.parent !== t)) return err('ESRCH', !target ? `no process ${req.pid} in the caller's PID namespace` : `process ${req.pid} is neither the caller nor a child of it`);
    if (req.pgid < 0) return err('EINVAL', `pgid ${req.pgid} is negative`);
    if (target !== t && target.didExec) return err('EACCES', 'the child has already called execve');
    if (target.sid !== t.sid) return err('EPERM', `process ${req.pid} is in another session than the caller`);
    if (target.sid === target.tid) return err('EPERM', 'a session leader cannot change its process group');
    const pgid = req.pgid === 0 ? target.tid : globalPid(t, req.pgid);
    if (pgid !== target.tid) {
      let ok = false;
      for (const x of k.groupTasks(pgid)) if (x.sid === t.sid) ok = true;
      if (!ok) return err('EPERM', `process group ${req.pgid} does not exist in the caller's session`);
    }
    k.setPgid(target, pgid);
    return 0;
  },
  /** prctl({option, arg2, arg3, arg4, arg5}) — PR_SET_NAME takes `name` instead of a pointer. */
  prctl(_k, t, req: { option: number; name?: string; arg2?: number; arg3?: number; arg4?: number; arg5?: number }) {
    const a2 = req.arg2 ?? 0;
    const a3 = req.arg3 ?? 0;
    const a4 = req.arg4 ?? 0;
    const a5 = req.arg5 ?? 0;
    switch (req.option) {
      case PR_SET_CHILD_SUBREAPER:
        t.childSubreaper = a2 !== 0;
        return 0;
      case PR_GET_CHILD_SUBREAPER:
        return t.childSubreaper ? 1 : 0;
      case PR_SET_NAME:
        t.comm = (req.name ?? '').slice(0, 15);
        return 0;
      case PR_GET_NAME:
        return t.comm;
      case PR_SET_NO_NEW_PRIVS:
        // Only setting is possible: no_new_privs is never cleared (prctl(2)).
        if (a2 !== 1 || a3 !== 0 || a4 !== 0 || a5 !== 0) return err('EINVAL', 'PR_SET_NO_NEW_PRIVS takes arg2 = 1 and zeros');
        t.noNewPrivs = true;
        return 0;
      case PR_GET_NO_NEW_PRIVS:
        if (a2 !== 0 || a3 !== 0 || a4 !== 0 || a5 !== 0) return err('EINVAL', 'PR_GET_NO_NEW_PRIVS takes no arguments');
        return t.noNewPrivs ? 1 : 0;
    }
    return capPrctl(t, req.option, a2, a3, a4, a5) ?? err('EINVAL', `prctl option ${req.option} is not modelled`);
  },
  /** capget({pid}) → {effective, permitted, inheritable}. */
  capget: (_k, t, req: { pid?: number }) => capget(t, req.pid ?? 0),
  /** capset({pid, effective, permitted, inheritable}). */
  capset: (_k, t, req: { pid?: number } & CapSets) => capset(t, req.pid ?? 0, req),
};

/**
 * The caller-visible number of a global id (a process group or session id). The
 * leader may be gone; in the initial namespace the number is the same.
 */
export function pidOfGlobal(k: Kernel, t: Task, globalId: number): number {
  const leader = k.tasks.get(globalId);
  if (leader) return leader.pidIn(t.pidNs);
  return t.pidNs.level === 0 ? globalId : 0;
}
