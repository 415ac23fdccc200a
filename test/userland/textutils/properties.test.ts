/**
 * Property tests of sort and wc: random input through the simulated program, checked
 * against small reference implementations of the rules (C-locale byte order, GNU's
 * numeric comparison with the whole-line tie break, wc's word and width rules).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';

const RUNS = { numRuns: 60 };

/** Lines of printable ASCII, blanks, digits, signs and a few high bytes. */
const lineArb = fc.string({ unit: fc.constantFrom('a', 'B', 'z', ' ', '\t', '0', '1', '9', '-', '.', '\xe9', '_'), maxLength: 8 });
const linesArb = fc.array(lineArb, { maxLength: 40 });

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** GNU sort -n's key value: leading blanks, optional '-', digits, optional fraction; else 0. */
function numericValue(s: string): number {
  const m = /^[ \t]*(-?)(\d*)(?:\.(\d*))?/.exec(s)!;
  const v = Number(`${m[2] || '0'}.${m[3] || '0'}`);
  return m[1] === '-' ? -v : v;
}

function sortOut(lines: string[], args: string[]): string[] {
  const r = run(['sort', ...args], { path: '/usr/bin/sort', stdin: lines.map((l) => l + '\n').join('') });
  expect(r.status).toBe(0);
  return r.stdout === '' ? [] : r.stdout.slice(0, -1).split('\n');
}

describe('sort', () => {
  test('plain sort is a byte-ordered permutation of its input', () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        const out = sortOut(lines, []);
        expect([...out].sort()).toEqual([...lines].sort());
        for (let i = 1; i < out.length; i++) expect(byteCompare(out[i - 1], out[i])).toBeLessThanOrEqual(0);
      }),
      RUNS,
    );
  });

  test('sort -r reverses the order', () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        expect(sortOut(lines, ['-r'])).toEqual([...lines].sort().reverse());
      }),
      RUNS,
    );
  });

  test('sort -n orders by numeric value, ties by bytes', () => {
    const ref = (a: string, b: string): number => numericValue(a) - numericValue(b) || byteCompare(a, b);
    fc.assert(
      fc.property(linesArb, (lines) => {
        expect(sortOut(lines, ['-n'])).toEqual([...lines].sort(ref));
      }),
      RUNS,
    );
  });

  test('sort -u keeps one of each distinct line', () => {
    fc.assert(
      fc.property(linesArb, (lines) => {
        expect(sortOut(lines, ['-u'])).toEqual([...new Set(lines)].sort());
      }),
      RUNS,
    );
  });

  test('sort -s -t: -k2,2 is stable on the second field', () => {
    const fieldArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 2 });
    const recArb = fc.array(fc.tuple(fieldArb, fieldArb).map(([x, y]) => `${x}:${y}`), { maxLength: 30 });
    fc.assert(
      fc.property(recArb, (lines) => {
        const key = (l: string): string => l.split(':')[1];
        const want = lines.map((l, i) => [l, i] as const).sort((p, q) => byteCompare(key(p[0]), key(q[0])) || p[1] - q[1]).map((p) => p[0]);
        expect(sortOut(lines, ['-s', '-t:', '-k2,2'])).toEqual(want);
      }),
      RUNS,
    );
  });
});

/** Reference counts: lines, words (runs between separators with a printable byte), bytes, -L width. */
function wcReference(s: string): { lines: number; words: number; bytes: number; width: number } {
  const lines = (s.match(/\n/g) ?? []).length;
  const words = s.split(/[ \t\n\r\f\v]+/).filter((w) => /[\x21-\x7e]/.test(w)).length;
  let width = 0;
  for (const line of s.split(/[\n\r\f]/)) {
    let w = 0;
    for (const ch of line) {
      if (ch === '\t') w += 8 - (w % 8);
      else if (ch >= ' ' && ch <= '~') w++;
    }
    width = Math.max(width, w);
  }
  return { lines, words, bytes: s.length, width };
}

describe('wc', () => {
  const textArb = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\t', '\r', '\f', '\v', '\x01', '\x80', '\xff', '.'), maxLength: 60 });

  test('-l -w -c -L agree with the reference on random bytes', () => {
    fc.assert(
      fc.property(textArb, (s) => {
        const r = run(['wc', '-lwcL'], { path: '/usr/bin/wc', stdin: s });
        const ref = wcReference(s);
        const fields = r.stdout.trim().split(/\s+/).map(Number);
        expect(fields).toEqual([ref.lines, ref.words, ref.bytes, ref.width]);
      }),
      { numRuns: 120 },
    );
  });

  test('a lone count of a lone input is printed without padding; pipes pad to 7', () => {
    expect(run(['wc', '-l'], { path: '/usr/bin/wc', stdin: 'a\nb\n' }).stdout).toBe('2\n');
    expect(run(['wc'], { path: '/usr/bin/wc', stdin: 'a b\n' }).stdout).toBe('      1       2       4\n');
  });
});
