/**
 * printf(1) formatting, shared by dash's `printf` builtin (and its `echo`, whose
 * escapes are those of `%b`) and coreutils' /usr/bin/printf. POSIX XCU printf:
 * the format is reused until the arguments are used up; `%d` `%i` `%o` `%u` `%x`
 * `%X` take integers (a leading `'` or `"` gives a character's code), `%e` `%f`
 * `%g` … doubles formatted with C's exact round-half-even rules, `%s` `%c` `%b`
 * strings. The flavours differ where the programs do: coreutils knows `\x` `\u`
 * `\c` in the format, `%q` and length modifiers; dash rejects them; their error
 * messages differ ("expected numeric value" / "expected a numeric value").
 *
 * Integers are 64-bit (intmax_t / uintmax_t) and computed with BigInt.
 */

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
      if (hex.length === len && /^[0-9a-fA-F]+$/.test(hex)) {
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

function parseDouble(s: string): { v: number; ok: 'ok' | 'none' | 'partial' | 'range' } {
  if (s[0] === "'" || s[0] === '"') return { v: s.length > 1 ? s.charCodeAt(1) : 0, ok: 'ok' };
  const m = /^[ \t\n\v\f\r]*[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+|inf(?:inity)?|nan)/i.exec(s);
  if (!m) return { v: 0, ok: 'none' };
  const t = m[0].trim();
  let v = /^[+-]?0[xX]/.test(t) ? Number(BigInt(t.replace(/^[+-]/, ''))) * (t[0] === '-' ? -1 : 1) : /inf/i.test(t) ? (t[0] === '-' ? -Infinity : Infinity) : /nan/i.test(t) ? NaN : Number(t);
  let ok: 'ok' | 'partial' | 'range' = m[0].length === s.length ? 'ok' : 'partial';
  if (!Number.isFinite(v) && !/inf|nan/i.test(t)) ok = 'range';
  if (v === 0 && /[1-9]/.test(t.split(/[eE]/)[0])) {
    ok = 'range';
    v = 0;
  }
  return { v, ok };
}

/** Exact decimal rounding of a double: round(|v| × 10^p) as a BigInt, half to even. */
function scaledRound(v: number, p: number): bigint {
  const [m, e] = decompose(v);
  let num = m;
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  if (p >= 0) num *= 10n ** BigInt(p);
  else den *= 10n ** BigInt(-p);
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** |v| = m × 2^e with m an integer. */
function decompose(v: number): [bigint, number] {
  const a = Math.abs(v);
  if (a === 0) return [0n, 0];
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp === 0) return [mant, -1074];
  mant |= 1n << 52n;
  return [mant, exp - 1075];
}

function fixed(v: number, p: number): string {
  const q = scaledRound(v, p).toString();
  if (p === 0) return q;
  const padded = q.padStart(p + 1, '0');
  return padded.slice(0, padded.length - p) + '.' + padded.slice(padded.length - p);
}

/** [digits of d.ddd (p+1 digits), decimal exponent] of |v| rounded to p fractional digits in %e form. */
function expParts(v: number, p: number): [string, number] {
  if (v === 0) return ['0'.repeat(p + 1), 0];
  let x = Math.floor(Math.log10(Math.abs(v)));
  for (;;) {
    const d = scaledRound(v, p - x).toString();
    if (d.length === p + 2) {
      x++;
      continue;
    }
    if (d.length < p + 1) {
      x--;
      continue;
    }
    return [d, x];
  }
}

function expo(v: number, p: number, upper: boolean, alt: boolean): string {
  const [d, x] = expParts(v, p);
  const mant = p === 0 ? d + (alt ? '.' : '') : d[0] + '.' + d.slice(1);
  const es = `${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return mant + (upper ? 'E' : 'e') + es;
}

function general(v: number, prec: number, upper: boolean, alt: boolean): string {
  const P = prec === 0 ? 1 : prec;
  const x = v === 0 ? 0 : expParts(v, P - 1)[1];
  let s: string;
  if (P > x && x >= -4) s = fixed(v, P - 1 - x);
  else s = expo(v, P - 1, upper, alt);
  if (!alt) {
    const m = /^([^eE]*?)(\.?0*)([eE].*)?$/.exec(s);
    if (m && s.includes('.')) s = m[1] + (m[3] ?? '');
  }
  return s;
}

function hexFloat(v: number, upper: boolean): string {
  if (v === 0) return upper ? '0X0P+0' : '0x0p+0';
  const [m, e] = decompose(v);
  let mant = m;
  let exp = e;
  while (mant < 1n << 52n) {
    mant <<= 1n;
    exp--;
  }
  const frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, '0').replace(/0+$/, '');
  const s = `0x1${frac ? '.' + frac : ''}p${exp + 52 >= 0 ? '+' : ''}${exp + 52}`;
  return upper ? s.toUpperCase() : s;
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

function formatFloat(v: number, conv: string, spec: Spec): string {
  const upper = conv === conv.toUpperCase();
  let body: string;
  const p = spec.prec ?? 6;
  const alt = spec.flags.includes('#');
  if (!Number.isFinite(v)) {
    body = Number.isNaN(v) ? 'nan' : 'inf';
    if (upper) body = body.toUpperCase();
  } else if (conv === 'f' || conv === 'F') body = fixed(v, p) + (alt && p === 0 ? '.' : '');
  else if (conv === 'e' || conv === 'E') body = expo(v, p, upper, alt);
  else if (conv === 'g' || conv === 'G') body = general(v, p, upper, alt);
  else body = hexFloat(Math.abs(v), upper);
  const neg = v < 0 || Object.is(v, -0);
  const sign = neg ? '-' : spec.flags.includes('+') ? '+' : spec.flags.includes(' ') ? ' ' : '';
  return pad(sign + body, Number.isFinite(v) ? spec : { ...spec, flags: spec.flags.replace('0', '') }, true);
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
      if (conv === undefined || !'diouxXeEfFgGaAcsb'.includes(conv) || (flavor === 'dash' && (conv === 'F' || conv === 'A')) || (conv === 'q' && flavor === 'dash')) {
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
          let v = 0;
          if (a !== undefined) {
            const r = parseDouble(a);
            numError(a, r.ok);
            v = r.ok === 'range' && !Number.isFinite(r.v) ? r.v : r.v;
            if (r.ok === 'range' && Number.isNaN(v)) v = Infinity;
          }
          res.out += formatFloat(v, conv, spec);
          break;
        }
      }
    }
    if (ai === start || ai >= args.length) break;
  }
  return res;
}
