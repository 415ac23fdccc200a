/**
 * Every text tool against what the real GNU tools printed for the same command line,
 * input files and standard input (golden/*.golden.ts): standard output, standard error
 * and exit status byte for byte, and the files a command writes (tee, sed -i, sort -o,
 * uniq OUTPUT, sed's w).
 */
import { describe, expect, test } from 'vitest';
import { runGolden, type GoldenCase } from './golden-case.js';
import { CASES as SIMPLE } from './golden/simple.golden.js';
import { CASES as HEAD_TAIL_WC } from './golden/head-tail-wc.golden.js';
import { CASES as CUT_TR } from './golden/cut-tr.golden.js';
import { CASES as SORT_UNIQ } from './golden/sort-uniq.golden.js';
import { CASES as GREP } from './golden/grep.golden.js';
import { CASES as SED } from './golden/sed.golden.js';
import { CASES as XARGS } from './golden/xargs.golden.js';

const SUITES: [string, GoldenCase[]][] = [
  ['basename, dirname, seq, tee', SIMPLE],
  ['head, tail, wc', HEAD_TAIL_WC],
  ['cut, tr', CUT_TR],
  ['sort, uniq', SORT_UNIQ],
  ['grep', GREP],
  ['sed', SED],
  ['xargs', XARGS],
];

function label(c: GoldenCase): string {
  const args = c.argv.map((a) => JSON.stringify(a)).join(' ');
  return c.stdin !== undefined ? `${args} <<< ${JSON.stringify(c.stdin.slice(0, 40))}` : args;
}

for (const [name, cases] of SUITES) {
  describe(`${name} match GNU`, () => {
    test('the suite has cases', () => {
      expect(cases.length).toBeGreaterThan(40);
    });
    for (const c of cases) {
      test(label(c), () => {
        const r = runGolden(c);
        expect({ stdout: r.stdout, stderr: r.stderr, status: r.status, afterContents: r.afterContents }).toEqual({
          stdout: c.stdout,
          stderr: c.stderr,
          status: c.status,
          afterContents: c.afterContents,
        });
      });
    }
  });
}
