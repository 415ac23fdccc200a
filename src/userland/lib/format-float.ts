/**
 * printf(3)'s floating-point conversions (%f %e %g %a and their capitals) with
 * glibc's results: digits come from the exact binary value and ties round to even,
 * and strtod-style parsing of C floating-point text (decimal, hex, inf, nan).
 *
 * Simplification: values are IEEE doubles. Programs that use `long double` (seq)
 * print the same text whenever the requested precision is below ~15 significant
 * digits; %a is printed the way glibc prints a long double (`0x8p-3` for 1).
 */

/** A parsed conversion specification: `%[flags][width][.precision]conv`. */
export interface FloatSpec {
  /** Any of "-+ #0'" (the apostrophe groups nothing in the C locale). */
  flags: string;
  width: number;
  /** Digits after the point (%f %e %a) or significant digits (%g); undefined for the default. */
  precision?: number;
  conv: 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'a' | 'A';
}

/** A finite non-negative double as mant × 2^e, mant an integer below 2^53. */
function binaryParts(x: number): { mant: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (biased === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  return { mant, e };
}

/** The exact value of a finite non-negative double as N / 10^S. */
function exactDecimal(x: number): { n: bigint; s: number } {
  const { mant, e } = binaryParts(x);
  if (e >= 0) return { n: mant << BigInt(e), s: 0 };
  return { n: mant * 5n ** BigInt(-e), s: -e };
}

/** n / 10^k rounded to nearest, ties to even. */
function roundDiv(n: bigint, k: number): bigint {
  if (k <= 0) return n * 10n ** BigInt(-k);
  const d = 10n ** BigInt(k);
  const q = n / d;
  const r = n - q * d;
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Digits of |x| with `p` digits after the point. */
function fixedDigits(x: number, p: number): string {
  // Integers below 2^53 print exactly without the big-number path (seq's common case).
  if (Number.isSafeInteger(x)) return p === 0 ? String(x) : `${x}.${'0'.repeat(p)}`;
  const { n, s } = exactDecimal(x);
  const q = roundDiv(n, s - p).toString();
  if (p === 0) return q;
  const padded = q.padStart(p + 1, '0');
  return padded.slice(0, padded.length - p) + '.' + padded.slice(padded.length - p);
}

/** |x| as `p + 1` significant digits and a decimal exponent. */
function expParts(x: number, p: number): { digits: string; exp: number } {
  if (x === 0) return { digits: '0'.repeat(p + 1), exp: 0 };
  const { n, s } = exactDecimal(x);
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

/** glibc's %La for a double's value, normalized as an x87 long double (leading hex digit 8–f). */
function hexText(x: number, prec: number | undefined, upper: boolean): string {
  if (x === 0) return upper ? '0X0P+0' : '0x0p+0';
  let { mant, e } = binaryParts(x);
  // Shift the integer bit up to bit 63, as the 64-bit long double mantissa has it.
  while (mant < 1n << 63n) {
    mant <<= 1n;
    e--;
  }
  let hex = mant.toString(16);
  const exp = e + 60;
  let frac = hex.slice(1).replace(/0+$/, '');
  if (prec !== undefined) frac = frac.slice(0, prec).padEnd(prec, '0');
  hex = hex[0] + (frac ? '.' + frac : '');
  const t = `0x${hex}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  return upper ? t.toUpperCase() : t;
}

/** Formats `x` as printf does with `spec`. */
export function formatFloat(x: number, spec: FloatSpec): string {
  const upper = spec.conv === 'F' || spec.conv === 'E' || spec.conv === 'G' || spec.conv === 'A';
  const alt = spec.flags.includes('#');
  const neg = x < 0 || Object.is(x, -0);
  const ax = Math.abs(x);
  let body: string;
  let numeric = true;
  if (Number.isNaN(x) || !Number.isFinite(x)) {
    body = Number.isNaN(x) ? 'nan' : 'inf';
    if (upper) body = body.toUpperCase();
    numeric = false;
  } else {
    const conv = spec.conv.toLowerCase();
    if (conv === 'f') {
      body = fixedDigits(ax, spec.precision ?? 6);
      if (alt && !body.includes('.')) body += '.';
    } else if (conv === 'e') {
      const p = spec.precision ?? 6;
      const { digits, exp } = expParts(ax, p);
      body = expText(digits, exp, alt, upper);
    } else if (conv === 'g') {
      let p = spec.precision ?? 6;
      if (p === 0) p = 1;
      const { exp } = expParts(ax, p - 1);
      if (p > exp && exp >= -4) {
        body = fixedDigits(ax, p - 1 - exp);
        if (!alt && body.includes('.')) body = body.replace(/\.?0+$/, '');
        else if (alt && !body.includes('.')) body += '.';
      } else {
        const { digits, exp: e2 } = expParts(ax, p - 1);
        const d = alt ? digits : digits.replace(/0+$/, '') || '0';
        body = expText(d, e2, alt, upper);
      }
    } else {
      body = hexText(ax, spec.precision, upper);
    }
  }
  const sign = neg && !Number.isNaN(x) ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  const total = sign.length + body.length;
  if (total >= spec.width) return sign + body;
  const pad = spec.width - total;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(pad);
  if (spec.flags.includes('0') && numeric) {
    if (body.startsWith('0x') || body.startsWith('0X')) return sign + body.slice(0, 2) + '0'.repeat(pad) + body.slice(2);
    return sign + '0'.repeat(pad) + body;
  }
  return ' '.repeat(pad) + sign + body;
}

/**
 * strtod(3) on the whole of `text` (leading white space allowed, nothing after the
 * number): decimal and hexadecimal floating point, "inf", "infinity", "nan". Null if
 * `text` is not entirely a number.
 */
export function parseCFloat(text: string): number | null {
  const s = text.replace(/^[ \t\n\v\f\r]+/, '');
  let m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (m) return m[2].toLowerCase() === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/.exec(s);
  if (m && (m[2] !== '' || (m[3] ?? '') !== '')) {
    const int = m[2] || '0';
    const frac = m[3] ?? '';
    let v = 0;
    for (const c of int + frac) v = v * 16 + parseInt(c, 16);
    v *= 2 ** (Number(m[4] ?? 0) - 4 * frac.length);
    return m[1] === '-' ? -v : v;
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return null;
  return Number(s);
}
