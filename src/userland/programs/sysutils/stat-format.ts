/**
 * The format language of stat(1) -c/--printf (GNU coreutils 9.1), split into pieces
 * before any file is looked at. Pinned down on the real tool (LC_ALL=C):
 *
 *     %[flags][width][.precision][H|L]conv      flags: - # 0 space + '
 *
 *  - "%%" is a percent sign, and so is a '%' that ends the format; "%5%", "%.3%" and a
 *    format ending in "%5" or "%-" are invalid directives (stat stops with status 1).
 *  - H and L (major and minor device number) only go with d and r; any other character
 *    after them prints "?" and is then read as ordinary text ("%Hq" → "?q").
 *  - With --printf, backslash escapes: \a \b \e \f \n \r \t \v \" \\, \NNN (one to
 *    three octal digits, modulo 256), \xHH (one or two hex digits). Any other escaped
 *    byte is printed as is after a warning; a trailing backslash is printed after a
 *    warning.
 */

/** One piece of a stat format. */
export type FormatPiece =
  | { readonly kind: 'text'; readonly text: string }
  /** A conversion: `prefix` is "%" with flags, width and precision; `mod` is 'H', 'L' or ''. */
  | { readonly kind: 'directive'; readonly prefix: string; readonly mod: string; readonly conv: string }
  /** A warning stat prints on standard error when it reaches this point. */
  | { readonly kind: 'warning'; readonly message: string }
  /** An invalid directive (its text from '%'): stat reports it and stops. */
  | { readonly kind: 'invalid'; readonly directive: string };

const FLAGS = "-#0 +'";
const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\' };

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/** Reads one backslash escape at `at` (the character after '\'); returns what it means and where it ends. */
function readEscape(format: string, at: number): { pieces: FormatPiece[]; next: number } {
  if (at >= format.length) {
    return { pieces: [{ kind: 'warning', message: 'backslash at end of format' }, { kind: 'text', text: '\\' }], next: at };
  }
  const ch = format[at];
  const simple = SIMPLE_ESCAPES[ch];
  if (simple !== undefined) return { pieces: [{ kind: 'text', text: simple }], next: at + 1 };
  const oct = /^[0-7]{1,3}/.exec(format.slice(at, at + 3));
  if (oct) return { pieces: [{ kind: 'text', text: String.fromCharCode(parseInt(oct[0], 8) & 0xff) }], next: at + oct[0].length };
  const hex = ch === 'x' ? /^[0-9a-fA-F]{1,2}/.exec(format.slice(at + 1, at + 3)) : null;
  if (hex) return { pieces: [{ kind: 'text', text: String.fromCharCode(parseInt(hex[0], 16)) }], next: at + 1 + hex[0].length };
  return { pieces: [{ kind: 'warning', message: `unrecognized escape '\\${ch}'` }, { kind: 'text', text: ch }], next: at + 1 };
}

/**
 * Reads a directive whose '%' is at `at`. Returns its pieces and where reading goes on;
 * an invalid directive ends the format.
 */
function readDirective(format: string, at: number): { pieces: FormatPiece[]; next: number } {
  let j = at + 1;
  while (j < format.length && FLAGS.includes(format[j])) j++;
  while (isDigit(format[j])) j++;
  if (format[j] === '.') {
    j++;
    while (isDigit(format[j])) j++;
  }
  const bare = j === at + 1;
  if (j >= format.length) {
    if (bare) return { pieces: [{ kind: 'text', text: '%' }], next: j };
    return { pieces: [{ kind: 'invalid', directive: format.slice(at, j) }], next: format.length };
  }
  const prefix = format.slice(at, j);
  const ch = format[j];
  if (ch === '%') {
    if (bare) return { pieces: [{ kind: 'text', text: '%' }], next: j + 1 };
    return { pieces: [{ kind: 'invalid', directive: format.slice(at, j + 1) }], next: format.length };
  }
  if (ch === 'H' || ch === 'L') {
    const conv = format[j + 1];
    if (conv === 'd' || conv === 'r') return { pieces: [{ kind: 'directive', prefix, mod: ch, conv }], next: j + 2 };
    return { pieces: [{ kind: 'text', text: '?' }], next: j + 1 };
  }
  return { pieces: [{ kind: 'directive', prefix, mod: '', conv: ch }], next: j + 1 };
}

/** Splits a stat format into pieces; `escapes` is true for --printf. */
export function parseStatFormat(format: string, escapes: boolean): FormatPiece[] {
  const pieces: FormatPiece[] = [];
  let text = '';
  const flushText = (): void => {
    if (text !== '') pieces.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < format.length) {
    const ch = format[i];
    if (ch !== '%' && !(escapes && ch === '\\')) {
      text += ch;
      i++;
      continue;
    }
    const r = ch === '%' ? readDirective(format, i) : readEscape(format, i + 1);
    for (const p of r.pieces) {
      if (p.kind === 'text') text += p.text;
      else {
        flushText();
        pieces.push(p);
      }
    }
    i = r.next;
  }
  flushText();
  return pieces;
}
