/**
 * The instances of a comparison, started on simulated hosts the way their users start
 * them: the host itself (native), a container made as `ctsim run -d` makes it (runc on
 * the host); VMs are in vm-instances.ts. Each can run a shell script inside and say
 * what it costs its host.
 *
 * "The host" is the kernel that runs the host's own programs: a Linux host's, or on a
 * type 1 host Domain-0's — the only general-purpose OS there, where docker runs too.
 *
 * Timing is taken inside the instance, with its own clock (`date +%s%N` before and
 * after the script), so a container's `runc exec` or a VM's way in does not count;
 * the cost of taking the time is measured once per instance (an empty script) and
 * taken off.
 */
import type { KernelSession, RunResult } from '../host.js';
import { planRun } from '../runtime/run-plan.js';
import { prepareEntry } from '../runtime/host-log.js';
import type { RunSpec } from '../runtime/docker-run.js';
import type { Kernel } from '../kernel/kernel.js';
import { InputError } from '../sim/input-error.js';
import type { CpuSplit, InstanceKind, MemoryParts, StartupStep } from './report.js';
import type { ScenarioInstance } from './scenario.js';

export const PAGE = 4096;
/** Kernel stack per task, as /proc/meminfo's KernelStack counts it. */
const KERNEL_STACK = 16 * 1024;
const MARK = 'ctsim-compare';

/** What a host's memory holds (bytes), to tell what an instance added. */
export interface MemSnapshot {
  used: number;
  anon: number;
  file: number;
  tables: number;
  stacks: number;
}

export function memSnapshot(k: Kernel): MemSnapshot {
  const m = k.mem;
  return { used: (m.totalFrames - m.freeFrames) * PAGE, anon: m.anonPages * PAGE, file: m.filePages * PAGE, tables: m.tablePages * PAGE, stacks: k.tasks.size * KERNEL_STACK };
}

/** The VMM's work so far for a VM (cumulative; zero for the host and containers). */
export interface VmmMark {
  vmm: number;
  translation: number;
  counters: Record<string, number>;
}

export const NO_VMM: VmmMark = { vmm: 0, translation: 0, counters: {} };

/** What one timed run cost: simulated ns (timing overhead removed), status, and the CPU time of its processes. */
export interface Timed {
  ns: number;
  status: number;
  stderr: string;
  userNs: number;
  systemNs: number;
}

/** A started instance. */
export interface Instance {
  name: string;
  kind: InstanceKind;
  /** The kernel of the instance's host side: the host's (type 2), or Domain-0's on a type 1 host (a domain's back ends are there). */
  host: KernelSession;
  detail: string;
  startup: { ns: number; steps: StartupStep[] };
  memory: MemoryParts;
  /** Runs `script` (sh -c) inside; the simulated ns it took from its first instruction to its last, its status and CPU time. */
  time(script: string, env: Record<string, string>): Timed;
  /** Runs `script` inside and returns what it printed (for isolation facts). */
  sh(script: string): RunResult;
  vmm(): VmmMark;
  /** The host-side process that stands for the instance (container init, VMM), or null. */
  hostPid: number | null;
  /** A VM's guest kernel. */
  guest?: Kernel;
  /** A type 1 domain's ID (`xl list`), or undefined. */
  domid?: number;
}

export function sum(xs: Record<string, number>): number {
  let n = 0;
  for (const v of Object.values(xs)) n += v;
  return n;
}

/**
 * Where a run's CPU time went: its processes' user and system time, with the VMM's
 * work during it (which the guest's clock charged to the process it interrupted) taken
 * out of system time first, then out of user time (an EPT violation on a user page).
 */
export function cpuSplit(t: Timed, a: VmmMark, b: VmmMark): CpuSplit {
  const vmm = b.vmm - a.vmm;
  const translation = b.translation - a.translation;
  let user = t.userNs;
  let kernel = t.systemNs - vmm - translation;
  if (kernel < 0) {
    user = Math.max(0, user + kernel);
    kernel = 0;
  }
  return { user, kernel, vmm, translation };
}

export function counterDelta(a: VmmMark, b: VmmMark): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.counters)) if (v - (a.counters[k] ?? 0) !== 0) out[k] = v - (a.counters[k] ?? 0);
  return out;
}

/**
 * Wraps `script` so that the instance prints its status and the clock around it. The
 * script runs in a subshell, so an `exit` in it ends only the script (the subshell's
 * fork is in the calibration too, and so taken off).
 */
function timed(script: string, env: Record<string, string>): string {
  const exports = Object.entries(env).map(([k, v]) => `${k}='${v}'; export ${k}; `).join('');
  return `${exports}t0=$(date +%s%N); ( ${script}\n) >/dev/null; s=$?; t1=$(date +%s%N); echo "${MARK} $s $t0 $t1"`;
}

function parseTimed(r: RunResult, where: string): { ns: number; status: number } {
  const m = new RegExp(`${MARK} (\\d+) (\\d+) (\\d+)`).exec(r.stdout);
  if (!m) throw new InputError({ source: where, expected: 'a workload that lets its shell print the time it took', found: `the shell ended (status ${r.status}, ${r.ended}) without: ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? 'no output'}` });
  return { status: Number(m[1]), ns: Number(BigInt(m[3]) - BigInt(m[2])) };
}

/** Adds timing (with the cost of timing measured once and taken off) to a way of running scripts. */
export function withTiming(name: string, run: (script: string) => RunResult): Pick<Instance, 'time' | 'sh'> {
  const overhead = parseTimed(run(timed(':', {})), name).ns;
  const time = (script: string, env: Record<string, string>): Timed => {
    const r = run(timed(script, env));
    const t = parseTimed(r, name);
    return { ns: Math.max(0, t.ns - overhead), status: t.status, stderr: r.stderr, userNs: r.userNs, systemNs: r.systemNs };
  };
  return { time, sh: run };
}

/** The first instruction's time (realtime ns, as `date +%s%N` printed it) on the engine's clock. */
export function engineTime(k: Kernel, realtime: string): number {
  return Number(BigInt(realtime.trim()) - BigInt(Math.round(k.realtimeNs - k.now)));
}

/** The host itself (`detail` says which OS that is): scripts run as root's shell on it. */
export function startNative(host: KernelSession, name: string, detail: string): Instance {
  const t0 = host.now;
  const first = host.sh('date +%s%N');
  const ns = engineTime(host.kernel, first.stdout) - t0;
  const run = (s: string): RunResult => host.sh(s);
  return {
    name,
    kind: 'native',
    host,
    detail,
    startup: { ns, steps: [{ name: 'exec', startNs: 0, endNs: ns }] },
    memory: { guestKernel: 0, pageTables: 0, pageCache: 0, application: 0, vmm: 0, untouched: 0 },
    ...withTiming(name, run),
    vmm: () => NO_VMM,
    hostPid: null,
  };
}

/** Where the container's command writes the time of its first instruction. */
const STARTED_FILE = '/tmp/.ctsim-started';

/** A container as `ctsim run -d` makes one: the image unpacked beforehand (as docker pull does), then runc run -d. */
export function startContainer(host: KernelSession, spec: ScenarioInstance, name: string, seq: number, seed: number, programs: ReadonlySet<string>, devices: string[]): Instance {
  const s = spec.settings;
  const limits = (s.limits as { memory?: number; cpus?: number; pids?: number } | undefined) ?? {};
  const network = (s.network as RunSpec['network'] | undefined) ?? 'bridge';
  const run: RunSpec = {
    name,
    image: (s.image as string | undefined) ?? 'bench',
    network,
    publish: [],
    volumes: [],
    devices: devices.map((d) => ({ hostPath: d, containerPath: d })),
    env: [],
    rm: true,
    detach: true,
    userns: false,
    memoryBytes: limits.memory,
    cpus: limits.cpus,
    pidsLimit: limits.pids,
    cmd: ['sh', '-c', `date +%s%N > ${STARTED_FILE}; exec sleep 100000000`],
  };
  const plan = planRun(run, seq, seed, programs);
  const blob = (id: string): string => plan.blobs.get(id)!.toString('latin1');
  prepareEntry(host, { atNs: host.now, uploads: plan.entry.uploads }, blob);
  const before = memSnapshot(host.kernel);
  const t0 = host.now;
  const r = host.run(plan.entry.argv, { path: plan.entry.path, cwd: plan.entry.cwd });
  if (r.status !== 0) throw new Error(`container ${name} did not start (status ${r.status}): ${r.stderr.trim()}`);
  const exec = (script: string): RunResult => host.run(['runc', 'exec', name, 'sh', '-c', script], { path: '/usr/sbin/runc' });
  const first = exec(`cat ${STARTED_FILE}`);
  const ns = engineTime(host.kernel, first.stdout) - t0;
  const after = memSnapshot(host.kernel);
  const pid = Number(host.run(['runc', 'state', name], { path: '/usr/sbin/runc' }).stdout.match(/"pid": (\d+)/)?.[1] ?? 0);
  return {
    name,
    kind: 'container',
    host,
    detail: `runc, ${run.image} image, ${network === 'bridge' ? 'bridge + NAT' : network === 'host' ? 'host network' : 'no network'}`,
    startup: { ns, steps: [{ name: 'runtime', startNs: 0, endNs: ns }] },
    memory: {
      guestKernel: 0,
      pageTables: Math.max(0, after.tables - before.tables),
      pageCache: Math.max(0, after.file - before.file),
      application: Math.max(0, after.anon - before.anon) + Math.max(0, after.stacks - before.stacks),
      vmm: 0,
      untouched: 0,
    },
    ...withTiming(name, exec),
    vmm: () => NO_VMM,
    hostPid: pid || null,
  };
}
