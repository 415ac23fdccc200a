/**
 * Jobs (POSIX XCU 2.9.3.1, `jobs`, `fg`, `bg`, `wait`; dash(1) "Job Control"):
 * every process the shell forks for a command belongs to a job — the processes of
 * a pipeline, a subshell, an external command, an asynchronous list — and the shell
 * learns how they ended from wait4(2). A foreground job is waited for at once; the
 * processes of background jobs are reaped whenever the shell next waits, and
 * `jobs` (or, with job control, the notice before the next prompt) reports them
 * once: "[1] + Done                       sleep 1".
 *
 * Each job moves through a small state machine, derived from its processes:
 *
 * ```
 *   Running ──all processes reaped──▶ Done ──reported / waited for in the foreground──▶ freed
 *      ▲  │
 *      │  └─a process stopped (only seen under job control: WUNTRACED)──▶ Stopped
 *      └────────── fg / bg send SIGCONT ───────────────────────────────────┘
 * ```
 *
 * The current job (`%+`) is the most recently stopped job, else the most recent
 * running one; `%-` is the one before it (XCU `jobs`).
 *
 * A process of the job being waited for that a signal killed makes dash print the
 * signal's description ("Killed", "Terminated"), except for SIGINT and SIGPIPE. Under
 * job control a foreground job runs in its own process group holding the terminal;
 * the shell takes the terminal back when it ends or stops, and behaves as if it had
 * received SIGINT when the job died of ^C.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { WNOHANG, WUNTRACED } from '../../../kernel/proc/wstatus.js';
import { SIG, signalDescription } from '../../../kernel/proc/signals.js';
import { TIOCSPGRP } from '../../../kernel/syscalls/abi.js';
import type { Shell, Gen } from './shell.js';
import { interrupt, interruptPending, noteInterrupt, pendingTrapSignal } from './trap.js';

export const JOBRUNNING = 0;
export const JOBSTOPPED = 1;
export const JOBDONE = 2;

/** One process of a job: its PID, its wait status (-1 while running) and its command text (job control only). */
export interface Proc {
  pid: number;
  status: number;
  cmd: string;
}

export interface Job {
  /** In pipeline order; the last one gives the job's status. */
  procs: Proc[];
  /** JOBRUNNING, JOBSTOPPED or JOBDONE, derived from the processes. */
  state: number;
  /** The state changed and was not reported yet. */
  changed: boolean;
  /** `wait` reported it (it may be freed). */
  waited: boolean;
  /** Made under job control (its own process group). */
  jobctl: boolean;
  /** The wait status of the process whose stop stopped the job (for "Stopped" and $?). */
  stopStatus: number;
  /** Its last process was killed by SIGINT (the shell then interrupts itself, under job control). */
  sigint: boolean;
}

const WIFEXITED = (s: number): boolean => (s & 0x7f) === 0;
const WIFSTOPPED = (s: number): boolean => (s & 0xff) === 0x7f;
const WEXITSTATUS = (s: number): number => (s >> 8) & 0xff;
const WTERMSIG = (s: number): number => s & 0x7f;
const WSTOPSIG = (s: number): number => (s >> 8) & 0xff;

/** Column where `jobs` starts the command text. */
const JOBS_TEXT_COLUMN = 33;

/** The job table: jobs by number, and the order that makes `%+` and `%-`. */
export class JobTable {
  /** Jobs by number: slots[n - 1] is job %n, null when free. The table grows and never shrinks, like dash's. */
  slots: (Job | null)[] = [];
  /** Jobs in current-job order: [0] is `%+`, [1] is `%-`. Invariant: stopped jobs come before running and done ones. */
  order: Job[] = [];

  /** A new, empty job under the lowest free number; it becomes the current running job. */
  make(jobctl: boolean): Job {
    const job: Job = { procs: [], state: JOBRUNNING, changed: false, waited: false, jobctl, stopStatus: 0, sigint: false };
    const free = this.slots.indexOf(null);
    if (free >= 0) this.slots[free] = job;
    else this.slots.push(job);
    this.setCurrent(job, false);
    return job;
  }

  /** Forgets a job (its number can be reused). */
  free(job: Job): void {
    const n = this.slots.indexOf(job);
    if (n >= 0) this.slots[n] = null;
    const i = this.order.indexOf(job);
    if (i >= 0) this.order.splice(i, 1);
  }

  /** The job's number (%n), or 0 if it is not in the table. */
  number(job: Job): number {
    return this.slots.indexOf(job) + 1;
  }

  /** Moves a job in the current-job order: a stopped job to the front, a running one after the stopped ones. */
  setCurrent(job: Job, stopped: boolean): void {
    const i = this.order.indexOf(job);
    if (i >= 0) this.order.splice(i, 1);
    let at = 0;
    if (!stopped) while (at < this.order.length && this.order[at].state === JOBSTOPPED) at++;
    this.order.splice(at, 0, job);
  }

  /** The job a process belongs to. */
  byPid(pid: number): [Job, Proc] | null {
    for (const job of this.slots) {
      if (job === null) continue;
      for (const p of job.procs) if (p.pid === pid) return [job, p];
    }
    return null;
  }

  /** A forked child's table: empty, as in Debian's dash even for `$(jobs)`. */
  forkCopy(): JobTable {
    return new JobTable();
  }
}

/**
 * True when new jobs get process groups of their own: the shell took the terminal
 * (main.ts setjobctl) and `set +m` has not turned job control off since.
 */
export function jobControlOn(sh: Shell): boolean {
  return sh.jobctl && sh.opts.m;
}

/** The shell status a wait status stands for: the exit code, or 128 + the signal. */
function shellStatusOf(ws: number): number {
  if (WIFEXITED(ws)) return WEXITSTATUS(ws);
  if (WIFSTOPPED(ws)) return 128 + WSTOPSIG(ws);
  return 128 + WTERMSIG(ws);
}

/** A job's status as $? sees it: its last process's, or 128 + the stop signal when it is stopped. */
export function jobStatus(job: Job): number {
  if (job.state === JOBSTOPPED) return shellStatusOf(job.stopStatus);
  const last = job.procs[job.procs.length - 1];
  return last === undefined || last.status < 0 ? 0 : shellStatusOf(last.status);
}

/**
 * The words dash uses for how a process ended: "Done", "Done(3)", "Killed",
 * "Terminated (core dumped)", "Stopped". With `signalsOnly`, a normal exit and
 * deaths by SIGINT or SIGPIPE (which the user caused or expects) give ''.
 */
export function statusText(ws: number, signalsOnly: boolean): string {
  if (WIFEXITED(ws)) {
    if (signalsOnly) return '';
    return WEXITSTATUS(ws) === 0 ? 'Done' : `Done(${WEXITSTATUS(ws)})`;
  }
  if (WIFSTOPPED(ws)) return signalDescription(WSTOPSIG(ws));
  const sig = WTERMSIG(ws);
  if (signalsOnly && (sig === SIG.SIGINT || sig === SIG.SIGPIPE)) return '';
  return signalDescription(sig) + (ws & 0x80 ? ' (core dumped)' : '');
}

/** Recomputes a job's state after one of its processes changed. */
function settle(sh: Shell, job: Job, ws: number): void {
  const was = job.state;
  if (job.procs.some((p) => p.status < 0)) job.state = JOBRUNNING;
  else if (job.procs.some((p) => WIFSTOPPED(p.status))) job.state = JOBSTOPPED;
  else job.state = JOBDONE;
  if (WIFSTOPPED(ws)) job.stopStatus = ws;
  if (job.state === JOBDONE) {
    const last = job.procs[job.procs.length - 1];
    job.sigint = !WIFEXITED(last.status) && !WIFSTOPPED(last.status) && WTERMSIG(last.status) === SIG.SIGINT;
  }
  if (job.state !== was) {
    job.changed = true;
    if (job.state === JOBSTOPPED) sh.jobs.setCurrent(job, true);
  }
}

/**
 * Reaps one child: blocking, or only what has already changed. The
 * status goes to its job; a process of `job` killed by a signal is announced.
 * Returns the PID reaped, 0 if none was ready, -1 when there are no children, and
 * -2 when `interruptible` (the `wait` builtin) and a trapped signal arrived.
 */
export function* waitOne(sh: Shell, block: boolean, job: Job | null, interruptible = false): Gen<number> {
  const options = (block ? 0 : WNOHANG) | (sh.jobctl ? WUNTRACED : 0);
  for (;;) {
    const r = yield* sys.wait4(-1, options);
    if (r instanceof SysError) {
      if (r.errno !== 'EINTR') return -1;
      if (interruptible) {
        if (pendingTrapSignal(sh) !== 0) return -2;
        if (interruptPending(sh)) yield* interrupt(sh);
      }
      continue;
    }
    if (r.pid === 0) return 0;
    const found = sh.jobs.byPid(r.pid);
    // Not a job's process (a here-document writer): nothing to record.
    if (found === null) return r.pid;
    const [owner, proc] = found;
    proc.status = r.status;
    if (owner === job) {
      const text = statusText(r.status, true);
      if (text !== '' && !WIFSTOPPED(r.status)) {
        yield* sh.flush();
        yield* sh.err(text + '\n');
      }
    }
    settle(sh, owner, r.status);
    return r.pid;
  }
}

/**
 * True when a signal waits to be acted on before the shell goes on: one with a trap
 * action, or a SIGINT that interrupts the shell (a builtin blocked in read(2) gives up).
 */
export function trappedPending(sh: Shell): boolean {
  return pendingTrapSignal(sh) !== 0 || interruptPending(sh);
}

/** Reaps children: blocking until `job` is no longer running, or only what has exited. */
export function* dowait(sh: Shell, block: boolean, job: Job | null): Gen<void> {
  if (!block || job === null) {
    while ((yield* waitOne(sh, false, job)) > 0);
    return;
  }
  while (job.state === JOBRUNNING) if ((yield* waitOne(sh, true, job)) < 0) break;
}

/**
 * Waits for a foreground job and returns its status. Under job
 * control the terminal comes back to the shell, and a job whose last process died of
 * SIGINT makes the shell act as if it had received it. With no job, reaps what has exited.
 */
export function* waitForJob(sh: Shell, job: Job | null): Gen<number> {
  if (job === null) {
    yield* dowait(sh, false, null);
    return sh.status;
  }
  while (job.state === JOBRUNNING) {
    if ((yield* waitOne(sh, true, job)) === -1) {
      // No children left: the job's processes cannot be reported any more.
      for (const p of job.procs) if (p.status < 0) p.status = 0;
      job.state = JOBDONE;
    }
  }
  if (job.jobctl && sh.jobctl && sh.ttyFd >= 0) yield* sys.ioctl(sh.ttyFd, TIOCSPGRP, sh.pid);
  const status = jobStatus(job);
  if (job.state === JOBDONE) {
    sh.jobs.free(job);
    if (job.jobctl && job.sigint) noteInterrupt(sh);
  }
  return status;
}

/** The job's mark in `jobs` output: + current, - previous. */
function markOf(sh: Shell, job: Job): string {
  return sh.jobs.order[0] === job ? '+' : sh.jobs.order[1] === job ? '-' : ' ';
}

function describeState(job: Job): string {
  if (job.state === JOBRUNNING) return 'Running';
  if (job.state === JOBSTOPPED) return statusText(job.stopStatus, false);
  return statusText(job.procs[job.procs.length - 1].status, false);
}

/**
 * `jobs` output for one job, laid out as dash does: "[1] + Running" padded to column 33,
 * then the command texts joined by " | "; with -l ('pids') one line per process with
 * its PID; with -p ('pgid') only the process group (the first PID). Showing a job
 * reports it: a done job is freed.
 */
export function formatJob(sh: Shell, job: Job, mode: 'normal' | 'pids' | 'pgid'): string {
  if (mode === 'pgid') return `${job.procs[0]?.pid ?? 0}\n`;
  const head = `[${sh.jobs.number(job)}] ${markOf(sh, job)} `;
  const state = describeState(job);
  let text: string;
  if (mode === 'normal') {
    text = (head + state).padEnd(JOBS_TEXT_COLUMN) + job.procs.map((p) => p.cmd).join(' | ') + '\n';
  } else {
    text = '';
    job.procs.forEach((p, i) => {
      const lead = i === 0 ? `${head}${p.pid} ${state}` : `${' '.repeat(head.length)}${p.pid}`;
      text += lead.padEnd(JOBS_TEXT_COLUMN) + p.cmd + (i < job.procs.length - 1 ? ' |' : '') + '\n';
    });
  }
  job.changed = false;
  if (job.state === JOBDONE) sh.jobs.free(job);
  return text;
}

/**
 * Whether leaving now would abandon stopped jobs: says "You have stopped jobs." and
 * answers true once; asked again at the next command (`jobWarning`), lets the shell go.
 */
export function* stoppedJobs(sh: Shell): Gen<boolean> {
  if (sh.jobWarning !== 0) return false;
  if (!sh.jobs.order.some((j) => j.state === JOBSTOPPED)) return false;
  yield* sh.err('You have stopped jobs.\n');
  sh.jobWarning = 2;
  return true;
}

/** Reports jobs whose state changed (the interactive notification before a prompt), on standard error. */
export function* showChanged(sh: Shell): Gen<void> {
  if (!jobControlOn(sh)) return;
  yield* dowait(sh, false, null);
  let text = '';
  for (const job of sh.jobs.order.slice()) if (job.changed) text += formatJob(sh, job, 'normal');
  if (text !== '') yield* sh.err(text);
}

export { WEXITSTATUS, WIFEXITED, WIFSTOPPED, WTERMSIG, WSTOPSIG };
