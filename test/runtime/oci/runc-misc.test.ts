/** Container ids and signal names as runc parses them. */
import { describe, expect, test } from 'vitest';
import { isValidContainerId, parseSignal, signalName } from '../../../src/runtime/oci/index.js';

describe('isValidContainerId', () => {
  test('accepts [A-Za-z0-9_+-.]+', () => {
    for (const id of ['c1', 'my_container-1.2+x', '...', 'a..b', '-', 'A']) expect([id, isValidContainerId(id)]).toEqual([id, true]);
  });
  test('refuses empty, . and .., slashes, spaces and other characters', () => {
    for (const id of ['', '.', '..', 'a/b', '/a', 'a b', 'a:b', 'é', 'a\n']) expect([id, isValidContainerId(id)]).toEqual([id, false]);
  });
});

describe('parseSignal', () => {
  test('names with or without SIG, any case, and numbers', () => {
    expect(parseSignal('KILL')).toBe(9);
    expect(parseSignal('SIGKILL')).toBe(9);
    expect(parseSignal('kill')).toBe(9);
    expect(parseSignal('sigterm')).toBe(15);
    expect(parseSignal('9')).toBe(9);
    expect(parseSignal('+9')).toBe(9);
    expect(parseSignal('SIGSTKFLT')).toBe(16);
    expect(parseSignal('WINCH')).toBe(28);
    expect(parseSignal('SYS')).toBe(31);
  });
  test('numbers are not range-checked (kill(2) decides), as in runc', () => {
    expect(parseSignal('0')).toBe(0);
    expect(parseSignal('64')).toBe(64);
  });
  test('unknown names, aliases runc does not know, and junk are null', () => {
    for (const s of ['', 'FOO', 'SIGIOT', 'POLL', 'RTMIN', 'SIGRTMIN+1', ' 9', '9x', '0x9', '99999999999999999999']) expect([s, parseSignal(s)]).toEqual([s, null]);
  });
  test('signalName', () => {
    expect(signalName(9)).toBe('SIGKILL');
    expect(signalName(99)).toBeNull();
  });
});
