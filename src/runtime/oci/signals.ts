/**
 * Signal names → numbers as `runc kill` parses them (runc kill.go parseSignal):
 * a decimal integer is taken as is (Go strconv.Atoi: optional sign, no spaces);
 * otherwise the name is upper-cased, `SIG` is prefixed when missing, and it must be
 * one of the 31 standard Linux signals (golang.org/x/sys/unix signalList, x86-64
 * numbers, signal(7)). So `KILL`, `kill`, `SIGKILL` and `9` are all 9.
 *
 * runc knows no aliases (`SIGIOT`, `SIGPOLL`, `SIGCLD`) and no real-time names
 * (`SIGRTMIN+n`); neither does this. A number is not range-checked, as in runc: the
 * kill(2) that follows fails with EINVAL for a bad one.
 */
import { SIG } from '../../kernel/proc/signals.js';

/** The standard Linux signals on x86-64, by number (signal(7)): the kernel's own table. */
export const SIGNAL_NUMBERS: Readonly<Record<string, number>> = SIG;

/** Go's strconv.Atoi syntax for a 64-bit int. */
const ATOI = /^[+-]?[0-9]+$/;

/**
 * The signal number for `s`, or null when runc would say `unknown signal "s"`.
 * Precondition: none; any string may be passed.
 */
export function parseSignal(s: string): number | null {
  if (ATOI.test(s)) {
    const n = BigInt(s);
    // Atoi fails on int64 overflow; runc then tries the text as a name, which fails too.
    if (n > 9223372036854775807n || n < -9223372036854775808n) return null;
    return Number(n);
  }
  let name = s.toUpperCase();
  if (!name.startsWith('SIG')) name = `SIG${name}`;
  return Object.hasOwn(SIGNAL_NUMBERS, name) ? SIGNAL_NUMBERS[name]! : null;
}

/** The name of a standard signal (`9` → `SIGKILL`), or null. */
export function signalName(n: number): string | null {
  for (const [name, num] of Object.entries(SIGNAL_NUMBERS)) if (num === n) return name;
  return null;
}
