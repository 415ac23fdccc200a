/**
 * Signal generation and delivery (signal(7)).
 *
 * Generation (`sendSignal`) marks the signal pending unless it would be ignored,
 * wakes an interruptibly sleeping target, and resumes a stopped one for SIGKILL or
 * SIGCONT. Delivery (`deliverSignals`) happens when the task returns to user mode:
 * the lowest unblocked pending signal is acted on — default action (terminate, dump
 * core, stop, continue, ignore) or a handler, which runs as a nested program on the
 * task's stack until it returns (sigreturn).
 *
 * Simplification: no core files are written; "core" actions set the core-dump bit of
 * the wait status only when RLIMIT_CORE allows it (it does not by default, as on Debian).
 */
import type { Kernel } from '../kernel.js';
import { SIG, SigSet, defaultAction, signalName } from './signals.js';
import { TaskState, type Task } from './task.js';
import { doExit, notifyParent } from './task-exit.js';
import { signaledStatus, CONTINUED_STATUS, stoppedStatus } from './wstatus.js';
import { err } from '../errno.js';

const STOP_SIGNALS = [SIG.SIGSTOP, SIG.SIGTSTP, SIG.SIGTTIN, SIG.SIGTTOU];

/** True when `sig` would be ignored by `t` right now (discarded at generation if unblocked). */
export function isIgnored(t: Task, sig: number): boolean {
  const act = t.sighand.get(sig);
  if (sig === SIG.SIGKILL || sig === SIG.SIGSTOP) return false;
  if (act && act.handler === 'ignore') return true;
  if (act && typeof act.handler === 'function') return false;
  return defaultAction(sig) === 'ign';
}

/**
 * Sends `sig` to `t` (the permission checks are the caller's). Signal 0 does nothing.
 * `fromInside` is true when the sender is in the target's PID namespace (for the
 * rule that a namespace init only gets signals it has handlers for).
 */
export function sendSignal(k: Kernel, t: Task, sig: number, fromInside = true, fault = false): void {
  if (sig === 0 || t.state === TaskState.Zombie || t.state === TaskState.Dead || t.exiting) return;
  const trace = k.engine.trace;
  // An init only receives signals it installed a handler for; from an ancestor
  // namespace SIGKILL and SIGSTOP are forced (pid_namespaces(7), PID-11/12), and a
  // fault's signal always is (forceFaultSignal).
  if (t.pidNs.init === t) {
    const act = t.sighand.get(sig);
    const handled = act !== undefined && typeof act.handler === 'function';
    const forced = fault || (!fromInside && (sig === SIG.SIGKILL || sig === SIG.SIGSTOP));
    if (!handled && !forced) {
      if (trace.on('signal')) trace.emit('signal', 'drop', { pid: t.tid, sig: signalName(sig), why: 'init without handler' });
      return;
    }
  }
  if (sig === SIG.SIGKILL || sig === SIG.SIGCONT) {
    for (const s of STOP_SIGNALS) t.sigPending.delete(s);
    if (t.state === TaskState.Stopped) continueTask(k, t);
  }
  if (STOP_SIGNALS.includes(sig as never)) t.sigPending.delete(SIG.SIGCONT);
  if (isIgnored(t, sig) && !t.sigBlocked.has(sig)) {
    if (trace.on('signal')) trace.emit('signal', 'ignore', { pid: t.tid, sig: signalName(sig) });
    return;
  }
  t.sigPending.add(sig);
  if (trace.on('signal')) trace.emit('signal', 'generate', { pid: t.tid, sig: signalName(sig) });
  // A task held by a throttled or frozen cgroup still dies of SIGKILL.
  if (sig === SIG.SIGKILL) k.cpuControl.release(t);
  if (t.sigBlocked.has(sig) && sig !== SIG.SIGKILL && sig !== SIG.SIGSTOP) return;
  // A signal that will kill the task (sig_fatal) also ends a killable sleep, as SIGKILL does (complete_signal).
  if (t.state === TaskState.Sleeping || (t.wakeKill && isFatal(t, sig))) {
    k.wakeUp(t);
  } else if (t.state === TaskState.Stopped && sig === SIG.SIGKILL) {
    continueTask(k, t);
  } else if (t.cpu !== null && t !== k.current) {
    // Running on another CPU: interrupt its user burst so the signal is handled now.
    const pc = k.percpu[t.cpu.id];
    pc.interrupt = true;
    k.machine.sendIpi(k.currentCpu?.cpu ?? null, t.cpu, k.now);
  }
}

/**
 * The signal of a fault in `t` itself (SIGSEGV of a bad access, or of a crash):
 * force_sig_fault — it cannot be blocked or ignored (a blocked or ignored one is reset
 * to the default action), and with the default action it kills even a PID
 * namespace's init (force_sig_info_to_task clears SIGNAL_UNKILLABLE), as `kill -SEGV`
 * from inside does not.
 */
export function forceFaultSignal(k: Kernel, t: Task, sig: number): void {
  const act = t.sighand.actions[sig];
  if (t.sigBlocked.has(sig) || (act && act.handler === 'ignore')) {
    t.sighand.actions[sig] = undefined;
    t.sigBlocked.delete(sig);
  }
  sendSignal(k, t, sig, true, true);
}

/** True when `sig`, delivered to `t`, kills it: SIGKILL, or a default action that terminates (sig_fatal). */
export function isFatal(t: Task, sig: number): boolean {
  if (sig === SIG.SIGKILL) return true;
  // A traced task's signal goes to its tracer first (signal-delivery-stop).
  if (t.tracer !== null) return false;
  const h = t.sighand.get(sig)?.handler;
  if (h !== undefined && h !== 'default') return false;
  const a = defaultAction(sig);
  return a === 'term' || a === 'core';
}

/** True when a signal that will kill `t` is pending and not blocked (fatal_signal_pending). */
export function fatalSignalPending(t: Task): boolean {
  if (t.sigPending.has(SIG.SIGKILL)) return true;
  for (const sig of t.sigPending.members()) if (!t.sigBlocked.has(sig) && isFatal(t, sig)) return true;
  return false;
}

/** SIGCONT / SIGKILL on a stopped task: make it runnable again. */
function continueTask(k: Kernel, t: Task): void {
  if (t.state !== TaskState.Stopped) return;
  t.state = TaskState.Running;
  t.stopSignal = 0;
  t.lastStateChange = k.now;
  t.contUnreported = true;
  t.stopUnreported = false;
  if (t.cpu === null) {
    k.sched.enqueue(t, 'wakeup');
    k.kick(t);
  }
  notifyParent(k, t, CONTINUED_STATUS);
}

/** True when a pending signal would be acted on at the next return to user mode. */
export function hasDeliverableSignal(t: Task): boolean {
  return t.sigPending.firstDeliverable(t.sigBlocked) !== 0;
}

export type SignalOutcome = 'continue' | 'gone';

/** Acts on pending signals at return to user mode. 'gone': the task died or stopped. */
export function deliverSignals(k: Kernel, t: Task): SignalOutcome {
  const trace = k.engine.trace;
  for (;;) {
    const sig = t.sigPending.firstDeliverable(t.sigBlocked);
    if (sig === 0) break;
    t.sigPending.delete(sig);
    if (sig === SIG.SIGALRM && t.alarmReloadPending) reloadRealTimer(k, t);
    const act = t.sighand.get(sig);
    const handler = act?.handler;
    // A tracer sees the signals that are acted on (signal-delivery-stop); SIGKILL it only sees kill.
    if (t.tracer !== null && sig !== SIG.SIGKILL && handler !== 'ignore' && (typeof handler === 'function' || (defaultAction(sig) !== 'ign' && defaultAction(sig) !== 'cont'))) {
      t.tracer.signal(t, sig);
    }
    if (typeof handler === 'function') {
      const interrupted = t.interruptedSyscall;
      t.interruptedSyscall = null;
      const restart = interrupted !== null && act!.restart;
      const restoreMask = t.savedSigmask ?? t.sigBlocked.copy();
      t.savedSigmask = null;
      t.pushFrame({
        gen: handler(sig),
        savedMask: restoreMask,
        savedResume: restart ? undefined : t.resumeValue,
        savedRestart: restart ? interrupted : null,
        savedState: t.syscallState,
      });
      const mask = t.sigBlocked.copy();
      mask.lo |= act!.mask.lo;
      mask.hi |= act!.mask.hi;
      mask.add(sig);
      t.sigBlocked = mask;
      t.resumeValue = undefined;
      t.syscallState = undefined;
      k.charge(k.costs.signalDelivery);
      if (trace.on('signal')) trace.emit('signal', 'handle', { pid: t.tid, sig: signalName(sig) });
      return 'continue';
    }
    if (handler === 'ignore') continue;
    const action = defaultAction(sig);
    if (action === 'ign' || action === 'cont') continue;
    if (action === 'stop') {
      stopTask(k, t, sig);
      if (t.interruptedSyscall) {
        t.pendingSyscall = t.interruptedSyscall;
        t.interruptedSyscall = null;
        t.resumeValue = undefined;
      }
      return 'gone';
    }
    if (trace.on('signal')) trace.emit('signal', 'kill', { pid: t.tid, sig: signalName(sig), action });
    // Simplification: no core dumps (RLIMIT_CORE is 0 by default), so the core bit stays clear.
    doExit(k, t, signaledStatus(sig, false));
    return 'gone';
  }
  if (t.savedSigmask) {
    t.sigBlocked = t.savedSigmask;
    t.savedSigmask = null;
  }
  // No handler consumed an interrupted call: restart it as if nothing happened.
  if (t.interruptedSyscall) {
    t.pendingSyscall = t.interruptedSyscall;
    t.interruptedSyscall = null;
    t.resumeValue = undefined;
  }
  return 'continue';
}

/** Stops `t` with `sig` (group stop): it leaves the CPU until SIGCONT. */
export function stopTask(k: Kernel, t: Task, sig: number): void {
  t.state = TaskState.Stopped;
  t.stopSignal = sig;
  t.lastStateChange = k.now;
  t.stopUnreported = true;
  t.contUnreported = false;
  k.sched.dequeue(t);
  if (k.engine.trace.on('signal')) k.engine.trace.emit('signal', 'stop', { pid: t.tid, sig: signalName(sig) });
  notifyParent(k, t, stoppedStatus(sig));
}

/** Returns from a signal handler: restores the mask and the interrupted frame's state. */
export function sigreturn(t: Task): void {
  const frame = t.popFrame()!;
  t.sigBlocked = frame.savedMask ?? new SigSet();
  t.resumeValue = frame.savedResume;
  t.pendingSyscall = frame.savedRestart ?? null;
  t.syscallState = frame.savedState;
}

export { err };

/** Time to the next ITIMER_REAL expiry, ns (0 when disarmed). */
export function realTimerLeft(k: Kernel, t: Task): number {
  const ev = t.alarmEvent;
  return ev && ev.fn ? ev.time - k.now : 0;
}

/**
 * (Re)arms ITIMER_REAL (alarm(2), setitimer(2)): SIGALRM in `valueNs` (0 disarms).
 * A periodic timer is reloaded when its SIGALRM is delivered, as Linux does, so an
 * ignored SIGALRM stops it and a blocked one holds it until it is taken.
 */
export function armRealTimer(k: Kernel, t: Task, valueNs: number, intervalNs: number): void {
  k.engine.cancel(t.alarmEvent);
  t.alarmEvent = null;
  t.alarmReloadPending = false;
  t.alarmIntervalNs = valueNs > 0 ? intervalNs : 0;
  if (valueNs <= 0) return;
  t.alarmEvent = k.engine.after(valueNs, () => {
    t.alarmEvent = null;
    t.alarmReloadPending = t.alarmIntervalNs > 0;
    t.alarmExpiredAtNs = k.now;
    sendSignal(k, t, SIG.SIGALRM);
  });
}

/** Reloads an expired periodic ITIMER_REAL at the next point of its period after now. */
function reloadRealTimer(k: Kernel, t: Task): void {
  const period = t.alarmIntervalNs;
  const next = t.alarmExpiredAtNs + (Math.floor((k.now - t.alarmExpiredAtNs) / period) + 1) * period;
  armRealTimer(k, t, next - k.now, period);
}
