/**
 * A task: the kernel's record of one thread of execution (Linux's task_struct).
 * ctsim's processes are single-threaded, so a task is also its process (tgid = tid).
 *
 * What clone(2) may share between tasks is held by reference — the file table, the
 * filesystem context (cwd, root, umask), the signal handlers — as in Linux, so that
 * CLONE_FILES / CLONE_FS / CLONE_SIGHAND are a matter of sharing or copying.
 */
import type { Tracer } from '../trace/tracer.js';
import type { Ns } from '../../sim/engine.js';
import type { Program, SignalHandler, SyscallRequest } from './program.js';
import type { Creds } from './creds.js';
import { SigSet } from './signals.js';
import type { WaitQueue } from './wait-queue.js';
import type { FdTable } from '../vfs/fd-table.js';
import type { FsContext } from '../vfs/fs-context.js';
import type { PidNamespace } from './pid-namespace.js';
import type { SimEvent } from '../../sim/engine.js';
import type { Cpu } from '../../hw/cpu.js';
import type { MmStruct } from '../mm/mm-struct.js';
import type { Nsproxy } from '../ns/nsproxy.js';
import type { Cgroup } from '../cgroup/cgroup.js';

/**
 * Task states, with the letter ps(1) shows: R running or runnable, S interruptible
 * sleep, D uninterruptible sleep, T stopped, Z zombie, X dead (reaped).
 */
export const enum TaskState {
  Running = 'R',
  Sleeping = 'S',
  DiskSleep = 'D',
  Stopped = 'T',
  Zombie = 'Z',
  Dead = 'X',
}

/**
 * The scratch state of a sleeping system call that registered itself before sleeping
 * — a FIFO opener already counted as a reader or writer (fifo(7)) — and must undo that
 * when the call is given up: a signal interrupts the sleep (the call fails with EINTR
 * or starts again from scratch, as Linux's -ERESTARTSYS does) or the task exits.
 */
export interface AbandonableState {
  abandon(): void;
}

/** True when a system call's scratch state must be undone if the call is given up. */
export function isAbandonable(state: unknown): state is AbandonableState {
  return typeof state === 'object' && state !== null && typeof (state as { abandon?: unknown }).abandon === 'function';
}

/** Gives up `t`'s sleeping system call's registrations, if any (see AbandonableState). */
export function abandonSyscallState(t: Task): void {
  const st = t.syscallState;
  if (!isAbandonable(st)) return;
  t.syscallState = undefined;
  st.abandon();
}

/** Scheduling policies (sched(7)); values as in <sched.h>. */
export const enum SchedPolicy {
  Other = 0,
  Fifo = 1,
  RR = 2,
  Batch = 3,
  Idle = 5,
}

/** A disposition set with sigaction(2). */
export interface SigAction {
  handler: 'default' | 'ignore' | SignalHandler;
  /** Signals blocked while the handler runs (besides the signal itself). */
  mask: SigSet;
  /** SA_RESTART: restart interrupted system calls instead of failing them with EINTR. */
  restart: boolean;
  /** SA_NOCLDSTOP (SIGCHLD only): no SIGCHLD when a child stops or continues. */
  noChildStop?: boolean;
  /** SA_NOCLDWAIT (SIGCHLD only): children do not become zombies. */
  noChildWait?: boolean;
}

/** The signal dispositions of a process; shared by CLONE_SIGHAND. */
export class SigHandlers {
  readonly actions: (SigAction | undefined)[] = [];

  get(sig: number): SigAction | undefined {
    return this.actions[sig];
  }

  clone(): SigHandlers {
    const h = new SigHandlers();
    for (let i = 0; i < this.actions.length; i++) {
      const a = this.actions[i];
      if (a) h.actions[i] = { ...a, mask: a.mask.copy() };
    }
    return h;
  }

  /** execve(2): caught signals return to their default action; ignored ones stay ignored. */
  resetForExec(): void {
    for (let i = 0; i < this.actions.length; i++) {
      const a = this.actions[i];
      if (a && typeof a.handler === 'function') this.actions[i] = undefined;
    }
  }
}

/** One level of a task's program stack: the program, or a signal handler running on top of it. */
export interface Frame {
  gen: Program;
  /** For a handler frame: the signal mask to restore at sigreturn, and the interrupted call's state. */
  savedMask?: SigSet;
  /** The value the interrupted frame is resumed with after the handler returns. */
  savedResume?: unknown;
  /** A system call the handler interrupted, restarted after sigreturn (SA_RESTART). */
  savedRestart?: SyscallRequest | null;
  /** The interrupted call's scratch state. */
  savedState?: unknown;
}

export class Task {
  /** Global (initial PID namespace) thread id. Invariant: unique among live tasks. */
  readonly tid: number;
  /**
   * Creation order among the kernel's tasks (0 for init): the order of Kernel.tasks,
   * which tids do not keep once they wrap around pid_max.
   */
  readonly seq: number;
  /** PID in each PID namespace from the initial one (index 0) down to the task's own. */
  readonly nsPids: number[];
  /** The PID namespace the task is in. */
  pidNs: PidNamespace;
  /** Where children go (changes with unshare/setns of CLONE_NEWPID). */
  pidNsForChildren: PidNamespace;

  /** Command name, at most 15 bytes (TASK_COMM_LEN - 1), from the executable's basename. */
  comm: string;
  /** The argument vector of the current program (/proc/PID/cmdline). */
  argv: readonly string[];
  envp: readonly string[];
  /** Path of the executable (/proc/PID/exe). */
  exe: string;

  parent: Task | null;
  readonly children: Task[] = [];
  /**
   * The children that are zombies, so that wait(-1) finds one without scanning every
   * child (init has one per container). Invariant: exactly the zombies of `children`
   * (null until the first: most tasks never have one).
   */
  zombieChildren: Set<Task> | null = null;
  /** The place in its parent's `children` (increasing along the array: it only grows at the end). */
  childSeq = 0;
  /** The next childSeq given to a task put in `children`. */
  nextChildSeq = 0;
  /** Signal sent to the parent on exit (SIGCHLD for fork). */
  exitSignal: number;

  pgid: number;
  sid: number;

  state: TaskState = TaskState.Running;
  /** The wait(2) status word once the task has exited (see wstatus.ts). */
  exitStatus = 0;
  /** True once exit has begun (the task never runs user code again). */
  exiting = false;
  /** The signal that stopped the task, while stopped. */
  stopSignal = 0;
  /** A stop or continue not yet reported to a waiting parent (WUNTRACED / WCONTINUED). */
  stopUnreported = false;
  contUnreported = false;
  /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants come to this process rather than to init (PROC-02). */
  childSubreaper = false;
  /**
   * prctl(PR_SET_NO_NEW_PRIVS): execve grants nothing the caller lacks — set-user-ID and
   * set-group-ID bits are ignored and the permitted set cannot grow. A task flag in Linux
   * (not a credential): kept across fork, clone and execve. Invariant: never goes back to false.
   */
  noNewPrivs = false;
  /** True once the task has called execve (setpgid on it then fails with EACCES). */
  didExec = false;
  /** Sleepers in wait4() for this task's children. */
  readonly childWait: WaitQueue;

  /** The program stack: the main program, with signal-handler frames on top. Change it only through pushFrame/popFrame/setProgram. */
  readonly frames: Frame[] = [];
  /** The generator of the top frame (the hot path resumes it without indexing `frames`), or null. */
  top: Program | null = null;
  /** The value the top frame is resumed with next. */
  resumeValue: unknown = undefined;
  /** A system call that blocked and is re-run when the task wakes. */
  pendingSyscall: SyscallRequest | null = null;
  /** A blocked system call a signal interrupted; restarted after the handler when SA_RESTART is set. */
  interruptedSyscall: SyscallRequest | null = null;
  /**
   * Per-call scratch state of a blocked system call (a sleep's deadline). When it is an
   * AbandonableState, the kernel calls its `abandon` if the call is given up.
   */
  syscallState: unknown = undefined;
  /** Wait queues the task sleeps on; it is removed from all of them on wake-up. */
  waitingOn: WaitQueue[] = [];
  /** A timer that wakes the task (nanosleep). */
  wakeTimer: SimEvent | null = null;
  /** Its D-state sleep ends on a fatal signal (TASK_KILLABLE: TASK_WAKEKILL with TASK_UNINTERRUPTIBLE). */
  wakeKill = false;
  /**
   * A vfork child's vfork_done: the parent sleeps here until the child gives the shared
   * address space back (execve or exit, mm_release → complete_vfork_done). Null otherwise.
   */
  vforkDone: WaitQueue | null = null;
  /** The pending ITIMER_REAL expiry (alarm(2), setitimer(2)), which sends SIGALRM. */
  alarmEvent: SimEvent | null = null;
  /** ITIMER_REAL's reload interval in ns (0: one-shot, as alarm(2) sets it). */
  alarmIntervalNs = 0;
  /** ITIMER_REAL expired and is reloaded when its SIGALRM is delivered. */
  alarmReloadPending = false;
  /** When it last expired: the reload keeps to the period counted from there. */
  alarmExpiredAtNs = 0;
  /** Set by sched_yield: the task goes behind the others when it leaves the CPU. */
  yieldPending = false;
  /** Remaining ns of an interrupted user-mode burst, resumed before the program continues. */
  burstLeftNs: Ns = 0;

  creds: Creds;
  files: FdTable;
  fs: FsContext;
  sighand: SigHandlers;
  /** The UTS, IPC, network, cgroup and time namespaces (ns/nsproxy.ts). */
  nsproxy: Nsproxy;
  /** The cgroup the process belongs to (cgroup v2: exactly one). */
  cgroup: Cgroup;
  /** Signals pending for this task. */
  readonly sigPending = new SigSet();
  /** Blocked signals (sigprocmask). */
  sigBlocked = new SigSet();
  /** The mask to restore after the handler that interrupted rt_sigsuspend (Linux's saved_sigmask). */
  savedSigmask: SigSet | null = null;

  /**
   * Resource limits (getrlimit(2)), indexed by RLIMIT_*; Infinity is RLIM_INFINITY.
   * Invariant: never changed in place — a child shares its parent's array until one of
   * them sets a limit, which makes a new one.
   */
  rlimits: readonly Readonly<{ soft: number; hard: number }>[] = [];

  // Scheduling entity.
  policy: SchedPolicy = SchedPolicy.Other;
  /** Nice value, -20..19. */
  nice = 0;
  /** Load weight from the nice value (sched_prio_to_weight). */
  weight = 1024;
  /** Real-time priority 1..99 for FIFO/RR, 0 otherwise. */
  rtPriority = 0;
  /** Virtual runtime in weighted ns (CFS). */
  vruntime = 0;
  /** True while queued on a runqueue (not while running). */
  onRunqueue = false;
  /** The CPU the task runs on, or null. */
  cpu: Cpu | null = null;
  /** The CPU the task last ran on (wake-up affinity). */
  lastCpu = 0;
  /** When the task was last dispatched (its slice is measured from here). */
  sliceStart: Ns = 0;
  /** RR: ns left of the round-robin quantum. */
  rrLeftNs: Ns = 0;
  /** When the task last started running (for vruntime accounting). */
  execStart: Ns = 0;
  /** Index in the fair runqueue's heap, or -1. */
  rqIndex = -1;

  // Accounting (/proc/PID/stat, getrusage, times).
  startTime: Ns;
  utimeNs: Ns = 0;
  stimeNs: Ns = 0;
  /** Children's times, added when they are reaped. */
  cutimeNs: Ns = 0;
  cstimeNs: Ns = 0;
  /** Voluntary and involuntary context switches. */
  nvcsw = 0;
  nivcsw = 0;
  syscalls = 0;
  /** The address space (null before the first exec, and after exit). */
  mm: MmStruct | null = null;
  /** The CPU whose iowait count includes this task while it sleeps for I/O, or -1. */
  iowaitCpu = -1;
  /** /proc/PID/oom_score_adj: added to the OOM killer's badness, in thousandths of memory. */
  oomScoreAdj = 0;
  /** The lowest oom_score_adj a privileged writer set: unprivileged writes may not go below it. */
  oomScoreAdjMin = 0;
  /** Minor and major page faults (/proc/PID/stat minflt, majflt). */
  minFlt = 0;
  majFlt = 0;
  /** When the task last went to sleep or became runnable (for wait time accounting). */
  lastStateChange: Ns;
  /** The strace that traces this task (kernel/trace/tracer.ts), or null. Invariant: set iff the task is in its `tracees`. */
  tracer: Tracer | null = null;
  /** The tracing this task runs as a strace, or null. */
  tracing: Tracer | null = null;
  /** Total ns spent runnable but waiting for a CPU (schedstat). */
  runDelayNs: Ns = 0;

  constructor(init: {
    tid: number;
    seq: number;
    nsPids: number[];
    pidNs: PidNamespace;
    comm: string;
    argv: readonly string[];
    envp: readonly string[];
    exe: string;
    parent: Task | null;
    creds: Creds;
    files: FdTable;
    fs: FsContext;
    sighand: SigHandlers;
    nsproxy: Nsproxy;
    cgroup: Cgroup;
    childWait: WaitQueue;
    pgid: number;
    sid: number;
    exitSignal: number;
    now: Ns;
  }) {
    this.tid = init.tid;
    this.seq = init.seq;
    this.nsPids = init.nsPids;
    this.pidNs = init.pidNs;
    this.pidNsForChildren = init.pidNs;
    this.comm = init.comm;
    this.argv = init.argv;
    this.envp = init.envp;
    this.exe = init.exe;
    this.parent = init.parent;
    this.creds = init.creds;
    this.files = init.files;
    this.fs = init.fs;
    this.sighand = init.sighand;
    this.nsproxy = init.nsproxy;
    this.cgroup = init.cgroup;
    this.childWait = init.childWait;
    this.pgid = init.pgid;
    this.sid = init.sid;
    this.exitSignal = init.exitSignal;
    this.startTime = init.now;
    this.lastStateChange = init.now;
  }

  /** The thread-group id (= tid: ctsim processes have one thread). */
  get tgid(): number {
    return this.tid;
  }

  /** Runs `f` on top of the current program (a signal handler). */
  pushFrame(f: Frame): void {
    this.frames.push(f);
    this.top = f.gen;
  }

  /** Removes the top frame (sigreturn) and returns it. */
  popFrame(): Frame | undefined {
    const f = this.frames.pop();
    this.top = this.frames.length > 0 ? this.frames[this.frames.length - 1].gen : null;
    return f;
  }

  /** Replaces the whole program stack (fork's entry, execve), or empties it (exit) with null. */
  setProgram(gen: Program | null): void {
    this.frames.length = 0;
    if (gen) this.frames.push({ gen });
    this.top = gen;
  }

  /** The task's PID as seen from PID namespace `ns`, or 0 when `ns` cannot see it. */
  pidIn(ns: PidNamespace): number {
    const level = ns.level;
    if (level >= this.nsPids.length) return 0;
    // Visible only if `ns` is the task's namespace or one of its ancestors.
    let n: PidNamespace | null = this.pidNs;
    while (n !== null && n.level > level) n = n.parent;
    return n === ns ? this.nsPids[level] : 0;
  }

  /** The PID the task sees for itself (getpid). */
  get pid(): number {
    return this.nsPids[this.nsPids.length - 1];
  }

  get isZombie(): boolean {
    return this.state === TaskState.Zombie;
  }
}
