/**
 * C's binary floating point as glibc on x86-64 handles it: strtod(3)/strtold(3)
 * parsing and printf(3)'s %f %e %g %a (and capitals). A value has the width the
 * program uses — `double` (53-bit significand) or the x87 80-bit `long double`
 * (64-bit significand with an explicit integer bit). Parsing rounds the exact value of
 * the text to nearest, ties to even; printing takes its digits from the exact binary
 * value and rounds ties to even too, as glibc does in the default rounding mode.
 *
 * Behaviour pinned down on the real tools (fixtures in test/userland/lib/):
 *  - %a prints a double as `0x1.<13 hex digits>p±E` (`0x0.…p-1022` when subnormal) and
 *    a long double as `0x<8–f>.<15 hex digits>p±E` (leading digit below 8 when
 *    subnormal, exponent -16385). A precision rounds the hex digits; a long double whose
 *    leading digit carries to 0x10 is written `0x1.…p(E+4)`, a double's becomes `0x2`.
 *  - strtod reports ERANGE on overflow, and on underflow when the result is inexact and
 *    tiny once rounded as if the exponent were unbounded (x86 detects tininess after
 *    rounding): `0x1.fffffffffffff4p-1023` gives DBL_MIN with ERANGE.
 *  - NaNs keep their sign (printf prints "-nan") and strtod's "nan(N)" payload.
 *
 *   text ──scanCFloat──▶ CFloat {negative, mant × 2^exp | inf | nan} ──formatFloat──▶ text
 *
 * Simplification: only round-to-nearest; no locale (the `'` flag groups nothing).
 */

/** A binary floating-point format: significand width and exponent range. */
export interface FloatFormat {
  /** Significand bits, the integer bit included: 53 (double) or 64 (x87 long double). */
  readonly bits: number;
  /** Exponent of the smallest normal value, 2^emin. */
  readonly emin: number;
  /** Exponent of the largest binade: finite values are below 2^(emax+1). */
  readonly emax: number;
  /** Hex digits after the point in %a; the leading digit holds the bits above them. */
  readonly hexDigits: number;
}

/** IEEE 754 binary64, C's `double`. */
export const DOUBLE: FloatFormat = { bits: 53, emin: -1022, emax: 1023, hexDigits: 13 };
/** The x87 extended format, C's `long double` on x86-64. */
export const LONG_DOUBLE: FloatFormat = { bits: 64, emin: -16382, emax: 16383, hexDigits: 15 };

/**
 * A C floating-point value of some format. Finite: |value| = mant × 2^exp.
 * Invariant: mant < 2^bits; a normal value has mant ≥ 2^(bits-1), a subnormal one has
 * exp = emin - bits + 1 (the least exponent); zero has mant = 0n and exp = 0.
 */
export type CFloat =
  | { readonly kind: 'finite'; readonly format: FloatFormat; readonly negative: boolean; readonly mant: bigint; readonly exp: number }
  | { readonly kind: 'inf'; readonly format: FloatFormat; readonly negative: boolean }
  | { readonly kind: 'nan'; readonly format: FloatFormat; readonly negative: boolean; readonly payload: bigint };

/** A parsed conversion specification: `%[flags][width][.precision]conv`. */
export interface FloatSpec {
  /** Any of "-+ #0'" (the apostrophe groups nothing in the C locale). */
  flags: string;
  width: number;
  /** Digits after the point (%f %e %a) or significant digits (%g); undefined for the default. */
  precision?: number;
  conv: 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A';
}

/** What strtod made of the start of a text. */
export interface ScannedFloat {
  readonly value: CFloat;
  /** Characters used, leading white space included. */
  readonly length: number;
  /** ERANGE: the value overflowed to inf, or underflowed (tiny and inexact). */
  readonly range: boolean;
}

// ─── values ──────────────────────────────────────────────────────────────────────────

/** Signed zero of `format`. */
export function zeroOf(format: FloatFormat, negative = false): CFloat {
  return { kind: 'finite', format, negative, mant: 0n, exp: 0 };
}

/** Number of bits of a positive BigInt. */
function bitLength(n: bigint): number {
  if (n <= 0x1fffffffffffffn) {
    const x = Number(n);
    const high = Math.floor(x / 2 ** 32);
    return high > 0 ? 64 - Math.clz32(high) : 32 - Math.clz32(x);
  }
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(parseInt(hex[0], 16)));
}

/** Number of trailing zero bits of a positive BigInt. */
function trailingZeros(n: bigint): number {
  let k = 0;
  while ((n & 0xffffffffn) === 0n) {
    n >>= 32n;
    k += 32;
  }
  const low = Number(n & 0xffffffffn);
  return k + 31 - Math.clz32(low & -low);
}

/** floor(num / den × 2^shift) and how the dropped remainder compares with one half (-1, 0, 1); `exact` if none was dropped. */
function truncate(num: bigint, den: bigint, shift: number): { q: bigint; half: number; exact: boolean } {
  const n = shift >= 0 ? num << BigInt(shift) : num;
  const d = shift < 0 ? den << BigInt(-shift) : den;
  const q = n / d;
  const twice = 2n * (n - q * d);
  return { q, half: twice < d ? -1 : twice > d ? 1 : 0, exact: twice === 0n };
}

/** q rounded by its dropped remainder, ties to even. */
function roundHalfEven(q: bigint, half: number): bigint {
  return half > 0 || (half === 0 && (q & 1n) === 1n) ? q + 1n : q;
}

/**
 * The value num / den × 2^scale2 (num, den > 0) rounded to nearest-even in `format`,
 * with strtod's ERANGE rule (overflow, or tiny after rounding and inexact).
 */
function roundToFormat(negative: boolean, num: bigint, den: bigint, scale2: number, format: FloatFormat): { value: CFloat; range: boolean } {
  const top = 1n << BigInt(format.bits);
  // The exact value lies in [2^(lead-1), 2^(lead+1)).
  const lead = bitLength(num) - bitLength(den) + scale2;
  let exp = lead - format.bits;
  let t = truncate(num, den, scale2 - exp);
  if (t.q >= top) t = truncate(num, den, scale2 - ++exp);
  // Tininess is judged on the result rounded with an unbounded exponent.
  const unbounded = roundHalfEven(t.q, t.half);
  const tiny = exp + (unbounded === top ? 1 : 0) + format.bits - 1 < format.emin;
  const leastExp = format.emin - format.bits + 1;
  if (exp < leastExp) {
    exp = leastExp;
    t = truncate(num, den, scale2 - exp);
  }
  let mant = roundHalfEven(t.q, t.half);
  if (mant === top) {
    mant >>= 1n;
    exp++;
  }
  if (exp > format.emax - format.bits + 1) return { value: { kind: 'inf', format, negative }, range: true };
  const value: CFloat = mant === 0n ? zeroOf(format, negative) : { kind: 'finite', format, negative, mant, exp };
  return { value, range: tiny && !t.exact };
}

/** The exact value of a JavaScript number (a double) in `format`, rounded if `format` is narrower. */
export function fromNumber(x: number, format: FloatFormat = DOUBLE): CFloat {
  if (Number.isNaN(x)) return { kind: 'nan', format, negative: false, payload: 0n };
  const negative = x < 0 || Object.is(x, -0);
  if (!Number.isFinite(x)) return { kind: 'inf', format, negative };
  if (x === 0) return zeroOf(format, negative);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased !== 0) mant |= 1n << 52n;
  return roundToFormat(negative, mant, 1n, biased === 0 ? -1074 : biased - 1075, format).value;
}

/** a + b rounded to a's format (round to nearest: x + -x is +0). */
export function addFloats(a: CFloat, b: CFloat): CFloat {
  const format = a.format;
  if (a.kind === 'nan' || b.kind === 'nan') return a.kind === 'nan' ? a : { ...b, format };
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === 'inf' && b.kind === 'inf' && a.negative !== b.negative) return { kind: 'nan', format, negative: true, payload: 0n };
    return a.kind === 'inf' ? a : { kind: 'inf', format, negative: b.negative };
  }
  if (b.mant === 0n) return a.mant === 0n ? zeroOf(format, a.negative && b.negative) : a;
  if (a.mant === 0n) return roundToFormat(b.negative, b.mant, 1n, b.exp, format).value;
  const exp = Math.min(a.exp, b.exp);
  const sum = signedMant(a, exp) + signedMant(b, exp);
  if (sum === 0n) return zeroOf(format);
  return roundToFormat(sum < 0n, sum < 0n ? -sum : sum, 1n, exp, format).value;
}

/** ±mant of a finite value scaled to units of 2^exp (exp at most the value's own). */
function signedMant(v: { negative: boolean; mant: bigint; exp: number }, exp: number): bigint {
  const m = v.mant << BigInt(v.exp - exp);
  return v.negative ? -m : m;
}

/** a × b rounded to a's format. */
export function multiplyFloats(a: CFloat, b: CFloat): CFloat {
  const format = a.format;
  const negative = a.negative !== b.negative;
  if (a.kind === 'nan' || b.kind === 'nan') return a.kind === 'nan' ? a : { ...b, format };
  const isZero = (v: CFloat): boolean => v.kind === 'finite' && v.mant === 0n;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (isZero(a) || isZero(b)) return { kind: 'nan', format, negative: true, payload: 0n };
    return { kind: 'inf', format, negative };
  }
  if (a.mant === 0n || b.mant === 0n) return zeroOf(format, negative);
  return roundToFormat(negative, a.mant * b.mant, 1n, a.exp + b.exp, format).value;
}

/** Sign of a − b as C's comparison operators see it (-0 == 0); NaN when unordered. */
export function compareFloats(a: CFloat, b: CFloat): number {
  if (a.kind === 'nan' || b.kind === 'nan') return NaN;
  const rank = (v: CFloat): number => (v.kind === 'inf' ? (v.negative ? -2 : 2) : v.kind === 'finite' && v.mant === 0n ? 0 : v.negative ? -1 : 1);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb || Math.abs(ra) !== 1 || a.kind !== 'finite' || b.kind !== 'finite') return Math.sign(ra - rb);
  const exp = Math.min(a.exp, b.exp);
  const d = signedMant(a, exp) - signedMant(b, exp);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

// ─── parsing (strtod) ────────────────────────────────────────────────────────────────

const LOG10_2 = Math.log10(2);

/** 5^k and 10^k for k up to 400, the powers that ordinary decimal exponents need. */
const POW5: readonly bigint[] = Array.from({ length: 401 }, (_, k) => 5n ** BigInt(k));
const POW10: readonly bigint[] = POW5.map((p, k) => p << BigInt(k));

/** 5^k for k ≥ 0. */
function pow5(k: number): bigint {
  return k < POW5.length ? POW5[k] : 5n ** BigInt(k);
}

/** 10^k for k ≥ 0. */
function pow10(k: number): bigint {
  return k < POW10.length ? POW10[k] : 10n ** BigInt(k);
}

/** glibc's NaN payload for "nan(SEQ)": SEQ read as strtoull base 0 when all of it is a number, else 0. */
function nanPayload(seq: string | undefined, format: FloatFormat): bigint {
  let n = 0n;
  if (seq !== undefined && /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.test(seq)) {
    n = /^0[xX]/.test(seq) ? BigInt(seq) : seq.length > 1 && seq[0] === '0' ? BigInt('0o' + seq.slice(1)) : BigInt(seq);
    if (n >= 1n << 64n) n = (1n << 64n) - 1n;
  }
  // The top two significand bits are the integer (or hidden) bit and the quiet bit.
  return n & ((1n << BigInt(format.bits - 2)) - 1n);
}

/** Decimal digits × 10^exp10 in `format`; out-of-range exponents skip the big arithmetic. */
function decimalValue(negative: boolean, digits: string, exp10: number, format: FloatFormat): { value: CFloat; range: boolean } {
  let from = 0;
  let to = digits.length;
  while (from < to && digits[from] === '0') from++;
  if (from === to) return { value: zeroOf(format, negative), range: false };
  while (digits[to - 1] === '0') to--;
  const significant = digits.slice(from, to);
  const e = exp10 + (digits.length - to);
  // The value lies in [10^(k-1), 10^k).
  const k = significant.length + e;
  if (k - 1 > (format.emax + 1) * LOG10_2 + 1) return { value: { kind: 'inf', format, negative }, range: true };
  if (k < (format.emin - format.bits) * LOG10_2 - 1) return { value: zeroOf(format, negative), range: true };
  // Up to 15 digits are exact as a JavaScript number, and convert faster that way.
  const d = significant.length <= 15 ? BigInt(Number(significant)) : BigInt(significant);
  // 10^e = 5^e × 2^e keeps the numbers small.
  if (e >= 0) return roundToFormat(negative, d * pow5(e), 1n, e, format);
  return roundToFormat(negative, d, pow5(-e), e, format);
}

/** Hex digits × 2^exp2 in `format`. */
function hexValue(negative: boolean, digits: string, exp2: number, format: FloatFormat): { value: CFloat; range: boolean } {
  const h = BigInt('0x' + digits);
  if (h === 0n) return { value: zeroOf(format, negative), range: false };
  const lead = bitLength(h) + exp2;
  if (lead > format.emax + 2) return { value: { kind: 'inf', format, negative }, range: true };
  if (lead < format.emin - format.bits - 1) return { value: zeroOf(format, negative), range: true };
  return roundToFormat(negative, h, 1n, exp2, format);
}

/** An exponent's digits as a number, clamped far beyond any format's range. */
function exponentOf(text: string | undefined): number {
  if (text === undefined) return 0;
  return Math.max(-1e9, Math.min(1e9, Number(text)));
}

/**
 * One C floating-point number after optional white space and sign: inf/infinity, nan
 * or nan(chars), hexadecimal (at least one digit, optional p exponent) or decimal (at
 * least one digit, optional e exponent). An exponent without digits is not part of it.
 */
const C_FLOAT =
  /^[ \t\n\v\f\r]*([+-]?)(?:(inf(?:inity)?)|nan(?:\(([0-9a-z_]*)\))?|0x(?=\.?[0-9a-f])([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?[0-9]+))?|([0-9]*)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?)/i;

/**
 * strtod(3) (`format` DOUBLE) or strtold(3) (LONG_DOUBLE) on the start of `text`:
 * leading white space, a sign, then a decimal or hexadecimal number with an optional
 * exponent, "inf", "infinity" or "nan", "nan(chars)", any case. Null when no number
 * starts the text.
 */
export function scanCFloat(text: string, format: FloatFormat): ScannedFloat | null {
  const m = C_FLOAT.exec(text)!;
  const negative = m[1] === '-';
  let r: { value: CFloat; range: boolean };
  if (m[2] !== undefined) r = { value: { kind: 'inf', format, negative }, range: false };
  else if (m[4] !== undefined) {
    const frac = m[5] ?? '';
    r = hexValue(negative, m[4] + frac, exponentOf(m[6]) - 4 * frac.length, format);
  } else if (m[7] !== undefined) {
    const frac = m[8] ?? '';
    if (m[7] === '' && frac === '') return null;
    r = decimalValue(negative, m[7] + frac, exponentOf(m[9]) - frac.length, format);
  } else r = { value: { kind: 'nan', format, negative, payload: nanPayload(m[3], format) }, range: false };
  return { value: r.value, length: m[0].length, range: r.range };
}

/** strtod/strtold on the whole of `text` (leading white space allowed): null unless it is all one number. */
export function parseCFloat(text: string, format: FloatFormat): CFloat | null {
  const r = scanCFloat(text, format);
  return r !== null && r.length === text.length ? r.value : null;
}

// ─── formatting (printf) ─────────────────────────────────────────────────────────────

/** A non-negative exact decimal: n / 10^s. */
interface Decimal {
  readonly n: bigint;
  readonly s: number;
}

/** The exact value of a finite non-negative `v` as a decimal. */
function exactDecimal(v: { mant: bigint; exp: number }): Decimal {
  if (v.mant === 0n) return { n: 0n, s: 0 };
  const tz = trailingZeros(v.mant);
  const m = v.mant >> BigInt(tz);
  const e = v.exp + tz;
  if (e >= 0) return { n: m << BigInt(e), s: 0 };
  return { n: m * pow5(-e), s: -e };
}

/** n / 10^k rounded to nearest, ties to even. */
function roundDiv(n: bigint, k: number): bigint {
  if (k <= 0) return n * pow10(-k);
  const t = truncate(n, pow10(k), 0);
  return roundHalfEven(t.q, t.half);
}

/** Digits of `d` with `p` digits after the point. */
function fixedDigits({ n, s }: Decimal, p: number): string {
  const q = roundDiv(n, s - p).toString();
  if (p === 0) return q;
  const padded = q.padStart(p + 1, '0');
  return padded.slice(0, padded.length - p) + '.' + padded.slice(padded.length - p);
}

/** `d` as `p + 1` significant digits and a decimal exponent. */
function expParts({ n, s }: Decimal, p: number): { digits: string; exp: number } {
  if (n === 0n) return { digits: '0'.repeat(p + 1), exp: 0 };
  const len = n.toString().length;
  let exp = len - 1 - s;
  let q = roundDiv(n, len - (p + 1)).toString();
  if (q.length > p + 1) {
    q = q.slice(0, p + 1);
    exp++;
  }
  return { digits: q, exp };
}

function expText(digits: string, exp: number, alt: boolean, upper: boolean): string {
  const mant = digits.length > 1 || alt ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return mant + (upper ? 'E' : 'e') + e;
}

/** %g: %e's exponent X for P significant digits picks %f (P > X ≥ -4) or %e; '#' keeps trailing zeros. */
function generalText(v: Decimal, precision: number, alt: boolean, upper: boolean): string {
  const p = precision === 0 ? 1 : precision;
  const { digits, exp } = expParts(v, p - 1);
  if (p > exp && exp >= -4) {
    const body = fixedDigits(v, p - 1 - exp);
    if (alt) return body.includes('.') ? body : body + '.';
    return body.includes('.') ? body.replace(/\.?0+$/, '') : body;
  }
  return expText(alt ? digits : digits.replace(/0+$/, '') || '0', exp, alt, upper);
}

/**
 * %a: the significand as one hex digit (the bits above `hexDigits` fraction digits),
 * a point and the fraction, then the binary exponent. A precision rounds the fraction
 * (ties to even); a carry into a fifth leading bit renormalizes to `0x1`.
 */
function hexText(v: { mant: bigint; exp: number }, format: FloatFormat, precision: number | undefined, alt: boolean): string {
  if (v.mant === 0n) {
    const frac = '0'.repeat(precision ?? 0);
    return `0x0${frac || alt ? '.' : ''}${frac}p+0`;
  }
  let digits = format.hexDigits;
  let mant = v.mant;
  let exp = v.exp + 4 * digits;
  if (precision !== undefined && precision < digits) {
    const dropped = 4 * (digits - precision);
    const t = truncate(mant, 1n, -dropped);
    mant = roundHalfEven(t.q, t.half);
    digits = precision;
    if (mant >> BigInt(4 * digits) >= 16n) {
      mant >>= 4n;
      exp += 4;
    }
  }
  const lead = (mant >> BigInt(4 * digits)).toString(16);
  let frac = digits === 0 ? '' : (mant & ((1n << BigInt(4 * digits)) - 1n)).toString(16).padStart(digits, '0');
  frac = precision === undefined ? frac.replace(/0+$/, '') : frac.padEnd(precision, '0');
  return `0x${lead}${frac || alt ? '.' : ''}${frac}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** The conversion's text for |v|, without sign or padding. */
function magnitudeText(v: CFloat, spec: FloatSpec): string {
  const upper = spec.conv === spec.conv.toUpperCase();
  if (v.kind !== 'finite') {
    const word = v.kind === 'nan' ? 'nan' : 'inf';
    return upper ? word.toUpperCase() : word;
  }
  const alt = spec.flags.includes('#');
  const conv = spec.conv.toLowerCase();
  let body: string;
  if (conv === 'a') body = hexText(v, v.format, spec.precision, alt);
  else if (conv === 'f') {
    body = fixedDigits(exactDecimal(v), spec.precision ?? 6);
    if (alt && !body.includes('.')) body += '.';
  } else if (conv === 'e') {
    const { digits, exp } = expParts(exactDecimal(v), spec.precision ?? 6);
    body = expText(digits, exp, alt, upper);
  } else body = generalText(exactDecimal(v), spec.precision ?? 6, alt, upper);
  return upper ? body.toUpperCase() : body;
}

/**
 * Formats `v` as printf does with `spec`: sign ('-', or '+'/' ' from the flags, NaN
 * included), then the conversion, padded to the width — on the right with '-', with
 * zeros after the sign (and "0x") with '0' unless the value is inf or nan.
 */
export function formatFloat(v: CFloat, spec: FloatSpec): string {
  const body = magnitudeText(v, spec);
  const sign = v.negative ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const total = sign.length + body.length;
  if (total >= spec.width) return sign + body;
  const pad = spec.width - total;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(pad);
  if (spec.flags.includes('0') && v.kind === 'finite') {
    const prefix = /^0[xX]/.test(body) ? body.slice(0, 2) : '';
    return sign + prefix + '0'.repeat(pad) + body.slice(prefix.length);
  }
  return ' '.repeat(pad) + sign + body;
}
