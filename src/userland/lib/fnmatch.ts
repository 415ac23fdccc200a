/**
 * Shell pattern matching and pathname expansion (POSIX XCU 2.13 "Pattern Matching
 * Notation") in the C locale, for every program that matches names: dash's
 * `case`, `${x#pat}` and globbing, grep's --include/--exclude, find's -name.
 * `*` matches any string, `?` any one byte, `[…]` a set with ranges and
 * `[:class:]` names, `[!…]` its complement (glibc's fnmatch(3) also takes `[^…]`;
 * dash's pmatch() does not, so it asks for `{ caret: false }`); `\` quotes the next
 * character; a `[` without its `]` is an ordinary character. Comparisons are
 * bytewise on byte strings.
 *
 * `glob` walks directories with getdents(2) the way dash's expmeta() does: a
 * component without pattern characters is taken as written, one with them is
 * matched against the entries of its directory (a leading `.` must be matched
 * explicitly; `.` and `..` are entries), and the results are sorted as strcmp(3)
 * sorts them.
 */
import * as sys from './sys.js';
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { O_DIRECTORY, O_RDONLY, O_CLOEXEC } from '../../kernel/vfs/types.js';

/** Matching options. */
export interface FnmatchOptions {
  /** `[^…]` negates like `[!…]` (glibc fnmatch; default true). dash: false. */
  caret?: boolean;
}

const CLASSES: Record<string, (c: number) => boolean> = {
  alnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  alpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
  blank: (c) => c === 32 || c === 9,
  cntrl: (c) => c < 32 || c === 127,
  digit: (c) => c >= 48 && c <= 57,
  graph: (c) => c > 32 && c < 127,
  lower: (c) => c >= 97 && c <= 122,
  print: (c) => c >= 32 && c < 127,
  punct: (c) => c > 32 && c < 127 && !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)),
  space: (c) => c === 32 || (c >= 9 && c <= 13),
  upper: (c) => c >= 65 && c <= 90,
  xdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
};

/**
 * Matches one byte against the bracket expression whose body starts at `i` (after
 * `[`). Returns the index after its closing `]`, -1 when the byte is not in the
 * set, or -2 when there is no closing `]` (the `[` is then an ordinary character).
 */
function matchBracket(p: string, i: number, ch: number, caret: boolean): number {
  let invert = false;
  if (p[i] === '!' || (caret && p[i] === '^')) {
    invert = true;
    i++;
  }
  let found = false;
  let c: string | undefined = p[i++];
  for (;;) {
    if (c === undefined) return -2;
    let isClass = false;
    if (c === '[' && p[i] === ':') {
      const close = p.indexOf(':]', i + 1);
      const cls = close > 0 ? CLASSES[p.slice(i + 1, close)] : undefined;
      if (cls) {
        if (cls(ch)) found = true;
        i = close + 2;
        isClass = true;
      }
    } else if (c === '\\') {
      c = p[i++];
      if (c === undefined) return -2;
    }
    if (!isClass) {
      const lo = c.charCodeAt(0);
      if (p[i] === '-' && i + 1 < p.length && p[i + 1] !== ']') {
        i++;
        if (p[i] === '\\') i++;
        const hi = p.charCodeAt(i);
        i++;
        if (ch >= lo && ch <= hi) found = true;
      } else if (ch === lo) {
        found = true;
      }
    }
    c = p[i++];
    if (c === ']') break;
  }
  return found !== invert ? i : -1;
}

function match(p: string, pi: number, s: string, si: number, caret: boolean): boolean {
  for (;;) {
    if (pi >= p.length) return si >= s.length;
    const c = p[pi];
    if (c === '*') {
      while (p[pi] === '*') pi++;
      if (pi >= p.length) return true;
      const next = p[pi];
      for (let k = si; k <= s.length; k++) {
        // Fast skip to the next possible start when the pattern continues with a plain byte.
        if (next !== '\\' && next !== '?' && next !== '[' && s[k] !== next) continue;
        if (match(p, pi, s, k, caret)) return true;
      }
      return false;
    }
    if (si >= s.length) return false;
    if (c === '?') {
      pi++;
      si++;
      continue;
    }
    if (c === '[') {
      const next = matchBracket(p, pi + 1, s.charCodeAt(si), caret);
      if (next === -1) return false;
      if (next >= 0) {
        pi = next;
        si++;
        continue;
      }
      // No closing bracket: an ordinary '['.
    } else if (c === '\\' && pi + 1 < p.length) {
      pi++;
    }
    if (p[pi] !== s[si]) return false;
    pi++;
    si++;
  }
}

/** True when byte string `s` matches shell pattern `pattern` (fnmatch(3) without flags). */
export function fnmatch(pattern: string, s: string, opts: FnmatchOptions = {}): boolean {
  return match(pattern, 0, s, 0, opts.caret ?? true);
}

/** A RegExp equivalent to `fnmatch(glob, …)` with default options (for callers that want one). */
export function globToRegExp(glob: string): RegExp {
  const esc = (ch: string): string => '\\x' + (ch.charCodeAt(0) & 0xff).toString(16).padStart(2, '0');
  const classRe: Record<string, string> = {
    alpha: 'A-Za-z', digit: '0-9', alnum: '0-9A-Za-z', upper: 'A-Z', lower: 'a-z', space: '\\t\\n\\v\\f\\r ',
    blank: '\\t ', punct: '!-\\/:-@\\[-`{-~', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f', xdigit: '0-9A-Fa-f',
  };
  let src = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') src += '[\\s\\S]*';
    else if (c === '?') src += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) src += esc(glob[++i]);
    else if (c === '[') {
      let j = i + 1;
      let neg = false;
      if (glob[j] === '!' || glob[j] === '^') {
        neg = true;
        j++;
      }
      let body = '';
      let first = true;
      let closed = false;
      for (; j < glob.length; j++) {
        const d = glob[j];
        if (d === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (d === '[' && glob[j + 1] === ':') {
          const end = glob.indexOf(':]', j + 2);
          const cls = end >= 0 ? classRe[glob.slice(j + 2, end)] : undefined;
          if (cls !== undefined) {
            body += cls;
            j = end + 1;
            continue;
          }
        }
        if (d === '\\' && j + 1 < glob.length) body += esc(glob[++j]);
        else if (d === '-' && body !== '' && glob[j + 1] !== ']' && j + 1 < glob.length) body += '-';
        else body += esc(d);
      }
      if (!closed) {
        src += esc('[');
        continue;
      }
      src += `[${neg ? '^' : ''}${body}]`;
      i = j;
    } else src += esc(c);
  }
  return new RegExp(`^${src}$`);
}

/**
 * True when the pattern has an unquoted `*` or `?`, or a `[` with its closing `]`
 * before the next `/` (dash's expmeta test: it then needs matching, not comparing).
 */
export function hasGlobChars(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '?') return true;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      let q = i + 1;
      if (pattern[q] === '!') q++;
      for (;;) {
        if (pattern[q] === '\\') q++;
        if (q >= pattern.length || pattern[q] === '/') break;
        if (pattern[++q] === ']') return true;
      }
    }
  }
  return false;
}

/** The pattern with its `\` quoting removed (what a component without pattern characters names). */
export function unescapePattern(pattern: string): string {
  if (!pattern.includes('\\')) return pattern;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i] === '\\' && i + 1 < pattern.length) i++;
    out += pattern[i];
  }
  return out;
}

/** strcmp(3) order on byte strings. */
export function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

type Gen<T> = Generator<Op, T, unknown>;

/** The names in a directory (with `.` and `..`), or null if it cannot be read. */
function* listDir(dir: string): Gen<string[] | null> {
  const fd = yield* sys.open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd instanceof SysError) return null;
  const names: string[] = [];
  for (;;) {
    const batch = yield* sys.getdents(fd);
    if (batch instanceof SysError || batch.length === 0) break;
    for (const e of batch) names.push(e.name);
  }
  yield* sys.close(fd);
  return names;
}

function* expmeta(prefix: string, rest: string, out: string[], opts: FnmatchOptions): Gen<void> {
  let pre = prefix;
  let r = rest;
  for (;;) {
    const slash = r.indexOf('/');
    const comp = slash < 0 ? r : r.slice(0, slash);
    if (hasGlobChars(comp)) break;
    if (slash < 0) {
      // Nothing left to match: the name must exist.
      const path = pre + unescapePattern(comp);
      if (pre === '') return;
      const st = yield* sys.lstat(path);
      if (!(st instanceof SysError)) out.push(path);
      return;
    }
    pre += unescapePattern(comp) + '/';
    r = r.slice(slash + 1);
  }
  const slash = r.indexOf('/');
  const comp = slash < 0 ? r : r.slice(0, slash);
  const after = slash < 0 ? null : r.slice(slash + 1);
  const names = yield* listDir(pre === '' ? '.' : pre);
  if (names === null) return;
  const matchDot = comp[0] === '.' || (comp[0] === '\\' && comp[1] === '.');
  for (const name of names) {
    if (name[0] === '.' && !matchDot) continue;
    if (!fnmatch(comp, name, opts)) continue;
    if (after === null) out.push(pre + name);
    else yield* expmeta(pre + name + '/', after, out, opts);
  }
}

/**
 * Pathname expansion of `pattern`: the matching paths sorted bytewise, or [] when
 * nothing matches (the shell then keeps the word as written).
 */
export function* glob(pattern: string, opts: FnmatchOptions = {}): Gen<string[]> {
  const out: string[] = [];
  if (pattern.startsWith('/')) yield* expmeta('/', pattern.slice(1), out, opts);
  else yield* expmeta('', pattern, out, opts);
  out.sort(byteCompare);
  return out;
}
