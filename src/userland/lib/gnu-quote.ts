/**
 * How GNU tools quote names and values in messages (gnulib quotearg.c), in the C
 * locale a ctsim system runs in (LANG unset):
 *
 *  - `quote()`: locale_quoting_style — 'value' with C escapes inside (`'a\'b'`, `'a\tb'`);
 *    used for option values ("invalid number of lines: 'x'").
 *  - `quoteShell()`: shell_escape_quoting_style — bare when safe, else shell-quoted
 *    (`'a b'`, `"it's"`, `'tab'$'\t''x'`); used for file names ("wc: 'a b': …").
 *  - `quoteShellAlways()`: the same, always quoted ("cannot open 'f' for reading").
 *
 * Bytes are characters of a latin1 string; in the C locale every byte at or above
 * 0x80 is unprintable and shown in octal.
 */

const C_ESCAPES: Record<string, string> = {
  '\x07': 'a',
  '\b': 'b',
  '\f': 'f',
  '\n': 'n',
  '\r': 'r',
  '\t': 't',
  '\v': 'v',
};

function isPrintable(c: number): boolean {
  return c >= 0x20 && c < 0x7f;
}

function octal(c: number): string {
  return '\\' + c.toString(8).padStart(3, '0');
}

/** The C escape of an unprintable byte (\t, \n, or octal \ooo). */
function cEscape(ch: string): string {
  const e = C_ESCAPES[ch];
  return e ? '\\' + e : octal(ch.charCodeAt(0) & 0xff);
}

/** gnulib quote() in the C locale: 'text' with backslash escapes. */
export function quote(s: string): string {
  let o = "'";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '\\' || ch === "'") o += '\\' + ch;
    else if (isPrintable(c)) o += ch;
    else o += cEscape(ch);
  }
  return o + "'";
}

/** Characters that make the shell style quote a string (anywhere in it). */
const SHELL_SPECIAL = new Set(' !"$&\'()*;<=>?[\\^`|'.split(''));

function needsShellQuoting(s: string): boolean {
  if (s === '') return true;
  if (s[0] === '#' || s[0] === '~') return true;
  if (s === '{' || s === '}') return true;
  for (const ch of s) {
    if (SHELL_SPECIAL.has(ch) || !isPrintable(ch.charCodeAt(0))) return true;
  }
  return false;
}

/** gnulib's shell_escape_always quoting: always quoted, in a form a shell reads back. */
export function quoteShellAlways(s: string): string {
  let printable = true;
  for (const ch of s) if (!isPrintable(ch.charCodeAt(0))) printable = false;
  // A single quote and nothing a double-quoted shell string would expand: "it's".
  if (printable && s.includes("'") && !/["$`\\!]/.test(s)) return `"${s}"`;
  let o = "'";
  let dollar = false;
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (isPrintable(c)) {
      if (dollar) {
        o += "''";
        dollar = false;
      }
      o += ch === "'" ? "'\\''" : ch;
    } else {
      if (!dollar) {
        o += "'$'";
        dollar = true;
      }
      o += cEscape(ch);
    }
  }
  return o + "'";
}

/** gnulib's shell_escape quoting: the bare string when the shell would read it unchanged. */
export function quoteShell(s: string): string {
  return needsShellQuoting(s) ? quoteShellAlways(s) : s;
}
