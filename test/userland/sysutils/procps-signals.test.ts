/**
 * procps-signals: signal names as procps-ng 4.0.2's kill and pkill read and print
 * them, checked against `kill -l`, `kill -L`, `kill -s NAME` and `kill -NAME` on
 * Debian 12 (x86-64 numbering, signal(7)).
 */
import { describe, expect, test } from 'vitest';
import {
  convertSignal, extractSignalWord, formatSignalList, formatSignalTable, parseSignal, signalName,
} from '../../../src/userland/programs/sysutils/procps-signals.js';

describe('parseSignal (what may be sent)', () => {
  test.each([
    ['9', 9], ['010', 10], ['+9', 9], ['0', 0], ['65', 65],
    ['KILL', 9], ['kill', 9], ['SIGKILL', 9], ['sIgKiLl', 9], ['STKFLT', 16], ['SYS', 31],
    ['IOT', 6], ['CLD', 17], ['IO', 29], ['EXIT', 0], ['SIGEXIT', 0],
    ['RTMIN', 34], ['RTMIN+1', 35], ['rtmin+1', 35], ['SIGRTMIN+30', 64], ['RTMIN+01', 35],
    ['RTMIN+31', -1], ['RTMAX', -1], ['RTMIN-1', -1], ['RTMIN+', -1], ['0x9', -1], ['9x', -1], ['-9', -1], ['', -1], ['UNUSED', -1],
  ])('%s → %d', (text, n) => {
    expect(parseSignal(text)).toBe(n);
  });
});

describe('kill -l and -L', () => {
  test('conversions know only the 31 standard names and plain decimal numbers', () => {
    expect(convertSignal('9')).toBe('KILL');
    expect(convertSignal('09')).toBe('KILL');
    expect(convertSignal('31')).toBe('SYS');
    expect(convertSignal('SIGTERM')).toBe('15');
    expect(convertSignal('term')).toBe('15');
    for (const unknown of ['0', '32', '64', '+9', '0x9', '137', 'IOT', 'CLD', 'IO', 'RTMIN', 'EXIT']) expect(convertSignal(unknown)).toBeNull();
    expect(signalName(0)).toBeNull();
  });

  test('the list wraps before column 80 and the table has seven cells a row', () => {
    const list = formatSignalList();
    expect(list.split('\n').every((l) => l.length <= 80)).toBe(true);
    expect(list.trim().split(/\s+/)).toHaveLength(31);
    const rows = formatSignalTable().split('\n');
    expect(rows[0]).toBe(' 1 HUP      2 INT      3 QUIT     4 ILL      5 TRAP     6 ABRT     7 BUS');
    expect(rows[4]).toBe('29 POLL    30 PWR     31 SYS     ');
  });
});

describe('extractSignalWord (the -SIG word of kill and pkill)', () => {
  test('the first dash word naming a signal is taken out, wherever it is', () => {
    const args = ['123', '--', '-9', '-15'];
    expect(extractSignalWord(args)).toBe(9);
    expect(args).toEqual(['123', '--', '-15']);
    const named = ['-e', '-SIGSTOP', 'sleep'];
    expect(extractSignalWord(named)).toBe(19);
    expect(named).toEqual(['-e', 'sleep']);
  });
  test('options, long options and invalid names are left alone', () => {
    for (const args of [['-x', '1'], ['--signal', '9'], ['-RTMAX', '1'], ['-9x', '1'], ['-', '1']]) {
      const copy = [...args];
      expect(extractSignalWord(copy)).toBe(-1);
      expect(copy).toEqual(args);
    }
  });
});
