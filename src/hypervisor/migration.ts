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
import type { Ns } from '../sim/engine.js';
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

/** Moves `from` (running on `src`) to `dst` by pre-copy; returns what each round cost. */
export function migrateVm(src: KernelSession, from: HostedVm, dst: KernelSession, opts: MigrationOptions = {}): MigrationReport {
  if (src.engine !== dst.engine) throw new Error('live migration needs both hosts in one simulation (HostOptions.engine)');
  const engine = src.engine;
  const machine = from.vm.machine;
  if (machine.state !== 'running') throw new Error(`VM ${machine.name} is ${machine.state}: only a running VM migrates live`);
  const pageNs = 4 * machine.costs.linkKiB;
  const maxDowntimeNs = opts.maxDowntimeNs ?? 300_000_000;
  const maxRounds = opts.maxRounds ?? 30;
  const started = engine.now;
  const guest = machine.memory;
  const rounds: MigrationRound[] = [];
  let toSend = [...machine.memVirt.backedPages()].map(([g]) => g).length;
  let converged = false;
  for (let round = 0; ; round++) {
    // Start the dirty log: from now on every write is recorded.
    guest.dirtyLog = new Set();
    for (const v of machine.cpus) v.tlb.flush();
    const ns = toSend * pageNs;
    const until = engine.now + ns;
    engine.run({ until });
    engine.advanceTo(until);
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
  const until = engine.now + downtimeNs;
  engine.run({ until });
  engine.advanceTo(until);
  from.detach();
  const vm = adoptHostedVm(dst, from.vm);
  // Run until the destination's VMM has taken the VM (its KVM_SET_USER_MEMORY_REGION).
  for (let i = 0; i < 1000 && (machine.state as string) === 'paused'; i++) {
    const step = engine.now + 100_000;
    engine.run({ until: step });
    engine.advanceTo(step);
  }
  return { rounds, converged, finalPages: toSend, downtimeNs, totalNs: engine.now - started, vm };
}
