/**
 * The memory controller's counters (cgroup-v2.rst "Memory"): pages charged to each
 * group and its descendants, the limits, and the event counters. Every page frame
 * is charged to the group of the process that faulted it in and to all its
 * ancestors; the charge stays there when the process moves (MemoryManager does the
 * charging, reclaim within a group and the OOM kill inside it).
 *
 *   charge ─▶ every ancestor under memory.max? ─yes─▶ take the frame
 *                 │ no: "max" event, reclaim pages of that group's subtree
 *                 │     nothing reclaimable: "oom" event, OOM-kill inside it
 *                 └─ nobody to kill: the allocation fails
 */
import type { Cgroup } from '../cgroup/cgroup.js';

/** The counters memory.events and memory.events.local show. */
export interface MemEvents {
  low: number;
  high: number;
  max: number;
  oom: number;
  oom_kill: number;
  oom_group_kill: number;
}

/** `m` and its ancestors, innermost first. */
function* lineage(m: MemCounter): Generator<MemCounter> {
  for (let c: MemCounter | null = m; c !== null; c = c.parent) yield c;
}

/**
 * How long a task is held back for each page it charges above memory.high.
 * Simplification: Linux computes the delay from how far over the group is (up to
 * 2 s per return to user mode); ctsim charges a flat delay per page over.
 */
export const HIGH_THROTTLE_NS = 1_000_000;

const noEvents = (): MemEvents => ({ low: 0, high: 0, max: 0, oom: 0, oom_kill: 0, oom_group_kill: 0 });

export class MemCounter {
  readonly parent: MemCounter | null;
  /** The group these counters belong to. */
  readonly cgroup: Cgroup;
  /** Pages charged here and below (memory.current / 4096). */
  pages = 0;
  peakPages = 0;
  anonPages = 0;
  filePages = 0;
  kernelPages = 0;
  /** Swap slots holding pages charged here and below. */
  swapPages = 0;
  /** Limits in pages (Infinity: "max"). */
  maxPages = Infinity;
  highPages = Infinity;
  lowPages = 0;
  minPages = 0;
  swapMaxPages = Infinity;
  oomGroup = false;
  readonly events: MemEvents = noEvents();
  readonly eventsLocal: MemEvents = noEvents();
  pgfault = 0;
  pgmajfault = 0;

  constructor(parent: MemCounter | null, cgroup: Cgroup) {
    this.parent = parent;
    this.cgroup = cgroup;
  }

  /** True when the memory controller is active here (its limits apply). */
  get active(): boolean {
    return this.cgroup.has('memory');
  }

  /** The innermost group (this or an ancestor) whose memory.max one more page would exceed, or null. */
  overMax(pages = 1): MemCounter | null {
    for (const m of lineage(this)) if (m.active && m.pages + pages > m.maxPages) return m;
    return null;
  }

  /** The group (this or an ancestor) whose swap.max forbids swapping one more page out, or null. */
  overSwapMax(): MemCounter | null {
    for (const m of lineage(this)) if (m.active && m.swapPages + 1 > m.swapMaxPages) return m;
    return null;
  }

  /** The groups over memory.high after a charge (for the "high" event and throttling). */
  overHigh(): MemCounter[] {
    const out: MemCounter[] = [];
    for (const m of lineage(this)) if (m.active && m.pages > m.highPages) out.push(m);
    return out;
  }

  charge(kind: 'anon' | 'file' | 'kernel', pages: number): void {
    for (const m of lineage(this)) {
      m.pages += pages;
      if (m.pages > m.peakPages) m.peakPages = m.pages;
      if (kind === 'anon') m.anonPages += pages;
      else if (kind === 'file') m.filePages += pages;
      else m.kernelPages += pages;
    }
  }

  chargeSwap(pages: number): void {
    for (const m of lineage(this)) m.swapPages += pages;
  }

  /** True when `ancestor` is this group or one of its ancestors. */
  isWithin(ancestor: MemCounter): boolean {
    for (const m of lineage(this)) if (m === ancestor) return true;
    return false;
  }

  /** Counts a page fault (memory.stat pgfault, pgmajfault) here and above. */
  fault(major: boolean): void {
    for (const m of lineage(this)) {
      m.pgfault++;
      if (major) m.pgmajfault++;
    }
  }

  /** Counts an event here (local) and in every ancestor (hierarchical). */
  event(name: keyof MemEvents): void {
    this.eventsLocal[name]++;
    for (const m of lineage(this)) m.events[name]++;
  }
}
