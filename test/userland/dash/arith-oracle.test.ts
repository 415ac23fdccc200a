/**
 * Arithmetic against black-box dash: fixtures/arith-cases.json holds random
 * expressions (some malformed) over variables x, y and a read-only r, with what
 * /usr/bin/dash printed for `v=$(( EXPR )); echo "$v|$x|$y"` (captured by
 * fixtures/capture-dash.mjs). The evaluator must give the same value, the same
 * side effects on x and y, and the same error message, including which of two
 * errors comes first (`1/0 +` is a division by zero, `0 && 1 +` a syntax error).
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { arith, ArithError, ArithTrap } from '../../../src/userland/programs/dash/arith.js';

interface ArithCase {
  expr: string;
  x: string;
  y: string;
  out: string;
  status: number;
}

const fixture = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'arith-cases.json');
const cases = (JSON.parse(readFileSync(fixture, 'latin1')) as { cases: ArithCase[] }).cases;

/** What the script printed and its status, computed with ctsim's evaluator. */
function simulate(c: ArithCase): { out: string; status: number } {
  const vars = new Map([
    ['x', c.x],
    ['y', c.y],
    ['r', '4'],
  ]);
  try {
    const v = arith(` ${c.expr} `, {
      get: (n) => vars.get(n),
      set: (n, value) => {
        if (n === 'r') return false;
        vars.set(n, value);
        return true;
      },
    });
    return { out: `${v}|${vars.get('x')}|${vars.get('y')}\n`, status: 0 };
  } catch (e) {
    if (e instanceof ArithError) return { out: `sh: N: ${e.message}\n`, status: 2 };
    if (e instanceof ArithTrap) return { out: '', status: 136 };
    throw e;
  }
}

describe('arithmetic matches /usr/bin/dash', () => {
  test(`${cases.length} captured expressions`, () => {
    const diffs = cases.map((c) => ({ c, got: simulate(c) })).filter(({ c, got }) => got.out !== c.out || got.status !== c.status);
    expect(diffs.slice(0, 10).map(({ c, got }) => ({ expr: c.expr, x: c.x, y: c.y, dash: c.out, ctsim: got.out }))).toEqual([]);
  });

  test('INT64_MIN / -1 and % -1 trap (SIGFPE), after a division by zero check', () => {
    const vars = { get: () => undefined, set: () => true };
    expect(() => arith('(1<<63) / -1', vars)).toThrow(ArithTrap);
    expect(() => arith('(1<<63) % -1', vars)).toThrow(ArithTrap);
    expect(() => arith('(1<<63) / 0', vars)).toThrow(ArithError);
  });

  test('the expression text is quoted whole in the message, blanks included', () => {
    const vars = { get: () => undefined, set: () => true };
    expect(() => arith(' 1 ? 2 ', vars)).toThrow(expect.objectContaining({ message: `arithmetic expression: expecting ':': " 1 ? 2 "` }));
    expect(() => arith('(1 2)', vars)).toThrow(expect.objectContaining({ message: `arithmetic expression: expecting ')': "(1 2)"` }));
    expect(() => arith('1\r+2', vars)).toThrow(expect.objectContaining({ message: `arithmetic expression: expecting EOF: "1\r+2"` }));
  });
});
