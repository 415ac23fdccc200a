/**
 * Reading a `$((…))` expression into a tree (arith.ts evaluates it): tokens as
 * dash reads them (blanks are space, tab and newline; constants in C syntax,
 * saturating at INT64_MAX; the longest operator wins, so `1 === 1` is `==` `=`),
 * then the C expression grammar without the comma operator and without `++`
 * `--`: assignment ← conditional ← binary operators by C precedence ← prefix
 * `+ - ! ~` ← number, name or parenthesised expression.
 *
 * A syntax error does not throw: the parse stops and leaves a `fail` leaf (with
 * the complete expression before it, if any) and marks every node above it
 * `broken`, so that evaluation can meet the errors in the order dash does.
 */

const INT64_MAX = (1n << 63n) - 1n;

/** A token: a constant, a name, an operator, a character no token starts with, the end. */
export type Token = { t: 'num'; v: bigint } | { t: 'name'; name: string } | { t: 'op'; op: string } | { t: 'bad' } | { t: 'end' };

/** Operators, longest first so that `<<=` is not read as `<<` `=`. */
const OPERATORS = ['<<=', '>>=', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|=', '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '!', '~', '?', ':', '(', ')', '='];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isNameStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isNameChar = (c: string): boolean => isNameStart(c) || isDigit(c);
const HEX_DIGIT = /^[0-9a-fA-F]$/;

/**
 * Reads a numeric constant at `i` as strtoimax(…, 0) does: `0x…` hex (when a hex
 * digit follows), `0…` octal, else decimal; a value past INT64_MAX saturates.
 * Returns the value and the offset after it.
 */
function readConstant(s: string, i: number): [bigint, number] {
  let base = 10n;
  let j = i;
  let digitOk: (c: string) => boolean = isDigit;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && HEX_DIGIT.test(s[i + 2] ?? '')) {
    base = 16n;
    j = i + 2;
    digitOk = (c) => HEX_DIGIT.test(c);
  } else if (s[i] === '0') {
    base = 8n;
    digitOk = (c) => c >= '0' && c <= '7';
  }
  let v = 0n;
  while (j < s.length && digitOk(s[j])) {
    if (v <= INT64_MAX) v = v * base + BigInt(parseInt(s[j], 16));
    j++;
  }
  return [v > INT64_MAX ? INT64_MAX : v, j];
}

/** Splits the expression into tokens (blanks are space, tab and newline only). */
export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
    } else if (isDigit(c)) {
      const [v, next] = readConstant(s, i);
      out.push({ t: 'num', v });
      i = next;
    } else if (isNameStart(c)) {
      let j = i + 1;
      while (j < s.length && isNameChar(s[j])) j++;
      out.push({ t: 'name', name: s.slice(i, j) });
      i = j;
    } else {
      const op = OPERATORS.find((o) => s.startsWith(o, i));
      if (op === undefined) {
        out.push({ t: 'bad' }); // nothing after it matters: the parse fails here
        break;
      }
      out.push({ t: 'op', op });
      i += op.length;
    }
  }
  out.push({ t: 'end' });
  return out;
}

/** A parsed expression; `broken` when the parse failed inside it. */
export type Expr = { readonly broken: boolean } & (
  | { k: 'num'; v: bigint }
  | { k: 'var'; name: string }
  | { k: 'unary'; op: string; arg: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'cond'; test: Expr; yes: Expr; no: Expr }
  /** `op` is '' for `=`, else the operator of `op=`. */
  | { k: 'assign'; name: string; op: string; value: Expr }
  /** Where the parse stopped: `done` (complete text before the error) is evaluated first. */
  | { k: 'fail'; done: Expr | null }
);

/** Binding strength of the binary operators (C's; higher binds tighter). */
const BINDING: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6,
  '!=': 6,
  '<': 7,
  '<=': 7,
  '>': 7,
  '>=': 7,
  '<<': 8,
  '>>': 8,
  '+': 9,
  '-': 9,
  '*': 10,
  '/': 10,
  '%': 10,
};

const ASSIGN_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '<<=', '>>=', '&=', '^=', '|=']);
const PREFIX_OPS = new Set(['+', '-', '!', '~']);

/** A recursive-descent parser over the C expression grammar, without the comma operator. */
export class TreeBuilder {
  private pos = 0;
  /** The syntax error met, if any ("expecting primary"); parsing stops there. */
  failure: string | null = null;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private isOp(op: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.t === 'op' && t.op === op;
  }

  private fail(message: string, done: Expr | null): Expr {
    this.failure ??= message;
    return { k: 'fail', done, broken: true };
  }

  /** The whole text: one expression, then nothing. */
  whole(): Expr {
    const e = this.assignment();
    if (e.broken || this.peek().t === 'end') return e;
    return this.fail('expecting EOF', e);
  }

  /** assignment := NAME assign-op assignment | conditional */
  private assignment(): Expr {
    const t = this.peek();
    const next = this.peek(1);
    if (t.t === 'name' && next.t === 'op' && ASSIGN_OPS.has(next.op)) {
      this.pos += 2;
      const value = this.assignment();
      return { k: 'assign', name: t.name, op: next.op.slice(0, -1), value, broken: value.broken };
    }
    return this.conditional();
  }

  /** conditional := binary [ '?' assignment ':' conditional ] */
  private conditional(): Expr {
    const test = this.binary(1);
    if (test.broken || !this.isOp('?')) return test;
    this.pos++;
    const yes = this.assignment();
    let no: Expr;
    if (yes.broken) no = this.fail('', null);
    else if (!this.isOp(':')) no = this.fail("expecting ':'", null);
    else {
      this.pos++;
      no = this.conditional();
    }
    return { k: 'cond', test, yes, no, broken: no.broken || yes.broken };
  }

  /** Binary operators binding at least `minBinding`, left-associative (precedence climbing). */
  private binary(minBinding: number): Expr {
    let left = this.prefixed();
    for (;;) {
      if (left.broken) return left;
      const t = this.peek();
      const b = t.t === 'op' ? BINDING[t.op] : undefined;
      if (t.t !== 'op' || b === undefined || b < minBinding) return left;
      this.pos++;
      const right = this.binary(b + 1);
      left = { k: 'binary', op: t.op, left, right, broken: right.broken };
    }
  }

  /** prefixed := ('+' | '-' | '!' | '~') prefixed | primary */
  private prefixed(): Expr {
    const t = this.peek();
    if (t.t === 'op' && PREFIX_OPS.has(t.op)) {
      this.pos++;
      const arg = this.prefixed();
      return { k: 'unary', op: t.op, arg, broken: arg.broken };
    }
    return this.primary();
  }

  /** primary := NUM | NAME | '(' assignment ')' */
  private primary(): Expr {
    const t = this.peek();
    if (t.t === 'num') {
      this.pos++;
      return { k: 'num', v: t.v, broken: false };
    }
    if (t.t === 'name') {
      this.pos++;
      return { k: 'var', name: t.name, broken: false };
    }
    if (t.t === 'op' && t.op === '(') {
      this.pos++;
      const inner = this.assignment();
      if (inner.broken) return inner;
      if (!this.isOp(')')) return this.fail("expecting ')'", inner);
      this.pos++;
      return inner;
    }
    return this.fail('expecting primary', null);
  }
}
