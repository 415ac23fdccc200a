/**
 * A type 1 (bare-metal) hypervisor: the VMM owns the physical machine — there is no
 * host kernel — and schedules vCPUs on physical CPUs itself, as Xen's credit
 * scheduler or ESXi's do: runnable vCPUs wait in one round-robin queue, each runs for
 * a slice (`sliceNs`, 30 ms as Xen's credit scheduler) unless it halts first, and a
 * physical CPU switching from one vCPU to another pays `vmSwitch`.
 *
 *   PhysicalMachine CPUs ──▶ Type1Hypervisor.schedule ──▶ VCpu.enter (online for a slice)
 *   guest RAM ──▶ DirectBacking.reserve (frames of the physical machine, all at creation)
 *
 * A domain's memory is reserved whole when it is created, as Xen's domain builder
 * populates a domain's physical memory before it runs (a guest gives memory back only
 * through its balloon driver, Barham et al. 2003 §4.5): unlike a hosted VMM's guest RAM,
 * which the host backs page by page as the guest touches it. `xl create` fails when the
 * machine's free memory is short of the domain's size.
 *
 * The management VM (Xen's Domain-0) boots first and owns the hardware: its kernel
 * drives the physical NICs (eth0 and the network beyond it; eth1… uncabled) and SCSI
 * adapter, and holds the guests' disk images in its file system. Each guest NIC's back end is a vifD.N device in dom0
 * (netback), cabled to the guest's netfront and put on dom0's bridge when the
 * interface names a switch; each disk is an image file in dom0 (blkback). So a
 * guest's frames and blocks pass through dom0's kernel, as on Xen.
 *
 *   domU eth0 ──▶ vifD.0 (dom0) ──▶ xenbr0 (dom0) ──▶ eth0 (dom0) ──▶ the wire
 *
 * Simplification: no credits, weights or caps (plain round robin); dom0's back-end
 * work is packet latency, not CPU time of dom0's vCPU (as softirq work in the stack);
 * no xl toolstack inside dom0 (Type1Hypervisor.list is its `xl list`); dom0 drives the
 * physical SCSI adapter at its native cost (no IOMMU or event-channel cost for its I/O);
 * no ballooning (a domain keeps what it was given).
 */
import type { Engine, Ns } from '../sim/engine.js';
import { NS_PER_MS } from '../sim/engine.js';
import { PhysicalMachine } from '../hw/physical-machine.js';
import { loadDefaultCosts, type LoadedCosts } from '../hw/cost-table.js';
import type { Cpu } from '../hw/cpu.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import { DirectBacking } from './backing.js';
import type { VcpuHost, VCpu } from './vcpu.js';
import { bootVm, waitForBoot, type Vm } from './vm.js';
import { parseVmConfig, type VmConfig } from './vm-config.js';
import { cableNics, openDrives, releaseBackEnds } from './kvm-host.js';
import { withAssignedMacs } from './devices/passthrough.js';
import type { VirtualNic } from './devices/nic.js';

/** Xen's credit scheduler runs a vCPU for 30 ms before it looks again (VIRT-FIGURES §7). */
export const XEN_SLICE_NS = 30 * NS_PER_MS;

interface PcpuState {
  cpu: Cpu;
  current: VCpu | null;
  /** A vCPU this CPU is switching to (it goes online when the switch is done). */
  next: VCpu | null;
  sliceEnd: Ns;
}

export interface Type1Options {
  /** The physical machine's name (default "hypervisor"), which also names its random streams. */
  name?: string;
  cpus: number;
  ramBytes: number;
  costs?: LoadedCosts;
  sliceNs?: Ns;
  /** The programs of dom0's and the guests' root file systems. */
  programs: ProgramTable;
  /** CLOCK_REALTIME at dom0's boot. */
  bootEpochNs: Ns;
  /** Domain-0's size (default 1 vCPU, 512 MiB, as xen's dom0_mem= is often set). */
  dom0?: { vcpus?: number; memMib?: number };
  /** Physical NICs (default 1), which dom0 drives: eth0 is cabled to the outside network, eth1… to nothing until plugged. */
  nics?: number;
  /** SAS drive sizes in bytes (default none): the machine's HBA, which dom0 drives (its sda, sdb, …). */
  disks?: number[];
}

/** How long dom0 may take to boot before the constructor gives up waiting. */
const DOM0_BOOT_GUARD_NS = 60_000 * NS_PER_MS;

export class Type1Hypervisor implements VcpuHost {
  readonly machine: PhysicalMachine;
  readonly vms: Vm[] = [];
  /** Domain-0, the management VM. */
  readonly dom0: Vm;
  readonly sliceNs: Ns;
  /** Each guest's domain ID (dom0 is 0). */
  private readonly domids = new Map<Vm, number>();
  /** Each domain's memory (dom0's too), reserved whole at creation. */
  private readonly backings = new Map<Vm, DirectBacking>();
  /** Each guest's NIC back ends in dom0 (vifs, assigned devices). */
  private readonly backEnds = new Map<Vm, ReturnType<typeof cableNics>>();
  private readonly opts: Type1Options;
  /** vCPU switches and the time they cost, for reports. */
  switches = 0;
  private readonly pcpus: PcpuState[];
  private readonly queue: VCpu[] = [];
  private nextOwner = 1;

  constructor(
    readonly engine: Engine,
    opts: Type1Options,
  ) {
    this.machine = new PhysicalMachine(engine, { name: opts.name ?? 'hypervisor', cpus: opts.cpus, ramBytes: opts.ramBytes, costs: opts.costs ?? loadDefaultCosts(), nics: opts.nics, disks: opts.disks });
    this.sliceNs = opts.sliceNs ?? XEN_SLICE_NS;
    this.pcpus = this.machine.cpus.map((cpu) => ({ cpu, current: null, next: null, sliceEnd: Infinity }));
    for (const p of this.pcpus) p.cpu.onRun = () => this.step(p);
    this.opts = opts;
    // Domain-0 boots first, alone (Xen starts the guests only from dom0's toolstack).
    const d0 = parseVmConfig(
      { 'machine-config': { vcpu_count: opts.dom0?.vcpus ?? 1, mem_size_mib: opts.dom0?.memMib ?? 512 }, 'boot-source': { kernel_image_path: 'vmlinuz' }, hypervisor: { profile: 'xen-pv' } },
      'Domain-0',
      { name: 'Domain-0' },
    );
    const backing = this.reserve(d0);
    this.dom0 = bootVm(engine, d0, backing, { programs: opts.programs, bootEpochNs: opts.bootEpochNs, costs: this.costs(), hardware: { extraNics: this.machine.extraNics, scsi: this.machine.scsi } });
    this.backings.set(this.dom0, backing);
    this.domids.set(this.dom0, 0);
    this.dom0.machine.start(this);
    const guard = engine.now + DOM0_BOOT_GUARD_NS;
    while (this.dom0.machine.bootNs() < 0 && engine.now < guard) engine.runUntil(engine.now + 10 * NS_PER_MS);
  }

  /** The whole of `config`'s memory from the machine, or an `xl create`-style Error when too little is free. */
  private reserve(config: VmConfig): DirectBacking {
    const bytes = config.memMib * 1024 * 1024;
    const b = DirectBacking.reserve(this.machine.memory, this.nextOwner++, bytes);
    if (b === null) throw new Error(`xl: failed to create domain ${config.name}: it needs ${config.memMib} MiB and the machine has ${Math.floor((this.machine.memory.freeFrames * 4096) / (1024 * 1024))} MiB free`);
    return b;
  }

  /**
   * Bytes of the machine's memory the hypervisor has given domain `vm` (dom0 or a guest):
   * its whole RAM from creation, plus the frames of its shadow or nested tables.
   */
  memoryGiven(vm: Vm): number {
    return this.backings.get(vm)?.bytesInUse() ?? 0;
  }

  /** Runs the machine until `vm`'s guest has booted (a new domain's `xl create` until its init is up). */
  waitForBoot(vm: Vm): void {
    waitForBoot(vm);
  }

  private costs(): LoadedCosts {
    return this.opts.costs ?? { name: 'machine', costs: this.machine.costs, sources: this.machine.costSources };
  }

  /**
   * Creates and powers on a guest (`xl create`): its whole RAM is taken from this
   * machine at once (an Error when too little is free), its disks are image files in
   * dom0's file system (which must exist, as xl wants them), its NICs' back ends are
   * vifD.N devices in dom0.
   */
  createVm(config: VmConfig): Vm {
    const k = this.dom0.kernel;
    const domid = this.domids.size;
    const disks = openDrives(k, config, 'xl');
    const backing = this.reserve(config);
    let vm: Vm;
    try {
      vm = bootVm(this.engine, withAssignedMacs(k, config, 'xl'), backing, { programs: this.opts.programs, bootEpochNs: k.realtimeNs, costs: this.costs(), disks });
    } catch (e) {
      backing.release();
      throw e;
    }
    this.backings.set(vm, backing);
    this.backEnds.set(vm, cableNics(k, vm.machine.nics as VirtualNic[], config.name, 'xl', (nic) => `vif${domid}.${config.nics.findIndex((n) => n.id === nic.id)}`));
    this.domids.set(vm, domid);
    this.vms.push(vm);
    vm.machine.start(this);
    return vm;
  }

  /** `xl destroy`: the guest is powered off, its memory goes back to the machine and its back ends in dom0 go (vifs deleted, assigned devices given back). */
  destroyVm(vm: Vm): void {
    vm.machine.stop('destroyed (xl destroy)');
    this.backings.get(vm)?.release();
    this.backings.delete(vm);
    const b = this.backEnds.get(vm);
    if (b) releaseBackEnds(this.dom0.kernel, b.taps, b.assigned);
    this.backEnds.delete(vm);
    this.vms.splice(this.vms.indexOf(vm), 1);
  }

  /** `xl list`: every domain with its ID, memory, vCPUs and state. */
  list(): { name: string; id: number; memMib: number; vcpus: number; state: string }[] {
    return [this.dom0, ...this.vms].map((vm) => ({ name: vm.config.name, id: this.domids.get(vm)!, memMib: vm.config.memMib, vcpus: vm.config.vcpus, state: vm.machine.state }));
  }

  // VcpuHost
  released(v: VCpu): void {
    const p = this.pcpus.find((x) => x.current === v);
    if (!p) return;
    p.current = null;
    this.poke(p);
  }

  kicked(v: VCpu): void {
    if (v.online || this.queue.includes(v) || this.pcpus.some((p) => p.next === v) || !v.runnable()) return;
    this.queue.push(v);
    const idle = this.pcpus.find((p) => p.current === null && p.next === null);
    if (idle) this.poke(idle);
    else for (const p of this.pcpus) if (p.sliceEnd <= this.engine.now) this.poke(p);
  }

  private poke(p: PcpuState): void {
    p.cpu.busyUntil = this.engine.now;
    p.cpu.update();
    this.engine.poke(p.cpu, this.engine.now);
  }

  /** A physical CPU's decision point: a switch finished, a slice ended, or its vCPU left. */
  private step(p: PcpuState): void {
    const now = this.engine.now;
    const cpu = p.cpu;
    if (p.next) {
      const v = p.next;
      p.next = null;
      if (v.runnable() && !v.online) {
        p.current = v;
        p.sliceEnd = now + this.sliceNs;
        cpu.busyUntil = p.sliceEnd;
        cpu.halted = false;
        cpu.update();
        v.enter(cpu, () => this.released(v));
        return;
      }
    }
    if (p.current && p.current.online) {
      if (now < p.sliceEnd || this.queue.length === 0) {
        // Keep running it (the slice is not over, or nobody is waiting).
        if (now >= p.sliceEnd) p.sliceEnd = now + this.sliceNs;
        cpu.busyUntil = p.sliceEnd;
        cpu.update();
        return;
      }
      // Slice over with others waiting: preempt it to the back of the queue.
      const v = p.current;
      v.leave();
      p.current = null;
      this.queue.push(v);
    }
    p.current = null;
    const v = this.queue.shift();
    if (!v) {
      cpu.halted = true;
      cpu.busyUntil = Infinity;
      p.sliceEnd = Infinity;
      cpu.update();
      return;
    }
    this.switches++;
    p.next = v;
    cpu.busyUntil = now + this.machine.costs.vmSwitch;
    cpu.update();
  }
}
