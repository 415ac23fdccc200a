/**
 * CPU virtualization: what happens when the guest kernel does something sensitive,
 * under each technique, and the counters that say so.
 *
 *   technique   sensitive operation (CR3 load, timer, IPI, HLT, INVLPG, PTE write)
 *   ─────────   ────────────────────────────────────────────────────────────────
 *   hw          runs directly; the ones the VMM must see cause a VM exit (by reason),
 *               each exit+entry charged `vmExit` (+ the VMM's work)
 *   bt          the kernel code that holds it was translated on first execution into
 *               the translation cache; the instruction became a call into the VMM
 *               (`btCallout`), with no world switch; system calls pay `btSyscall`
 *   pv          the guest kernel was changed to ask the hypervisor: a hypercall
 *               (`hypercall`), page-table updates queued and sent in batches
 *
 * Adams & Agesen (ASPLOS 2006) and Barham et al. (SOSP 2003) are the sources of the
 * mechanisms; the cost table (fixtures/costs) holds the figures.
 */
import type { Ns } from '../sim/engine.js';
import type { CostTable } from '../hw/cost-table.js';

export type CpuVirtMode = 'bt' | 'pv' | 'hw';

/** VM exit reasons ctsim models (Intel SDM vol. 3C appendix C names, shortened). */
export const EXIT_REASONS = ['CR3 write', 'INVLPG', 'HLT', 'MSR write', 'I/O instruction', 'EPT violation', 'exception', 'external interrupt', 'interrupt window'] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

/** Why the guest exits for each reason, in plain words (explain mode; issue 9). */
export const EXIT_EXPLANATIONS: Record<ExitReason, string> = {
  'CR3 write': 'the guest kernel switched address space (a CR3 load or a TLB flush); under shadow paging the VMM must switch to the matching shadow page table, so it intercepts CR3 (nested paging would not exit)',
  INVLPG: 'the guest kernel invalidated one TLB entry; under shadow paging the VMM must drop the matching shadow entry',
  HLT: 'the guest had nothing to run and halted; the vCPU gives its physical CPU back until an interrupt',
  'MSR write': 'the guest wrote an MSR the VMM intercepts: the TSC-deadline timer, or the x2APIC ICR to send an IPI',
  'I/O instruction': "the guest touched an emulated device's register; the VMM in user space emulates the device",
  'EPT violation': 'the guest touched guest-physical memory that no host page backs yet (first touch) or that the EPT does not map; the host backs it and fills the nested table',
  exception: 'a guest page fault the VMM intercepts under shadow paging: a hidden fault (shadow entry missing) or a write to a write-protected guest page table',
  'external interrupt': 'an interrupt arrived for the host while the guest ran (the guest\'s timer, a device); the VMM takes it and injects it',
  'interrupt window': 'the guest had interrupts disabled with one pending; the VMM asked to exit as soon as the guest can take it',
};

/** Sensitive operations a binary translator turns into calls into the VMM. */
export const CALLOUT_KINDS = ['syscall', 'CR3 write', 'INVLPG', 'TLB flush', 'timer', 'IPI', 'HLT', 'PTE write', 'page fault', 'I/O'] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];

/** Hypercalls a paravirtual guest makes (Xen's names). */
export const HYPERCALLS = ['mmu_update', 'mmuext_op', 'set_timer_op', 'sched_op', 'event_channel_op'] as const;
export type Hypercall = (typeof HYPERCALLS)[number];

function zeros<K extends string>(keys: readonly K[]): Record<K, number> {
  const r = {} as Record<K, number>;
  for (const k of keys) r[k] = 0;
  return r;
}

/** Everything a VM counts about its CPU virtualization (ctsim vm inspect shows it). */
export class CpuVirtCounters {
  readonly exits = zeros(EXIT_REASONS);
  /** ns charged for exits, by reason (exit+entry and the VMM's handling). */
  readonly exitNs = zeros(EXIT_REASONS);
  readonly callouts = zeros(CALLOUT_KINDS);
  readonly hypercalls = zeros(HYPERCALLS);
  /** Page-table updates sent in mmu_update batches, and the batches. */
  pvUpdates = 0;
  /** Translation cache: blocks executed that were already translated, blocks translated, and evicted. */
  tcHits = 0;
  tcMisses = 0;
  tcEvictions = 0;
  /** ns spent translating. */
  translateNs = 0;

  totalExits(): number {
    let n = 0;
    for (const r of EXIT_REASONS) n += this.exits[r];
    return n;
  }
}

/**
 * The translation cache of a binary translator: translated code per kernel path, in
 * blocks, least recently used evicted first when it holds more than `capacity` blocks.
 *
 * Simplification: a kernel path (a system call's handler, the fault handler, the
 * context switch) is a straight run of blocks, `nativeNs / btBlockNs` of them; the
 * cache remembers how many of a path's blocks it holds. What the translator emits is
 * not modelled, only that it was translated and what that cost.
 */
export class TranslationCache {
  /** Blocks held per path, in least-recently-used order (a Map keeps insertion order). */
  private readonly paths = new Map<number, number>();
  used = 0;

  constructor(readonly capacity: number) {}

  /** Runs `blocks` blocks of path `entry`; returns how many had to be translated first. */
  run(entry: number, blocks: number, c: CpuVirtCounters): number {
    const have = this.paths.get(entry) ?? 0;
    if (have > 0) this.paths.delete(entry);
    const miss = blocks > have ? blocks - have : 0;
    this.paths.set(entry, have + miss);
    this.used += miss;
    c.tcMisses += miss;
    c.tcHits += blocks - miss;
    while (this.used > this.capacity) {
      const [oldest, n] = this.paths.entries().next().value as [number, number];
      if (oldest === entry) break;
      this.paths.delete(oldest);
      this.used -= n;
      c.tcEvictions += n;
    }
    return miss;
  }

  /** Paths with translated code. */
  get size(): number {
    return this.paths.size;
  }
}

/**
 * The CPU-virtualization side of one VM: prices each sensitive operation for its
 * technique and counts it. `charge` says where the price goes (the vCPU's pending
 * VMM time).
 */
export class CpuVirt {
  readonly counters = new CpuVirtCounters();
  readonly tc: TranslationCache;
  /** Page-table updates a PV guest has queued for the next mmu_update. */
  pvQueued = 0;

  constructor(
    readonly mode: CpuVirtMode,
    private readonly costs: CostTable,
  ) {
    this.tc = new TranslationCache(costs.btCacheBlocks);
  }

  /** Told of each VM exit (the VM traces it); null when nobody listens. */
  onExit: ((reason: ExitReason, ns: Ns, handlingNs: Ns) => void) | null = null;

  /** A VM exit for `reason` with `handlingNs` of VMM work: its price. */
  exit(reason: ExitReason, handlingNs: Ns = 0): Ns {
    const ns = this.costs.vmExit + handlingNs;
    this.counters.exits[reason]++;
    this.counters.exitNs[reason] += ns;
    this.onExit?.(reason, ns, handlingNs);
    return ns;
  }

  /** A sensitive instruction a binary translator replaced with a call into the VMM: its price. */
  callout(kind: CalloutKind, handlingNs: Ns = 0): Ns {
    this.counters.callouts[kind]++;
    return this.costs.btCallout + handlingNs;
  }

  /** A hypercall: its price (a PV guest first sends the page-table updates it queued). */
  hypercall(kind: Hypercall, handlingNs: Ns = 0): Ns {
    let ns = kind === 'mmu_update' ? 0 : this.flushPv();
    this.counters.hypercalls[kind]++;
    ns += this.costs.hypercall + handlingNs;
    return ns;
  }

  /**
   * `count` accesses to an emulated device's registers, or paravirtual notifications:
   * each an exit to the user-space VMM that emulates the device (hw), a call into the
   * VMM with the same emulation behind it (bt), or an event-channel hypercall (pv).
   * Their price.
   */
  deviceTrap(count = 1): Ns {
    const user = Math.max(0, this.costs.vmExitUser - this.costs.vmExit);
    let ns = 0;
    for (let i = 0; i < count; i++) {
      if (this.mode === 'hw') ns += this.exit('I/O instruction', user);
      else if (this.mode === 'bt') ns += this.callout('I/O', user);
      else ns += this.hypercall('event_channel_op');
    }
    return ns;
  }

  /** A PV guest's page-table update: queued; sent when the batch is full. Returns the price now. */
  queuePvUpdate(): Ns {
    this.pvQueued++;
    return this.pvQueued >= this.costs.pvBatchMax ? this.flushPv() : 0;
  }

  /** Sends the queued page-table updates as one mmu_update hypercall (lazy MMU mode ends). */
  flushPv(): Ns {
    const n = this.pvQueued;
    if (n === 0) return 0;
    this.pvQueued = 0;
    this.counters.pvUpdates += n;
    this.counters.hypercalls.mmu_update++;
    return this.costs.hypercall + n * this.costs.pvBatchEntry;
  }

  /**
   * A path of kernel code costing `nativeNs` natively ran: under binary translation its
   * blocks come from the translation cache (translated first when missing) and each
   * indirect transfer pays `btIndirect`. Returns the extra ns.
   */
  kernelCode(entry: number, nativeNs: Ns): Ns {
    if (this.mode !== 'bt' || entry < 0 || nativeNs <= 0) return 0;
    const blocks = Math.max(1, Math.ceil(nativeNs / this.costs.btBlockNs));
    const miss = this.tc.run(entry, blocks, this.counters);
    const translate = miss * this.costs.btTranslate;
    this.counters.translateNs += translate;
    return translate + blocks * this.costs.btIndirect;
  }
}
