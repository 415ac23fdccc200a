/**
 * grep's pattern compiler: a list of patterns (BRE, ERE, fixed strings, or Perl) with
 * -i, -w and -x becomes one matcher, as GNU grep joins its PATTERNS into one
 * alternation. Lines are tested with JavaScript's RegExp; -o and --color ask for
 * POSIX leftmost-longest matches (lib/posix-regex.ts).
 *
 * Simplification: -P patterns are JavaScript regular expressions (close to PCRE for
 * common use: lookaround, \d, non-greedy quantifiers) and their error messages are
 * JavaScript's.
 */
import {
  literalNode,
  parsePosixRegex,
  PosixRegex,
  RegexSyntaxError,
  type PosixMatch,
  type ReNode,
} from '../../lib/posix-regex.js';

export type Syntax = 'G' | 'E' | 'F' | 'P';

export interface MatcherOptions {
  syntax: Syntax;
  icase: boolean;
  words: boolean;
  lines: boolean;
}

/** Tests lines and finds matches in them. */
export interface LineMatcher {
  test(line: string): boolean;
  /** The match at or after `from` (leftmost-longest for POSIX syntaxes). */
  exec(line: string, from: number): PosixMatch | null;
}

/** grep's -w rule: the match must not touch a word character on either side. */
function wrapWords(n: ReNode): ReNode {
  return { kind: 'cat', items: [{ kind: 'assert', what: 'notAfterWord' }, n, { kind: 'assert', what: 'notBeforeWord' }] };
}

function wrapLines(n: ReNode): ReNode {
  return { kind: 'cat', items: [{ kind: 'assert', what: 'bufStart' }, n, { kind: 'assert', what: 'bufEnd' }] };
}

/** Compiles grep's patterns; returns the matcher and warnings, or the error message. */
export function compileGrepPatterns(patterns: string[], o: MatcherOptions): { matcher: LineMatcher; warnings: string[] } | string {
  if (o.syntax === 'P') return compilePerl(patterns, o);
  const branches: ReNode[] = [];
  const warnings: string[] = [];
  let groups = 0;
  for (const p of patterns) {
    let node: ReNode;
    if (o.syntax === 'F') {
      node = literalNode(p, o.icase);
    } else {
      const parsed = parsePosixRegex(p, { extended: o.syntax === 'E', icase: o.icase, dialect: 'grep', groupBase: groups });
      if (parsed instanceof RegexSyntaxError) return parsed.message;
      groups += parsed.groups;
      warnings.push(...parsed.warnings);
      node = parsed.node;
    }
    if (o.lines) node = wrapLines(node);
    else if (o.words) node = wrapWords(node);
    branches.push(node);
  }
  const root: ReNode = branches.length === 1 ? branches[0] : { kind: 'alt', branches };
  const re = new PosixRegex(root, groups, { icase: o.icase });
  return { matcher: re, warnings };
}

function compilePerl(patterns: string[], o: MatcherOptions): { matcher: LineMatcher; warnings: string[] } | string {
  if (patterns.length > 1) return 'the -P option only supports a single pattern';
  let src = patterns[0] ?? '';
  if (o.lines) src = `^(?:${src})$`;
  else if (o.words) src = `(?<!\\w)(?:${src})(?!\\w)`;
  let re: RegExp;
  try {
    re = new RegExp(src, 'g' + (o.icase ? 'i' : ''));
  } catch (e) {
    return (e as Error).message;
  }
  return {
    matcher: {
      test(line: string): boolean {
        re.lastIndex = 0;
        return re.test(line);
      },
      exec(line: string, from: number): PosixMatch | null {
        re.lastIndex = from;
        const m = re.exec(line);
        return m ? { index: m.index, end: m.index + m[0].length, groups: Array.from(m) } : null;
      },
    },
    warnings: [],
  };
}
