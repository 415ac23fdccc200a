/**
 * A simulated host that lasts between ctsim invocations, kept as what made it: the
 * seed and host options, and an append-only log of the commands run in it, each with
 * the simulated time it started, the archives it brought in and the status it ended
 * with. Because a run is a pure function of (inputs, seed), replaying the log rebuilds
 * the same host — every process, file, mount and cgroup — with no snapshot format to
 * keep in step with the kernel.
 *
 *   host.json   { format, version, ctsim, seed, host, nowNs, entries: [ {atNs, argv, uploads, status} … ] }
 *   blobs/      the archives entries upload, by content hash
 *
 * This file is pure (no file system): parsing and checking the log, and replaying it
 * into a Host. src/cli/state-store.ts keeps it on disk (atomic writes, a lock).
 */
import { MAX_HOST_MEMORY_BYTES } from '../sim/units.js';
import { createHost, type Host, type HostOptions, type KernelSession } from '../host.js';
import { HostInput } from '../kernel/tty/host-stream.js';
import { VM_OPS, type VmOp } from '../hypervisor/vm-manager.js';
import { parseVmImage, restoreVmImage } from './vm-image.js';

export const HOST_LOG_FORMAT = 'ctsim-host-state';
export const HOST_LOG_VERSION = 1;

/** Simulated time given to a host after each command, so that what it set in motion (an exec after `start`) happens. */
export const SETTLE_NS = 1_000_000;

/** The host's shape, fixed when the state is made. */
export interface HostShape {
  cpus: number;
  memoryBytes: number;
  swapBytes: number;
}

/** An archive unpacked into the host (with the simulated tar) before the command runs. */
export interface Upload {
  /** Where it is unpacked (absolute path in the simulated host). */
  dest: string;
  /** The blob holding the tar archive (its SHA-256, hex). */
  blob: string;
  /** Only when `dest` does not exist yet (an image layer is unpacked once per host). */
  ifMissing?: boolean;
}

/** Bytes that reached a command's standard input at a simulated time. */
export interface InputChunk {
  atNs: number;
  bytes: string;
}

export interface LogEntry {
  /** Simulated time (ns since boot) when the command started. */
  atNs: number;
  argv: string[];
  /** The file to execute (argv[0] is only its name). */
  path: string;
  cwd: string;
  uploads: Upload[];
  /** Standard input given to the command (latin1 bytes), all there from the start. */
  stdin: string;
  /**
   * Input typed at a terminal instead: each chunk with the simulated time it arrived
   * (the live session paces simulated time to the wall clock), so a replay feeds it at
   * the same moments; and when it ended (^D), if it did. For a VM's console (vm.op
   * "console") the bytes typed into its serial line, and when the console detached.
   */
  input?: InputChunk[];
  inputEndNs?: number;
  /** How long the command may run (simulated ns) before it is left running; default one hour. */
  timeLimitNs?: number;
  /** The shell-style status it ended with; replay checks that it ends the same way. */
  status: number;
  /** A VM operation (ctsim vm) instead of a host command; argv then only describes it. */
  vm?: VmOp;
}

export interface HostLog {
  format: typeof HOST_LOG_FORMAT;
  version: typeof HOST_LOG_VERSION;
  /** The ctsim version that wrote the log last. */
  ctsim: string;
  seed: number;
  host: HostShape;
  /** Simulated time when the last command (and its settling) ended. */
  nowNs: number;
  entries: LogEntry[];
}

/** A state that cannot be used: why, in one line (the caller adds the file and the fix). */
export class HostLogError extends Error {}

export function newHostLog(ctsim: string, seed: number, host: HostShape): HostLog {
  return { format: HOST_LOG_FORMAT, version: HOST_LOG_VERSION, ctsim, seed, host, nowNs: 0, entries: [] };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNat = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
/** A simulated time: ns since boot (the engine's clock may stand between two whole nanoseconds). */
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isStrArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Parses and checks host.json's text; throws HostLogError saying what is wrong. */
export function parseHostLog(text: string): HostLog {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new HostLogError(`not valid JSON (${(e as Error).message}): the file is damaged`);
  }
  if (!isObj(doc) || doc.format !== HOST_LOG_FORMAT) throw new HostLogError(`not a ctsim host state (no "format": "${HOST_LOG_FORMAT}")`);
  if (doc.version !== HOST_LOG_VERSION) {
    throw new HostLogError(`state format version ${JSON.stringify(doc.version)} is not the one this ctsim reads (${HOST_LOG_VERSION})${typeof doc.version === 'number' && doc.version > HOST_LOG_VERSION ? ': it was written by a newer ctsim' : ''}`);
  }
  const h = doc.host;
  if (typeof doc.ctsim !== 'string' || !isNat(doc.seed) || !isTime(doc.nowNs) || !isObj(h) || !isNat(h.cpus) || !isNat(h.memoryBytes) || !isNat(h.swapBytes) || !Array.isArray(doc.entries)) {
    throw new HostLogError('the header (ctsim, seed, host, nowNs, entries) is damaged');
  }
  // A shape no command line could have made (and that would exhaust this machine to boot).
  if (h.cpus < 1 || h.cpus > 1024 || h.memoryBytes < 16 * 1024 ** 2 || h.memoryBytes > MAX_HOST_MEMORY_BYTES || h.swapBytes > MAX_HOST_MEMORY_BYTES) {
    throw new HostLogError(`the host's shape (${h.cpus} CPUs, ${h.memoryBytes} bytes of RAM, ${h.swapBytes} of swap) is damaged: 1 to 1024 CPUs, 16 MiB to 1 TiB of RAM and at most 1 TiB of swap`);
  }
  doc.entries.forEach((e, i) => {
    const ok =
      isObj(e) &&
      isTime(e.atNs) &&
      isStrArray(e.argv) &&
      typeof e.path === 'string' &&
      e.argv.length > 0 &&
      typeof e.cwd === 'string' &&
      typeof e.stdin === 'string' &&
      isNat(e.status) &&
      Array.isArray(e.uploads) &&
      e.uploads.every((u) => isObj(u) && typeof u.dest === 'string' && typeof u.blob === 'string' && /^[0-9a-f]{64}$/.test(u.blob) && (u.ifMissing === undefined || typeof u.ifMissing === 'boolean'));
    if (!ok) throw new HostLogError(`entry ${i + 1} is damaged`);
    const x = e as Record<string, unknown>;
    const inputOk =
      (x.input === undefined || (Array.isArray(x.input) && x.input.every((c) => isObj(c) && isTime(c.atNs) && typeof c.bytes === 'string'))) &&
      (x.inputEndNs === undefined || isTime(x.inputEndNs)) &&
      (x.timeLimitNs === undefined || isTime(x.timeLimitNs));
    const v = x.vm;
    const vmOk =
      v === undefined ||
      (isObj(v) &&
        (VM_OPS as readonly unknown[]).includes(v.op) &&
        typeof v.name === 'string' &&
        (v.op !== 'create' || isObj(v.config)) &&
        (v.op !== 'exec' || (isStrArray(v.argv) && v.argv.length > 0)) &&
        (v.op !== 'restore' || (typeof v.blob === 'string' && /^[0-9a-f]{64}$/.test(v.blob))));
    if (!inputOk || !vmOk) throw new HostLogError(`entry ${i + 1} is damaged`);
    if (i > 0 && (e as unknown as LogEntry).atNs < (doc.entries as LogEntry[])[i - 1].atNs) throw new HostLogError(`entry ${i + 1} goes back in time`);
  });
  return doc as unknown as HostLog;
}

/** Where a command's output goes: nowhere while the log is replayed, to the caller for the new command. */
export interface OutputSwitch {
  live: boolean;
  stdout: (bytes: string) => void;
  stderr: (bytes: string) => void;
}

/** The result of one command applied to a host. */
export interface Applied {
  status: number;
  /** Why it ended ('exit', or a guard: 'time-limit', 'idle'). */
  ended: string;
}

/** How long a command may run (simulated time) when it gives no limit of its own: an hour. */
export const DEFAULT_TIME_LIMIT_NS = 3600 * 1e9;

/**
 * Runs one logged command in `host`: waits (idle) until its start time, unpacks its
 * uploads with tar, runs it with output through `io`, then lets the host settle.
 */
export function applyEntry(host: Host, e: Omit<LogEntry, 'status'>, blobs: (id: string) => string, io: OutputSwitch): Applied {
  prepareEntry(host, e, blobs);
  const { out, err } = outputOf(io);
  if (e.vm) {
    // An image to restore is one of the state's blobs; restoring it replays the host it came from.
    host.vms.restorer = (name, blob) => restoreVmImage(host, () => parseVmImage(blobs(blob)), name);
    // A console session's typing is the entry's input, fed again at the times it arrived.
    const typed = e.vm.op === 'console' ? { chunks: e.input ?? [], endNs: e.inputEndNs ?? host.now } : undefined;
    const status = host.vms.apply(e.vm, { stdout: out, stderr: err }, e.timeLimitNs ?? DEFAULT_TIME_LIMIT_NS, typed);
    host.engine.run({ until: host.now + SETTLE_NS });
    return { status, ended: 'exit' };
  }
  const input = new HostInput(host.kernel);
  if (e.input === undefined) {
    input.push(e.stdin);
    input.end();
  } else {
    for (const c of e.input) host.engine.at(c.atNs, () => input.push(c.bytes));
    if (e.inputEndNs !== undefined) host.engine.at(e.inputEndNs, () => input.end());
  }
  const r = host.run(e.argv, { path: e.path, cwd: e.cwd, stdin: input, stdout: out, stderr: err, timeLimitNs: e.timeLimitNs ?? DEFAULT_TIME_LIMIT_NS });
  host.engine.run({ until: host.now + SETTLE_NS });
  return { status: r.status, ended: r.ended };
}

/**
 * The sinks of a command's output. Made apart from applyEntry so that they hold `io`
 * alone: a detached container's processes keep the command's standard error for as
 * long as they live, and a closure of applyEntry would keep its entry and archives too.
 */
function outputOf(io: OutputSwitch): { out: (b: string) => void; err: (b: string) => void } {
  return { out: (b) => (io.live ? io.stdout(b) : undefined), err: (b) => (io.live ? io.stderr(b) : undefined) };
}

/**
 * What runs before an entry's command: the host waits (idle) until its start time and
 * unpacks its uploads with tar. `host` is any running kernel (a host, or a type 1
 * hypervisor's Domain-0, where `ctsim compare` runs containers too).
 */
export function prepareEntry(host: KernelSession, e: Pick<LogEntry, 'atNs' | 'uploads'>, blobs: (id: string) => string): void {
  if (host.now < e.atNs) host.engine.run({ until: e.atNs });
  host.engine.advanceTo(e.atNs);
  for (const u of e.uploads) {
    if (u.ifMissing && host.run(['test', '-e', u.dest], { path: '/bin/test' }).status === 0) continue;
    host.run(['mkdir', '-p', u.dest], { path: '/bin/mkdir' });
    const r = host.run(['tar', '-x', '-f', '-', '-C', u.dest, '--numeric-owner', '-p'], { path: '/bin/tar', stdin: blobs(u.blob) });
    if (r.status !== 0) throw new HostLogError(`unpacking an archive into ${u.dest} failed: ${r.stderr.trim()}`);
  }
}

export interface ReplayOptions extends Pick<HostOptions, 'costs'> {
  /** Where output of processes goes (off while replaying). */
  io: OutputSwitch;
  blobs: (id: string) => string;
}

/** Boots the host the log describes and replays every entry; throws HostLogError if one ends differently than recorded. */
export function replayHostLog(log: HostLog, o: ReplayOptions): Host {
  const host = createHost({
    seed: log.seed,
    cpus: log.host.cpus,
    memoryBytes: log.host.memoryBytes,
    swapBytes: log.host.swapBytes,
    costs: o.costs,
    hostname: 'ctsim',
  });
  log.entries.forEach((e, i) => {
    const r = applyEntry(host, e, o.blobs, o.io);
    if (r.status !== e.status) {
      throw new HostLogError(`replaying entry ${i + 1} (${e.argv.join(' ')}) ended with status ${r.status}, but ${e.status} was recorded: the state was written by a ctsim that behaves differently (${log.ctsim})`);
    }
  });
  if (host.now < log.nowNs) host.engine.run({ until: log.nowNs });
  host.engine.advanceTo(log.nowNs);
  return host;
}
