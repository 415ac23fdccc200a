/**
 * chmod's mode language (lib/mode-change.ts) against the real GNU chmod 9.1
 * (fixtures/chmod-modes-real.json, captured by fixtures/capture-modes-formats.py): files
 * and directories, every umask class, symbolic clauses with copies, X, s and t, octal
 * and operator-octal modes, and the specifications chmod refuses. A property test checks
 * the "who" filtering against POSIX's rule independently of the fixture.
 */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { adjustMode, compileMode } from '../../../src/userland/lib/mode.js';

interface ChmodCase {
  dir: boolean;
  old: number;
  umask: number;
  mode: string;
  new: number | 'invalid';
}

const CASES: ChmodCase[] = JSON.parse(readFileSync(new URL('./fixtures/chmod-modes-real.json', import.meta.url), 'utf8'));
const oct = (n: number): string => n.toString(8).padStart(4, '0');

describe('chmod modes match GNU chmod 9.1', () => {
  test('the fixture has cases, valid and invalid', () => {
    expect(CASES.length).toBeGreaterThan(1000);
    expect(CASES.some((c) => c.new === 'invalid')).toBe(true);
  });

  test('every captured result', () => {
    const wrong: string[] = [];
    for (const c of CASES) {
      const changes = compileMode(c.mode);
      const got = changes === null ? 'invalid' : adjustMode((c.dir ? 0o040000 : 0o100000) | c.old, c.dir, c.umask, changes).mode;
      if (got !== c.new) {
        const show = (v: number | 'invalid'): string => (v === 'invalid' ? v : oct(v));
        wrong.push(`${c.dir ? 'dir' : 'file'} ${oct(c.old)} umask ${oct(c.umask)} chmod ${JSON.stringify(c.mode)}: want ${show(c.new)}, got ${show(got)}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('properties', () => {
  const clause = fc
    .tuple(fc.constantFrom('u', 'g', 'o', 'ug', 'go', 'a'), fc.constantFrom('+', '-'), fc.subarray(['r', 'w', 'x']))
    .map(([who, op, perms]) => ({ who, op, perms: perms.join('') }));

  test('with a who, +/- change exactly the named classes and ignore the umask', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o777 }), clause, fc.integer({ min: 0, max: 0o777 }), (old, c, umask) => {
        let bits = 0;
        for (const who of c.who === 'a' ? 'ugo' : c.who) {
          const shift = { u: 6, g: 3, o: 0 }[who as 'u' | 'g' | 'o'];
          for (const p of c.perms) bits |= { r: 4, w: 2, x: 1 }[p as 'r' | 'w' | 'x'] << shift;
        }
        const want = c.op === '+' ? old | bits : old & ~bits;
        expect(adjustMode(0o100000 | old, false, umask, compileMode(c.who + c.op + c.perms)!).mode).toBe(want);
      }),
      { numRuns: 500 },
    );
  });

  test('without a who, the umask protects its bits from +', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o777 }), fc.integer({ min: 0, max: 0o777 }), (old, umask) => {
        expect(adjustMode(0o100000 | old, false, umask, compileMode('+rwx')!).mode).toBe(old | (0o777 & ~umask));
      }),
    );
  });

  test('an octal mode with five digits sets exactly its bits, even on a directory', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o7777 }), fc.integer({ min: 0, max: 0o7777 }), (old, mode) => {
        expect(adjustMode(0o040000 | old, true, 0o022, compileMode(mode.toString(8).padStart(5, '0'))!).mode).toBe(mode);
      }),
    );
  });
});
