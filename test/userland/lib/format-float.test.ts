/**
 * C floating point (lib/format-float.ts) against the real programs of Debian 12
 * (fixtures/format-float-real.json, captured by fixtures/capture-format-float.py):
 * dash's builtin printf (strtod and a double), coreutils' /usr/bin/printf (strtold and
 * an x87 long double), seq -f (long double arithmetic) and sort -g (long double
 * comparison) — %f %e %g %a with precisions 0–40, ties, subnormals, overflow and
 * underflow, signed zeros, inf and nan, widths and flags. Plus properties: a double or
 * a long double survives printing with enough digits and reading back, and strtod
 * agrees with JavaScript's own correctly rounded parser.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { run } from '../../helpers/host.js';
import { printfFormat, type PrintfFlavor } from '../../../src/userland/lib/printf-format.js';
import {
  DOUBLE,
  LONG_DOUBLE,
  addFloats,
  compareFloats,
  formatFloat,
  fromNumber,
  multiplyFloats,
  parseCFloat,
  scanCFloat,
  type CFloat,
  type FloatFormat,
  type FloatSpec,
} from '../../../src/userland/lib/format-float.js';

interface PrintfCase {
  flavor: PrintfFlavor;
  format: string;
  args: string[];
  out: string;
  errors: string[];
  status: number;
}
interface SeqCase {
  argv: string[];
  stdout: string;
  stderr: string;
  status: number;
}
interface SortCase {
  lines: string[];
  sorted: string[];
}
const FIXTURE: { printf: PrintfCase[]; seq: SeqCase[]; sortg: SortCase[] } = JSON.parse(readFileSync(new URL('./fixtures/format-float-real.json', import.meta.url), 'utf8'));

const spec = (text: string): FloatSpec => {
  const m = /^%([-+ #0]*)(\d*)(?:\.(\d*))?([fFeEgGaA])$/.exec(text)!;
  return { flags: m[1], width: Number(m[2] || '0'), precision: m[3] === undefined ? undefined : Number(m[3] || '0'), conv: m[4] as FloatSpec['conv'] };
};
const fmt = (text: string, s: string, format: FloatFormat): string => formatFloat(parseCFloat(s, format)!, spec(text));

describe('printf matches dash 0.5.12 (double) and coreutils 9.1 (long double)', () => {
  test('the fixture has cases of both', () => {
    expect(FIXTURE.printf.filter((c) => c.flavor === 'dash').length).toBeGreaterThan(500);
    expect(FIXTURE.printf.filter((c) => c.flavor === 'coreutils').length).toBeGreaterThan(500);
  });
  for (const flavor of ['dash', 'coreutils'] as const) {
    const cases = FIXTURE.printf.filter((c) => c.flavor === flavor);
    test.each(cases.map((c) => [`${c.format} ${c.args.map((a) => JSON.stringify(a)).join(' ')}`, c] as const))(`${flavor}: printf %s`, (_label, c) => {
      expect(printfFormat(c.format, c.args, c.flavor)).toEqual({ out: c.out, errors: c.errors, status: c.status });
    });
  }
});

describe('seq -f and sort -g match coreutils 9.1 (long double)', () => {
  test.each(FIXTURE.seq.map((c) => [c.argv.slice(1).join(' '), c] as const))('seq %s', (_label, c) => {
    const r = run(c.argv, { path: '/usr/bin/seq' });
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
  test.each(FIXTURE.sortg.map((c) => [c.lines.join(' '), c] as const))('sort -g %s', (_label, c) => {
    const r = run(['sort', '-g'], { path: '/usr/bin/sort', stdin: c.lines.map((l) => l + '\n').join('') });
    expect(r.stdout.split('\n').slice(0, -1)).toEqual(c.sorted);
  });
});

describe('values', () => {
  test('the same text is a different value in double and long double', () => {
    expect(fmt('%a', '0.1', DOUBLE)).toBe('0x1.999999999999ap-4');
    expect(fmt('%a', '0.1', LONG_DOUBLE)).toBe('0xc.ccccccccccccccdp-7');
    expect(fmt('%.20f', '0.1', DOUBLE)).toBe('0.10000000000000000555');
    expect(fmt('%.20f', '0.1', LONG_DOUBLE)).toBe('0.10000000000000000000');
  });

  test('%a rounds its hex digits half to even; a long double carry renormalizes, a double one does not', () => {
    expect(fmt('%.1a', '1.15', DOUBLE)).toBe('0x1.2p+0');
    expect(fmt('%.1a', '1.15', LONG_DOUBLE)).toBe('0x9.3p-3');
    expect(fmt('%.0a', '1.5', DOUBLE)).toBe('0x2p+0');
    expect(fmt('%.0a', '1.5', LONG_DOUBLE)).toBe('0xcp-3');
    expect(fmt('%.0a', '1.96875', DOUBLE)).toBe('0x2p+0');
    expect(fmt('%.0a', '1.96875', LONG_DOUBLE)).toBe('0x1p+1');
    expect(fmt('%.1a', '0x1.28p0', DOUBLE)).toBe('0x1.2p+0');
    expect(fmt('%.1a', '0x1.38p0', DOUBLE)).toBe('0x1.4p+0');
    expect(fmt('%.3A', '255.9', LONG_DOUBLE)).toBe('0XF.FE6P+4');
  });

  test('subnormals: a double prints 0x0.…p-1022, a long double a small leading digit and p-16385', () => {
    expect(fmt('%a', '0x1p-1074', DOUBLE)).toBe('0x0.0000000000001p-1022');
    expect(fmt('%a', '0x1p-16445', LONG_DOUBLE)).toBe('0x0.000000000000001p-16385');
    expect(fmt('%a', '0x1.ffp-16383', LONG_DOUBLE)).toBe('0x7.fcp-16385');
  });

  test('strtod: ERANGE on overflow and on a tiny inexact result, judged after rounding', () => {
    const range = (s: string, f: FloatFormat): boolean => scanCFloat(s, f)!.range;
    expect(range('1e400', DOUBLE)).toBe(true);
    expect(range('1e400', LONG_DOUBLE)).toBe(false);
    expect(range('0x1p-1074', DOUBLE)).toBe(false);
    expect(range('1e-310', DOUBLE)).toBe(true);
    expect(range('0x1.fffffffffffff4p-1023', DOUBLE)).toBe(true);
    expect(range('0x1.fffffffffffff8p-1023', DOUBLE)).toBe(false);
    expect(fmt('%a', '0x1.fffffffffffff4p-1023', DOUBLE)).toBe('0x1p-1022');
  });

  test('an empty argument is 0 without complaint, for floats and integers alike', () => {
    for (const flavor of ['dash', 'coreutils'] as const) expect(printfFormat('%g|%d|%x', ['', '', ''], flavor)).toEqual({ out: '0|0|0', errors: [], status: 0 });
  });

  test('strtod reads the longest number at the start', () => {
    const used = (s: string): number | undefined => scanCFloat(s, DOUBLE)?.length;
    expect([used('1e+'), used('0x.p1'), used('0x1p'), used('infinit'), used('nan(abc'), used('nan(x_1)'), used(' .5e-1z'), used('.e1')]).toEqual([1, 1, 3, 3, 3, 8, 6, undefined]);
    expect(scanCFloat('-nan(12)', LONG_DOUBLE)!.value).toMatchObject({ kind: 'nan', negative: true, payload: 12n });
  });

  test('long double arithmetic rounds each operation, as seq does: 0.1 + 3 × 0.7 is one ulp below 2.2', () => {
    const ld = (s: string): CFloat => parseCFloat(s, LONG_DOUBLE)!;
    const x = addFloats(ld('0.1'), multiplyFloats(fromNumber(3, LONG_DOUBLE), ld('0.7')));
    expect(formatFloat(x, spec('%a'))).toBe('0x8.cccccccccccccccp-2');
    expect(compareFloats(x, ld('2.2'))).toBe(-1);
    expect(compareFloats(ld('-0'), ld('0'))).toBe(0);
    expect(compareFloats(ld('nan'), ld('0'))).toBeNaN();
    expect(formatFloat(addFloats(ld('1'), ld('-1')), spec('%g'))).toBe('0');
  });
});

/** A random finite long double: a 64-bit significand and any exponent, normal or subnormal. */
const longDouble = fc
  .record({ mant: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), exp: fc.integer({ min: -16445, max: 16320 }), negative: fc.boolean() })
  .map(({ mant, exp, negative }) => parseCFloat(`${negative ? '-' : ''}0x${mant.toString(16)}p${exp}`, LONG_DOUBLE)!);

describe('properties', () => {
  test('a double printed with %.17g reads back as itself, and JavaScript reads the same double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = formatFloat(fromNumber(x), spec('%.17g'));
        expect(parseCFloat(text, DOUBLE)).toEqual(fromNumber(x));
        expect(Object.is(Number(text), x)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  test('strtod agrees with JavaScript’s correctly rounded parser on decimal text', () => {
    const decimal = fc
      .tuple(fc.stringMatching(/^[0-9]{1,40}$/), fc.nat(40), fc.integer({ min: -360, max: 330 }))
      .map(([digits, point, exp]) => `${digits.slice(0, point % (digits.length + 1))}.${digits.slice(point % (digits.length + 1))}e${exp}`)
      .filter((s) => /[0-9]/.test(s));
    fc.assert(
      fc.property(decimal, (s) => {
        expect(parseCFloat(s, DOUBLE)).toEqual(fromNumber(Number(s)));
      }),
      { numRuns: 400 },
    );
  });

  test('a long double printed with %.21g or %a reads back as itself', () => {
    fc.assert(
      fc.property(longDouble, (v) => {
        expect(parseCFloat(formatFloat(v, spec('%.21g')), LONG_DOUBLE)).toEqual(v);
        expect(parseCFloat(formatFloat(v, spec('%a')), LONG_DOUBLE)).toEqual(v);
      }),
      { numRuns: 150 },
    );
  });

  test('%.Nf of a double is its exact value rounded half to even at N places', () => {
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 12 }), (m, j, places) => {
        // m / 2^j is exact in binary; its decimal expansion has at most j places.
        const x = m / 2 ** j;
        const scaled = BigInt(m) * 10n ** BigInt(places);
        const den = 1n << BigInt(j);
        const abs = scaled < 0n ? -scaled : scaled;
        let q = abs / den;
        const twice = 2n * (abs - q * den);
        if (twice > den || (twice === den && q % 2n === 1n)) q++;
        const digits = q.toString().padStart(places + 1, '0');
        const body = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
        expect(formatFloat(fromNumber(x), spec(`%.${places}f`))).toBe((x < 0 || Object.is(x, -0) ? '-' : '') + body);
      }),
      { numRuns: 300 },
    );
  });
});
