/**
 * The report free(1) from procps-ng 4.0.2 prints for one reading of /proc/meminfo:
 *
 *                    total        used        free      shared  buff/cache   available
 *     Mem:        16314880     1120484    13710080       21132     1484316    14880756
 *     Swap:        1048572           0     1048572
 *
 * Each label is padded to 8 columns and each value right-aligned in 11 after a
 * space. -w splits buff/cache into buffers and cache; -l adds Low: and High:, -t a
 * Total: line (RAM + swap), -v a Comm: line (CommitLimit, Committed_AS, and what is
 * left).
 *
 * Sizes are in KiB unless told: -b bytes, --kilo … --peta (powers of 1000) and
 * --mebi … --pebi (powers of 1024, --si turns them into powers of 1000), each
 * truncated. -h picks, per value, the first unit in which the number fits the column
 * (as checked on the real tool): bytes if "NB" has at most 4 characters, else for each
 * of K, M, G, T, P the value in that unit as a C float printed with one decimal, then
 * truncated to an integer, fitting in 5 characters with the "i" of --kibi units ("9.8Mi",
 * "976Mi") or 4 without it under --si ("1.0G", "25G"). So 10200 KiB is "9Mi" (9.96 would
 * print as "10.0Mi", one character too many). Past P the integer in P is printed as is.
 */
import { formatFloat, fromNumber } from '../../lib/format-float.js';
import type { MemSummary } from './meminfo.js';

/** How free scales its numbers. */
export interface FreeUnits {
  /**
   * 0: KiB (default); 1: bytes (-b); 2..6: kilo/kibi … peta/pebi — the power of the
   * base is exponent - 1, so 2 is the same as the default.
   */
  exponent: number;
  /** Powers of 1000 instead of 1024 (--si, implied by --kilo … --peta). */
  si: boolean;
  /** -h: each value in the shortest unit that fits. */
  human: boolean;
}

/** The lines free may add to its report. */
export interface FreeLayout extends FreeUnits {
  /** -w: buffers and cache in two columns. */
  wide: boolean;
  /** -l: Low: and High: lines. */
  lohi: boolean;
  /** -t: a Total: line. */
  total: boolean;
  /** -v: a Comm: line. */
  committed: boolean;
}

const UNITS = ['B', 'K', 'M', 'G', 'T', 'P'];

/** C's `(long)x` of a double: truncation toward zero. */
const truncToLong = (x: number): string => String(Math.trunc(x));

/** Integer division truncating toward zero, exact for |n| < 2^53. */
function divTrunc(n: number, d: number): number {
  return (n - (n % d)) / d;
}

/** One value of free's report, given in KiB, as text before padding. */
export function scaleSize(kb: number, u: FreeUnits): string {
  const base = u.si ? 1000 : 1024;
  const bytes = kb * 1024;
  if (!u.human) {
    if (u.exponent === 1) return String(bytes);
    const divisor = u.exponent === 0 ? base : base ** (u.exponent - 1);
    return String(divTrunc(bytes, divisor));
  }
  if (`${bytes}B`.length <= 4) return `${bytes}B`;
  const limit = u.si ? 4 : 5;
  const suffix = u.si ? '' : 'i';
  let text = '';
  for (let i = 1; i < UNITS.length; i++) {
    const x = bytes / base ** i;
    // printf("%.1f") of a float argument: rounded to single precision first.
    text = formatFloat(fromNumber(Math.fround(x)), { flags: '', width: 0, precision: 1, conv: 'f' }) + UNITS[i] + suffix;
    if (text.length <= limit) return text;
    text = truncToLong(x) + UNITS[i] + suffix;
    if (text.length <= limit) return text;
  }
  return text;
}

const HEADER = '               total        used        free      shared  buff/cache   available\n';
const HEADER_WIDE = '               total        used        free      shared     buffers       cache   available\n';

/** free's report for one reading, every line ending in a newline. */
export function freeReport(m: MemSummary, o: FreeLayout): string {
  const row = (label: string, values: number[]): string =>
    label.padEnd(8) + values.map((v) => ' ' + scaleSize(v, o).padStart(11)).join('') + '\n';
  let s = o.wide ? HEADER_WIDE : HEADER;
  const cache = o.wide ? [m.buffersKb, m.cacheKb] : [m.buffersKb + m.cacheKb];
  s += row('Mem:', [m.totalKb, m.usedKb, m.freeKb, m.sharedKb, ...cache, m.availableKb]);
  if (o.lohi) {
    s += row('Low:', [m.lowTotalKb, m.lowUsedKb, m.lowFreeKb]);
    s += row('High:', [m.highTotalKb, m.highUsedKb, m.highFreeKb]);
  }
  s += row('Swap:', [m.swapTotalKb, m.swapUsedKb, m.swapFreeKb]);
  if (o.total) s += row('Total:', [m.totalKb + m.swapTotalKb, m.usedKb + m.swapUsedKb, m.freeKb + m.swapFreeKb]);
  if (o.committed) s += row('Comm:', [m.commitLimitKb, m.committedKb, m.commitLimitKb - m.committedKb]);
  return s;
}
