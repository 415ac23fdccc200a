/**
 * The libraries shared with other programs: fnmatch/glob (lib/fnmatch.ts), printf
 * formatting (lib/printf-format.ts), test(1) evaluation (lib/test-expr.ts), and
 * coreutils' /usr/bin/printf, /usr/bin/test and /usr/bin/[ built on them.
 */
import { describe, expect, test } from 'vitest';
import { fnmatch, hasGlobChars, unescapePattern, globToRegExp } from '../../../src/userland/lib/fnmatch.js';
import { printfFormat, expandEscapes } from '../../../src/userland/lib/printf-format.js';
import { run } from './helpers.js';

describe('fnmatch', () => {
  test('wildcards, sets, classes, escapes', () => {
    const cases: [string, string, boolean][] = [
      ['h*o', 'hello', true],
      ['h?llo', 'hello', true],
      ['h?llo', 'hllo', false],
      ['[a-c]x', 'bx', true],
      ['[!a-c]x', 'bx', false],
      ['[]]', ']', true],
      ['[a-]', '-', true],
      ['[[:alpha:]]', 'x', true],
      ['[[:digit:]]*', '7up', true],
      ['[[:foo:]]', 'x', false],
      ['[', '[', true],
      ['[!]', '!', false],
      ['\\*', '*', true],
      ['\\*', 'x', false],
      ['a\\b', 'ab', true],
      ['*', '', true],
      ['*/x', 'a/b/x', true],
      ['[z-a]', 'a', false],
      ['?', '\xc3\xa9', false],
    ];
    for (const [p, s, want] of cases) expect([p, s, fnmatch(p, s)]).toEqual([p, s, want]);
  });

  test("[^…] negates for glibc callers, not for dash's pmatch", () => {
    expect(fnmatch('[^a]', 'b')).toBe(true);
    expect(fnmatch('[^a]', 'b', { caret: false })).toBe(false);
    expect(fnmatch('[^a]', '^', { caret: false })).toBe(true);
  });

  test('hasGlobChars and unescapePattern; globToRegExp agrees', () => {
    expect(hasGlobChars('a*')).toBe(true);
    expect(hasGlobChars('[a')).toBe(false);
    expect(hasGlobChars('[a]')).toBe(true);
    expect(hasGlobChars('[a/b]')).toBe(false);
    expect(hasGlobChars('\\*')).toBe(false);
    expect(unescapePattern('a\\*b\\\\')).toBe('a*b\\');
    expect(globToRegExp('*.t[xy]t').test('a.txt')).toBe(true);
  });
});

describe('printf formatting', () => {
  test('conversions, reuse of the format, missing arguments', () => {
    expect(printfFormat('%s-%d|', ['a', '1', 'b'], 'dash').out).toBe('a-1|b-0|');
    expect(printfFormat('%5.2f|%-4s|%x|%o|%#X|%+d|% d|%05d', ['3.14159', 'ab', '255', '8', '255', '5', '5', '5'], 'dash').out).toBe(' 3.14|ab  |ff|10|0XFF|+5| 5|00005');
    expect(printfFormat('%d %d', ["'A", '"B'], 'dash').out).toBe('65 66');
    expect(printfFormat('%x %o', ['-1', '-8'], 'dash').out).toBe('ffffffffffffffff 1777777777777777777770');
    expect(printfFormat('%c%c|%5c', ['hello', '', 'z'], 'dash').out).toBe('h\0|    z');
    expect(printfFormat('%.3d|%3.1s|%*d|%-*d|%.*s', ['5', 'xyz', '5', '1', '4', '2', '2', 'abcdef'], 'dash').out).toBe('005|  x|    1|2   |ab');
  });

  test('doubles are rounded exactly, half to even, as glibc does', () => {
    expect(printfFormat('%.0f %.0f %.0f %.2f %.3f', ['0.5', '1.5', '2.5', '2.675', '2.0005'], 'dash').out).toBe('0 2 2 2.67 2.001');
    expect(printfFormat('%e %E %g %G %g %g %#g', ['1234.5', '0.000012345', '100000', '1e20', '1e-5', '123456789', '1'], 'dash').out).toBe('1.234500e+03 1.234500E-05 100000 1E+20 1e-05 1.23457e+08 1.00000');
    expect(printfFormat('%a %f', ['1', '1e400'], 'dash')).toEqual({ out: '0x1p+0 inf', errors: ['1e400: Numerical result out of range'], status: 1 });
  });

  test('number errors and invalid directives per flavour', () => {
    expect(printfFormat('%d %d', ['abc', '12abc'], 'dash')).toEqual({ out: '0 12', errors: ['abc: expected numeric value', '12abc: not completely converted'], status: 1 });
    expect(printfFormat('%d', ['abc'], 'coreutils').errors).toEqual(["'abc': expected a numeric value"]);
    expect(printfFormat('ab%qc', ['x'], 'dash')).toEqual({ out: 'ab', errors: ['%q: invalid directive'], status: 1 });
    expect(printfFormat('%q', ["a b"], 'coreutils').out).toBe("'a b'");
    expect(printfFormat('%ld', ['5'], 'coreutils').out).toBe('5');
    expect(printfFormat('%ld', ['5'], 'dash').errors).toEqual(['%l: invalid directive']);
  });

  test('escapes: \\c, \\x, \\u only where each flavour has them', () => {
    expect(printfFormat('a\\tb\\101\\0102|\\x41|\\c', [], 'dash').out).toBe('a\tbA\b2|\\x41|\\c');
    expect(printfFormat('\\x41\\u00e9\\cZ', [], 'coreutils').out).toBe('A\xc3\xa9');
    expect(expandEscapes('x\\0101\\101\\cy', 'b', 'dash')).toEqual({ text: 'xAA', stop: true });
  });
});

describe('coreutils printf, test and [', () => {
  test('/usr/bin/printf', () => {
    const r = run(['printf', '%s=%d\\n', 'a', '1', 'b', 'x'], { path: '/usr/bin/printf' });
    expect({ out: r.stdout, err: r.stderr, status: r.status }).toEqual({ out: 'a=1\nb=0\n', err: "printf: 'x': expected a numeric value\n", status: 1 });
    const m = run(['printf'], { path: '/usr/bin/printf' });
    expect({ err: m.stderr, status: m.status }).toEqual({ err: "printf: missing operand\nTry 'printf --help' for more information.\n", status: 1 });
    // Past U+10FFFF there is no character: the real printf leaves \U… as written.
    expect(run(['printf', '\\U00110000|\\UFFFFFFFF|%b', '\\U00110000'], { path: '/usr/bin/printf' }).stdout).toBe('\\U00110000|\\UFFFFFFFF|\\U00110000');
  });

  test('/usr/bin/test and /usr/bin/[', () => {
    expect(run(['test', '1', '-lt', '2'], { path: '/usr/bin/test' }).status).toBe(0);
    expect(run(['[', '-d', '/etc', ']'], { path: '/usr/bin/[' }).status).toBe(0);
    expect(run(['test', '-f', '/etc'], { path: '/usr/bin/test' }).status).toBe(1);
    const r = run(['[', 'a'], { path: '/usr/bin/[' });
    expect({ err: r.stderr, status: r.status }).toEqual({ err: "[: missing ']'\n", status: 2 });
    const n = run(['test', '1', '-eq', 'a'], { path: '/usr/bin/test' });
    expect({ err: n.stderr, status: n.status }).toEqual({ err: "test: invalid integer 'a'\n", status: 2 });
  });

  test('the shell finds its builtins first, the programs by path', () => {
    const r = run(['sh', '-c', 'type printf test [; command -v printf; /usr/bin/printf "%s\\n" prog; env printf x 2>/dev/null; echo'], { path: '/bin/sh' });
    expect(r.stdout.split('\n').slice(0, 5)).toEqual(['printf is a shell builtin', 'test is a shell builtin', '[ is a shell builtin', 'printf', 'prog']);
  });
});
