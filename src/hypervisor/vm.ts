/**
 * A VM with its guest booted: the VirtualMachine, the guest kernel on it (the same
 * kernel code as the host's), and the session to run commands in the guest.
 *
 *     const vm = bootVm(engine, config, backing);
 *     vm.machine.start(new DedicatedCpus());      // or a host's KVM, or a type 1 VMM
 *     vm.sh('echo hi').stdout === 'hi\n';
 */
import type { Engine, Ns } from '../sim/engine.js';
import { loadDefaultCosts, type LoadedCosts } from '../hw/cost-table.js';
import { bootKernel } from '../kernel/boot.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import { KernelSession } from '../kernel/session.js';
import { VirtualMachine } from './virtual-machine.js';
import type { HostBacking } from './backing.js';
import type { VmConfig } from './vm-config.js';
import { findProfile } from './profiles.js';
import type { DiskImage } from './devices/disk-image.js';
import { ScsiDisk } from './devices/scsi-target.js';
import { VirtualScsiHba } from './devices/scsi-hba.js';
import { VirtualNic } from './devices/nic.js';
import { VirtualUart } from './devices/serial.js';
import { SerialConsole } from './serial-console.js';

export interface BootVmOptions {
  /** The programs the guest's root file system holds. */
  programs: ProgramTable;
  costs?: LoadedCosts;
  /** CLOCK_REALTIME at the guest's boot. */
  bootEpochNs: Ns;
  /** Boot phases to charge (default: the profile's). */
  boot?: { firmwareNs: Ns; kernelNs: Ns; initNs: Ns };
  /** The VM's disks, in the configuration's order (the first is sda). */
  disks?: { id: string; image: DiskImage; readOnly: boolean }[];
}

export class Vm extends KernelSession {
  readonly machine: VirtualMachine;
  readonly config: VmConfig;
  /** The serial console (ctsim vm console), when the VM has a serial port. */
  readonly serialConsole: SerialConsole | null;

  constructor(engine: Engine, machine: VirtualMachine, config: VmConfig, opts: BootVmOptions) {
    super(
      engine,
      bootKernel(machine, {
        hostname: config.name,
        bootEpochNs: opts.bootEpochNs,
        programs: opts.programs,
        // Simplification: the command line is boot_args as given (Firecracker adds root= and its devices).
        cmdline: config.bootArgs,
      }),
    );
    this.machine = machine;
    this.config = config;
    this.serialConsole = machine.serial instanceof VirtualUart ? new SerialConsole(this, machine.serial) : null;
  }
}

/** Builds the VM of `config` on `backing` and boots its guest kernel (the vCPUs run once it is started). */
export function bootVm(engine: Engine, config: VmConfig, backing: HostBacking, opts: BootVmOptions): Vm {
  const profile = findProfile(config.profile);
  const boot = opts.boot ?? (profile ? { firmwareNs: profile.boot.firmwareNs, kernelNs: profile.boot.kernelNs, initNs: profile.boot.initNs } : undefined);
  const machine = new VirtualMachine(engine, {
    name: config.name,
    vcpus: config.vcpus,
    ramBytes: config.memMib * 1024 * 1024,
    costs: opts.costs ?? loadDefaultCosts(),
    cpuVirt: config.cpuVirt,
    memVirt: config.memVirt,
    backing,
    boot,
  });
  machine.nics = config.nics.map((n) => new VirtualNic(n, machine));
  if (config.serial) machine.serial = new VirtualUart(machine);
  if (opts.disks && opts.disks.length > 0) {
    // Paravirtual products come with virtio-scsi, emulated ones with an LSI adapter (as their NICs).
    const model = config.nics[0]?.model === 'e1000' || (config.nics.length === 0 && findProfile(config.profile)?.nicModel === 'e1000') ? 'lsi53c895a' : 'virtio-scsi';
    const units = opts.disks.map((d) => ({ id: d.id, disk: new ScsiDisk(d.image, undefined, d.readOnly) }));
    machine.scsi = new VirtualScsiHba(model, units, machine.costs, machine.cpuVirt);
  }
  return new Vm(engine, machine, config, opts);
}
