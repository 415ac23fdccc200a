/**
 * A VM with its guest booted: the VirtualMachine, the guest kernel on it (the same
 * kernel code as the host's), and the session to run commands in the guest.
 *
 * The guest's kernel command line is the configuration's boot_args with, when the VM
 * has a root drive, `root=/dev/sdX rw` (or `ro` for a read-only drive) appended, as
 * Firecracker appends `root=/dev/vda`: the guest mounts its root file system from that
 * disk. A VM without a root drive boots the kernel's built-in tree (like an initramfs).
 *
 *     const vm = bootVm(engine, config, backing);
 *     vm.machine.start(new DedicatedCpus());      // or a host's KVM, or a type 1 VMM
 *     vm.sh('echo hi').stdout === 'hi\n';
 */
import { NS_PER_MS, type Engine, type Ns } from '../sim/engine.js';
import { loadDefaultCosts, type LoadedCosts } from '../hw/cost-table.js';
import { bootKernel } from '../kernel/boot.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import { KernelSession } from '../kernel/session.js';
import { VirtualMachine } from './virtual-machine.js';
import type { HostBacking } from './backing.js';
import type { VmConfig } from './vm-config.js';
import { findProfile } from './profiles.js';
import type { DiskImage } from './devices/disk-image.js';
import { ScsiDisk } from '../hw/scsi-disk.js';
import type { ScsiHost } from '../hw/scsi.js';
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
  /**
   * A management VM's hardware (type 1's dom0): it drives the machine's physical NICs
   * (eth0 and `extraNics` more) and its SCSI adapter instead of having virtual ones.
   */
  hardware?: { extraNics: number; scsi: ScsiHost | null };
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
        bootNs: engine.now,
        programs: opts.programs,
        ...guestRoot(config, opts.disks ?? []),
      }),
    );
    this.machine = machine;
    this.config = config;
    this.serialConsole = machine.serial instanceof VirtualUart ? new SerialConsole(this, machine.serial) : null;
  }

  /**
   * An orderly shutdown (the ACPI power button, `virsh shutdown`): the guest writes its
   * file systems back to its disks and powers off.
   * Simplification: the guest's kernel does it at once; no init scripts run.
   */
  shutdown(reason: string): void {
    if (this.machine.state === 'running') this.kernel.writeback.shutdown();
    this.machine.stop(reason);
  }
}

/**
 * The guest's command line — boot_args, and root= for the disk of the root drive (sda
 * is the first disk) — and the root the kernel mounts; none without a root drive.
 */
export function guestRoot(config: VmConfig, disks: readonly { id: string }[]): { cmdline: string; root?: { device: string; readOnly: boolean } } {
  const at = disks.findIndex((d) => config.drives.some((c) => c.id === d.id && c.root));
  if (at < 0) return { cmdline: config.bootArgs };
  const readOnly = config.drives.find((c) => c.id === disks[at].id)!.readOnly;
  const device = `/dev/sd${String.fromCharCode(97 + at)}`;
  return { cmdline: `${config.bootArgs} root=${device} ${readOnly ? 'ro' : 'rw'}`.trim(), root: { device, readOnly } };
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
  machine.nics = opts.hardware ? null : config.nics.map((n) => new VirtualNic(n, machine));
  if (opts.hardware) {
    machine.extraNics = opts.hardware.extraNics;
    machine.scsi = opts.hardware.scsi;
  }
  if (config.serial) machine.serial = new VirtualUart(machine);
  if (opts.disks && opts.disks.length > 0) {
    // Paravirtual products come with virtio-scsi, emulated ones with an LSI adapter (as their NICs).
    const model = config.nics[0]?.model === 'e1000' || (config.nics.length === 0 && findProfile(config.profile)?.nicModel === 'e1000') ? 'lsi53c895a' : 'virtio-scsi';
    const units = opts.disks.map((d) => ({ id: d.id, disk: new ScsiDisk(d.image, undefined, d.readOnly) }));
    machine.scsi = new VirtualScsiHba(model, units, machine.costs, machine.cpuVirt);
  }
  try {
    return new Vm(engine, machine, config, opts);
  } catch (e) {
    // The guest kernel panicked at boot (no root file system): the machine is off.
    machine.stop(e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/** How long a boot (or a VMM taking a VM) may take before the waiting gives up. */
const WAIT_GUARD_NS = 60_000 * NS_PER_MS;

/**
 * Runs the simulation in 10 ms steps while `busy()` holds (a boot, a VMM taking a VM), up
 * to a minute of simulated time; a step stopped early (engine.stop) ends where it stopped.
 */
export function runWhile(engine: Engine, busy: () => boolean): void {
  const guard = engine.now + WAIT_GUARD_NS;
  while (busy() && engine.now < guard) {
    const step = Math.min(guard, engine.now + 10 * NS_PER_MS);
    const r = engine.run({ until: step, deferrable: true });
    if (r === 'idle') break;
    if (r !== 'stopped') engine.advanceTo(step);
  }
}

/** Runs until `vm`'s guest has booted (or its machine stopped): the wait ends at the boot, not at the next 10 ms step. */
export function waitForBoot(vm: Vm): void {
  const m = vm.machine;
  m.onBooted = () => vm.engine.stop();
  try {
    runWhile(vm.engine, () => m.state !== 'stopped' && (m.state === 'created' || m.bootNs() < 0));
  } finally {
    m.onBooted = null;
  }
}
