/**
 * Property: whatever processes do with memory — map, touch, write, fork, unmap, exit —
 * under pressure with swap, the books balance: while they run every resident page is
 * counted once per mapping, and when they have all exited every frame, swap slot and
 * page table they used is free again.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, munmap, peek, poke, touch } from '../../../src/userland/lib/mem.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { checkBooks } from '../../helpers/mm-books.js';

const MiB = 1024 * 1024;

type Step =
  | { op: 'map'; pages: number }
  | { op: 'touch'; area: number; from: number; pages: number; write: boolean }
  | { op: 'poke'; area: number; page: number }
  | { op: 'unmap'; area: number }
  | { op: 'fork'; steps: number };

// Weighted towards mapping and touching a lot, so that most runs swap and some run out.
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('map' as const), pages: fc.integer({ min: 1, max: 1500 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('touch' as const), area: fc.nat(), from: fc.nat(), pages: fc.integer({ min: 1, max: 1500 }), write: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('poke' as const), area: fc.nat(), page: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unmap' as const), area: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fork' as const), steps: fc.integer({ min: 0, max: 6 }) }) },
);

interface Area {
  p: number;
  len: number;
  stamp: string;
}

function program(steps: Step[], k: () => Kernel, seed: number) {
  // Each process has its own list of areas: a child starts with a copy of its parent's.
  function* run(list: Step[], depth: number, areas: Area[]): Program {
    for (const s of list) {
      if (s.op === 'map') {
        // Map and fill: most runs then press on RAM.
        const p = yield* mmap(0, s.pages * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        if (!(p instanceof SysError)) {
          areas.push({ p, len: s.pages * 4096, stamp: '' });
          yield* touch(p, s.pages * 4096, true);
        }
      } else if (areas.length > 0) {
        const a = areas[s.op === 'fork' ? 0 : s.area % areas.length];
        if (s.op === 'touch') {
          const from = (s.from % (a.len / 4096)) * 4096;
          yield* touch(a.p + from, Math.min(s.pages * 4096, a.len - from), s.write);
        } else if (s.op === 'poke') {
          a.stamp = `${seed}:${s.page}:${depth}`;
          yield* poke(a.p, a.stamp);
        } else if (s.op === 'unmap') {
          yield* munmap(a.p, a.len);
          areas.splice(areas.indexOf(a), 1);
        } else {
          const rest = list.slice(list.indexOf(s) + 1, list.indexOf(s) + 1 + s.steps);
          const pid = yield* sys.fork(() => run(rest, depth + 1, areas.map((x) => ({ ...x }))));
          if (typeof pid === 'number') yield* sys.wait4(pid);
        }
      }
      checkBooks(k());
    }
    // What this process wrote last is what it reads (a child's writes never show).
    for (const a of areas) if (a.stamp) expect(yield* peek(a.p, a.stamp.length)).toBe(a.stamp);
    return 0;
  }
  return () => run(steps, 0, []);
}

describe('memory bookkeeping', () => {
  test('property: counters match the page tables while processes run, and everything is free after they exit', () => {
    let swapped = 0;
    let killed = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 6, maxLength: 30 }), fc.constantFrom('clock', 'lru', 'fifo', 'rand'), fc.integer({ min: 1, max: 1000 }), (steps, policy, seed) => {
        let kernel: Kernel | null = null;
        const host = hostWith({ mem: program(steps, () => kernel!, seed) }, { memoryBytes: 8 * MiB, swapBytes: 8 * MiB, swapPolicy: policy, seed });
        kernel = host.kernel;
        const k = host.kernel;
        const free0 = k.mem.freeFrames + k.mem.anonPages + k.mem.filePages + k.mem.tablePages;
        const r = host.run(['/usr/bin/mem']);
        // Killed by the OOM killer is allowed (RAM + swap can run out); a failed check is not
        // (an exception in the program shows as SIGSEGV with the message in the kernel log).
        if (r.status !== 0 && r.status !== 137) throw new Error(`status ${r.status}: ${k.log.map((l) => l.text).filter((t) => t.includes('internal error')).join('; ')}`);
        // Every frame is free or accounted for by a live mapping or table (checkBooks).
        expect(k.mem.freeFrames + k.mem.anonPages + k.mem.filePages + k.mem.tablePages).toBe(free0);
        checkBooks(k);
        if (k.mem.events.pswpout > 0) swapped++;
        if (r.status === 137) killed++;
      }),
      // A fixed seed: the same 30 runs every time, which the coverage checks below rely on.
      { numRuns: 30, seed: 20261127 },
    );
    // The runs must exercise the hard paths (swapping, the OOM killer), not only the easy ones.
    expect(swapped).toBeGreaterThan(3);
    expect(killed).toBeGreaterThan(0);
  });
});
