/**
 * seq(1), GNU coreutils 9.1: print numbers from FIRST (default 1) to LAST in steps of
 * INCREMENT (default 1), joined by -s STRING (default newline) and ended by a newline.
 * -f FORMAT prints each number with one printf floating-point directive; otherwise the
 * format is fixed-point with as many places as FIRST and INCREMENT are written with,
 * zero-padded to the widest of FIRST and LAST under -w (see seq-number.ts for how the
 * spelling of an operand sets them), or %g when an operand is a hexadecimal fraction.
 *
 * Behaviour pinned down on the real tool (Debian 12, LC_ALL=C):
 *  - Options end at the first operand, and an argument that looks like a negative
 *    number ("-1", "-.5") is an operand: `seq -1 -f %g 2` has four operands.
 *  - The i-th number is FIRST + i·INCREMENT; FIRST itself is printed as read ("-0").
 *  - When the next number is past LAST but its text reads back as LAST's value and
 *    differs from the previous number's text, it is printed as well
 *    (`seq -f %.0f 0 1.2 2` prints 0 1 2) — coreutils' guard against rounding.
 *  - Errors are checked in this order: options, operand count, the -f format, -f with
 *    -w, then each operand left to right (INCREMENT's zero check as soon as it is read).
 *
 *  - With -f or the %g default, the i-th number is computed in x87 long double as
 *    coreutils does, FIRST + i·INCREMENT with each operation rounded
 *    (`seq -f %a 0.1 0.7 3` ends in 0x8.cccccccccccccccp-2, one ulp below strtold("2.2")),
 *    and compared with LAST as a long double.
 *
 * Simplification: the default fixed-point format prints and compares the exact decimal
 * values (seq-number.ts); they differ from long double arithmetic only past ~19
 * significant digits, beyond what its few places show.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { errOut } from '../../lib/io.js';
import { quote } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { LONG_DOUBLE, addFloats, compareFloats, formatFloat, fromNumber, multiplyFloats, parseCFloat, scanCFloat, type CFloat, type FloatSpec } from '../../lib/format-float.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';
import { fixedText, isZero, ONE, readOperand, rescale, toDouble, type SeqOperand } from './seq-number.js';

/** User time per number printed (convert, format, buffer). A design choice, not a measurement. */
const NS_PER_NUMBER = 60;
/** Numbers formatted between CPU charges. */
const NUMBERS_PER_CHARGE = 256;

/** A -f FORMAT split around its one directive; "%%" already turned into "%". */
interface UserFormat {
  readonly before: string;
  readonly spec: FloatSpec;
  readonly after: string;
}

const FLAG_CHARS = "-+ #0'";
const FLOAT_CONVS = 'aAeEfFgG';

/** The literal text of `fmt` from `from` up to the next lone '%' (index returned too). */
function literalRun(fmt: string, from: number): { text: string; next: number } {
  let text = '';
  let i = from;
  while (i < fmt.length) {
    if (fmt[i] !== '%') text += fmt[i++];
    else if (fmt[i + 1] === '%') {
      text += '%';
      i += 2;
    } else break;
  }
  return { text, next: i };
}

/** Checks a -f FORMAT as seq does; returns its parts or the error message. */
export function parseUserFormat(fmt: string): UserFormat | string {
  const q = quote(fmt);
  const head = literalRun(fmt, 0);
  if (head.next >= fmt.length) return `format ${q} has no % directive`;
  let i = head.next + 1;
  let flags = '';
  while (i < fmt.length && FLAG_CHARS.includes(fmt[i])) flags += fmt[i++];
  let widthText = '';
  while (i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9') widthText += fmt[i++];
  let precision: number | undefined;
  if (fmt[i] === '.') {
    let p = '';
    for (i++; i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9'; i++) p += fmt[i];
    precision = Number(p || '0');
  }
  if (fmt[i] === 'L') i++;
  if (i >= fmt.length) return `format ${q} ends in %`;
  const conv = fmt[i];
  if (!FLOAT_CONVS.includes(conv)) return `format ${q} has unknown %${conv} directive`;
  const tail = literalRun(fmt, i + 1);
  if (tail.next < fmt.length) return `format ${q} has too many % directives`;
  const spec: FloatSpec = { flags, width: Number(widthText || '0'), precision, conv: conv as FloatSpec['conv'] };
  return { before: head.text, spec, after: tail.text };
}

/**
 * How many leading arguments may be options: up to the first one that looks like a
 * negative number and is not the value of -f/-s. Later arguments are all operands.
 */
function optionSpan(args: readonly string[]): number {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--' || a[0] !== '-' || a.length === 1) return args.length;
    if (/^-[0-9.]/.test(a)) return i;
    if (a.startsWith('--')) {
      const name = a.slice(2);
      if (!name.includes('=') && name !== '' && ('format'.startsWith(name) || 'separator'.startsWith(name))) i++;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      if (a[j] === 'f' || a[j] === 's') {
        if (j === a.length - 1) i++;
        break;
      }
    }
  }
  return args.length;
}

/**
 * Whether strtold reports ERANGE for `text` yet returns a nonzero (subnormal) value:
 * seq refuses such an operand ("1e-4940"), though it accepts one that underflows all
 * the way to 0 ("1e-5000").
 */
function underflowsToSubnormal(text: string): boolean {
  const r = scanCFloat(text, LONG_DOUBLE);
  return r !== null && r.range && r.value.kind === 'finite' && r.value.mant !== 0n;
}

/** How each number becomes text: a user format, %g, or fixed-point with `places`. */
type Layout =
  | { kind: 'user'; format: UserFormat }
  | { kind: 'general' }
  | { kind: 'fixed'; places: number; width: number };

/** One number of the sequence: exact at the run's common scale when FIRST and INCREMENT are finite. */
interface Term {
  readonly coef: bigint | null;
  readonly approx: number;
  /** Printed with a minus even if zero (FIRST written as "-0"). */
  readonly negZero: boolean;
  /** The number as coreutils computes it, FIRST + i·INCREMENT in long double; null in the default fixed-point layout, which prints `coef`. */
  readonly value: CFloat | null;
}

/** The number's own text (the directive's output, without -f's surrounding text). */
function termText(t: Term, layout: Layout, scale: number): string {
  switch (layout.kind) {
    case 'user':
      return formatFloat(t.value ?? fromNumber(t.approx, LONG_DOUBLE), layout.format.spec);
    case 'general':
      return formatFloat(t.value ?? fromNumber(t.approx, LONG_DOUBLE), { flags: '', width: 0, conv: 'g' });
    case 'fixed':
      if (t.coef !== null) return fixedText(t.coef, scale, layout.places, layout.width, t.negZero);
      // Not exact: FIRST or INCREMENT is infinite, and so are the numbers.
      return formatFloat(fromNumber(t.approx, LONG_DOUBLE), { flags: layout.width > 0 ? '0' : '', width: layout.width, precision: layout.places, conv: 'f' });
  }
}

/** The default layout for these operands (fixed or %g), with -w's width if asked. */
function defaultLayout(first: SeqOperand, step: SeqOperand, last: SeqOperand, equalWidth: boolean): Layout {
  if (first.needsGeneral || step.needsGeneral || last.needsGeneral) return { kind: 'general' };
  const places = Math.max(first.places, step.places);
  let width = 0;
  if (equalWidth) {
    const fraction = places > 0 ? places + 1 : 0;
    for (const op of [first, last]) if (op.intColumns > 0) width = Math.max(width, op.intColumns + fraction);
  }
  return { kind: 'fixed', places, width };
}

function helpText(prog: string): string {
  return (
    `Usage: ${prog} [OPTION]... LAST\n  or:  ${prog} [OPTION]... FIRST LAST\n  or:  ${prog} [OPTION]... FIRST INCREMENT LAST\n` +
    'Print numbers from FIRST to LAST, in steps of INCREMENT.\n\n' +
    'Mandatory arguments to long options are mandatory for short options too.\n' +
    '  -f, --format=FORMAT      use printf style floating-point FORMAT\n' +
    '  -s, --separator=STRING   use STRING to separate numbers (default: \\n)\n' +
    '  -w, --equal-width        equalize width by padding with leading zeroes\n' +
    '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
    'If FIRST or INCREMENT is omitted, it defaults to 1.  That is, an\n' +
    'omitted INCREMENT defaults to 1 even when LAST is smaller than FIRST.\n' +
    'The sequence of numbers ends when the sum of the current number and\n' +
    'INCREMENT would become greater than LAST.\n' +
    'FIRST, INCREMENT, and LAST are interpreted as floating point values.\n' +
    'INCREMENT is usually positive if FIRST is smaller than LAST, and\n' +
    'INCREMENT is usually negative if FIRST is greater than LAST.\n' +
    'INCREMENT must not be 0; none of FIRST, INCREMENT and LAST may be NaN.\n' +
    "FORMAT must be suitable for printing one argument of type 'double';\n" +
    'it defaults to %.PRECf if FIRST, INCREMENT, and LAST are all fixed point\n' +
    'decimal numbers with maximum precision PREC, and to %g otherwise.\n'
  );
}

export function* seqMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const args = argv.slice(1);
  const span = optionSpan(args);
  const opts = yield* parseOptions(
    prog,
    [prog, ...args.slice(0, span)],
    [
      { short: 'f', long: 'format', arg: 'required', key: 'f' },
      { short: 's', long: 'separator', arg: 'required', key: 's' },
      { short: 'w', long: 'equal-width', key: 'w' },
      ...HELP_VERSION,
    ],
    1,
    { stopAtOperand: true },
  );
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(opts, helpText(prog), coreutilsVersion('seq', 'Written by Ulrich Drepper.'));
  if (hv !== null) return hv;

  const operands = [...opts.operands, ...args.slice(span)];
  if (operands.length === 0) return yield* usageError(prog, 'missing operand');
  if (operands.length > 3) return yield* usageError(prog, `extra operand ${quote(operands[3])}`);
  const fmtOpt = opts.values.get('f');
  let userFormat: UserFormat | null = null;
  if (typeof fmtOpt === 'string') {
    const f = parseUserFormat(fmtOpt);
    if (typeof f === 'string') {
      yield* errOut(`${prog}: ${f}\n`);
      return 1;
    }
    userFormat = f;
  }
  const equalWidth = opts.values.has('w');
  if (userFormat && equalWidth) return yield* usageError(prog, 'format string may not be specified when printing equal width strings');

  // Operands are read left to right; INCREMENT is refused as soon as it reads as zero.
  const read: SeqOperand[] = [];
  for (let k = 0; k < operands.length; k++) {
    const op = readOperand(operands[k]);
    if (op === 'invalid' || (op !== 'nan' && underflowsToSubnormal(operands[k]))) return yield* usageError(prog, `invalid floating point argument: ${quote(operands[k])}`);
    if (op === 'nan') return yield* usageError(prog, `invalid 'not-a-number' argument: ${quote(operands[k])}`);
    if (operands.length === 3 && k === 1 && isZero(op)) return yield* usageError(prog, `invalid Zero increment value: ${quote(operands[k])}`);
    read.push(op);
  }
  const last = read[read.length - 1];
  const first = read.length >= 2 ? read[0] : ONE;
  const step = read.length === 3 ? read[1] : ONE;
  const layout: Layout = userFormat ? { kind: 'user', format: userFormat } : defaultLayout(first, step, last, equalWidth);
  const sepOpt = opts.values.get('s');
  const separator = typeof sepOpt === 'string' ? sepOpt : '\n';

  // Exact terms when FIRST and INCREMENT are finite, all at one common scale.
  const exact = first.exact !== null && step.exact !== null;
  const scale = Math.max(first.exact?.scale ?? 0, step.exact?.scale ?? 0, last.exact?.scale ?? 0);
  const firstCoef = first.exact ? rescale(first.exact.coef, first.exact.scale, scale) : 0n;
  const stepCoef = step.exact ? rescale(step.exact.coef, step.exact.scale, scale) : 0n;
  const lastCoef = last.exact ? rescale(last.exact.coef, last.exact.scale, scale) : null;
  const descending = step.approx < 0;
  // The operands as strtold reads them (readOperand has checked their syntax).
  const asLongDouble = (k: number, op: SeqOperand): CFloat => parseCFloat(operands[k], LONG_DOUBLE) ?? fromNumber(op.approx, LONG_DOUBLE);
  const n = read.length;
  const firstValue = n >= 2 ? asLongDouble(0, first) : fromNumber(1, LONG_DOUBLE);
  const stepValue = n === 3 ? asLongDouble(1, step) : fromNumber(1, LONG_DOUBLE);
  const lastValue = asLongDouble(n - 1, last);
  /** The default fixed-point format works on exact values; -f and %g on long doubles. */
  const inLongDouble = layout.kind !== 'fixed';

  const termAt = (i: number, coef: bigint): Term => {
    if (i === 0) return { coef: exact ? firstCoef : null, approx: first.approx, negZero: Object.is(first.approx, -0), value: inLongDouble ? firstValue : null };
    const value = inLongDouble ? addFloats(firstValue, multiplyFloats(fromNumber(i, LONG_DOUBLE), stepValue)) : null;
    if (exact) return { coef, approx: toDouble(coef, scale), negZero: false, value };
    return { coef: null, approx: first.approx + i * step.approx, negZero: false, value };
  };
  const isPast = (t: Term): boolean => {
    if (t.value !== null) {
      const c = compareFloats(t.value, lastValue);
      return descending ? c < 0 : c > 0;
    }
    if (t.coef !== null && lastCoef !== null) return descending ? t.coef < lastCoef : t.coef > lastCoef;
    return descending ? t.approx < last.approx : t.approx > last.approx;
  };
  /** Whether a number's text, read back whole as strtold would (so not "2   "), is LAST's value. */
  const readsAsLast = (text: string): boolean => {
    if (inLongDouble) {
      const back = parseCFloat(text, LONG_DOUBLE);
      return back !== null && compareFloats(back, lastValue) === 0;
    }
    const back = readOperand(text);
    if (typeof back === 'string') return false;
    if (back.exact === null || last.exact === null) return back.approx === last.approx;
    const s = Math.max(back.exact.scale, last.exact.scale);
    return rescale(back.exact.coef, back.exact.scale, s) === rescale(last.exact.coef, last.exact.scale, s);
  };

  const out = new OutBuffer(1);
  const [before, after] = layout.kind === 'user' ? [layout.format.before, layout.format.after] : ['', ''];
  let previous: string | null = null;
  let uncharged = 0;
  let coef = firstCoef;
  for (let i = 0; !out.error; i++) {
    if (i > 0 && exact) coef += stepCoef;
    const t = termAt(i, coef);
    let text: string;
    if (isPast(t)) {
      if (previous === null) break;
      text = termText(t, layout, scale);
      if (text === previous || !readsAsLast(text)) break;
    } else text = termText(t, layout, scale);
    yield* out.write((previous === null ? '' : separator) + before + text + after);
    if (++uncharged === NUMBERS_PER_CHARGE) {
      yield NS_PER_NUMBER * uncharged;
      uncharged = 0;
    }
    if (isPast(t)) break;
    previous = text;
  }
  if (uncharged > 0) yield NS_PER_NUMBER * uncharged;
  if (previous !== null) yield* out.write('\n');
  const e = yield* out.flush();
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  return 0;
}
