/**
 * A translation lookaside buffer: one per CPU, set-associative, caching the last
 * translations of virtual page numbers to frames with the permissions the walk
 * found (Intel SDM vol. 3A §4.10; OSTEP ch. 19).
 *
 *   vpn ──▶ set = vpn mod sets ──▶ compare the ways' tags ──▶ hit: frame, perms
 *                                                      └────▶ miss: the MMU walks
 *
 * Replacement within a set is least-recently-used. A write through an entry whose
 * dirty flag is clear misses on purpose, so that the walk sets the PTE's dirty bit,
 * as hardware does. Entries are kept in typed arrays so that the hit path allocates
 * nothing.
 *
 * Simplification: one unified TLB level (no separate instruction/data TLBs or
 * second-level STLB) and no PCID: loading CR3 flushes everything.
 */

/** Entry permission bits (what the walk allowed). */
export const TLB_WRITABLE = 1;
export const TLB_USER = 2;
/** The PTE's dirty bit is already set: a write may hit. */
export const TLB_DIRTY = 4;

export interface TlbStats {
  hits: number;
  misses: number;
  flushes: number;
  invalidations: number;
}

export class Tlb {
  readonly entries: number;
  readonly ways: number;
  readonly sets: number;
  /** Virtual page number per entry; -1 when invalid. */
  private readonly tag: Float64Array;
  private readonly frame: Float64Array;
  private readonly perm: Uint8Array;
  /**
   * sets - 1 when the number of sets is a power of two (a real TLB's), else -1: the set
   * is then the page number's low bits, taken with integer arithmetic. A page number
   * above 2^31 is a double, and `%` on doubles is a library call on the hit path.
   */
  private readonly setMask: number;
  /** Last use, for LRU within a set. */
  private readonly used: Float64Array;
  private clock = 0;
  hits = 0;
  misses = 0;
  flushes = 0;
  invalidations = 0;
  /** The frame of the last hit (valid right after `lookup` returned true). */
  hitFrame = 0;

  constructor(entries: number, ways: number) {
    if (!Number.isInteger(entries) || entries < 1) throw new RangeError(`a TLB needs at least one entry, got ${entries}`);
    if (!Number.isInteger(ways) || ways < 1 || entries % ways !== 0) {
      throw new RangeError(`TLB associativity ${ways} must divide its ${entries} entries`);
    }
    this.entries = entries;
    this.ways = ways;
    this.sets = entries / ways;
    this.setMask = (this.sets & (this.sets - 1)) === 0 ? this.sets - 1 : -1;
    this.tag = new Float64Array(entries).fill(-1);
    this.frame = new Float64Array(entries);
    this.perm = new Uint8Array(entries);
    this.used = new Float64Array(entries);
  }

  /**
   * Looks `vpn` up for an access. On a hit sets `hitFrame` and returns true; a miss
   * (absent, or a write or user access the cached permissions do not cover) returns false.
   */
  lookup(vpn: number, write: boolean, user: boolean): boolean {
    const base = this.setOf(vpn) * this.ways;
    const tag = this.tag;
    for (let i = base, end = base + this.ways; i < end; i++) {
      if (tag[i] !== vpn) continue;
      const p = this.perm[i];
      if ((write && (p & (TLB_WRITABLE | TLB_DIRTY)) !== (TLB_WRITABLE | TLB_DIRTY)) || (user && !(p & TLB_USER))) break;
      this.used[i] = ++this.clock;
      this.hitFrame = this.frame[i];
      this.hits++;
      return true;
    }
    this.misses++;
    return false;
  }

  /** The set of page number `vpn` (a whole number below 2^53): vpn mod sets. */
  private setOf(vpn: number): number {
    // vpn >>> 0 is vpn mod 2^32, which a power-of-two number of sets divides.
    return this.setMask >= 0 ? (vpn >>> 0) & this.setMask : vpn % this.sets;
  }

  /** Caches a translation the walk produced, evicting the set's least recently used entry. */
  fill(vpn: number, frame: number, perm: number): void {
    const base = this.setOf(vpn) * this.ways;
    let victim = -1;
    let oldest = base;
    for (let i = base, end = base + this.ways; i < end; i++) {
      if (this.tag[i] === vpn) {
        victim = i;
        break;
      }
      if (victim === -1 && this.tag[i] === -1) victim = i;
      if (this.used[i] < this.used[oldest]) oldest = i;
    }
    if (victim === -1) victim = oldest;
    this.tag[victim] = vpn;
    this.frame[victim] = frame;
    this.perm[victim] = perm;
    this.used[victim] = ++this.clock;
  }

  /** Drops every entry (a CR3 load without PCID). */
  flush(): void {
    this.tag.fill(-1);
    this.flushes++;
  }

  /** Drops the entry for `vpn`, if cached (INVLPG). */
  invalidate(vpn: number): void {
    const base = this.setOf(vpn) * this.ways;
    for (let i = base, end = base + this.ways; i < end; i++) if (this.tag[i] === vpn) this.tag[i] = -1;
    this.invalidations++;
  }

  /** How many entries are valid. */
  validEntries(): number {
    let n = 0;
    for (let i = 0; i < this.entries; i++) if (this.tag[i] !== -1) n++;
    return n;
  }

  stats(): TlbStats {
    return { hits: this.hits, misses: this.misses, flushes: this.flushes, invalidations: this.invalidations };
  }
}
