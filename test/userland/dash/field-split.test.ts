/**
 * Field splitting (POSIX XCU 2.6.5) and `read`'s splitting:
 * - fast-check properties compare field-split.ts with a small reference written
 *   from the standard's text, for one unquoted expansion and for `read` without
 *   backslashes, where dash follows POSIX;
 * - fixtures/split-cases.json and fixtures/read-cases.json hold random words and
 *   lines with what /usr/bin/dash printed for them (capture-dash.mjs), including
 *   dash's own rules around "$@", empty expansions and backslashes; ctsim's sh
 *   must print the same.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { splitFields } from '../../../src/userland/programs/dash/field-split.js';
import { loadCases, runCases } from './dash-cases.js';

/** "IFS white space": the white-space characters of IFS (space, tab, newline). */
const WHITE = ' \t\n';

/**
 * POSIX 2.6.5 for the result of one unquoted expansion: IFS white space at the
 * ends is dropped; each delimiter — a run of IFS white space, or one other IFS
 * character with the white space around it — ends a field; a delimiter at the
 * very end ends the last field without starting another. A null IFS does not split.
 */
function posixFields(value: string, ifs: string): string[] {
  if (ifs === '') return value === '' ? [] : [value];
  const white = [...ifs].filter((c) => WHITE.includes(c));
  const other = [...ifs].filter((c) => !WHITE.includes(c));
  const cls = (cs: string[]): string => (cs.length ? `[${cs.map((c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')).join('')}]` : '(?!)');
  const w = cls(white);
  const trimmed = value.replace(new RegExp(`^${w}+|${w}+$`, 'g'), '');
  if (trimmed === '') return [];
  const fields = trimmed.split(new RegExp(`${w}*${cls(other)}${w}*|${w}+`));
  if (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
  return fields;
}

/**
 * `read` with `n` variables (no backslashes): the first n-1 fields as above; the
 * last variable gets the rest of the line with its IFS white space trimmed, or,
 * when that rest is one field followed by a delimiter, just the field.
 */
function posixRead(line: string, ifs: string, n: number): string[] {
  const all = posixFields(line, ifs);
  if (all.length <= n) return all;
  // Find where field n starts: consume n-1 fields and their delimiters from the left.
  const white = [...ifs].filter((c) => WHITE.includes(c));
  const isWhite = (c: string): boolean => white.includes(c);
  const isDelim = (c: string): boolean => ifs.includes(c);
  let i = 0;
  while (i < line.length && isWhite(line[i])) i++;
  for (let k = 0; k < n - 1; k++) {
    while (i < line.length && !isDelim(line[i])) i++;
    while (i < line.length && isWhite(line[i])) i++;
    if (i < line.length && isDelim(line[i]) && !isWhite(line[i])) i++;
    while (i < line.length && isWhite(line[i])) i++;
  }
  let rest = line.slice(i);
  while (rest !== '' && isWhite(rest[rest.length - 1])) rest = rest.slice(0, -1);
  const restFields = posixFields(rest, ifs);
  return [...all.slice(0, n - 1), restFields.length <= 1 ? (restFields[0] ?? '') : rest];
}

const ifsArb = fc.constantFrom(' \t\n', ' ', ':', ' :', ':\t', '', ',;', ' \n,');
const textArb = fc.array(fc.constantFrom('a', 'b', ' ', ' ', '\t', '\n', ':', ',', ';', 'z'), { maxLength: 12 }).map((a) => a.join(''));

describe('field splitting follows POSIX 2.6.5 where dash does', () => {
  test('one unquoted expansion', () => {
    fc.assert(
      fc.property(textArb, ifsArb, (v, ifs) => {
        expect(splitFields(v, [0, v.length, 0], ifs, -1)).toEqual(posixFields(v, ifs));
      }),
      { numRuns: 3000 },
    );
  });

  test('read into n variables', () => {
    fc.assert(
      fc.property(textArb, ifsArb, fc.integer({ min: 1, max: 4 }), (line, ifs, n) => {
        expect(splitFields(line, [0, line.length, 0], ifs, n).slice(0, n)).toEqual(posixRead(line, ifs, n));
      }),
      { numRuns: 3000 },
    );
  });

  test('text outside regions is never cut; "$@" elements always are', () => {
    // a$x with x=" b " and IFS=" ": "a" "b".
    expect(splitFields('a b ', [1, 4, 0], ' ', -1)).toEqual(['a', 'b']);
    // "$@" with a and '' (QM marks a quoted part; SEPH separates elements).
    expect(splitFields('\uE002a\uE003\uE002', [0, 4, 1], ' ', -1)).toEqual(['\uE002a', '\uE002']);
    expect(splitFields('', [], ' ', -1)).toEqual([]);
  });
});

describe('ctsim sh splits as /usr/bin/dash does', () => {
  test.each(['split-cases.json', 'read-cases.json'])('%s', (name) => {
    const { cases, lines } = loadCases(name);
    const got = runCases(lines);
    const diffs = cases.flatMap((c, i) => (got[i].out === c.out ? [] : [{ case: lines[i], dash: c.out, ctsim: got[i].out }]));
    expect(diffs.slice(0, 10)).toEqual([]);
  });
});
