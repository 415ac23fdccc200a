/**
 * The VM's SCSI host adapter: the device model in the VMM that the guest's sd driver
 * talks to, in one of two models —
 *
 *   lsi53c895a   an emulated LSI 53C895A (what QEMU offers as "lsi"): the guest
 *                driver programs the chip's registers, and every access traps to the
 *                VMM — several I/O exits per command, and one more to read the
 *                interrupt status at completion;
 *   virtio-scsi  a paravirtual adapter: requests go into a virtqueue in guest memory
 *                and the guest notifies the device once per batch; the completion is
 *                one interrupt.
 *
 * Each logical unit is a ScsiDisk answering from a DiskImage in one file of the host.
 * The CPU price of a command depends on the CPU technique: under hardware assist each
 * register access or notification is an exit to the user-space VMM (vmExitUser);
 * under binary translation the I/O instruction is a callout (no world switch); a
 * paravirtual guest notifies with an event-channel hypercall. The device's latency is
 * the disk's (deviceLatencyNs, as behind a physical adapter): diskOp per command plus
 * diskKiB per KiB moved.
 *
 * Simplification: register accesses per emulated command are a fixed 4 (the driver's
 * start of a SCRIPTS program and its status reads), not the chip's real register
 * traffic.
 */
import type { Ns } from '../../sim/engine.js';
import type { CostTable } from '../../hw/cost-table.js';
import type { Cpu } from '../../hw/cpu.js';
import type { ScsiCommandResult, ScsiHost, ScsiUnit } from '../../hw/scsi.js';
import { deviceLatencyNs, type ScsiDisk } from '../../hw/scsi-disk.js';
import type { CpuVirt } from '../cpu-virt.js';

export type ScsiModel = 'lsi53c895a' | 'virtio-scsi';

/** Register accesses (each a trap) an emulated adapter's driver makes per command, and at its completion. */
const EMULATED_ACCESSES = 4;

export interface HbaUnit extends ScsiUnit {
  disk: ScsiDisk;
}

export class VirtualScsiHba implements ScsiHost {
  readonly driver: string;
  readonly banner: string;
  /** Commands and their I/O exits (or callouts, hypercalls), for `ctsim vm inspect`. */
  commands = 0;
  notifications = 0;

  constructor(
    readonly model: ScsiModel,
    readonly units: readonly HbaUnit[],
    private readonly costs: CostTable,
    private readonly cpuVirt: CpuVirt,
  ) {
    this.driver = model === 'virtio-scsi' ? 'virtio_scsi' : 'sym53c8xx';
    // virtio_scsi's template name; sym53c8xx's info(), its driver version.
    this.banner = model === 'virtio-scsi' ? 'Virtio SCSI HBA' : 'sym-2.2.3';
  }

  command(_cpu: Cpu | null, unit: number, cdb: Uint8Array, dataOut: Uint8Array | undefined, first: boolean): { result: ScsiCommandResult; cpuNs: Ns; latencyNs: Ns } {
    const u = this.units[unit];
    const result = u.disk.execute(cdb, dataOut);
    this.commands++;
    // The guest's side: notifying the device (and, emulated, programming it) and taking the completion.
    const traps = this.model === 'virtio-scsi' ? (first ? 1 : 0) : EMULATED_ACCESSES + 1;
    this.notifications += traps;
    const cpuNs = this.cpuVirt.deviceTrap(traps);
    // The device's side: the disk.
    const latencyNs = deviceLatencyNs(this.costs, cdb, result, dataOut);
    return { result, cpuNs, latencyNs };
  }
}
