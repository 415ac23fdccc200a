/**
 * stat's format language (stat-format.ts and stat's walker) against the real GNU stat
 * 9.1 (fixtures/stat-format-real.json, captured by fixtures/capture-modes-formats.py):
 * %% and a trailing %, invalid directives and where output stops, H/L on the wrong
 * conversion, padding of names and modes, --printf escapes and their warnings, and
 * -c's newline after the format.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { bootHost } from './sysutils-host.js';
import { parseStatFormat } from '../../../src/userland/programs/sysutils/stat-format.js';

interface StatCase {
  argv: string[];
  stdout: string;
  stderr: string;
  status: number;
}

const CASES: StatCase[] = JSON.parse(readFileSync(new URL('./fixtures/stat-format-real.json', import.meta.url), 'utf8'));

describe('stat formats match GNU stat 9.1', () => {
  const h = bootHost();
  h.run(['/usr/bin/touch', '/tmp/f']);
  h.run(['/usr/bin/chmod', '644', '/tmp/f']);

  test('the fixture has cases', () => {
    expect(CASES.length).toBeGreaterThan(200);
  });
  test.each(CASES.map((c) => [`${c.argv[1]} ${JSON.stringify(c.argv[2])}`, c] as const))('stat %s', (_label, c) => {
    const r = h.run(c.argv, { path: '/usr/bin/stat', cwd: '/tmp' });
    expect({ stdout: r.stdout, stderr: r.stderr, status: r.status }).toEqual({ stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
});

describe('parseStatFormat', () => {
  test('directives, text and escapes', () => {
    expect(parseStatFormat('a%-5.2nb%%\\t%Hd', true)).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'directive', prefix: '%-5.2', mod: '', conv: 'n' },
      { kind: 'text', text: 'b%\t' },
      { kind: 'directive', prefix: '%', mod: 'H', conv: 'd' },
    ]);
  });
  test('-c keeps backslashes; --printf warns about unknown escapes', () => {
    expect(parseStatFormat('\\q', false)).toEqual([{ kind: 'text', text: '\\q' }]);
    expect(parseStatFormat('\\q', true)).toEqual([
      { kind: 'warning', message: "unrecognized escape '\\q'" },
      { kind: 'text', text: 'q' },
    ]);
  });
  test('an invalid directive ends the format', () => {
    expect(parseStatFormat('x%5%n', false)).toEqual([
      { kind: 'text', text: 'x' },
      { kind: 'invalid', directive: '%5%' },
    ]);
  });
});
