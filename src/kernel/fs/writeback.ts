/**
 * Writeback (Linux's fs/fs-writeback.c and the flusher): when what processes wrote to
 * a disk file system reaches the disk. Writes land in memory (the page cache: ctsimfs
 * keeps its whole tree there) and are written back
 *
 *  - by sync(2) (every disk file system), syncfs(2) and fsync(2) (the file's one);
 *  - by the flusher, once dirty data is dirty_expire_centisecs old (30 s by default:
 *    a kernel timer, then the work runs on a CPU of the machine, so a paused VM writes
 *    nothing until it runs again and a powered-off one never does);
 *  - at an orderly shutdown (`shutdown`, what `ctsim vm stop` does).
 *
 *   write(2) ──▶ ctsimfs.changed ──clean→dirty──▶ timer (+30 s) ──▶ queueWork ──▶ a CPU ──▶ writeback
 *   sync(2)  ──────────────────────────────────────────────────────────────────────────▶ writeback
 *
 * Simplification: the flusher writes back everything dirty when the first dirty data
 * expires (Linux writes the expired inodes, waking every dirty_writeback_centisecs);
 * no writeback under memory pressure (dirty_ratio); the flusher's commands are counted
 * (device commands, VM exits) but their CPU time is charged to no task; a writeback
 * that failed (logged in dmesg) is tried again only by the next sync or shutdown.
 */
import type { Ns } from '../../sim/engine.js';
import { NS_PER_SEC } from '../../sim/engine.js';
import type { SimEvent } from '../../sim/engine.js';
import type { Kernel } from '../kernel.js';
import type { FileSystem } from '../vfs/vnode.js';
import { IoCost } from '../block/block-io.js';
import type { CtsimFs } from './ctsimfs/ctsimfs.js';

/** vm.dirty_expire_centisecs (3000): how old dirty data gets before the flusher writes it. */
export const DIRTY_EXPIRE_NS: Ns = 30 * NS_PER_SEC;

export class Writeback {
  /** The mounted disk file systems, in mount order. */
  private readonly filesystems: CtsimFs[] = [];
  private timer: SimEvent | null = null;

  constructor(private readonly k: Kernel) {}

  /** A disk file system was mounted: its changes arm the flusher. */
  add(fs: CtsimFs): void {
    this.filesystems.push(fs);
    fs.onDirty = () => this.dirtied();
    if (fs.isDirty()) this.dirtied();
  }

  /** Writes back every disk file system (sync(2), shutdown). Returns what it cost and the first error. */
  syncAll(): IoCost {
    const all = new IoCost();
    for (const fs of this.filesystems) all.add(this.commit(fs));
    return all;
  }

  /** Writes back the file system `fs` if it is a disk file system (syncfs(2), fsync(2)); nothing to do otherwise. */
  syncFs(fs: FileSystem): IoCost {
    const mine = this.filesystems.find((f) => f === fs);
    return mine ? this.commit(mine) : new IoCost();
  }

  /**
   * An orderly power-off (what init does before reboot(2), and the kernel after it):
   * every file system written back, then "reboot: Power down" in the log.
   * Simplification: no init scripts run, and the writes' latency is not waited for.
   */
  shutdown(): IoCost {
    const cost = this.syncAll();
    this.k.printk('reboot: Power down');
    return cost;
  }

  private commit(fs: CtsimFs): IoCost {
    const cost = fs.writeback(this.k.realtimeNs);
    if (cost.error) this.k.printk(`ctsimfs (${fs.io.name}): writeback failed: ${cost.error.reason ?? cost.error.message}`);
    return cost;
  }

  /** A file system went from clean to dirty: the flusher will look at it once its data expires. */
  private dirtied(): void {
    if (this.timer) return;
    this.timer = this.k.engine.at(this.k.now + DIRTY_EXPIRE_NS, () => {
      this.timer = null;
      this.k.queueWork(() => {
        for (const fs of this.filesystems) if (fs.isDirty()) this.commit(fs);
      });
    });
  }
}
