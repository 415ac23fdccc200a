/**
 * printf(1) formatting, shared by dash's `printf` builtin (and its `echo`, whose
 * escapes are those of `%b`) and coreutils' /usr/bin/printf. POSIX XCU printf:
 * the format is reused until the arguments are used up; `%d` `%i` `%o` `%u` `%x`
 * `%X` take integers (a leading `'` or `"` gives a character's code), `%e` `%f`
 * `%g` `%a` floating point (lib/format-float.ts), `%s` `%c` `%b` strings. The
 * flavours differ where the programs do: dash reads and prints a `double` (strtod),
 * coreutils a `long double` (strtold, so `%a` prints `0x8p-3` for 1 and `%.20f` of
 * 0.1 is `0.10000000000000000000`); coreutils knows `\x` `\u` `\c` in the format,
 * `%q` and length modifiers, dash rejects them; their error messages differ
 * ("expected numeric value" / "expected a numeric value").
 *
 * Integers are 64-bit (intmax_t / uintmax_t) and computed with BigInt.
 */

import { DOUBLE, LONG_DOUBLE, formatFloat, fromNumber, scanCFloat, zeroOf, type CFloat, type FloatSpec } from './format-float.js';

export type PrintfFlavor = 'dash' | 'coreutils';

export interface PrintfResult {
  /** The bytes to write. */
  out: string;
  /** Error messages (without the program prefix), in order. */
  errors: string[];
  /** 0, or 1 when an argument was not a (complete) number or a directive was invalid. */
  status: number;
}

const INT_MAX = (1n << 63n) - 1n;
const INT_MIN = -(1n << 63n);
const UINT_MAX = (1n << 64n) - 1n;

/** Result of a backslash escape: the text and whether `\c` stopped the output. */
interface Esc {
  text: string;
  stop: boolean;
}

const SIMPLE_ESC: Record<string, string> = {
  '\\': '\\',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  "'": "'",
};

const isOct = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';
const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(c);

/** UTF-8 bytes of a code point. */
function utf8(cp: number): string {
  return Buffer.from(String.fromCodePoint(cp), 'utf8').toString('latin1');
}

/**
 * Backslash escapes. `mode`: 'format' (printf's format string) or 'b' (`%b` and
 * dash's echo: `\0NNN`, and `\c` stops all output).
 */
export function expandEscapes(s: string, mode: 'format' | 'b', flavor: PrintfFlavor): Esc {
  if (!s.includes('\\')) return { text: s, stop: false };
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i];
    if (n in SIMPLE_ESC && !(mode === 'b' && (n === '"' || n === "'"))) {
      out += SIMPLE_ESC[n];
      continue;
    }
    if (n === 'c' && (mode === 'b' || flavor === 'coreutils')) return { text: out, stop: true };
    if (isOct(n)) {
      // \NNN; in %b also \0NNN (the 0 does not count).
      let j = mode === 'b' && n === '0' ? i + 1 : i;
      let v = 0;
      for (let k = 0; k < 3 && isOct(s[j]); k++, j++) v = v * 8 + (s.charCodeAt(j) - 48);
      out += String.fromCharCode(v & 0xff);
      i = j - 1;
      continue;
    }
    if (flavor === 'coreutils' && n === 'x' && isHex(s[i + 1])) {
      let j = i + 1;
      let v = 0;
      while (j < s.length && j < i + 3 && isHex(s[j])) v = v * 16 + parseInt(s[j++], 16);
      out += String.fromCharCode(v);
      i = j - 1;
      continue;
    }
    if (flavor === 'coreutils' && (n === 'u' || n === 'U')) {
      const len = n === 'u' ? 4 : 8;
      const hex = s.slice(i + 1, i + 1 + len);
      // Past U+10FFFF there is no character: the text stays as written, as real printf leaves it.
      if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex) && parseInt(hex, 16) <= 0x10ffff) {
        out += utf8(parseInt(hex, 16));
        i += len;
        continue;
      }
    }
    out += '\\' + n;
  }
  return { text: out, stop: false };
}

/** strtoimax/strtoumax with base 0 on an argument: [value, chars used, out of range]. */
function parseInteger(s: string, unsigned: boolean): { v: bigint; ok: 'ok' | 'none' | 'partial' | 'range' } {
  if (s[0] === "'" || s[0] === '"') return { v: s.length > 1 ? BigInt(s.charCodeAt(1)) : 0n, ok: 'ok' };
  if (s === '') return { v: 0n, ok: 'ok' };
  const m = /^[ \t\n\v\f\r]*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(s);
  if (!m) return { v: 0n, ok: 'none' };
  const neg = m[1] === '-';
  const body = m[2];
  let mag: bigint;
  if (/^0[xX]/.test(body)) mag = BigInt(body);
  else if (body.length > 1 && body[0] === '0') mag = BigInt('0o' + body.slice(1));
  else mag = BigInt(body);
  let v = neg ? -mag : mag;
  let ok: 'ok' | 'partial' | 'range' = m[0].length === s.length ? 'ok' : 'partial';
  if (unsigned) {
    if (mag > UINT_MAX) {
      v = UINT_MAX;
      ok = 'range';
    } else if (neg) v = BigInt.asUintN(64, v);
  } else if (v > INT_MAX) {
    v = INT_MAX;
    ok = 'range';
  } else if (v < INT_MIN) {
    v = INT_MIN;
    ok = 'range';
  }
  return { v, ok };
}

/**
 * strtod (dash) or strtold (coreutils) on an argument: the value and how the
 * conversion went. An empty argument is 0 without complaint, as for integers. With
 * both ERANGE and text left over, dash reports the leftover, coreutils the range.
 */
function parseFloatArg(s: string, flavor: PrintfFlavor): { v: CFloat; ok: 'ok' | 'none' | 'partial' | 'range' } {
  const format = flavor === 'dash' ? DOUBLE : LONG_DOUBLE;
  if (s[0] === "'" || s[0] === '"') return { v: fromNumber(s.length > 1 ? s.charCodeAt(1) : 0, format), ok: 'ok' };
  if (s === '') return { v: zeroOf(format), ok: 'ok' };
  const r = scanCFloat(s, format);
  if (r === null) return { v: zeroOf(format), ok: 'none' };
  const partial = r.length < s.length;
  if (r.range && (flavor === 'coreutils' || !partial)) return { v: r.value, ok: 'range' };
  return { v: r.value, ok: partial ? 'partial' : 'ok' };
}

interface Spec {
  flags: string;
  width: number | null;
  prec: number | null;
}

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width ?? 0;
  if (s.length >= w) return s;
  if (spec.flags.includes('-')) return s + ' '.repeat(w - s.length);
  if (numeric && spec.flags.includes('0')) {
    const m = /^([+ -]|0[xX])?/.exec(s)!;
    const head = m[0];
    return head + '0'.repeat(w - s.length) + s.slice(head.length);
  }
  return ' '.repeat(w - s.length) + s;
}

function formatInt(v: bigint, conv: string, spec: Spec): string {
  let digits: string;
  let neg = false;
  if (conv === 'd' || conv === 'i') {
    neg = v < 0n;
    digits = (neg ? -v : v).toString();
  } else {
    const u = BigInt.asUintN(64, v);
    digits = u.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
    if (conv === 'X') digits = digits.toUpperCase();
  }
  if (spec.prec !== null) {
    if (spec.prec === 0 && v === 0n) digits = '';
    digits = digits.padStart(spec.prec, '0');
  }
  let prefix = '';
  if (conv === 'd' || conv === 'i') prefix = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  else if (spec.flags.includes('#')) {
    if (conv === 'o' && digits[0] !== '0') digits = '0' + digits;
    if ((conv === 'x' || conv === 'X') && v !== 0n) prefix = conv === 'x' ? '0x' : '0X';
  }
  const s = prefix + digits;
  return pad(s, spec.prec !== null ? { ...spec, flags: spec.flags.replace('0', '') } : spec, true);
}

/** coreutils %q: shell-quotes a string the way `ls --quoting-style=shell-escape` does, simplified. */
function shellQuote(s: string): string {
  if (s === '') return "''";
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return "'" + s.replace(/'/g, "'\\''") + "'";
}

/** Formats `format` with `args` as printf(1) does. */
export function printfFormat(format: string, args: readonly string[], flavor: PrintfFlavor): PrintfResult {
  const res: PrintfResult = { out: '', errors: [], status: 0 };
  let ai = 0;
  const next = (): string | undefined => (ai < args.length ? args[ai++] : undefined);
  const intArg = (unsigned: boolean): bigint => {
    const a = next();
    if (a === undefined) return 0n;
    const r = parseInteger(a, unsigned);
    numError(a, r.ok);
    return r.v;
  };
  const numError = (a: string, ok: string): void => {
    if (ok === 'ok') return;
    res.status = 1;
    const q = flavor === 'coreutils' ? `'${a}'` : a;
    if (ok === 'none') res.errors.push(flavor === 'dash' ? `${q}: expected numeric value` : `${q}: expected a numeric value`);
    else if (ok === 'partial') res.errors.push(flavor === 'dash' ? `${q}: not completely converted` : `${q}: value not completely converted`);
    else res.errors.push(`${q}: Numerical result out of range`);
  };
  for (;;) {
    const start = ai;
    let i = 0;
    while (i < format.length) {
      const c = format[i];
      if (c === '\\') {
        let j = i + 1;
        if (isOct(format[j])) {
          let k = 0;
          while (k < 3 && isOct(format[j])) {
            j++;
            k++;
          }
        } else if (flavor === 'coreutils' && format[j] === 'x') {
          j++;
          while (j < i + 4 && isHex(format[j])) j++;
        } else if (flavor === 'coreutils' && (format[j] === 'u' || format[j] === 'U')) {
          j += format[j] === 'u' ? 5 : 9;
        } else j++;
        const e = expandEscapes(format.slice(i, j), 'format', flavor);
        res.out += e.text;
        if (e.stop) return res;
        i = j;
        continue;
      }
      if (c !== '%') {
        const j = format.slice(i).search(/[%\\]/);
        const end = j < 0 ? format.length : i + j;
        res.out += format.slice(i, end);
        i = end;
        continue;
      }
      if (format[i + 1] === '%') {
        res.out += '%';
        i += 2;
        continue;
      }
      // A conversion: %[flags][width][.prec][length]conv
      const begin = i;
      i++;
      let flags = '';
      while (i < format.length && "-+ #0'".includes(format[i])) flags += format[i++];
      let width: number | null = null;
      if (format[i] === '*') {
        width = Number(intArg(false));
        if (width < 0) {
          flags += '-';
          width = -width;
        }
        i++;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        if (m) {
          width = Number(m[0]);
          i += m[0].length;
        }
      }
      let prec: number | null = null;
      if (format[i] === '.') {
        i++;
        if (format[i] === '*') {
          const p = Number(intArg(false));
          prec = p < 0 ? null : p;
          i++;
        } else {
          const m = /^\d*/.exec(format.slice(i))!;
          prec = Number(m[0] || '0');
          i += m[0].length;
        }
      }
      if (flavor === 'coreutils') while (i < format.length && 'hlLjzt'.includes(format[i])) i++;
      const conv = format[i];
      const spec: Spec = { flags, width, prec };
      if (conv === undefined || !'diouxXeEfFgGaAcsb'.includes(conv) || (conv === 'q' && flavor === 'dash')) {
        if (conv === 'q' && flavor === 'coreutils') {
          res.out += pad(shellQuote(next() ?? ''), spec, false);
          i++;
          continue;
        }
        const bad = format.slice(begin, conv === undefined ? i : i + 1);
        res.errors.push(flavor === 'dash' ? `${bad}: invalid directive` : `${bad}: invalid conversion specification`);
        res.status = 1;
        return res;
      }
      i++;
      switch (conv) {
        case 'd':
        case 'i':
          res.out += formatInt(intArg(false), conv, spec);
          break;
        case 'o':
        case 'u':
        case 'x':
        case 'X':
          res.out += formatInt(intArg(true), conv, spec);
          break;
        case 'c': {
          const a = next();
          res.out += pad(a === undefined ? '' : a === '' ? '\0' : a[0], spec, false);
          break;
        }
        case 's': {
          let a = next() ?? '';
          if (prec !== null) a = a.slice(0, prec);
          res.out += pad(a, spec, false);
          break;
        }
        case 'b': {
          const e = expandEscapes(next() ?? '', 'b', flavor);
          let a = e.text;
          if (prec !== null) a = a.slice(0, prec);
          res.out += pad(a, spec, false);
          if (e.stop) return res;
          break;
        }
        default: {
          const a = next();
          let v = zeroOf(flavor === 'dash' ? DOUBLE : LONG_DOUBLE);
          if (a !== undefined) {
            const r = parseFloatArg(a, flavor);
            numError(a, r.ok);
            v = r.v;
          }
          const floatSpec: FloatSpec = { flags, width: width ?? 0, precision: prec ?? undefined, conv: conv as FloatSpec['conv'] };
          res.out += formatFloat(v, floatSpec);
          break;
        }
      }
    }
    if (ai === start || ai >= args.length) break;
  }
  return res;
}
