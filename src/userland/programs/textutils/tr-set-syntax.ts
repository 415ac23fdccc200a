/**
 * The notation of tr(1)'s STRING1 and STRING2 (coreutils 9.1, C locale), read in two
 * passes:
 *
 *     "a-c[:digit:]\n[x*3]"
 *        │ 1. backslash escapes ─▶ units: a - c [ : d … ] \n(escaped) [ x * 3 ]
 *        │ 2. constructs        ─▶ elements: range(a,c) class(digit) char(\n) repeat(x,3)
 *
 * An escaped unit is never special: `\-` is a hyphen, `\[` a bracket. Constructs are
 * `[:class:]`, `[=c=]`, `[c*n]` / `[c*]` (n octal when it starts with 0), and `m-n`
 * ranges; a `[` that starts none of them is an ordinary character.
 */
import { quote } from '../../lib/gnu-quote.js';

/** One character of a string after its escapes: its byte and whether a backslash made it. */
export interface Unit {
  readonly code: number;
  readonly escaped: boolean;
}

/** A parsed piece of a string. */
export type SetElement =
  | { readonly kind: 'char'; readonly code: number }
  | { readonly kind: 'range'; readonly from: number; readonly to: number }
  | { readonly kind: 'class'; readonly name: ClassName }
  | { readonly kind: 'equiv'; readonly code: number }
  /** `[c*n]`; count null for `[c*]` and `[c*0]` (fill up to STRING1's length). */
  | { readonly kind: 'repeat'; readonly code: number; readonly count: number | null };

export const CLASS_NAMES = ['alnum', 'alpha', 'blank', 'cntrl', 'digit', 'graph', 'lower', 'print', 'punct', 'space', 'upper', 'xdigit'] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

/** A usage error in a string, with tr's message text (without the "tr: " prefix). */
export class TrSyntaxError {
  constructor(readonly message: string) {}
}

const LETTER_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

/**
 * Pass 1: backslash escapes. `\NNN` takes up to three octal digits, but only two when
 * three would exceed 0377 (with a warning, as GNU does); a backslash at the end stands
 * for itself (with a warning). Warnings are appended to `warnings`.
 */
export function unescape(s: string, warnings: string[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\') {
      units.push({ code: s.charCodeAt(i) & 0xff, escaped: false });
      continue;
    }
    if (i + 1 >= s.length) {
      warnings.push('warning: an unescaped backslash at end of string is not portable');
      units.push({ code: 0x5c, escaped: false });
      continue;
    }
    const d = s[++i];
    if (d >= '0' && d <= '7') {
      let j = i;
      while (j < s.length && j - i < 3 && s[j] >= '0' && s[j] <= '7') j++;
      let digits = s.slice(i, j);
      if (digits.length === 3 && parseInt(digits, 8) > 0o377) {
        warnings.push(
          `warning: the ambiguous octal escape \\${digits} is being\n\tinterpreted as the 2-byte sequence \\0${digits.slice(0, 2)}, ${digits[2]}`,
        );
        digits = digits.slice(0, 2);
      }
      units.push({ code: parseInt(digits, 8), escaped: true });
      i += digits.length - 1;
      continue;
    }
    units.push({ code: LETTER_ESCAPES[d] ?? s.charCodeAt(i) & 0xff, escaped: true });
  }
  return units;
}

const text = (units: readonly Unit[]): string => units.map((u) => String.fromCharCode(u.code)).join('');
const isPlain = (u: Unit | undefined, ch: string): boolean => u !== undefined && !u.escaped && u.code === ch.charCodeAt(0);

/** Index of the first unescaped `close` + `]` at or after `from`, or -1. */
function findClosing(units: readonly Unit[], from: number, close: string): number {
  for (let k = from; k + 1 < units.length; k++) if (isPlain(units[k], close) && isPlain(units[k + 1], ']')) return k;
  return -1;
}

/** How a range endpoint is shown in an error: printable as itself (backslash doubled), else octal. */
function showEndpoint(code: number): string {
  if (code === 0x5c) return '\\\\';
  if (code >= 0x20 && code < 0x7f) return String.fromCharCode(code);
  return '\\' + code.toString(8).padStart(3, '0');
}

/** Pass 2: constructs. Throws TrSyntaxError. */
export function parseElements(units: readonly Unit[]): SetElement[] {
  const out: SetElement[] = [];
  let i = 0;
  while (i < units.length) {
    if (isPlain(units[i], '[')) {
      const construct = bracketConstruct(units, i);
      if (construct) {
        out.push(construct.element);
        i = construct.next;
        continue;
      }
    }
    const first = units[i].code;
    if (isPlain(units[i + 1], '-') && i + 2 < units.length) {
      const last = units[i + 2].code;
      if (last < first) {
        throw new TrSyntaxError(`range-endpoints of '${showEndpoint(first)}-${showEndpoint(last)}' are in reverse collating sequence order`);
      }
      out.push({ kind: 'range', from: first, to: last });
      i += 3;
      continue;
    }
    out.push({ kind: 'char', code: first });
    i++;
  }
  return out;
}

/** The `[:class:]`, `[=c=]` or `[c*n]` starting at `units[at]` (a `[`), or null if none does. */
function bracketConstruct(units: readonly Unit[], at: number): { element: SetElement; next: number } | null {
  const second = units[at + 1];
  if (isPlain(second, ':') || isPlain(second, '=')) {
    const delim = second.code === 0x3a ? ':' : '=';
    const close = findClosing(units, at + 2, delim);
    if (close >= 0) {
      const inner = units.slice(at + 2, close);
      const whole = text(units.slice(at, close + 2));
      if (delim === ':') {
        if (inner.length === 0) throw new TrSyntaxError(`missing character class name ${quote(whole)}`);
        const name = text(inner);
        if (!(CLASS_NAMES as readonly string[]).includes(name)) throw new TrSyntaxError(`invalid character class ${quote(name)}`);
        return { element: { kind: 'class', name: name as ClassName }, next: close + 2 };
      }
      if (inner.length === 0) throw new TrSyntaxError(`missing equivalence class character ${quote(whole)}`);
      if (inner.length > 1) throw new TrSyntaxError(`${text(inner)}: equivalence class operand must be a single character`);
      return { element: { kind: 'equiv', code: inner[0].code }, next: close + 2 };
    }
  }
  if (second === undefined || !isPlain(units[at + 2], '*')) return null;
  // [c*n]: the count runs to the next unescaped `]`; an escaped unit first means no construct.
  let k = at + 3;
  while (k < units.length && !units[k].escaped && !isPlain(units[k], ']')) k++;
  if (k >= units.length || !isPlain(units[k], ']')) return null;
  const digits = text(units.slice(at + 3, k));
  let count: number | null = null;
  if (digits !== '') {
    const octal = digits[0] === '0';
    const valid = octal ? /^[0-7]+$/.test(digits) : /^[0-9]+$/.test(digits);
    const value = valid ? parseInt(digits, octal ? 8 : 10) : NaN;
    if (!valid || !Number.isSafeInteger(value)) throw new TrSyntaxError(`invalid repeat count ${quote(digits)} in [c*n] construct`);
    count = value === 0 ? null : value;
  }
  return { element: { kind: 'repeat', code: second.code, count }, next: k + 1 };
}
