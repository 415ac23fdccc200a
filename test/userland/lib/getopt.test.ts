// getopt as GNU getopt_long(3) parses: bundling, attached and separate arguments,
// "x::" optional arguments that must be attached, unique prefixes of long names,
// and permutation. The messages are glibc's.
import { describe, expect, it } from 'vitest';
import { getopt, GetoptError, type OptionSpec } from '../../../src/userland/lib/getopt.js';

const SPECS: OptionSpec[] = [
  { short: 'a', long: 'all' },
  { short: 'n', long: 'number', arg: 'required' },
  { short: 'i', long: 'in-place', arg: 'optional' },
  { long: 'color', arg: 'optional' },
  { long: 'colour', arg: 'optional', key: 'color' },
  { long: 'count' },
];

describe('getopt', () => {
  it('bundles flags and takes an attached or a separate required argument', () => {
    expect(getopt('p', ['-an5', 'x'], SPECS).list).toEqual([['all', true], ['number', '5']]);
    expect(getopt('p', ['-a', '-n', '5', 'x'], SPECS).list).toEqual([['all', true], ['number', '5']]);
  });

  it('gives a short optional argument only when attached (getopt "i::")', () => {
    expect(getopt('p', ['-i.bak', 'f'], SPECS)).toMatchObject({ list: [['in-place', '.bak']], operands: ['f'] });
    expect(getopt('p', ['-i', '.bak'], SPECS)).toMatchObject({ list: [['in-place', true]], operands: ['.bak'] });
    expect(getopt('p', ['-ai'], SPECS).list).toEqual([['all', true], ['in-place', true]]);
    // Everything after the letter is the argument, even letters that are options.
    expect(getopt('p', ['-ia'], SPECS).list).toEqual([['in-place', 'a']]);
  });

  it('gives a long optional argument only after =', () => {
    expect(getopt('p', ['--in-place=.orig', 'f'], SPECS)).toMatchObject({ list: [['in-place', '.orig']], operands: ['f'] });
    expect(getopt('p', ['--in-place', 'f'], SPECS)).toMatchObject({ list: [['in-place', true]], operands: ['f'] });
  });

  it('accepts unique prefixes and names the candidates of an ambiguous one', () => {
    expect(getopt('p', ['--num=3'], SPECS).list).toEqual([['number', '3']]);
    expect(() => getopt('p', ['--co'], SPECS)).toThrow(new GetoptError("p: option '--co' is ambiguous; possibilities: '--color' '--colour' '--count'"));
  });

  it('permutes operands unless told to stop at the first', () => {
    expect(getopt('p', ['x', '-a'], SPECS)).toMatchObject({ list: [['all', true]], operands: ['x'] });
    expect(getopt('p', ['x', '-a'], SPECS, { stopAtOperand: true })).toMatchObject({ list: [], operands: ['x', '-a'] });
  });

  it("reports glibc's messages", () => {
    expect(() => getopt('p', ['-z'], SPECS)).toThrow("p: invalid option -- 'z'");
    expect(() => getopt('p', ['-n'], SPECS)).toThrow("p: option requires an argument -- 'n'");
    expect(() => getopt('p', ['--all=1'], SPECS)).toThrow("p: option '--all' doesn't allow an argument");
    expect(() => getopt('p', ['--bogus'], SPECS)).toThrow("p: unrecognized option '--bogus'");
  });
});

describe('getopt prefixes of synonyms', () => {
  it('takes a prefix shared only by names of one option, as glibc does (grep --col)', () => {
    const specs: OptionSpec[] = [
      { long: 'color', arg: 'optional', key: 'color' },
      { long: 'colour', arg: 'optional', key: 'color' },
      { long: 'count', key: 'c' },
    ];
    expect(getopt('p', ['--colo=never'], specs).list).toEqual([['color', 'never']]);
    expect(() => getopt('p', ['--co'], specs)).toThrow("p: option '--co' is ambiguous; possibilities: '--color' '--colour' '--count'");
  });
});
