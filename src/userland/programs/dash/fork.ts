/**
 * The shell's children (POSIX XCU 2.12 "Shell Execution Environment", 2.9.2
 * pipelines, 2.9.3 asynchronous lists, 2.6.3 command substitution): every pipeline
 * element, `( … )`, `… &` and `$( … )` runs in a forked copy of the shell, which
 * exits when it is done. The copy starts with its own state (`Shell.forkCopy`, taken
 * at the fork), its own signal handlers (trap.ts `childSignals`) and no jobs.
 *
 * A child told it is about to exit (EV_EXIT) runs its last simple command by exec'ing
 * it, so `(cmd)`, `$(cmd)`, `cmd &` and each element of `a | b` cost one process, as
 * in dash; a nested `( … )` in such a child is evaluated in place.
 *
 * ```
 *   shell ──fork──▶ child: [setpgid, TIOCSPGRP]  signals  [stdin=/dev/null]  run → exit status
 *     │                                                            (`&` without job control)
 *     └─ records the PID in the job; waits (foreground) or sets $! (background)
 * ```
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Program } from '../../../kernel/proc/program.js';
import { SIG_SETMASK, TIOCSPGRP } from '../../../kernel/syscalls/abi.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import { READ_CHUNK } from '../../lib/io.js';
import { K, type Bg, type Node, type Pipe, type Sub } from './ast.js';
import { ExitShell, ShellError, EV_EXIT, EV_TESTED, type Shell, type Gen } from './shell.js';
import { redirect } from './redirect.js';
import { jobControlOn, waitForJob, type Job } from './jobs.js';
import { childSignals, exitShell, Interrupt, isInteractiveTop, vforkChildSignals, type ChildRole } from './trap.js';
import { commandText } from './cmdtext.js';
import { evaltree } from './eval.js';

/** A process of a foreground job: the shell waits for it (and, under job control, hands it the terminal). */
export const FORK_FG = 0;
/** A process of an asynchronous list: the shell goes on; $! is its PID. */
export const FORK_BG = 1;
/** A helper that is no job of its own: a command substitution, a here-document writer. */
export const FORK_NOJOB = 2;

/** What a child needs to know about its place among the shell's jobs. */
interface ChildPlan {
  readonly role: ChildRole;
  /** The job runs in its own process group (interactive job control). */
  readonly ownGroup: boolean;
  /** The job's process group: its first process's PID (0: this child is the first). */
  readonly pgid: number;
  /** The first process of an asynchronous job without job control: its stdin becomes /dev/null. */
  readonly nullStdin: boolean;
  readonly run: (child: Shell) => Gen<number>;
}

/**
 * Forks a child that runs `run` on its own copy of the shell and exits with its
 * status (running its EXIT trap, if it set one). `job` is the job the child joins
 * (null: none); `n` is what it runs (the text `jobs` shows under job control).
 * Returns the child's PID.
 */
export function* forkShell(sh: Shell, job: Job | null, mode: number, n: Node | null, run: (child: Shell) => Gen<number>): Gen<number> {
  const role: ChildRole = mode === FORK_BG ? 'background' : mode === FORK_FG ? 'foreground' : 'nojob';
  const ownGroup = job !== null && job.jobctl && role !== 'nojob';
  const first = job === null || job.procs.length === 0;
  const plan: ChildPlan = {
    role,
    ownGroup,
    pgid: ownGroup && !first ? job.procs[0].pid : 0,
    nullStdin: role === 'background' && !ownGroup && first,
    run,
  };
  const child = sh.forkCopy();
  // A `break` in `( … )` or `$( … )` inside a loop ends the child's commands there (dash keeps the loop depth).
  child.loopnest = sh.loopnest;
  const pid = yield* sys.fork(() => childMain(child, plan));
  if (pid instanceof SysError) throw yield* sh.error('Cannot fork');
  // Both sides set the group, so that it exists whichever runs first.
  if (ownGroup) yield* sys.setpgid(pid, plan.pgid || pid);
  if (job !== null) job.procs.push({ pid, status: -1, cmd: job.jobctl && n !== null ? commandText(n) : '' });
  if (role === 'background') sh.bgPid = pid;
  return pid;
}

/** What glibc's sigfillset gives: every signal but the two it keeps for itself (32 and 33). */
const ALL_SIGNALS: number[] = [];
for (let s = 1; s <= 64; s++) if (s !== 32 && s !== 33) ALL_SIGNALS.push(s);

/**
 * dash's vforkexec: a foreground simple command the shell goes on after (not the last
 * command of an exiting shell) runs in a vfork child, which borrows the shell's address
 * space until it execs. All signals are blocked around vfork (no handler may run in the
 * child on the borrowed memory before the mask is cleared); the child does no
 * forkreset — it only joins the job's process group under job control, gives the
 * job-control and interactive signals back their defaults (vforkChildSignals), clears
 * the mask and execs `exec`; if that fails it leaves at once with its status (dash's
 * exraise: `if (vforked) _exit(exitstatus)`), no EXIT trap. Returns the child's PID.
 */
export function* vforkExec(sh: Shell, job: Job, n: Node, exec: (child: Shell) => Gen<never>): Gen<number> {
  const ownGroup = job.jobctl;
  const pgid = ownGroup && job.procs.length > 0 ? job.procs[0].pid : 0;
  // The child's own Shell (ctsim runs the child as a separate program; a copy costs little).
  const child = sh.forkCopy();
  yield* sys.setSigmask(SIG_SETMASK, ALL_SIGNALS);
  const interactiveTop = isInteractiveTop(sh);
  const pid = yield* sys.vfork(() => vforkChild(child, interactiveTop, ownGroup, pgid, exec));
  yield* sys.sigprocmask(SIG_SETMASK, []);
  if (pid instanceof SysError) throw yield* sh.error('Cannot fork');
  if (ownGroup) yield* sys.setpgid(pid, pgid || pid);
  job.procs.push({ pid, status: -1, cmd: job.jobctl ? commandText(n) : '' });
  return pid;
}

/** The child's side of vforkExec (dash's forkchild with vforked set, then shellexec). */
function* vforkChild(child: Shell, ofInteractiveTop: boolean, ownGroup: boolean, jobPgid: number, exec: (child: Shell) => Gen<never>): Program {
  if (ownGroup) {
    let pgid = jobPgid;
    if (pgid === 0) {
      const pid = yield* sys.getpid();
      pgid = typeof pid === 'number' ? pid : 0;
    }
    yield* sys.setpgid(0, pgid);
    if (child.ttyFd >= 0) yield* sys.ioctl(child.ttyFd, TIOCSPGRP, pgid);
  }
  yield* vforkChildSignals(child, ofInteractiveTop, ownGroup);
  yield* sys.sigprocmask(SIG_SETMASK, []);
  let status: number;
  try {
    return yield* exec(child);
  } catch (e) {
    if (e instanceof ExitShell || e instanceof ShellError) status = e.status;
    else if (e instanceof Interrupt) status = 130;
    else throw e;
  }
  yield* child.flush();
  return status;
}

/** The child's side of forkShell. */
function* childMain(child: Shell, plan: ChildPlan): Program {
  const pid = yield* sys.getpid();
  child.pid = typeof pid === 'number' ? pid : 0;
  if (plan.ownGroup) {
    const pgid = plan.pgid || child.pid;
    yield* sys.setpgid(0, pgid);
    if (plan.role === 'foreground' && child.ttyFd >= 0) yield* sys.ioctl(child.ttyFd, TIOCSPGRP, pgid);
  }
  // Job control belongs to the shell the user talks to, not to its subshells.
  child.jobctl = false;
  yield* childSignals(child, plan.role, plan.ownGroup);
  if (plan.nullStdin) {
    yield* sys.close(0);
    const fd = yield* sys.open('/dev/null', O_RDONLY);
    if (typeof fd === 'number' && fd !== 0) {
      yield* sys.dup2(fd, 0);
      yield* sys.close(fd);
    }
  }
  let status: number;
  try {
    status = yield* plan.run(child);
  } catch (e) {
    if (e instanceof ExitShell || e instanceof ShellError) status = e.status;
    else if (e instanceof Interrupt) status = 130;
    else throw e;
  }
  return yield* exitShell(child, status);
}

/** `( list )`: a child evaluates the list (and its redirections); in a child about to exit, in place. */
export function* evalSubshell(sh: Shell, n: Sub, flags: number): Gen<number> {
  const body = function* (c: Shell): Gen<number> {
    const r = yield* redirect(c, n.redirs, false);
    if (r !== 0) return r;
    return yield* evaltree(c, n.body, EV_EXIT | (flags & EV_TESTED));
  };
  if (flags & EV_EXIT && !sh.haveTraps()) return yield* body(sh);
  const job = sh.jobs.make(jobControlOn(sh));
  yield* forkShell(sh, job, FORK_FG, n, body);
  return yield* waitForJob(sh, job);
}

/** `list &`: a background job, started and not waited for; a pipeline's processes are all the shell's children. */
export function* evalBackground(sh: Shell, n: Bg): Gen<number> {
  if (n.body.k === K.Pipe) return yield* evalPipeline(sh, n.body, 0, true);
  const job = sh.jobs.make(jobControlOn(sh));
  yield* forkShell(sh, job, FORK_BG, n.body, (c) => evaltree(c, n.body, EV_EXIT));
  return 0;
}

/**
 * Connects a pipeline element's standard input to the previous pipe's read end and
 * its standard output to the next pipe's write end, closing the other descriptors.
 * Written so that a pipe that got descriptor 0 or 1 (the shell's were closed) is not
 * overwritten before it is used.
 */
function* plumb(prevRead: number, next: [number, number] | null): Gen<void> {
  let write = next === null ? -1 : next[1];
  if (next !== null) yield* sys.close(next[0]);
  if (prevRead >= 0 && prevRead !== 0) {
    if (write === 0) {
      const moved = yield* sys.dup(write);
      if (typeof moved === 'number') write = moved;
    }
    yield* sys.dup2(prevRead, 0);
    yield* sys.close(prevRead);
  }
  if (write >= 0 && write !== 1) {
    yield* sys.dup2(write, 1);
    yield* sys.close(write);
  }
}

/**
 * `a | b | c`: one child per element, joined by pipes; the status is the last
 * element's (XCU 2.9.2). A tested pipeline's elements are tested too (`set -e`).
 */
export function* evalPipeline(sh: Shell, n: Pipe, flags: number, background: boolean): Gen<number> {
  const job = sh.jobs.make(jobControlOn(sh));
  const mode = background ? FORK_BG : FORK_FG;
  let prevRead = -1;
  for (let i = 0; i < n.cmds.length; i++) {
    const cmd = n.cmds[i];
    let next: [number, number] | null = null;
    if (i < n.cmds.length - 1) {
      const p = yield* sys.pipe2(0);
      if (p instanceof SysError) {
        if (prevRead >= 0) yield* sys.close(prevRead);
        throw yield* sh.error('Pipe call failed');
      }
      next = p;
    }
    const from = prevRead;
    const to = next;
    yield* forkShell(sh, job, mode, cmd, function* (c) {
      yield* plumb(from, to);
      return yield* evaltree(c, cmd, EV_EXIT | (flags & EV_TESTED));
    });
    if (prevRead >= 0) yield* sys.close(prevRead);
    if (next !== null) {
      yield* sys.close(next[1]);
      prevRead = next[0];
    }
  }
  if (background) return 0;
  return yield* waitForJob(sh, job);
}

/**
 * `$( … )` and `` `…` ``: a child runs the commands with its standard output on a
 * pipe, the shell reads it all and then waits; the child's status is kept for the
 * command's `$?` (`sh.backStatus`). An empty `$()` forks nothing.
 */
export function* commandSubst(sh: Shell, body: Node | null): Gen<string> {
  if (body === null) {
    sh.backStatus = 0;
    return '';
  }
  const p = yield* sys.pipe2(0);
  if (p instanceof SysError) throw yield* sh.error('Pipe call failed');
  const [readEnd, writeEnd] = p;
  const job = sh.jobs.make(false);
  yield* forkShell(sh, job, FORK_NOJOB, body, function* (c) {
    yield* sys.close(readEnd);
    if (writeEnd !== 1) {
      yield* sys.dup2(writeEnd, 1);
      yield* sys.close(writeEnd);
    }
    return yield* evaltree(c, body, EV_EXIT);
  });
  yield* sys.close(writeEnd);
  let out = '';
  for (;;) {
    const chunk = yield* sys.read(readEnd, READ_CHUNK);
    if (chunk instanceof SysError) {
      if (chunk.errno === 'EINTR') continue;
      break;
    }
    if (chunk === '') break;
    out += chunk;
  }
  yield* sys.close(readEnd);
  sh.backStatus = yield* waitForJob(sh, job);
  return out;
}
