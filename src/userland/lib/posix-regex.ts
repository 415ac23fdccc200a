/**
 * POSIX regular expressions (BRE and ERE, regex(7)) for grep and sed, translated to
 * JavaScript RegExp with POSIX's leftmost-longest matching:
 *
 *     "a\|ab" ──parse (posix-regex-parse.ts)──▶ alt(set{a}, cat(set{a}, set{b}))
 *                                                  │                     │
 *                             emit (this file) ◀───┘                     └──▶ NFA (posix-regex-nfa.ts)
 *                                  │                                              │
 *                             /(?:a|ab)/  ── finds the leftmost start ──▶  longest end there: "ab"
 *
 * The RegExp finds whether and where the leftmost match starts (its backtracking
 * explores every path, so the start is the same as POSIX's); when the pattern has
 * alternatives or repeated groups, the NFA then gives the longest end from that start,
 * and a RegExp pinned to that end gives the groups.
 *
 * Emitted sets list their bytes explicitly, so case folding and classes are the C
 * locale's (ASCII) whatever the JavaScript engine's own rules are.
 *
 * Simplifications: a back-reference to a group that did not take part matches the
 * empty string (JavaScript's rule; POSIX says it fails); groups inside a repetition
 * report JavaScript's (last iteration, reset each time) values.
 */
import {
  hasBackrefs,
  parsePosixRegex,
  RegexSyntaxError,
  type PosixRegexOptions,
  type ReNode,
} from './posix-regex-parse.js';
import { PosixNfa } from './posix-regex-nfa.js';

export {
  parsePosixRegex,
  literalNode,
  RegexSyntaxError,
  classMembers,
  foldCase,
  charSet,
  WORD_CHARS,
  RE_DUP_MAX,
  type ReNode,
  type PosixRegexOptions,
  type RegexDialect,
  type ParsedRegex,
  type AssertKind,
} from './posix-regex-parse.js';
export { PosixNfa, assertionHolds } from './posix-regex-nfa.js';

/** One match: where it starts and ends, and the text of each group (index 0 is the whole match). */
export interface PosixMatch {
  index: number;
  end: number;
  groups: (string | undefined)[];
}

function hex(c: number): string {
  return '\\x' + c.toString(16).padStart(2, '0');
}

function escapeChar(c: number): string {
  const isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return isAlnum ? String.fromCharCode(c) : hex(c);
}

function ranges(m: Uint8Array, want: number): string {
  let o = '';
  for (let c = 0; c < 256; c++) {
    if (m[c] !== want) continue;
    let e = c;
    while (e + 1 < 256 && m[e + 1] === want) e++;
    o += e === c ? escapeChar(c) : e === c + 1 ? escapeChar(c) + escapeChar(e) : `${escapeChar(c)}-${escapeChar(e)}`;
    c = e;
  }
  return o;
}

/** The RegExp source of a byte set: one escaped character, a class, or a negated class. */
export function setSource(m: Uint8Array): string {
  let count = 0;
  let only = -1;
  for (let c = 0; c < 256; c++) {
    if (m[c]) {
      count++;
      only = c;
    }
  }
  if (count === 0) return '(?!)';
  if (count === 256) return '[\\s\\S]';
  if (count === 1) return escapeChar(only);
  // Input is bytes (latin1), so a negated class never meets a character above 0xff.
  return count > 128 ? `[^${ranges(m, 0)}]` : `[${ranges(m, 1)}]`;
}

const ASSERT_SOURCE = {
  bol: '^',
  eol: '$',
  bufStart: '(?<![\\s\\S])',
  bufEnd: '(?![\\s\\S])',
  wordBoundary: '\\b',
  notWordBoundary: '\\B',
  wordStart: '\\b(?=\\w)',
  wordEnd: '\\b(?<=\\w)',
  notAfterWord: '(?<!\\w)',
  notBeforeWord: '(?!\\w)',
} as const;

/**
 * The JavaScript RegExp source of a tree (to be compiled without the `s` and `u` flags;
 * with `m` when ^ and $ match at newlines). Group numbers are kept: POSIX group N is
 * JavaScript group N.
 */
export function toRegExpSource(n: ReNode): string {
  switch (n.kind) {
    case 'set':
      return setSource(n.members);
    case 'group':
      return `(${toRegExpSource(n.body)})`;
    case 'cat':
      return n.items.map(toRegExpSource).join('');
    case 'alt':
      return `(?:${n.branches.map(toRegExpSource).join('|')})`;
    case 'repeat': {
      const body = n.body.kind === 'set' && setSource(n.body.members).length <= 4 && n.body.members.some((x) => x)
        ? toRegExpSource(n.body)
        : `(?:${toRegExpSource(n.body)})`;
      const q =
        n.min === 0 && n.max === Infinity ? '*'
        : n.min === 1 && n.max === Infinity ? '+'
        : n.min === 0 && n.max === 1 ? '?'
        : n.max === Infinity ? `{${n.min},}`
        : n.min === n.max ? `{${n.min}}`
        : `{${n.min},${n.max}}`;
      return body + q;
    }
    case 'assert':
      return ASSERT_SOURCE[n.what];
    case 'backref':
      return `(?:\\${n.index})`;
  }
}

/** Whether JavaScript's first match can be shorter than POSIX's longest one. */
function mayPreferShorter(n: ReNode): boolean {
  switch (n.kind) {
    case 'alt':
      return true;
    case 'repeat':
      return n.body.kind !== 'set' || mayPreferShorter(n.body);
    case 'group':
      return mayPreferShorter(n.body);
    case 'cat':
      return n.items.some(mayPreferShorter);
    default:
      return false;
  }
}

export interface MatcherOptions {
  /** Fold ASCII case (already folded into the tree's sets; back-references need the flag too). */
  icase?: boolean;
  /** ^ and $ also match next to newlines (sed's M flag). */
  multiline?: boolean;
}

/** A compiled POSIX regular expression: existence tests and leftmost-longest matches. */
export class PosixRegex {
  /** The emitted JavaScript source. */
  readonly source: string;
  readonly flags: string;
  /** Number of groups (\1…). */
  readonly groups: number;
  private readonly re: RegExp;
  private readonly nfa: PosixNfa | null;
  private readonly multiline: boolean;
  /** RegExps pinned to end K characters before the end of the input, by K. */
  private readonly pinned = new Map<number, RegExp>();

  constructor(node: ReNode, groups: number, opts: MatcherOptions = {}) {
    this.source = toRegExpSource(node);
    this.multiline = opts.multiline ?? false;
    const backrefs = hasBackrefs(node);
    // Sets carry their own folding; only back-references need the engine to fold.
    this.flags = (opts.icase && backrefs ? 'i' : '') + (this.multiline ? 'm' : '');
    this.re = new RegExp(this.source, this.flags + 'g');
    this.groups = groups;
    this.nfa = !backrefs && mayPreferShorter(node) ? PosixNfa.build(node) : null;
  }

  /** Whether the expression matches anywhere in `s`. */
  test(s: string): boolean {
    this.re.lastIndex = 0;
    return this.re.test(s);
  }

  /** The leftmost-longest match starting at or after `from`, or null. */
  exec(s: string, from = 0): PosixMatch | null {
    this.re.lastIndex = from;
    const m = this.re.exec(s);
    if (!m) return null;
    const index = m.index;
    let end = index + m[0].length;
    let groups: (string | undefined)[] = Array.from(m);
    if (this.nfa) {
      const longest = this.nfa.longestEnd(s, index, this.multiline);
      if (longest > end) {
        const pinned = this.pinnedTo(s.length - longest);
        pinned.lastIndex = index;
        const p = pinned.exec(s);
        if (p) groups = Array.from(p);
        end = longest;
        groups[0] = s.slice(index, end);
      }
    }
    return { index, end, groups };
  }

  private pinnedTo(k: number): RegExp {
    let r = this.pinned.get(k);
    if (!r) {
      if (this.pinned.size > 64) this.pinned.clear();
      r = new RegExp(`(?:${this.source})(?=[\\s\\S]{${k}}(?![\\s\\S]))`, this.flags + 'y');
      this.pinned.set(k, r);
    }
    return r;
  }
}

/** What compiling a pattern gives: the matcher and any warnings (grep prints them). */
export interface CompiledRegex {
  regex: PosixRegex;
  warnings: string[];
}

/** Parses and compiles one BRE or ERE. */
export function compilePosixRegex(
  pattern: string,
  opts: PosixRegexOptions & MatcherOptions,
): CompiledRegex | RegexSyntaxError {
  const parsed = parsePosixRegex(pattern, opts);
  if (parsed instanceof RegexSyntaxError) return parsed;
  return { regex: new PosixRegex(parsed.node, parsed.groups, opts), warnings: parsed.warnings };
}
