/**
 * Memory virtualization: how a guest-virtual address becomes a host-physical one.
 *
 *  nested (EPT/NPT, "SLAT")   the hardware walks the guest's table, and translates
 *      every guest-physical address it meets — each table and the final page —
 *      through the VMM's nested table: a TLB miss costs up to 4×(4+1)+4 = 24 memory
 *      references with 4-level tables on both sides (Bhargava et al., ASPLOS 2008).
 *      A guest-physical page not yet in the nested table is an EPT violation (exit).
 *      Guest page faults and page-table writes involve no VMM at all.
 *
 *  shadow   the VMM keeps, for each guest page table it has seen, a shadow table that
 *      maps guest-virtual pages straight to host frames; the hardware walks the
 *      shadow (4 references). The guest's tables are write-protected: a write to one
 *      traps and the VMM brings the shadow in line. A miss in the shadow is a hidden
 *      page fault the VMM fills by walking the guest's table itself; a fault the
 *      guest's own table explains is reflected into the guest.
 *
 *  direct (a paravirtual guest with mem-virt shadow)   as Xen's direct paging: the
 *      guest's tables are registered with ("pinned" by) the hypervisor, which
 *      validates every update; updates are hypercalls, batched (mmu_update); the
 *      hardware walks the guest's own table (4 references).
 *
 * Every reference is counted where a walk makes it (DESIGN.md: "the counts come from
 * the walk, never from a formula") and charged at `ptRef`.
 *
 * Simplification: the TLB caches a guest-virtual page's final translation for the
 * guest kernel (the guest frame; the host frame is known to the VMM), tagged per
 * vCPU (VPID), so VM exits do not flush it. Shadow pages are kept per guest table
 * frame and shared by every address space that uses that table; nothing is
 * shadowed for kernel mappings (ctsim's kernel accesses memory directly).
 */
import type { Ns } from '../sim/engine.js';
import type { CostTable } from '../hw/cost-table.js';
import { Mmu, PTE_ACCESSED, PTE_DIRTY, PTE_PRESENT, PTE_USER, PTE_WRITABLE, WALK_NOT_PRESENT, WALK_PROTECTION, WalkedEntries, entryFrame, writeEntry } from '../hw/mmu.js';
import { TLB_DIRTY, TLB_USER, TLB_WRITABLE } from '../hw/tlb.js';
import { FRAME_DIRTY, FRAME_REFERENCED, widerFrameCapacity } from '../hw/physical-memory.js';
import type { GuestMemory } from './guest-memory.js';
import type { HostBacking } from './backing.js';
import type { CpuVirt } from './cpu-virt.js';
import type { VCpu } from './vcpu.js';

export type MemVirtMode = 'nested' | 'shadow';

export const LEVEL_DIVISOR = [2 ** 27, 2 ** 18, 2 ** 9, 1];
export const INTERNAL = PTE_PRESENT | PTE_WRITABLE | PTE_USER;

/** What memory virtualization counts (ctsim vm inspect). */
export class MemVirtCounters {
  /** TLB misses that walked, and the memory references those walks made. */
  tlbMisses = 0;
  walkRefs = 0;
  /** Of walkRefs: entries of the guest's tables, and of the VMM's (nested or shadow) tables. */
  guestRefs = 0;
  hostRefs = 0;
  /** References of the most recent walk (a 2-D walk with everything present makes 24). */
  lastWalkRefs = 0;
  /** Guest-physical pages backed by host frames so far. */
  backedPages = 0;
  eptViolations = 0;
  /** Pages of the VMM's nested or shadow tables. */
  vmmTablePages = 0;
  /** Shadow paging: misses the VMM filled, faults reflected into the guest, trapped page-table writes. */
  hiddenFaults = 0;
  guestFaults = 0;
  ptWriteTraps = 0;
  /** Direct paging (PV): tables pinned (validated) and updates sent. */
  pinnedTables = 0;
}

/** What a memory-virtualization strategy needs from its VM. */
export interface MemVirtContext {
  readonly guest: GuestMemory;
  readonly backing: HostBacking;
  readonly costs: CostTable;
  readonly cpuVirt: CpuVirt;
  /** The vCPU being simulated now (VMM work done for the guest kernel is charged to it). */
  current(): VCpu | null;
  /** The host has no frame left for the guest. */
  hostOutOfMemory(): void;
}

export abstract class MemVirt {
  readonly counters = new MemVirtCounters();
  /**
   * Guest page → the host frame backing it, plus one (0: not backed), indexed by gfn
   * and widened to cover the highest page backed so far. The guest kernel
   * hands out its lowest frames first, so this stays dense: 4 bytes a page, where a
   * Map cost about 40 (a VM's boot backs some 5,000 pages).
   * Invariant: a page once backed stays backed (the backing is released with the VM);
   * host frames are below 2^31 - 1 (record checks).
   */
  private hostFrame: Int32Array = new Int32Array(0);
  /** The pages backed, in the order they were backed (`backedOrder[0..backedCount)`). */
  private backedOrder: Int32Array = new Int32Array(0);
  private backedCount = 0;

  constructor(protected readonly ctx: MemVirtContext) {}

  abstract readonly label: string;
  /** The guest loaded `root` into CR3 on `cpu`: the price beyond the native switch. */
  abstract loadRoot(cpu: VCpu, root: number): Ns;
  /** A user access's translation (Machine.translate): the guest frame, or a WALK_* fault. */
  abstract translate(cpu: VCpu, vpn: number, write: boolean): number;
  /**
   * INVLPG by the guest: the price beyond the native instruction. The VMM keeps its
   * tables in line as the guest writes them (trapped or batched), so only the TLB
   * entry goes.
   */
  invalidate(cpu: VCpu, vpn: number): Ns {
    cpu.tlb.invalidate(vpn);
    return 0;
  }

  /** A full TLB flush by the guest: the price beyond the native flush. */
  flush(cpu: VCpu): Ns {
    cpu.tlb.flush();
    return 0;
  }
  /** The guest wrote a word of a watched frame: the price. */
  watchedWrite(_frame: number, _offset: number): Ns {
    return 0;
  }
  watchedFreed(_frame: number): void {}

  /** The host frame backing guest page `gfn`, backing it now if needed; `ns` gets the host's price. */
  protected back(gfn: number, price: { ns: number }): number {
    if (gfn < this.hostFrame.length && this.hostFrame[gfn] !== 0) return this.hostFrame[gfn] - 1;
    const hfn = this.ctx.backing.backPage(gfn, price);
    if (hfn === null) {
      this.ctx.hostOutOfMemory();
      return -1;
    }
    this.record(gfn, hfn);
    this.backed(gfn, hfn);
    price.ns += this.ctx.costs.eptBacking;
    return hfn;
  }

  /** Notes that host frame `hfn` backs guest page `gfn` (the nth page backed). */
  private record(gfn: number, hfn: number): void {
    if (hfn >= 2 ** 31 - 1) throw new RangeError(`host frame ${hfn} does not fit the VMM's gfn→hfn table (Int32; hosts up to 8 TiB)`);
    if (gfn >= this.hostFrame.length) this.hostFrame = widen(this.hostFrame, gfn + 1, this.ctx.guest.totalFrames);
    this.hostFrame[gfn] = hfn + 1;
    this.counters.backedPages++;
    const n = this.backedCount++;
    if (n >= this.backedOrder.length) this.backedOrder = widen(this.backedOrder, n + 1, this.ctx.guest.totalFrames);
    this.backedOrder[n] = gfn;
  }

  /** Host frame `hfn` now backs guest page `gfn` (shadow paging keeps the reverse map). */
  protected backed(_gfn: number, _hfn: number): void {}

  /** The guest touched a page no host frame backs (a kernel write): back it. Returns the price. */
  abstract firstTouch(gfn: number): Ns;

  isBacked(gfn: number): boolean {
    return gfn < this.hostFrame.length && this.hostFrame[gfn] !== 0;
  }

  /** Guest pages backed, as [gfn, hfn] pairs in the order they were backed (for save and migration). */
  *backedPages(): IterableIterator<[number, number]> {
    for (let i = 0; i < this.backedCount; i++) {
      const gfn = this.backedOrder[i];
      yield [gfn, this.hostFrame[gfn] - 1];
    }
  }

  /**
   * While a migration logs dirty pages, a write is recorded and a translation is cached
   * writable only after one (as KVM write-protects pages to log them); otherwise a
   * translation is cached with whatever the tables allow.
   */
  protected mayCacheWrite(gfn: number, write: boolean): boolean {
    const log = this.ctx.guest.dirtyLog;
    if (!log) return true;
    if (write) log.add(gfn);
    return write;
  }

  /**
   * What the hardware walk tells the guest kernel's page reclaim: the guest frame was
   * used (and written). Natively the walk marks the frame; here the walk ran over other
   * tables, so the VMM marks the guest's frame.
   */
  protected referenced(gfn: number, write: boolean): void {
    const g = this.ctx.guest;
    g.setFlag(gfn, FRAME_REFERENCED, true);
    if (write) g.setFlag(gfn, FRAME_DIRTY, true);
  }

  protected chargeAccess(cpu: VCpu, refs: number, extraNs: Ns): void {
    const c = this.counters;
    c.tlbMisses++;
    c.walkRefs += refs;
    c.lastWalkRefs = refs;
    cpu.accessCostNs += refs * this.ctx.costs.ptRef + extraNs;
  }

  /**
   * Sets accessed (and dirty) bits the way the hardware walk does, without reporting the
   * writes. `read` is the entry's low word as the walk read it, when it did: marks only
   * set bits, so an entry read with them set still has them and is not read again.
   */
  protected markGuest(table: number, off: number, bits: number, read = 0): void {
    if ((read & bits) === bits) return;
    const g = this.ctx.guest;
    const lo = g.readU32(table, off);
    if ((lo & bits) === bits) return;
    g.raw = true;
    g.writeU32(table, off, (lo | bits) >>> 0);
    g.raw = false;
  }
}

/** `a` widened to at least `need` entries (a quarter more, at most `max`), its contents kept. */
function widen(a: Int32Array, need: number, max: number): Int32Array {
  const b = new Int32Array(Math.max(need, widerFrameCapacity(a.length, max)));
  b.set(a);
  return b;
}

/** Nested paging: the VMM's table maps guest-physical to host-physical pages; the hardware walks both. */
export class NestedPaging extends MemVirt {
  readonly label = 'nested paging (EPT/NPT)';
  private readonly ept: Mmu;
  private readonly root: number;
  /**
   * The guest entries the current 2-D walk read. Invariant: translate does not re-enter
   * for this VM (backing a page on an EPT violation runs host code only).
   */
  private readonly used = new WalkedEntries();

  constructor(ctx: MemVirtContext) {
    super(ctx);
    this.ept = new Mmu(ctx.backing.memory);
    const r = ctx.backing.allocTable();
    if (r === null) throw new Error('no host memory for the nested page table root');
    this.root = r;
    this.counters.vmmTablePages++;
  }

  loadRoot(cpu: VCpu, root: number): Ns {
    cpu.cr3 = root;
    cpu.tlb.flush();
    return 0;
  }

  /** The hardware's walk of the nested table for `gfn`; an EPT violation (exit) backs the page and the walk restarts. */
  private hpa(gfn: number, write: boolean, price: { ns: number; refs: number }): number {
    const ept = this.ept;
    for (let tries = 0; tries < 2; tries++) {
      const before = ept.memoryReferences;
      const hfn = ept.walkVpn(this.root, gfn, write, false);
      price.refs += ept.memoryReferences - before;
      this.counters.hostRefs += ept.memoryReferences - before;
      if (hfn >= 0) return hfn;
      this.violation(gfn, price);
    }
    return -1;
  }

  private violation(gfn: number, price: { ns: number }): void {
    this.counters.eptViolations++;
    const work = { ns: 0 };
    const hfn = this.back(gfn, work);
    if (hfn >= 0) this.map(gfn, hfn);
    price.ns += this.ctx.cpuVirt.exit('EPT violation', work.ns);
  }

  /** Writes gfn → hfn into the nested table, making the missing levels. */
  private map(gfn: number, hfn: number): void {
    const mem = this.ctx.backing.memory;
    let table = this.root;
    for (let level = 0; level < 3; level++) {
      const index = Math.floor(gfn / LEVEL_DIVISOR[level]) % 512;
      const lo = mem.readU32(table, index * 8);
      if (lo & PTE_PRESENT) {
        table = entryFrame(lo, mem.readU32(table, index * 8 + 4));
        continue;
      }
      const t = this.ctx.backing.allocTable();
      if (t === null) {
        this.ctx.hostOutOfMemory();
        return;
      }
      this.counters.vmmTablePages++;
      writeEntry(mem, table, index, t, INTERNAL);
      table = t;
    }
    writeEntry(mem, table, gfn % 512, hfn, INTERNAL);
  }

  firstTouch(gfn: number): Ns {
    const price = { ns: 0, refs: 0 };
    this.violation(gfn, price);
    return price.ns;
  }

  translate(cpu: VCpu, vpn: number, write: boolean): number {
    const tlb = cpu.tlb;
    if (tlb.lookup(vpn, write, true)) return tlb.hitFrame;
    const g = this.ctx.guest;
    const price = { ns: 0, refs: 0 };
    let table = cpu.cr3;
    let writable = true;
    let userOk = true;
    const used = this.used;
    for (let level = 0; level < 4; level++) {
      // The guest-physical address of this level's table goes through the nested table first.
      if (this.hpa(table, false, price) < 0) {
        // No host frame for it (the host is out of memory and the VM is being stopped).
        this.chargeAccess(cpu, price.refs, price.ns);
        return WALK_NOT_PRESENT;
      }
      const off = (Math.floor(vpn / LEVEL_DIVISOR[level]) % 512) * 8;
      const lo = g.readEntry(table, off);
      const hi = g.entryHi;
      price.refs++;
      this.counters.guestRefs++;
      if (!(lo & PTE_PRESENT)) {
        this.chargeAccess(cpu, price.refs, price.ns);
        return WALK_NOT_PRESENT;
      }
      writable &&= (lo & PTE_WRITABLE) !== 0;
      userOk &&= (lo & PTE_USER) !== 0;
      used.record(level, table, off, lo);
      table = entryFrame(lo, hi);
    }
    if ((write && !writable) || !userOk) {
      this.chargeAccess(cpu, price.refs, price.ns);
      return WALK_PROTECTION;
    }
    // The page itself: one more nested walk.
    if (this.hpa(table, write, price) < 0) {
      this.chargeAccess(cpu, price.refs, price.ns);
      return WALK_NOT_PRESENT;
    }
    this.referenced(table, write);
    for (let level = 0; level < 3; level++) this.markGuest(used.table[level], used.offset[level], PTE_ACCESSED, used.lo[level]);
    this.markGuest(used.table[3], used.offset[3], write ? PTE_ACCESSED | PTE_DIRTY : PTE_ACCESSED, used.lo[3]);
    this.chargeAccess(cpu, price.refs, price.ns);
    const dirty = write || (used.lo[3] & PTE_DIRTY) !== 0;
    tlb.fill(vpn, table, (writable && this.mayCacheWrite(table, write) ? TLB_WRITABLE : 0) | TLB_USER | (dirty ? TLB_DIRTY : 0));
    return table;
  }
}

/** A shadow page: the VMM's copy of one guest page table, with host frames in its last level. */
