/**
 * Process termination (exit(2), do_exit()): release the task's files, hand its
 * children to the reaper, become a zombie holding the wait status, and tell the
 * parent (its exit signal, usually SIGCHLD, and a wake-up of wait4 sleepers).
 * A zombie disappears when its parent reaps it (`reap`), or at once when the parent
 * ignores SIGCHLD (waitpid(2) NOTES: SA_NOCLDWAIT / SIG_IGN).
 */
import type { Kernel } from '../kernel.js';
import { SIG, signalName } from './signals.js';
import { TaskState, abandonSyscallState, type Task } from './task.js';
import { sendSignal } from './task-signal.js';
import { releaseFile } from '../vfs/file-ops.js';
import { hangupSession } from '../tty/tty.js';
import { WIFEXITED, WEXITSTATUS, WTERMSIG } from './wstatus.js';
import { releaseMm } from '../mm/vm.js';
import { completeVforkDone } from './task-clone.js';
import { nsPut } from '../ns/namespace.js';
import { cgroupDetach } from '../cgroup/cgroup.js';

/** Terminates `t` with wait status `wstatus`. Idempotent. */
export function doExit(k: Kernel, t: Task, wstatus: number): void {
  if (t.exiting) return;
  t.exiting = true;
  // strace's `+++ exited with N +++`; a strace that dies lets its tracees go.
  t.tracer?.exited(t, wstatus);
  t.tracing?.detachAll();
  t.parent?.tracing?.childGone();
  k.charge(k.costs.exit);
  for (const wq of t.waitingOn) wq.remove(t);
  t.waitingOn.length = 0;
  k.engine.cancel(t.wakeTimer);
  t.wakeTimer = null;
  // A process's interval timer dies with it (alarm(2), setitimer(2)).
  k.engine.cancel(t.alarmEvent);
  t.alarmEvent = null;
  k.sched.dequeue(t);
  abandonSyscallState(t);
  t.pendingSyscall = null;
  t.setProgram(null);

  // Close every descriptor (the last user of a shared table closes the files).
  t.files.users--;
  if (t.files.users === 0) {
    for (const fd of t.files.openFds()) {
      const f = t.files.remove(fd);
      if (f) releaseFile(k, f);
    }
  }
  t.fs.users--;
  if (t.fs.users === 0) {
    t.fs.release();
    nsPut(t.fs.mntNs);
  }
  // The UTS, IPC, network, cgroup and time namespaces go at exit (exit_task_namespaces).
  t.nsproxy.release();
  // The address space goes now (exit_mm): a zombie holds no memory.
  if (t.mm) {
    releaseMm(k, t.mm);
    t.mm = null;
  }
  // A vfork parent waiting for this child goes on (exit_mm_release → complete_vfork_done).
  completeVforkDone(k, t);

  const trace = k.engine.trace;
  if (trace.on('proc')) {
    trace.emit('proc', 'exit', {
      pid: t.tid,
      comm: t.comm,
      // Both fields always (JSON Lines keep one shape per event): the other one is null.
      code: WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : null,
      signal: WIFEXITED(wstatus) ? null : signalName(WTERMSIG(wstatus)),
    });
  }

  // The namespace's init dying takes every other member with it (PID-08): no process
  // may enter any more (PID-09), and, as zap_pid_ns_processes waits, the init's parent
  // hears of its exit only once the others are gone.
  const ns = t.pidNs;
  const zapping = ns.init === t;
  if (zapping) {
    if (ns.level === 0) k.panic('Attempted to kill init!', { exitcode: `0x${wstatus.toString(16).padStart(8, '0')}` });
    ns.initDied = true;
    for (const other of ns.sortedTasks()) if (other !== t) sendSignal(k, other, SIG.SIGKILL, false);
  }

  if (t.sid === t.tid) hangupSession(k, t);
  reparentChildren(k, t);
  t.state = TaskState.Zombie;
  if (t.parent) (t.parent.zombieChildren ??= new Set()).add(t);
  t.exitStatus = wstatus;
  t.lastStateChange = k.now;
  if (zapping) {
    for (const c of [...t.children]) if (c.state === TaskState.Zombie) reap(k, c);
    if (ns.tasks.size > 1) return;
  }
  notifyParentOfExit(k, t);
  for (const hook of k.exitHooks) hook(t);
}

/**
 * Hands `t`'s children to the child reaper: the nearest living ancestor marked as a
 * child subreaper in the same PID namespace (PROC-02), else the init of t's PID
 * namespace (PID-10), or a dying init itself, which reaps them as they die.
 */
function reparentChildren(k: Kernel, t: Task): void {
  if (t.children.length === 0) return;
  let reaper = t.pidNs.init;
  for (let a = t.parent; a !== null && a.pidNs === t.pidNs && a !== t.pidNs.init; a = a.parent) {
    if (a.childSubreaper && !a.exiting) {
      reaper = a;
      break;
    }
  }
  if (reaper === null) reaper = k.initPidNs.init;
  if (reaper === null || reaper === t) return;
  for (const c of t.children) {
    c.parent = reaper;
    c.childSeq = reaper.nextChildSeq++;
    reaper.children.push(c);
    if (c.state === TaskState.Zombie) {
      (reaper.zombieChildren ??= new Set()).add(c);
      notifyParentOfExit(k, c);
    }
  }
  t.children.length = 0;
  t.zombieChildren = null;
}

/** Tells the parent a child exited: auto-reap if it ignores SIGCHLD, else signal and wake it. */
function notifyParentOfExit(k: Kernel, t: Task): void {
  const parent = t.parent;
  if (parent === null) return;
  // A namespace init on its way out reaps what is left of its namespace itself.
  if (parent.exiting && parent.pidNs.init === parent) {
    reap(k, t);
    return;
  }
  const act = parent.sighand.get(SIG.SIGCHLD);
  if (t.exitSignal === SIG.SIGCHLD && act !== undefined && (act.handler === 'ignore' || act.noChildWait)) {
    reap(k, t);
    k.wakeAll(parent.childWait);
    return;
  }
  if (t.exitSignal !== 0) sendSignal(k, parent, t.exitSignal);
  k.wakeAll(parent.childWait);
}

/** A stop or continue of `t`: SIGCHLD to the parent unless SA_NOCLDSTOP, and wake wait4. */
export function notifyParent(k: Kernel, t: Task, _status: number): void {
  const parent = t.parent;
  if (parent === null) return;
  const act = parent.sighand.get(SIG.SIGCHLD);
  if (!act?.noChildStop) sendSignal(k, parent, SIG.SIGCHLD);
  k.wakeAll(parent.childWait);
}

/** Removes a zombie for good: its PIDs are freed and its times go to the parent. */
export function reap(k: Kernel, t: Task): void {
  const parent = t.parent;
  if (parent) {
    const i = parent.children.indexOf(t);
    if (i >= 0) parent.children.splice(i, 1);
    parent.zombieChildren?.delete(t);
    parent.cutimeNs += t.utimeNs + t.cutimeNs;
    parent.cstimeNs += t.stimeNs + t.cstimeNs;
  }
  t.state = TaskState.Dead;
  for (let ns: typeof t.pidNs | null = t.pidNs; ns !== null; ns = ns.parent) {
    ns.tasks.delete(t.nsPids[ns.level]);
    if (ns.init === t) ns.init = null;
  }
  k.tasks.delete(t.tid);
  k.unfileTaskGroup(t);
  cgroupDetach(t);
  nsPut(t.pidNs);
  nsPut(t.pidNsForChildren);
  nsPut(t.creds.userNs);
  // The last member of a namespace whose init is dying: the init's exit can be told now.
  for (let ns: typeof t.pidNs | null = t.pidNs; ns !== null; ns = ns.parent) {
    const init = ns.init;
    if (init && init.exiting && init.state === TaskState.Zombie && ns.tasks.size === 1) {
      notifyParentOfExit(k, init);
      for (const hook of k.exitHooks) hook(init);
    }
  }
  k.engine.metrics.drop(`pid:${t.tid}`);
  if (k.engine.trace.on('proc')) k.engine.trace.emit('proc', 'reap', { pid: t.tid, by: parent?.tid ?? 0 });
}
