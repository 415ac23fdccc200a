/**
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending, pause, alarm,
 * getitimer, setitimer (sigaction(2), sigprocmask(2), pause(2), alarm(2),
 * setitimer(2)). alarm and ITIMER_REAL are one timer per process, as on Linux.
 */
import { err } from '../errno.js';
import type { SigAction } from '../proc/task.js';
import { SIG, SigSet, NSIG } from '../proc/signals.js';
import type { HandlerTable } from './handler.js';
import { ITIMER_REAL, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, type ItimerVal, type SigActionArg } from './abi.js';
import { armRealTimer, hasDeliverableSignal, realTimerLeft } from '../proc/task-signal.js';
import { NS_PER_SEC } from '../../sim/engine.js';

export { SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK } from './abi.js';

function toArg(a: SigAction | undefined): SigActionArg {
  if (!a) return { handler: 'default' };
  return { handler: a.handler, mask: a.mask.members(), restart: a.restart, noChildStop: a.noChildStop, noChildWait: a.noChildWait };
}

function setOf(sigs: readonly number[]): SigSet {
  const s = new SigSet();
  for (const n of sigs) if (n >= 1 && n <= NSIG) s.add(n);
  return s;
}

export const signalSyscalls: HandlerTable = {
  /** rt_sigaction({sig, act?}) → the previous action. */
  rt_sigaction(_k, t, r: { sig: number; act?: SigActionArg }) {
    const sig = r.sig;
    if (!Number.isInteger(sig) || sig < 1 || sig > NSIG) return err('EINVAL', `signal ${sig} does not exist`);
    const old = toArg(t.sighand.get(sig));
    if (r.act) {
      if (sig === SIG.SIGKILL || sig === SIG.SIGSTOP) return err('EINVAL', 'SIGKILL and SIGSTOP cannot be caught or ignored');
      t.sighand.actions[sig] =
        r.act.handler === 'default' && !r.act.noChildStop && !r.act.noChildWait
          ? undefined
          : { handler: r.act.handler, mask: setOf(r.act.mask ?? []), restart: r.act.restart ?? false, noChildStop: r.act.noChildStop, noChildWait: r.act.noChildWait };
      // Setting a pending signal to be ignored discards it (POSIX).
      if (r.act.handler === 'ignore') t.sigPending.delete(sig);
    }
    return old;
  },
  /** rt_sigprocmask({how, set?}) → the previous mask, as signal numbers. */
  rt_sigprocmask(_k, t, r: { how: number; set?: number[] }) {
    const old = t.sigBlocked.members();
    if (r.set) {
      const s = setOf(r.set);
      const m = t.sigBlocked.copy();
      if (r.how === SIG_BLOCK) {
        m.lo |= s.lo;
        m.hi |= s.hi;
      } else if (r.how === SIG_UNBLOCK) {
        m.lo &= ~s.lo;
        m.hi &= ~s.hi;
      } else if (r.how === SIG_SETMASK) {
        m.lo = s.lo;
        m.hi = s.hi;
      } else {
        return err('EINVAL', `how ${r.how} is not SIG_BLOCK, SIG_UNBLOCK or SIG_SETMASK (sigprocmask(2))`);
      }
      m.delete(SIG.SIGKILL);
      m.delete(SIG.SIGSTOP);
      t.sigBlocked = m;
    }
    return old;
  },
  rt_sigpending: (_k, t) => t.sigPending.members(),
  /** pause(): sleeps until a signal is delivered; then fails with EINTR (pause(2)). */
  pause(k, t) {
    const b = k.sleepOn(t, null);
    if (hasDeliverableSignal(t)) k.wakeUp(t);
    return b;
  },
  /**
   * rt_sigsuspend({mask}): replaces the mask and sleeps until a signal is delivered;
   * always fails with EINTR, and the old mask returns after the handler (sigsuspend(2)).
   */
  rt_sigsuspend(k, t, r: { mask: number[] }) {
    if (t.syscallState === undefined) {
      t.syscallState = { old: t.sigBlocked };
      const m = setOf(r.mask);
      m.delete(SIG.SIGKILL);
      m.delete(SIG.SIGSTOP);
      t.sigBlocked = m;
    }
    const b = k.sleepOn(t, null);
    // A signal already pending under the new mask ends the wait at once.
    if (hasDeliverableSignal(t)) k.wakeUp(t);
    return b;
  },
  /** alarm({seconds}) → seconds left of the previous alarm (rounded up, as Linux does). */
  alarm(k, t, r: { seconds: number }) {
    const left = realTimerLeft(k, t);
    armRealTimer(k, t, r.seconds * NS_PER_SEC, 0);
    return left > 0 ? Math.max(1, Math.round(left / NS_PER_SEC)) : 0;
  },
  /** getitimer({which}) → the timer's time left and interval. */
  getitimer(k, t, r: { which: number }) {
    if (r.which !== ITIMER_REAL) return err('EINVAL', 'only ITIMER_REAL is modelled');
    return { valueNs: realTimerLeft(k, t), intervalNs: t.alarmIntervalNs } satisfies ItimerVal;
  },
  /** setitimer({which, value}) → the old value. A zero valueNs disarms the timer. */
  setitimer(k, t, r: { which: number; value: ItimerVal }) {
    if (r.which !== ITIMER_REAL) return err('EINVAL', 'only ITIMER_REAL is modelled');
    const { valueNs, intervalNs } = r.value;
    if (!(valueNs >= 0 && Number.isFinite(valueNs)) || !(intervalNs >= 0 && Number.isFinite(intervalNs))) return err('EINVAL', 'timer values must be finite and not negative');
    const old: ItimerVal = { valueNs: realTimerLeft(k, t), intervalNs: t.alarmIntervalNs };
    armRealTimer(k, t, Math.ceil(valueNs), Math.ceil(intervalNs));
    return old;
  },
};
