/**
 * A swap device: numbered 4 KiB slots, each with a use count (the page-table
 * entries that point at it — several after fork), holding the contents of pages
 * the kernel evicted. Like physical memory it stores only pages that are not all
 * zeros. Reads and writes take the device's latency (`swapIn`, `swapOut` in the
 * cost table), which the faulting process waits for.
 *
 * Slot 0 is never used, as Linux reserves the first page of a swap area for its
 * header; the allocator hands out the lowest free slot (Linux scans for free slots
 * in clusters from the start).
 *
 * Simplification: one swap area, no swap cache — a page read back in gives up its
 * slot, and evicting it again writes it again.
 */
export class SwapDevice {
  /** Usable slots (the header page excluded). */
  readonly slots: number;
  private readonly count: Int32Array;
  private readonly contents = new Map<number, Uint8Array>();
  private used = 0;
  /** Lowest slot that may be free. */
  private hint = 1;

  constructor(bytes: number) {
    const pages = Math.floor(Math.max(0, bytes) / 4096);
    this.slots = Math.max(0, pages - 1);
    this.count = new Int32Array(pages + 1);
  }

  get usedSlots(): number {
    return this.used;
  }

  get freeSlots(): number {
    return this.slots - this.used;
  }

  /** Takes a free slot for a page whose entries number `users`, stores `page`; null when swap is full. */
  alloc(page: Uint8Array | null, users: number): number | null {
    if (this.used >= this.slots) return null;
    let s = this.hint;
    while (this.count[s] !== 0) s++;
    this.hint = s + 1;
    this.count[s] = users;
    this.used++;
    if (page) this.contents.set(s, page);
    return s;
  }

  /** The page in `slot` (null: all zeros). */
  read(slot: number): Uint8Array | null {
    return this.contents.get(slot) ?? null;
  }

  /** One more entry points at `slot` (fork copied it). */
  dup(slot: number): void {
    this.count[slot]++;
  }

  /** One entry less points at `slot`; the slot is free when none does. */
  put(slot: number): void {
    if (this.count[slot] === 0) throw new RangeError(`swap slot ${slot} is not in use`);
    if (--this.count[slot] === 0) {
      this.used--;
      this.contents.delete(slot);
      if (slot < this.hint) this.hint = slot;
    }
  }

  usersOf(slot: number): number {
    return this.count[slot];
  }
}
