/**
 * One ctsim invocation's simulated host: a fresh one that lives as long as the
 * command, or (with --root DIR) the persistent one kept in DIR — locked, replayed
 * from its log, given the new command, and saved. `ctsim oci` and `ctsim run` share
 * it, so that containers made by either are seen by both.
 */
import { createHash } from 'node:crypto';
import type { Host } from '../host.js';
import { StateStore } from './state-store.js';
import { applyEntry, HostLogError, newHostLog, prepareEntry, replayHostLog, SETTLE_NS, type Applied, type HostLog, type HostShape, type InputChunk, type LogEntry, type OutputSwitch } from '../runtime/host-log.js';
import { InputError, UsageError } from '../sim/input-error.js';
import { HostInput } from '../kernel/tty/host-stream.js';
import { shellStatus } from '../kernel/proc/wstatus.js';
import { runWithLiveInput } from './live-session.js';
import { GuardStop } from '../sim/guard.js';
import { guardLimitsFrom, installGuard, type GuardLimits } from './guard-limits.js';

export interface SessionOptions {
  /** The state directory, or undefined for a host that lives only for this command. */
  root?: string;
  /** The host's shape and seed: required for a fresh host; checked against a kept one when given. */
  shape: Partial<HostShape>;
  seed?: number;
  version: string;
  /** The simulator's guard limits for the new command (default: the flags' defaults); the replay runs without. */
  limits?: GuardLimits;
  /** A person at the terminal drives the command (and can press ^C): only the memory guard. */
  interactive?: boolean;
}

const DEFAULT_SHAPE: HostShape = { cpus: 2, memoryBytes: 4 * 1024 ** 3, swapBytes: 0 };

export class HostSession {
  readonly host: Host;
  readonly log: HostLog;
  readonly io: OutputSwitch;
  private readonly store: StateStore | null;
  private readonly memBlobs: Map<string, string>;
  private readonly limits: GuardLimits;

  private constructor(host: Host, log: HostLog, io: OutputSwitch, store: StateStore | null, memBlobs: Map<string, string>, o: SessionOptions) {
    this.host = host;
    this.log = log;
    this.io = io;
    this.store = store;
    this.memBlobs = memBlobs;
    // What was replayed ran before; the guard counts from the new command on.
    this.limits = o.limits ?? guardLimitsFrom({});
    installGuard(host, this.limits, o.interactive);
  }

  /** Opens (and for a kept host, locks and replays) the host. Call close() when done. */
  static open(o: SessionOptions): HostSession {
    const io: OutputSwitch = {
      live: false,
      stdout: (b) => void process.stdout.write(Buffer.from(b, 'latin1')),
      stderr: (b) => void process.stderr.write(Buffer.from(b, 'latin1')),
    };
    const memBlobs = new Map<string, string>();
    if (o.root === undefined) {
      const log = newHostLog(o.version, o.seed ?? 1, { ...DEFAULT_SHAPE, ...o.shape });
      const host = replayHostLog(log, { io, blobs: (id) => memBlobs.get(id)! });
      return new HostSession(host, log, io, null, memBlobs, o);
    }
    const store = new StateStore(o.root);
    store.lock();
    try {
      let log = store.load();
      if (log === null) log = newHostLog(o.version, o.seed ?? 1, { ...DEFAULT_SHAPE, ...o.shape });
      else {
        const h = log.host;
        const clash = (['cpus', 'memoryBytes', 'swapBytes'] as const).find((k) => o.shape[k] !== undefined && o.shape[k] !== h[k]) ?? (o.seed !== undefined && o.seed !== log.seed ? 'seed' : undefined);
        if (clash) {
          throw new UsageError({
            source: `--${clash.replace('Bytes', '')}`,
            expected: `the kept host's own value (it was made with ${h.cpus} CPUs, ${h.memoryBytes} bytes of RAM, ${h.swapBytes} of swap, seed ${log.seed})`,
            fix: `leave the flag out, or run "ctsim oci --root ${store.dir} reset" first`,
          });
        }
      }
      let host: Host;
      try {
        host = replayHostLog(log, { io, blobs: (id) => store.getBlob(id) });
      } catch (e) {
        if (e instanceof HostLogError) throw store.unusable(e.message);
        throw e;
      }
      return new HostSession(host, log, io, store, memBlobs, o);
    } catch (e) {
      store.unlock();
      throw e;
    }
  }

  /** Keeps an archive for an upload; returns its id. */
  putBlob(bytes: Buffer): string {
    if (this.store) return this.store.putBlob(bytes);
    const id = createHash('sha256').update(bytes).digest('hex');
    this.memBlobs.set(id, bytes.toString('latin1'));
    return id;
  }

  /** A kept archive's bytes (latin1). */
  getBlob(id: string): string {
    return this.store ? this.store.getBlob(id) : this.memBlobs.get(id)!;
  }

  /** The simulated time a new command starts at, `afterNs` from now. */
  startTime(afterNs = 0): number {
    return Math.max(this.host.now, this.log.nowNs) + afterNs;
  }

  /** How many logged commands match `pred` (e.g. earlier `ctsim run`s, to number containers). */
  count(pred: (e: LogEntry) => boolean): number {
    return this.log.entries.filter(pred).length;
  }

  /** Runs the command live (its output and that of every process goes to this terminal) and records it. */
  apply(entry: Omit<LogEntry, 'status'>, timeLimitNs?: number): Applied {
    this.io.live = true;
    // The limit is part of the record: a replay must stop the command where this run stops it.
    if (timeLimitNs !== undefined) entry = { ...entry, timeLimitNs };
    let applied: Applied;
    try {
      applied = applyEntry(this.host, entry, (id) => (this.store ? this.store.getBlob(id) : this.memBlobs.get(id)!), this.io);
    } catch (e) {
      if (e instanceof HostLogError) throw new InputError({ source: entry.argv[0], expected: 'input the simulated host can use', found: e.message });
      // The command is not recorded: the kept host stays as it was.
      if (e instanceof GuardStop && this.store) e.afterward = `the host kept in ${this.store.dir} is as it was before this command`;
      throw e;
    }
    this.log.entries.push({ ...entry, status: applied.status });
    this.log.nowNs = this.host.now;
    return applied;
  }

  /**
   * Runs the command with this terminal as its standard input, live (simulated time
   * paced to the wall clock, as `ctsim sh` at a terminal), and records it with each
   * chunk of input at the simulated time it arrived, so that a replay feeds it at the
   * same moments. Returns the shell-style status.
   */
  async applyLive(entry: Omit<LogEntry, 'status'>): Promise<number> {
    this.io.live = true;
    prepareEntry(this.host, entry, (id) => (this.store ? this.store.getBlob(id) : this.memBlobs.get(id)!));
    const host = this.host;
    // A person at the terminal can press ^C: only the memory guard stays.
    installGuard(host, this.limits, true);
    const chunks: InputChunk[] = [];
    let endNs: number | undefined;
    const input = new (class extends HostInput {
      override push(bytes: string): void {
        chunks.push({ atNs: host.now, bytes });
        super.push(bytes);
      }
      override end(): void {
        endNs ??= host.now;
        super.end();
      }
    })(host.kernel);
    const { task } = host.spawn(entry.argv, { path: entry.path, cwd: entry.cwd, stdin: input, stdout: this.io.stdout, stderr: this.io.stderr });
    const status = shellStatus(await runWithLiveInput(host, task, input, process.stdin));
    host.engine.run({ until: host.now + SETTLE_NS });
    // A live session has no time limit; its replay must not impose one either.
    this.log.entries.push({ ...entry, stdin: '', input: chunks, ...(endNs !== undefined ? { inputEndNs: endNs } : {}), timeLimitNs: Number.MAX_SAFE_INTEGER, status });
    this.log.nowNs = host.now;
    return status;
  }

  /** Records a command that was run live by other means (a VM's console session): the log gets it and the time it ended. */
  record(entry: LogEntry): void {
    this.log.entries.push(entry);
    this.log.nowNs = this.host.now;
  }

  /** Saves a kept host and lets the next ctsim in. */
  close(version: string, save: boolean): void {
    if (!this.store) return;
    try {
      if (save) {
        this.log.ctsim = version;
        this.store.save(this.log);
      }
    } finally {
      this.store.unlock();
    }
  }
}
