/**
 * cut's LIST language against the real GNU cut 9.1 (fixtures/cut-lists-real.json,
 * captured by fixtures/capture-textutils.py): ranges N, N-, -M, N-M separated by commas
 * or blanks, overlapping ranges joined but adjacent ones kept apart (visible with
 * --output-delimiter), --complement, and which error is reported first.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';
import { parseList } from '../../../src/userland/programs/textutils/cut.js';

interface CutFixture {
  stdin: string;
  cases: { argv: string[]; stdout: string; stderr: string; status: number }[];
}

const FIXTURE: CutFixture = JSON.parse(readFileSync(new URL('./fixtures/cut-lists-real.json', import.meta.url), 'utf8'));

describe('cut LIST matches GNU cut 9.1', () => {
  test('the fixture has cases', () => {
    expect(FIXTURE.cases.length).toBeGreaterThan(300);
  });
  test.each(FIXTURE.cases.map((c) => [JSON.stringify(c.argv.slice(1)), c] as const))('cut %s', (_label, c) => {
    const r = run(c.argv, { path: '/usr/bin/cut', stdin: FIXTURE.stdin });
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
});

describe('parseList', () => {
  test('ranges come out sorted, overlaps joined, adjacent ranges apart', () => {
    expect(parseList('5-,2-3,1', true, false)).toEqual([
      { lo: 1, hi: 1 },
      { lo: 2, hi: 3 },
      { lo: 5, hi: Infinity },
    ]);
    expect(parseList('1-3,2-4 3', false, false)).toEqual([{ lo: 1, hi: 4 }]);
    expect(parseList('-2,4', true, true)).toEqual([
      { lo: 3, hi: 3 },
      { lo: 5, hi: Infinity },
    ]);
  });

  test('a listed set and its complement partition the positions', () => {
    const item = fc.oneof(
      fc.integer({ min: 1, max: 12 }).map(String),
      fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 6 })).map(([a, d]) => `${a}-${a + d}`),
      fc.integer({ min: 1, max: 12 }).map((a) => `${a}-`),
      fc.integer({ min: 1, max: 12 }).map((a) => `-${a}`),
    );
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), (items) => {
        const list = items.join(',');
        const picked = parseList(list, true, false);
        const rest = parseList(list, true, true);
        if (typeof picked === 'string' || typeof rest === 'string') throw new Error(`refused ${list}`);
        const inAny = (rs: { lo: number; hi: number }[], p: number): boolean => rs.some((r) => r.lo <= p && p <= r.hi);
        for (let p = 1; p <= 25; p++) {
          const listed = items.some((it) => {
            const [a, b] = it.includes('-') ? it.split('-') : [it, it];
            return (a === '' ? 1 : Number(a)) <= p && p <= (b === '' ? Infinity : Number(b));
          });
          expect(inAny(picked, p)).toBe(listed);
          expect(inAny(rest, p)).toBe(!listed);
        }
      }),
      { numRuns: 300 },
    );
  });
});
