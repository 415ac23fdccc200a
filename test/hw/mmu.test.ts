/**
 * The x86-64 4-level walk over simulated frames (Intel SDM vol. 3A §4.5): indices
 * from the address bits, one memory reference per level, accessed/dirty bits set as
 * the hardware sets them, and each fault where the hardware takes it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FRAME_DIRTY, FRAME_REFERENCED, PAGE_SIZE, PhysicalMemory } from '../../src/hw/physical-memory.js';
import { Mmu, PTE_ACCESSED, PTE_DIRTY, PTE_PRESENT, PTE_USER, PTE_WRITABLE, decodeEntry, splitAddress, writeEntry } from '../../src/hw/mmu.js';

const RW_USER = PTE_PRESENT | PTE_WRITABLE | PTE_USER;

/** Maps the page of `vaddr` to `frame` under `root`, making the tables it needs (as a kernel would). */
function mapPage(m: PhysicalMemory, root: number, vaddr: bigint, frame: number, leafFlags = RW_USER, noExecute = false): void {
  const { indices } = splitAddress(vaddr)!;
  let table = root;
  for (let level = 0; level < 3; level++) {
    const view = new DataView(m.read(table, indices[level] * 8, 8).buffer);
    const lo = view.getUint32(0, true);
    const hi = view.getUint32(4, true);
    if (lo & PTE_PRESENT) table = decodeEntry(lo, hi).frame;
    else {
      const next = m.alloc()!;
      writeEntry(m, table, indices[level], next, RW_USER);
      table = next;
    }
  }
  writeEntry(m, table, indices[3], frame, leafFlags, noExecute);
}

describe('Mmu.walk', () => {
  it('splits a canonical address into four 9-bit indices and an offset', () => {
    expect(splitAddress(0x7f12_3456_789an)).toEqual({ indices: [254, 72, 418, 359], offset: 0x89a });
    expect(splitAddress(0xffff_8000_0000_0000n)).toEqual({ indices: [256, 0, 0, 0], offset: 0 });
    expect(splitAddress(0x0000_8000_0000_0000n)).toBeNull();
  });

  it('translates through four levels, reading four entries, and marks them accessed and the page dirty', () => {
    const m = new PhysicalMemory(64 * PAGE_SIZE);
    const mmu = new Mmu(m);
    const root = m.alloc()!;
    const page = m.alloc()!;
    mapPage(m, root, 0x40_1000n, page);
    const r = mmu.walk(root, 0x40_1234n, { kind: 'write', user: true });
    expect(r).toMatchObject({ ok: true, frame: page, physAddress: page * PAGE_SIZE + 0x234 });
    expect(r.steps.map((s) => s.index)).toEqual([0, 0, 2, 1]);
    expect(mmu.memoryReferences).toBe(4);
    const again = mmu.walk(root, 0x40_1000n, { kind: 'read', user: true });
    expect(again.steps.every((s) => (s.lo & PTE_ACCESSED) !== 0)).toBe(true);
    expect((again.steps[3].lo & PTE_DIRTY) !== 0).toBe(true);
    expect([m.hasFlag(page, FRAME_REFERENCED), m.hasFlag(page, FRAME_DIRTY)]).toEqual([true, true]);
  });

  it('faults where the hardware does: a missing level, a read-only or kernel page, no-execute, a non-canonical address', () => {
    const m = new PhysicalMemory(64 * PAGE_SIZE);
    const mmu = new Mmu(m);
    const root = m.alloc()!;
    mapPage(m, root, 0x1000n, m.alloc()!, PTE_PRESENT | PTE_USER);
    mapPage(m, root, 0x2000n, m.alloc()!, PTE_PRESENT | PTE_WRITABLE);
    mapPage(m, root, 0x3000n, m.alloc()!, RW_USER, true);
    const user = (kind: 'read' | 'write' | 'execute') => ({ kind, user: true });
    expect(mmu.walk(root, 0x7000_0000_0000n, user('read'))).toMatchObject({ ok: false, fault: 'not-present', level: 0 });
    expect(mmu.walk(root, 0x4000n, user('read'))).toMatchObject({ ok: false, fault: 'not-present', level: 3 });
    expect(mmu.walk(root, 0x1000n, user('read'))).toMatchObject({ ok: true });
    expect(mmu.walk(root, 0x1000n, user('write'))).toMatchObject({ ok: false, fault: 'protection' });
    expect(mmu.walk(root, 0x2000n, user('read'))).toMatchObject({ ok: false, fault: 'protection' });
    expect(mmu.walk(root, 0x2000n, { kind: 'write', user: false })).toMatchObject({ ok: true });
    expect(mmu.walk(root, 0x3000n, user('execute'))).toMatchObject({ ok: false, fault: 'protection' });
    expect(mmu.walk(root, 0x3000n, user('read'))).toMatchObject({ ok: true });
    expect(mmu.walk(root, 0x8000_0000_0000n, user('read'))).toMatchObject({ ok: false, fault: 'non-canonical', level: 0 });
    expect(mmu.faults).toBe(6);
  });

  it('walkVpn takes the page numbers of canonical addresses (below 2^36: the kernel half has bit 35 set)', () => {
    const m = new PhysicalMemory(64 * PAGE_SIZE);
    const mmu = new Mmu(m);
    const root = m.alloc()!;
    const page = m.alloc()!;
    mapPage(m, root, 0xffff_ffff_ffff_f000n, page);
    expect(mmu.walkVpn(root, 2 ** 36 - 1, false, true)).toBe(page);
    expect(mmu.walk(root, 0xffff_ffff_ffff_f123n, { kind: 'read', user: true })).toMatchObject({ ok: true, frame: page });
    expect(() => mmu.walkVpn(root, 2 ** 36, false, true)).toThrow(RangeError);
    expect(() => mmu.walkVpn(root, -1, false, true)).toThrow(RangeError);
  });

  it('agrees with a plain map of pages for random mappings and addresses', () => {
    const page = fc.bigInt({ min: 0n, max: (1n << 35n) - 1n });
    fc.assert(
      fc.property(fc.uniqueArray(page, { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(page, fc.nat({ max: PAGE_SIZE - 1 })), { maxLength: 20 }), (mapped, probes) => {
        const m = new PhysicalMemory(256 * PAGE_SIZE);
        const mmu = new Mmu(m);
        const root = m.alloc()!;
        const model = new Map<bigint, number>();
        for (const vpn of mapped) {
          const frame = m.alloc()!;
          mapPage(m, root, vpn << 12n, frame);
          model.set(vpn, frame);
        }
        for (const [vpn, off] of [...mapped.map((v) => [v, 7] as [bigint, number]), ...probes]) {
          const r = mmu.walk(root, (vpn << 12n) | BigInt(off), { kind: 'read', user: true });
          const frame = model.get(vpn);
          if (frame === undefined) expect(r.ok).toBe(false);
          else expect(r).toMatchObject({ ok: true, physAddress: frame * PAGE_SIZE + off });
        }
      }),
    );
  });
});
