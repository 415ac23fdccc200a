/**
 * Guest-physical memory: the RAM a guest kernel sees (its frames, page tables and
 * data), with the two things a VMM must notice about it.
 *
 *  - **Backing.** Guest-physical pages are backed by host frames lazily, on the
 *    guest's first write to a page (what an EPT violation or a host page fault on
 *    the VMM's mapping does on real hardware); until then the page costs the host
 *    nothing.
 *  - **Watched frames.** Frames the VMM shadows or validates (the guest's page
 *    tables under shadow paging, or a paravirtual guest's pinned tables): each
 *    write to one is reported after it is stored — where real hardware traps
 *    (write protection) or a PV kernel makes a hypercall.
 *
 * Simplification: a page's contents are kept here (guest-physical), not in the host
 * frame that backs it; the host frame is accounted (it is in the VMM's RSS and its
 * memory cgroup) but holds no copy. The VMM's own accesses use `raw` to bypass the
 * hooks.
 */
import { PhysicalMemory } from '../hw/physical-memory.js';

export interface GuestMemoryHooks {
  /** The guest wrote the 32-bit word at `offset` of watched frame `frame` (already stored). */
  watchedWrite(frame: number, offset: number): void;
  /** Whether a host frame backs guest frame `frame` (the VMM's memory virtualization knows). */
  isBacked(frame: number): boolean;
  /** The guest is about to write to frame `frame`, which no host frame backs yet. */
  firstTouch(frame: number): void;
  /** The guest kernel freed watched frame `frame`. */
  watchedFreed(frame: number): void;
}

export class GuestMemory extends PhysicalMemory {
  hooks: GuestMemoryHooks | null = null;
  /** Frames whose writes are reported (page tables the VMM shadows or validates). */
  readonly watched = new Set<number>();
  /** While true, writes are the VMM's own (not reported). */
  raw = false;
  /** While a migration copies memory: the pages written since the log was last read (KVM_GET_DIRTY_LOG). */
  dirtyLog: Set<number> | null = null;

  private touch(frame: number): void {
    if (this.dirtyLog && !this.raw) this.dirtyLog.add(frame);
    if (this.hooks && !this.raw && !this.hooks.isBacked(frame)) this.hooks.firstTouch(frame);
  }

  override writeU32(frame: number, offset: number, value: number): void {
    this.touch(frame);
    super.writeU32(frame, offset, value);
    if (this.hooks && !this.raw && this.watched.has(frame)) this.hooks.watchedWrite(frame, offset);
  }

  override write(frame: number, offset: number, bytes: Uint8Array): void {
    this.touch(frame);
    super.write(frame, offset, bytes);
  }

  override copyFrame(from: number, to: number): void {
    this.touch(to);
    super.copyFrame(from, to);
  }

  override zeroFrame(frame: number): void {
    this.touch(frame);
    super.zeroFrame(frame);
  }

  override setContents(frame: number, page: Uint8Array | null): void {
    if (page) this.touch(frame);
    super.setContents(frame, page);
  }

  override free(frame: number): void {
    if (this.hooks && this.watched.has(frame)) this.hooks.watchedFreed(frame);
    super.free(frame);
  }
}
