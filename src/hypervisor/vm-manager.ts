/**
 * The VMs of one simulated host, by name — what `ctsim vm` drives, and what a host
 * state's log records so that a replay rebuilds them (src/runtime/host-log.ts).
 *
 *   create NAME (config) ──▶ defined ──start──▶ running ◀──resume── paused
 *                                                  │ └──pause──▶┘
 *                                                  └──stop──▶ stopped ──start──▶ running (a fresh boot)
 *
 * Every VM on a Linux host is hosted (type 2): its VMM is a host process. A config
 * asking for a type 1 hypervisor is refused here — a type 1 VMM owns the machine and
 * there is a Linux kernel on this one (Type1Hypervisor runs them in the library).
 */
import type { Ns } from '../sim/engine.js';
import { NS_PER_MS } from '../sim/engine.js';
import type { KernelSession, RunOptions, RunResult } from '../kernel/session.js';
import type { Kernel } from '../kernel/kernel.js';
import type { ProgramTable } from '../kernel/exec/program-table.js';
import type { LoadedCosts } from '../hw/cost-table.js';
import { adoptHostedVm, launchHostedVm, VmLaunchError, type HostedVm } from './kvm-host.js';
import { createHostFile, hostByteFile, openHostImage } from './devices/host-file.js';
import { createImage, type DiskImage } from './devices/disk-image.js';
import { formatRootImage } from './devices/root-image.js';
import { RootMountError } from '../kernel/fs/mount-root.js';
import { runWhile, waitForBoot, type Vm } from './vm.js';
import { formatPrecopy, precopy, type PrecopyReport } from './migration.js';
import { VirtualScsiHba } from './devices/scsi-hba.js';
import type { VirtualNic } from './devices/nic.js';
import { parseVmConfig, toVmConfigDoc, type VmConfig } from './vm-config.js';
import { EXIT_REASONS } from './cpu-virt.js';
import type { ConsoleInput, SerialConsole } from './serial-console.js';
import { consoleNames } from '../kernel/tty/serial.js';

/** A VM operation as a host state's log keeps it. */
export type VmOp =
  | { op: 'create'; name: string; config: Record<string, unknown> }
  | { op: 'start' | 'stop' | 'pause' | 'resume' | 'delete' | 'save' | 'migrate'; name: string }
  | { op: 'exec'; name: string; argv: string[] }
  /** An attachment to the serial console; what was typed is the log entry's input, with the time each chunk arrived. */
  | { op: 'console'; name: string }
  /** A VM image (ctsim vm save's file), kept as a blob of the host state, restored under `name`. */
  | { op: 'restore'; name: string; blob: string };

export const VM_OPS = ['create', 'start', 'stop', 'pause', 'resume', 'delete', 'exec', 'save', 'restore', 'migrate', 'console'] as const;

/** A refused operation: the message `ctsim vm` prints (exit 1). */
export class VmOpError extends Error {}

export type VmStatus = 'defined' | 'running' | 'paused' | 'stopped';

/** The size of a drive's image that `create` makes when it does not exist. */
export const DEFAULT_DISK_BYTES = 64 * 1024 * 1024;

/** How long `stop` waits for the VMM to exit. */
const SHUTDOWN_NS = 100 * NS_PER_MS;

export class VmManager {
  private readonly defs = new Map<string, VmConfig>();
  /** Restores an image kept as blob `blob` under `name` (set by the host-state layer, which can replay the image's source host). */
  restorer: ((name: string, blob: string) => void) | null = null;
  private readonly live = new Map<string, HostedVm>();
  /** The programs of every guest of this host: made once, as nothing changes a table once it is made. */
  private programTable: ProgramTable | null = null;

  constructor(
    private readonly host: KernelSession,
    private readonly programs: () => ProgramTable,
    private readonly costs?: LoadedCosts,
  ) {}

  private guestPrograms(): ProgramTable {
    this.programTable ??= this.programs();
    return this.programTable;
  }

  names(): string[] {
    return [...this.defs.keys()].sort();
  }

  config(name: string): VmConfig {
    const c = this.defs.get(name);
    if (!c) throw new VmOpError(`no VM named "${name}" (ctsim vm list shows them)`);
    return c;
  }

  hosted(name: string): HostedVm | undefined {
    return this.live.get(name);
  }

  status(name: string): VmStatus {
    this.config(name);
    const h = this.live.get(name);
    if (!h) return 'defined';
    const s = h.vm.machine.state;
    return s === 'created' || s === 'running' ? 'running' : s;
  }

  /** Refuses a name that is not valid or not free (a stopped VM's name may be reused by a restore). */
  checkNewName(name: string, replaceStopped = false): void {
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/.test(name)) throw new VmOpError(`"${name}" is not a VM name: use letters, digits, _ . - (up to 63), starting with a letter or digit`);
    if (!this.defs.has(name)) return;
    const s = this.status(name);
    if (replaceStopped && (s === 'stopped' || s === 'defined')) return;
    throw new VmOpError(`a VM named "${name}" exists already${replaceStopped ? ` and is ${s} (restore it under another name with --name)` : ` (ctsim vm delete ${name} removes it)`}`);
  }

  /** Defines a VM; `sizes` gives the size of a drive whose image does not exist yet (by drive id; default DEFAULT_DISK_BYTES). */
  create(name: string, doc: Record<string, unknown>, sizes: Readonly<Record<string, number>> = {}): VmConfig {
    this.checkNewName(name);
    const c = parseVmConfig(doc, `${name} config`, { name });
    if (c.hypervisorType === 1) {
      throw new VmOpError(`VM "${name}" asks for a type 1 hypervisor (profile ${c.profile}), which owns the whole machine; this host runs Linux, so its VMs are hosted (type 2): set "hypervisor": {"type": 2}`);
    }
    makeDriveImages(this.host.kernel, c, () => this.guestPrograms(), sizes);
    this.defs.set(name, c);
    return c;
  }


  /** Boots the VM: starts its VMM process and runs until the guest has booted. */
  start(name: string): HostedVm {
    const c = this.config(name);
    const cur = this.live.get(name);
    if (cur && cur.vm.machine.state !== 'stopped') throw new VmOpError(`VM "${name}" is ${this.status(name)} already`);
    let h: HostedVm;
    try {
      h = launchHostedVm(this.host, c, { programs: this.guestPrograms(), costs: this.costs });
    } catch (e) {
      // A drive that cannot be opened, or the VMM process that cannot be started (its program gone, pids.max).
      if (e instanceof VmLaunchError || (e instanceof Error && e.message.startsWith('cannot start '))) throw new VmOpError(`VM "${name}" did not start: ${e.message}`);
      // The guest kernel found no root file system on its root drive.
      if (e instanceof RootMountError) throw new VmOpError(`VM "${name}" did not boot: ${e.message}: ${e.reason}`);
      throw e;
    }
    this.live.set(name, h);
    waitForBoot(h.vm);
    if (h.vm.machine.state === 'stopped') throw new VmOpError(`VM "${name}" did not boot: ${h.vm.machine.stopReason || 'its VMM exited'}`);
    return h;
  }

  private running(name: string, what: string): HostedVm {
    const h = this.live.get(name);
    const s = this.status(name);
    if (!h || s !== 'running') throw new VmOpError(`VM "${name}" is ${s}: ${what} needs it running (ctsim vm start ${name})`);
    return h;
  }

  stop(name: string): void {
    const h = this.live.get(name);
    const s = this.status(name);
    if (!h || s === 'stopped' || s === 'defined') throw new VmOpError(`VM "${name}" is not running`);
    // An orderly shutdown: the guest writes its file systems back to its disks first.
    h.vm.shutdown('stopped by ctsim vm stop');
    this.host.engine.runUntil(this.host.engine.now + SHUTDOWN_NS);
  }

  pause(name: string): void {
    this.running(name, 'pause').vm.machine.pause();
  }

  resume(name: string): void {
    const h = this.live.get(name);
    if (!h || this.status(name) !== 'paused') throw new VmOpError(`VM "${name}" is not paused`);
    h.vm.machine.resume();
  }

  /**
   * Saves the VM (its image is written by the caller from this host's log): it is
   * paused where it is, and then powered off here — the image is the VM now.
   */
  save(name: string): void {
    const h = this.live.get(name);
    const s = this.status(name);
    if (!h || (s !== 'running' && s !== 'paused')) throw new VmOpError(`VM "${name}" is ${s}: only a running or paused VM can be saved`);
    this.checkMovable(name, 'saved');
    h.vm.machine.pause();
    h.vm.machine.stop(`saved (ctsim vm save)`);
    this.host.engine.runUntil(this.host.engine.now + SHUTDOWN_NS);
  }

  /**
   * The source side of a live migration to another kept host: pre-copy rounds while
   * the guest runs, the stop-and-copy, then the VM is gone from here (its image, taken
   * at this instant, is restored on the destination). Returns the copy's report.
   */
  migrateOut(name: string): PrecopyReport {
    const h = this.live.get(name);
    if (!h || this.status(name) !== 'running') throw new VmOpError(`VM "${name}" is ${this.status(name)}: only a running VM migrates live`);
    this.checkMovable(name, 'migrated');
    const report = precopy(this.host.engine, h.vm.machine);
    h.vm.machine.stop('migrated (ctsim vm migrate)');
    this.host.engine.runUntil(this.host.engine.now + SHUTDOWN_NS);
    return report;
  }

  /** A VM holding an assigned host device cannot leave it: the device's state is in hardware the VMM cannot read (QEMU's VFIO migration blocker). */
  private checkMovable(name: string, what: string): void {
    const n = this.config(name).nics.find((x) => x.passthrough);
    if (n) throw new VmOpError(`VM "${name}" cannot be ${what}: its interface ${n.id} is an assigned host device (${n.sriovVf ? `a virtual function of ${n.hostDev}` : n.hostDev}), and VFIO devices are not migratable; stop the VM, or use a virtio interface`);
  }

  /**
   * Takes in a paused VM whose guest has been moved onto this host's engine (a
   * restored image): a VMM here backs its memory and runs it, under `name`.
   */
  adopt(name: string, vm: Vm): HostedVm {
    this.checkNewName(name, true);
    let h: HostedVm;
    try {
      h = adoptHostedVm(this.host, vm);
    } catch (e) {
      vm.machine.stop('no VMM could be started for it here');
      throw new VmOpError(`VM "${name}" could not be taken in: ${(e as Error).message}`);
    }
    // Until the VMM here has mapped guest RAM and taken the VM (however loaded the host is).
    runWhile(this.host.engine, () => vm.machine.state === 'paused');
    if (vm.machine.state !== 'running') {
      vm.machine.stop(vm.machine.stopReason || 'it did not resume here');
      throw new VmOpError(`VM "${name}" did not resume here: ${vm.machine.stopReason}`);
    }
    this.defs.set(name, vm.config);
    this.live.set(name, h);
    return h;
  }

  delete(name: string): void {
    const s = this.status(name);
    if (s === 'running' || s === 'paused') throw new VmOpError(`VM "${name}" is ${s}: stop it first (ctsim vm stop ${name})`);
    this.defs.delete(name);
    this.live.delete(name);
  }

  /** Runs `argv` in the guest, found along PATH (execvp, through env(1) as `docker exec` finds it). */
  exec(name: string, argv: string[], opts: RunOptions): RunResult {
    const vm = this.running(name, 'exec').vm;
    if (argv[0].includes('/')) return vm.run(argv, { ...opts, path: argv[0] });
    return vm.run(['env', '--', ...argv], { ...opts, path: '/usr/bin/env' });
  }

  /**
   * The serial console of a running VM, with its getty started (ctsim vm console).
   * Refused for a VM that is not running or has no serial port.
   */
  console(name: string): SerialConsole {
    const c = this.running(name, 'console').vm.serialConsole;
    if (!c) throw new VmOpError(`VM "${name}" has no serial console (its configuration has "serial": {"enabled": false})`);
    c.ensureGetty();
    return c;
  }

  /** What the VM's serial port has output so far (the tail its VMM keeps); empty for a VM never started. */
  consoleLog(name: string): string {
    if (!this.config(name).serial) throw new VmOpError(`VM "${name}" has no serial console (its configuration has "serial": {"enabled": false})`);
    return this.live.get(name)?.vm.serialConsole?.uart.log ?? '';
  }

  /**
   * Applies one logged operation; `io` receives what it prints; `input` is what was
   * typed at a console, with when it ended. Returns the status to record.
   */
  apply(op: VmOp, io: { stdout: (s: string) => void; stderr: (s: string) => void }, timeLimitNs?: Ns, input?: { chunks: readonly ConsoleInput[]; endNs: Ns }): number {
    try {
      switch (op.op) {
        case 'create':
          this.create(op.name, op.config);
          return 0;
        case 'start':
          this.start(op.name);
          return 0;
        case 'stop':
          this.stop(op.name);
          return 0;
        case 'pause':
          this.pause(op.name);
          return 0;
        case 'resume':
          this.resume(op.name);
          return 0;
        case 'delete':
          this.delete(op.name);
          return 0;
        case 'save':
          this.save(op.name);
          return 0;
        case 'migrate':
          io.stdout(formatPrecopy(this.migrateOut(op.name)));
          return 0;
        case 'restore':
          if (!this.restorer) throw new VmOpError('this host cannot restore VM images');
          this.restorer(op.name, op.blob);
          return 0;
        case 'console':
          this.console(op.name).replay(input?.chunks ?? [], input?.endNs ?? this.host.engine.now);
          return 0;
        case 'exec': {
          const r = this.exec(op.name, op.argv, { stdout: io.stdout, stderr: io.stderr, timeLimitNs, env: ['HOME=/root', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=linux'] });
          if (r.ended === 'time-limit') io.stderr(`ctsim vm exec: the command was still running after the time limit\n`);
          return r.status;
        }
      }
    } catch (e) {
      if (!(e instanceof VmOpError) && !(e instanceof Error && e.name === 'InputError')) throw e;
      io.stderr(`ctsim vm ${op.op}: ${e.message}\n`);
      return e instanceof VmOpError ? 1 : 3;
    }
  }

  /** What `ctsim vm inspect` shows. */
  inspect(name: string): Record<string, unknown> {
    const c = this.config(name);
    const h = this.live.get(name);
    const out: Record<string, unknown> = { name, status: this.status(name), config: toVmConfigDoc(c) };
    if (!h) return out;
    const m = h.vm.machine;
    const cv = m.cpuVirt.counters;
    const mv = m.memVirt.counters;
    out.vmm = { pid: h.vmm?.tgid ?? null, hostBytes: h.backing.bytesInUse() };
    out.boot = m.bootPhases.map((p) => ({ phase: p.phase, ns: p.endNs < 0 ? null : p.endNs - p.startNs }));
    out.vcpus = m.cpus.map((v) => ({ index: v.index, mode: m.cpuVirt.mode, online: v.online, halted: v.halted, stealNs: v.stealNs }));
    out.cpuVirt = {
      mode: m.cpuVirt.mode,
      exits: Object.fromEntries(EXIT_REASONS.map((r) => [r, { count: cv.exits[r], ns: cv.exitNs[r] }])),
      callouts: { ...cv.callouts },
      hypercalls: { ...cv.hypercalls },
      pvUpdatesBatched: cv.pvUpdates,
      translationCache: { paths: m.cpuVirt.tc.size, blocks: m.cpuVirt.tc.used, hits: cv.tcHits, misses: cv.tcMisses, evictions: cv.tcEvictions, translateNs: cv.translateNs },
    };
    out.memVirt = { technique: m.memVirt.label, ...mv };
    const hba = m.scsi instanceof VirtualScsiHba ? m.scsi : null;
    const uart = h.vm.serialConsole?.uart;
    out.devices = {
      serial: uart
        ? { model: uart.model, ioPort: `0x${uart.ioPort.toString(16)}`, irq: uart.irq, guestDevice: 'ttyS0', console: consoleNames(c.bootArgs).includes('ttyS0'), bytesOut: uart.bytesOut, bytesIn: uart.bytesIn, traps: uart.traps, interrupts: uart.interrupts, logBytes: uart.log.length }
        : null,
      scsi: hba
        ? { model: hba.model, notifications: hba.notifications, disks: hba.units.map((u, i) => ({ id: u.id, device: `sd${String.fromCharCode(97 + i)}`, commands: { ...u.disk.counts } })) }
        : null,
      nics: (m.nics as VirtualNic[] | null ?? []).map((x) => ({
        id: x.id,
        model: x.model,
        mac: x.mac,
        host: x.config.passthrough ? `${x.config.sriovVf ? 'a virtual function of ' : ''}${x.config.hostDev} (assigned)` : (h.taps.find((t) => t.cable === x.guestDev)?.name ?? null),
        framesTx: x.framesTx,
        framesRx: x.framesRx,
        traps: x.traps,
        notificationsSuppressed: x.suppressed,
        interruptsCoalesced: x.coalesced,
      })),
    };
    out.privilegedOps = { ...m.privilegedOps };
    return out;
  }
}

/**
 * Makes the image files of `c`'s drives that do not exist yet on the host: raw, of
 * DEFAULT_DISK_BYTES, or a copy-on-write overlay of the drive's backing file (as
 * virt-install --disk size=… does; Firecracker itself wants existing files). A new
 * root drive without a backing file is formatted with the default guest root tree
 * (ctsimfs), as a cloud image comes; an overlay has its backing file's. `k` is the
 * kernel whose file system holds the images: the host's, or Domain-0's under a type 1
 * hypervisor (xl's disk files). Throws VmOpError.
 */
export function makeDriveImages(k: Kernel, c: VmConfig, programs: () => ProgramTable, sizes: Readonly<Record<string, number>> = {}): void {
  for (const d of c.drives) {
    if (typeof hostByteFile(k, d.path) !== 'string') continue;
    let backing: { image: DiskImage; path: string } | undefined;
    if (d.format === 'cow') {
      const bf = d.backingFile === null ? null : hostByteFile(k, d.backingFile);
      if (bf === null || typeof bf === 'string') throw new VmOpError(`drive ${d.id}: its backing file ${d.backingFile ?? '(none)'} does not exist on the host (make it first, e.g. another VM's image)`);
      const image = openHostImage(k, d.backingFile!);
      if (typeof image === 'string') throw new VmOpError(`drive ${d.id}: ${image}`);
      backing = { image, path: d.backingFile! };
    }
    const f = createHostFile(k, d.path);
    if (typeof f === 'string') throw new VmOpError(`drive ${d.id}: ${f}`);
    const image = createImage(f, d.format, backing ? backing.image.virtualSize : (sizes[d.id] ?? DEFAULT_DISK_BYTES), backing);
    if (d.root && !backing) {
      const why = formatRootImage(image, programs(), c.name, k.realtimeNs);
      if (why) throw new VmOpError(`drive ${d.id}: ${why}`);
    }
  }
}
