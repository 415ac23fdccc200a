/**
 * The parser of POSIX regular expressions (regex(7), POSIX.1-2017 XBD 9) as GNU grep 3.8
 * and GNU sed 4.9 read them in the C locale: pattern text in, syntax tree out. See
 * posix-regex.ts for the whole pipeline.
 *
 * Both dialects are modelled:
 *  - BRE: `\( \) \{ \} \|` are operators, `\+ \?` are GNU extensions, `*` at the start
 *    of an expression and `^`/`$` away from its ends are ordinary characters;
 *  - ERE: `( ) { } | + ?` are operators, `^ $` are always anchors.
 * GNU extensions of both: `\w \W \s \S \b \B \< \> \` \'` and back-references `\1`–`\9`.
 *
 * The two programs differ where GNU's two engines differ: grep (dfa.c) accepts `a**`,
 * a leading ERE `*` (with a warning) and an ERE `{` that does not start an interval,
 * where sed (glibc regcomp) reports "Invalid preceding regular expression" and friends.
 *
 * Characters are bytes (latin1 strings); classes are the C locale's (ASCII only), and
 * case folding (-i, I) folds ASCII letters only, as in the C locale.
 */

/** Assertions: zero-width tests of the position. */
export type AssertKind =
  | 'bol' // ^
  | 'eol' // $
  | 'bufStart' // \`
  | 'bufEnd' // \'
  | 'wordBoundary' // \b
  | 'notWordBoundary' // \B
  | 'wordStart' // \<
  | 'wordEnd' // \>
  | 'notAfterWord' // grep -w: not preceded by a word character
  | 'notBeforeWord'; // grep -w: not followed by a word character

/** The syntax tree of a POSIX regular expression. A literal character is a one-member set. */
export type ReNode =
  | { kind: 'set'; members: Uint8Array }
  | { kind: 'group'; index: number; body: ReNode }
  | { kind: 'cat'; items: ReNode[] }
  | { kind: 'alt'; branches: ReNode[] }
  | { kind: 'repeat'; min: number; max: number; body: ReNode }
  | { kind: 'assert'; what: AssertKind }
  | { kind: 'backref'; index: number };

/** Which GNU engine's rules apply: grep's dfa.c (lenient) or glibc's regcomp as sed uses it (strict). */
export type RegexDialect = 'grep' | 'sed';

export interface PosixRegexOptions {
  /** ERE (grep -E, sed -E) instead of BRE. */
  extended: boolean;
  /** Fold ASCII case (grep -i, sed's I flag). */
  icase?: boolean;
  dialect: RegexDialect;
  /** Number of groups before this pattern (when several patterns are joined as alternatives). */
  groupBase?: number;
  /**
   * glibc's REG_NEWLINE (sed's M flag): `.` and non-matching lists do not match a
   * newline. (grep works on single lines, where this never matters.)
   */
  newlineSensitive?: boolean;
}

/** A syntax error, with GNU's message text ("Unmatched ( or \\("). */
export class RegexSyntaxError {
  readonly message: string;
  /**
   * Errors GNU's dfa.c reports itself (sed exits 4 for these, without the expression's
   * position); the others come from regcomp.
   */
  readonly fromDfa: boolean;
  constructor(message: string, fromDfa = false) {
    this.message = message;
    this.fromDfa = fromDfa;
  }
}

/** A parsed pattern: its tree, its number of groups and the warnings grep prints. */
export interface ParsedRegex {
  node: ReNode;
  groups: number;
  warnings: string[];
}

/** RE_DUP_MAX: the largest count of an interval expression. */
export const RE_DUP_MAX = 32767;

const ALL = 256;

/** The members of a C-locale character class, or null for an unknown name. */
export function classMembers(name: string): Uint8Array | null {
  const m = new Uint8Array(ALL);
  const range = (lo: number, hi: number): void => {
    for (let c = lo; c <= hi; c++) m[c] = 1;
  };
  const upper = (): void => range(0x41, 0x5a);
  const lower = (): void => range(0x61, 0x7a);
  const digit = (): void => range(0x30, 0x39);
  switch (name) {
    case 'alpha':
      upper();
      lower();
      break;
    case 'upper':
      upper();
      break;
    case 'lower':
      lower();
      break;
    case 'digit':
      digit();
      break;
    case 'alnum':
      upper();
      lower();
      digit();
      break;
    case 'xdigit':
      digit();
      range(0x41, 0x46);
      range(0x61, 0x66);
      break;
    case 'space':
      range(0x09, 0x0d);
      m[0x20] = 1;
      break;
    case 'blank':
      m[0x09] = 1;
      m[0x20] = 1;
      break;
    case 'punct':
      range(0x21, 0x2f);
      range(0x3a, 0x40);
      range(0x5b, 0x60);
      range(0x7b, 0x7e);
      break;
    case 'print':
      range(0x20, 0x7e);
      break;
    case 'graph':
      range(0x21, 0x7e);
      break;
    case 'cntrl':
      range(0x00, 0x1f);
      m[0x7f] = 1;
      break;
    default:
      return null;
  }
  return m;
}

/** The word characters of GNU's \w and of \b, \<, \> and grep -w: [A-Za-z0-9_]. */
export const WORD_CHARS: Uint8Array = (() => {
  const m = classMembers('alnum')!;
  m[0x5f] = 1;
  return m;
})();

/** A set of one byte. */
export function charSet(code: number): Uint8Array {
  const m = new Uint8Array(ALL);
  m[code & 0xff] = 1;
  return m;
}

/** Adds the other ASCII case of every letter in `m` (C-locale case folding). */
export function foldCase(m: Uint8Array): Uint8Array {
  for (let c = 0x41; c <= 0x5a; c++) {
    if (m[c] || m[c + 32]) {
      m[c] = 1;
      m[c + 32] = 1;
    }
  }
  return m;
}

function complement(m: Uint8Array): Uint8Array {
  const r = new Uint8Array(ALL);
  for (let c = 0; c < ALL; c++) r[c] = m[c] ? 0 : 1;
  return r;
}

/** A tree matching `text` literally (grep -F). */
export function literalNode(text: string, icase: boolean): ReNode {
  const items: ReNode[] = [];
  for (let i = 0; i < text.length; i++) {
    const m = charSet(text.charCodeAt(i));
    items.push({ kind: 'set', members: icase ? foldCase(m) : m });
  }
  return items.length === 1 ? items[0] : { kind: 'cat', items };
}

interface Quantifier {
  min: number;
  max: number;
  /** Characters the quantifier spans in the pattern. */
  length: number;
  /** How grep's warning names it: "*", "+", "?" or "{...}". */
  name: string;
}

/** Recursive-descent parser of one BRE or ERE. */
class Parser {
  private pos = 0;
  private groups: number;
  private readonly closed = new Set<number>();
  readonly warnings: string[] = [];
  private readonly ere: boolean;
  private readonly sed: boolean;
  private readonly icase: boolean;
  private readonly base: number;
  /** Whether `.` and [^...] may match a newline. */
  private readonly matchNewline: boolean;

  constructor(
    private readonly p: string,
    opts: PosixRegexOptions,
  ) {
    this.ere = opts.extended;
    this.sed = opts.dialect === 'sed';
    this.icase = opts.icase ?? false;
    this.base = opts.groupBase ?? 0;
    this.groups = this.base;
    // grep matches within a line; sed's `.` matches any byte, newline included, unless M.
    this.matchNewline = this.sed && !opts.newlineSensitive;
  }

  parse(): ParsedRegex {
    const node = this.parseAlt(0);
    if (this.pos < this.p.length) throw new RegexSyntaxError('Unmatched ) or \\)');
    return { node, groups: this.groups - this.base, warnings: this.warnings };
  }

  private atAlternation(): boolean {
    return this.ere ? this.p[this.pos] === '|' : this.p.startsWith('\\|', this.pos);
  }

  private atClose(depth: number): boolean {
    if (this.ere) return this.p[this.pos] === ')' && (depth > 0 || this.sed);
    return this.p.startsWith('\\)', this.pos);
  }

  private parseAlt(depth: number): ReNode {
    const branches = [this.parseBranch(depth)];
    while (this.atAlternation()) {
      this.pos += this.ere ? 1 : 2;
      branches.push(this.parseBranch(depth));
    }
    return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
  }

  private parseBranch(depth: number): ReNode {
    const items: ReNode[] = [];
    let quantified = false;
    while (this.pos < this.p.length && !this.atAlternation() && !this.atClose(depth)) {
      const q = this.quantifierHere();
      if (q) {
        const last = items[items.length - 1];
        // dfa.c (grep): only zero-width items since the start of the branch count as "the start".
        const zeroWidthOnly = items.every((n) => n.kind === 'assert');
        // glibc (sed): an anchor cannot be repeated, and nothing at all can be at the start.
        const afterAnchor = last !== undefined && last.kind === 'assert' && !quantified;
        const atStart = this.sed ? items.length === 0 || afterAnchor : zeroWidthOnly;
        if (atStart) {
          if (!this.ere) {
            // BRE: a leading (sed: or post-anchor) *, \+, \? is an ordinary character; so is grep's \{.
            if (q.name === '{...}') {
              if (this.sed) throw new RegexSyntaxError('Invalid preceding regular expression');
              this.pos += 2;
              items.push(this.literal('{'));
            } else {
              this.pos += q.name === '*' ? 1 : 2;
              items.push(this.literal(q.name[q.name.length - 1]));
            }
            quantified = false;
            continue;
          }
          if (this.sed) throw new RegexSyntaxError('Invalid preceding regular expression');
          this.warnings.push(`${q.name} at start of expression`);
          this.pos += q.length;
          if (last !== undefined) {
            items[items.length - 1] = { kind: 'repeat', min: q.min, max: q.max, body: last };
            quantified = true;
          }
          continue;
        }
        if (quantified && this.sed && !this.ere) throw new RegexSyntaxError('Invalid preceding regular expression');
        this.pos += q.length;
        items[items.length - 1] = { kind: 'repeat', min: q.min, max: q.max, body: last };
        quantified = true;
        continue;
      }
      items.push(this.parseAtom(depth, items.length === 0));
      quantified = false;
    }
    return items.length === 1 ? items[0] : { kind: 'cat', items };
  }

  /** The quantifier at the current position, if one starts here. */
  private quantifierHere(): Quantifier | null {
    const p = this.p;
    const c = p[this.pos];
    if (c === '*') return { min: 0, max: Infinity, length: 1, name: '*' };
    if (this.ere) {
      if (c === '+') return { min: 1, max: Infinity, length: 1, name: '+' };
      if (c === '?') return { min: 0, max: 1, length: 1, name: '?' };
      if (c === '{') return this.interval(this.pos + 1, '}');
      return null;
    }
    if (c !== '\\') return null;
    const d = p[this.pos + 1];
    if (d === '+') return { min: 1, max: Infinity, length: 2, name: '\\+' };
    if (d === '?') return { min: 0, max: 1, length: 2, name: '\\?' };
    if (d === '{') return this.interval(this.pos + 2, '\\}');
    return null;
  }

  /**
   * An interval `{m}`, `{m,}`, `{,n}`, `{m,n}` whose contents start at `from`. grep's ERE
   * takes a `{` that does not start a valid interval as an ordinary character; BRE and
   * sed report errors.
   */
  private interval(from: number, close: string): Quantifier | null {
    const p = this.p;
    let i = from;
    const num = (): number | null => {
      const s = i;
      while (i < p.length && p[i] >= '0' && p[i] <= '9') i++;
      return i > s ? Number(p.slice(s, i)) : null;
    };
    const lenient = this.ere && !this.sed;
    const min = num();
    let max: number | null = min;
    if (p[i] === ',') {
      i++;
      max = num();
      if (max === null) max = Infinity;
    }
    if (!p.startsWith(close, i) || (min === null && p[from] !== ',')) {
      if (lenient) return null;
      let j = i;
      while (j < p.length && !p.startsWith(close, j)) j++;
      if (j >= p.length) throw new RegexSyntaxError('Unmatched \\{');
      throw new RegexSyntaxError('Invalid content of \\{\\}');
    }
    const lo = min ?? 0;
    if (max !== Infinity && max! < lo) {
      if (lenient) return null;
      throw new RegexSyntaxError('Invalid content of \\{\\}');
    }
    if (lo > RE_DUP_MAX || (max !== Infinity && max! > RE_DUP_MAX)) throw new RegexSyntaxError('Regular expression too big');
    return { min: lo, max: max!, length: i + close.length - this.pos, name: '{...}' };
  }

  private literal(ch: string): ReNode {
    const m = charSet(ch.charCodeAt(0));
    return { kind: 'set', members: this.icase ? foldCase(m) : m };
  }

  private parseAtom(depth: number, atStart: boolean): ReNode {
    const p = this.p;
    const c = p[this.pos];
    if (this.ere && c === '(') {
      this.pos++;
      return this.parseGroup(depth, ')');
    }
    if (!this.ere && p.startsWith('\\(', this.pos)) {
      this.pos += 2;
      return this.parseGroup(depth, '\\)');
    }
    if (c === '^') {
      this.pos++;
      if (this.ere || atStart) return { kind: 'assert', what: 'bol' };
      return this.literal('^');
    }
    if (c === '$') {
      this.pos++;
      if (this.ere || this.pos >= p.length || p.startsWith('\\)', this.pos) || p.startsWith('\\|', this.pos)) {
        return { kind: 'assert', what: 'eol' };
      }
      return this.literal('$');
    }
    if (c === '.') {
      this.pos++;
      const m = new Uint8Array(ALL).fill(1);
      if (!this.matchNewline) m[0x0a] = 0;
      return { kind: 'set', members: m };
    }
    if (c === '[') return this.parseBracket();
    if (c === '\\') return this.parseEscape();
    this.pos++;
    return this.literal(c);
  }

  private parseGroup(depth: number, close: string): ReNode {
    const index = ++this.groups;
    const body = this.parseAlt(depth + 1);
    if (!this.p.startsWith(close, this.pos)) throw new RegexSyntaxError('Unmatched ( or \\(');
    this.pos += close.length;
    this.closed.add(index);
    return { kind: 'group', index, body };
  }

  private parseEscape(): ReNode {
    const p = this.p;
    if (this.pos + 1 >= p.length) throw new RegexSyntaxError('Trailing backslash');
    const d = p[this.pos + 1];
    this.pos += 2;
    if (d >= '1' && d <= '9') {
      const index = this.base + Number(d);
      if (!this.closed.has(index)) throw new RegexSyntaxError('Invalid back reference');
      return { kind: 'backref', index };
    }
    switch (d) {
      case 'w':
        return { kind: 'set', members: WORD_CHARS.slice() };
      case 'W':
        return { kind: 'set', members: complement(WORD_CHARS) };
      case 's':
        return { kind: 'set', members: classMembers('space')! };
      case 'S':
        return { kind: 'set', members: complement(classMembers('space')!) };
      case 'b':
        return { kind: 'assert', what: 'wordBoundary' };
      case 'B':
        return { kind: 'assert', what: 'notWordBoundary' };
      case '<':
        return { kind: 'assert', what: 'wordStart' };
      case '>':
        return { kind: 'assert', what: 'wordEnd' };
      case '`':
        return { kind: 'assert', what: 'bufStart' };
      case "'":
        return { kind: 'assert', what: 'bufEnd' };
      default:
        // \{ and \} outside an interval (grep's leading `\{`), \. \* \[ \\ \/ …, and any
        // other escaped character stand for themselves.
        return this.literal(d);
    }
  }

  /** A bracket expression `[...]`, `[^...]`, with classes, equivalence classes and collating symbols. */
  private parseBracket(): ReNode {
    const p = this.p;
    const unmatched = (): RegexSyntaxError => new RegexSyntaxError('Unmatched [, [^, [:, [., or [=');
    this.pos++;
    let negate = false;
    if (p[this.pos] === '^') {
      negate = true;
      this.pos++;
    }
    const m = new Uint8Array(ALL);
    const contentStart = this.pos;
    let special = false; // a range, class, equivalence class or collating symbol was used
    let first = true;
    for (;;) {
      if (this.pos >= p.length) throw unmatched();
      const c = p[this.pos];
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      let lo: number;
      if (c === '[' && (p[this.pos + 1] === ':' || p[this.pos + 1] === '.' || p[this.pos + 1] === '=')) {
        const kind = p[this.pos + 1];
        const end = p.indexOf(kind + ']', this.pos + 2);
        if (end < 0) throw unmatched();
        const name = p.slice(this.pos + 2, end);
        this.pos = end + 2;
        special = true;
        if (kind === ':') {
          const cls = classMembers(name);
          if (!cls) throw new RegexSyntaxError('Invalid character class name');
          // In the C locale, [:upper:] and [:lower:] match both cases when folding.
          for (let i = 0; i < ALL; i++) if (cls[i]) m[i] = 1;
          if (p[this.pos] === '-' && p[this.pos + 1] !== ']') throw new RegexSyntaxError('Invalid range end');
          continue;
        }
        const code = collatingElement(name);
        if (code < 0) throw new RegexSyntaxError('Invalid collation character');
        lo = code;
      } else {
        lo = c.charCodeAt(0) & 0xff;
        this.pos++;
      }
      if (p[this.pos] === '-' && this.pos + 1 < p.length && p[this.pos + 1] !== ']') {
        this.pos++;
        special = true;
        let hi: number;
        if (p[this.pos] === '[' && (p[this.pos + 1] === '.' || p[this.pos + 1] === '=')) {
          const kind = p[this.pos + 1];
          const end = p.indexOf(kind + ']', this.pos + 2);
          if (end < 0) throw unmatched();
          hi = collatingElement(p.slice(this.pos + 2, end));
          if (hi < 0) throw new RegexSyntaxError('Invalid collation character');
          this.pos = end + 2;
        } else if (p[this.pos] === '[' && p[this.pos + 1] === ':') {
          throw new RegexSyntaxError('Invalid range end');
        } else {
          hi = p.charCodeAt(this.pos) & 0xff;
          this.pos++;
        }
        if (hi < lo) throw new RegexSyntaxError('Invalid range end');
        for (let i = lo; i <= hi; i++) m[i] = 1;
      } else {
        m[lo] = 1;
      }
    }
    // dfa.c: "[:alpha:]" is almost certainly a mistake for "[[:alpha:]]".
    const content = p.slice(contentStart, this.pos - 1);
    if (!special && content.length >= 3 && content[0] === ':' && content[content.length - 1] === ':' && /[^:]/.test(content)) {
      throw new RegexSyntaxError('character class syntax is [[:space:]], not [:space:]', true);
    }
    if (this.icase) foldCase(m);
    let members = negate ? complement(m) : m;
    if (negate && !this.matchNewline) {
      members = members.slice();
      members[0x0a] = 0;
    }
    return { kind: 'set', members };
  }
}

/** The byte of a collating symbol or equivalence class (`[.a.]`, `[=a=]`), or -1. */
function collatingElement(name: string): number {
  if (name.length === 1) return name.charCodeAt(0) & 0xff;
  return -1;
}

/** Parses a BRE or ERE. Returns its tree, or a syntax error with GNU's message. */
export function parsePosixRegex(pattern: string, opts: PosixRegexOptions): ParsedRegex | RegexSyntaxError {
  try {
    return new Parser(pattern, opts).parse();
  } catch (e) {
    if (e instanceof RegexSyntaxError) return e;
    throw e;
  }
}

/** Whether the tree uses back-references (which no finite automaton can match). */
export function hasBackrefs(n: ReNode): boolean {
  switch (n.kind) {
    case 'backref':
      return true;
    case 'group':
    case 'repeat':
      return hasBackrefs(n.body);
    case 'cat':
      return n.items.some(hasBackrefs);
    case 'alt':
      return n.branches.some(hasBackrefs);
    default:
      return false;
  }
}
