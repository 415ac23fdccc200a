/**
 * sed's regular expressions on top of lib/posix-regex.ts: a pattern's byte escapes
 * are decoded first (so `\n` is a newline and `\x5e` an anchor), then it is compiled
 * as a BRE or ERE in glibc's strictness ("sed" dialect), where `.` and `[^…]` match a
 * newline unless the M flag asks for multi-line mode.
 *
 * Simplification: in multi-line mode `^`/`$` also match around a carriage return
 * (the JavaScript engine's line terminators), and under -z they still look for
 * newlines, not NULs.
 */
import { compilePosixRegex, RegexSyntaxError } from '../../lib/posix-regex.js';
import { EXIT_PANIC, SedError, type SedPattern } from './sed-program.js';
import { decodeRegexEscapes, RECURSIVE_ESCAPE } from './sed-script-args.js';
import type { ScriptCursor } from './sed-script-cursor.js';

/** How a pattern is compiled: -E, and the I and M flags. */
export interface PatternFlags {
  extended: boolean;
  /** --posix: GNU's regex operators (`\+ \? \| \w \b \< …`) are ordinary characters. */
  posix?: boolean;
  icase: boolean;
  multiline: boolean;
}

/**
 * Compiles the text of a delimited regex. An empty text is `//` (null), which takes no
 * flags. Errors are compile errors at the cursor; those GNU's dfa.c reports itself
 * (`[:space:]` for `[[:space:]]`) end sed with status 4 and no position.
 */
export function compilePattern(text: string, flags: PatternFlags, cur: ScriptCursor): SedPattern | null {
  if (text === '') {
    if (flags.icase || flags.multiline) throw cur.error('cannot specify modifiers on empty regexp');
    return null;
  }
  let source: string;
  try {
    source = decodeRegexEscapes(text);
  } catch (e) {
    if (e instanceof Error && e.message === RECURSIVE_ESCAPE) throw cur.error(RECURSIVE_ESCAPE);
    throw e;
  }
  if (flags.posix) source = withoutGnuOperators(source, flags.extended);
  const compiled = compilePosixRegex(source, {
    extended: flags.extended,
    icase: flags.icase,
    dialect: 'sed',
    newlineSensitive: flags.multiline,
    multiline: flags.multiline,
  });
  if (compiled instanceof RegexSyntaxError) {
    if (compiled.fromDfa) throw new SedError(compiled.message, EXIT_PANIC);
    throw cur.error(compiled.message);
  }
  return { regex: compiled.regex, groups: compiled.regex.groups };
}

/** Backslash sequences GNU regex treats as operators and --posix as ordinary characters. */
const GNU_OPERATORS = new Set(['w', 'W', 's', 'S', 'b', 'B', '<', '>', '`', "'"]);
const GNU_BRE_OPERATORS = new Set(['+', '?', '|']);

/** The pattern with GNU's extension operators turned into the characters they escape (outside brackets). */
function withoutGnuOperators(text: string, extended: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') {
      // Copy a bracket expression as it is: backslashes inside are ordinary.
      let j = i + 1;
      if (text[j] === '^') j++;
      if (text[j] === ']') j++;
      while (j < text.length && text[j] !== ']') {
        if (text[j] === '[' && ':.='.includes(text[j + 1] ?? ' ')) {
          const close = text.indexOf(text[j + 1] + ']', j + 2);
          j = close < 0 ? text.length : close + 2;
        } else j++;
      }
      out += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '\\' && i + 1 < text.length) {
      const d = text[++i];
      out += GNU_OPERATORS.has(d) || (!extended && GNU_BRE_OPERATORS.has(d)) ? d : c + d;
      continue;
    }
    out += c;
  }
  return out;
}
