/**
 * Physical memory as frames: allocation and freeing keep the books straight, a frame
 * reads as zeros until something other than zeros is written, contents stay with their
 * frame, and storage is spent only on frames that hold data.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_DIRTY, FRAME_REFERENCED, PAGE_SIZE, PhysicalMemory } from '../../src/hw/physical-memory.js';

describe('PhysicalMemory', () => {
  it('hands out the lowest frames first, then reuses the latest freed, and runs out', () => {
    const m = new PhysicalMemory(4 * PAGE_SIZE + 100);
    expect(m.totalFrames).toBe(4);
    expect([m.alloc(), m.alloc(), m.alloc()]).toEqual([0, 1, 2]);
    m.free(1);
    expect(m.alloc()).toBe(1);
    expect(m.alloc()).toBe(3);
    expect(m.alloc()).toBeNull();
    expect(m.stats()).toEqual({ totalFrames: 4, freeFrames: 0, storedFrames: 0, allocations: 5, frees: 1 });
  });

  it('reads zeros until bytes are stored, and stores nothing for zeros', () => {
    const m = new PhysicalMemory(8 * PAGE_SIZE);
    const f = m.alloc()!;
    expect(m.read(f, 0, 4)).toEqual(new Uint8Array(4));
    m.write(f, 100, new Uint8Array(64));
    expect(m.stats().storedFrames).toBe(0);
    m.write(f, PAGE_SIZE - 2, Uint8Array.of(7, 9));
    expect(m.read(f, PAGE_SIZE - 3, 3)).toEqual(Uint8Array.of(0, 7, 9));
    expect(m.stats().storedFrames).toBe(1);
  });

  it('copies a frame for copy-on-write; freeing and zeroing drop the contents', () => {
    const m = new PhysicalMemory(8 * PAGE_SIZE);
    const a = m.alloc()!;
    const b = m.alloc()!;
    m.write(a, 0, Uint8Array.of(1, 2, 3));
    m.copyFrame(a, b);
    m.write(b, 0, Uint8Array.of(9));
    expect(m.read(a, 0, 3)).toEqual(Uint8Array.of(1, 2, 3));
    expect(m.read(b, 0, 3)).toEqual(Uint8Array.of(9, 2, 3));
    m.zeroFrame(b);
    expect(m.read(b, 0, 3)).toEqual(new Uint8Array(3));
    m.free(a);
    const again = m.alloc()!;
    expect(again).toBe(a);
    expect(m.read(again, 0, 3)).toEqual(new Uint8Array(3));
  });

  it('keeps owner, map count and the referenced/dirty bits per frame, reset by free', () => {
    const m = new PhysicalMemory(2 * PAGE_SIZE);
    const f = m.alloc(42)!;
    expect(m.ownerOf(f)).toBe(42);
    expect(m.adjustMapCount(f, 1)).toBe(1);
    expect(m.adjustMapCount(f, 1)).toBe(2);
    m.setFlag(f, FRAME_REFERENCED, true);
    m.setFlag(f, FRAME_DIRTY, true);
    m.setFlag(f, FRAME_REFERENCED, false);
    expect([m.hasFlag(f, FRAME_REFERENCED), m.hasFlag(f, FRAME_DIRTY)]).toEqual([false, true]);
    m.free(f);
    const g = m.alloc()!;
    expect([m.ownerOf(g), m.mapCountOf(g), m.hasFlag(g, FRAME_DIRTY)]).toEqual([-1, 0, false]);
  });

  it('refuses frames that are free or out of range, spans across frames, and a negative map count', () => {
    const m = new PhysicalMemory(2 * PAGE_SIZE);
    const f = m.alloc()!;
    expect(() => m.read(1, 0, 1)).toThrow(/frame 1 is not allocated/);
    expect(() => m.free(7)).toThrow(/outside physical memory/);
    expect(() => m.write(f, PAGE_SIZE - 1, Uint8Array.of(1, 2))).toThrow(/within one 4096-byte frame/);
    expect(() => m.adjustMapCount(f, -1)).toThrow(/map count/);
    m.free(f);
    expect(() => m.free(f)).toThrow(/not allocated/);
    expect(() => new PhysicalMemory(100)).toThrow(/at least one/);
  });

  it('never hands out a frame twice, and its free count matches (random alloc/free runs)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant<'alloc'>('alloc'), fc.nat({ max: 63 })), { maxLength: 300 }), (ops) => {
        const m = new PhysicalMemory(16 * PAGE_SIZE);
        const held = new Set<number>();
        for (const op of ops) {
          if (op === 'alloc') {
            const f = m.alloc();
            if (f === null) expect(held.size).toBe(16);
            else {
              expect(held.has(f)).toBe(false);
              held.add(f);
            }
          } else if (held.size > 0) {
            const f = [...held][op % held.size];
            m.free(f);
            held.delete(f);
          }
          expect(m.freeFrames).toBe(16 - held.size);
        }
      }),
    );
  });

  it('gives back what was written, frame by frame (random writes)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ frame: fc.nat({ max: 3 }), offset: fc.nat({ max: PAGE_SIZE - 8 }), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }), { maxLength: 60 }), (writes) => {
        const m = new PhysicalMemory(4 * PAGE_SIZE);
        for (let i = 0; i < 4; i++) m.alloc();
        const model = [0, 1, 2, 3].map(() => new Uint8Array(PAGE_SIZE));
        for (const w of writes) {
          m.write(w.frame, w.offset, w.bytes);
          model[w.frame].set(w.bytes, w.offset);
        }
        for (let f = 0; f < 4; f++) expect(m.read(f, 0, PAGE_SIZE)).toEqual(model[f]);
      }),
    );
  });

  it('property: 32-bit words and byte ranges read back the same, however the frame is stored', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.tuple(fc.constant('w32' as const), fc.integer({ min: 0, max: 1023 }), fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 0xffffffff }))),
            fc.tuple(fc.constant('bytes' as const), fc.integer({ min: 0, max: PAGE_SIZE - 8 }), fc.integer({ min: 0, max: 255 })),
            fc.tuple(fc.constant('copy' as const), fc.constant(0), fc.constant(0)),
          ),
          { maxLength: 200 },
        ),
        (ops) => {
          const m = new PhysicalMemory(2 * PAGE_SIZE);
          const a = m.alloc()!;
          const b = m.alloc()!;
          const model = new Uint8Array(PAGE_SIZE);
          for (const [op, at, v] of ops) {
            if (op === 'w32') {
              m.writeU32(a, at * 4, v);
              new DataView(model.buffer).setUint32(at * 4, v, true);
            } else if (op === 'bytes') {
              m.write(a, at, new Uint8Array(8).fill(v));
              model.fill(v, at, at + 8);
            } else {
              m.copyFrame(a, b);
              expect(m.read(b, 0, PAGE_SIZE)).toEqual(model);
            }
          }
          for (let i = 0; i < PAGE_SIZE / 4; i++) expect(m.readU32(a, i * 4)).toBe(new DataView(model.buffer).getUint32(i * 4, true));
          expect(m.read(a, 0, PAGE_SIZE)).toEqual(model);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a sparsely written frame (a page table) counts as stored, reads the same as a whole page, and is dropped when freed', () => {
    const m = new PhysicalMemory(4 * PAGE_SIZE);
    const f = m.alloc()!;
    for (let i = 0; i < 10; i++) m.writeU32(f, i * 8, 0x1007 + i * 0x1000);
    expect(m.stats().storedFrames).toBe(1);
    const page = m.contentsOf(f)!;
    expect(page[8]).toBe(0x07);
    expect(page[9]).toBe(0x20);
    expect(m.readU32(f, 8)).toBe(0x2007);
    m.free(f);
    expect(m.stats().storedFrames).toBe(0);
    expect(m.readU32(m.alloc()!, 8)).toBe(0);
  });

  it('hands freed frames back most recent first however many are freed (its free stack grows as they are)', () => {
    const m = new PhysicalMemory(64 * 1024 * 1024);
    const frames = Array.from({ length: 6_000 }, () => m.alloc()!);
    const freed = frames.filter((f) => f % 3 !== 0);
    for (const f of freed) m.free(f);
    expect(m.freeFrames).toBe(16_384 - 6_000 + freed.length);
    const again = freed.map(() => m.alloc()!);
    expect(again).toEqual([...freed].reverse());
    expect(m.alloc()).toBe(6_000);
  });

  it('keeps owners, map counts and flags as its per-frame arrays grow with use', () => {
    const m = new PhysicalMemory(64 * 1024 * 1024);
    const frames: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const f = m.alloc(i % 7)!;
      m.adjustMapCount(f, 1 + (i % 3));
      if (i % 5 === 0) m.setFlag(f, FRAME_DIRTY, true);
      frames.push(f);
    }
    expect(new Set(frames).size).toBe(10_000);
    frames.forEach((f, i) => {
      expect(m.ownerOf(f)).toBe(i % 7);
      expect(m.mapCountOf(f)).toBe(1 + (i % 3));
      expect(m.hasFlag(f, FRAME_DIRTY)).toBe(i % 5 === 0);
    });
    expect(m.isUsed(16_383)).toBe(false);
  });
});
