/**
 * The programs' malloc (userland/lib/mem.ts): like glibc's, small blocks come from
 * the brk heap (grown with a 128 KiB top pad), blocks of 128 KiB and more from their
 * own mappings, which free() gives back.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import { out, readFile } from '../../../src/userland/lib/io.js';
import { Heap, brk, touch } from '../../../src/userland/lib/mem.js';
import type { Program } from '../../../src/kernel/proc/program.js';

describe('Heap', () => {
  test('small blocks from brk, large ones from mmap; free unmaps a large block', () => {
    const host = hostWith({
      *t(): Program {
        const heap = new Heap();
        const start = (yield* brk(0)) as number;
        const a = (yield* heap.alloc(100)) as number;
        const b = (yield* heap.alloc(100)) as number;
        const top = (yield* brk(0)) as number;
        const big = (yield* heap.alloc(256 * 1024)) as number;
        yield* touch(big, 256 * 1024, true);
        const before = (yield* readFile('/proc/self/maps')) as string;
        yield* heap.free(big);
        const after = (yield* readFile('/proc/self/maps')) as string;
        const hasBig = (maps: string): boolean => maps.includes(`${big.toString(16)}-${(big + 256 * 1024).toString(16)} rw-p`);
        yield* out(`${a - start} ${b - a} ${top - start} ${big > top + 1024 * 1024 * 1024} ${hasBig(before)} ${hasBig(after)}\n`);
        return 0;
      },
    });
    // 100 bytes round up to 112 (16-byte alignment); the first brk takes the block plus a 128 KiB pad, page-rounded.
    expect(host.run(['/usr/bin/t']).stdout).toBe(`0 112 ${Math.ceil((100 + 128 * 1024) / 4096) * 4096} true true false\n`);
  });
});
