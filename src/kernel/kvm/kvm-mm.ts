/**
 * Guest RAM as memory of the VMM process (a type 2 hypervisor): KVM backs a guest page
 * by faulting the VMM's page at the same offset into its address space and pinning it
 * (get_user_pages), so the page is in the VMM's RSS and charged to its memory cgroup.
 *
 * Simplification: pinned pages are never reclaimed (as if guest RAM were mlocked or
 * VFIO-pinned); Linux can swap a guest's pages out behind its back, with MMU notifiers
 * keeping the nested tables in step.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import { FaultResult, handleFault } from '../mm/vm.js';
import { pteSlot, readPte } from '../mm/mm-struct.js';
import { PTE_PRESENT, PTE_WRITABLE, entryFrame } from '../../hw/mmu.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';

/**
 * Faults the page at `vaddr` of `t`'s address space in for writing and pins it. Returns
 * the host frame and the host time it took (the fault, any swap I/O), or null when
 * the host has no memory for it (or the VMM is gone).
 */
export function pinUserPage(k: Kernel, t: Task, vaddr: number): { frame: number; ns: number } | null {
  const mm = t.mm;
  if (!mm || mm.dead) return null;
  const vpn = Math.floor(vaddr / PAGE_SIZE);
  const memory = k.machine.memory;
  const saved = k.pendingCost;
  k.pendingCost = 0;
  let frame = -1;
  for (let tries = 0; tries < 3 && frame < 0; tries++) {
    const slot = pteSlot(memory, mm, vpn, null);
    if (slot >= 0) {
      const { lo, hi } = readPte(memory, slot);
      if (lo & PTE_PRESENT && lo & PTE_WRITABLE) {
        frame = entryFrame(lo, hi);
        break;
      }
    }
    if (handleFault(k, t, mm, vpn, true) !== FaultResult.Retry || mm.dead) break;
  }
  const ns = k.pendingCost + k.mem.takeIoNs(k.costs.swapIn, k.costs.swapOut);
  k.pendingCost = saved;
  if (frame < 0) return null;
  k.mem.pin(frame);
  return { frame, ns };
}
