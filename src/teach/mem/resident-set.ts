/**
 * The resident sets of the page-replacement policies of OSTEP ch. 22 ("Beyond Physical
 * Memory: Policies"): which pages are in memory, in the order the policy keeps them,
 * and which page goes when a miss finds every frame full. One class per policy; each
 * access costs O(1) (FIFO, LRU, MRU: DenseListSet for page numbers below
 * DENSE_PAGE_LIMIT, ListSet above), O(log n) (OPT, UNOPT), O(frames) (RAND) or
 * one sweep of the hand (CLOCK), so a trace of millions of accesses replays in well
 * under a second.
 *
 * The order of `resident()` is the order of the list paging-policy.py prints, and
 * its rules (written out in the shared reference's OSTEP-SEMANTICS.md, "Page
 * replacement") are:
 *
 *   new pages are appended at the end          [oldest … newest]
 *   FIFO  hit: no change        evict: head    (the first page in)
 *   LRU   hit: move to end      evict: head    (the least recently used)
 *   MRU   hit: move to end      evict: tail    (the most recently accessed)
 *   OPT   hit: no change        evict: the page used furthest in the future
 *                               (never again = len(trace); ties → nearest the end)
 *   UNOPT hit: no change        evict: the page used soonest (all never again → head)
 *
 * CLOCK keeps pages in frames, not in a list: see ClockSet.
 */
import { Heap } from 'heap-js';
import type { Rng } from '../../sim/index.js';

/** No page: what `evicted` holds after an access that evicted nothing. */
export const NO_PAGE = -1;

/**
 * Upper bound on a replayed trace's length. Keys of OPT and UNOPT pack (next use, load
 * number) into one double, each below 2^24.
 */
export const MAX_TRACE_ACCESSES = 10_000_000;

/** What every policy keeps: up to `frames` resident pages. */
export interface ResidentSet {
  /**
   * Accesses `page`, which is entry `i` of the trace (entries are replayed in order,
   * from 0). Returns true on a hit. Afterwards `evicted` holds the page this access
   * evicted, or NO_PAGE.
   */
  access(page: number, i: number): boolean;
  /** The page evicted by the last access, or NO_PAGE. */
  readonly evicted: number;
  /** The resident pages in the policy's order (a fresh array). */
  resident(): number[];
}

/**
 * FIFO, LRU and MRU: one list in insertion order (a JS Set keeps it), new pages at
 * the end; LRU and MRU move a page that hits to the end. Takes any page number; the
 * replay uses it for pages of DENSE_PAGE_LIMIT and above.
 */
export class ListSet implements ResidentSet {
  evicted = NO_PAGE;
  /** Invariant: size <= frames; iteration order is the policy's list order. */
  private readonly pages = new Set<number>();
  /** The page of the previous access: the tail of the list (MRU's victim). */
  private lastPage = NO_PAGE;

  constructor(
    private readonly frames: number,
    private readonly policy: 'fifo' | 'lru' | 'mru',
  ) {}

  access(page: number): boolean {
    this.evicted = NO_PAGE;
    const pages = this.pages;
    let hit = false;
    if (pages.has(page)) {
      hit = true;
      if (this.policy !== 'fifo') {
        pages.delete(page);
        pages.add(page);
      }
    } else {
      if (pages.size === this.frames) {
        // MRU: every access leaves its page at the tail, so the tail is the page
        // accessed last — one that just hit or the one the last miss loaded.
        const victim = this.policy === 'mru' ? this.lastPage : (pages.values().next().value as number);
        pages.delete(victim);
        this.evicted = victim;
      }
      pages.add(page);
    }
    this.lastPage = page;
    return hit;
  }

  resident(): number[] {
    return [...this.pages];
  }
}

/**
 * Page numbers below this are small enough to index arrays by: DenseListSet and the
 * replay's cold-miss bitmap then cost a few bytes per possible page (at most ~40 MB)
 * and no hashing. Larger page numbers (a trace of raw virtual page numbers) take the
 * hash-based ListSet.
 */
export const DENSE_PAGE_LIMIT = 2 ** 22;

/**
 * FIFO, LRU and MRU as ListSet, for pages below DENSE_PAGE_LIMIT: the list is doubly
 * linked through arrays indexed by page number, so an access is a few array reads and
 * writes (LRU over 10,000,000 accesses: about 0.2 s of CPU, a fifth of ListSet's).
 * Same list, same victims as ListSet.
 */
export class DenseListSet implements ResidentSet {
  evicted = NO_PAGE;
  /** The neighbours of each resident page towards the head and the tail, or NO_PAGE. */
  private readonly prev: Int32Array;
  private readonly next: Int32Array;
  /** 1 for a resident page. Invariant: exactly `size` pages, linked head to tail in list order. */
  private readonly isResident: Uint8Array;
  private head = NO_PAGE;
  private tail = NO_PAGE;
  private size = 0;

  /** Precondition: every page accessed is below `pageLimit`, and `pageLimit <= DENSE_PAGE_LIMIT`. */
  constructor(
    private readonly frames: number,
    private readonly policy: 'fifo' | 'lru' | 'mru',
    pageLimit: number,
  ) {
    this.prev = new Int32Array(pageLimit);
    this.next = new Int32Array(pageLimit);
    this.isResident = new Uint8Array(pageLimit);
  }

  access(page: number): boolean {
    this.evicted = NO_PAGE;
    if (this.isResident[page] === 1) {
      if (this.policy !== 'fifo' && page !== this.tail) {
        this.unlink(page);
        this.append(page);
      }
      return true;
    }
    if (this.size === this.frames) {
      // MRU: every access leaves its page at the tail, so the tail is the page
      // accessed last — one that just hit or the one the last miss loaded.
      const victim = this.policy === 'mru' ? this.tail : this.head;
      this.unlink(victim);
      this.isResident[victim] = 0;
      this.size--;
      this.evicted = victim;
    }
    this.append(page);
    this.isResident[page] = 1;
    this.size++;
    return false;
  }

  resident(): number[] {
    const pages: number[] = [];
    for (let p = this.head; p !== NO_PAGE; p = this.next[p]) pages.push(p);
    return pages;
  }

  private unlink(page: number): void {
    const before = this.prev[page];
    const after = this.next[page];
    if (before === NO_PAGE) this.head = after;
    else this.next[before] = after;
    if (after === NO_PAGE) this.tail = before;
    else this.prev[after] = before;
  }

  private append(page: number): void {
    this.prev[page] = this.tail;
    this.next[page] = NO_PAGE;
    if (this.tail === NO_PAGE) this.head = page;
    else this.next[this.tail] = page;
    this.tail = page;
  }
}

/** Load numbers and next-use indices are below this; a heap key packs both. */
const KEY_SCALE = 2 ** 24;

/**
 * For each trace position i, the next position after i that accesses the same page,
 * or `trace.length` when the page is never accessed again (paging-policy.py's value
 * for "never used again").
 */
export function nextUses(trace: ArrayLike<number>): Int32Array {
  const next = new Int32Array(trace.length);
  const seen = new Map<number, number>();
  for (let i = trace.length - 1; i >= 0; i--) {
    next[i] = seen.get(trace[i]) ?? trace.length;
    seen.set(trace[i], i);
  }
  return next;
}

/**
 * OPT (Belady's MIN) and UNOPT (its opposite), with the future read from the trace.
 * A heap holds one key per access, `nextUse × 2^24 + loadNumber`; OPT takes the
 * largest (furthest next use; among pages never used again, the latest loaded, which
 * is nearest the end of the list), UNOPT the smallest (soonest next use; if none is
 * used again, the earliest loaded: the head). A key is stale once its page has been
 * accessed again or evicted; stale keys are skipped when they reach the top and
 * dropped when the heap is rebuilt.
 */
export class FutureSet implements ResidentSet {
  evicted = NO_PAGE;
  /**
   * The live heap key of each resident page. Its iteration order is load order (a
   * Map keeps a key's place when its value changes): the script's list, which hits
   * do not reorder.
   */
  private readonly keyOf = new Map<number, number>();
  /** The page loaded by each load number. */
  private readonly pageOfLoad: number[] = [];
  private readonly heap: Heap<number>;
  private readonly next: Int32Array;

  constructor(
    private readonly frames: number,
    policy: 'opt' | 'unopt',
    trace: ArrayLike<number>,
  ) {
    if (trace.length >= KEY_SCALE) throw new RangeError(`a trace for OPT or UNOPT may have at most ${KEY_SCALE - 1} accesses`);
    this.next = nextUses(trace);
    this.heap = new Heap<number>(policy === 'opt' ? (a, b) => b - a : (a, b) => a - b);
  }

  access(page: number, i: number): boolean {
    this.evicted = NO_PAGE;
    const key = this.keyOf.get(page);
    if (key !== undefined) {
      this.setKey(page, this.next[i], key % KEY_SCALE);
      return true;
    }
    if (this.keyOf.size === this.frames) {
      const victim = this.takeVictim();
      this.keyOf.delete(victim);
      this.evicted = victim;
    }
    this.pageOfLoad.push(page);
    this.setKey(page, this.next[i], this.pageOfLoad.length - 1);
    return false;
  }

  resident(): number[] {
    return [...this.keyOf.keys()];
  }

  private setKey(page: number, nextUse: number, load: number): void {
    const key = nextUse * KEY_SCALE + load;
    this.keyOf.set(page, key);
    this.heap.push(key);
    // Every hit leaves a stale key behind; rebuilding from the live keys now and then
    // keeps the heap within a few times `frames` (amortized O(1) per access).
    if (this.heap.length > 4 * this.frames + 64) this.heap.init([...this.keyOf.values()]);
  }

  private takeVictim(): number {
    for (;;) {
      const key = this.heap.pop()!;
      const page = this.pageOfLoad[key % KEY_SCALE];
      if (this.keyOf.get(page) === key) return page;
    }
  }
}

/**
 * RAND: evicts a resident page chosen uniformly at random; the list keeps load order
 * (the chosen page is taken out, the new one appended), as paging-policy.py does.
 *
 * Simplification: the draw is `rng.int(0, count - 1)` from ctsim's seeded RNG, where
 * paging-policy.py takes `int(random.random() * count)` from Python's Mersenne
 * Twister; the same seed therefore evicts different pages in the two programs (only
 * the distribution is the same).
 */
export class RandomSet implements ResidentSet {
  evicted = NO_PAGE;
  private readonly pages: number[] = [];
  private readonly present = new Set<number>();

  constructor(
    private readonly frames: number,
    private readonly rng: Rng,
  ) {}

  access(page: number): boolean {
    this.evicted = NO_PAGE;
    if (this.present.has(page)) return true;
    if (this.pages.length === this.frames) {
      const [victim] = this.pages.splice(this.rng.int(0, this.pages.length - 1), 1);
      this.present.delete(victim);
      this.evicted = victim;
    }
    this.pages.push(page);
    this.present.add(page);
    return false;
  }

  resident(): number[] {
    return [...this.pages];
  }
}

/**
 * CLOCK, the textbook approximation of LRU (OSTEP ch. 22.8; Corbató's second-chance
 * algorithm): pages sit in frames arranged in a circle, each with a use counter; a
 * load sets the counter to 1 and a hit adds 1, up to `clockBits`. On a miss with
 * every frame full, the hand sweeps from where it stopped: a page with a non-zero
 * counter loses 1 and is passed over, the first page at 0 is evicted, the new page
 * takes its frame and the hand moves one past it. Free frames fill in frame order.
 * With `clockBits` 1 the counter is the single use (reference) bit of the textbook.
 *
 *        frame 0: A(1)            hand at frame 1, miss on E:
 *   ┌─▶  frame 1: B(1) ◀ hand       B 1→0, C 1→0, D is 0 → evict D, E into frame 3
 *   │    frame 2: C(1)
 *   └──  frame 3: D(0)
 *
 * Simplification: paging-policy.py's CLOCK probes frames at random (with Python's
 * RNG) rather than sweeping a hand, so no other program matches it; its -b
 * (clockbits, default 2) is this `clockBits`, with the same counting rule.
 */
export class ClockSet implements ResidentSet {
  evicted = NO_PAGE;
  /** The page in each frame, frame order; frames fill from 0. */
  private readonly slots: number[] = [];
  /** The use counter of each frame, 0..clockBits. */
  private readonly use: number[] = [];
  private readonly slotOf = new Map<number, number>();
  /** The frame the hand points at; it moves only while looking for a victim. */
  hand = 0;

  constructor(
    private readonly frames: number,
    private readonly clockBits: number,
  ) {}

  access(page: number): boolean {
    this.evicted = NO_PAGE;
    const slot = this.slotOf.get(page);
    if (slot !== undefined) {
      this.use[slot] = Math.min(this.use[slot] + 1, this.clockBits);
      return true;
    }
    if (this.slots.length < this.frames) {
      this.slotOf.set(page, this.slots.length);
      this.slots.push(page);
      this.use.push(1);
      return false;
    }
    while (this.use[this.hand] > 0) {
      this.use[this.hand]--;
      this.hand = (this.hand + 1) % this.frames;
    }
    const victim = this.slots[this.hand];
    this.slotOf.delete(victim);
    this.evicted = victim;
    this.slots[this.hand] = page;
    this.use[this.hand] = 1;
    this.slotOf.set(page, this.hand);
    this.hand = (this.hand + 1) % this.frames;
    return false;
  }

  /** The resident pages in frame order. */
  resident(): number[] {
    return [...this.slots];
  }

  /** The use counters in frame order. */
  useCounters(): number[] {
    return [...this.use];
  }
}
