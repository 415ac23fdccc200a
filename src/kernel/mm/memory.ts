/**
 * The kernel's page-frame management: who a frame belongs to, which user pages are
 * resident and in what order, and getting a frame when none is free — by evicting a
 * page chosen by the replacement policy to swap, or, when nothing can be evicted,
 * by asking the OOM killer for memory.
 *
 *   allocPage ─▶ free frame? ──yes──▶ frame
 *                   │ no
 *                   ▼
 *               evict(policy) ──ok──▶ unmap it everywhere (rmap), write it to swap
 *                   │ nothing evictable
 *                   ▼
 *               OOM killer ─▶ kill + reap a victim ─▶ retry
 *
 * Policies (`--swap-policy`): fifo evicts the page resident longest; lru the page
 * used longest ago; clock sweeps a hand over the pages, giving each referenced page
 * a second chance (clearing its bit) and evicting the first unreferenced one; rand
 * evicts a page chosen with the seeded generator.
 *
 * Simplification: one replacement list for anonymous and file pages, and direct
 * reclaim by the allocating process (Linux has active/inactive lists per type and a
 * kswapd thread that reclaims ahead between watermarks). The lru policy is exact
 * LRU, which the hardware cannot give Linux (it approximates it with the accessed bits).
 */
import { HIGH_THROTTLE_NS, type MemCounter } from './memcg.js';
import { FRAME_REFERENCED, type PhysicalMemory } from '../../hw/physical-memory.js';
import type { Rng } from '../../sim/rng.js';
import { SwapDevice } from './swap.js';
import { PTE_SWAP, pteSlot, readPte, writePte, type MmStruct } from './mm-struct.js';

export const SWAP_POLICIES = ['clock', 'lru', 'fifo', 'rand'] as const;
export type SwapPolicy = (typeof SWAP_POLICIES)[number];

/** What a frame holds. */
export const enum FrameKind {
  Free = 0,
  Anon = 1,
  File = 2,
  Table = 3,
  Kernel = 4,
}

/** The /proc/vmstat event counters ctsim keeps. */
export interface VmEvents {
  pgfault: number;
  pgmajfault: number;
  pswpin: number;
  pswpout: number;
  pgalloc: number;
  pgfree: number;
  pgscan: number;
  pgsteal: number;
  oomKill: number;
  cowFaults: number;
}

export interface MemoryManagerConfig {
  memory: PhysicalMemory;
  swapBytes: number;
  policy: SwapPolicy;
  rng: Rng;
  /** Drops the cached translations of `vpn` in `mm` on every CPU that runs it (TLB shootdown). */
  shootdown: (mm: MmStruct, vpn: number) => void;
  /** Frees memory by killing a process; false when there is nobody to kill. */
  outOfMemory: () => boolean;
  /** vm.min_free_kbytes; Linux's default for the RAM when absent. */
  minFreeKbytes?: number;
  /** The memory cgroup a page allocated for task `owner` is charged to (none: no accounting). */
  memcgOf?: (owner: number) => MemCounter | null;
  /** The OOM killer inside one memory cgroup (memory.max reached); false when there is nobody to kill. */
  memcgOutOfMemory?: (scope: MemCounter) => boolean;
}

/** Linux's default vm.min_free_kbytes: sqrt(16 × RAM in KiB), between 128 KiB and 256 MiB (mm/page_alloc.c). */
export function defaultMinFreeKbytes(ramKbytes: number): number {
  return Math.min(262144, Math.max(128, Math.floor(Math.sqrt(ramKbytes * 16))));
}

export class MemoryManager {
  readonly memory: PhysicalMemory;
  readonly swap: SwapDevice;
  readonly policy: SwapPolicy;
  /** The shared page of zeros that reads of untouched anonymous memory map. */
  readonly zeroFrame: number;
  /** Frames the kernel keeps for itself (its image and the page array): MemTotal leaves them out. */
  readonly reservedFrames: number;
  readonly events: VmEvents = { pgfault: 0, pgmajfault: 0, pswpin: 0, pswpout: 0, pgalloc: 0, pgfree: 0, pgscan: 0, pgsteal: 0, oomKill: 0, cowFaults: 0 };
  /** Resident pages by kind (AnonPages, file pages, PageTables). */
  anonPages = 0;
  filePages = 0;
  tablePages = 0;
  /** vm.overcommit_memory: 0 heuristic (default), 1 always, 2 never beyond CommitLimit. */
  overcommitMemory = 0;
  /** vm.overcommit_ratio: the percentage of RAM CommitLimit counts in mode 2. */
  overcommitRatio = 50;
  /** vm.min_free_kbytes: below this many free KiB, user allocations reclaim first. */
  minFreeKbytes: number;
  /** I/O the current fault must wait for (swap reads and writes), in ns of device time; the fault handler takes it. */
  ioPages = { in: 0, out: 0 };
  /** Charges that went over memory.high since the fault handler last looked (it throttles the task for them). */
  highThrottlePages = 0;
  private kind: Uint8Array;
  /** The resident list, oldest first: links are frame + 1 (0: none). */
  private next: Int32Array;
  private prev: Int32Array;
  private head = -1;
  private tail = -1;
  private resident = 0;
  /** CLOCK's hand: the frame it looks at next (-1: the list's head). */
  private hand = -1;
  /**
   * Reverse mappings: which address space maps each user frame, and at which page.
   * The usual single mapping is kept inline (soleMm, soleVpn); a frame shared after
   * fork keeps the others in `shared` (one page per space).
   */
  private readonly soleMm: (MmStruct | undefined)[] = [];
  private soleVpn: Float64Array;
  private readonly shared = new Map<number, Map<MmStruct, number>>();
  private readonly rng: Rng;
  private readonly shootdown: (mm: MmStruct, vpn: number) => void;
  private readonly outOfMemory: () => boolean;
  private reclaiming = false;
  /** The memory cgroup each frame and each swap slot is charged to. */
  private readonly frameMemcg: (MemCounter | undefined)[] = [];
  private readonly slotMemcg = new Map<number, MemCounter>();
  private readonly memcgOf: (owner: number) => MemCounter | null;
  private readonly memcgOutOfMemory: (scope: MemCounter) => boolean;
  /** Only pages of this group's subtree may be evicted while it is set (reclaim inside a cgroup). */
  private reclaimScope: MemCounter | null = null;

  constructor(cfg: MemoryManagerConfig) {
    this.memory = cfg.memory;
    this.swap = new SwapDevice(cfg.swapBytes);
    this.policy = cfg.policy;
    this.rng = cfg.rng;
    this.shootdown = cfg.shootdown;
    this.outOfMemory = cfg.outOfMemory;
    this.memcgOf = cfg.memcgOf ?? (() => null);
    this.memcgOutOfMemory = cfg.memcgOutOfMemory ?? (() => false);
    const n = this.memory.totalFrames;
    // Per-frame arrays follow physical memory's: they cover the frames handed out so far.
    this.kind = new Uint8Array(0);
    this.next = new Int32Array(0);
    this.prev = new Int32Array(0);
    this.soleVpn = new Float64Array(0);
    // The kernel's share: its page array (64 bytes per frame) and its image, at most an eighth of small RAM.
    this.reservedFrames = Math.floor(n / 64) + Math.min(4096, Math.floor(n / 8));
    for (let i = 0; i < this.reservedFrames; i++) {
      const f = this.memory.alloc()!;
      this.cover();
      this.kind[f] = FrameKind.Kernel;
    }
    this.zeroFrame = this.memory.alloc()!;
    this.cover();
    this.kind[this.zeroFrame] = FrameKind.Kernel;
    this.minFreeKbytes = cfg.minFreeKbytes ?? defaultMinFreeKbytes(this.totalFrames * 4);
  }

  /** The min watermark in frames. */
  get minFreeFrames(): number {
    return Math.ceil(this.minFreeKbytes / 4);
  }

  /** Frames user space and page tables can have (MemTotal). */
  get totalFrames(): number {
    return this.memory.totalFrames - this.reservedFrames;
  }

  get freeFrames(): number {
    return this.memory.freeFrames;
  }

  /**
   * 1 for a page taken off the reclaim list by `pin`: a byte a frame, where a Set cost
   * ~25 bytes a pinned page (a VMM pins every page of guest RAM the guest touches).
   */
  private pinned = new Uint8Array(0);
  private pinnedCount = 0;

  kindOf(frame: number): FrameKind {
    return this.kind[frame] as FrameKind;
  }

  /** A frame for a page table; tables are never evicted. Null when memory is exhausted. */
  allocTable(owner: number): number | null {
    const f = this.getFrame(owner, 'kernel');
    if (f === null) return null;
    this.kind[f] = FrameKind.Table;
    this.tablePages++;
    return f;
  }

  freeTable(frame: number): void {
    this.tablePages--;
    this.release(frame);
  }

  /** A frame for a user page, put on the resident list. Null when memory is exhausted. */
  allocPage(kind: FrameKind.Anon | FrameKind.File, owner: number): number | null {
    const f = this.getFrame(owner, kind === FrameKind.Anon ? 'anon' : 'file');
    if (f === null) return null;
    this.kind[f] = kind;
    if (kind === FrameKind.Anon) this.anonPages++;
    else this.filePages++;
    this.listAppend(f);
    return f;
  }

  /** Drops one mapping of a user page; frees the frame when it was the last. */
  unmapPage(frame: number, mm: MmStruct, vpn: number): void {
    if (frame === this.zeroFrame) return;
    this.removeRmap(frame, mm, vpn);
    if (this.memory.adjustMapCount(frame, -1) === 0) this.freePage(frame);
  }

  /** The swap I/O recorded since the last call, as device time in ns; resets the record. */
  takeIoNs(inNs: number, outNs: number): number {
    const ns = this.ioPages.in * inNs + this.ioPages.out * outNs + this.highThrottlePages * HIGH_THROTTLE_NS;
    this.ioPages.in = 0;
    this.ioPages.out = 0;
    this.highThrottlePages = 0;
    return ns;
  }

  /** Frees a user page that was never mapped. */
  dropPage(frame: number): void {
    this.freePage(frame);
  }

  /** Records that `mm` maps `frame` at `vpn`. */
  addRmap(frame: number, mm: MmStruct, vpn: number): void {
    this.memory.adjustMapCount(frame, 1);
    if (this.soleMm[frame] === undefined) {
      this.soleMm[frame] = mm;
      this.soleVpn[frame] = vpn;
      return;
    }
    const maps = this.shared.get(frame);
    if (maps) maps.set(mm, vpn);
    else this.shared.set(frame, new Map([[mm, vpn]]));
  }

  /**
   * Takes a user page off the reclaim list for good (a VMM pinning guest RAM, as
   * get_user_pages with FOLL_PIN): it is never evicted until it is freed.
   */
  pin(frame: number): void {
    if (this.pinned[frame] || (this.kind[frame] !== FrameKind.Anon && this.kind[frame] !== FrameKind.File)) return;
    this.listRemove(frame);
    this.pinned[frame] = 1;
    this.pinnedCount++;
  }

  /** Pages pinned (never reclaimed). */
  get pinnedPages(): number {
    return this.pinnedCount;
  }

  /** Tells the LRU policy that `frame` was just used. */
  touched(frame: number): void {
    if (frame === this.tail || this.pinned[frame] || (this.kind[frame] !== FrameKind.Anon && this.kind[frame] !== FrameKind.File)) return;
    this.listRemove(frame);
    this.listAppend(frame);
  }

  /** Evicts one page by the policy (of `scope`'s subtree only, when given). False when no page can be evicted. */
  evictOne(scope: MemCounter | null = null): boolean {
    this.reclaimScope = scope;
    try {
      const victim = this.pickVictim();
      if (victim < 0) return false;
      this.evict(victim);
      return true;
    } finally {
      this.reclaimScope = null;
    }
  }

  /** One page-table entry less points at swap slot `slot`; a slot that frees is uncharged from its cgroup. */
  putSwap(slot: number): void {
    this.swap.put(slot);
    if (this.swap.usersOf(slot) === 0) {
      this.slotMemcg.get(slot)?.chargeSwap(-1);
      this.slotMemcg.delete(slot);
    }
  }

  /**
   * The memory cgroup's side of an allocation (try_charge): while one more page
   * would take a group over memory.max, reclaim inside that group ("max" event);
   * with nothing to reclaim, kill inside it ("oom", OOM-kill). False: the charge
   * failed (nobody left to kill).
   */
  private chargeAllowed(memcg: MemCounter): boolean {
    for (let tries = 0; ; tries++) {
      const over = memcg.overMax();
      if (!over) return true;
      over.event('max');
      if (tries < 64 && this.evictOne(over)) continue;
      over.event('oom');
      if (tries > 72 || !this.memcgOutOfMemory(over)) return false;
    }
  }

  /** After a charge: groups over memory.high count a "high" event and are reclaimed back (never OOM-killed, CGR-05). */
  private reclaimHigh(memcg: MemCounter): void {
    for (const m of memcg.overHigh()) {
      m.event('high');
      this.highThrottlePages++;
      for (let i = 0; i < 4 && m.pages > m.highPages; i++) if (!this.evictOne(m)) break;
    }
  }

  /**
   * A free frame. Below the min watermark the caller reclaims first (direct reclaim),
   * and when nothing can be evicted the OOM killer is asked; when nobody can be
   * killed the allocation fails.
   */
  private getFrame(owner: number, kind: 'anon' | 'file' | 'kernel'): number | null {
    const memcg = this.reclaiming ? null : this.memcgOf(owner);
    if (memcg) {
      this.reclaiming = true;
      let ok: boolean;
      try {
        ok = this.chargeAllowed(memcg);
      } finally {
        this.reclaiming = false;
      }
      if (!ok) return null;
    }
    const f = this.getGlobalFrame(owner);
    if (f !== null && memcg) {
      this.frameMemcg[f] = memcg;
      memcg.charge(kind, 1);
      this.reclaiming = true;
      try {
        this.reclaimHigh(memcg);
      } finally {
        this.reclaiming = false;
      }
    }
    return f;
  }

  /** A free frame from the machine, reclaiming globally below the min watermark. */
  private getGlobalFrame(owner: number): number | null {
    for (let attempt = 0; ; attempt++) {
      if (this.memory.freeFrames > this.minFreeFrames) return this.take(owner);
      if (this.reclaiming) return this.take(owner);
      this.reclaiming = true;
      try {
        if (this.evictOne()) continue;
        // Killing did not free enough after many tries: take from the reserve.
        if (attempt > 8) return this.take(owner);
        // Nobody to kill: the allocation fails (Linux would panic; see oom.ts).
        if (!this.outOfMemory()) return null;
      } finally {
        this.reclaiming = false;
      }
    }
  }

  private take(owner: number): number | null {
    const f = this.memory.alloc(owner);
    if (f === null) return null;
    this.events.pgalloc++;
    this.cover();
    return f;
  }

  /** Widens the per-frame arrays to physical memory's capacity. */
  private cover(): void {
    const cap = this.memory.capacity;
    if (this.kind.length === cap) return;
    const widen = <T extends Uint8Array | Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a);
      return b;
    };
    this.kind = widen(this.kind, new Uint8Array(cap));
    this.next = widen(this.next, new Int32Array(cap));
    this.prev = widen(this.prev, new Int32Array(cap));
    this.soleVpn = widen(this.soleVpn, new Float64Array(cap));
    this.pinned = widen(this.pinned, new Uint8Array(cap));
  }

  private freePage(frame: number): void {
    if (this.kind[frame] === FrameKind.Anon) this.anonPages--;
    else this.filePages--;
    if (this.pinned[frame]) {
      this.pinned[frame] = 0;
      this.pinnedCount--;
    } else this.listRemove(frame);
    this.soleMm[frame] = undefined;
    this.shared.delete(frame);
    this.release(frame);
  }

  private release(frame: number): void {
    const m = this.frameMemcg[frame];
    if (m) {
      const k = this.kind[frame];
      m.charge(k === FrameKind.Anon ? 'anon' : k === FrameKind.File ? 'file' : 'kernel', -1);
      this.frameMemcg[frame] = undefined;
    }
    this.kind[frame] = FrameKind.Free;
    this.memory.free(frame);
    this.events.pgfree++;
  }

  private removeRmap(frame: number, mm: MmStruct, vpn: number): void {
    const maps = this.shared.get(frame);
    if (this.soleMm[frame] === mm && this.soleVpn[frame] === vpn) {
      // Promote one of the others, if any, to the inline slot.
      const next = maps?.entries().next();
      if (maps && next && !next.done) {
        this.soleMm[frame] = next.value[0];
        this.soleVpn[frame] = next.value[1];
        maps.delete(next.value[0]);
        if (maps.size === 0) this.shared.delete(frame);
      } else {
        this.soleMm[frame] = undefined;
      }
      return;
    }
    if (!maps || maps.get(mm) !== vpn) return;
    maps.delete(mm);
    if (maps.size === 0) this.shared.delete(frame);
  }

  /** Every (address space, page) mapping `frame`. */
  private mappingsOf(frame: number): [MmStruct, number][] {
    const sole = this.soleMm[frame];
    if (sole === undefined) return [];
    const out: [MmStruct, number][] = [[sole, this.soleVpn[frame]]];
    const maps = this.shared.get(frame);
    if (maps) out.push(...maps);
    return out;
  }

  /** Can this page go now? A file page always can (its file has the data); an anonymous one needs a swap slot. */
  private evictable(frame: number): boolean {
    const m = this.frameMemcg[frame];
    if (this.reclaimScope && (!m || !m.isWithin(this.reclaimScope))) return false;
    if (this.kind[frame] === FrameKind.File) return true;
    // memory.swap.max: at the limit a group's anonymous pages stay in memory.
    return this.swap.freeSlots > 0 && (!m || m.overSwapMax() === null);
  }

  private pickVictim(): number {
    if (this.resident === 0) return -1;
    switch (this.policy) {
      case 'fifo':
      case 'lru':
        for (let f = this.head; f >= 0; f = this.next[f] - 1) {
          this.events.pgscan++;
          if (this.evictable(f)) return f;
        }
        return -1;
      case 'rand': {
        // Walk from a random position: uniform over evictable pages when all are.
        let f = this.nth(this.rng.int(0, this.resident - 1));
        for (let i = 0; i < this.resident; i++) {
          this.events.pgscan++;
          if (this.evictable(f)) return f;
          f = this.next[f] - 1 < 0 ? this.head : this.next[f] - 1;
        }
        return -1;
      }
      case 'clock': {
        // Two sweeps at most: the first clears reference bits.
        let f = this.hand >= 0 ? this.hand : this.head;
        for (let i = 0; i < 2 * this.resident + 1; i++) {
          this.events.pgscan++;
          const nextF = this.next[f] - 1 < 0 ? this.head : this.next[f] - 1;
          if (this.memory.hasFlag(f, FRAME_REFERENCED)) {
            this.memory.setFlag(f, FRAME_REFERENCED, false);
          } else if (this.evictable(f)) {
            this.hand = nextF === f ? -1 : nextF;
            return f;
          }
          f = nextF;
        }
        return -1;
      }
    }
  }

  private nth(i: number): number {
    let f = this.head;
    while (i-- > 0) f = this.next[f] - 1;
    return f;
  }

  /** Unmaps `frame` from every address space that maps it and frees it; anonymous contents go to swap. */
  private evict(frame: number): void {
    const anon = this.kind[frame] === FrameKind.Anon;
    const maps = this.mappingsOf(frame);
    let slot = 0;
    if (anon) {
      slot = this.swap.alloc(this.memory.contentsOf(frame)?.slice() ?? null, maps.length)!;
      const m = this.frameMemcg[frame];
      if (m) {
        this.slotMemcg.set(slot, m);
        m.chargeSwap(1);
      }
      this.events.pswpout++;
      this.ioPages.out++;
    }
    for (const [mm, vpn] of maps) {
      const s = pteSlot(this.memory, mm, vpn, null);
      if (s >= 0) {
        const { hi } = readPte(this.memory, s);
        if (anon) writePte(this.memory, s, slot, PTE_SWAP, (hi & 0x80000000) !== 0);
        else writePte(this.memory, s, 0, 0, false);
      }
      if (anon) {
        mm.rssAnon--;
        mm.swapEnts++;
      } else {
        mm.rssFile--;
      }
      this.shootdown(mm, vpn);
    }
    this.events.pgsteal++;
    this.freePage(frame);
  }

  private listAppend(f: number): void {
    this.prev[f] = this.tail + 1;
    this.next[f] = 0;
    if (this.tail >= 0) this.next[this.tail] = f + 1;
    else this.head = f;
    this.tail = f;
    this.resident++;
    // CLOCK: a new page goes just behind the hand, the last place it will look.
    if (this.policy === 'clock' && this.hand >= 0 && this.hand !== f) {
      this.listRemoveLinks(f);
      const before = this.prev[this.hand] - 1;
      this.prev[f] = before + 1;
      this.next[f] = this.hand + 1;
      this.prev[this.hand] = f + 1;
      if (before >= 0) this.next[before] = f + 1;
      else this.head = f;
    }
  }

  private listRemove(f: number): void {
    if (this.hand === f) this.hand = this.next[f] - 1;
    this.listRemoveLinks(f);
    this.resident--;
  }

  private listRemoveLinks(f: number): void {
    const p = this.prev[f] - 1;
    const n = this.next[f] - 1;
    if (p >= 0) this.next[p] = n + 1;
    else this.head = n;
    if (n >= 0) this.prev[n] = p + 1;
    else this.tail = p;
    this.prev[f] = 0;
    this.next[f] = 0;
  }
}
