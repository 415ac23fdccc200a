/**
 * Process creation (clone(2), fork(2)): a new task that shares or copies its
 * parent's file table, file-system context, signal handlers and credentials as the
 * CLONE_* flags say, goes into new namespaces when CLONE_NEW* flags ask (ns-create.ts),
 * gets a PID in its PID namespace and every ancestor, and starts runnable. The child
 * runs `entry` (see program.ts: a generator cannot be copied).
 */
import type { Kernel } from '../kernel.js';
import type { Block } from '../vfs/file.js';
import { err, type SysError } from '../errno.js';
import { Task } from './task.js';
import { WaitQueue } from './wait-queue.js';
import type { CloneEntry } from '../syscalls/abi.js';
import {
  CLONE_FILES,
  CLONE_FS,
  CLONE_NEWIPC,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWNS,
  CLONE_PARENT,
  CLONE_SYSVSEM,
  CLONE_SIGHAND,
  CLONE_THREAD,
  CLONE_VFORK,
  CLONE_VM,
  RLIMIT_NPROC,
} from '../syscalls/abi.js';
import type { PidNamespace } from './pid-namespace.js';
import { committedPages, copyMm, overcommitAllows, releaseMm } from '../mm/vm.js';
import { SIG } from './signals.js';
import { fatalSignalPending } from './task-signal.js';
import { createNamespaces, remapFs, type NewNamespaces } from '../ns/ns-create.js';
import { nsGet, nsPut, type Namespace } from '../ns/namespace.js';
import { Nsproxy } from '../ns/nsproxy.js';
import { CAP, capable } from '../ns/capabilities.js';
import { cgroupAttachNew, pidsCanFork } from '../cgroup/cgroup.js';

/** The references a task holds on the namespaces it is in (its nsproxy's are taken by Nsproxy.copy). */
export function taskHoldsNamespaces(t: Task): void {
  nsGet(t.pidNs);
  nsGet(t.pidNsForChildren);
  nsGet(t.creds.userNs);
}

/** Gives back namespaces a failed clone made (nothing references them yet). */
function dropNew(made: NewNamespaces): void {
  // The others hold references on a new user namespace: hold one more while they go, then drop it.
  if (made.user) nsGet(made.user);
  const all: (Namespace | null)[] = [made.mnt?.ns ?? null, made.uts, made.ipc, made.pid, made.cgroup, made.net];
  for (const ns of all) if (ns) ns.destroy();
  if (made.user) nsPut(made.user);
}

/** /proc/sys/kernel/threads-max for the simulated RAM (Linux: RAM pages / 8 / (THREAD_SIZE/PAGE_SIZE)). */
export function threadsMax(ramBytes: number): number {
  return Math.max(20, Math.floor(ramBytes / 4096 / 8 / 4));
}

/** Creates a child of `parent` running `entry`. Returns the child, or why not. */
export function doClone(k: Kernel, parent: Task, entry: CloneEntry, flags: number, exitSignal: number): Task | SysError {
  // Invalid combinations (clone(2) ERRORS EINVAL, NS-11), before anything is made.
  if ((flags & CLONE_FS) && (flags & (CLONE_NEWNS | CLONE_NEWUSER))) return err('EINVAL', 'CLONE_FS cannot be combined with CLONE_NEWNS or CLONE_NEWUSER (clone(2))');
  if ((flags & CLONE_NEWIPC) && (flags & CLONE_SYSVSEM)) return err('EINVAL', 'CLONE_NEWIPC cannot be combined with CLONE_SYSVSEM (clone(2))');
  if ((flags & CLONE_THREAD) && (flags & (CLONE_NEWPID | CLONE_NEWUSER))) return err('EINVAL', 'CLONE_THREAD cannot be combined with CLONE_NEWPID or CLONE_NEWUSER (clone(2))');
  if (flags & CLONE_THREAD) return err('EINVAL', 'ctsim models single-threaded processes: CLONE_THREAD is not supported');
  if ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)) return err('EINVAL', 'CLONE_SIGHAND requires CLONE_VM (clone(2))');
  // A namespace init cannot give its child to its own parent (PID-18).
  if (flags & CLONE_PARENT && parent.pidNs.init === parent) return err('EINVAL', 'the init of a PID namespace cannot use CLONE_PARENT');

  // Limits: the system-wide task count, then the caller's RLIMIT_NPROC (fork(2) EAGAIN).
  const max = threadsMax(k.machine.ramBytes);
  if (k.tasks.size >= max) return err('EAGAIN', `the system task limit (threads-max=${max}) is reached`);
  const nproc = parent.rlimits[RLIMIT_NPROC]?.soft ?? Infinity;
  if (parent.creds.uid !== 0 && nproc !== Infinity && !capable(parent.creds, CAP.SYS_RESOURCE) && !capable(parent.creds, CAP.SYS_ADMIN)) {
    let mine = 0;
    for (const t of k.tasks.values()) if (t.creds.uid === parent.creds.uid) mine++;
    if (mine >= nproc) return err('EAGAIN', `RLIMIT_NPROC=${nproc} reached for uid ${parent.creds.uid}`);
  }

  // The pids controller (pids.max): EAGAIN when the new task would take a group over its limit.
  const refused = pidsCanFork(parent.cgroup);
  if (refused) {
    if (k.engine.trace.on('cgroup')) k.engine.trace.emit('cgroup', 'pids-max', { pid: parent.tid, cgroup: refused.path, max: refused.pidsMax, current: refused.pidsCurrent });
    const mine = refused === parent.cgroup ? 'the caller\'s cgroup' : `an ancestor of the caller's cgroup ${parent.cgroup.path}`;
    return err('EAGAIN', `pids.max=${refused.pidsMax} reached in /sys/fs/cgroup${refused.path} (${mine}): pids.current=${refused.pidsCurrent}, one more task would make ${refused.pidsCurrent + 1}; pids.events max is now ${refused.pidsEventsMaxLocal}`);
  }

  const creds = parent.creds.clone();
  const made = createNamespaces(k, parent, creds, flags);
  if ('errno' in made) return made;
  const ns = made.pid ?? parent.pidNsForChildren;
  // After the namespace's init has died no new process may enter it (PID-09).
  if (ns.initDied) {
    dropNew(made);
    return err('ENOMEM', 'the init of the PID namespace has exited: no process can enter it any more');
  }
  const nsPids: number[] = [];
  const chain: PidNamespace[] = [];
  for (let n: PidNamespace | null = ns; n !== null; n = n.parent) chain.unshift(n);
  for (const n of chain) {
    const pid = n.allocate();
    if (pid === 0) {
      dropNew(made);
      return err('EAGAIN', `no free PID in the PID namespace (pid_max=${n.pidMax})`);
    }
    nsPids.push(pid);
  }

  // The address space: shared (CLONE_VM) or copied for copy-on-write (fork).
  let mm = parent.mm;
  if (mm && flags & CLONE_VM) mm.users++;
  else if (mm) {
    // Strict overcommit (mode 2) accounts the child's private writable memory at fork (dup_mmap).
    if (k.mem.overcommitMemory === 2 && !overcommitAllows(k, committedPages(mm))) {
      dropNew(made);
      return err('ENOMEM', 'the child\'s private memory would take Committed_AS past CommitLimit (vm.overcommit_memory=2)');
    }
    const parentMm = mm;
    mm = copyMm(k, mm, nsPids[0]);
    if (!mm) {
      dropNew(made);
      return err('ENOMEM', 'no memory for the child\'s page tables');
    }
    // Copying may have run the OOM killer on the parent itself: then there is no child (copy_process checks fatal_signal_pending).
    if (parentMm.dead || parent.sigPending.has(SIG.SIGKILL)) {
      releaseMm(k, mm);
      dropNew(made);
      return err('ENOMEM', 'the parent was killed while its memory was being copied');
    }
  }

  let files = parent.files;
  if (flags & CLONE_FILES) files.users++;
  else files = parent.files.fork();
  let fs = parent.fs;
  if (flags & CLONE_FS) fs.users++;
  else {
    fs = parent.fs.copy();
    if (made.mnt) remapFs(fs, made.mnt.ns, made.mnt.map);
    nsGet(fs.mntNs);
  }
  const p = parent.nsproxy;
  const nsproxy = new Nsproxy({ uts: made.uts ?? p.uts, ipc: made.ipc ?? p.ipc, net: made.net ?? p.net, cgroup: made.cgroup ?? p.cgroup, time: p.time });
  for (const n of nsproxy.all()) nsGet(n);
  const sighand = flags & CLONE_SIGHAND ? parent.sighand : parent.sighand.clone();
  const realParent = flags & CLONE_PARENT && parent.parent ? parent.parent : parent;

  const child = new Task({
    tid: nsPids[0],
    seq: k.nextTaskSeq++,
    nsPids,
    pidNs: ns,
    comm: parent.comm,
    argv: parent.argv,
    envp: parent.envp,
    exe: parent.exe,
    parent: realParent,
    creds,
    files,
    fs,
    sighand,
    nsproxy,
    cgroup: parent.cgroup,
    childWait: new WaitQueue(),
    pgid: parent.pgid,
    sid: parent.sid,
    exitSignal,
    now: k.now,
  });
  child.sigBlocked = parent.sigBlocked.copy();
  child.policy = parent.policy;
  child.nice = parent.nice;
  child.weight = parent.weight;
  child.rtPriority = parent.rtPriority;
  child.vruntime = parent.vruntime;
  // Shared until either sets a limit: a host with tens of thousands of processes keeps one copy.
  child.rlimits = parent.rlimits;
  child.lastCpu = parent.lastCpu;
  child.mm = mm;
  child.oomScoreAdj = parent.oomScoreAdj;
  child.oomScoreAdjMin = parent.oomScoreAdjMin;
  child.noNewPrivs = parent.noNewPrivs;
  if (flags & CLONE_VFORK) child.vforkDone = new WaitQueue();
  child.setProgram(entry());

  taskHoldsNamespaces(child);
  k.tasks.set(child.tid, child);
  k.fileTaskGroup(child);
  cgroupAttachNew(child, parent.cgroup);
  for (const n of chain) {
    n.tasks.set(child.nsPids[n.level], child);
    if (n.init === null && n.level > 0 && n.tasks.size === 1) n.init = child;
  }
  child.childSeq = realParent.nextChildSeq++;
  realParent.children.push(child);
  // strace -f follows children: the child is traced from its first instruction.
  if (parent.tracer?.opts.follow) parent.tracer.forked(child);
  k.forks++;
  k.charge(k.costs.fork);
  if (k.engine.trace.on('proc')) {
    k.engine.trace.emit('proc', 'fork', { parent: parent.tid, child: child.tid, comm: child.comm });
  }
  k.sched.enqueue(child, 'new');
  k.kick(child);
  return child;
}

/**
 * The parent's side of vfork(2) / clone(CLONE_VFORK) while it waits for its child
 * (kernel_clone → wait_for_vfork_done). Given up (the parent dies of a signal, or exits),
 * the child no longer signals anyone: Linux clears child->vfork_done.
 */
export class VforkWait {
  constructor(readonly child: Task) {}
  abandon(): void {
    this.child.vforkDone = null;
  }
}

/**
 * The vfork wait of `t` (its system call state). The first call made the child; each
 * re-run returns its PID once the child has exec'd or exited, or sleeps again, killably
 * (TASK_KILLABLE: D in ps; only a signal that kills it — SIGKILL, or one whose default
 * action terminates and that is neither caught nor blocked — ends the wait early, and the
 * parent then dies of it on its way back to user mode; Linux's kernel_clone still returns the PID).
 */
export function vforkWait(k: Kernel, t: Task, child: Task): number | Block {
  const w = child.vforkDone;
  if (w === null || fatalSignalPending(t)) {
    child.vforkDone = null;
    return child.pidIn(t.pidNs);
  }
  t.syscallState = new VforkWait(child);
  return k.sleepKillable(t, w);
}

/** A vfork child gave back the address space it borrowed (execve's new mm, or exit): its parent goes on (complete_vfork_done). */
export function completeVforkDone(k: Kernel, child: Task): void {
  const w = child.vforkDone;
  if (w === null) return;
  child.vforkDone = null;
  k.wakeAll(w);
}
