/**
 * A physical machine: N CPUs and RAM, charging every privileged operation its native
 * cost from the cost table.
 */
import type { Engine, Ns } from '../sim/engine.js';
import { Cpu } from './cpu.js';
import type { CostSources, CostTable, LoadedCosts } from './cost-table.js';
import type { Machine, PrivilegedOp } from './machine.js';

export interface PhysicalMachineConfig {
  name?: string;
  cpus: number;
  ramBytes: number;
  costs: LoadedCosts;
}

export class PhysicalMachine implements Machine {
  readonly kind = 'physical' as const;
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
  };

  constructor(engine: Engine, config: PhysicalMachineConfig) {
    this.engine = engine;
    this.name = config.name ?? 'host';
    this.ramBytes = config.ramBytes;
    this.costs = config.costs.costs;
    this.costSources = config.costs.sources;
    const cpus: Cpu[] = [];
    for (let i = 0; i < config.cpus; i++) {
      const cpu = new Cpu(engine, i);
      cpus.push(cpu);
      engine.addProcessor(cpu);
    }
    this.cpus = cpus;
  }

  syscallTrap(_cpu: Cpu): Ns {
    this.privilegedOps.syscallTrap++;
    return this.costs.syscall;
  }

  switchAddressSpace(_cpu: Cpu, _asid: number): Ns {
    this.privilegedOps.switchAddressSpace++;
    // Simplification: the CR3 load is part of the context-switch figure the kernel charges.
    return 0;
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

  wake(cpu: Cpu): Ns {
    const latency = cpu.halted ? this.costs.idleExit : 0;
    this.engine.poke(cpu, this.engine.now + latency);
    return latency;
  }
}
