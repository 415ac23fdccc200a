/** lib/human-readable.ts: sizes as ls -h and ls -s print them (outputs of GNU ls 9.1 on files of these sizes). */
import { expect, test } from 'vitest';
import fc from 'fast-check';
import { humanReadable } from '../../../src/userland/lib/human-readable.js';

test.each([
  [0, '0'], [1, '1'], [1000, '1000'], [1023, '1023'], [1024, '1.0K'], [1025, '1.1K'], [1221, '1.2K'],
  [4096, '4.0K'], [10239, '10K'], [10240, '10K'], [10241, '11K'], [12345, '13K'], [102400, '100K'],
  [1048575, '1.0M'], [1048576, '1.0M'], [1073741824, '1.0G'], [5000000, '4.8M'],
])('ls -h shows %i bytes as %s', (n, want) => {
  expect(humanReadable(n, 1, 1, { autoscale: true })).toBe(want);
});

test('1K blocks round up (ls -s, "total")', () => {
  expect([0, 1, 2, 3, 8, 16, 100].map((b) => humanReadable(b, 512, 1024))).toEqual(['0', '1', '1', '2', '4', '8', '50']);
});

test('autoscaled sizes never understate the amount (ceiling rounding)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 50 }), (n) => {
      const s = humanReadable(n, 1, 1, { autoscale: true });
      const m = /^(\d+(?:\.\d)?)([KMGTPE]?)$/.exec(s);
      expect(m).not.toBeNull();
      const scale = 1024 ** ' KMGTPE'.indexOf(m![2] || ' ');
      expect(Number(m![1]) * scale).toBeGreaterThanOrEqual(n);
      // and by less than one unit of the last digit shown
      const unit = m![1].includes('.') ? scale / 10 : scale;
      expect(Number(m![1]) * scale - n).toBeLessThan(unit);
    }),
    { numRuns: 2000 },
  );
});
