/**
 * A virtual machine: the Machine a guest kernel boots on (DESIGN.md decision 3). The
 * guest kernel is the same code as the host's; every privileged operation it makes
 * goes through here and costs what the VM's CPU-virtualization technique makes it
 * cost, and every memory access is translated by its memory-virtualization
 * technique — counted by reason.
 *
 *   guest kernel ──privileged op──▶ VirtualMachine ──▶ CpuVirt (exit / callout / hypercall)
 *                ──user access───▶                 ──▶ MemVirt (nested walk / shadow / direct)
 *                                        │
 *                               VCpu (runs when its VcpuHost gives it a physical CPU)
 *                               GuestMemory (backed lazily by HostBacking)
 */
import type { Engine, Ns } from '../sim/engine.js';
import type { CostSources, CostTable, LoadedCosts } from '../hw/cost-table.js';
import type { Cpu } from '../hw/cpu.js';
import type { Machine, PrivilegedOp } from '../hw/machine.js';
import type { ScsiHost } from '../hw/scsi.js';
import type { NicPort } from '../hw/nic.js';
import type { SerialPort } from '../hw/serial.js';
import { Mmu } from '../hw/mmu.js';
import { Tlb } from '../hw/tlb.js';
import { CpuVirt, EXIT_EXPLANATIONS, type CpuVirtMode, type ExitReason } from './cpu-virt.js';
import { GuestMemory } from './guest-memory.js';
import { NestedPaging, type MemVirt, type MemVirtMode } from './mem-virt.js';
import { DirectPaging, ShadowPaging } from './mem-virt-shadow.js';
import type { HostBacking } from './backing.js';
import { VCpu, type VcpuHost } from './vcpu.js';

export interface VirtualMachineConfig {
  name: string;
  vcpus: number;
  ramBytes: number;
  costs: LoadedCosts;
  cpuVirt: CpuVirtMode;
  memVirt: MemVirtMode;
  backing: HostBacking;
  /** Boot phases run on vCPU 0 before the guest kernel starts init (ns of vCPU time). */
  boot?: { firmwareNs: Ns; kernelNs: Ns; initNs: Ns };
}

export type VmState = 'created' | 'running' | 'paused' | 'stopped';

/** One boot phase as it happened (for reports and the start-up timeline). */
export interface BootPhase {
  phase: 'firmware' | 'kernel' | 'init';
  startNs: Ns;
  endNs: Ns;
}

export class VirtualMachine implements Machine {
  readonly kind = 'virtual' as const;
  /** Simplification: no nested virtualization (a guest has no /dev/kvm). */
  readonly vmx = false;
  /** The virtual SCSI adapter with the VM's disks (set before the guest boots), or null. */
  scsi: ScsiHost | null = null;
  /**
   * The VM's NICs (set before the guest boots); null for a management VM that owns the
   * machine's physical NIC (type 1's dom0: the kernel drives eth0 and the world beyond).
   */
  nics: NicPort[] | null = [];
  /** The physical NICs beyond eth0 a management VM drives (set before the guest boots; 0 for any other VM). */
  extraNics = 0;
  /** The VM's serial port, COM1 (set before the guest boots), or null when its configuration has none. */
  serial: SerialPort | null = null;
  readonly name: string;
  readonly engine: Engine;
  readonly cpus: readonly VCpu[];
  readonly ramBytes: number;
  readonly costs: CostTable;
  readonly costSources: CostSources;
  readonly privilegedOps: Record<PrivilegedOp, number> = { syscallTrap: 0, switchAddressSpace: 0, programTimer: 0, ipi: 0, halt: 0, invlpg: 0, tlbFlush: 0 };
  readonly memory: GuestMemory;
  readonly mmu: Mmu;
  readonly cpuVirt: CpuVirt;
  /** The memory technique's state on the current host (rebuilt when the VM moves). */
  memVirt: MemVirt;
  /** Where guest RAM comes from on the current host. */
  backing: HostBacking;
  private readonly memMode: MemVirtMode;
  state: VmState = 'created';
  /** Why the VM stopped, when it did not stop by itself. */
  stopReason = '';
  /** What runs the vCPUs; set when the VM is started on a host. */
  host: VcpuHost | null = null;
  /** The vCPU being simulated now. */
  currentVcpu: VCpu | null = null;
  readonly bootPhases: BootPhase[] = [];
  /** Called once when the last boot phase ends (a caller waiting for the boot stops its engine there). */
  onBooted: (() => void) | null = null;
  private readonly bootPlan: { phase: BootPhase['phase']; ns: Ns }[];

  constructor(engine: Engine, config: VirtualMachineConfig) {
    this.engine = engine;
    this.name = config.name;
    this.ramBytes = config.ramBytes;
    this.costs = config.costs.costs;
    this.costSources = config.costs.sources;
    this.backing = config.backing;
    this.memory = new GuestMemory(config.ramBytes);
    this.mmu = new Mmu(this.memory);
    this.cpuVirt = new CpuVirt(config.cpuVirt, this.costs);
    this.cpuVirt.onExit = (reason, ns, handlingNs) => this.traceExit(reason, ns, handlingNs);
    this.memMode = config.memVirt;
    this.memVirt = this.makeMemVirt(config.backing);
    const cpus: VCpu[] = [];
    for (let i = 0; i < config.vcpus; i++) {
      const v = new VCpu(engine, i, new Tlb(this.costs.tlbEntries, this.costs.tlbWays), () => (this.state === 'created' ? 'paused' : this.state));
      v.onStep = (c) => this.step(c);
      cpus.push(v);
      engine.addProcessor(v);
    }
    this.cpus = cpus;
    const b = config.boot ?? { firmwareNs: 0, kernelNs: 0, initNs: 0 };
    this.bootPlan = [
      { phase: 'firmware', ns: b.firmwareNs },
      { phase: 'kernel', ns: b.kernelNs },
      { phase: 'init', ns: b.initNs },
    ].filter((p) => p.ns > 0) as { phase: BootPhase['phase']; ns: Ns }[];
  }

  /** vCPU:reason pairs whose first exit explain mode has told. */
  private readonly explainedExits = new Set<string>();

  /**
   * A VM exit in the trace: each one as a `vmexit` record; in explain mode the first of
   * each reason on each vCPU in words with its price (later ones are only counted —
   * ctsim vm inspect shows the counts — so a running VM does not flood the explanation).
   */
  private traceExit(reason: ExitReason, ns: Ns, handlingNs: Ns): void {
    const tr = this.engine.trace;
    const vcpu = this.currentVcpu?.index ?? 0;
    if (tr.on('vmexit')) tr.emit('vmexit', 'exit', { vm: this.name, vcpu, reason, ns, count: this.cpuVirt.counters.exits[reason] });
    if (!tr.on('explain')) return;
    const key = `${vcpu}:${reason}`;
    if (this.explainedExits.has(key)) return;
    this.explainedExits.add(key);
    const cost = `it costs ${ns} ns (${this.costs.vmExit} ns of exit and re-entry${handlingNs > 0 ? ` + ${handlingNs} ns of VMM work` : ''})`;
    tr.emit('explain', 'vmexit', {
      vm: this.name,
      vcpu,
      exit: reason,
      ns,
      reason: `${EXIT_EXPLANATIONS[reason]}; ${cost}; the first exit of this reason told for this vCPU (${this.cpuVirt.counters.exits[reason]} of this reason in the VM so far); later ones are counted, not told`,
    });
  }

  private makeMemVirt(backing: HostBacking): MemVirt {
    const ctx = {
      guest: this.memory,
      backing,
      costs: this.costs,
      cpuVirt: this.cpuVirt,
      current: () => this.currentVcpu,
      hostOutOfMemory: () => this.stop('the host has no memory left to back guest RAM'),
    };
    return this.memMode === 'nested' ? new NestedPaging(ctx) : this.cpuVirt.mode === 'pv' ? new DirectPaging(ctx) : new ShadowPaging(ctx);
  }

  /**
   * Moves a paused VM's memory to another host (restore, migration): the VMM there
   * backs every page the guest had and builds its own nested table (shadow pages are
   * rebuilt as the guest runs: hidden faults after the move). Counters carry on.
   * Returns the pages backed; their price is charged to vCPU 0.
   */
  rehost(backing: HostBacking): number {
    if (this.state !== 'paused') throw new Error(`VM ${this.name} must be paused to move, not ${this.state} (${this.stopReason})`);
    const pages = [...this.memVirt.backedPages()].map(([g]) => g);
    const old = this.memVirt.counters;
    this.memory.watched.clear();
    this.backing = backing;
    this.memVirt = this.makeMemVirt(backing);
    const fresh = this.memVirt.counters;
    const tables = fresh.vmmTablePages;
    Object.assign(fresh, old);
    fresh.backedPages = 0;
    fresh.vmmTablePages = tables;
    let ns = 0;
    for (const g of pages) ns += this.memVirt.firstTouch(g);
    // Each vCPU's loaded page table goes through the new host's VMM (a shadow for it, or the nested table's).
    for (const v of this.cpus) ns += this.memVirt.loadRoot(v, v.cr3);
    this.cpus[0].pendingNs += ns;
    return pages.length;
  }

  /** Hands a paused VM to another VcpuHost (its new host's VMM) and resumes it there. */
  moveTo(host: VcpuHost): void {
    if (this.state !== 'paused') throw new Error(`VM ${this.name} must be paused to move, not ${this.state}`);
    this.host = host;
    this.resume();
  }

  /** The technique names, for reports. */
  get cpuMode(): CpuVirtMode {
    return this.cpuVirt.mode;
  }

  /** Powers the VM on under `host`: vCPU 0 runs the boot phases, then the guest kernel's init. */
  start(host: VcpuHost): void {
    if (this.state !== 'created') throw new Error(`VM ${this.name} is ${this.state}, not created`);
    this.host = host;
    this.state = 'running';
    // The VMM loads the guest's kernel and its initial memory into guest RAM: what the
    // guest kernel built before it ran is backed now (charged to the boot); from here on
    // the VMM learns of guest memory as the guest touches it.
    this.memory.hooks = {
      isBacked: (frame) => this.memVirt.isBacked(frame),
      watchedWrite: (frame, offset) => this.chargeKernel(this.memVirt.watchedWrite(frame, offset)),
      firstTouch: (frame) => this.chargeKernel(this.memVirt.firstTouch(frame)),
      watchedFreed: (frame) => this.memVirt.watchedFreed(frame),
    };
    for (let f = 0; f < this.memory.capacity; f++) {
      if (this.memory.isUsed(f) && !this.memVirt.isBacked(f)) this.chargeKernel(this.memVirt.firstTouch(f));
    }
    for (const v of this.cpus) v.powerOn();
    const v0 = this.cpus[0];
    if (this.bootPlan.length > 0) {
      // The secondary vCPUs wait until vCPU 0 has booted the kernel (it starts them with INIT-SIPI).
      for (const v of this.cpus) if (v !== v0) v.held = true;
      v0.booting = true;
      v0.halted = false;
      v0.busyUntil = this.engine.now + this.bootPlan[0].ns;
      this.bootPhases.push({ phase: this.bootPlan[0].phase, startNs: this.engine.now, endNs: -1 });
    }
    for (const v of this.cpus) if (v.runnable()) host.kicked(v);
  }

  /** Pauses every vCPU where it is (they leave their physical CPUs). */
  pause(): void {
    if (this.state !== 'running') return;
    this.state = 'paused';
    for (const v of this.cpus) {
      if (v.online) v.exitGuest(true);
      else v.pauseOffline();
    }
  }

  resume(): void {
    if (this.state !== 'paused') return;
    this.state = 'running';
    for (const v of this.cpus) if (v.runnable() && this.host) this.host.kicked(v);
  }

  /** Powers the VM off: no vCPU runs again. */
  stop(reason = ''): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.stopReason = reason;
    for (const v of this.cpus) {
      this.engine.cancel(v.wakeEvent);
      v.wakeEvent = null;
      if (v.online) v.exitGuest();
      v.timerDeadline = Infinity;
      v.busyUntil = Infinity;
      v.update();
      // A powered-off vCPU never runs again: out of the engine's scan.
      this.engine.removeProcessor(v);
    }
    // A halted vCPU's thread sleeps in KVM_RUN: wake it so it sees the shutdown.
    for (const v of this.cpus) this.host?.kicked(v);
  }

  /** When vCPU `v` is due: the boot phases first, then the guest kernel's run loop. */
  private step(v: VCpu): void {
    this.currentVcpu = v;
    const now = this.engine.now;
    if (v.booting) {
      if (now < v.busyUntil) {
        v.update();
        this.currentVcpu = null;
        return;
      }
      const cur = this.bootPhases[this.bootPhases.length - 1];
      cur.endNs = now;
      const next = this.bootPlan[this.bootPhases.length];
      if (next) {
        this.bootPhases.push({ phase: next.phase, startNs: now, endNs: -1 });
        v.busyUntil = now + next.ns;
        v.update();
        this.currentVcpu = null;
        return;
      }
      v.booting = false;
      v.busyUntil = Infinity;
      v.halted = true;
      this.onBooted?.();
      for (const o of this.cpus) {
        if (!o.held) continue;
        o.held = false;
        if (o.runnable()) this.host?.kicked(o);
      }
    }
    if (now >= v.timerDeadline && this.cpuVirt.mode === 'hw') {
      // The guest's timer fired on the host: an external-interrupt exit to inject it,
      // and an interrupt-window exit when the guest had interrupts off (in the kernel).
      v.pendingNs += this.cpuVirt.exit('external interrupt');
      if (v.mode === 2) v.pendingNs += this.cpuVirt.exit('interrupt window');
    }
    v.onRun!(v);
    this.currentVcpu = null;
  }

  /** VMM work done during the guest kernel's current path: added when the path ends. */
  chargeKernel(ns: Ns): void {
    if (ns <= 0) return;
    (this.currentVcpu ?? this.cpus[0]).pendingNs += ns;
  }

  syscallTrap(_cpu: Cpu): Ns {
    this.privilegedOps.syscallTrap++;
    // Ring compression: under binary translation the guest kernel does not run in ring 0,
    // so syscall/sysret go through the VMM. Hardware assist and a PV kernel's fast
    // handler go straight to the guest kernel.
    if (this.cpuVirt.mode === 'bt') return this.costs.syscall + this.cpuVirt.callout('syscall', this.costs.btSyscall);
    return this.costs.syscall;
  }

  switchAddressSpace(cpu: Cpu, root: number): Ns {
    if (cpu.cr3 === root) return 0;
    this.privilegedOps.switchAddressSpace++;
    const work = this.memVirt.loadRoot(cpu as VCpu, root);
    const cv = this.cpuVirt;
    if (root < 0) return 0;
    switch (cv.mode) {
      case 'hw':
        // With nested paging CR3 loads do not exit (the guest owns its CR3).
        return this.memVirt instanceof NestedPaging ? 0 : cv.exit('CR3 write', work);
      case 'bt':
        return cv.callout('CR3 write', work);
      case 'pv':
        return cv.hypercall('mmuext_op', work);
    }
  }

  translate(cpu: Cpu, vpn: number, write: boolean): number {
    return this.memVirt.translate(cpu as VCpu, vpn, write);
  }

  invalidatePage(cpu: Cpu, vpn: number): Ns {
    this.privilegedOps.invlpg++;
    const work = this.memVirt.invalidate(cpu as VCpu, vpn);
    const cv = this.cpuVirt;
    const native = this.costs.invlpg;
    if (cv.mode === 'hw') return this.memVirt instanceof NestedPaging ? native : cv.exit('INVLPG', work);
    if (cv.mode === 'bt') return native + cv.callout('INVLPG', work);
    return cv.queuePvUpdate() + work;
  }

  flushTlb(cpu: Cpu): Ns {
    this.privilegedOps.tlbFlush++;
    const work = this.memVirt.flush(cpu as VCpu);
    const cv = this.cpuVirt;
    const native = this.costs.tlbFlush;
    if (cv.mode === 'hw') return this.memVirt instanceof NestedPaging ? native : cv.exit('CR3 write', work);
    if (cv.mode === 'bt') return native + cv.callout('TLB flush', work);
    return cv.queuePvUpdate() + work;
  }

  programTimer(cpu: Cpu, deadline: Ns): Ns {
    this.privilegedOps.programTimer++;
    cpu.timerDeadline = deadline;
    cpu.update();
    if (deadline < this.engine.horizon && (cpu as VCpu).online) this.engine.horizon = deadline;
    const cv = this.cpuVirt;
    // The TSC-deadline MSR write exits under hardware assist; a PV kernel asks for a timer event.
    if (cv.mode === 'hw') return cv.exit('MSR write');
    if (cv.mode === 'bt') return this.costs.timerProgram + cv.callout('timer');
    return cv.hypercall('set_timer_op');
  }

  sendIpi(_from: Cpu | null, to: Cpu, at: Ns): Ns {
    this.privilegedOps.ipi++;
    this.deliver(to as VCpu, at);
    const cv = this.cpuVirt;
    if (cv.mode === 'hw') return cv.exit('MSR write');
    if (cv.mode === 'bt') return this.costs.ipi + cv.callout('IPI');
    return cv.hypercall('event_channel_op');
  }

  halt(cpu: Cpu): void {
    this.privilegedOps.halt++;
    const v = cpu as VCpu;
    if (!v.halted) {
      v.halted = true;
      v.haltedSince = this.engine.now;
    }
    v.busyUntil = Infinity;
    v.update();
    const cv = this.cpuVirt;
    if (cv.mode === 'hw') cv.exit('HLT');
    else if (cv.mode === 'bt') cv.callout('HLT');
    else cv.hypercall('sched_op');
    if (!v.online || v.pendingIrq) return;
    // Nothing to do: the vCPU gives its physical CPU back until an interrupt — its own
    // timer (a host timer armed for the guest's deadline), an IPI, a device.
    this.engine.cancel(v.wakeEvent);
    v.wakeEvent = null;
    if (v.timerDeadline !== Infinity) {
      v.wakeEvent = this.engine.at(v.timerDeadline, () => {
        v.wakeEvent = null;
        if (!v.online && this.state === 'running') {
          v.pendingIrq = true;
          this.host?.kicked(v);
        }
      });
    }
    v.exitGuest();
    this.host?.released(v);
  }

  wake(cpu: Cpu): Ns {
    const v = cpu as VCpu;
    const latency = v.halted ? this.costs.idleExit : 0;
    this.deliver(v, this.engine.now + latency);
    return latency;
  }

  /** An interrupt for `v` at `at`: taken when it runs, or it is woken to take it. */
  private deliver(v: VCpu, at: Ns): void {
    if (v.online) {
      this.engine.poke(v, at);
      return;
    }
    if (v.booting) return;
    v.pendingIrq = true;
    if (this.state === 'running') this.host?.kicked(v);
  }

  kernelPath(cpu: Cpu, entry: number, nativeNs: Ns): Ns {
    const v = cpu as VCpu;
    let extra = this.cpuVirt.kernelCode(entry, nativeNs);
    if (this.cpuVirt.mode === 'pv') extra += this.cpuVirt.flushPv();
    extra += v.pendingNs;
    v.pendingNs = 0;
    return extra;
  }

  /** Steal time of all vCPUs. */
  stealNs(): Ns {
    let n = 0;
    for (const v of this.cpus) n += v.stealNs;
    return n;
  }

  /** Total boot time (firmware start to init), or -1 while booting. */
  bootNs(): Ns {
    if (this.bootPhases.length === 0) return 0;
    const last = this.bootPhases[this.bootPhases.length - 1];
    return last.endNs < 0 ? -1 : last.endNs - this.bootPhases[0].startNs;
  }
}

/** A VcpuHost that gives every vCPU its own physical CPU at once (a VM alone on a big host; tests). */
export class DedicatedCpus implements VcpuHost {
  released(): void {}
  kicked(v: VCpu): void {
    if (!v.online && v.runnable()) v.enter(v, () => {});
  }
}
