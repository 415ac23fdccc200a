/**
 * expr(1), GNU coreutils 9.1: evaluates an expression given as separate arguments
 * and prints its value. Learned from expr(1), POSIX XCU expr and the real tool:
 *
 *     or:   a | b          a unless it is null or 0, else b
 *     and:  a & b          a if neither is null or 0, else 0
 *     cmp:  < <= = == != >= >   as integers when both are, else as byte strings
 *     sum:  + -            integers of any size (Debian's expr uses GMP)
 *     prod: * / %          truncating division; "division by zero"
 *     match: a : re        a BRE anchored at the start: \(…\)'s text, else the length
 *     unary: match s re, substr s pos len, index s chars, length s, + token, ( e )
 *
 * Exit status: 0 when the value is neither null nor 0, 1 when it is, 2 for a bad
 * expression, 3 for other errors.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { errOut, out } from '../../lib/io.js';
import { compilePosixRegex, RegexSyntaxError } from '../../lib/posix-regex.js';
import { quote } from '../../lib/gnu-quote.js';
import { coreutilsVersion } from './cli.js';

/** User CPU per expr run and per argument, ns: design choices. */
const EXPR_NS = 20_000;
const EXPR_NS_PER_ARG = 200;

const EXIT_INVALID = 2;

class ExprError {
  constructor(
    readonly message: string,
    readonly status = EXIT_INVALID,
  ) {}
}

/** A value: expr keeps strings and integers apart only as far as it must. */
type Value = string | bigint;

const INTEGER = /^-?\d+$/;

function toInteger(v: Value): bigint | null {
  if (typeof v === 'bigint') return v;
  return INTEGER.test(v) ? BigInt(v) : null;
}

function text(v: Value): string {
  return typeof v === 'bigint' ? v.toString() : v;
}

/** Null or zero: the string "" or an integer 0 (also "-0" and "00"). */
function isFalse(v: Value): boolean {
  const n = toInteger(v);
  return n === null ? v === '' : n === 0n;
}

const COMPARISONS = ['<', '<=', '=', '==', '!=', '>=', '>'];

const HELP =
  'Usage: expr EXPRESSION\n  or:  expr OPTION\n\n' +
  '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
  'Print the value of EXPRESSION to standard output.  A blank line below\nseparates increasing precedence groups.  EXPRESSION may be:\n\n' +
  '  ARG1 | ARG2       ARG1 if it is neither null nor 0, otherwise ARG2\n\n' +
  '  ARG1 & ARG2       ARG1 if neither argument is null or 0, otherwise 0\n\n' +
  '  ARG1 < ARG2       ARG1 is less than ARG2\n  ARG1 <= ARG2      ARG1 is less than or equal to ARG2\n' +
  '  ARG1 = ARG2       ARG1 is equal to ARG2\n  ARG1 != ARG2      ARG1 is unequal to ARG2\n' +
  '  ARG1 >= ARG2      ARG1 is greater than or equal to ARG2\n  ARG1 > ARG2       ARG1 is greater than ARG2\n\n' +
  '  ARG1 + ARG2       arithmetic sum of ARG1 and ARG2\n  ARG1 - ARG2       arithmetic difference of ARG1 and ARG2\n\n' +
  '  ARG1 * ARG2       arithmetic product of ARG1 and ARG2\n  ARG1 / ARG2       arithmetic quotient of ARG1 divided by ARG2\n' +
  '  ARG1 % ARG2       arithmetic remainder of ARG1 divided by ARG2\n\n' +
  '  STRING : REGEXP   anchored pattern match of REGEXP in STRING\n\n' +
  '  match STRING REGEXP        same as STRING : REGEXP\n' +
  '  substr STRING POS LENGTH   substring of STRING, POS counted from 1\n' +
  '  index STRING CHARS         index in STRING where any CHARS is found, or 0\n' +
  '  length STRING              length of STRING\n' +
  '  + TOKEN                    interpret TOKEN as a string, even if it is a\n' +
  '                               keyword like \'match\' or an operator like \'/\'\n\n' +
  '  ( EXPRESSION )             value of EXPRESSION\n\n' +
  'Beware that many operators need to be escaped or quoted for shells.\n' +
  'Comparisons are arithmetic if both ARGs are numbers, else lexicographical.\n' +
  'Pattern matches return the string matched between \\( and \\) or null; if\n' +
  '\\( and \\) are not used, they return the number of characters matched or 0.\n\n' +
  'Exit status is 0 if EXPRESSION is neither null nor 0, 1 if EXPRESSION is null\n' +
  'or 0, 2 if EXPRESSION is syntactically invalid, and 3 if an error occurred.\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Report any translation bugs to <https://translationproject.org/team/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/expr>\n' +
  "or available locally via: info '(coreutils) expr invocation'\n";

/** A recursive-descent reader over the argument list, one level per precedence group. */
class Parser {
  private i = 0;
  /**
   * Above 0 while reading an operand whose value is not needed (the right of `|`
   * after a true left, of `&` after a false one): expr does not evaluate it, so
   * errors of evaluation (division by zero, non-integers, bad patterns) are not raised.
   */
  private dry = 0;

  constructor(private readonly args: readonly string[]) {}

  parse(): Value {
    const v = this.or();
    if (this.i < this.args.length) throw new ExprError(`syntax error: unexpected argument ${quote(this.args[this.i])}`);
    return v;
  }

  private peek(): string | undefined {
    return this.args[this.i];
  }

  /** The operand after operator `op`, or "missing argument after". */
  private need(): string {
    if (this.i >= this.args.length) throw new ExprError(`syntax error: missing argument after ${quote(this.args[this.i - 1])}`);
    return this.args[this.i++];
  }

  private or(): Value {
    let v = this.and();
    while (this.peek() === '|') {
      this.i++;
      this.needsMore();
      const needed = isFalse(v);
      const r = this.unevaluatedUnless(needed, () => this.and());
      if (needed) v = isFalse(r) ? 0n : r;
    }
    return v;
  }

  private and(): Value {
    let v = this.comparison();
    while (this.peek() === '&') {
      this.i++;
      this.needsMore();
      const needed = !isFalse(v);
      const r = this.unevaluatedUnless(needed, () => this.comparison());
      v = !needed || isFalse(r) ? 0n : v;
    }
    return v;
  }

  private comparison(): Value {
    let v = this.sum();
    for (let op = this.peek(); op !== undefined && COMPARISONS.includes(op); op = this.peek()) {
      this.i++;
      this.needsMore();
      const r = this.sum();
      const a = toInteger(v);
      const b = toInteger(r);
      // Strings compare by bytes: the simulated system runs in the C locale.
      const d = a !== null && b !== null ? (a < b ? -1 : a > b ? 1 : 0) : text(v) < text(r) ? -1 : text(v) > text(r) ? 1 : 0;
      const holds = { '<': d < 0, '<=': d <= 0, '=': d === 0, '==': d === 0, '!=': d !== 0, '>=': d >= 0, '>': d > 0 }[op]!;
      v = holds ? 1n : 0n;
    }
    return v;
  }

  private sum(): Value {
    let v = this.product();
    for (let op = this.peek(); op === '+' || op === '-'; op = this.peek()) {
      this.i++;
      this.needsMore();
      const [a, b] = this.integers(v, this.product());
      v = op === '+' ? a + b : a - b;
    }
    return v;
  }

  private product(): Value {
    let v = this.match();
    for (let op = this.peek(); op === '*' || op === '/' || op === '%'; op = this.peek()) {
      this.i++;
      this.needsMore();
      const [a, b] = this.integers(v, this.match());
      if (op !== '*' && b === 0n) {
        if (this.dry > 0) {
          v = 0n;
          continue;
        }
        throw new ExprError('division by zero');
      }
      v = op === '*' ? a * b : op === '/' ? a / b : a % b;
    }
    return v;
  }

  private match(): Value {
    let v = this.unary();
    while (this.peek() === ':') {
      this.i++;
      this.needsMore();
      v = this.patternMatch(text(v), text(this.unary()));
    }
    return v;
  }

  private unary(): Value {
    const t = this.need();
    switch (t) {
      case '+':
        return this.need();
      case '(': {
        const v = this.or();
        if (this.peek() !== ')') {
          if (this.i >= this.args.length) throw new ExprError(`syntax error: expecting ')' after ${quote(this.args[this.i - 1])}`);
          throw new ExprError(`syntax error: expecting ')' instead of ${quote(this.args[this.i])}`);
        }
        this.i++;
        return v;
      }
      case 'length':
        return BigInt(text(this.unary()).length);
      case 'match': {
        const s = text(this.unary());
        return this.patternMatch(s, text(this.unary()));
      }
      case 'index': {
        const s = text(this.unary());
        const chars = text(this.unary());
        for (let k = 0; k < s.length; k++) if (chars.includes(s[k])) return BigInt(k + 1);
        return 0n;
      }
      case 'substr': {
        const s = text(this.unary());
        const pos = toInteger(this.unary());
        const len = toInteger(this.unary());
        if (pos === null || len === null || pos < 1n || len < 1n || pos > BigInt(s.length)) return '';
        return s.substr(Number(pos) - 1, Number(len > BigInt(s.length) ? BigInt(s.length) : len));
      }
      case ')':
        throw new ExprError("syntax error: unexpected ')'");
      default:
        // Where an operand is expected, any other word is one, even `-`, `*` or `=`.
        return t;
    }
  }

  private unevaluatedUnless(needed: boolean, read: () => Value): Value {
    if (!needed) this.dry++;
    try {
      return read();
    } finally {
      if (!needed) this.dry--;
    }
  }

  private integers(a: Value, b: Value): [bigint, bigint] {
    const x = toInteger(a);
    const y = toInteger(b);
    if (x !== null && y !== null) return [x, y];
    if (this.dry > 0) return [0n, 1n];
    throw new ExprError('non-integer argument');
  }

  /** STRING : REGEXP — a BRE anchored at the start of STRING. */
  private patternMatch(s: string, pattern: string): Value {
    const compiled = compilePosixRegex(pattern, { extended: false, dialect: 'grep' });
    if (compiled instanceof RegexSyntaxError) {
      if (this.dry > 0) return 0n;
      throw new ExprError(compiled.message);
    }
    const m = compiled.regex.exec(s, 0);
    const hit = m !== null && m.index === 0 ? m : null;
    if (compiled.regex.groups > 0) return hit?.groups[1] ?? '';
    return BigInt(hit ? hit.end : 0);
  }

  /** After a binary operator there must be an operand. */
  private needsMore(): void {
    if (this.i >= this.args.length) throw new ExprError(`syntax error: missing argument after ${quote(this.args[this.i - 1])}`);
  }
}

export function* exprMain({ argv }: ProgramArgs): Program {
  yield EXPR_NS + EXPR_NS_PER_ARG * argv.length;
  let args = argv.slice(1);
  // expr takes --help and --version alone; "--" first is skipped.
  if (args.length === 1 && args[0] === '--help') {
    yield* out(HELP);
    return 0;
  }
  if (args.length === 1 && args[0] === '--version') {
    yield* out(coreutilsVersion('expr', 'Written by Mike Parker, James Youngman, and Paul Eggert.'));
    return 0;
  }
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0) {
    yield* errOut("expr: missing operand\nTry 'expr --help' for more information.\n");
    return EXIT_INVALID;
  }
  try {
    const v = new Parser(args).parse();
    yield* out(`${text(v)}\n`);
    return isFalse(v) ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    yield* errOut(`expr: ${e.message}\n`);
    return e.status;
  }
}
