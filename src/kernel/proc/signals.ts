/**
 * Signals as Linux x86-64 numbers them (signal(7)), their default actions, and the
 * 64-bit signal sets /proc/PID/status prints (SigPnd, SigBlk, SigIgn, SigCgt).
 */

export const SIG = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGILL: 4,
  SIGTRAP: 5,
  SIGABRT: 6,
  SIGBUS: 7,
  SIGFPE: 8,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGSEGV: 11,
  SIGUSR2: 12,
  SIGPIPE: 13,
  SIGALRM: 14,
  SIGTERM: 15,
  SIGSTKFLT: 16,
  SIGCHLD: 17,
  SIGCONT: 18,
  SIGSTOP: 19,
  SIGTSTP: 20,
  SIGTTIN: 21,
  SIGTTOU: 22,
  SIGURG: 23,
  SIGXCPU: 24,
  SIGXFSZ: 25,
  SIGVTALRM: 26,
  SIGPROF: 27,
  SIGWINCH: 28,
  SIGIO: 29,
  SIGPWR: 30,
  SIGSYS: 31,
} as const;

export type SignalName = keyof typeof SIG;
/** The largest signal number (SIGRTMAX). */
export const NSIG = 64;

const NAMES: string[] = [];
for (const [name, n] of Object.entries(SIG)) NAMES[n] = name;

/** The name of a signal number (`SIGTERM`), or `SIGRTMIN+n` / `SIG<n>` for the others. */
export function signalName(sig: number): string {
  if (NAMES[sig]) return NAMES[sig];
  if (sig >= 34 && sig <= 64) return sig === 34 ? 'SIGRTMIN' : sig === 64 ? 'SIGRTMAX' : `SIGRTMIN+${sig - 34}`;
  return `SIG${sig}`;
}

/** Parses `TERM`, `SIGTERM`, `15` (kill(1) accepts each); returns null when unknown. */
export function parseSignal(text: string): number | null {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= 0 && n <= NSIG ? n : null;
  }
  const up = text.toUpperCase();
  const name = up.startsWith('SIG') ? up : `SIG${up}`;
  if (name in SIG) return SIG[name as SignalName];
  if (name === 'SIGIOT') return SIG.SIGABRT;
  if (name === 'SIGPOLL') return SIG.SIGIO;
  if (name === 'SIGCLD') return SIG.SIGCHLD;
  const rt = /^SIGRTMIN(?:\+(\d+))?$/.exec(name);
  if (rt) return 34 + Number(rt[1] ?? 0) <= 64 ? 34 + Number(rt[1] ?? 0) : null;
  const rtm = /^SIGRTMAX(?:-(\d+))?$/.exec(name);
  if (rtm) return 64 - Number(rtm[1] ?? 0) >= 34 ? 64 - Number(rtm[1] ?? 0) : null;
  return null;
}

/** What the kernel does with a signal nobody handles (signal(7) "Standard signals"). */
export type DefaultAction = 'term' | 'core' | 'ign' | 'stop' | 'cont';

export function defaultAction(sig: number): DefaultAction {
  switch (sig) {
    case SIG.SIGCHLD:
    case SIG.SIGURG:
    case SIG.SIGWINCH:
      return 'ign';
    case SIG.SIGCONT:
      return 'cont';
    case SIG.SIGSTOP:
    case SIG.SIGTSTP:
    case SIG.SIGTTIN:
    case SIG.SIGTTOU:
      return 'stop';
    case SIG.SIGQUIT:
    case SIG.SIGILL:
    case SIG.SIGTRAP:
    case SIG.SIGABRT:
    case SIG.SIGBUS:
    case SIG.SIGFPE:
    case SIG.SIGSEGV:
    case SIG.SIGXCPU:
    case SIG.SIGXFSZ:
    case SIG.SIGSYS:
      return 'core';
    default:
      return 'term';
  }
}

/** The strsignal() text bash and dash print for a signal-terminated job. */
export function signalDescription(sig: number): string {
  const d: Record<number, string> = {
    1: 'Hangup',
    2: 'Interrupt',
    3: 'Quit',
    4: 'Illegal instruction',
    5: 'Trace/breakpoint trap',
    6: 'Aborted',
    7: 'Bus error',
    8: 'Floating point exception',
    9: 'Killed',
    10: 'User defined signal 1',
    11: 'Segmentation fault',
    12: 'User defined signal 2',
    13: 'Broken pipe',
    14: 'Alarm clock',
    15: 'Terminated',
    16: 'Stack fault',
    17: 'Child exited',
    18: 'Continued',
    19: 'Stopped (signal)',
    20: 'Stopped',
    21: 'Stopped (tty input)',
    22: 'Stopped (tty output)',
    23: 'Urgent I/O condition',
    24: 'CPU time limit exceeded',
    25: 'File size limit exceeded',
    26: 'Virtual timer expired',
    27: 'Profiling timer expired',
    28: 'Window changed',
    29: 'I/O possible',
    30: 'Power failure',
    31: 'Bad system call',
  };
  return d[sig] ?? `Real-time signal ${sig - 34}`;
}

/**
 * A set of signals 1..64, as two 32-bit halves (JavaScript bit operations are 32-bit).
 * Bit (sig-1) of the 64-bit mask is set when `sig` is in the set.
 */
export class SigSet {
  lo = 0;
  hi = 0;

  has(sig: number): boolean {
    return sig <= 32 ? (this.lo & (1 << (sig - 1))) !== 0 : (this.hi & (1 << (sig - 33))) !== 0;
  }

  add(sig: number): void {
    if (sig <= 32) this.lo |= 1 << (sig - 1);
    else this.hi |= 1 << (sig - 33);
  }

  delete(sig: number): void {
    if (sig <= 32) this.lo &= ~(1 << (sig - 1));
    else this.hi &= ~(1 << (sig - 33));
  }

  isEmpty(): boolean {
    return this.lo === 0 && this.hi === 0;
  }

  copy(): SigSet {
    const s = new SigSet();
    s.lo = this.lo;
    s.hi = this.hi;
    return s;
  }

  /** The lowest signal in this set and not in `blocked`, or 0. SIGKILL/SIGSTOP ignore `blocked`. */
  firstDeliverable(blocked: SigSet): number {
    const lo = this.lo & (~blocked.lo | (1 << (SIG.SIGKILL - 1)) | (1 << (SIG.SIGSTOP - 1)));
    if (lo !== 0) return 31 - Math.clz32(lo & -lo) + 1;
    const hi = this.hi & ~blocked.hi;
    if (hi !== 0) return 31 - Math.clz32(hi & -hi) + 33;
    return 0;
  }

  /** The 16-hex-digit form /proc/PID/status uses (SigPnd: 0000000000000002). */
  toHex(): string {
    return (this.hi >>> 0).toString(16).padStart(8, '0') + (this.lo >>> 0).toString(16).padStart(8, '0');
  }

  /** Members in ascending order. */
  members(): number[] {
    const out: number[] = [];
    for (let s = 1; s <= NSIG; s++) if (this.has(s)) out.push(s);
    return out;
  }
}
