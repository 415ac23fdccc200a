/**
 * Page replacement when RAM is full (OSTEP ch. 22): FIFO evicts the page resident
 * longest, LRU the one used longest ago, CLOCK gives referenced pages a second chance;
 * anonymous pages go to swap, and with no swap left the OOM hook is asked.
 */
import { describe, expect, test } from 'vitest';
import { PhysicalMemory, FRAME_REFERENCED } from '../../../src/hw/physical-memory.js';
import { FrameKind, MemoryManager, type SwapPolicy } from '../../../src/kernel/mm/memory.js';
import { Rng } from '../../../src/sim/rng.js';

function manager(policy: SwapPolicy, swapBytes = 1024 * 1024, onOom = () => false) {
  return new MemoryManager({ memory: new PhysicalMemory(64 * 4096), swapBytes, policy, rng: new Rng(1), shootdown: () => {}, outOfMemory: onOom, minFreeKbytes: 0 });
}

/** Fills memory with anonymous pages; returns them in allocation order. */
function fill(m: MemoryManager): number[] {
  const frames: number[] = [];
  while (m.freeFrames > 0) frames.push(m.allocPage(FrameKind.Anon, 1)!);
  return frames;
}

describe('MemoryManager', () => {
  test('the kernel keeps its share: MemTotal leaves out the page array and image', () => {
    const m = manager('fifo');
    expect(m.reservedFrames).toBe(1 + 8);
    expect(m.totalFrames).toBe(64 - 9);
    expect(m.freeFrames).toBe(64 - 9 - 1); // and the zero page
  });

  test('fifo evicts the first page in, to swap', () => {
    const m = manager('fifo');
    const frames = fill(m);
    const next = m.allocPage(FrameKind.Anon, 1);
    expect(next).toBe(frames[0]);
    expect(m.events.pswpout).toBe(1);
    expect(m.swap.usedSlots).toBe(1);
  });

  test('lru evicts the page used longest ago', () => {
    const m = manager('lru');
    const frames = fill(m);
    m.touched(frames[0]);
    m.touched(frames[1]);
    expect(m.allocPage(FrameKind.Anon, 1)).toBe(frames[2]);
  });

  test('clock skips referenced pages once, clearing their bits', () => {
    const m = manager('clock');
    const frames = fill(m);
    m.memory.setFlag(frames[0], FRAME_REFERENCED, true);
    m.memory.setFlag(frames[1], FRAME_REFERENCED, true);
    expect(m.allocPage(FrameKind.Anon, 1)).toBe(frames[2]);
    expect(m.memory.hasFlag(frames[0], FRAME_REFERENCED)).toBe(false);
    // The hand moved on: the next victim is the page after the last one evicted.
    expect(m.allocPage(FrameKind.Anon, 1)).toBe(frames[3]);
  });

  test('file pages are dropped without swap; anonymous pages need a free slot', () => {
    const m = manager('fifo', 0);
    const first = m.allocPage(FrameKind.File, 1)!;
    while (m.freeFrames > 0) m.allocPage(FrameKind.Anon, 1);
    expect(m.allocPage(FrameKind.Anon, 1)).toBe(first);
    expect(m.events.pswpout).toBe(0);
  });

  test('with nothing evictable the OOM hook is asked, and null comes back when it cannot help', () => {
    let asked = 0;
    const m = manager('clock', 0, () => {
      asked++;
      return false;
    });
    fill(m);
    expect(m.allocPage(FrameKind.Anon, 1)).toBe(null);
    expect(asked).toBe(1);
  });

  test('rand is reproducible with the same seed', () => {
    const victims = () => {
      const m = manager('rand');
      fill(m);
      return [1, 2, 3, 4, 5].map(() => m.allocPage(FrameKind.Anon, 1));
    };
    expect(victims()).toEqual(victims());
  });
});
