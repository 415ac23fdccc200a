/**
 * The numbers of seq(1), GNU coreutils 9.1: how an operand is read (strtold's C
 * syntax — decimal, hexadecimal, inf, nan — with long double's range) and what its
 * spelling implies for the default output format.
 *
 * Observed on the real tool (Debian 12, LC_ALL=C), the default format follows the text
 * of the operands, not their values:
 *
 *   operand    places  int columns   why
 *   "2.50"     2       1             digits after the point
 *   "-.5"      1       2             a missing integer digit counts as "0", '-' counts
 *   "0.05e2"   0       3             the exponent moves the point: "005"
 *   "15e-3"    3       2             … and a negative one adds places, keeps "15"
 *   "+05"      0       2             '+' and leading blanks do not count
 *   "0x10"     0       0             hexadecimal and inf have no decimal spelling
 *
 * Hexadecimal operands with a fraction or a binary exponent make the default %g.
 *
 * Values are kept exact, as coefficient / 10^scale with BigInt arithmetic.
 * Simplification: coreutils computes in x87 long double (64-bit mantissa), so beyond
 * ~19 significant digits, and below long double's smallest value (~1e-4951), its
 * output shows rounding that the exact values here do not.
 */

/** An operand as read: its value and what its spelling says about the default format. */
export interface SeqOperand {
  /** Exact value: coefficient / 10^scale (scale ≥ 0). Null for ±inf. */
  readonly exact: { readonly coef: bigint; readonly scale: number } | null;
  /** The value as a double (±Infinity for inf, -0 for "-0"). */
  readonly approx: number;
  /** Digits after the point in fixed notation once the exponent is applied. */
  readonly places: number;
  /** Columns before the point in fixed notation, '-' included; 0 without a decimal spelling. */
  readonly intColumns: number;
  /** A hexadecimal fraction or binary exponent: the default format becomes %g. */
  readonly needsGeneral: boolean;
}

/** Why an operand was refused: not a number (strtold failed or overflowed), or NaN. */
export type OperandProblem = 'invalid' | 'nan';

/** The value seq assumes for an omitted FIRST or INCREMENT. */
export const ONE: SeqOperand = { exact: { coef: 1n, scale: 0 }, approx: 1, places: 0, intColumns: 1, needsGeneral: false };

/** Decimal exponent of long double's largest finite value (1.18973149535723176502e+4932). */
const LDBL_MAX_EXP10 = 4932;
/** Decimal exponent below which strtold underflows to zero (smallest subnormal ≈ 3.6e-4951). */
const LDBL_MIN_EXP10 = -4951;
/** LDBL_MAX exactly: (2^64 - 1) · 2^(16384 - 64). */
const LDBL_MAX = ((1n << 64n) - 1n) << 16320n;

const DECIMAL = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;
const HEX = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:([pP])([+-]?[0-9]+))?$/;

/** Whether the exact value |coef| / 10^scale exceeds LDBL_MAX. */
function overflows(coef: bigint, scale: number): boolean {
  const mag = (coef < 0n ? -coef : coef).toString().length - 1 - scale;
  if (mag < LDBL_MAX_EXP10) return false;
  if (mag > LDBL_MAX_EXP10) return true;
  return (coef < 0n ? -coef : coef) > LDBL_MAX * 10n ** BigInt(scale);
}

/** The double nearest coef / 10^scale. */
export function toDouble(coef: bigint, scale: number): number {
  return scale === 0 ? Number(coef) : Number(`${coef}e-${scale}`);
}

/** A finite operand from its exact value, or 'invalid' if long double cannot hold it. */
function finite(negative: boolean, coef: bigint, scale: number, places: number, intColumns: number, needsGeneral: boolean): SeqOperand | OperandProblem {
  if (overflows(coef, scale)) return 'invalid';
  if (coef !== 0n && coef.toString().length - 1 - scale < LDBL_MIN_EXP10) {
    coef = 0n;
    scale = 0;
  }
  const signed = negative ? -coef : coef;
  const approx = coef === 0n && negative ? -0 : toDouble(signed, scale);
  return { exact: { coef: signed, scale }, approx, places, intColumns, needsGeneral };
}

/** Reads a decimal number (without sign) as strtold would, or null if it is not one. */
function readDecimal(body: string, negative: boolean): SeqOperand | OperandProblem | null {
  const m = DECIMAL.exec(body);
  if (!m) return null;
  const intDigits = m[1];
  const fracDigits = m[2] ?? '';
  if (intDigits === '' && fracDigits === '') return null;
  const exp = m[3] === undefined ? 0 : Number(m[3]);
  if (!Number.isSafeInteger(exp)) return exp > 0 ? 'invalid' : finite(negative, 0n, 0, 0, 1, false);
  // Where the point lands in fixed notation decides the default format's shape.
  const intLen = Math.max(1, intDigits.length) + Math.max(0, exp);
  const places = Math.max(0, fracDigits.length - exp);
  let coef = BigInt(intDigits + fracDigits || '0');
  let scale = fracDigits.length - exp;
  if (coef === 0n) scale = 0;
  else if (scale < 0) {
    if (coef.toString().length - 1 - scale > LDBL_MAX_EXP10) return 'invalid';
    coef *= 10n ** BigInt(-scale);
    scale = 0;
  } else if (coef.toString().length - 1 - scale < LDBL_MIN_EXP10) {
    coef = 0n;
    scale = 0;
  }
  return finite(negative, coef, scale, places, intLen + (negative ? 1 : 0), false);
}

/** Reads a hexadecimal number ("0x1.8p3", without sign), or null if it is not one. */
function readHex(body: string, negative: boolean): SeqOperand | OperandProblem | null {
  const m = HEX.exec(body);
  if (!m) return null;
  const intDigits = m[1];
  const fracDigits = m[2] ?? '';
  if (intDigits === '' && fracDigits === '') return null;
  const binExp = m[4] === undefined ? 0 : Number(m[4]);
  const needsGeneral = m[2] !== undefined || m[3] !== undefined;
  if (!Number.isSafeInteger(binExp) || binExp > 20000) return 'invalid';
  let coef = BigInt('0x' + (intDigits + fracDigits || '0'));
  const shift = binExp - 4 * fracDigits.length;
  if (coef === 0n) return finite(negative, 0n, 0, 0, 0, needsGeneral);
  if (shift < -20000) return finite(negative, 0n, 0, 0, 0, needsGeneral);
  let scale = 0;
  if (shift >= 0) coef <<= BigInt(shift);
  else {
    // m / 2^k = m · 5^k / 10^k.
    coef *= 5n ** BigInt(-shift);
    scale = -shift;
  }
  return finite(negative, coef, scale, 0, 0, needsGeneral);
}

/**
 * Reads one operand the way seq does: strtold on the whole text (leading blanks and a
 * sign allowed, nothing after the number), refusing values past long double's range.
 */
export function readOperand(text: string): SeqOperand | OperandProblem {
  const trimmed = text.replace(/^[ \t\n\v\f\r]+/, '');
  let body = trimmed;
  let negative = false;
  if (body[0] === '+' || body[0] === '-') {
    negative = body[0] === '-';
    body = body.slice(1);
  }
  if (/^(inf|infinity)$/i.test(body)) {
    return { exact: null, approx: negative ? -Infinity : Infinity, places: 0, intColumns: 0, needsGeneral: false };
  }
  if (/^nan(\([0-9A-Za-z_]*\))?$/i.test(body)) return 'nan';
  return readHex(body, negative) ?? readDecimal(body, negative) ?? 'invalid';
}

/** Whether an operand's value is zero (either sign). */
export function isZero(op: SeqOperand): boolean {
  return op.exact !== null && op.exact.coef === 0n;
}

/** `coef` rescaled from `from` to `to` decimal places (to ≥ from). */
export function rescale(coef: bigint, from: number, to: number): bigint {
  return to === from ? coef : coef * 10n ** BigInt(to - from);
}

/**
 * printf("%0W.Pf") of the exact value coef / 10^scale: `places` digits after the
 * point (ties to even), zero-padded after the sign to `width` columns. `negative`
 * marks a negative zero.
 */
export function fixedText(coef: bigint, scale: number, places: number, width: number, negative = false): string {
  const neg = coef < 0n || (coef === 0n && negative);
  let mag = coef < 0n ? -coef : coef;
  if (scale > places) {
    const unit = 10n ** BigInt(scale - places);
    const q = mag / unit;
    const twice = 2n * (mag - q * unit);
    mag = twice > unit || (twice === unit && q % 2n === 1n) ? q + 1n : q;
  } else mag = rescale(mag, scale, places);
  let digits = mag.toString().padStart(places + 1, '0');
  if (places > 0) digits = `${digits.slice(0, digits.length - places)}.${digits.slice(digits.length - places)}`;
  const sign = neg ? '-' : '';
  return sign + digits.padStart(width - sign.length, '0');
}
