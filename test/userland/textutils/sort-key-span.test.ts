/**
 * Where a sort -k key lies in a line (sort-key-span.ts), against the spans the real
 * GNU `sort --debug` 9.1 underlines (fixtures/sort-key-spans-real.json, captured by
 * fixtures/capture-textutils.py): with and without -t, with 'b' on either end, with
 * character offsets past the field and past the line.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { keySpan, newKey, type SortKey } from '../../../src/userland/programs/textutils/sort-compare.js';

interface SpanCase {
  line: string;
  spec: string;
  tab: string | null;
  /** POS1 as field, character (1-based) and 'b'. */
  start: [number, number, boolean];
  /** POS2 as field, character (0 = end of field) and 'b', or null. */
  end: [number, number, boolean] | null;
  span: [number, number];
}

const CASES: SpanCase[] = JSON.parse(readFileSync(new URL('./fixtures/sort-key-spans-real.json', import.meta.url), 'utf8'));

/** The SortKey that `-k spec` makes (sort.ts's parser keeps POS1 1.1 as "start of line"). */
function keyOf(c: SpanCase): SortKey {
  const k = newKey();
  const [f1, c1, b1] = c.start;
  k.startField = f1 === 1 && c1 === 1 ? -1 : f1 - 1;
  k.startChar = c1 - 1;
  k.startBlanks = b1;
  if (c.end) {
    k.endField = c.end[0] - 1;
    k.endChar = c.end[1];
    k.endBlanks = c.end[2];
  }
  return k;
}

describe('sort key spans match sort --debug', () => {
  test('the fixture has cases', () => {
    expect(CASES.length).toBeGreaterThan(400);
  });
  test('every captured span', () => {
    const wrong = CASES.filter((c) => {
      const [s, e] = keySpan(c.line, keyOf(c), c.tab);
      return s !== c.span[0] || e !== c.span[1];
    });
    expect(wrong).toEqual([]);
  });
  test.each([
    ['-k2,2', 'ab  cdef gh', [2, 8]],
    ['-k2b,2', 'ab  cdef gh', [4, 8]],
    ['-k2.2,2.3', 'ab  cdef gh', [3, 5]],
    ['-k1,1.6', 'ab  cdef gh', [0, 6]],
  ] as const)('%s of %j', (spec, line, span) => {
    const m = /^-k(\d+)(?:\.(\d+))?(b?),(\d+)(?:\.(\d+))?$/.exec(spec)!;
    const c: SpanCase = {
      line,
      spec,
      tab: null,
      start: [Number(m[1]), Number(m[2] ?? 1), m[3] === 'b'],
      end: [Number(m[4]), Number(m[5] ?? 0), false],
      span: [0, 0],
    };
    expect(keySpan(line, keyOf(c), null)).toEqual(span);
  });
});
