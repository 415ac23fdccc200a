// parseInterval: the durations sleep(1) and timeout(1) accept, checked against the
// real coreutils 9.1 sleep on Debian 12 (which takes what strtod(3) takes, then s/m/h/d).
import { expect, test } from 'vitest';
import { parseInterval } from '../../../src/userland/lib/time.js';

test.each([
  ['1', 1], [' 0.1', 0.1], ['+0.1', 0.1], ['1e-1', 0.1], ['1.', 1], ['.5', 0.5], ['.1s', 0.1],
  ['2m', 120], ['1.5h', 5400], ['1d', 86400], ['1e-1m', 6], ['0x1p-3', 0.125], ['0x.8p-3', 0.0625], ['0x10', 16],
  ['inf', Infinity], ['INFINITY', Infinity], ['infd', Infinity], ['0', 0],
])('%j is %d seconds', (text, seconds) => {
  expect(parseInterval(text)).toBeCloseTo(seconds, 12);
});

test.each(['nan', '0.1S', '1x', '-1', '-0', '', 's', '0x', '1 ', '1e', '0xg', '1ms'])('%j is not an interval', (text) => {
  expect(parseInterval(text)).toBeNull();
});
