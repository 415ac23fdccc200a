/**
 * A type 1 (bare-metal) hypervisor: the VMM owns the physical machine — there is no
 * host kernel — and schedules vCPUs on physical CPUs itself, as Xen's credit
 * scheduler or ESXi's do: runnable vCPUs wait in one round-robin queue, each runs for
 * a slice (`sliceNs`, 30 ms as Xen's credit scheduler) unless it halts first, and a
 * physical CPU switching from one vCPU to another pays `vmSwitch`.
 *
 *   PhysicalMachine CPUs ──▶ Type1Hypervisor.schedule ──▶ VCpu.enter (online for a slice)
 *   guest RAM ──▶ DirectBacking (frames of the physical machine)
 *
 * Simplification: no credits, weights or caps (plain round robin), no management VM
 * yet (it comes with the devices, whose work it does).
 */
import type { Engine, Ns } from '../sim/engine.js';
import { NS_PER_MS } from '../sim/engine.js';
import { PhysicalMachine } from '../hw/physical-machine.js';
import { loadDefaultCosts, type LoadedCosts } from '../hw/cost-table.js';
import type { Cpu } from '../hw/cpu.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import { DirectBacking } from './backing.js';
import type { VcpuHost, VCpu } from './vcpu.js';
import { bootVm, type Vm } from './vm.js';
import type { VmConfig } from './vm-config.js';

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
  cpus: number;
  ramBytes: number;
  costs?: LoadedCosts;
  sliceNs?: Ns;
}

export class Type1Hypervisor implements VcpuHost {
  readonly machine: PhysicalMachine;
  readonly vms: Vm[] = [];
  readonly sliceNs: Ns;
  /** vCPU switches and the time they cost, for reports. */
  switches = 0;
  private readonly pcpus: PcpuState[];
  private readonly queue: VCpu[] = [];
  private nextOwner = 1;

  constructor(
    readonly engine: Engine,
    opts: Type1Options,
  ) {
    this.machine = new PhysicalMachine(engine, { name: 'hypervisor', cpus: opts.cpus, ramBytes: opts.ramBytes, costs: opts.costs ?? loadDefaultCosts() });
    this.sliceNs = opts.sliceNs ?? XEN_SLICE_NS;
    this.pcpus = this.machine.cpus.map((cpu) => ({ cpu, current: null, next: null, sliceEnd: Infinity }));
    for (const p of this.pcpus) p.cpu.onRun = () => this.step(p);
  }

  /** Creates and powers on a VM whose RAM comes from this machine. */
  createVm(config: VmConfig, opts: { programs: ProgramTable; bootEpochNs: Ns; costs?: LoadedCosts }): Vm {
    const vm = bootVm(this.engine, config, new DirectBacking(this.machine.memory, this.nextOwner++), { ...opts, costs: opts.costs ?? { name: 'machine', costs: this.machine.costs, sources: this.machine.costSources } });
    this.vms.push(vm);
    vm.machine.start(this);
    return vm;
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
