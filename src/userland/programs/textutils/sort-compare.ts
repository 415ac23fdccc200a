/**
 * The comparison rules of GNU sort 9.1 in the C locale: -k keys, the ordering options
 * (-b -d -f -i -n -g -h -M -V -R -r) and the last-resort whole-line byte comparison.
 * Data is bytes: the C locale collates by byte value (memcmp). Where a key lies in a
 * line is sort-key-span.ts; -V's order is sort-version.ts.
 */
import { LONG_DOUBLE, compareFloats, scanCFloat, type CFloat } from '../../lib/format-float.js';
import { versionCompare } from './sort-version.js';

export { keySpan } from './sort-key-span.js';

/** One -k key (or the global options when no key is given); fields and characters are 0-based. */
export interface SortKey {
  /** Start field (0-based), or -1 for the start of the line. */
  startField: number;
  /** Characters to skip in the start field. */
  startChar: number;
  /** End field (0-based), or -1 for the end of the line. */
  endField: number;
  /** Characters of the end field to include (0: the whole field). */
  endChar: number;
  startBlanks: boolean;
  endBlanks: boolean;
  ignore: 'dictionary' | 'nonprinting' | null;
  fold: boolean;
  numeric: boolean;
  generalNumeric: boolean;
  humanNumeric: boolean;
  month: boolean;
  version: boolean;
  random: boolean;
  reverse: boolean;
}

export function newKey(): SortKey {
  return {
    startField: -1,
    startChar: 0,
    endField: -1,
    endChar: 0,
    startBlanks: false,
    endBlanks: false,
    ignore: null,
    fold: false,
    numeric: false,
    generalNumeric: false,
    humanNumeric: false,
    month: false,
    version: false,
    random: false,
    reverse: false,
  };
}

/** Whether a key compares as plain text (no ordering option but -r). */
export function isDefaultKey(k: SortKey): boolean {
  return !(k.ignore || k.fold || k.startBlanks || k.endBlanks || k.numeric || k.generalNumeric || k.humanNumeric || k.month || k.version || k.random);
}

/** The option letters of a key, in the order sort --debug lists them ("hn"). */
export function keyOptionLetters(k: SortKey): string {
  let o = '';
  if (k.startBlanks || k.endBlanks) o += 'b';
  if (k.ignore === 'dictionary') o += 'd';
  if (k.fold) o += 'f';
  if (k.generalNumeric) o += 'g';
  if (k.humanNumeric) o += 'h';
  if (k.ignore === 'nonprinting') o += 'i';
  if (k.month) o += 'M';
  if (k.numeric) o += 'n';
  if (k.random) o += 'R';
  if (k.reverse) o += 'r';
  if (k.version) o += 'V';
  return o;
}

/** Applies ordering letters (b d f g h i M n R r V) to `k`; returns the index of the first other character. */
export function setOrdering(s: string, from: number, k: SortKey, blanks: 'start' | 'end' | 'both'): number {
  let i = from;
  for (; i < s.length; i++) {
    switch (s[i]) {
      case 'b':
        if (blanks !== 'end') k.startBlanks = true;
        if (blanks !== 'start') k.endBlanks = true;
        break;
      case 'd':
        k.ignore = 'dictionary';
        break;
      case 'f':
        k.fold = true;
        break;
      case 'g':
        k.generalNumeric = true;
        break;
      case 'h':
        k.humanNumeric = true;
        break;
      case 'i':
        if (!k.ignore) k.ignore = 'nonprinting';
        break;
      case 'M':
        k.month = true;
        break;
      case 'n':
        k.numeric = true;
        break;
      case 'R':
        k.random = true;
        break;
      case 'r':
        k.reverse = true;
        break;
      case 'V':
        k.version = true;
        break;
      default:
        return i;
    }
  }
  return i;
}

/** sort's blanks: space, tab and newline (isblank plus '\n'). */
function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** -n without thousands separators (C locale): compares the leading decimal numbers of a and b. */
export function numCompare(a: string, b: string): number {
  const pa = leadingNumber(a);
  const pb = leadingNumber(b);
  if (pa.sign !== pb.sign) return pa.sign - pb.sign;
  if (pa.sign === 0) return 0;
  let d: number;
  if (pa.int.length !== pb.int.length) d = pa.int.length - pb.int.length;
  else d = pa.int < pb.int ? -1 : pa.int > pb.int ? 1 : pa.frac < pb.frac ? -1 : pa.frac > pb.frac ? 1 : 0;
  return pa.sign * d;
}

function leadingNumber(s: string): { sign: number; int: string; frac: string } {
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  let neg = false;
  if (s[i] === '-') {
    neg = true;
    i++;
  }
  let j = i;
  while (j < s.length && isDigit(s.charCodeAt(j))) j++;
  let int = s.slice(i, j);
  let frac = '';
  if (s[j] === '.') {
    let k = j + 1;
    while (k < s.length && isDigit(s.charCodeAt(k))) k++;
    frac = s.slice(j + 1, k);
  }
  let z = 0;
  while (z < int.length && int[z] === '0') z++;
  int = int.slice(z);
  let e = frac.length;
  while (e > 0 && frac[e - 1] === '0') e--;
  frac = frac.slice(0, e);
  const zero = int === '' && frac === '';
  return { sign: zero ? 0 : neg ? -1 : 1, int, frac };
}

/** Units of -h: none < K (or k) < M < G < T < P < E < Z < Y. */
const UNIT_ORDER: Record<string, number> = { K: 1, k: 1, M: 2, G: 3, T: 4, P: 5, E: 6, Z: 7, Y: 8 };

function unitOrder(s: string): number {
  let i = 0;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  const neg = s[i] === '-';
  if (neg) i++;
  const m = /^(\d*)(?:\.(\d*))?/.exec(s.slice(i))!;
  const digits = m[1] + (m[2] ?? '');
  if (!/[1-9]/.test(digits)) return 0;
  const after = i + m[0].length;
  const order = UNIT_ORDER[s[after]] ?? 0;
  return neg ? -order : order;
}

export function humanCompare(a: string, b: string): number {
  const d = unitOrder(a) - unitOrder(b);
  return d || numCompare(a, b);
}

/** Parsed -g keys: a sort compares each key about log2(n) times, and parsing is exact (BigInt), so it is done once. */
const parsedKeys = new Map<string, CFloat | null>();
const PARSED_KEYS_MAX = 1 << 16;

/** strtold's longest numeric prefix (leading blanks skipped): the value, or null when there is none. */
function strtoldPrefix(s: string): CFloat | null {
  let v = parsedKeys.get(s);
  if (v === undefined) {
    if (parsedKeys.size >= PARSED_KEYS_MAX) parsedKeys.clear();
    v = scanCFloat(s, LONG_DOUBLE)?.value ?? null;
    parsedKeys.set(s, v);
  }
  return v;
}

/**
 * Orders two NaNs as GNU sort does: by the bytes of the 16-byte little-endian long
 * double (memcmp) — the significand's low byte first, then the sign. "nan" and
 * "nan(0)" tie; "nan" sorts before "-nan" and before "nan(1)".
 */
function nanCompare(a: CFloat & { kind: 'nan' }, b: CFloat & { kind: 'nan' }): number {
  const quiet = 0xc000000000000000n;
  const ma = quiet | a.payload;
  const mb = quiet | b.payload;
  for (let byte = 0n; byte < 64n; byte += 8n) {
    const d = Number((ma >> byte) & 0xffn) - Number((mb >> byte) & 0xffn);
    if (d !== 0) return Math.sign(d);
  }
  return Number(a.negative) - Number(b.negative);
}

/** -g: no number < NaN < -inf < … < inf, compared as long doubles (strtold). */
export function generalNumCompare(a: string, b: string): number {
  const x = strtoldPrefix(a);
  const y = strtoldPrefix(b);
  if (x === null) return y === null ? 0 : -1;
  if (y === null) return 1;
  if (x.kind === 'nan' || y.kind === 'nan') {
    if (x.kind === 'nan' && y.kind === 'nan') return nanCompare(x, y);
    return x.kind === 'nan' ? -1 : 1;
  }
  return compareFloats(x, y);
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

/** 1–12 for a (blank-prefixed, case-insensitive) month abbreviation, else 0. */
export function monthOf(s: string): number {
  const t = s.replace(/^[ \t\n]+/, '').slice(0, 3).toUpperCase();
  return MONTHS.indexOf(t) + 1;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A key's text after -d/-i removal and -f folding (done once per line, before comparing). */
export function transformKey(s: string, k: SortKey): string {
  if (!k.ignore && !k.fold) return s;
  let o = '';
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (k.ignore === 'dictionary' && !isBlank(c) && !isAlnum(c)) continue;
    if (k.ignore === 'nonprinting' && !(c >= 0x20 && c < 0x7f)) continue;
    if (k.fold && c >= 0x61 && c <= 0x7a) c -= 32;
    o += String.fromCharCode(c);
  }
  return o;
}

/** Compares two keys (already transformed) under one key's rules, before -r. `hash` gives -R's per-key hash. */
export function compareKeyText(ta: string, tb: string, k: SortKey, hash: (s: string) => string): number {
  if (k.numeric) return numCompare(ta, tb);
  if (k.generalNumeric) return generalNumCompare(ta, tb);
  if (k.humanNumeric) return humanCompare(ta, tb);
  if (k.month) return monthOf(ta) - monthOf(tb);
  if (k.version) return versionCompare(ta, tb);
  if (k.random) {
    const d = byteCompare(hash(ta), hash(tb));
    return d || byteCompare(ta, tb);
  }
  return byteCompare(ta, tb);
}
