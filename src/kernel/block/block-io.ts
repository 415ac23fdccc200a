/**
 * A block device as a file system sees it (Linux's struct block_device and the bios a
 * file system submits): whole 512-byte sectors read and written by number, and a cache
 * flush. sd provides one for each SCSI disk (every call becomes READ(10), WRITE(10) or
 * SYNCHRONIZE CACHE(10) commands); a host tool that formats an image file provides
 * one over the file's sectors (mkfs on the host, nothing to pay).
 *
 *   ctsimfs ──read/write/flush──▶ BlockIo ──▶ sd ──CDBs──▶ the VMM's disk model
 *                                          └▶ a disk image file (mkfs on the host)
 *
 * Every call is synchronous and reports what it cost: the CPU time of issuing it and
 * how long the device takes to complete it. The caller adds them up and, in a system
 * call, sleeps (state D) for the latency, as sd's own read and write do.
 */
import type { Ns } from '../../sim/engine.js';
import type { SysError } from '../errno.js';

/** What one request did: the data read (empty for a write), its CPU cost, the device's latency, or an error. */
export interface IoDone {
  data: Uint8Array;
  cpuNs: Ns;
  latencyNs: Ns;
  error: SysError | null;
}

export interface BlockIo {
  /** The device's name without /dev (sda). */
  readonly name: string;
  /** Its device number (8:0 for sda), which a file system on it reports as st_dev. */
  readonly rdev: number;
  /** Its size in 512-byte sectors. */
  readonly sectors: number;
  /** The device refuses writes (write-protected: sd learned it from MODE SENSE). */
  readonly readOnly: boolean;
  /** `count` sectors from sector `lba`. */
  read(lba: number, count: number): IoDone;
  /** `data` (whole sectors) at sector `lba`. */
  write(lba: number, data: Uint8Array): IoDone;
  /** Makes every completed write durable (the device's write cache flushed). */
  flush(): IoDone;
}

/** The cost of several requests, and the first error among them. */
export class IoCost {
  cpuNs: Ns = 0;
  latencyNs: Ns = 0;
  error: SysError | null = null;

  /** Adds `d`'s cost; returns true when it failed (its error is kept if it is the first). */
  add(d: { cpuNs: Ns; latencyNs: Ns; error: SysError | null }): boolean {
    this.cpuNs += d.cpuNs;
    this.latencyNs += d.latencyNs;
    if (d.error && !this.error) this.error = d.error;
    return d.error !== null;
  }
}
