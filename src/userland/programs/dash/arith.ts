/**
 * Shell arithmetic, `$((…))` (POSIX XCU 2.6.4), with the results dash 0.5.12
 * gives: signed 64-bit integers that wrap on overflow as x86-64 does, C operator
 * precedence, `&&` `||` `?:` that leave the branch not taken unevaluated (no
 * assignment, no division by zero, no variable read there), and the assignments
 * `=` `+=` … `|=`. There is no `++`, `--`, `**` or comma operator in dash.
 *
 * The text is first parsed into a tree, then the tree is evaluated. Real dash
 * evaluates while it reads, so an error it meets first wins: `1/0 +` is a
 * division by zero, `0 && 1 +` a syntax error, and `(x=5) 3` assigns x before
 * complaining. To give the same outcome, a syntax error does not stop the parse
 * with an exception: it becomes a `fail` leaf where the parse stopped, and every
 * node above it is marked `broken`. Evaluation runs in reading order and raises
 * the syntax error on reaching the leaf, or on finishing a broken node whose
 * leaf lay in a branch not taken.
 *
 *     "x = 2 * (y + 1)"  ──tokenize──▶ NAME = NUM * ( NAME + NUM )      (arith-tree.ts)
 *                        ──TreeBuilder─▶ assign(x, mul(2, add(y, 1)))
 *                        ──TreeWalker──▶ reads y, sets x, returns the value
 */

import { TreeBuilder, tokenize, type Expr } from './arith-tree.js';

/** An arithmetic error: the message dash prints after "sh: LINE: ". */
export class ArithError {
  constructor(readonly message: string) {}
}

/** INT64_MIN / -1 (or % -1) traps on x86-64 (SIGFPE kills dash). */
export class ArithTrap {}

/** How arithmetic reads and writes shell variables. */
export interface ArithVars {
  get(name: string): string | undefined;
  /** Sets a variable; returns false if it is read-only. */
  set(name: string, value: string): boolean;
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);
const wrap64 = (x: bigint): bigint => BigInt.asIntN(64, x);

const VALUE_SPACE = /^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g;
const VALUE_NUMBER = /^[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/;

/**
 * A variable's value as a number: unset, empty or blank is 0; otherwise a whole
 * number in C syntax (octal, hex, sign, blanks around it) within 64 bits, else
 * "Illegal number: VALUE".
 */
function variableNumber(value: string | undefined): bigint {
  if (value === undefined) return 0n;
  const s = value.replace(VALUE_SPACE, '');
  if (s === '') return 0n;
  if (!VALUE_NUMBER.test(s)) throw new ArithError(`Illegal number: ${value}`);
  const negative = s[0] === '-';
  const digits = s[0] === '-' || s[0] === '+' ? s.slice(1) : s;
  const magnitude = digits.length > 1 && digits[0] === '0' && digits[1] !== 'x' && digits[1] !== 'X' ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const v = negative ? -magnitude : magnitude;
  if (v > INT64_MAX || v < INT64_MIN) throw new ArithError(`Illegal number: ${value}`);
  return v;
}

const truth = (b: boolean): bigint => (b ? 1n : 0n);

/** Applies a binary operator other than `&&` and `||` to two 64-bit values. */
function combine(op: string, a: bigint, b: bigint, zeroDivide: () => never): bigint {
  switch (op) {
    case '+':
      return wrap64(a + b);
    case '-':
      return wrap64(a - b);
    case '*':
      return wrap64(a * b);
    case '/':
    case '%':
      if (b === 0n) zeroDivide();
      if (a === INT64_MIN && b === -1n) throw new ArithTrap(); // idiv overflow: #DE, SIGFPE
      return op === '/' ? a / b : a % b;
    case '<<':
      return wrap64(a << (b & 63n)); // x86-64 shifts use the count mod 64
    case '>>':
      return a >> (b & 63n);
    case '<':
      return truth(a < b);
    case '<=':
      return truth(a <= b);
    case '>':
      return truth(a > b);
    case '>=':
      return truth(a >= b);
    case '==':
      return truth(a === b);
    case '!=':
      return truth(a !== b);
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '|':
      return a | b;
  }
  throw new Error(`arith: no operator ${op}`);
}

/** Evaluates a tree in reading order; raises the syntax error where the parse stopped. */
class TreeWalker {
  constructor(
    private readonly text: string,
    private readonly vars: ArithVars,
    private readonly failure: string | null,
  ) {}

  private error(what: string): ArithError {
    return new ArithError(`arithmetic expression: ${what}: "${this.text}"`);
  }

  /** Ends evaluation of a broken node: its syntax error comes next in reading order. */
  private finish(e: Expr, v: bigint): bigint {
    if (e.broken) throw this.error(this.failure ?? 'expecting primary');
    return v;
  }

  value(e: Expr): bigint {
    switch (e.k) {
      case 'num':
        return e.v;
      case 'var':
        return variableNumber(this.vars.get(e.name));
      case 'fail':
        if (e.done !== null) this.value(e.done);
        return this.finish(e, 0n);
      case 'unary': {
        const a = this.value(e.arg);
        if (e.op === '-') return wrap64(-a);
        if (e.op === '!') return truth(a === 0n);
        if (e.op === '~') return ~a;
        return a;
      }
      case 'binary': {
        const a = this.value(e.left);
        if (e.op === '&&' || e.op === '||') {
          const decided = e.op === '&&' ? a === 0n : a !== 0n;
          if (decided) return this.finish(e, truth(e.op === '||'));
          return truth(this.value(e.right) !== 0n);
        }
        const b = this.value(e.right);
        return combine(e.op, a, b, () => {
          throw this.error('division by zero');
        });
      }
      case 'cond': {
        const taken = this.value(e.test) !== 0n ? e.yes : e.no;
        return this.finish(e, this.value(taken));
      }
      case 'assign': {
        // The right side first: `x += (x = 5)` reads x after setting it.
        const rhs = this.value(e.value);
        const v =
          e.op === ''
            ? rhs
            : combine(e.op, variableNumber(this.vars.get(e.name)), rhs, () => {
                throw this.error('division by zero');
              });
        if (!this.vars.set(e.name, v.toString())) throw new ArithError(`${e.name}: is read only`);
        return v;
      }
    }
  }
}

/** Evaluates an (already expanded) arithmetic expression. Throws ArithError or ArithTrap. */
export function arith(expr: string, vars: ArithVars): bigint {
  const builder = new TreeBuilder(tokenize(expr));
  const tree = builder.whole();
  return new TreeWalker(expr, vars, builder.failure).value(tree);
}
