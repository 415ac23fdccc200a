/**
 * POSIX BRE/ERE → JavaScript translation (src/userland/lib/posix-regex.ts).
 *
 * Known cases were checked against GNU grep 3.8 and sed 4.9 (LC_ALL=C). The property
 * tests draw random patterns as trees, print them as BRE and as ERE, and compare the
 * compiled matcher with a small independent matcher that computes every possible
 * match end by set arithmetic over the same tree (so leftmost-longest is checked
 * exactly, alternation included).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { compilePosixRegex, RegexSyntaxError, type RegexDialect } from '../../../src/userland/lib/posix-regex.js';

function compile(p: string, extended: boolean, dialect: RegexDialect = 'grep', icase = false) {
  const r = compilePosixRegex(p, { extended, dialect, icase });
  if (r instanceof RegexSyntaxError) throw new Error(`unexpected error for ${p}: ${r.message}`);
  return r;
}

/** [start, end] of the leftmost-longest match, or null. */
function match(p: string, s: string, extended = false, dialect: RegexDialect = 'grep', icase = false): [number, number] | null {
  const m = compile(p, extended, dialect, icase).regex.exec(s, 0);
  return m ? [m.index, m.end] : null;
}

function error(p: string, extended: boolean, dialect: RegexDialect): string | null {
  const r = compilePosixRegex(p, { extended, dialect });
  return r instanceof RegexSyntaxError ? r.message : null;
}

describe('known matches (checked against GNU grep and sed)', () => {
  const cases: [string, boolean, string, [number, number] | null][] = [
    // [pattern, ERE?, subject, expected leftmost-longest span]
    ['a\\|ab', false, 'abc', [0, 2]],
    ['a|ab|abc', true, 'abcd', [0, 3]],
    ['x*|xy', true, 'xyz', [0, 2]],
    ['a*(ab)?', true, 'aab', [0, 3]],
    ['(a|ab)(c|bcd)', true, 'abcd', [0, 4]],
    ['*a', false, 'x*a', [1, 3]],
    ['\\(*a\\)', false, '*a', [0, 2]],
    ['^*a', false, '*a', [0, 2]],
    ['a\\{2,3\\}', false, 'aaaa', [0, 3]],
    ['a{,2}b', true, 'aaab', [1, 4]],
    ['a{1', true, 'xa{1', [1, 4]],
    ['a$b', false, 'a$b', [0, 3]],
    ['x^a', false, 'x^a', [0, 3]],
    ['x^a', true, 'x^a', null],
    ['a)', true, 'a)', [0, 2]],
    ['[]a]', false, ']', [0, 1]],
    ['[^]a]', false, ']ab', [2, 3]],
    ['[a-]', false, '-', [0, 1]],
    ['[[:digit:]]\\+', false, 'ab123c', [2, 5]],
    ['[[:alpha:][:digit:]]*', true, '-x1-', [0, 0]],
    ['[[.-.]]', false, 'a-b', [1, 2]],
    ['[[=a=]]', false, 'ba', [1, 2]],
    ['\\(a\\)\\1', false, 'xaa', [1, 3]],
    ['(b)\\1', true, 'abb', [1, 3]],
    ['\\<foo\\>', false, 'afoo foo', [5, 8]],
    ['\\bb', false, 'ab b', [3, 4]],
    ['\\Bb', false, 'ab b', [1, 2]],
    ['\\w\\+', false, '--ab_1--', [2, 6]],
    ['\\W', false, 'ab c', [2, 3]],
    ['\\s\\S', false, 'a b', [1, 3]],
    ['a.c', false, 'a\nc', null],
    ['\\.', false, 'a.b', [1, 2]],
    ['\\d', false, 'ad', [1, 2]],
    ['a+', false, 'aa+', [1, 3]],
    ['a\\+', false, 'aa+', [0, 2]],
    ['a?', true, 'b', [0, 0]],
    ['', false, 'abc', [0, 0]],
  ];
  for (const [p, ere, s, want] of cases) {
    test(`${ere ? 'ERE' : 'BRE'} ${JSON.stringify(p)} on ${JSON.stringify(s)}`, () => {
      expect(match(p, s, ere)).toEqual(want);
    });
  }

  test('the C locale folds ASCII case only', () => {
    expect(match('[a-c]', 'B', false, 'grep', true)).toEqual([0, 1]);
    expect(match('\xe9', '\xc9', false, 'grep', true)).toBeNull();
    expect(match('[[:upper:]]', 'x', false, 'grep', true)).toEqual([0, 1]);
    expect(match('[^a]', 'A', false, 'grep', true)).toBeNull();
    // A back-reference matches the group's text in either case.
    expect(match('\\(a\\)\\1', 'aA', false, 'grep', true)).toEqual([0, 2]);
  });

  test("sed's `.` and [^…] match a newline; grep's never see one; M makes sed's stop too", () => {
    expect(match('a.c', 'a\nc', false, 'sed')).toEqual([0, 3]);
    expect(match('a[^x]c', 'a\nc', false, 'sed')).toEqual([0, 3]);
    const m = compilePosixRegex('a.c', { extended: false, dialect: 'sed', newlineSensitive: true, multiline: true });
    expect(m instanceof RegexSyntaxError ? null : m.regex.exec('a\nc', 0)).toBeNull();
    const anchored = compilePosixRegex('^b', { extended: false, dialect: 'sed', newlineSensitive: true, multiline: true });
    expect(anchored instanceof RegexSyntaxError ? null : anchored.regex.exec('a\nb', 0)?.index).toBe(2);
  });

  test('groups of the longest match come from a match that ends there', () => {
    const r = compile('\\(a\\|ab\\)\\(c\\|bcd\\)', false);
    const m = r.regex.exec('abcd', 0)!;
    expect(m.groups.slice(0, 3)).toEqual(['abcd', 'a', 'bcd']);
  });
});

describe('syntax errors and warnings', () => {
  const cases: [string, boolean, RegexDialect, string | null][] = [
    ['a\\{1', false, 'grep', 'Unmatched \\{'],
    ['a\\{x\\}', false, 'grep', 'Invalid content of \\{\\}'],
    ['a\\{2,1\\}', false, 'sed', 'Invalid content of \\{\\}'],
    ['a{99999}', true, 'grep', 'Regular expression too big'],
    ['\\(a', false, 'grep', 'Unmatched ( or \\('],
    ['a\\)', false, 'grep', 'Unmatched ) or \\)'],
    ['(a', true, 'sed', 'Unmatched ( or \\('],
    ['a)', true, 'sed', 'Unmatched ) or \\)'],
    ['a)', true, 'grep', null],
    ['[a', false, 'grep', 'Unmatched [, [^, [:, [., or [='],
    ['[[:alpha:]', false, 'grep', 'Unmatched [, [^, [:, [., or [='],
    ['[[:foo:]]', false, 'grep', 'Invalid character class name'],
    ['[b-a]', false, 'sed', 'Invalid range end'],
    ['[[.hyphen.]]', false, 'grep', 'Invalid collation character'],
    ['[:alpha:]', false, 'grep', 'character class syntax is [[:space:]], not [:space:]'],
    ['\\', false, 'grep', 'Trailing backslash'],
    ['\\(a\\1\\)', false, 'grep', 'Invalid back reference'],
    ['\\2\\(a\\)', false, 'sed', 'Invalid back reference'],
    ['a**', false, 'sed', 'Invalid preceding regular expression'],
    ['a**', false, 'grep', null],
    ['a**', true, 'sed', null],
    ['*a', true, 'sed', 'Invalid preceding regular expression'],
    ['\\{1\\}a', false, 'sed', 'Invalid preceding regular expression'],
    ['\\{1\\}a', false, 'grep', null],
    ['x\\|\\{1\\}', false, 'sed', 'Invalid preceding regular expression'],
    ['a{x}', true, 'sed', 'Invalid content of \\{\\}'],
    ['a{x}', true, 'grep', null],
  ];
  for (const [p, ere, dialect, want] of cases) {
    test(`${dialect} ${ere ? 'ERE' : 'BRE'} ${JSON.stringify(p)} → ${want ?? 'ok'}`, () => {
      expect(error(p, ere, dialect)).toBe(want);
    });
  }

  test('a repetition right after an anchor: literal (sed BRE), an error (sed ERE), or a repeated assertion (grep)', () => {
    expect(match('a\\b*', 'a*b', false, 'sed')).toEqual([0, 2]);
    expect(match('a\\b*', 'ab', false, 'sed')).toBeNull();
    // grep selects the line (dfa.c repeats the assertion); `grep -o` would print nothing there,
    // because GNU grep takes -o's spans from glibc, which reads the `*` literally.
    expect(compile('a\\b*', false, 'grep').regex.test('ab')).toBe(true);
    expect(match('\\b*a', 'x*a', false, 'grep')).toEqual([1, 3]);
    expect(error('a\\b*', true, 'sed')).toBe('Invalid preceding regular expression');
    expect(error('a\\b\\{2\\}', false, 'sed')).toBe('Invalid preceding regular expression');
    expect(compile('\\<\\>*a', true).warnings).toEqual(['* at start of expression']);
    expect(compile('a\\b+', true).warnings).toEqual([]);
  });

  test("grep warns about a leading ERE repetition and ignores it", () => {
    const r = compile('*a', true);
    expect(r.warnings).toEqual(['* at start of expression']);
    expect(r.regex.exec('xa', 0)).toMatchObject({ index: 1, end: 2 });
    expect(compile('a|+b', true).warnings).toEqual(['+ at start of expression']);
    expect(compile('{1}a', true).warnings).toEqual(['{...} at start of expression']);
  });
});

// ---- Property tests against an independent matcher ----

type Tree =
  | { t: 'lit'; c: string }
  | { t: 'any' }
  | { t: 'set'; chars: string; neg: boolean }
  | { t: 'cat'; items: Tree[] }
  | { t: 'alt'; a: Tree; b: Tree }
  | { t: 'rep'; a: Tree; min: number; max: number };

const ALPHABET = 'ab';

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...ALPHABET.split('')).map((c): Tree => ({ t: 'lit', c })),
    fc.constant<Tree>({ t: 'any' }),
    fc.record({ chars: fc.constantFrom('a', 'b', 'ab'), neg: fc.boolean() }).map((r): Tree => ({ t: 'set', ...r })),
    fc.array(tie('tree'), { minLength: 2, maxLength: 3 }).map((items): Tree => ({ t: 'cat', items })),
    fc.tuple(tie('tree'), tie('tree')).map(([a, b]): Tree => ({ t: 'alt', a, b })),
    fc
      .tuple(tie('tree'), fc.constantFrom<[number, number]>([0, Infinity], [1, Infinity], [0, 1], [2, 2], [1, 3], [0, 2]))
      .map(([a, [min, max]]): Tree => ({ t: 'rep', a, min, max })),
  ),
})).tree;

/** Every end position of a match of `t` starting at `i` (the reference matcher). */
function ends(t: Tree, s: string, i: number): Set<number> {
  switch (t.t) {
    case 'lit':
      return new Set(s[i] === t.c ? [i + 1] : []);
    case 'any':
      return new Set(i < s.length ? [i + 1] : []);
    case 'set':
      return new Set(i < s.length && t.chars.includes(s[i]) !== t.neg ? [i + 1] : []);
    case 'cat': {
      let cur = new Set([i]);
      for (const item of t.items) {
        const next = new Set<number>();
        for (const p of cur) for (const e of ends(item, s, p)) next.add(e);
        cur = next;
      }
      return cur;
    }
    case 'alt':
      return new Set([...ends(t.a, s, i), ...ends(t.b, s, i)]);
    case 'rep': {
      let level = new Set([i]);
      const result = new Set<number>(t.min === 0 ? [i] : []);
      const seen = new Set<string>();
      for (let k = 1; k <= Math.min(t.max, s.length + 2); k++) {
        const next = new Set<number>();
        for (const p of level) for (const e of ends(t.a, s, p)) next.add(e);
        const key = [...next].sort().join(',');
        if (k >= t.min) for (const e of next) result.add(e);
        if (next.size === 0 || (k > t.min && seen.has(key))) break;
        seen.add(key);
        level = next;
      }
      return result;
    }
  }
}

function referenceMatch(t: Tree, s: string): [number, number] | null {
  for (let i = 0; i <= s.length; i++) {
    const e = ends(t, s, i);
    if (e.size > 0) return [i, Math.max(...e)];
  }
  return null;
}

/** Prints a tree as an ERE or a BRE; every compound operand of a repetition is grouped. */
function render(t: Tree, ere: boolean): string {
  const group = (x: string): string => (ere ? `(${x})` : `\\(${x}\\)`);
  switch (t.t) {
    case 'lit':
      return t.c;
    case 'any':
      return '.';
    case 'set':
      return `[${t.neg ? '^' : ''}${t.chars}]`;
    case 'cat':
      return t.items.map((x) => (x.t === 'alt' ? group(render(x, ere)) : render(x, ere))).join('');
    case 'alt':
      return `${render(t.a, ere)}${ere ? '|' : '\\|'}${render(t.b, ere)}`;
    case 'rep': {
      const a = t.a.t === 'lit' || t.a.t === 'any' || t.a.t === 'set' ? render(t.a, ere) : group(render(t.a, ere));
      const q =
        t.min === 0 && t.max === Infinity ? '*'
        : t.min === 1 && t.max === Infinity ? (ere ? '+' : '\\+')
        : t.min === 0 && t.max === 1 ? (ere ? '?' : '\\?')
        : ere ? `{${t.min},${t.max}}`
        : `\\{${t.min},${t.max}\\}`;
      return a + q;
    }
  }
}

describe('random patterns agree with an independent matcher', () => {
  const subject = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 8 });
  for (const ere of [false, true]) {
    for (const dialect of ['grep', 'sed'] as const) {
      test(`${ere ? 'ERE' : 'BRE'} (${dialect}): existence and leftmost-longest span`, () => {
        fc.assert(
          fc.property(treeArb, subject, (t, s) => {
            const p = render(t, ere);
            const r = compilePosixRegex(p, { extended: ere, dialect });
            if (r instanceof RegexSyntaxError) throw new Error(`${p}: ${r.message}`);
            const want = referenceMatch(t, s);
            expect(r.regex.test(s)).toBe(want !== null);
            const m = r.regex.exec(s, 0);
            expect(m ? [m.index, m.end] : null).toEqual(want);
          }),
          { numRuns: 400, seed: ere ? 11 : 7 },
        );
      });
    }
  }

  test('case folding agrees with a folded reference', () => {
    fc.assert(
      fc.property(treeArb, fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B'), maxLength: 6 }), (t, s) => {
        const p = render(t, true);
        const r = compilePosixRegex(p, { extended: true, dialect: 'grep', icase: true });
        if (r instanceof RegexSyntaxError) throw new Error(p);
        const want = referenceMatch(t, s.toLowerCase());
        const m = r.regex.exec(s, 0);
        expect(m ? [m.index, m.end] : null).toEqual(want);
      }),
      { numRuns: 300, seed: 3 },
    );
  });
});
