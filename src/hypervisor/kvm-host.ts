/**
 * A type 2 (hosted) hypervisor: the VMM is a process of a host kernel and each vCPU is
 * one of its threads, scheduled by the host's scheduler and limited by the VMM's
 * cgroups — so host load slows the guest (steal time) and the VMM's memory.max caps
 * guest RAM. The host kernel runs the guest through /dev/kvm (src/kernel/kvm).
 *
 *   host kernel ── runs ──▶ qemu-system-x86_64 (VMM process, vCPU 0)  ─┐ ioctl(KVM_RUN)
 *                          └▶ its vCPU "threads" (CLONE_VM children) ─┴──▶ Guest piece ──▶ VCpu online
 *   guest RAM = the VMM's anonymous mapping, pinned page by page on first touch
 *   nested/shadow tables = host kernel memory charged to the VMM
 */
import type { Kernel } from '../kernel/kernel.js';
import type { KernelSession } from '../kernel/session.js';
import type { Task } from '../kernel/proc/task.js';
import { expectVmm, type KvmMemory, type KvmVmBinding } from '../kernel/kvm/kvm-dev.js';
import { PAGE_SIZE, type PhysicalMemory } from '../hw/physical-memory.js';
import type { LoadedCosts } from '../hw/cost-table.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import { VMM_COMMANDS } from '../userland/programs/vmm/index.js';
import type { HostBacking } from './backing.js';
import type { VcpuHost, VCpu } from './vcpu.js';
import { bootVm, type Vm } from './vm.js';
import type { VmConfig } from './vm-config.js';
import { findProfile } from './profiles.js';
import { openHostImage } from './devices/host-file.js';
import type { VirtualNic } from './devices/nic.js';
import type { EtherDevice } from '../kernel/net/netdev.js';
import { BR_DEFAULT_PVID, BridgeDevice } from '../kernel/net/bridge.js';
import type { DiskImage } from './devices/disk-image.js';
import { assignNic, releaseNic, withAssignedMacs, type Assignment } from './devices/passthrough.js';
import { VmLaunchError } from './launch-error.js';
export { VmLaunchError };

/** Host frames for a VM whose RAM is a VMM process's memory. */
export class VmmBacking implements HostBacking {
  readonly memory: PhysicalMemory;
  /** Set when the VMM has mapped guest RAM (KVM_SET_USER_MEMORY_REGION). */
  ram: KvmMemory | null = null;
  /** The VMM's PID, which the host charges the VMM's tables to. */
  owner = -1;
  private pages = 0;
  private readonly tables = new Set<number>();

  constructor(private readonly host: Kernel) {
    this.memory = host.machine.memory;
  }

  backPage(gfn: number, extra: { ns: number }): number | null {
    if (!this.ram) return null;
    const r = this.ram.pin(gfn);
    if (!r) return null;
    extra.ns += r.ns;
    this.pages++;
    return r.frame;
  }

  allocTable(): number | null {
    const f = this.host.mem.allocTable(this.owner);
    if (f !== null) this.tables.add(f);
    return f;
  }

  freeTable(frame: number): void {
    if (this.tables.delete(frame)) this.host.mem.freeTable(frame);
  }

  release(): void {
    // Guest pages go with the VMM's address space; the VMM's tables are the kernel's to free.
    for (const f of this.tables) this.host.mem.freeTable(f);
    this.tables.clear();
  }

  bytesInUse(): number {
    return (this.pages + this.tables.size) * PAGE_SIZE;
  }
}

/** A VM run by a VMM process on a host kernel. */
export class HostedVm implements VcpuHost, KvmVmBinding {
  readonly vcpus: readonly VCpu[];
  readonly memBytes: number;
  /** The VMM process (vCPU 0's thread). */
  vmm: Task | null = null;
  gone = false;
  onGone: (() => void) | null = null;

  constructor(
    readonly vm: Vm,
    readonly backing: VmmBacking,
    /** A VM that arrives paused from another host (restore, migration) instead of booting here. */
    private readonly arriving = false,
  ) {
    this.vcpus = vm.machine.cpus;
    this.memBytes = vm.machine.ramBytes;
  }

  get name(): string {
    return this.vm.config.name;
  }

  // VcpuHost: the host kernel's scheduler decides when a vCPU thread runs; a vCPU that
  // leaves guest mode ends its thread's guest piece itself (the KVM_RUN exit callback).
  released(): void {}

  kicked(v: VCpu): void {
    v.onKick?.();
  }

  // KvmVmBinding
  attachMemory(mem: KvmMemory): void {
    this.backing.ram = mem;
    if (this.arriving) {
      // The VM's memory arrives from its old host: backed here page by page, then it runs here.
      this.vm.machine.rehost(this.backing);
      this.vm.machine.moveTo(this);
      return;
    }
    // The VMM loads the guest kernel into guest RAM: every page the guest has so far is backed now.
    this.vm.machine.start(this);
  }

  /** The VM left for another host: this VMM's threads see it gone and the VMM exits. */
  detach(): void {
    this.gone = true;
    this.onGone?.();
  }

  /** The host's tap devices this VMM cabled the VM's NICs to. */
  readonly taps: EtherDevice[] = [];
  /** Host NICs and virtual functions assigned to the guest (VFIO), given back when the VMM lets go. */
  readonly assigned: Assignment[] = [];
  /** The host whose network stack holds them. */
  hostKernel: Kernel | null = null;

  vmmDied(): void {
    this.vm.machine.stop(this.vm.machine.state === 'stopped' ? this.vm.machine.stopReason : 'the VMM process exited');
  }

  /** The VMM's VM descriptor closed: it exited or was killed; the VM is gone. */
  vmReleased(): void {
    if (!this.gone) this.vm.machine.stop(this.vm.machine.state === 'stopped' ? this.vm.machine.stopReason : 'the VMM process exited');
    this.backing.release();
    unplugNics(this);
  }
}

export interface LaunchOptions {
  programs: ProgramTable;
  costs?: LoadedCosts;
}

/** Opens the images of `config`'s drives in the host's file system, as the VMM does at start-up. */
export function openDrives(k: Kernel, config: VmConfig, vmm: string): { id: string; image: DiskImage; readOnly: boolean }[] {
  return config.drives.map((d) => {
    const image = openHostImage(k, d.path);
    if (typeof image === 'string') throw new VmLaunchError(`${vmm}: -drive file=${d.path}: ${image}`);
    return { id: d.id, image, readOnly: d.readOnly };
  });
}

/**
 * Boots `config`'s guest and starts its VMM process on `host` (as `ctsim vm start`
 * does). The guest runs as the host runs the VMM's threads.
 */
export function launchHostedVm(host: KernelSession, config: VmConfig, opts: LaunchOptions): HostedVm {
  const backing = new VmmBacking(host.kernel);
  const path = VMM_COMMANDS[config.profile] ?? VMM_COMMANDS.kvm;
  const vmm = path.replace(/.*\//, '');
  const disks = openDrives(host.kernel, config, vmm);
  const vm = bootVm(host.engine, withAssignedMacs(host.kernel, config, vmm), backing, { programs: opts.programs, costs: opts.costs, bootEpochNs: host.kernel.realtimeNs, disks });
  return spawnVmm(host, new HostedVm(vm, backing));
}

/**
 * Receives a paused VM from another host (its guest already moved onto this host's
 * engine): a VMM process is started here, which backs the guest's memory and runs it.
 */
export function adoptHostedVm(host: KernelSession, vm: Vm): HostedVm {
  return spawnVmm(host, new HostedVm(vm, new VmmBacking(host.kernel), true));
}

/**
 * Cables each of the VM's NICs to a new tap device on the host (vnet0, vnet1, … as
 * libvirt names them, or the interface's host_dev_name), up and in the host's network
 * namespace, with the guest's MAC behind fe: (libvirt's convention).
 */
function plugNics(k: Kernel, hosted: HostedVm, vmm: string): void {
  const { taps, assigned } = cableNics(k, hosted.vm.machine.nics as VirtualNic[], hosted.name, vmm, (nic, taken) => {
    let name = nic.config.hostDev;
    if (name === null) for (let i = 0; name === null || taken(name); i++) name = `vnet${i}`;
    else if (taken(name)) throw new VmLaunchError(`${vmm}: -netdev tap,ifname=${name}: could not configure /dev/net/tun (${name}): Device or resource busy`);
    return name;
  });
  hosted.taps.push(...taps);
  hosted.assigned.push(...assigned);
}

/**
 * The back ends of a VM's NICs in kernel `k` (a type 2 host, or type 1's management
 * VM): a tap-like device named by `name` for each, up, cabled to the guest's device and
 * on its virtual switch; or, for passthrough, the host NIC or VF assigned.
 */
export function cableNics(k: Kernel, nics: VirtualNic[], vmName: string, vmm: string, name: (nic: VirtualNic, taken: (n: string) => boolean) => string): { taps: EtherDevice[]; assigned: Assignment[] } {
  const ns = k.initNsproxy.net;
  const taken = (n: string): boolean => [...ns.devices.values()].some((d) => d.name === n);
  const taps: EtherDevice[] = [];
  const assigned: Assignment[] = [];
  try {
    for (const nic of nics) {
      if (nic.config.passthrough) {
        if (nic.guestDev) assigned.push(assignNic(k, nic.config, nic.guestDev, vmName, vmm));
        continue;
      }
      const tap = k.net.createEther(ns, name(nic, taken), `fe${nic.mac.slice(2)}`);
      taps.push(tap);
      const guest = nic.guestDev;
      if (guest) {
        guest.cable = tap;
        tap.cable = guest;
      }
      k.net.setUp(tap, true);
      if (nic.config.switch !== null) joinSwitch(k, tap, nic, vmm);
    }
  } catch (e) {
    // A NIC that cannot be set up fails the start: what was done for the others is undone.
    releaseBackEnds(k, taps, assigned);
    throw e;
  }
  return { taps, assigned };
}

/** Takes a VM's NIC back ends away: taps deleted, assigned devices given back to the host. */
export function releaseBackEnds(k: Kernel, taps: EtherDevice[], assigned: Assignment[]): void {
  for (const tap of taps) {
    const guest = tap.cable as EtherDevice | null;
    if (guest && guest.cable === tap) guest.cable = null;
    tap.cable = null;
    k.net.deleteDevice(tap);
  }
  for (const a of assigned) releaseNic(k, a);
  taps.length = 0;
  assigned.length = 0;
}

/**
 * The tap joins the host bridge the interface names — the virtual switch — as an access
 * port of its VLAN (untagged, the port's PVID) or a trunk of its VLANs (tagged), and the
 * switch gets a static entry for the guest's MAC: it knows its VMs from their
 * configuration and does not have to learn them.
 */
function joinSwitch(k: Kernel, tap: EtherDevice, nic: VirtualNic, vmm: string): void {
  const c = nic.config;
  const br = [...k.initNsproxy.net.devices.values()].find((d) => d.name === c.switch);
  if (!(br instanceof BridgeDevice)) throw new VmLaunchError(`${vmm}: -netdev bridge,br=${c.switch}: bridge ${c.switch} does not exist on the host (make it: ip link add ${c.switch} type bridge vlan_filtering 1)`);
  const tagged = c.trunkVlans.length > 0 || c.vlan !== null;
  if (tagged && !br.vlanFiltering) throw new VmLaunchError(`${vmm}: -netdev bridge,br=${c.switch}: VLANs need a bridge with vlan_filtering 1 (ip link set ${c.switch} type bridge vlan_filtering 1)`);
  k.net.setMaster(tap, br);
  const vids = c.trunkVlans.length > 0 ? c.trunkVlans : [c.vlan ?? BR_DEFAULT_PVID];
  if (br.vlanFiltering) {
    const access = c.trunkVlans.length === 0;
    br.vlans.set(tap, new Map(vids.map((vid) => [vid, { pvid: access, untagged: access }])));
  }
  for (const vid of br.vlanFiltering ? vids : [0]) br.fdb.push({ mac: nic.mac, vid, port: tap, updated: k.now, local: false, isStatic: true });
}

/** Takes this VMM's taps away and gives assigned devices back (the VMM exited, or the VM left for another host). */
function unplugNics(hosted: HostedVm): void {
  if (hosted.hostKernel) releaseBackEnds(hosted.hostKernel, hosted.taps, hosted.assigned);
}


function spawnVmm(host: KernelSession, hosted: HostedVm): HostedVm {
  const config = hosted.vm.config;
  const profile = findProfile(config.profile);
  const path = VMM_COMMANDS[config.profile] ?? VMM_COMMANDS.kvm;
  hosted.hostKernel = host.kernel;
  plugNics(host.kernel, hosted, path.replace(/.*\//, ''));
  const argv = [path.replace(/.*\//, ''), '-name', config.name, '-smp', String(config.vcpus), '-m', String(config.memMib), '-overhead', String(profile?.vmmOverheadBytes ?? 0)];
  let task: Task;
  try {
    task = host.spawn(argv, { path }).task;
  } catch (e) {
    // No VMM process, so no release will come: give the NICs back now.
    unplugNics(hosted);
    throw e;
  }
  hosted.vmm = task;
  hosted.backing.owner = task.tgid;
  expectVmm(host.kernel, task.tgid, hosted);
  return hosted;
}
