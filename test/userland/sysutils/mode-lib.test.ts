/**
 * lib/mode.ts: the mode string of ls -l / stat %A and chmod's mode compiler,
 * against independent reference implementations (POSIX chmod's symbolic-mode
 * rules) over random modes and specifications, and against GNU chmod 9.1's results
 * for the GNU-specific cases (directories keep set-group-ID under an octal mode).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { adjustMode, compileMode, fileModeString, fileTypeName } from '../../../src/userland/lib/mode.js';

/** strmode(3), written independently: rwx per class, s/S and t/T for the special bits. */
function refModeString(mode: number): string {
  const type: Record<number, string> = { 0o100000: '-', 0o040000: 'd', 0o120000: 'l', 0o020000: 'c', 0o060000: 'b', 0o010000: 'p', 0o140000: 's' };
  const perms = [...'rwxrwxrwx'].map((c, i) => (mode & (1 << (8 - i)) ? c : '-'));
  const special = (i: number, bit: number, on: string): void => {
    if (mode & bit) perms[i] = perms[i] === 'x' ? on : on.toUpperCase();
  };
  special(2, 0o4000, 's');
  special(5, 0o2000, 's');
  special(8, 0o1000, 't');
  return (type[mode & 0o170000] ?? '?') + perms.join('');
}

/** POSIX chmod symbolic modes for a regular file, written from the standard's text. */
function refChmod(mode: number, spec: string, umask: number): number | null {
  let m = mode & 0o7777;
  for (const clause of spec.split(',')) {
    const c = /^([ugoa]*)((?:[-+=](?:[rwxXst]*|[ugo]))+)$/.exec(clause);
    if (!c) return null;
    const who = c[1];
    const classes = { u: 0o4700, g: 0o2070, o: 0o1007, a: 0o7777 } as Record<string, number>;
    const whoMask = who === '' ? 0o7777 : [...who].reduce((acc, ch) => acc | classes[ch], 0);
    for (const [, op, perm] of c[2].matchAll(/([-+=])([ugo]|[rwxXst]*)/g)) {
      let bits = 0;
      if (perm === 'u' || perm === 'g' || perm === 'o') {
        const shift = { u: 6, g: 3, o: 0 }[perm];
        bits = ((m >> shift) & 7) * 0o111;
      } else {
        for (const ch of perm) {
          if (ch === 'r') bits |= 0o444;
          if (ch === 'w') bits |= 0o222;
          if (ch === 'x') bits |= 0o111;
          if (ch === 'X' && m & 0o111) bits |= 0o111;
          if (ch === 's') bits |= 0o6000;
          if (ch === 't') bits |= 0o1000;
        }
      }
      bits &= who === '' ? ~umask & 0o7777 : whoMask;
      if (op === '+') m |= bits;
      else if (op === '-') m &= ~bits;
      else m = (m & ~whoMask) | bits;
    }
  }
  return m;
}

const who = fc.constantFrom('', 'u', 'g', 'o', 'a', 'ug', 'go', 'uo', 'ugo');
const perm = fc.oneof(
  fc.subarray(['r', 'w', 'x', 'X', 's', 't']).map((p) => p.join('')),
  fc.constantFrom('u', 'g', 'o'),
);
const action = fc.tuple(fc.constantFrom('+', '-', '='), perm).map(([op, p]) => op + p);
const clause = fc.tuple(who, fc.array(action, { minLength: 1, maxLength: 2 })).map(([w, a]) => w + a.join(''));
const spec = fc.array(clause, { minLength: 1, maxLength: 3 }).map((c) => c.join(','));

describe('mode strings', () => {
  test('fileModeString agrees with strmode for every permission set and type', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o7777 }), fc.constantFrom(0o100000, 0o040000, 0o120000, 0o020000, 0o060000, 0o010000, 0o140000), (perm, type) => {
        expect(fileModeString(type | perm)).toBe(refModeString(type | perm));
      }),
      { numRuns: 3000 },
    );
  });

  test.each([
    [0o41777, 'drwxrwxrwt'],
    [0o100640, '-rw-r-----'],
    [0o104755, '-rwsr-xr-x'],
    [0o102644, '-rw-r-Sr--'],
    [0o120777, 'lrwxrwxrwx'],
    [0o20666, 'crw-rw-rw-'],
  ])('%o → %s', (mode, want) => {
    expect(fileModeString(mode)).toBe(want);
  });

  test('stat %F words', () => {
    expect(fileTypeName(0o100644, 0)).toBe('regular empty file');
    expect(fileTypeName(0o100644, 1)).toBe('regular file');
    expect(fileTypeName(0o040755, 4096)).toBe('directory');
    expect(fileTypeName(0o120777, 7)).toBe('symbolic link');
    expect(fileTypeName(0o020666, 0)).toBe('character special file');
  });
});

describe('chmod mode compilation', () => {
  test('symbolic modes on files agree with the POSIX reference', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o7777 }), spec, fc.constantFrom(0o022, 0o002, 0o077, 0), (mode, s, umask) => {
        const changes = compileMode(s);
        expect(changes).not.toBeNull();
        expect(adjustMode(0o100000 | mode, false, umask, changes!).mode).toBe(refChmod(mode, s, umask));
      }),
      { numRuns: 3000 },
    );
  });

  test('octal modes set exactly those bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0o7777 }), fc.integer({ min: 0, max: 0o7777 }), (old, mode) => {
        expect(adjustMode(old, false, 0o022, compileMode(mode.toString(8))!).mode).toBe(mode);
      }),
    );
  });

  test.each(['', 'x', 'u+q', 'a,', ',u+x', 'u=755', '8', '07777a', '77777', 'u+x,', '+'.repeat(0) + 'z'])('rejects %j', (s) => {
    expect(compileMode(s)).toBeNull();
  });

  // GNU chmod 9.1 results (mkdir d; chmod 2755 d; chmod MODE d; stat -c %a d).
  test.each([
    ['755', 0o2755],
    ['0755', 0o2755],
    ['00755', 0o755],
    ['u=rwx,go=rx', 0o2755],
    ['a=rx', 0o2555],
    ['g-s', 0o755],
  ])('a set-group-ID directory under chmod %s', (s, want) => {
    expect(adjustMode(0o42755, true, 0o022, compileMode(s)!).mode).toBe(want);
  });

  test('+X adds execute only for directories or files that have one', () => {
    const c = compileMode('a+X')!;
    expect(adjustMode(0o100644, false, 0o022, c).mode).toBe(0o644);
    expect(adjustMode(0o100744, false, 0o022, c).mode).toBe(0o755);
    expect(adjustMode(0o040644, true, 0o022, c).mode).toBe(0o755);
  });

  test('a mode without "who" is filtered by the umask; changedBits reports what the spec touched', () => {
    expect(adjustMode(0o100666, false, 0o022, compileMode('-w')!).mode).toBe(0o466);
    expect(adjustMode(0o100644, false, 0o022, compileMode('+w')!)).toEqual({ mode: 0o644, changedBits: 0o200 });
  });
});
