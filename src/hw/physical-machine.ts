/**
 * A physical machine: N CPUs and RAM, charging every privileged operation its native
 * cost from the cost table, and SAS drives on an HBA when it is given disks.
 */
import type { Engine, Ns } from '../sim/engine.js';
import { Cpu } from './cpu.js';
import type { CostSources, CostTable, LoadedCosts } from './cost-table.js';
import type { Machine, PrivilegedOp } from './machine.js';
import { PhysicalMemory } from './physical-memory.js';
import { Mmu } from './mmu.js';
import { Tlb } from './tlb.js';
import { PhysicalScsiHba } from './physical-scsi.js';

export interface PhysicalMachineConfig {
  name?: string;
  cpus: number;
  ramBytes: number;
  costs: LoadedCosts;
  /** Physical NICs (default 1): eth0 is cabled to the outside network, eth1… to nothing until plugged. */
  nics?: number;
  /** Drive sizes in bytes (default none): one SAS drive each on the machine's HBA, sda, sdb, … to its kernel. */
  disks?: readonly number[];
}

export class PhysicalMachine implements Machine {
  readonly kind = 'physical' as const;
  readonly vmx = true;
  /**
   * The SAS HBA and its drives, or null for a machine given no disks.
   * Simplification: the machine's root file system is not on these drives (it is the
   * kernel's built-in tree in memory, which still calls itself /dev/sda1).
   */
  readonly scsi: PhysicalScsiHba | null;
  readonly nics = null;
  /** Physical NICs beyond eth0 (eth1, eth2, …), uncabled at boot. */
  readonly extraNics: number;
  /** Simplification: the host's own serial port is not modelled (its console is ctsim's terminal). */
  readonly serial = null;
  readonly name: string;
  readonly engine: Engine;
  readonly cpus: readonly Cpu[];
  readonly ramBytes: number;
  readonly costs: CostTable;
  readonly costSources: CostSources;
  readonly privilegedOps: Record<PrivilegedOp, number> = {
    syscallTrap: 0,
    switchAddressSpace: 0,
    programTimer: 0,
    ipi: 0,
    halt: 0,
    invlpg: 0,
    tlbFlush: 0,
  };
  readonly memory: PhysicalMemory;
  readonly mmu: Mmu;

  constructor(engine: Engine, config: PhysicalMachineConfig) {
    this.engine = engine;
    this.name = config.name ?? 'host';
    this.extraNics = Math.max(0, (config.nics ?? 1) - 1);
    this.ramBytes = config.ramBytes;
    this.costs = config.costs.costs;
    this.costSources = config.costs.sources;
    this.memory = new PhysicalMemory(config.ramBytes);
    this.mmu = new Mmu(this.memory);
    this.scsi = config.disks && config.disks.length > 0 ? new PhysicalScsiHba(config.disks, this.costs) : null;
    const cpus: Cpu[] = [];
    for (let i = 0; i < config.cpus; i++) {
      const cpu = new Cpu(engine, i, new Tlb(this.costs.tlbEntries, this.costs.tlbWays));
      cpus.push(cpu);
      engine.addProcessor(cpu);
    }
    this.cpus = cpus;
  }

  syscallTrap(_cpu: Cpu): Ns {
    this.privilegedOps.syscallTrap++;
    return this.costs.syscall;
  }

  switchAddressSpace(cpu: Cpu, root: number): Ns {
    if (cpu.cr3 === root) return 0;
    this.privilegedOps.switchAddressSpace++;
    cpu.cr3 = root;
    cpu.tlb.flush();
    // The CR3 load and the flush are inside the context-switch figure (lmbench measures
    // them together); the refills are charged as the walks happen.
    return 0;
  }

  translate(cpu: Cpu, vpn: number, write: boolean): number {
    const tlb = cpu.tlb;
    if (tlb.lookup(vpn, write, true)) return tlb.hitFrame;
    const mmu = this.mmu;
    const refs = mmu.memoryReferences;
    const frame = mmu.walkVpn(cpu.cr3, vpn, write, true);
    cpu.accessCostNs += (mmu.memoryReferences - refs) * this.costs.ptRef;
    if (frame >= 0) tlb.fill(vpn, frame, mmu.perm);
    return frame;
  }

  invalidatePage(cpu: Cpu, vpn: number): Ns {
    this.privilegedOps.invlpg++;
    cpu.tlb.invalidate(vpn);
    return this.costs.invlpg;
  }

  flushTlb(cpu: Cpu): Ns {
    this.privilegedOps.tlbFlush++;
    cpu.tlb.flush();
    return this.costs.tlbFlush;
  }

  programTimer(cpu: Cpu, deadline: Ns): Ns {
    this.privilegedOps.programTimer++;
    cpu.timerDeadline = deadline;
    cpu.update();
    if (deadline < this.engine.horizon) this.engine.horizon = deadline;
    return this.costs.timerProgram;
  }

  sendIpi(_from: Cpu | null, to: Cpu, at: Ns): Ns {
    this.privilegedOps.ipi++;
    this.engine.poke(to, at);
    return this.costs.ipi;
  }

  halt(cpu: Cpu): void {
    this.privilegedOps.halt++;
    if (!cpu.halted) {
      cpu.halted = true;
      cpu.haltedSince = this.engine.now;
    }
    cpu.busyUntil = Infinity;
    cpu.update();
  }

  kernelPath(_cpu: Cpu, _entry: number, _nativeNs: Ns): Ns {
    return 0;
  }

  wake(cpu: Cpu): Ns {
    const latency = cpu.halted ? this.costs.idleExit : 0;
    this.engine.poke(cpu, this.engine.now + latency);
    return latency;
  }
}
