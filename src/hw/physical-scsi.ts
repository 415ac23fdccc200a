/**
 * A physical machine's SCSI host adapter: a Broadcom (LSI) SAS3008-class SAS HBA, the
 * card Linux's mpt3sas driver binds (its host template is named "Fusion MPT SAS
 * Host", which the SCSI midlayer prints at boot as "scsi host0: Fusion MPT SAS
 * Host"), with one SAS drive per configured size at targets 0, 1, … of channel 0.
 *
 * The driver posts a request to the adapter's queue in host memory and rings a doorbell
 * register; the adapter moves the data by DMA and raises an interrupt at the end. No
 * instruction of that traps: the CPU cost is what a native driver spends, and the
 * time until completion is the drive's — the same `deviceLatencyNs` (diskOp plus
 * diskKiB per KiB moved) that a VM's disks cost at the device, so a VM's disk differs
 * from this one only by what its adapter costs the guest (exits, callouts, hypercalls).
 *
 * ```
 *   sd ──CDB──▶ PhysicalScsiHba ──▶ ScsiDisk (target N) ──▶ MemoryMedium
 *      ◀── cpuNs 0, latency deviceLatencyNs ──┘
 * ```
 *
 * Simplification: the doorbell write (a posted MMIO store) and the completion
 * interrupt cost the CPU nothing (cpuNs 0; the cost table has no figure for either,
 * and a VM's adapter is charged only its traps, not the driver work both share, so
 * the comparison stays like for like); no mpt3sas boot lines beyond the midlayer's
 * and sd's, no SAS addresses, expanders or multipath.
 * Simplification: every drive says it is the same 12 Gb/s SAS SSD (INQUIRY vendor
 * SEAGATE, product ST800FM0053, SPC-4); the revision "0001" is illustrative, not that
 * drive's firmware, and the capacity is whatever the machine was given.
 */
import type { Ns } from '../sim/engine.js';
import type { CostTable } from './cost-table.js';
import type { Cpu } from './cpu.js';
import { MemoryMedium } from './memory-medium.js';
import type { ScsiCommandResult, ScsiHost, ScsiUnit } from './scsi.js';
import { SECTOR, ScsiDisk, deviceLatencyNs, type ScsiTargetInfo } from './scsi-disk.js';

/** What each drive answers to INQUIRY: a SAS SSD claiming SPC-4 ("ANSI: 6" in the boot log). */
export const SAS_SSD: ScsiTargetInfo = { vendor: 'SEAGATE', product: 'ST800FM0053', revision: '0001', version: 0x06 };

/** The most drives a machine takes: sd names them sda … sdz. */
export const MAX_PHYSICAL_DISKS = 26;

export interface PhysicalDiskUnit extends ScsiUnit {
  readonly disk: ScsiDisk;
  /** The drive's capacity in bytes (the configured size rounded up to whole 512-byte blocks). */
  readonly sizeBytes: number;
}

export class PhysicalScsiHba implements ScsiHost {
  readonly driver = 'mpt3sas';
  readonly banner = 'Fusion MPT SAS Host';
  readonly units: readonly PhysicalDiskUnit[];
  /** Commands the adapter has carried. */
  commands = 0;

  /**
   * One drive per entry of `sizesBytes` (bytes; rounded up to whole blocks, as a drive
   * has). Throws RangeError for a size that is not a positive byte count, or too many.
   */
  constructor(sizesBytes: readonly number[], private readonly costs: CostTable) {
    if (sizesBytes.length > MAX_PHYSICAL_DISKS) throw new RangeError(`disks: ${sizesBytes.length} drives; at most ${MAX_PHYSICAL_DISKS} (sda … sdz)`);
    this.units = sizesBytes.map((size, i) => {
      if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`disks[${i}]: ${size} is not a positive byte count (e.g. ${64 * 1024 * 1024} for 64 MiB)`);
      const sizeBytes = Math.ceil(size / SECTOR) * SECTOR;
      return { id: `disk${i}`, sizeBytes, disk: new ScsiDisk(new MemoryMedium(sizeBytes), SAS_SSD) };
    });
  }

  command(_cpu: Cpu | null, unit: number, cdb: Uint8Array, dataOut: Uint8Array | undefined, _first: boolean): { result: ScsiCommandResult; cpuNs: Ns; latencyNs: Ns } {
    const result = this.units[unit].disk.execute(cdb, dataOut);
    this.commands++;
    return { result, cpuNs: 0, latencyNs: deviceLatencyNs(this.costs, cdb, result, dataOut) };
  }
}
