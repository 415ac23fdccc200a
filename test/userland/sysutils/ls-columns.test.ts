/**
 * ls -C's column layout (ls-columns.ts) against the real GNU `ls -C -w WIDTH` 9.1
 * (fixtures/ls-columns-real.json, captured by fixtures/capture-modes-formats.py): how
 * many columns fit, the widths, and the tabs and spaces between columns.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { columnGap, manyPerLine } from '../../../src/userland/programs/sysutils/ls-columns.js';

const CASES: { names: string[]; width: number; out: string }[] = JSON.parse(
  readFileSync(new URL('./fixtures/ls-columns-real.json', import.meta.url), 'utf8'),
);

describe('ls -C matches GNU ls 9.1', () => {
  test('the fixture has cases', () => {
    expect(CASES.length).toBeGreaterThan(200);
  });
  test('every captured listing', () => {
    const wrong = CASES.filter((c) => manyPerLine(c.names, c.width) !== c.out).map((c) => ({ width: c.width, names: c.names }));
    expect(wrong).toEqual([]);
  });
  test.each([
    [['a', 'b'], 4, 'a  b\n'],
    [['aa', 'b'], 7, 'aa\nb\n'],
    [['aa', 'b'], 8, 'aa  b\n'],
    [['aaaaaaaaaaaaaaaaaaa', 'b', 'cc'], 0, 'aaaaaaaaaaaaaaaaaaa  b  cc\n'],
  ])('%j at width %d', (names, width, out) => {
    expect(manyPerLine(names, width)).toBe(out);
  });
});

describe('properties', () => {
  test('the gap reaches the next column exactly, tabs first', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 40 }), (from, len) => {
        const gap = columnGap(from, from + len);
        let at = from;
        for (const ch of gap) at = ch === '\t' ? (Math.floor(at / 8) + 1) * 8 : at + 1;
        expect(at).toBe(from + len);
        expect(gap).toMatch(/^\t* *$/);
      }),
    );
  });

  test('every line but the last column fits: no line is longer than the width unless one name is', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 15 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 20, max: 120 }), (lens, width) => {
        const names = lens.map((n, i) => String.fromCharCode(97 + (i % 26)).repeat(n) + String(i).padStart(2, '0'));
        const lines = manyPerLine(names, width).split('\n').slice(0, -1);
        const expand = (line: string): number => [...line].reduce((at, ch) => (ch === '\t' ? (Math.floor(at / 8) + 1) * 8 : at + 1), 0);
        if (lines.length > 1) for (const l of lines) expect(expand(l)).toBeLessThan(width);
        expect(lines.flatMap((l) => l.split(/[\t ]+/))).toHaveLength(names.length);
      }),
    );
  });
});
