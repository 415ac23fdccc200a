/**
 * The page-table view walks the process's real tables: its physical address is the
 * one the MMU's own walk finds, reading changes no entry (no accessed bit set), and a
 * not-present page says why — never touched, swapped out (with the slot), or outside
 * every area.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/index.js';
import { renderPageWalk, walkPage } from '../../../src/teach/views/index.js';
import { Mmu } from '../../../src/hw/mmu.js';

/** A host with a stress --vm worker that has touched 1 MiB; returns the worker and its area's start. */
function vmHost(opts: { memoryBytes?: number; swapBytes?: number; script?: string } = {}) {
  const host = createHost({ cpus: 2, seed: 1, memoryBytes: opts.memoryBytes, swapBytes: opts.swapBytes });
  host.sh(opts.script ?? 'stress --vm 1 --vm-bytes 1M --vm-hang 100 & sleep 0.5');
  const worker = [...host.kernel.tasks.values()].filter((t) => t.comm === 'stress').at(-1)!;
  const area = worker.mm!.vmas.find((v) => v.name === '' && v.file === null)!;
  return { host, worker, area };
}

describe('walkPage', () => {
  it('ends at the physical address the MMU finds, through four present levels', () => {
    const { host, worker, area } = vmHost();
    const vaddr = BigInt(area.start + 0x1234);
    const w = walkPage(host.kernel, worker, vaddr)!;
    expect(w.levels.map((l) => `${l.name}/${l.linuxName}`)).toEqual(['PML4/pgd', 'PDPT/pud', 'PD/pmd', 'PT/pte']);
    expect(w.levels.map((l) => l.bits)).toEqual([[47, 39], [38, 30], [29, 21], [20, 12]]);
    expect(w.outcome.kind).toBe('mapped');
    const hw = new Mmu(host.kernel.machine.memory).walk(worker.mm!.root, vaddr, { kind: 'read', user: true });
    expect(hw.ok).toBe(true);
    if (hw.ok && w.outcome.kind === 'mapped') expect(w.outcome.physAddress).toBe(hw.physAddress);
    expect(w.levels[3].flags).toMatchObject({ present: true, rw: true, user: true, dirty: true, nx: true });
    expect(renderPageWalk(w).some((l) => l.startsWith('  physical address = '))).toBe(true);
  });

  it('reads without setting a bit: the entries are the same afterwards, where the MMU would set them', () => {
    const { host, worker, area } = vmHost();
    const vaddr = BigInt(area.start);
    const memory = host.kernel.machine.memory;
    const w = walkPage(host.kernel, worker, vaddr)!;
    // Clear the PT entry's accessed bit, as a clock hand would: the view must leave it clear.
    const pte = w.levels[3];
    const slotLo = memory.readU32(pte.tableFrame, (pte.entryAddress % 4096));
    memory.writeU32(pte.tableFrame, pte.entryAddress % 4096, slotLo & ~0x20);
    const cleared = walkPage(host.kernel, worker, vaddr)!;
    expect(cleared.levels[3].flags.accessed).toBe(false);
    expect(walkPage(host.kernel, worker, vaddr)!.levels.map((l) => l.entryHex)).toEqual(cleared.levels.map((l) => l.entryHex));
    new Mmu(memory).walk(worker.mm!.root, vaddr, { kind: 'read', user: true });
    expect(walkPage(host.kernel, worker, vaddr)!.levels[3].flags.accessed).toBe(true);
  });

  it('stops at an empty entry of a stack page never touched, and says a read gets the zero page', () => {
    const { host, worker } = vmHost();
    const stack = worker.mm!.vmas.find((v) => v.name === '[stack]')!;
    const w = walkPage(host.kernel, worker, BigInt(stack.start))!;
    expect(w.outcome.kind).toBe('not-present');
    if (w.outcome.kind === 'not-present') {
      expect(w.outcome.why).toMatch(/never been touched|no lower table/);
      expect(w.outcome.fault).toMatch(/zero page/);
    }
    expect(w.area).toMatch(/ rw-p \[stack\]$/);
  });

  it('finds a swapped-out page as a swap entry with its slot, and a major fault to bring it back', () => {
    const { host } = vmHost({ memoryBytes: 24 * 1024 ** 2, swapBytes: 64 * 1024 ** 2, script: 'stress --vm 1 --vm-bytes 20M --vm-hang 100 & sleep 1; stress --vm 1 --vm-bytes 16M --vm-hang 100 & sleep 1' });
    const first = [...host.kernel.tasks.values()].filter((t) => t.comm === 'stress')[1];
    const buf = first.mm!.vmas.find((v) => v.name === '' && v.file === null)!;
    const w = walkPage(host.kernel, first, BigInt(buf.start))!;
    expect(w.outcome.kind).toBe('not-present');
    expect(w.levels[3].flags.swap).toBe(true);
    if (w.outcome.kind === 'not-present') {
      expect(w.outcome.why).toMatch(new RegExp(`slot ${w.levels[3].frame} of the swap device`));
      expect(w.outcome.fault).toMatch(/major fault/);
    }
  });

  it('says a fault just below the stack grows it, but one beyond RLIMIT_STACK is a SIGSEGV (the fault handler\'s own rule)', () => {
    const { host, worker } = vmHost();
    const stack = worker.mm!.vmas.find((v) => v.name === '[stack]')!;
    const near = walkPage(host.kernel, worker, BigInt(stack.start - 4096))!;
    expect(near.area).toBeNull();
    if (near.outcome.kind === 'not-present') expect(near.outcome.fault).toMatch(/grows the stack/);
    else expect.unreachable('below the stack is not mapped');
    // 1 TiB below: far beyond the 8 MiB RLIMIT_STACK.
    const far = walkPage(host.kernel, worker, BigInt(stack.end - 2 ** 40))!;
    if (far.outcome.kind === 'not-present') expect(far.outcome.fault).toMatch(/SIGSEGV/);
    else expect.unreachable('1 TiB below the stack is not mapped');
  });

  it('says an address outside every area faults with SIGSEGV, and a non-canonical one with #GP', () => {
    const { host, worker } = vmHost();
    const w = walkPage(host.kernel, worker, 0x1000n)!;
    expect(w.area).toBeNull();
    if (w.outcome.kind === 'not-present') expect(w.outcome.fault).toMatch(/SIGSEGV/);
    else expect.unreachable('0x1000 is mapped');
    const nc = walkPage(host.kernel, worker, 0x0000_9000_0000_0000n)!;
    expect(nc.outcome.kind).toBe('non-canonical');
    expect(nc.levels).toEqual([]);
  });
});
