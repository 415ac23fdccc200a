/**
 * Signals and traps of a dash process (POSIX XCU 2.11 "Signals and Error Handling",
 * 2.14 `trap`, dash(1)). Two tables decide what the kernel is told:
 *
 *   - the trap table (`sh.traps`, set by the `trap` builtin): an action text, '' to
 *     ignore, or nothing;
 *   - the shell's own needs, by role: the shell a user started with `-c`, a script
 *     file or interactively catches SIGINT (to stop or interrupt itself between
 *     commands); every dash catches SIGCHLD; an interactive shell ignores SIGQUIT
 *     and SIGTERM; a shell doing job control ignores SIGTSTP and SIGTTOU (and a
 *     command substitution it forks keeps ignoring them).
 *
 * `setsignal` reconciles one signal's wish with what is installed (remembered in
 * `sh.sigmode`, so that a signal's first use asks the kernel what the shell
 * inherited). A signal that was ignored when the process started stays ignored
 * whatever the traps say (POSIX: "Signals that were ignored on entry to a
 * non-interactive shell cannot be trapped or reset"; dash applies it to interactive
 * shells too, except for the job-control stop signals under `-m`).
 *
 * Caught signals only record themselves; `runTraps` acts on them at a command
 * boundary: a trap action runs with `$?` preserved, an untrapped SIGINT interrupts
 * the shell (an interactive shell abandons the command line with status 130, any
 * other shell dies of SIGINT as if it had not caught it).
 *
 * ```
 *  kill ─▶ kernel ─▶ handler: sh.pendingSigs += sig ─┐
 *                                                    ▼
 *   evaltree(node) … node done ─▶ runTraps ─▶ evalString(trap action) | interrupt
 * ```
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Program } from '../../../kernel/proc/program.js';
import { SIG, NSIG } from '../../../kernel/proc/signals.js';
import { TIOCSPGRP } from '../../../kernel/syscalls/abi.js';
import { ExitShell, ShellError, type Shell, type Gen } from './shell.js';
import { evalString } from './main-loop.js';
import { jobControlOn } from './jobs.js';

/** Thrown to abandon the current command line of an interactive shell after SIGINT. */
export class Interrupt {}

/**
 * What the kernel is told to do with a signal, as recorded in `sh.sigmode`.
 * Unknown: never looked at by this process (whatever it inherited is still in force).
 */
const enum Disposition {
  Unknown = 0,
  Default = 1,
  Catch = 2,
  Ignore = 3,
}

/** Signals whose stop action job control turns off in the shell itself. */
const JOB_STOP_SIGNALS: readonly number[] = [SIG.SIGTSTP, SIG.SIGTTOU];

/** The statuses `$?` had when the running trap actions started (innermost last). */
const trapStatusStack = new WeakMap<Shell, number[]>();

/** One recording handler per shell state (a forked child installs its own). */
const recorders = new WeakMap<Shell, (sig: number) => Program>();

function recorderFor(sh: Shell): (sig: number) => Program {
  let h = recorders.get(sh);
  if (h === undefined) {
    h = function* record(sig: number): Program {
      if (!sh.pendingSigs.includes(sig)) sh.pendingSigs.push(sig);
      sh.gotSig = true;
      if (sig === SIG.SIGCHLD) sh.gotSigchld = true;
    };
    recorders.set(sh, h);
  }
  return h;
}

/** True for the interactive shell the user talks to (not one of its subshells). */
export function isInteractiveTop(sh: Shell): boolean {
  return sh.opts.i && sh.level === 0;
}

/**
 * Whether this process catches SIGINT for itself. The top shell does when `catchInt`
 * says so; a subshell keeps catching it only if the top shell was not merely an
 * interactive one reading standard input (a `-c` string or a script file still stops
 * on SIGINT in its subshells).
 */
function catchesInterrupt(sh: Shell): boolean {
  if (!sh.catchInt) return false;
  return sh.level === 0 || !(sh.opts.i && sh.opts.s);
}

/** The disposition the shell wants for `sig` now. */
function wanted(sh: Shell, sig: number): Disposition {
  const action = sh.traps[sig];
  if (action !== undefined) return action === '' ? Disposition.Ignore : Disposition.Catch;
  switch (sig) {
    case SIG.SIGCHLD:
      return Disposition.Catch;
    case SIG.SIGINT:
      return catchesInterrupt(sh) ? Disposition.Catch : Disposition.Default;
    case SIG.SIGQUIT:
    case SIG.SIGTERM:
      return isInteractiveTop(sh) ? Disposition.Ignore : Disposition.Default;
    case SIG.SIGTSTP:
    case SIG.SIGTTOU:
      return jobControlOn(sh) ? Disposition.Ignore : Disposition.Default;
    default:
      return Disposition.Default;
  }
}

/** Tells the kernel. */
function* install(sh: Shell, sig: number, d: Disposition): Gen<void> {
  const handler = d === Disposition.Catch ? recorderFor(sh) : d === Disposition.Ignore ? 'ignore' : 'default';
  // No SA_RESTART: a blocked wait4 or read returns EINTR so that `wait` can be interrupted.
  yield* sys.sigaction(sig, { handler, restart: false });
  sh.sigmode[sig] = d;
}

/** Learns what `sig` was set to when this process started; an inherited ignore is locked in. */
function* inspect(sh: Shell, sig: number): Gen<Disposition> {
  const old = yield* sys.sigaction(sig);
  let d = Disposition.Default;
  if (!(old instanceof SysError) && old.handler === 'ignore') {
    d = Disposition.Ignore;
    const stopSignalUnderJobControl = sh.opts.m && (JOB_STOP_SIGNALS.includes(sig) || sig === SIG.SIGTTIN);
    if (!stopSignalUnderJobControl) sh.ignoredAtStart.add(sig);
  }
  sh.sigmode[sig] = d;
  return d;
}

/** Brings one signal's disposition in line with the traps and the shell's role (after `trap`, `set -m`, …). */
export function* setsignal(sh: Shell, sig: number): Gen<void> {
  if (sig <= 0 || sig > NSIG || sig === SIG.SIGKILL || sig === SIG.SIGSTOP) return;
  let current = (sh.sigmode[sig] ?? Disposition.Unknown) as Disposition;
  if (current === Disposition.Unknown) current = yield* inspect(sh, sig);
  if (sh.ignoredAtStart.has(sig)) return;
  const want = wanted(sh, sig);
  if (want !== current) yield* install(sh, sig, want);
}

/**
 * A vfork child's signals before it execs (dash's forkchild with vforked set): under
 * job control it takes SIGTSTP/SIGTTOU back, and the child of an interactive top shell
 * SIGINT, SIGQUIT and SIGTERM; nothing else is touched (execve resets the caught ones).
 * `ofInteractiveTop` is asked of the shell that vforked (isInteractiveTop): the child's
 * own copy is one level down already, and dash asks of the level before the fork (oldlvl).
 */
export function* vforkChildSignals(sh: Shell, ofInteractiveTop: boolean, underJobControl: boolean): Gen<void> {
  const sigs: number[] = underJobControl ? [...JOB_STOP_SIGNALS] : [];
  if (ofInteractiveTop) sigs.push(SIG.SIGINT, SIG.SIGQUIT, SIG.SIGTERM);
  for (const sig of sigs) {
    const current = (sh.sigmode[sig] ?? Disposition.Unknown) as Disposition;
    if (current === Disposition.Unknown || current === Disposition.Default || sh.ignoredAtStart.has(sig)) continue;
    yield* install(sh, sig, Disposition.Default);
  }
}

/** The dispositions of a new shell: SIGINT, SIGCHLD, and SIGQUIT/SIGTERM for an interactive one. */
export function* initSignals(sh: Shell): Gen<void> {
  for (const sig of [SIG.SIGINT, SIG.SIGQUIT, SIG.SIGTERM, SIG.SIGCHLD]) {
    if (wanted(sh, sig) !== Disposition.Default) yield* setsignal(sh, sig);
  }
}

/** How a forked child relates to the shell's jobs (see fork.ts). */
export type ChildRole = 'foreground' | 'background' | 'nojob';

/**
 * Resets a forked child's signals (POSIX XCU 2.12: a subshell's caught traps are
 * reset, ignored ones stay): trap actions are dropped, every caught signal gets a
 * handler that records into the child's own state, the interactive-only ignores go,
 * a job member under job control takes SIGTSTP/SIGTTOU back, and an asynchronous
 * list without job control ignores SIGINT and SIGQUIT for good (XCU 2.9.3.1).
 */
export function* childSignals(sh: Shell, role: ChildRole, underJobControl: boolean): Gen<void> {
  for (let sig = 1; sig < sh.traps.length; sig++) {
    const action = sh.traps[sig];
    if (action !== undefined && action !== '') sh.traps[sig] = undefined;
  }
  sh.traps[0] = undefined;
  sh.ignoredAtStart = new Set(sh.ignoredAtStart);
  if (role === 'background' && !underJobControl) {
    for (const sig of [SIG.SIGINT, SIG.SIGQUIT]) {
      sh.ignoredAtStart.add(sig);
      if (sh.sigmode[sig] !== Disposition.Ignore) yield* install(sh, sig, Disposition.Ignore);
    }
  }
  for (let sig = 1; sig < sh.sigmode.length; sig++) {
    const current = (sh.sigmode[sig] ?? Disposition.Unknown) as Disposition;
    if (current === Disposition.Unknown || sh.ignoredAtStart.has(sig)) continue;
    // A command substitution is no job: it keeps the stop signals as the shell has them (unless trapped).
    if (role === 'nojob' && JOB_STOP_SIGNALS.includes(sig) && current !== Disposition.Catch) continue;
    const want = wanted(sh, sig);
    // A caught signal is reinstalled even when still wanted: the inherited handler records into the parent's state.
    if (want !== current || want === Disposition.Catch) yield* install(sh, sig, want);
  }
}

/** The lowest pending signal that has a trap action, or 0. */
export function pendingTrapSignal(sh: Shell): number {
  let best = 0;
  for (const sig of sh.pendingSigs) {
    const action = sh.traps[sig];
    if (action !== undefined && action !== '' && (best === 0 || sig < best)) best = sig;
  }
  return best;
}

/** True when SIGINT arrived and no trap takes it: the shell must interrupt itself. */
export function interruptPending(sh: Shell): boolean {
  return sh.pendingSigs.includes(SIG.SIGINT) && sh.traps[SIG.SIGINT] === undefined;
}

/** The shell behaves as if SIGINT had arrived (a job-control foreground job died of ^C). */
export function noteInterrupt(sh: Shell): void {
  if (!sh.pendingSigs.includes(SIG.SIGINT)) sh.pendingSigs.push(SIG.SIGINT);
  sh.gotSig = true;
}

/**
 * An untrapped SIGINT: the interactive shell prints a newline and abandons the
 * command line ($? = 130); any other shell puts SIGINT back to its default and sends
 * it to itself, so that its parent sees it die of the signal.
 */
export function* interrupt(sh: Shell): Gen<never> {
  sh.pendingSigs = sh.pendingSigs.filter((s) => s !== SIG.SIGINT);
  sh.status = 128 + SIG.SIGINT;
  if (isInteractiveTop(sh)) {
    yield* sh.flush();
    yield* sh.err('\n');
    throw new Interrupt();
  }
  yield* install(sh, SIG.SIGINT, Disposition.Default);
  yield* sys.kill(sh.pid, SIG.SIGINT);
  // Only reached if SIGINT is blocked: leave as its death would have.
  throw new ExitShell(128 + SIG.SIGINT);
}

/** `$?` from before the innermost running trap action (what `exit` and `return` without an operand use there), or null outside traps. */
export function statusBeforeTrap(sh: Shell): number | null {
  const stack = trapStatusStack.get(sh);
  return stack !== undefined && stack.length > 0 ? stack[stack.length - 1] : null;
}

/** Runs `text` as a trap action, `status` being the `$?` it started with. */
function* runAction(sh: Shell, text: string, status: number): Gen<void> {
  let stack = trapStatusStack.get(sh);
  if (stack === undefined) trapStatusStack.set(sh, (stack = []));
  stack.push(status);
  sh.inTrap = true;
  try {
    yield* evalString(sh, text, 0);
  } finally {
    sh.inTrap = false;
    stack.pop();
  }
}

/**
 * Acts on the signals recorded since the last command boundary, lowest number
 * first (POSIX XCU 2.11: a trap runs when the command in progress completes). A
 * trap action leaves `$?` as it was, unless it ends with `break`, `continue` or
 * `return`. Actions do not nest: signals arriving during one wait for the next
 * boundary.
 */
export function* runTraps(sh: Shell): Gen<void> {
  if (sh.pendingSigs.length === 0 || sh.inTrap) return;
  const sigs = sh.pendingSigs.slice().sort((a, b) => a - b);
  sh.pendingSigs = [];
  sh.gotSig = false;
  for (const sig of sigs) {
    const action = sh.traps[sig];
    if (action === undefined && sig === SIG.SIGINT) yield* interrupt(sh);
    if (action === undefined || action === '') continue;
    const before = sh.status;
    yield* runAction(sh, action, before);
    if (sh.evalskip === 0) sh.status = before;
  }
}

/**
 * Leaves the shell: runs the EXIT trap once — with `$?` set to the
 * exit status, `exit N` in it replacing the status, an error in it ending it with
 * status 2 — gives the terminal back when job control had taken it, and returns the
 * status to exit with.
 */
export function* exitShell(sh: Shell, status: number): Gen<number> {
  if (!sh.exiting) {
    sh.exiting = true;
    const action = sh.traps[0];
    if (action !== undefined && action !== '') {
      sh.traps[0] = undefined;
      sh.status = status;
      try {
        yield* runAction(sh, action, status);
      } catch (e) {
        if (e instanceof ExitShell || e instanceof ShellError) status = e.status;
        else if (!(e instanceof Interrupt)) throw e;
      }
    }
  }
  yield* sh.flush();
  if (sh.jobctl && sh.level === 0 && sh.ttyFd >= 0 && sh.initialPgrp > 0) {
    yield* sys.ioctl(sh.ttyFd, TIOCSPGRP, sh.initialPgrp);
    yield* sys.setpgid(0, sh.initialPgrp);
  }
  return status;
}
