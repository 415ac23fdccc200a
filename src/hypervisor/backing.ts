/**
 * Where a VM's memory comes from on the host: the host frames that back its
 * guest-physical pages, and the frames of the VMM's own tables (nested page tables,
 * shadow page tables).
 *
 *  - Under a type 1 hypervisor the VMM owns the physical memory: frames come straight
 *    from the physical machine's allocator (DirectBacking). Xen gives a domain its whole
 *    memory when it builds it (DirectBacking.reserve), not page by page as it is touched.
 *  - Under a type 2 hypervisor guest RAM is memory of the VMM process: a page is
 *    backed by faulting it into the VMM's address space, so it shows in the VMM's RSS
 *    and is charged to its memory cgroup; the VMM's tables are host kernel memory
 *    (src/hypervisor/kvm-host.ts).
 */
import { PAGE_SIZE, type PhysicalMemory } from '../hw/physical-memory.js';

export interface HostBacking {
  /** The host's memory, where the VMM's tables live. */
  readonly memory: PhysicalMemory;
  /**
   * A host frame for guest page `gfn`, or null when the host has none left. `extraNs`
   * receives what backing it cost the host beyond the VMM's own work (a host page
   * fault, swap I/O).
   */
  backPage(gfn: number, extraNs: { ns: number }): number | null;
  /** A zeroed host frame for one of the VMM's tables, or null. */
  allocTable(): number | null;
  freeTable(frame: number): void;
  /** Gives every frame back (the VM is gone). */
  release(): void;
  /** Host bytes in use for this VM: backed pages and tables. */
  bytesInUse(): number;
}

/**
 * Frames straight from a physical machine's allocator (a type 1 VMM, or a VM in a test):
 * each on first touch, or all of a domain's memory at once (`reserve`).
 */
export class DirectBacking implements HostBacking {
  private readonly pages = new Map<number, number>();
  private readonly tables = new Set<number>();
  /** Reserved frames no guest page uses yet. Invariant: owned by this backing, never in `pages`. */
  private readonly pool: number[] = [];

  constructor(
    readonly memory: PhysicalMemory,
    private readonly owner: number,
  ) {}

  /**
   * A backing that holds `bytes` of frames from the start, as Xen's domain builder
   * populates a domain's whole physical memory when the domain is created (`xl create`
   * fails when the machine has too little free); null, with nothing taken, when the
   * memory has fewer free frames.
   */
  static reserve(memory: PhysicalMemory, owner: number, bytes: number): DirectBacking | null {
    const frames = Math.ceil(bytes / PAGE_SIZE);
    if (memory.freeFrames < frames) return null;
    const b = new DirectBacking(memory, owner);
    for (let i = 0; i < frames; i++) b.pool.push(memory.alloc(owner)!);
    // Guest pages take the lowest frames first.
    b.pool.reverse();
    return b;
  }

  backPage(gfn: number): number | null {
    const had = this.pages.get(gfn);
    if (had !== undefined) return had;
    const f = this.pool.pop() ?? this.memory.alloc(this.owner);
    if (f === null) return null;
    this.pages.set(gfn, f);
    return f;
  }

  allocTable(): number | null {
    const f = this.memory.alloc(this.owner);
    if (f !== null) this.tables.add(f);
    return f;
  }

  freeTable(frame: number): void {
    if (this.tables.delete(frame)) this.memory.free(frame);
  }

  release(): void {
    for (const f of this.pages.values()) this.memory.free(f);
    for (const f of this.tables) this.memory.free(f);
    for (const f of this.pool) this.memory.free(f);
    this.pages.clear();
    this.tables.clear();
    this.pool.length = 0;
  }

  bytesInUse(): number {
    return (this.pages.size + this.pool.length + this.tables.size) * PAGE_SIZE;
  }
}
