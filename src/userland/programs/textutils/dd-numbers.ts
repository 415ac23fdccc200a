/**
 * dd's numbers: operands as xstrtoumax reads them (suffixes, multiplication with 'x'),
 * the x87 long double arithmetic of its transfer statistics, and the human-readable
 * sizes and the "copied" line it prints (coreutils 9.1 dd.c, gnulib human.c).
 */
import { formatFloat, fromNumber, multiplyFloats, zeroOf, LONG_DOUBLE, type CFloat } from '../../lib/format-float.js';
export const INTMAX_MAX = 2n ** 63n - 1n;
export const UINTMAX_MAX = 2n ** 64n - 1n;

/** gnulib's strtol_error bits. */
export const LONGINT_OK = 0;
export const LONGINT_OVERFLOW = 1;
export const LONGINT_INVALID_SUFFIX_CHAR = 2;
export const LONGINT_INVALID = 4;
/** dd's valid_suffixes; '0' allows the second suffix ("kB", "KiB"). */
export const SUFFIXES = 'bcEGkKMPTwYZ0';
export const POWERS: Record<string, number> = { E: 6, G: 3, k: 1, K: 1, M: 2, P: 5, T: 4, Y: 8, Z: 7 };

/** xstrtoumax(s + start, &end, 10, &val, SUFFIXES), with the value as a BigInt. */
export function xstrtoumax(s: string, start: number): { err: number; val: bigint; end: number } {
  const body = s.slice(start);
  if (/^[ \t\n\v\f\r]*-/.test(body)) return { err: LONGINT_INVALID, val: 0n, end: start };
  const m = /^([ \t\n\v\f\r]*\+?)(\d+)/.exec(body);
  let val: bigint;
  let err = LONGINT_OK;
  let p: number;
  if (!m) {
    // No number but a valid suffix: the number is 1 ("K" is 1024).
    if (body === '' || !SUFFIXES.includes(body[0])) return { err: LONGINT_INVALID, val: 0n, end: start };
    val = 1n;
    p = start;
  } else {
    val = BigInt(m[2]);
    p = start + m[0].length;
    if (val > UINTMAX_MAX) {
      val = UINTMAX_MAX;
      err = LONGINT_OVERFLOW;
    }
  }
  if (p === s.length) return { err, val, end: p };
  const c = s[p];
  if (!SUFFIXES.includes(c)) return { err: err | LONGINT_INVALID_SUFFIX_CHAR, val, end: p };
  let base = 1024n;
  let suffixes = 1;
  if (POWERS[c] !== undefined) {
    if (s[p + 1] === 'i') {
      if (s[p + 2] === 'B') suffixes += 2;
    } else if (s[p + 1] === 'B' || s[p + 1] === 'D') {
      base = 1000n;
      suffixes++;
    }
  }
  const scale = (by: bigint): void => {
    if (val > UINTMAX_MAX / by) {
      val = UINTMAX_MAX;
      err |= LONGINT_OVERFLOW;
    } else val *= by;
  };
  if (c === 'b') scale(512n);
  else if (c === 'w') scale(2n);
  else if (c !== 'c') {
    const power = POWERS[c];
    if (power === undefined) return { err: err | LONGINT_INVALID_SUFFIX_CHAR, val, end: p };
    for (let i = 0; i < power; i++) scale(base);
  }
  p += suffixes;
  if (p < s.length) err |= LONGINT_INVALID_SUFFIX_CHAR;
  return { err, val, end: p };
}

/**
 * dd's parse_integer: xstrtoumax, then a trailing 'B' (bytes, not blocks) and one
 * "x" multiplication ("2x512"); `warning` is dd's note about a leading "0x".
 */
export function parseInteger(str: string): { err: number; n: bigint; warning: string | null } {
  const first = xstrtoumax(str, 0);
  let e = first.err;
  let suffix = first.end;
  if ((e & ~LONGINT_OVERFLOW) === LONGINT_INVALID_SUFFIX_CHAR && str[suffix - 1] !== 'B' && str[suffix] === 'B') {
    suffix++;
    if (suffix === str.length) e &= ~LONGINT_INVALID_SUFFIX_CHAR;
  }
  if (
    (e & ~LONGINT_OVERFLOW) === LONGINT_INVALID_SUFFIX_CHAR &&
    str[suffix] === 'x' &&
    !(str[suffix - 1] === 'B' && str.slice(suffix + 1).includes('B'))
  ) {
    const f = xstrtoumax(str, suffix + 1);
    if ((f.err & ~LONGINT_OVERFLOW) !== LONGINT_OK) return { err: f.err, n: 0n, warning: null };
    const product = first.val * f.val;
    if (product > INTMAX_MAX || (product !== 0n && ((e | f.err) & LONGINT_OVERFLOW))) return { err: LONGINT_OVERFLOW, n: INTMAX_MAX, warning: null };
    const warning = product === 0n && str.startsWith('0x') ? "warning: '0x' is a zero multiplier; use '00x' if that is intended" : null;
    return { err: LONGINT_OK, n: product, warning };
  }
  if (first.val <= INTMAX_MAX) return { err: e, n: first.val, warning: null };
  return { err: LONGINT_OVERFLOW, n: INTMAX_MAX, warning: null };
}

// ─── statistics text ─────────────────────────────────────────────────────────────────

export const bitLength = (n: bigint): number => n.toString(2).length;

/** num / den (num ≥ 0, den > 0) rounded to the x87 long double, as its division does. */
export function longDouble(num: bigint, den: bigint): CFloat {
  if (num === 0n) return zeroOf(LONG_DOUBLE);
  let exp = bitLength(num) - bitLength(den) - 64;
  for (;;) {
    const n = exp >= 0 ? num : num << BigInt(-exp);
    const d = exp >= 0 ? den << BigInt(exp) : den;
    let q = n / d;
    if (q >= 1n << 64n) exp++;
    else if (q < 1n << 63n) exp--;
    else {
      const twice = 2n * (n - q * d);
      if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
      if (q === 1n << 64n) return { kind: 'finite', format: LONG_DOUBLE, negative: false, mant: 1n << 63n, exp: exp + 1 };
      return { kind: 'finite', format: LONG_DOUBLE, negative: false, mant: q, exp };
    }
  }
}

/** A finite non-negative long double divided by `den`, rounded. */
export function divideLd(v: CFloat, den: bigint): CFloat {
  if (v.kind !== 'finite' || v.mant === 0n) return v;
  return v.exp >= 0 ? longDouble(v.mant << BigInt(v.exp), den) : longDouble(v.mant, den << BigInt(-v.exp));
}

/** v ≥ x for a finite non-negative long double and an integer. */
export function atLeast(v: CFloat, x: bigint): boolean {
  if (v.kind !== 'finite') return true;
  return v.exp >= 0 ? v.mant << BigInt(v.exp) >= x : v.mant >= x << BigInt(-v.exp);
}

export const printfF = (v: CFloat, precision: number): string => formatFloat(v, { flags: '', width: 0, precision, conv: 'f' });

/** human_readable's prefixes; coreutils 9.1's gnulib stops at Y (exponent_max 8). */
export const POWER_LETTER = ' KMGTPEZY';
export const EXPONENT_MAX = 8;

/**
 * gnulib human_readable (n, buf, opts, from, to) with dd's human_opts: autoscale,
 * round to nearest, a space before the unit, SI prefixes and "B" ("iB" in base 1024).
 * Exact in integers when from/to divide evenly, otherwise in long double as gnulib
 * falls back to it (which always scales once: 30 B/s is "0.0 kB/s").
 */
export function humanReadable(n: bigint, base1024: boolean, from = 1n, to = 1n): string {
  const base = base1024 ? 1024n : 1000n;
  let exponent = 0;
  let text: string;
  let exact: { amt: bigint; tenths: bigint; rounding: bigint } | null = null;
  if (to <= from) {
    if (from % to === 0n && n * (from / to) <= UINTMAX_MAX) exact = { amt: n * (from / to), tenths: 0n, rounding: 0n };
  } else if (from !== 0n && to % from === 0n) {
    const d = to / from;
    const r10 = (n % d) * 10n;
    const r2 = (r10 % d) * 2n;
    exact = { amt: n / d, tenths: r10 / d, rounding: r2 < d ? (r2 > 0n ? 1n : 0n) : 2n + (d < r2 ? 1n : 0n) };
  }
  if (exact) {
    let { amt, tenths, rounding } = exact;
    let fraction = '';
    if (base <= amt) {
      do {
        const r10 = (amt % base) * 10n + tenths;
        const r2 = (r10 % base) * 2n + (rounding >> 1n);
        amt /= base;
        tenths = r10 / base;
        rounding = r2 < base ? (r2 + rounding !== 0n ? 1n : 0n) : 2n + (base < r2 + rounding ? 1n : 0n);
        exponent++;
      } while (base <= amt && exponent < EXPONENT_MAX);
      if (amt < 10n) {
        if (2n < rounding + (tenths & 1n)) {
          tenths++;
          rounding = 0n;
          if (tenths === 10n) {
            amt++;
            tenths = 0n;
          }
        }
        if (amt < 10n) {
          fraction = `.${tenths}`;
          tenths = rounding = 0n;
        }
      }
    }
    if (5n < tenths + (0n < rounding + (amt & 1n) ? 1n : 0n)) {
      amt++;
      if (amt === base && exponent < EXPONENT_MAX) {
        exponent++;
        fraction = '.0';
        amt = 1n;
      }
    }
    text = `${amt}${fraction}`;
  } else {
    let damt = multiplyFloats(longDouble(n, 1n), longDouble(from, to));
    let e = 1n;
    do {
      e *= base;
      exponent++;
    } while (atLeast(damt, e * base) && exponent < EXPONENT_MAX);
    damt = divideLd(damt, e);
    text = printfF(damt, 1);
    if (1 + 2 + (base1024 ? 0 : 1) < text.length) text = printfF(divideLd(multiplyFloats(damt, longDouble(10n, 1n)), 10n), 0);
  }
  const letter = exponent === 0 ? '' : !base1024 && exponent === 1 ? 'k' : POWER_LETTER[exponent];
  return `${text} ${letter}${base1024 && exponent ? 'i' : ''}B`;
}

/** dd's abbreviation_lacks_prefix: "512 B" rather than "1.0 kB". */
export const lacksPrefix = (s: string): boolean => s[s.length - 2] === ' ';

/**
 * print_xfer_stats's line (without its line end): bytes written, seconds since the
 * start ("%g s", or "%.0f s" for progress) and the rate.
 */
export function transferLine(wBytes: number, deltaNs: number, progress: boolean): string {
  const w = BigInt(wBytes);
  const si = humanReadable(w, false);
  const iec = humanReadable(w, true);
  let rate: string;
  let seconds: number;
  if (deltaNs > 0) {
    seconds = deltaNs / 1e9;
    rate = humanReadable(w, false, 1_000_000_000n, BigInt(Math.round(deltaNs))) + '/s';
  } else {
    seconds = 0;
    rate = 'Infinity B/s';
  }
  const v = fromNumber(seconds);
  const time = (progress ? formatFloat(v, { flags: '', width: 0, precision: 0, conv: 'f' }) : formatFloat(v, { flags: '', width: 0, conv: 'g' })) + ' s';
  if (lacksPrefix(si)) return `${wBytes} byte${wBytes === 1 ? '' : 's'} copied, ${time}, ${rate}`;
  if (lacksPrefix(iec)) return `${wBytes} bytes (${si}) copied, ${time}, ${rate}`;
  return `${wBytes} bytes (${si}, ${iec}) copied, ${time}, ${rate}`;
}

// ─── operands ────────────────────────────────────────────────────────────────────────

