/**
 * A simulated host: an engine, a physical machine and a booted kernel, with a way
 * to run commands in it from outside (the library facade the CLI and tests use).
 *
 *     const host = createHost({ cpus: 2, seed: 1 });
 *     const r = host.run(['/bin/sh', '-c', 'echo hi | cat']);
 *     r.stdout === 'hi\n'; r.status === 0;
 */
import { Engine, type Ns, NS_PER_SEC } from './sim/engine.js';
import { PhysicalMachine } from './hw/physical-machine.js';
import { loadDefaultCosts, type LoadedCosts } from './hw/cost-table.js';
import { bootKernel } from './kernel/boot.js';
import { defaultPrograms } from './userland/index.js';
import type { ProgramTable } from './kernel/exec/program-table.js';
import type { SwapPolicy } from './kernel/mm/memory.js';
import type { TraceCategory, TraceSink } from './sim/trace.js';
import { KernelSession } from './kernel/session.js';
import { VmManager } from './hypervisor/vm-manager.js';
import { cable, unplug } from './kernel/net/outside.js';
import { EtherDevice } from './kernel/net/netdev.js';
export { KernelSession, ROOT_ENV } from './kernel/session.js';
export type { RunOptions, RunResult } from './kernel/session.js';

export interface HostOptions {
  /** Number of CPUs (default 2). */
  cpus?: number;
  /** RAM in bytes (default 4 GiB). */
  memoryBytes?: number;
  /** The seed of every random choice (default 1). */
  seed?: number;
  costs?: LoadedCosts;
  hostname?: string;
  /** CLOCK_REALTIME at boot, ns since the epoch (default 2025-01-01T00:00:00Z). */
  bootEpochNs?: Ns;
  programs?: ProgramTable;
  /** The policy every process inherits from init: 'cfs' (default), 'rr' or 'fifo'. */
  schedPolicy?: 'cfs' | 'rr' | 'fifo';
  /** Swap device size in bytes (default 0: no swap). */
  swapBytes?: number;
  /** Page replacement policy (default clock). */
  swapPolicy?: SwapPolicy;
  /** Trace categories to record, and where records go. */
  trace?: { categories: TraceCategory[] | 'all'; sink: TraceSink };
  /**
   * The engine to run on, to put several hosts in one simulation (two machines cabled
   * together, as live migration needs); a fresh one by default (its seed is `seed`).
   */
  engine?: Engine;
  /** The machine's name (default "host"), which also names its random streams. */
  machineName?: string;
  /** Physical NICs (default 1): eth0 reaches the outside network; eth1… wait for `plug`. */
  nics?: number;
  /**
   * Disk sizes in bytes (default none): each a SAS drive on the machine's HBA (mpt3sas),
   * /dev/sda, /dev/sdb, … at boot, costing at the device what a VM's disk does.
   * Empty at boot; its blocks last as long as the host. RangeError for a size that is
   * not a positive byte count, or more than 26 drives.
   */
  disks?: number[];
}

/** 2025-01-01T00:00:00Z: the simulated clock's date at boot, unless told otherwise. */
export const DEFAULT_BOOT_EPOCH_NS = 1_735_689_600 * NS_PER_SEC;
/** Time given to boot (init's exec) before the first command runs. */
const BOOT_SETTLE_NS = 0;

export class Host extends KernelSession {
  readonly machine: PhysicalMachine;
  private vmManager: VmManager | null = null;
  private readonly costs: LoadedCosts | undefined;

  constructor(opts: HostOptions = {}) {
    const engine = opts.engine ?? new Engine(opts.seed ?? 1);
    if (opts.trace) {
      engine.trace.enable(opts.trace.categories);
      engine.trace.addSink(opts.trace.sink);
    }
    const machine = new PhysicalMachine(engine, {
      name: opts.machineName ?? 'host',
      cpus: opts.cpus ?? 2,
      ramBytes: opts.memoryBytes ?? 4 * 1024 ** 3,
      costs: opts.costs ?? loadDefaultCosts(),
      nics: opts.nics,
      disks: opts.disks,
    });
    super(
      engine,
      bootKernel(machine, {
        hostname: opts.hostname ?? 'ctsim',
        bootEpochNs: opts.bootEpochNs ?? DEFAULT_BOOT_EPOCH_NS,
        programs: opts.programs ?? defaultPrograms(),
        defaultPolicy: opts.schedPolicy,
        swapBytes: opts.swapBytes,
        swapPolicy: opts.swapPolicy,
      }),
    );
    this.machine = machine;
    this.costs = opts.costs;
    // Let init start.
    this.engine.run({ until: BOOT_SETTLE_NS });
    this.engine.run({ maxSteps: 10_000 });
  }

  /**
   * Cables this host's physical NIC `dev` to `other`'s NIC `otherDev` (machines of one
   * simulation: the same engine), with an extra one-way delay. `other` is another host,
   * or a type 1 hypervisor's Domain-0, which drives its machine's physical NICs.
   */
  plug(dev: string, other: KernelSession, otherDev: string, delayNs = 0): void {
    if (other.engine !== this.engine) throw new Error('plug: the two hosts must share one engine (HostOptions.engine)');
    cable(physicalNic(this, dev), physicalNic(other, otherDev), delayNs);
  }

  /** Pulls the cable out of physical NIC `dev`: both ends lose their carrier. */
  unplug(dev: string): void {
    unplug(physicalNic(this, dev));
  }

  /** The host's virtual machines (hosted: each VMM is a process of this host). */
  get vms(): VmManager {
    this.vmManager ??= new VmManager(this, defaultPrograms, this.costs);
    return this.vmManager;
  }
}

/** The physical NIC `name` of the kernel `s` runs (in its initial network namespace). */
function physicalNic(s: KernelSession, name: string): EtherDevice {
  const d = s.kernel.initNsproxy.net.byName(name);
  if (!(d instanceof EtherDevice)) throw new Error(`${s.kernel.machine.name}: no physical NIC ${name} in the initial network namespace`);
  return d;
}

/** Boots a simulated host. */
export function createHost(opts: HostOptions = {}): Host {
  return new Host(opts);
}
