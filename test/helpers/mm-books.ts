/**
 * Test helper: checks the virtual-memory books of a kernel against its page tables.
 */
import { expect } from 'vitest';
import { PTE_PRESENT, entryFrame } from '../../src/hw/mmu.js';
import { forEachPte, PTE_SWAP, type MmStruct } from '../../src/kernel/mm/mm-struct.js';
import { FrameKind } from '../../src/kernel/mm/memory.js';
import type { Kernel } from '../../src/kernel/kernel.js';

/**
 * Checks the books against the page tables of every live address space: each space's
 * RSS and swap counters; each frame's map count; the kernel's counts of anonymous,
 * file and page-table pages; each swap slot's use count — so a leaked frame or slot,
 * or a double free, shows up.
 */
export function checkBooks(k: Kernel): void {
  const seen = new Set<MmStruct>();
  const mappings = new Map<number, number>();
  const slots = new Map<number, number>();
  let tables = 0;
  for (const t of k.tasks.values()) {
    const mm = t.mm;
    if (!mm || mm.dead || seen.has(mm)) continue;
    seen.add(mm);
    tables += mm.ptPages + 1; // and the root
    let anon = 0;
    let file = 0;
    let swap = 0;
    forEachPte(k.machine.memory, mm, 0, 2 ** 35, (_slot, _vpn, lo, hi) => {
      const f = entryFrame(lo, hi);
      if (lo & PTE_PRESENT) {
        if (f === k.mem.zeroFrame) return;
        mappings.set(f, (mappings.get(f) ?? 0) + 1);
        if (k.mem.kindOf(f) === FrameKind.File) file++;
        else anon++;
      } else if (lo & PTE_SWAP) {
        swap++;
        slots.set(f, (slots.get(f) ?? 0) + 1);
      }
    });
    expect({ pid: t.tid, anon: mm.rssAnon, file: mm.rssFile, swap: mm.swapEnts }).toEqual({ pid: t.tid, anon, file, swap });
  }
  let anonFrames = 0;
  let fileFrames = 0;
  for (const [f, n] of mappings) {
    expect(k.machine.memory.mapCountOf(f)).toBe(n);
    if (k.mem.kindOf(f) === FrameKind.File) fileFrames++;
    else anonFrames++;
  }
  expect({ anon: k.mem.anonPages, file: k.mem.filePages, tables: k.mem.tablePages, swapSlots: k.mem.swap.usedSlots }).toEqual({
    anon: anonFrames,
    file: fileFrames,
    tables,
    swapSlots: slots.size,
  });
  for (const [slot, n] of slots) expect(k.mem.swap.usersOf(slot)).toBe(n);
}

