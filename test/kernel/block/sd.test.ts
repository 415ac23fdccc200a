/**
 * sd's capacity in the boot log: decimal and binary units, three significant digits
 * each, as the kernel's string_get_size prints them ("(1.07 GB/1.00 GiB)").
 */
import { describe, expect, it } from 'vitest';
import { formatCapacity } from '../../../src/kernel/block/sd.js';

describe('sd capacity', () => {
  it('prints three significant digits in both units', () => {
    expect(formatCapacity(64 * 1024 ** 2)).toBe('67.1 MB/64.0 MiB');
    expect(formatCapacity(1024 ** 3)).toBe('1.07 GB/1.00 GiB');
    expect(formatCapacity(500 * 1000 ** 3)).toBe('500 GB/466 GiB');
  });
});
