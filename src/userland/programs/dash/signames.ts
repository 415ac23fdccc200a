/**
 * dash's signal names (its mksignames table on Linux x86-64): index 0 is EXIT
 * (for trap), then the names without "SIG" as `kill -l` prints them; signals
 * without a name in that table print as their number (16, 32, 33).
 */
export const NSIG_DASH = 65;

export const signalNames: string[] = (() => {
  const base = ['EXIT', 'HUP', 'INT', 'QUIT', 'ILL', 'TRAP', 'ABRT', 'BUS', 'FPE', 'KILL', 'USR1', 'SEGV', 'USR2', 'PIPE', 'ALRM', 'TERM', '16', 'CHLD', 'CONT', 'STOP', 'TSTP', 'TTIN', 'TTOU', 'URG', 'XCPU', 'XFSZ', 'VTALRM', 'PROF', 'WINCH', 'IO', 'PWR', 'SYS', '32', '33'];
  base.push('RTMIN');
  for (let i = 1; i <= 15; i++) base.push(`RTMIN+${i}`);
  for (let i = 14; i >= 1; i--) base.push(`RTMAX-${i}`);
  base.push('RTMAX');
  return base;
})();

/** A signal by number or name (case-insensitive, no "SIG" prefix), from `minsig` up; -1 if unknown. */
export function decodeSignal(s: string, lenientFromOne: boolean): number {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n >= NSIG_DASH ? -1 : n;
  }
  const up = s.toUpperCase();
  for (let i = lenientFromOne ? 1 : 0; i < NSIG_DASH; i++) if (signalNames[i] === up) return i;
  return -1;
}
