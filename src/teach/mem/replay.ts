/**
 * Page-replacement replay, OSTEP ch. 22: a trace of page numbers runs against a
 * memory of `frames` page frames under one replacement policy; every access is a hit
 * (the page is resident) or a miss (it is loaded, evicting a page when every frame
 * is full). FIFO, LRU, OPT, UNOPT and MRU give exactly the answers of OSTEP's
 * `vm-beyondphys-policy/paging-policy.py -c` (hits, misses, victims and the list it
 * prints); CLOCK and RAND follow the textbook and ctsim's seeded RNG (see
 * resident-set.ts).
 *
 *   trace 0 1 2 0 1 3 …   ──▶  policy over `frames` frames  ──▶  per access: hit/miss,
 *                                                                 evicted page, resident
 *                                                              totals: hits, misses, rate
 *
 * Pure: the only input besides the trace is the RNG that RAND draws from.
 */
import type { Rng } from '../../sim/index.js';
import { ClockSet, DENSE_PAGE_LIMIT, DenseListSet, FutureSet, ListSet, MAX_TRACE_ACCESSES, NO_PAGE, RandomSet, type ResidentSet } from './resident-set.js';

/** The policies `ctsim mem replay` models, as spelled on the command line. */
export const REPLACEMENT_POLICIES = ['fifo', 'lru', 'opt', 'unopt', 'mru', 'clock', 'rand'] as const;
export type ReplacementPolicy = (typeof REPLACEMENT_POLICIES)[number];

/** True when `name` is one of REPLACEMENT_POLICIES. */
export function isReplacementPolicy(name: string): name is ReplacementPolicy {
  return (REPLACEMENT_POLICIES as readonly string[]).includes(name);
}

/** The default of CLOCK's use counter limit: one use bit, the textbook clock. */
export const CLOCK_DEFAULT_BITS = 1;

/** Upper bound on `frames` (a teaching run needs a handful). */
export const MAX_FRAMES = 1_000_000;

export { MAX_TRACE_ACCESSES };

/**
 * A trace of page numbers, in access order: an array, or the Int32Array a trace file
 * of pages below 10^9 is scanned into (10,000,000 pages in 40 MB, without an array's
 * growth).
 */
export type PageTrace = readonly number[] | Int32Array;

export interface ReplayParams {
  policy: ReplacementPolicy;
  /** Page frames of memory (paging-policy.py -C, "cachesize"), >= 1. */
  frames: number;
  /** CLOCK only: the largest value of a page's use counter (paging-policy.py -b), >= 1. */
  clockBits?: number;
}

/** One access of the trace and what it did. */
export interface ReplayAccess {
  page: number;
  hit: boolean;
  /** The page this access evicted; null when it evicted nothing (a hit, or a free frame). */
  evicted: number | null;
  /**
   * The resident pages after the access, in the policy's order: FIFO oldest load
   * first; LRU and MRU least recently used first; OPT, UNOPT and RAND in load order;
   * CLOCK in frame order.
   */
  resident: number[];
  /** CLOCK only: the use counters in frame order after the access. */
  use?: number[];
  /** CLOCK only: the frame the hand points at after the access. */
  hand?: number;
}

/** The totals of a replay. */
export interface ReplayTotals {
  policy: ReplacementPolicy;
  frames: number;
  /** CLOCK only: the use counter limit the run used. */
  clockBits?: number;
  /** Number of accesses in the trace. */
  accesses: number;
  hits: number;
  /** Every miss, cold ones included. Invariant: hits + misses = accesses. */
  misses: number;
  /** Misses on the first access to a page (compulsory misses), a part of `misses`. */
  coldMisses: number;
  /** 100 × hits / accesses, not rounded (computed as paging-policy.py computes it). */
  hitRatePercent: number;
}

/** A replay with every access. */
export interface ReplayResult extends Omit<ReplayTotals, 'accesses'> {
  accesses: ReplayAccess[];
}

/**
 * Checks a replay's inputs: a non-empty trace of whole page numbers >= 0 of at most
 * MAX_TRACE_ACCESSES entries, and whole `frames` and `clockBits` >= 1, and returns the
 * largest page. A violation is a caller bug (the command validates flags first), so it
 * throws a RangeError.
 */
function assertReplayInput(trace: PageTrace, params: ReplayParams): number {
  if (trace.length === 0) throw new RangeError('a trace needs at least one access');
  if (trace.length > MAX_TRACE_ACCESSES) throw new RangeError(`a trace may have at most ${MAX_TRACE_ACCESSES} accesses, got ${trace.length}`);
  let maxPage = 0;
  for (let i = 0; i < trace.length; i++) {
    if (!Number.isSafeInteger(trace[i]) || trace[i] < 0) throw new RangeError(`access ${i}: page must be a whole number >= 0, got ${trace[i]}`);
    if (trace[i] > maxPage) maxPage = trace[i];
  }
  if (!Number.isSafeInteger(params.frames) || params.frames < 1 || params.frames > MAX_FRAMES) {
    throw new RangeError(`frames must be a whole number in 1..${MAX_FRAMES}, got ${params.frames}`);
  }
  const bits = params.clockBits ?? CLOCK_DEFAULT_BITS;
  if (!Number.isSafeInteger(bits) || bits < 1) throw new RangeError(`clockBits must be a whole number >= 1, got ${bits}`);
  return maxPage;
}

function residentSetFor(trace: PageTrace, maxPage: number, params: ReplayParams, rng: Rng | undefined): ResidentSet {
  switch (params.policy) {
    case 'fifo':
    case 'lru':
    case 'mru':
      return maxPage < DENSE_PAGE_LIMIT ? new DenseListSet(params.frames, params.policy, maxPage + 1) : new ListSet(params.frames, params.policy);
    case 'opt':
    case 'unopt':
      return new FutureSet(params.frames, params.policy, trace);
    case 'clock':
      return new ClockSet(params.frames, params.clockBits ?? CLOCK_DEFAULT_BITS);
    case 'rand':
      if (rng === undefined) throw new RangeError('RAND needs an Rng to draw its victims from');
      return new RandomSet(params.frames, rng);
  }
}

/**
 * The number of distinct pages of `trace`, whose largest page is `maxPage`: a bitmap
 * below DENSE_PAGE_LIMIT, a hash set above.
 */
function countDistinct(trace: PageTrace, maxPage: number): number {
  if (maxPage >= DENSE_PAGE_LIMIT) return new Set(trace).size;
  const seen = new Uint8Array(maxPage + 1);
  let distinct = 0;
  for (let i = 0; i < trace.length; i++) {
    if (seen[trace[i]] === 0) {
      seen[trace[i]] = 1;
      distinct++;
    }
  }
  return distinct;
}

/**
 * Runs the trace, calling `onAccess` after each access (when given) with the
 * resident set, and returns the totals.
 */
function run(trace: PageTrace, params: ReplayParams, rng: Rng | undefined, onAccess?: (page: number, hit: boolean, set: ResidentSet) => void): ReplayTotals {
  const maxPage = assertReplayInput(trace, params);
  const set = residentSetFor(trace, maxPage, params, rng);
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const page = trace[i];
    const hit = set.access(page, i);
    if (hit) hits++;
    onAccess?.(page, hit, set);
  }
  const misses = trace.length - hits;
  // A page's first access always misses (nothing is resident before it is loaded), and
  // every other miss has seen its page before: the cold misses are the distinct pages.
  const coldMisses = countDistinct(trace, maxPage);
  return {
    policy: params.policy,
    frames: params.frames,
    ...(params.policy === 'clock' ? { clockBits: params.clockBits ?? CLOCK_DEFAULT_BITS } : {}),
    accesses: trace.length,
    hits,
    misses,
    coldMisses,
    hitRatePercent: (100 * hits) / (hits + misses),
  };
}

/**
 * Replays `trace` (page numbers) and returns the totals only: the fast path for long
 * traces (paging-policy.py -N). `rng` is needed by RAND only; give it a stream forked
 * for the purpose, e.g. `new Rng(seed).fork('mem.rand')`.
 */
export function replayTotals(trace: PageTrace, params: ReplayParams, rng?: Rng): ReplayTotals {
  return run(trace, params, rng);
}

/** Replays `trace` and records every access with the resident pages after it. */
export function replay(trace: PageTrace, params: ReplayParams, rng?: Rng): ReplayResult {
  const accesses: ReplayAccess[] = [];
  const totals = run(trace, params, rng, (page, hit, set) => {
    const access: ReplayAccess = { page, hit, evicted: set.evicted === NO_PAGE ? null : set.evicted, resident: set.resident() };
    if (set instanceof ClockSet) {
      access.use = set.useCounters();
      access.hand = set.hand;
    }
    accesses.push(access);
  });
  return { ...totals, accesses };
}

/** Length and page range of a random trace: paging-policy.py's -n 10 and -m 10. */
export const RANDOM_TRACE = { accesses: 10, maxPage: 10 } as const;

/**
 * A trace of `accesses` pages, each uniform in 0..maxPage-1, for when the user gives
 * none (paging-policy.py draws `int(maxpage * random.random())`).
 *
 * Simplification: drawn from ctsim's seeded RNG, so a seed gives the same trace on
 * every ctsim run but not the trace Python's RNG gives paging-policy.py.
 */
export function randomTrace(rng: Rng, accesses: number = RANDOM_TRACE.accesses, maxPage: number = RANDOM_TRACE.maxPage): number[] {
  return Array.from({ length: accesses }, () => rng.int(0, maxPage - 1));
}
