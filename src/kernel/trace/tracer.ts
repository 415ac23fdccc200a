/**
 * System-call tracing for strace(1): the kernel side of a tracer and its tracees.
 *
 * On Linux strace is a ptrace(2) tracer: each tracee stops at every system-call entry
 * and exit and at each signal, the tracer (woken in waitpid) reads the registers and
 * memory, prints a line and resumes the tracee. ctsim keeps that shape without the
 * register interface:
 *
 *   strace ──ctsim_strace{op:'start'}──▶ Tracer (owned by the strace task)
 *     │ fork                                  ▲ lines ("openat(…) = 3\n")
 *     └▶ child ─{op:'traceme'}─▶ t.tracer ────┤ queued at each traced syscall exit,
 *              execve(CMD)   ─▶ traced        │ signal delivery and exit; the tracee
 *                                             │ then sleeps until the tracer took them
 *   strace ──ctsim_strace{op:'wait'}──────────┘ (resumes tracees, returns the text,
 *            then write(2)s it to stderr or the -o file     sleeps while there is none)
 *
 * The tracer formats nothing itself: the kernel assembles strace's text (the `[pid N]`
 * prefix, the column-40 alignment of ` = `, ` <unfinished ...>` / `<... read resumed>`
 * when another tracee's line comes between a blocked call's entry and exit), and the
 * strace program writes it with write(2) — so the output goes wherever its fds go and
 * the kernel never writes into a process's files.
 *
 * Simplification: there is no ptrace(2) system call (no PTRACE_ATTACH/-p PID, PEEKDATA,
 * register access, seccomp filtering); ctsim's private request `ctsim_strace` (a number
 * outside x86-64's table, like the memory-access request) stands for PTRACE_TRACEME plus
 * the tracer's waitpid loop. A tracee stops only after calls that are printed (and not at
 * entry), and signals ignored by the tracee are not reported (Linux reports them to a
 * tracer).
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import type { SyscallRequest } from '../proc/program.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { TaskState } from '../proc/task.js';
import { err, SysError } from '../errno.js';
import { signalName } from '../proc/signals.js';
import { WCOREDUMP, WEXITSTATUS, WIFEXITED, WTERMSIG } from '../proc/wstatus.js';
import { BLOCK } from '../vfs/file.js';
import { decodeSyscall, type DecodedCall } from './strace-format.js';
import { DEFAULT_STRSIZE } from './strace-xlat.js';

/** What strace asked for on its command line. */
export interface StraceOptions {
  /** -f: children of tracees are traced too (PTRACE_O_TRACEFORK/VFORK/CLONE). */
  follow: boolean;
  /** -e trace=…: the calls to print; null prints every call. */
  only: readonly string[] | null;
  /** -s: the longest string printed. */
  strsize: number;
  /** -o FILE was given: with -f every line starts with the PID (`%-5d `), never `[pid N]`. */
  toFile: boolean;
  /** -c: count calls instead of printing them. */
  count: boolean;
}

/** -c's counters for one call. */
export interface CallCount {
  /** The call's number (strace orders ties by it). */
  nr: number;
  calls: number;
  errors: number;
  /** ns the tracees spent in the kernel for this call (the kernel piece's cost). */
  timeNs: number;
}

/** strace's alignment column for ` = ` (its -a default). */
const ACOLUMN = 40;

/** The tracing state a strace process owns. Invariant: every task in `tracees` has `tracer === this`. */
export class Tracer {
  readonly owner: Task;
  readonly opts: StraceOptions;
  readonly tracees = new Set<Task>();
  /** Text not yet taken by the tracer. */
  private out = '';
  /** Characters on the current line so far (text the tracer took included): strace's curcol. */
  private col = 0;
  /** The tracee whose line is open (its call's entry printed, the exit not yet), and the call. */
  private open: { t: Task; name: string } | null = null;
  /** Calls whose entry was printed and cut short by ` <unfinished ...>`, by tracee. */
  private readonly unfinished = new Map<Task, string>();
  /** Tracees stopped since the text was last taken, and those whose text the tracer now has. */
  private stoppedNew: Task[] = [];
  private stoppedTaken: Task[] = [];
  /** Tracees sleep here while stopped; the tracer sleeps in `tracerWait`. */
  readonly stopQueue = new WaitQueue();
  readonly tracerWait = new WaitQueue();
  /** True once a tracee attached (until then an empty tracee set means "not yet", not "all gone"). */
  private attached = false;
  /** -c's table, by call name in first-seen order. */
  readonly counts = new Map<string, CallCount>();

  private readonly k: Kernel;

  constructor(k: Kernel, owner: Task, opts: StraceOptions) {
    this.k = k;
    this.owner = owner;
    this.opts = opts;
  }

  /** True when calls named `name` are printed (-e trace=). */
  wants(name: string): boolean {
    return this.opts.only === null || this.opts.only.includes(name);
  }

  private pidOf(t: Task): number {
    return t.pidIn(this.owner.pidNs) || t.tid;
  }

  /** strace's printleader(): closes another tracee's open line, then the PID prefix. */
  private leader(t: Task): string {
    if (this.open !== null) {
      if (this.open.t === t) return '';
      this.put(' <unfinished ...>\n');
      this.unfinished.set(this.open.t, this.open.name);
      this.open = null;
    }
    if (this.opts.toFile && this.opts.follow) return String(this.pidOf(t)).padEnd(5) + ' ';
    if (!this.opts.toFile && this.tracees.size > 1) return `[pid ${String(this.pidOf(t)).padStart(5)}] `;
    return '';
  }

  private put(text: string): void {
    this.out += text;
    const nl = text.lastIndexOf('\n');
    this.col = nl >= 0 ? text.length - nl - 1 : this.col + text.length;
  }

  /** Appends `head` then the aligned ` = ret` (strace's tabto()). */
  private finish(head: string, ret: string): void {
    this.put(head);
    this.put((this.col < ACOLUMN ? ' '.repeat(ACOLUMN - this.col) : ' ') + `= ${ret}\n`);
  }

  private emit(): void {
    if (this.out !== '') this.wakeTracer();
  }

  private wakeTracer(): void {
    this.k.wakeAll(this.tracerWait);
  }

  /**
   * A call's entry (syscall-entry-stop): `write(1, "hi\n", 3` is printed before the call
   * runs, as strace prints it, so a tracee's own output to the same terminal lands
   * inside the line. Returns true when the tracee must stop until the tracer has it.
   */
  entry(t: Task, req: SyscallRequest): boolean {
    if (this.opts.count) return false;
    const c = decodeSyscall(req, undefined, this.opts.strsize);
    if (!this.wants(c.name)) return false;
    this.openEntry(t, c);
    this.stoppedNew.push(t);
    return true;
  }

  private openEntry(t: Task, c: DecodedCall): void {
    const lead = this.leader(t);
    const head = c.args.slice(0, c.entry).join(', ');
    this.put(`${lead}${c.name}(${head}${c.entry > 0 && c.entry < c.args.length ? ', ' : ''}`);
    this.open = { t, name: c.name };
    this.emit();
  }

  /** A call's entry when it blocked without an entry stop (a restarted call): `read(0, ` stays open until its exit. */
  entryBlocked(t: Task, req: SyscallRequest): void {
    if (this.opts.count || this.open?.t === t || this.unfinished.has(t)) return;
    const c = decodeSyscall(req, undefined, this.opts.strsize);
    if (this.wants(c.name)) this.openEntry(t, c);
  }

  /** A call's exit. Returns true when the tracee must stop until the tracer has the text. */
  exit(t: Task, req: SyscallRequest, res: unknown, costNs: number): boolean {
    const c = decodeSyscall(req, res, this.opts.strsize);
    if (!this.wants(c.name)) return false;
    if (this.opts.count) {
      this.countCall(req.nr, c.name, res instanceof SysError, costNs);
      return false;
    }
    this.printExit(t, c);
    this.emit();
    this.stoppedNew.push(t);
    return true;
  }

  private countCall(nr: number, name: string, failed: boolean, costNs: number): void {
    let e = this.counts.get(name);
    if (!e) this.counts.set(name, (e = { nr, calls: 0, errors: 0, timeNs: 0 }));
    e.calls++;
    if (failed) e.errors++;
    e.timeNs += costNs;
  }

  private printExit(t: Task, c: DecodedCall, ret = c.ret): void {
    if (this.open?.t === t) {
      const rest = c.args.slice(c.entry).join(', ');
      this.open = null;
      this.finish(`${rest})`, ret);
      return;
    }
    const lead = this.leader(t);
    const was = this.unfinished.get(t);
    if (was !== undefined) {
      this.unfinished.delete(t);
      this.finish(`${lead}<... ${was} resumed>${c.args.slice(c.entry).join(', ')})`, ret);
      return;
    }
    this.finish(`${lead}${c.name}(${c.args.join(', ')})`, ret);
  }

  /** A call that never returns (exit_group), printed before it runs: `exit_group(0) = ?`. */
  noReturn(t: Task, req: SyscallRequest): void {
    const c = decodeSyscall(req, undefined, this.opts.strsize);
    if (!this.wants(c.name)) return;
    if (this.opts.count) {
      this.countCall(req.nr, c.name, false, 0);
      return;
    }
    this.printExit(t, c, '?');
    this.emit();
  }

  /** A blocked call given up for a signal: `) = ? ERESTARTSYS (To be restarted if SA_RESTART is set)`. */
  interrupted(t: Task, req: SyscallRequest): void {
    if (this.opts.count || (this.open?.t !== t && !this.unfinished.has(t))) return;
    const c = decodeSyscall(req, undefined, this.opts.strsize);
    const name = c.name;
    const why =
      name === 'pause' || name === 'rt_sigsuspend'
        ? 'ERESTARTNOHAND (To be restarted if no handler)'
        : name === 'nanosleep' || name === 'clock_nanosleep'
          ? 'ERESTART_RESTARTBLOCK (Interrupted by signal)'
          : 'ERESTARTSYS (To be restarted if SA_RESTART is set)';
    this.printExit(t, c, `? ${why}`);
    this.emit();
  }

  /** A signal taken by a tracee (signal-delivery-stop). */
  signal(t: Task, sig: number): void {
    if (this.opts.count) return;
    const lead = this.leader(t);
    if (this.open?.t === t) {
      this.put(' <unfinished ...>\n');
      this.unfinished.set(t, this.open.name);
      this.open = null;
    }
    const name = signalName(sig);
    // Simplification: ctsim keeps no siginfo (sender, code, status), so only si_signo is shown.
    this.put(`${lead}--- ${name} {si_signo=${name}, ...} ---\n`);
    this.emit();
  }

  /** PTRACE_TRACEME: `t` (the tracer's child) is traced from now on. */
  attach(t: Task): void {
    t.tracer = this;
    this.tracees.add(t);
    this.attached = true;
    this.wakeTracer();
  }

  /** A child of the tracer ended (traced or not): the tracer's wait looks again, as waitpid would. */
  childGone(): void {
    this.wakeTracer();
  }

  /** A tracee forked (with -f the child is traced from its first instruction). */
  forked(child: Task): void {
    this.tracees.add(child);
    child.tracer = this;
    if (this.opts.toFile) return;
    // Simplification: strace's message lands in the middle of an open line (`vfork(strace: Process 5
    // attached`); here the open line is cut first, as the next tracee's line would cut it.
    if (this.open !== null) this.leader(this.owner);
    this.put(`strace: Process ${this.pidOf(child)} attached\n`);
    this.emit();
  }

  /** A tracee's end: `+++ exited with 0 +++` / `+++ killed by SIGKILL +++`. */
  exited(t: Task, wstatus: number): void {
    if (!this.opts.count) {
      const lead = this.leader(t);
      if (this.open?.t === t) {
        this.put(' <unfinished ...>\n');
        this.open = null;
      }
      this.unfinished.delete(t);
      const what = WIFEXITED(wstatus) ? `exited with ${WEXITSTATUS(wstatus)}` : `killed by ${signalName(WTERMSIG(wstatus))}${WCOREDUMP(wstatus) ? ' (core dumped)' : ''}`;
      this.put(`${lead}+++ ${what} +++\n`);
    }
    this.tracees.delete(t);
    t.tracer = null;
    this.wakeTracer();
  }

  /** The tracer's wait: resume the tracees whose text it has written, then take new text. */
  take(): { text: string; done: boolean } | typeof BLOCK {
    for (const s of this.stoppedTaken) this.resume(s);
    this.stoppedTaken = [];
    if (this.out !== '') {
      // A blocked call's open line goes out as it is (`read(0, `), as strace's does.
      const text = this.out;
      this.out = '';
      this.stoppedTaken = this.stoppedNew;
      this.stoppedNew = [];
      return { text, done: false };
    }
    // Done when every tracee is gone — or never came: the child died before PTRACE_TRACEME.
    if (this.tracees.size === 0 && (this.attached || !this.owner.children.some((c) => c.state !== TaskState.Zombie))) return { text: this.out, done: true };
    return this.k.sleepOn(this.owner, this.tracerWait);
  }

  private resume(t: Task): void {
    if (this.stopQueue.has(t)) this.k.wakeUp(t);
  }

  /**
   * strace interrupted (SIGINT, SIGTERM, …): an open line ends in ` <detached ...>`, every
   * tracee goes on untraced. Returns the last text and the PIDs let go, for strace's
   * "Process N detached".
   */
  detach(): { text: string; pids: number[] } {
    if (this.open !== null) {
      this.put(' <detached ...>\n');
      this.open = null;
    }
    const pids = [...this.tracees].map((t) => this.pidOf(t));
    const text = this.out;
    this.out = '';
    this.detachAll();
    return { text, pids };
  }

  /** The tracer is gone (strace killed): tracees go on untraced (PTRACE_O_EXITKILL is not set). */
  detachAll(): void {
    for (const t of this.tracees) t.tracer = null;
    for (const t of this.stopQueue.sleepers) this.k.wakeUp(t);
    this.tracees.clear();
  }
}

/** ctsim_strace: `start` makes the caller a tracer, `traceme` (in its child) a tracee, `wait` takes text, `detach` lets go, `counts` is -c's table. */
export function straceRequest(k: Kernel, t: Task, req: { op: string; opts?: Partial<StraceOptions> }): unknown {
  switch (req.op) {
    case 'start': {
      if (t.tracing) return err('EBUSY', 'this process already traces');
      const o = req.opts ?? {};
      const tr = new Tracer(k, t, {
        follow: o.follow ?? false,
        only: o.only ?? null,
        strsize: o.strsize ?? DEFAULT_STRSIZE,
        toFile: o.toFile ?? false,
        count: o.count ?? false,
      });
      t.tracing = tr;
      return 0;
    }
    case 'traceme': {
      // PTRACE_TRACEME: the parent becomes the tracer.
      const tr = t.parent?.tracing;
      if (!tr) return err('EPERM', 'the parent is not a tracer (it did not start tracing)');
      if (t.tracer) return err('EPERM', 'the process is already traced');
      tr.attach(t);
      return 0;
    }
    case 'wait': {
      const tr = t.tracing;
      if (!tr) return err('ESRCH', 'this process traces nothing');
      return tr.take();
    }
    case 'detach': {
      const tr = t.tracing;
      if (!tr) return err('ESRCH', 'this process traces nothing');
      return tr.detach();
    }
    case 'counts': {
      const tr = t.tracing;
      if (!tr) return err('ESRCH', 'this process traces nothing');
      return [...tr.counts.entries()].map(([name, c]) => ({ name, ...c }));
    }
  }
  return err('EINVAL', `unknown ctsim_strace operation ${req.op}`);
}

/** The system-call exit of a traced task: print it, and stop the tracee until the tracer took the line. */
export function traceSyscallExit(k: Kernel, t: Task, req: SyscallRequest, res: unknown): void {
  const tr = t.tracer!;
  if (res === BLOCK) {
    if (t.state !== TaskState.Running) tr.entryBlocked(t, req);
    return;
  }
  if (!tr.exit(t, req, res, k.pendingCost)) return;
  if (t.state === TaskState.Running && !t.exiting) k.sleepOn(t, tr.stopQueue);
}

/**
 * A traced task's system-call entry. Returns true when the task stopped (syscall-entry-
 * stop): the call runs when the tracer resumes it, as a restarted call.
 */
export function traceSyscallEntry(k: Kernel, t: Task, req: SyscallRequest): boolean {
  if (!t.tracer!.entry(t, req)) return false;
  k.sleepOn(t, t.tracer!.stopQueue);
  return true;
}

/** A traced task's exit_group/exit, printed before the call runs (it never returns). */
export function traceNoReturn(t: Task, req: SyscallRequest): void {
  t.tracer!.noReturn(t, req);
}
