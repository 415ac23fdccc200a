/**
 * Memory virtualization without nested paging (mem-virt.ts has the overview and the
 * nested technique): shadow page tables kept by the VMM, and Xen's direct paging for a
 * paravirtual guest whose tables are pinned and updated by hypercalls.
 */
import type { Ns } from '../sim/engine.js';
import { Mmu, PTE_ACCESSED, PTE_DIRTY, PTE_HI_NO_EXECUTE, PTE_PRESENT, PTE_USER, PTE_WRITABLE, WALK_NOT_PRESENT, WALK_PROTECTION, entryFrame, writeEntry } from '../hw/mmu.js';
import { TLB_WRITABLE } from '../hw/tlb.js';
import type { VCpu } from './vcpu.js';
import { INTERNAL, LEVEL_DIVISOR, MemVirt, type MemVirtContext } from './mem-virt.js';

interface ShadowPage {
  frame: number;
  level: number;
}

/** Shadow paging: the VMM keeps GVA→HPA tables in sync with the guest's, trapping its page-table writes. */
export class ShadowPaging extends MemVirt {
  readonly label = 'shadow page tables';
  private readonly hw: Mmu;
  /** Shadow pages by the guest table frame they shadow. */
  private readonly shadows = new Map<number, ShadowPage>();
  /** Host frame → the guest page it backs (a shadow entry holds the host frame; the TLB caches the guest's). */
  private readonly guestOf = new Map<number, number>();

  constructor(ctx: MemVirtContext) {
    super(ctx);
    this.hw = new Mmu(ctx.backing.memory);
  }

  private shadowOf(gTable: number, level: number): ShadowPage | null {
    let s = this.shadows.get(gTable);
    if (s) return s;
    const f = this.ctx.backing.allocTable();
    if (f === null) {
      this.ctx.hostOutOfMemory();
      return null;
    }
    s = { frame: f, level };
    this.shadows.set(gTable, s);
    // From now on the guest's table is write-protected: its writes trap.
    this.ctx.guest.watched.add(gTable);
    this.counters.vmmTablePages++;
    return s;
  }

  /** The CR3 load: the VMM finds (or starts) the shadow of the new root. */
  loadRoot(cpu: VCpu, root: number): Ns {
    cpu.cr3 = root;
    cpu.tlb.flush();
    if (root >= 0) this.shadowOf(root, 0);
    return this.ctx.costs.shadowPteUpdate;
  }

  protected override backed(gfn: number, hfn: number): void {
    this.guestOf.set(hfn, gfn);
  }

  firstTouch(gfn: number): Ns {
    // The guest kernel's first store to the page misses in the shadow of its own mapping:
    // a hidden page fault the VMM resolves by backing the page.
    const price = { ns: 0 };
    this.back(gfn, price);
    this.counters.hiddenFaults++;
    return this.fault(price.ns + this.ctx.costs.shadowFill);
  }

  /** The price of a page fault the VMM takes first (an exit under hw, the VMM's own handler under bt). */
  private fault(workNs: Ns): Ns {
    const cv = this.ctx.cpuVirt;
    if (cv.mode === 'hw') return cv.exit('exception', workNs);
    return cv.callout('page fault', workNs);
  }

  translate(cpu: VCpu, vpn: number, write: boolean): number {
    const tlb = cpu.tlb;
    if (tlb.lookup(vpn, write, true)) return tlb.hitFrame;
    const root = this.shadows.get(cpu.cr3);
    let refs = 0;
    let extra = 0;
    for (let tries = 0; root && tries < 2; tries++) {
      const before = this.hw.memoryReferences;
      const hfn = this.hw.walkVpn(root.frame, vpn, write, true);
      refs += this.hw.memoryReferences - before;
      this.counters.hostRefs += this.hw.memoryReferences - before;
      if (hfn >= 0) {
        const gfn = this.guestOf.get(hfn)!;
        this.referenced(gfn, write);
        this.chargeAccess(cpu, refs, extra);
        tlb.fill(vpn, gfn, this.mayCacheWrite(gfn, write) ? this.hw.perm : this.hw.perm & ~TLB_WRITABLE);
        return gfn;
      }
      // A page fault the VMM sees first: hidden (the shadow lags the guest) or the guest's own.
      const fill = this.fill(cpu.cr3, vpn, write);
      refs += fill.refs;
      if (fill.result < 0) {
        this.counters.guestFaults++;
        extra += this.fault(this.ctx.costs.shadowFill);
        this.chargeAccess(cpu, refs, extra);
        return fill.result;
      }
      this.counters.hiddenFaults++;
      extra += this.fault(this.ctx.costs.shadowFill + fill.ns);
    }
    this.chargeAccess(cpu, refs, extra);
    return WALK_NOT_PRESENT;
  }

  /**
   * The VMM walks the guest's table for `vpn` (4 references), makes the shadow pages
   * on the way and writes the shadow entry. Returns WALK_* when the guest's own table
   * does not allow the access (a fault for the guest), else 0.
   */
  private fill(groot: number, vpn: number, write: boolean): { result: number; refs: number; ns: number } {
    const g = this.ctx.guest;
    const hmem = this.ctx.backing.memory;
    let gTable = groot;
    let writable = true;
    let userOk = true;
    let refs = 0;
    const price = { ns: 0 };
    for (let level = 0; level < 4; level++) {
      const s = this.shadowOf(gTable, level);
      if (!s) return { result: WALK_NOT_PRESENT, refs, ns: price.ns };
      const index = Math.floor(vpn / LEVEL_DIVISOR[level]) % 512;
      const off = index * 8;
      const lo = g.readU32(gTable, off);
      const hi = g.readU32(gTable, off + 4);
      refs++;
      this.counters.guestRefs++;
      if (!(lo & PTE_PRESENT)) return { result: WALK_NOT_PRESENT, refs, ns: price.ns };
      writable &&= (lo & PTE_WRITABLE) !== 0;
      userOk &&= (lo & PTE_USER) !== 0;
      const next = entryFrame(lo, hi);
      if (level < 3) {
        this.markGuest(gTable, off, PTE_ACCESSED);
        const child = this.shadowOf(next, level + 1);
        if (!child) return { result: WALK_NOT_PRESENT, refs, ns: price.ns };
        writeEntry(hmem, s.frame, index, child.frame, INTERNAL);
        gTable = next;
        continue;
      }
      if ((write && !writable) || !userOk) return { result: WALK_PROTECTION, refs, ns: price.ns };
      this.markGuest(gTable, off, write ? PTE_ACCESSED | PTE_DIRTY : PTE_ACCESSED);
      this.writeShadowPte(s, index, next, lo | (write ? PTE_DIRTY : 0), hi, price);
    }
    return { result: 0, refs, ns: price.ns };
  }

  /**
   * The shadow entry for a guest PTE: the host frame of its page, writable only once
   * the guest's entry is dirty (so the VMM sees the first write and sets the dirty bit).
   */
  private writeShadowPte(s: ShadowPage, index: number, gfn: number, lo: number, hi: number, price: { ns: number }): void {
    const hmem = this.ctx.backing.memory;
    if (!(lo & PTE_PRESENT)) {
      writeEntry(hmem, s.frame, index, 0, 0);
      return;
    }
    const hfn = this.back(gfn, price);
    if (hfn < 0) return;
    const w = (lo & PTE_WRITABLE) !== 0 && (lo & PTE_DIRTY) !== 0;
    writeEntry(hmem, s.frame, index, hfn, PTE_PRESENT | PTE_USER | (w ? PTE_WRITABLE | PTE_DIRTY : 0), (hi & PTE_HI_NO_EXECUTE) !== 0);
  }

  /** A write to a write-protected guest table traps; the VMM emulates it and updates the shadow entry. */
  override watchedWrite(frame: number, offset: number): Ns {
    const s = this.shadows.get(frame);
    if (!s) return 0;
    const index = offset >> 3;
    const g = this.ctx.guest;
    const price = { ns: 0 };
    if (s.level === 3) {
      this.writeShadowPte(s, index, entryFrame(g.readU32(frame, index * 8), g.readU32(frame, index * 8 + 4)), g.readU32(frame, index * 8), g.readU32(frame, index * 8 + 4), price);
    } else {
      // An upper-level entry changed: unlink the shadow below it; the next miss relinks.
      writeEntry(this.ctx.backing.memory, s.frame, index, 0, 0);
    }
    // One trap per entry: writeEntry stores the low word, then the high word.
    if ((offset & 7) !== 0) return price.ns;
    this.counters.ptWriteTraps++;
    const cv = this.ctx.cpuVirt;
    const costs = this.ctx.costs;
    if (cv.mode === 'hw') return price.ns + cv.exit('exception', costs.insnEmulate + costs.shadowPteUpdate);
    if (cv.mode === 'bt') return price.ns + cv.callout('PTE write', costs.shadowPteUpdate);
    return price.ns + cv.queuePvUpdate();
  }

  override watchedFreed(frame: number): void {
    const s = this.shadows.get(frame);
    if (!s) return;
    this.shadows.delete(frame);
    this.ctx.guest.watched.delete(frame);
    this.ctx.backing.freeTable(s.frame);
    this.counters.vmmTablePages--;
  }
}

/** Direct paging of a paravirtual guest: its own tables, pinned and validated; updates by batched hypercalls. */
export class DirectPaging extends MemVirt {
  readonly label = 'direct paging (paravirtual: pinned guest tables, batched mmu_update)';
  private readonly walker: Mmu;
  private readonly pinnedRoots = new Set<number>();
  /** The level of each pinned table (0 = PML4). */
  private readonly levels = new Map<number, number>();

  constructor(ctx: MemVirtContext) {
    super(ctx);
    this.walker = new Mmu(ctx.guest);
  }

  /** New base pointer: the first time, the hypervisor pins (validates) every table under it. */
  loadRoot(cpu: VCpu, root: number): Ns {
    cpu.cr3 = root;
    cpu.tlb.flush();
    if (root < 0 || this.pinnedRoots.has(root)) return 0;
    this.pinnedRoots.add(root);
    return this.pin(root, 0) * this.ctx.costs.pvBatchEntry;
  }

  /** Watches a table and the tables below it; returns how many entries were validated. */
  private pin(table: number, level: number): number {
    const g = this.ctx.guest;
    if (g.watched.has(table)) return 0;
    g.watched.add(table);
    this.levels.set(table, level);
    this.counters.pinnedTables++;
    let n = 0;
    if (level === 3) return 1;
    for (let i = 0; i < 512; i++) {
      const lo = g.readU32(table, i * 8);
      if (!(lo & PTE_PRESENT)) continue;
      n += 1 + this.pin(entryFrame(lo, g.readU32(table, i * 8 + 4)), level + 1);
    }
    return n;
  }

  firstTouch(gfn: number): Ns {
    const price = { ns: 0 };
    this.back(gfn, price);
    return price.ns;
  }

  translate(cpu: VCpu, vpn: number, write: boolean): number {
    const tlb = cpu.tlb;
    if (tlb.lookup(vpn, write, true)) return tlb.hitFrame;
    const w = this.walker;
    const before = w.memoryReferences;
    const g = this.ctx.guest;
    g.raw = true;
    const gfn = w.walkVpn(cpu.cr3, vpn, write, true);
    g.raw = false;
    const refs = w.memoryReferences - before;
    this.counters.guestRefs += refs;
    const price = { ns: 0 };
    if (gfn >= 0) this.back(gfn, price);
    // A PV guest's faults go to the hypervisor first, which bounces them to the guest kernel.
    if (gfn < 0) {
      this.counters.guestFaults++;
      price.ns += this.ctx.costs.faultReflect;
    }
    this.chargeAccess(cpu, refs, price.ns);
    if (gfn >= 0) tlb.fill(vpn, gfn, this.mayCacheWrite(gfn, write) ? w.perm : w.perm & ~TLB_WRITABLE);
    return gfn;
  }

  /** A write to a pinned table: the PV kernel's update, queued for the next mmu_update batch. */
  override watchedWrite(frame: number, offset: number): Ns {
    const g = this.ctx.guest;
    if ((offset & 7) === 4) {
      // The entry is complete: a new table linked under a pinned one is pinned too.
      const level = this.levels.get(frame) ?? 3;
      const lo = g.readU32(frame, offset - 4);
      if (level < 3 && lo & PTE_PRESENT) {
        const child = entryFrame(lo, g.readU32(frame, offset));
        if (!g.watched.has(child)) this.pin(child, level + 1);
      }
      return 0;
    }
    return this.ctx.cpuVirt.queuePvUpdate();
  }

  override watchedFreed(frame: number): void {
    this.ctx.guest.watched.delete(frame);
    this.levels.delete(frame);
    this.pinnedRoots.delete(frame);
    this.counters.pinnedTables--;
  }
}
