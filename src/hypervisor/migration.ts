/**
 * Live migration by pre-copy (Clark et al., "Live Migration of Virtual Machines",
 * NSDI 2005): the guest keeps running on its source host while its memory is copied
 * to the destination in rounds — first every page it has, then the pages it dirtied
 * during the previous round — until what is left is small (or the rounds run out);
 * then the VM is paused, the rest and the vCPU and device state are copied (the
 * downtime), and it resumes on the destination.
 *
 *   round 0: all pages ──▶  round 1: pages dirtied in round 0 ──▶ … ──▶ stop-and-copy (downtime)
 *
 * Both hosts must share one engine (HostOptions.engine): they are two machines of one
 * simulation, cabled together. Pages cross the link at `linkKiB` per KiB; dirty pages
 * are logged as KVM's dirty log does (a write after the log starts is recorded; the
 * TLBs are flushed at each round so that no write goes unseen).
 *
 * Simplification: the copy costs the hosts no CPU time (only link time); the
 * destination backs the pages when the VM arrives rather than as they come.
 */
import type { Engine, Ns } from '../sim/engine.js';
import type { VirtualMachine } from './virtual-machine.js';
import type { KernelSession } from '../kernel/session.js';
import { adoptHostedVm, type HostedVm } from './kvm-host.js';

export interface MigrationOptions {
  /**
   * Stop copying once what is left could be sent within this pause (QEMU's
   * downtime-limit, 300 ms by default).
   */
  maxDowntimeNs?: Ns;
  /** At most this many rounds before stop-and-copy regardless (default 30, as QEMU's early default). */
  maxRounds?: number;
  /** The vCPU and device state copied during the downtime, in bytes (default 64 KiB; a design choice). */
  deviceStateBytes?: number;
}

export interface MigrationRound {
  round: number;
  pages: number;
  ns: Ns;
  /** Pages the guest dirtied while this round was being copied. */
  dirtied: number;
}

export interface MigrationReport {
  rounds: MigrationRound[];
  /** Whether what was left fitted the downtime limit (else the rounds ran out: the guest dirties memory as fast as the link sends it). */
  converged: boolean;
  /** The stop-and-copy: pages left, and how long the guest was paused. */
  finalPages: number;
  downtimeNs: Ns;
  totalNs: Ns;
  /** The VM on its new host. */
  vm: HostedVm;
}

/** What the copy did, before the VM moves. */
export type PrecopyReport = Omit<MigrationReport, 'vm'>;

/**
 * The copy of a live migration, on the source: rounds while the guest runs, then the
 * stop-and-copy, after which the VM is paused (ready to move). The link time is
 * simulated time on the source's engine.
 */
export function precopy(engine: Engine, machine: VirtualMachine, opts: MigrationOptions = {}): PrecopyReport {
  if (machine.state !== 'running') throw new Error(`VM ${machine.name} is ${machine.state}: only a running VM migrates live`);
  const pageNs = 4 * machine.costs.linkKiB;
  const maxDowntimeNs = opts.maxDowntimeNs ?? 300_000_000;
  const maxRounds = opts.maxRounds ?? 30;
  const started = engine.now;
  const guest = machine.memory;
  const rounds: MigrationRound[] = [];
  let toSend = [...machine.memVirt.backedPages()].length;
  let converged = false;
  for (let round = 0; ; round++) {
    // Start the dirty log: from now on every write is recorded.
    guest.dirtyLog = new Set();
    for (const v of machine.cpus) v.tlb.flush();
    const ns = toSend * pageNs;
    engine.runUntil(engine.now + ns);
    const dirtied = guest.dirtyLog.size;
    rounds.push({ round, pages: toSend, ns, dirtied });
    toSend = dirtied;
    converged = dirtied * pageNs <= maxDowntimeNs;
    if (converged || round + 1 >= maxRounds || machine.state !== 'running') break;
  }
  // Stop and copy: the guest is paused while the rest goes across.
  machine.pause();
  guest.dirtyLog = null;
  const downtimeNs = toSend * pageNs + Math.ceil(((opts.deviceStateBytes ?? 64 * 1024) / 1024) * machine.costs.linkKiB);
  engine.runUntil(engine.now + downtimeNs);
  return { rounds, converged, finalPages: toSend, downtimeNs, totalNs: engine.now - started };
}

/** Moves `from` (running on `src`) to `dst` by pre-copy; returns what each round cost. */
export function migrateVm(src: KernelSession, from: HostedVm, dst: KernelSession, opts: MigrationOptions = {}): MigrationReport {
  if (src.engine !== dst.engine) throw new Error('live migration needs both hosts in one simulation (HostOptions.engine)');
  const engine = src.engine;
  const machine = from.vm.machine;
  const started = engine.now;
  const copy = precopy(engine, machine, opts);
  from.detach();
  const vm = adoptHostedVm(dst, from.vm);
  // Run until the destination's VMM has taken the VM (its KVM_SET_USER_MEMORY_REGION).
  for (let i = 0; i < 1000 && (machine.state as string) === 'paused'; i++) engine.runUntil(engine.now + 100_000);
  return { ...copy, totalNs: engine.now - started, vm };
}

/** A pre-copy report in words, a line per round (what ctsim vm migrate prints). */
export function formatPrecopy(r: PrecopyReport): string {
  const ms = (ns: number): string => `${(ns / 1e6).toFixed(ns < 1e7 ? 3 : 1)} ms`;
  const mib = (pages: number): string => `${((pages * 4096) / 1048576).toFixed(1)} MiB`;
  let out = '';
  for (const x of r.rounds) out += `round ${x.round}: ${x.pages} pages (${mib(x.pages)}) sent in ${ms(x.ns)} while the guest dirtied ${x.dirtied}\n`;
  out += `${r.converged ? 'converged' : 'did not converge (the guest dirties memory as fast as the link sends it)'}: stop-and-copy of ${r.finalPages} pages\n`;
  out += `downtime ${ms(r.downtimeNs)}, total ${ms(r.totalNs)}\n`;
  return out;
}
