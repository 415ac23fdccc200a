/**
 * seq against the real GNU seq 9.1 (fixtures/seq-real.json, captured by
 * fixtures/capture-textutils.py): operands in every spelling the default format reads
 * (places, exponents, hexadecimal, signs, -0), -w widths, -f formats, -s, option
 * parsing around negative numbers, the extra-number rule and every error message —
 * plus properties against plain arithmetic.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';
import { fixedText, readOperand } from '../../../src/userland/programs/textutils/seq-number.js';
import { parseUserFormat } from '../../../src/userland/programs/textutils/seq.js';

interface SeqCase {
  argv: string[];
  stdout: string;
  stderr: string;
  status: number;
}

const CASES: SeqCase[] = JSON.parse(readFileSync(new URL('./fixtures/seq-real.json', import.meta.url), 'utf8'));

function seq(argv: string[]): { stdout: string; stderr: string; status: number } {
  const r = run(argv, { path: '/usr/bin/seq' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('seq matches GNU seq 9.1', () => {
  test('the fixture has cases', () => {
    expect(CASES.length).toBeGreaterThan(300);
  });
  test.each(CASES.map((c) => [c.argv.slice(1).join(' '), c] as const))('seq %s', (_label, c) => {
    expect(seq(c.argv)).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
});

describe('properties', () => {
  test('integer sequences are plain arithmetic: FIRST, FIRST+STEP, … while not past LAST', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 50 }), fc.integer({ min: -7, max: 7 }).filter((s) => s !== 0), fc.integer({ min: -50, max: 50 }), (first, step, last) => {
        const want: number[] = [];
        for (let x = first; step > 0 ? x <= last : x >= last; x += step) want.push(x);
        const r = seq(['seq', '--', String(first), String(step), String(last)]);
        expect(r.stdout).toBe(want.map((x) => `${x}\n`).join(''));
      }),
      { numRuns: 60 },
    );
  });

  test('-w pads every number to the width of the wider of FIRST and LAST', () => {
    fc.assert(
      fc.property(fc.integer({ min: -999, max: 999 }), fc.integer({ min: -999, max: 999 }), (a, b) => {
        const first = Math.min(a, b);
        const last = Math.min(Math.max(a, b), first + 5);
        const width = Math.max(String(first).length, String(last).length);
        const lines = seq(['seq', '-w', '--', String(first), String(last)]).stdout.split('\n').filter(Boolean);
        for (const l of lines) expect(l.length).toBe(width);
      }),
      { numRuns: 40 },
    );
  });

  test('decimal steps are exact: the last number printed is LAST when the steps reach it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 4 }), (count, places) => {
        const unit = 10 ** -places;
        const step = unit.toFixed(places);
        const last = (count * unit).toFixed(places);
        const out = seq(['seq', step, step, last]).stdout.split('\n').filter(Boolean);
        expect(out.length).toBe(count);
        expect(out[out.length - 1]).toBe(last);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the parts', () => {
  test.each([
    ['2.50', 2, 1],
    ['-.5', 1, 2],
    ['0.05e2', 0, 3],
    ['15e-3', 3, 2],
    ['+05', 0, 2],
    ['0x10', 0, 0],
    ['inf', 0, 0],
  ])('%s is written with %d places and %d integer columns', (text, places, intColumns) => {
    const op = readOperand(text);
    expect(typeof op).toBe('object');
    if (typeof op === 'object') expect([op.places, op.intColumns]).toEqual([places, intColumns]);
  });

  test('readOperand refuses what strtold refuses, and NaN', () => {
    for (const t of ['', '1 ', '1e', '.', '0x', '1_0', '1.5.', '1e5000', '0x1p16384']) expect(readOperand(t)).toBe('invalid');
    for (const t of ['nan', '-nan', 'NaN', 'nan(1)']) expect(readOperand(t)).toBe('nan');
  });

  test('fixedText prints exact values with zero padding after the sign', () => {
    expect(fixedText(-5n, 0, 0, 3)).toBe('-05');
    expect(fixedText(15n, 1, 2, 6)).toBe('001.50');
    expect(fixedText(0n, 0, 1, 0, true)).toBe('-0.0');
    expect(fixedText(125n, 2, 1, 0)).toBe('1.2');
  });

  test('parseUserFormat splits a format around its one directive', () => {
    expect(parseUserFormat('x%%%-08.3Lfy%%')).toEqual({ before: 'x%', spec: { flags: '-0', width: 8, precision: 3, conv: 'f' }, after: 'y%' });
    expect(parseUserFormat('%d')).toBe("format '%d' has unknown %d directive");
    expect(parseUserFormat('%5')).toBe("format '%5' ends in %");
    expect(parseUserFormat('%g%g')).toBe("format '%g%g' has too many % directives");
    expect(parseUserFormat('%%')).toBe("format '%%' has no % directive");
  });
});
