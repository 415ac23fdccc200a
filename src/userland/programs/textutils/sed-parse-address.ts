/**
 * The addresses in front of a sed command (sed(1) "Addresses"): `N`, `$`, `/RE/` and
 * `\cREc` with the I and M flags, GNU's `first~step`, and after a comma also `+N` and
 * `~N`. Blanks may surround the comma. --posix refuses the GNU forms.
 */
import { END, type ScriptCursor } from './sed-script-cursor.js';
import { readDelimited, readNumber } from './sed-script-args.js';
import { compilePattern } from './sed-regex.js';
import type { LineTest, ScriptOptions, Selection } from './sed-program.js';

/**
 * Reads the addresses at the cursor. Null when the command has none (the cursor has
 * not moved); otherwise the selection, `negate` still false (the caller reads `!`).
 */
export function parseSelection(cur: ScriptCursor, opts: ScriptOptions): Selection | null {
  const from = parseFirstAddress(cur, opts);
  if (from === null) return null;
  cur.skipBlanks();
  let to: LineTest | null = null;
  if (cur.peek() === ',') {
    cur.next();
    cur.skipBlanks();
    to = parseSecondAddress(cur, opts);
    if (to === null) throw cur.error("unexpected `,'");
  }
  return { from, to, negate: false, inside: false, closeAtLine: 0 };
}

function parseFirstAddress(cur: ScriptCursor, opts: ScriptOptions): LineTest | null {
  const c = cur.peek();
  if ((c === '+' || c === '~') && !opts.posix) {
    cur.next();
    readNumber(cur);
    throw cur.error('invalid usage of +N or ~N as first address');
  }
  return parseCommonAddress(cur, opts);
}

/** After the comma: the common forms, `+N` and `~N`. The offending character counts in an error's position. */
function parseSecondAddress(cur: ScriptCursor, opts: ScriptOptions): LineTest | null {
  const c = cur.next();
  if (c === END) return null;
  if ((c === '+' || c === '~') && !opts.posix) {
    const n = readNumber(cur) ?? 0;
    return c === '+' ? { kind: 'followedBy', count: n } : { kind: 'untilMultiple', of: n };
  }
  cur.back();
  const addr = parseCommonAddress(cur, opts);
  if (addr === null) cur.next();
  return addr;
}

/** `N`, `first~step`, `$`, `/RE/flags`, `\cREcflags`; null if none starts here (nothing consumed). */
function parseCommonAddress(cur: ScriptCursor, opts: ScriptOptions): LineTest | null {
  const c = cur.peek();
  if (c >= '0' && c <= '9' && c !== END) {
    const n = readNumber(cur)!;
    if (cur.peek() === '~' && !opts.posix) {
      cur.next();
      const step = readNumber(cur) ?? 0;
      return { kind: 'every', first: n, step };
    }
    return { kind: 'line', line: n };
  }
  if (c === '$') {
    cur.next();
    return { kind: 'last' };
  }
  if (c === '/' || c === '\\') {
    cur.next();
    const delim = c === '/' ? '/' : cur.next();
    if (delim === END || delim === '\n') throw cur.error('unterminated address regex');
    const part = readDelimited(cur, delim, true);
    if (part === null) throw cur.error('unterminated address regex');
    let icase = false;
    let multiline = false;
    while (!opts.posix && (cur.peek() === 'I' || cur.peek() === 'M')) {
      if (cur.next() === 'I') icase = true;
      else multiline = true;
    }
    return { kind: 'pattern', pattern: compilePattern(part.text, { extended: opts.extended, posix: opts.posix, icase, multiline }, cur) };
  }
  return null;
}

/** Whether `t` is a plain line number 0 (also `0~0`), which only `0,/re/` and `0r` accept. */
export function isLineZero(t: LineTest | null): boolean {
  if (t === null) return false;
  return (t.kind === 'line' && t.line === 0) || (t.kind === 'every' && t.first === 0 && t.step === 0);
}
