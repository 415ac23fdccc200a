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
  /** What the VMM did while the cost of timing was measured, to be taken off a run's. */
  calib: VmmMark;
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
  /** Measures the cost of timing (once; `time` does it if not done): call it after the instance has settled, outside any marks. */
  calibrate(): void;
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
  const vmm = Math.max(0, b.vmm - a.vmm - t.calib.vmm);
  const translation = Math.max(0, b.translation - a.translation - t.calib.translation);
  let user = t.userNs;
  let kernel = t.systemNs - vmm - translation;
  if (kernel < 0) {
    user = Math.max(0, user + kernel);
    kernel = 0;
  }
  return { user, kernel, vmm, translation };
}

/** The counters that moved from `a` to `b`, less what `calib` (a delta itself) says the timing cost. */
export function counterDelta(a: VmmMark, b: VmmMark, calib?: VmmMark): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(b.counters)) {
    const d = Math.max(0, v - (a.counters[k] ?? 0) - (calib?.counters[k] ?? 0));
    if (d !== 0) out[k] = d;
  }
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

const TIMING = new RegExp(`${MARK} (\\d+) (\\d+) (\\d+)`);

function parseTimed(r: RunResult, where: string): { ns: number; status: number } {
  const m = TIMING.exec(r.stdout);
  if (!m) throw new InputError({ source: where, expected: 'a workload that lets its shell print the time it took', found: `the shell ended (status ${r.status}, ${r.ended}) without: ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop() ?? 'no output'}` });
  return { status: Number(m[1]), ns: Number(BigInt(m[3]) - BigInt(m[2])) };
}

/**
 * Adds timing to a way of running scripts. The cost of timing — the clock readings, the
 * subshell, and for a container its runc exec — is measured once (an empty script) and
 * taken off each run's time, CPU time and VMM counters.
 */
export function withTiming(name: string, run: (script: string) => RunResult, vmm: () => VmmMark = () => NO_VMM): Pick<Instance, 'time' | 'sh' | 'calibrate'> {
  let cal: { r0: RunResult; ns: number; calib: VmmMark } | null = null;
  const calibrate = (): { r0: RunResult; ns: number; calib: VmmMark } => {
    if (cal) return cal;
    // The least of three after a first run: the first run in an instance also pays for
    // first touches (pages not yet backed, programs not yet cached), and any run can meet
    // the instance's own periodic work (a guest's timer tick) — neither is timing.
    let best: { r0: RunResult; ns: number; calib: VmmMark } | null = null;
    let r = run(timed(':', {}));
    for (let i = 0; i < 3 && TIMING.test(r.stdout); i++) {
      const v0 = vmm();
      r = run(timed(':', {}));
      const calib = vmmDelta(v0, vmm());
      if (!TIMING.test(r.stdout)) break;
      const ns = parseTimed(r, name).ns;
      if (!best || ns < best.ns) best = { r0: r, ns, calib };
    }
    if (!best) {
      throw new InputError({
        source: `instance ${name}`,
        expected: 'it to run a command',
        found: `the command ended (status ${r.status}, ${r.ended}) with ${(r.stderr.trim() || r.stdout.trim()).split('\n').pop() || 'no output'}`,
        fix: r.ended === 'exit' ? 'check its image or bundle has sh and date' : 'the host may be out of memory or CPUs: give it more, or start fewer instances',
      });
    }
    cal = best;
    return best;
  };
  const time = (script: string, env: Record<string, string>): Timed => {
    const { r0, ns, calib } = calibrate();
    const r = run(timed(script, env));
    const t = parseTimed(r, name);
    return { ns: Math.max(0, t.ns - ns), status: t.status, stderr: r.stderr, userNs: Math.max(0, r.userNs - r0.userNs), systemNs: Math.max(0, r.systemNs - r0.systemNs), calib };
  };
  return { time, sh: run, calibrate: () => void calibrate() };
}

/** What the VMM did between two marks. */
function vmmDelta(a: VmmMark, b: VmmMark): VmmMark {
  return { vmm: b.vmm - a.vmm, translation: b.translation - a.translation, counters: counterDelta(a, b) };
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
    cmd: WAITING_PROCESS,
  };
  const plan = planRun(run, seq, seed, programs);
  const blob = (id: string): string => plan.blobs.get(id)!.toString('latin1');
  prepareEntry(host, { atNs: host.now, uploads: plan.entry.uploads }, blob);
  const detail = `runc, ${run.image} image, ${network === 'bridge' ? 'bridge + NAT' : network === 'host' ? 'host network' : 'no network'}`;
  return launchContainer(host, name, detail, () => host.run(plan.entry.argv, { path: plan.entry.path, cwd: plan.entry.cwd }));
}

/** An archive to unpack at `dest` in the simulated host (a bundle's config.json and root file system). */
export interface BundleUpload {
  dest: string;
  /** The tar archive's bytes, one char per byte. */
  tar: string;
}

/**
 * A container from an OCI bundle, as `runc run -d --bundle` runs it: the bundle comes
 * into the host at its own path, and its config.json decides namespaces, mounts and
 * limits; only its process is replaced by one that records its start and waits, so
 * the workloads can run beside it (runc exec).
 */
export function startBundleContainer(host: KernelSession, name: string, bundle: string, uploads: readonly BundleUpload[]): Instance {
  prepareEntry(host, { atNs: host.now, uploads: uploads.map((u, i) => ({ dest: u.dest, blob: String(i) })) }, (id) => uploads[Number(id)].tar);
  const dir = uploads[0].dest;
  const cfg = host.run(['cat', `${dir}/config.json`], { path: '/bin/cat' });
  let doc: { process?: Record<string, unknown> };
  try {
    doc = JSON.parse(cfg.stdout) as typeof doc;
  } catch {
    throw new InputError({ source: `${bundle}/config.json`, expected: 'an OCI runtime config (JSON)', found: cfg.status === 0 ? 'text that is not JSON' : 'no config.json', fix: 'make one with ctsim oci spec -b BUNDLE' });
  }
  doc.process = { ...(doc.process ?? { cwd: '/' }), terminal: false, args: WAITING_PROCESS };
  const w = host.run(['sh', '-c', `cat > '${dir}/config.json'`], { path: '/bin/sh', stdin: JSON.stringify(doc, null, 2) });
  if (w.status !== 0) throw new Error(`compare: writing ${dir}/config.json on the host failed: ${w.stderr.trim()}`);
  return launchContainer(host, name, `runc, OCI bundle ${bundle}`, () => host.run(['runc', 'run', '-d', '--bundle', dir, name], { path: '/usr/sbin/runc' }));
}

/** A container's process: it notes when it began (its first instruction; in /dev/shm when the root is read-only, as runc spec makes it), then waits. */
const WAITING_PROCESS = ['sh', '-c', `{ date +%s%N > ${STARTED_FILE}; } 2>/dev/null || date +%s%N > /dev/shm/.ctsim-started; exec sleep 100000000`];

/** Starts a container with `start` (on the host) and measures it: start-up to its first instruction, memory it added. */
function launchContainer(host: KernelSession, name: string, detail: string, start: () => RunResult): Instance {
  const before = memSnapshot(host.kernel);
  const t0 = host.now;
  const r = start();
  if (r.status !== 0) throw new InputError({ source: `container ${name}`, expected: 'runc to start it', found: `status ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}` });
  const exec = (script: string): RunResult => host.run(['runc', 'exec', name, 'sh', '-c', script], { path: '/usr/sbin/runc' });
  const first = exec(`cat ${STARTED_FILE} 2>/dev/null || cat /dev/shm/.ctsim-started`);
  if (first.status !== 0) throw new InputError({ source: `container ${name}`, expected: 'a root file system with sh, date and cat', found: first.stderr.trim().split('\n').pop() ?? `status ${first.status}` });
  const ns = engineTime(host.kernel, first.stdout) - t0;
  const after = memSnapshot(host.kernel);
  const pid = Number(host.run(['runc', 'state', name], { path: '/usr/sbin/runc' }).stdout.match(/"pid": (\d+)/)?.[1] ?? 0);
  return {
    name,
    kind: 'container',
    host,
    detail,
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
