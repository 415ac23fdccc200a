/**
 * The arguments of sed commands, as GNU sed 4.9 reads them: delimited parts
 * (`s/RE/REPL/`, `y/SRC/DST/`, `/RE/`), the escapes that stand for bytes (`\n \t \a
 * \f \v \r \cX \dNNN \oNNN \xHH`), replacements with `& \1 \U \l …`, labels, file
 * names and numbers.
 *
 * A delimited part ends at the first unescaped delimiter; inside a regex bracket
 * expression (`[/]`, `[[:alpha:]/]`) the delimiter is an ordinary character, and an
 * unescaped newline ends the command early ("unterminated"). `\DELIM` stands for the
 * delimiter character itself: a regex sees it bare (so `s.a\.b.X.` matches "axb"),
 * a replacement takes it literally.
 *
 * Byte escapes produce raw characters: in a regex `\x5e` is an anchor, in a
 * replacement `\x26` is a literal `&` (both as GNU sed does).
 */
import { END, type ScriptCursor, isBlank } from './sed-script-cursor.js';
import type { ReplacementPart } from './sed-program.js';

/** A delimited part: its text, with `\DELIM` already turned into DELIM. */
export interface DelimitedText {
  readonly text: string;
  /** Offsets in `text` of delimiters that were escaped (a replacement keeps them literal). */
  readonly escapedDelimiters: ReadonlySet<number>;
}

/**
 * Reads up to the next unescaped `delim` (consumed). Null when the piece ends first or
 * a newline does (the newline is given back, so it is not counted in the position).
 */
export function readDelimited(cur: ScriptCursor, delim: string, isRegex: boolean): DelimitedText | null {
  let text = '';
  const escaped = new Set<number>();
  for (;;) {
    const c = cur.next();
    if (c === END) return null;
    if (c === '\n') {
      cur.back();
      return null;
    }
    if (c === '\\') {
      const d = cur.next();
      if (d === END) return null;
      if (d === delim) {
        escaped.add(text.length);
        text += d;
      } else if (d === '\n') {
        text += '\n';
      } else {
        text += '\\' + d;
      }
      continue;
    }
    if (c === delim) return { text, escapedDelimiters: escaped };
    if (c === '[' && isRegex) {
      const bracket = readBracket(cur);
      if (bracket === null) return null;
      text += '[' + bracket;
      continue;
    }
    text += c;
  }
}

/** The rest of a bracket expression after its `[`, through its `]`; null if the piece or line ends first. */
function readBracket(cur: ScriptCursor): string | null {
  let text = '';
  const take = (): string | null => {
    const c = cur.next();
    if (c === END) return null;
    if (c === '\n') {
      cur.back();
      return null;
    }
    text += c;
    return c;
  };
  if (cur.peek() === '^') take();
  if (cur.peek() === ']') take();
  for (;;) {
    const c = take();
    if (c === null) return null;
    if (c === ']') return text;
    if (c === '[' && (cur.peek() === ':' || cur.peek() === '.' || cur.peek() === '=')) {
      const kind = take()!;
      // A class, collating symbol or equivalence class runs to its closing `:]`, `.]`, `=]`.
      for (;;) {
        const d = take();
        if (d === null) return null;
        if (d === kind && cur.peek() === ']') {
          take();
          break;
        }
      }
    }
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** Why a byte escape could not be decoded. */
export const RECURSIVE_ESCAPE = 'recursive escaping after \\c not allowed';

/**
 * The byte escape starting at `text[i]` (just after a backslash): the character it
 * stands for and how many characters it spans, or null if `text[i]` does not start one
 * (`\d` with no digits, `\q`). Throws RECURSIVE_ESCAPE for `\c\X` other than `\c\\`.
 */
export function byteEscapeAt(text: string, i: number): { char: string; length: number } | null {
  const c = text[i];
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { char: simple, length: 1 };
  if (c === 'c') {
    if (i + 1 >= text.length) return { char: '\\', length: 1 };
    let x = text[i + 1];
    let length = 2;
    if (x === '\\') {
      if (text[i + 2] !== '\\') throw new Error(RECURSIVE_ESCAPE);
      length = 3;
    }
    if (x >= 'a' && x <= 'z') x = x.toUpperCase();
    return { char: String.fromCharCode((x.charCodeAt(0) ^ 0x40) & 0xff), length };
  }
  const radix = c === 'd' ? 10 : c === 'o' ? 8 : c === 'x' ? 16 : 0;
  if (radix === 0) return null;
  const maxDigits = radix === 16 ? 2 : 3;
  let j = i + 1;
  while (j < text.length && j - i - 1 < maxDigits && isDigitIn(text[j], radix)) j++;
  if (j === i + 1) return null;
  return { char: String.fromCharCode(parseInt(text.slice(i + 1, j), radix) & 0xff), length: j - i };
}

function isDigitIn(c: string, radix: number): boolean {
  if (radix === 16) return /[0-9a-fA-F]/.test(c);
  return c >= '0' && c <= (radix === 8 ? '7' : '9');
}

/**
 * A regex's text with byte escapes replaced by the raw bytes, everything else (`\(`,
 * `\w`, `\.`) left for the regex parser. Throws RECURSIVE_ESCAPE.
 */
export function decodeRegexEscapes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 >= text.length) {
      out += c;
      continue;
    }
    const esc = byteEscapeAt(text, i + 1);
    if (esc) {
      out += esc.char;
      i += esc.length;
    } else {
      out += c + text[i + 1];
      i++;
    }
  }
  return out;
}

/** Why a replacement is invalid: a group number beyond what the regex has. */
export class BadReference {
  constructor(readonly index: number) {}
}

/**
 * Parses an `s` replacement. Group references are checked against `groups` (null: the
 * regex is `//`, whose groups are only known at run time). Throws RECURSIVE_ESCAPE.
 */
export function parseReplacement(part: DelimitedText, groups: number | null): ReplacementPart[] | BadReference {
  const parts: ReplacementPart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  const { text, escapedDelimiters } = part;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (escapedDelimiters.has(i)) {
      literal += c;
    } else if (c === '&') {
      flush();
      parts.push({ kind: 'group', index: 0 });
    } else if (c !== '\\' || i + 1 >= text.length) {
      literal += c;
    } else {
      const d = text[++i];
      if (d >= '0' && d <= '9') {
        const index = d.charCodeAt(0) - 48;
        if (groups !== null && index > groups) return new BadReference(index);
        flush();
        parts.push({ kind: 'group', index });
      } else if (d === 'U' || d === 'L' || d === 'E' || d === 'u' || d === 'l') {
        flush();
        parts.push({ kind: 'case', op: d });
      } else {
        const esc = byteEscapeAt(text, i);
        if (esc) {
          literal += esc.char;
          i += esc.length - 1;
        } else literal += d;
      }
    }
  }
  flush();
  return parts;
}

/**
 * The characters of one side of `y`: `\\` is a backslash, `\n` a newline, byte escapes
 * their byte, any other `\X` is X. Throws RECURSIVE_ESCAPE.
 */
export function decodeTransliteration(text: string): string[] {
  const chars: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== '\\' || i + 1 >= text.length) {
      chars.push(c);
      continue;
    }
    const esc = byteEscapeAt(text, i + 1);
    if (esc) {
      chars.push(esc.char);
      i += esc.length;
    } else {
      chars.push(text[i + 1]);
      i++;
    }
  }
  return chars;
}

/**
 * The text of `a`, `i`, `c` as stored (ending in a newline) with escapes applied:
 * `\` + newline is a newline, byte escapes are bytes, any other `\X` is X.
 */
export function decodeText(raw: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const esc = byteEscapeAt(raw, i + 1);
    if (esc) {
      out += esc.char;
      i += esc.length;
    } else {
      out += raw[i + 1];
      i++;
    }
  }
  return out;
}

/**
 * A label (of `:`, `b`, `t`, `T`, or the version of `v`): leading blanks skipped, then
 * up to a blank, newline, `;`, `#` or `}` (not consumed).
 */
export function readLabel(cur: ScriptCursor): string {
  cur.skipBlanks();
  let label = '';
  for (;;) {
    const c = cur.peek();
    if (c === END || c === '\n' || c === ';' || c === '#' || c === '}' || isBlank(c)) return label;
    label += cur.next();
  }
}

/** A file name or shell command: leading blanks skipped, then the rest of the line (its newline consumed). */
export function readToEndOfLine(cur: ScriptCursor): string {
  cur.skipBlanks();
  let s = '';
  for (;;) {
    const c = cur.next();
    if (c === END || c === '\n') return s;
    s += c;
  }
}

/** A decimal number at the cursor, or null if no digit is there. Values are exact up to 2^53. */
export function readNumber(cur: ScriptCursor): number | null {
  let digits = '';
  while (cur.peek() >= '0' && cur.peek() <= '9' && cur.peek() !== END) digits += cur.next();
  return digits === '' ? null : Number(digits);
}
