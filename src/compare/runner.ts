/**
 * Runs a scenario: for each run of its plan (sweep.ts: a variant of its matrix and a
 * seed), the hosts are booted on one engine, the instances started, the workloads run
 * inside them phase by phase, and what each cost is gathered into a VariantResult
 * (report.ts).
 *
 *   variant ──▶ hosts (+ a LAN peer when a workload talks to one) ──▶ phases: start │ run │ idle
 *           ──▶ memory, density, isolation, trees, CPU lanes ──▶ metrics with their why
 *
 * Network workloads talk to a peer machine on the host's second NIC (a LAN, no delay
 * of its own): the host itself and host-network containers reach it directly, bridged
 * containers through docker's bridge and NAT, VMs through their virtual NIC and a host
 * bridge that holds the LAN port — the three paths Felter et al. compared
 * (VIRT-FIGURES §5).
 *
 * A type 1 host (`hypervisor: 1`) is a Type1Hypervisor: the machine's CPUs and memory
 * are the hypervisor's, and Domain-0 — the only general-purpose OS on it — owns the
 * NICs and disks. There, `native` is Domain-0 itself, a container runs in Domain-0's
 * kernel (docker on a Xen dom0), and a VM is a guest domain (`xl create`) whose NIC's
 * back end is a vif on Domain-0's bridge of the LAN port (Xen's bridged networking) and
 * whose disks are files in Domain-0.
 *
 *   type 2: host kernel ─┬─ native, containers                type 1: hypervisor ─┬─ Domain-0 ─┬─ native (dom0 itself), containers
 *                        └─ VMM process ── VM                                      └─ domain (xl create)   └─ br-lan ── vifN.0 ── domain's eth0
 */
import { createHost, type Host, type KernelSession } from '../host.js';
import { Type1Hypervisor } from '../hypervisor/type1.js';
import { Engine } from '../sim/engine.js';
import type { Guard, GuardLimits } from '../sim/guard.js';
import { loadDefaultCosts, parseCostTable, type LoadedCosts } from '../hw/cost-table.js';
import { readFixtureJson } from '../sim/fixtures.js';
import { defaultPrograms } from '../userland/index.js';
import { cgroupView, type CgroupView } from '../teach/views/index.js';
import { InputError } from '../sim/input-error.js';
import { cpuSplit, counterDelta, memSnapshot, PAGE, startBundleContainer, startContainer, startNative, type BundleUpload, type Instance } from './instances.js';
import { parseDurationNs } from '../sim/units.js';
import { startDomain, startVm } from './vm-instances.js';
import { workloadNeeds, workloadOps, workloadScript } from './workloads.js';
import { buildMetrics, checkExpectations } from './why.js';
import { sampleLanes } from './lanes.js';
import type { CompareReport, InstanceResult, IsolationFacts, TreeNode, VariantResult, WorkloadResult } from './report.js';
import type { Scenario, ScenarioHost, ScenarioInstance, Variant } from './scenario.js';
import { assembleReport, planRuns, readRunBundles, readRunCosts, reportHead, type PlannedRun, type SweepOptions } from './sweep.js';

const NS_TYPES = ['pid', 'mnt', 'net', 'uts', 'ipc', 'user', 'cgroup'];
/**
 * Compare's hosts boot at the Unix epoch, so that `date +%s%N` inside an instance — how
 * every instance is timed — is exact to the ns: ctsim's clocks are JS numbers, exact
 * only below 2^53 ns (~104 days since the epoch), and 2025's date would round every
 * reading to 256 ns. Simplification: an instance's wall clock says 1970.
 */
const CLOCK_EPOCH_NS = 0;

/** The disk a host gets when a workload writes to one and the scenario gives it none. */
const DEFAULT_DISK_BYTES = 1024 ** 3;
const LAN = { bridge: 'br-lan', host: '10.99.0.1', peer: '10.99.0.2', prefix: '10.99.0.' };

export interface CompareOptions {
  /** "ctsim 0.1.0", for the report. */
  ctsim: string;
  /** Reads a cost table named in a scenario (a fixture name or a path); the CLI resolves paths against the scenario's directory. */
  readCosts?: (name: string) => unknown;
  /** Reads an OCI bundle a container names (the CLI packs the directory beside the scenario): the archives to unpack in the host. */
  readBundle?: (path: string) => BundleUpload[];
  /**
   * The simulator's guard for each run (its engine's limits, counted per run): a run
   * that reaches one throws a GuardStop. `check` is the CLI edge's look at this
   * machine's memory.
   */
  guard?: { limits: GuardLimits; check?: Guard['check'] };
  /** Told before each step (an instance started, a workload run): steps done so far, of how many, and what comes. */
  progress?: (done: number, total: number, what: string) => void;
}

/**
 * Runs every run of `s` (each variant of its matrix, `repeat` times with successive
 * seeds), one after another in this thread, and gathers the report. `text` is the
 * scenario's text (hashed into the report). parallel.ts spreads the same runs over
 * worker threads.
 */
export function runCompare(s: Scenario, source: { name: string; text: string }, opts: CompareOptions & SweepOptions): CompareReport {
  const plan = planRuns(s, opts);
  return assembleReport(reportHead(s, source, opts.ctsim, plan, opts), runInThread(plan.runs, plan.repeat, opts), plan.repeat);
}

/** Runs `runs` (a whole plan, or a shard's part of it) in this thread, in their order; progress counts steps. */
export function runInThread(runs: readonly PlannedRun[], repeat: number, opts: CompareOptions): VariantResult[] {
  const costs = readRunCosts(runs, opts.readCosts);
  const bundles = readRunBundles(runs, opts.readBundle);
  const total = runs.reduce((n, r) => n + countSteps(r.variant.scenario), 0);
  let done = 0;
  const tick = (what: string): void => opts.progress?.(done++, total, what);
  const results = runs.map((r) => {
    const name = repeat > 1 ? `${r.label} (seed ${r.seed})` : r.label;
    return runVariant(r.variant, r.seed, { ...opts, readCosts: (n) => costs[n], readBundle: (b) => bundles[b], progress: (_d, _t, what) => tick(runs.length > 1 ? `${name}: ${what}` : what) });
  });
  opts.progress?.(total, total, 'done');
  return results;
}

function loadCosts(name: string, opts: CompareOptions): LoadedCosts | undefined {
  if (name === 'default') return undefined;
  const doc = opts.readCosts ? opts.readCosts(name) : readFixtureJson(`costs/${name}.json`);
  return parseCostTable(doc, name, loadDefaultCosts());
}

interface Lan {
  peer: Host;
}

/** Boots the peer of `host`'s LAN (a host, or a type 1 host's Domain-0): eth1 of both, cabled; the peer serves HTTP from /srv/www. */
function bootLan(host: KernelSession, engine: Engine, name: string): Lan {
  const peer = createHost({ engine, bootEpochNs: CLOCK_EPOCH_NS, machineName: `${name}-peer`, hostname: 'peer', cpus: 2, memoryBytes: 1024 ** 3, nics: 2 });
  peer.plug('eth1', host, 'eth1');
  must(host, `ip link add ${LAN.bridge} type bridge && ip link set eth1 master ${LAN.bridge} && ip link set eth1 up && ip link set ${LAN.bridge} up && ip addr add ${LAN.host}/24 dev ${LAN.bridge}`);
  must(peer, `ip addr add ${LAN.peer}/24 dev eth1 && ip link set eth1 up && mkdir -p /srv/www && echo ok > /srv/www/index.html && httpd -p 80 -h /srv/www`);
  return { peer };
}

function must(h: KernelSession, script: string): string {
  const r = h.sh(script);
  if (r.status !== 0) throw new Error(`compare: setting up ${h.kernel.machine.name} failed (status ${r.status}): ${script}: ${r.stderr.trim()}`);
  return r.stdout;
}

interface HostRun {
  spec: ScenarioHost;
  /** The kernel that runs the host's own programs: the host's, or Domain-0's on a type 1 host. */
  os: KernelSession;
  /** A Linux host (type 2), whose VMs are VMM processes; null on a type 1 host. */
  hosted: Host | null;
  /** A type 1 host's hypervisor, whose VMs are domains; null on a Linux host. */
  hv: Type1Hypervisor | null;
  lan: Lan | null;
  /** Bytes `os` could still give (free + page cache) before any instance started. */
  availableBytes: number;
  /** Bytes a VM could be given before any instance started: `availableBytes` on a Linux host, the hypervisor's free memory on a type 1 host. */
  vmAvailableBytes: number;
  containers: number;
  vms: number;
}

/** Runs one variant. */
export function runVariant(v: Variant, seed: number, opts: CompareOptions): VariantResult {
  const s = v.scenario;
  const engine = new Engine(seed);
  const programs = new Set(defaultPrograms().all().map((p) => p.name));
  const needsPeer = s.workloads.some((w) => workloadNeeds(w).includes('CTSIM_PEER'));
  const needsDisk = s.workloads.some((w) => workloadNeeds(w).includes('CTSIM_DISK'));
  const hosts = new Map<string, HostRun>();
  const started = new Map<string, Instance>();
  if (opts.guard) {
    const tasks = (): number => [...hosts.values()].reduce((n, h) => n + h.os.kernel.tasks.size + (h.lan?.peer.kernel.tasks.size ?? 0), 0) + [...started.values()].reduce((n, i) => n + (i.guest?.tasks.size ?? 0), 0);
    engine.setGuard({ maxEvents: opts.guard.limits.maxEvents, check: opts.guard.check, describe: () => `${tasks()} tasks on the simulated machines, in run "${v.label}" (seed ${seed})` });
  }
  s.hosts.forEach((h, i) => {
    const disks = h.disks ?? (needsDisk ? [DEFAULT_DISK_BYTES] : []);
    const machine = { name: i === 0 ? 'host' : h.name, cpus: h.cpus, memoryBytes: h.memoryBytes, costs: loadCosts(h.costs, opts), nics: Math.max(h.nics, needsPeer ? 2 : 1), disks };
    const hosted = h.hypervisor === 2 ? createHost({ engine, seed, bootEpochNs: CLOCK_EPOCH_NS, machineName: machine.name, hostname: h.name, cpus: machine.cpus, memoryBytes: machine.memoryBytes, costs: machine.costs, nics: machine.nics, disks }) : null;
    const hv = h.hypervisor === 1 ? bootType1(engine, machine, h.name) : null;
    const os: KernelSession = hosted ?? hv!.dom0;
    const lan = needsPeer ? bootLan(os, engine, h.name) : null;
    const available = os.kernel.mem.freeFrames * PAGE + memSnapshot(os.kernel).file;
    hosts.set(h.name, { spec: h, os, hosted, hv, lan, availableBytes: available, vmAvailableBytes: hv ? hv.machine.memory.freeFrames * PAGE : available, containers: 0, vms: 0 });
  });
  if (needsPeer) for (const h of hosts.values()) must(h.lan!.peer, `dd if=/dev/zero of=/srv/www/bulk-${maxBulk(s)} bs=65536 count=${Math.ceil(maxBulk(s) / 65536)} status=none`);
  const pick = (names: string[]): ScenarioInstance[] => picked(s, names);
  const say = (what: string): void => opts.progress?.(0, 0, what);
  const results = new Map<string, WorkloadResult[]>();
  // A type 1 machine's CPUs run vCPUs only: its lanes are Domain-0's vCPUs (and each domain's, once started).
  const lanes = sampleLanes([...hosts.values()].map((h) => ({ name: h.hv ? `${h.spec.name}: Domain-0` : h.spec.name, kernel: h.os.kernel })));
  for (const phase of s.phases) {
    for (const x of pick(phase.start)) {
      const hr = hosts.get(x.host)!;
      for (const name of copies(x)) {
        if (started.has(name)) continue;
        say(`starting ${name}`);
        const inst = startInstance(hr, x, name, seed, programs, { needsDisk, needsPeer }, opts);
        started.set(name, inst);
        if (inst.guest) lanes.add(name, inst.guest);
        results.set(name, []);
      }
    }
    if (phase.idle !== null) engine.runUntil(engine.now + parseDurationNs(phase.idle)!);
    const on = phase.on.length === 0 ? [...started.values()] : [...started.values()].filter((i) => phase.on.includes(i.kind) || pick(phase.on).some((x) => copies(x).includes(i.name)));
    for (let r = 0; r < phase.repeat; r++) {
      for (const wname of phase.run) {
        const w = s.workloads.find((x) => x.name === wname)!;
        for (const inst of on) {
          say(`${w.name} on ${inst.name}`);
          results.get(inst.name)!.push(runWorkload(inst, w));
        }
      }
    }
  }
  lanes.stop();
  const instances = [...started.values()].map((i) => instanceResult(i, mergeRepeats(results.get(i.name)!), hosts));
  return {
    label: v.label,
    seed,
    instances,
    metrics: buildMetrics(instances, s),
    trees: trees([...hosts.values()], [...started.values()], instances),
    schedule: lanes.lanes(),
    checks: checkExpectations(instances, s),
  };
}

/** An instance's copies: its name, or name-1 … name-N with a count. */
function copies(x: ScenarioInstance): string[] {
  return x.count === 1 ? [x.name] : Array.from({ length: x.count }, (_, i) => `${x.name}-${i + 1}`);
}

function picked(s: Scenario, names: string[]): ScenarioInstance[] {
  return s.instances.filter((x) => names.includes(x.name) || names.includes(x.kind));
}

/** The steps runVariant will take (instances started, workload runs), for progress. */
function countSteps(s: Scenario): number {
  const started: ScenarioInstance[] = [];
  let n = 0;
  for (const p of s.phases) {
    for (const x of picked(s, p.start)) {
      if (started.includes(x)) continue;
      started.push(x);
      n += x.count;
    }
    const on = p.on.length === 0 ? started : started.filter((x) => picked(s, p.on).includes(x));
    n += p.repeat * p.run.length * on.reduce((a, x) => a + x.count, 0);
  }
  return n;
}

function maxBulk(s: Scenario): number {
  let n = 1;
  for (const w of s.workloads) if (w.kind === 'net-bulk') n = Math.max(n, workloadOps(w).sizeBytes);
  return n;
}

/**
 * A type 1 host: the hypervisor on the bare machine and Domain-0 (1 vCPU, 512 MiB, as
 * dom0_mem= is often set), which drives the NICs and disks. Its clock starts at the
 * epoch, as a Linux host's does here.
 */
function bootType1(engine: Engine, m: { name: string; cpus: number; memoryBytes: number; costs: LoadedCosts | undefined; nics: number; disks: number[] }, hostName: string): Type1Hypervisor {
  try {
    return new Type1Hypervisor(engine, { name: m.name, cpus: m.cpus, ramBytes: m.memoryBytes, costs: m.costs, programs: defaultPrograms(), bootEpochNs: CLOCK_EPOCH_NS, nics: m.nics, disks: m.disks });
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('xl: ')) throw new InputError({ source: `host ${hostName}`, path: 'memory', expected: 'enough memory for Domain-0 (512 MiB)', found: e.message });
    throw e;
  }
}

function startInstance(hr: HostRun, x: ScenarioInstance, name: string, seed: number, programs: ReadonlySet<string>, needs: { needsDisk: boolean; needsPeer: boolean }, opts: CompareOptions): Instance {
  const os = hr.os;
  if (x.kind === 'native') return startNative(os, name, hr.hv ? 'Domain-0 itself: the only general-purpose OS on a type 1 host (a PV domain)' : 'the host itself');
  const bundle = x.settings.bundle as string | undefined;
  if (x.kind === 'container' && bundle !== undefined) {
    if (!opts.readBundle) throw new InputError({ source: `instance ${x.name}`, path: 'bundle', expected: 'a way to read bundles (CompareOptions.readBundle; the CLI gives one)', found: bundle });
    return startBundleContainer(os, name, bundle, opts.readBundle(bundle));
  }
  if (x.kind === 'container') return startContainer(os, x, name, hr.containers++, seed, programs, hasDisk(os) ? [HOST_DISK] : []);
  const wiring = { dataDisk: needs.needsDisk, bridge: needs.needsPeer ? LAN.bridge : null };
  const vm = hr.hv ? startDomainOr(hr, x, name, wiring) : startVm(hr.hosted!, x, name, wiring);
  hr.vms++;
  if (needs.needsPeer) {
    const r = vm.sh(`ip addr add ${LAN.prefix}${10 + hr.vms}/24 dev eth0 && ip link set eth0 up`);
    if (r.status !== 0) throw new Error(`compare: configuring ${name}'s eth0 failed: ${r.stderr.trim()}`);
  }
  return vm;
}

/** A guest domain, or an InputError naming the host when the machine is out of memory for it (xl create's failure). */
function startDomainOr(hr: HostRun, x: ScenarioInstance, name: string, wiring: { dataDisk: boolean; bridge: string | null }): Instance {
  try {
    return startDomain(hr.hv!, x, name, wiring, hr.spec.name);
  } catch (e) {
    if (e instanceof Error && e.message.startsWith('xl: ')) throw new InputError({ source: `instance ${name}`, path: 'memory', expected: `a domain that fits in host ${hr.spec.name}'s free memory (Xen reserves a domain's whole memory when it creates it)`, found: e.message });
    throw e;
  }
}

/** The host's first disk, which the host itself and its containers (docker's --device) write to (Domain-0's, on a type 1 host). */
const HOST_DISK = '/dev/sda';

function hasDisk(os: KernelSession): boolean {
  const scsi = os.kernel.machine.scsi;
  return scsi !== null && scsi.units.length > 0;
}

/** Each VM's data drive, asked of its guest once. */
const vmDisks = new WeakMap<Instance, string>();

/** The environment a workload gets: the LAN peer, and a disk (a VM's data drive: its last disk; else the host's first). */
function workloadEnv(inst: Instance): Record<string, string> {
  let disk = hasDisk(inst.host) ? HOST_DISK : '';
  if (inst.kind === 'vm') {
    if (!vmDisks.has(inst)) vmDisks.set(inst, inst.sh('ls /dev/sd[a-z] 2>/dev/null | tail -1').stdout.trim());
    disk = vmDisks.get(inst)!;
  }
  return { CTSIM_PEER: LAN.peer, CTSIM_DISK: disk || '/tmp/ctsim-disk' };
}

function runWorkload(inst: Instance, w: Scenario['workloads'][number]): WorkloadResult {
  const env = workloadEnv(inst);
  inst.calibrate();
  const before = inst.vmm();
  const t = inst.time(workloadScript(w), env);
  const after = inst.vmm();
  if (t.status !== 0) throw new InputError({ source: `workload ${w.name}`, path: `on ${inst.name}`, expected: 'the workload to exit 0', found: `status ${t.status}: ${t.stderr.trim().split('\n').slice(-2).join(' ') || 'no message'}` });
  const ops = workloadOps(w).ops;
  // A request's or a write's own cost: the run again with one operation, the difference spread.
  let perOpNs: number | null = null;
  if ((w.kind === 'disk' || w.kind === 'net-rr') && ops > 1) perOpNs = Math.round((t.ns - inst.time(workloadScript({ ...w, ops: 1 }), env).ns) / (ops - 1));
  return { name: w.name, kind: w.kind, ops, ns: t.ns, status: t.status, perOpNs, cpu: cpuSplit(t, before, after), counters: counterDelta(before, after, t.calib) };
}

/** One result per workload: repetitions averaged (rounded to the ns). */
function mergeRepeats(rs: WorkloadResult[]): WorkloadResult[] {
  const by = new Map<string, WorkloadResult[]>();
  for (const r of rs) by.set(r.name, [...(by.get(r.name) ?? []), r]);
  return [...by.values()].map((xs) => {
    if (xs.length === 1) return xs[0];
    const avg = (f: (r: WorkloadResult) => number): number => Math.round(xs.reduce((a, r) => a + f(r), 0) / xs.length);
    const counters: Record<string, number> = {};
    for (const r of xs) for (const [k, n] of Object.entries(r.counters)) counters[k] = (counters[k] ?? 0) + n;
    for (const k of Object.keys(counters)) counters[k] = Math.round(counters[k] / xs.length);
    return { ...xs[0], ns: avg((r) => r.ns), perOpNs: xs[0].perOpNs === null ? null : avg((r) => r.perOpNs ?? 0), cpu: { user: avg((r) => r.cpu.user), kernel: avg((r) => r.cpu.kernel), vmm: avg((r) => r.cpu.vmm), translation: avg((r) => r.cpu.translation) }, counters };
  });
}

function instanceResult(i: Instance, workloads: WorkloadResult[], hosts: Map<string, HostRun>): InstanceResult {
  const hr = [...hosts.values()].find((h) => h.os === i.host)!;
  const bytes = Object.values(i.memory).reduce((a, b) => a + b, 0);
  const free = i.kind === 'vm' ? hr.vmAvailableBytes : hr.availableBytes;
  return {
    name: i.name,
    kind: i.kind,
    host: hr.spec.name,
    hypervisor: hr.spec.hypervisor,
    detail: i.detail,
    startup: i.startup,
    memory: { bytes, parts: i.memory, hostFreeBytes: free },
    density: i.kind === 'native' || bytes === 0 ? 1 : Math.floor(free / bytes),
    workloads,
    isolation: isolation(i),
  };
}

/** What a process inside can see: processes, hostname, interfaces, mounts, and its namespaces against the host's. */
function isolation(i: Instance): IsolationFacts {
  const probe = ['ls /proc | grep -c "^[0-9]"', 'hostname', 'ip -o link show | cut -d: -f2 | tr -d " " | tr "\\n" " "; echo', 'wc -l < /proc/self/mounts', ...NS_TYPES.map((t) => `readlink /proc/self/ns/${t}`)].join('; ');
  const lines = i.sh(probe).stdout.split('\n');
  const host = i.host.sh(NS_TYPES.map((t) => `readlink /proc/1/ns/${t}`).join('; ')).stdout.split('\n');
  const own = i.kind === 'vm' ? [] : NS_TYPES.filter((t, j) => lines[4 + j] !== host[j]);
  return {
    processes: Number(lines[0]),
    hostname: lines[1],
    netDevices: lines[2].trim().split(' ').filter((x) => x !== ''),
    mounts: Number(lines[3]),
    sharedKernel: i.kind !== 'vm',
    ownNamespaces: own,
  };
}

/** The namespace tree (host kernel → instances) and each host's cgroup tree with what its groups hold. */
function trees(hosts: HostRun[], instances: Instance[], results: InstanceResult[]): { namespaces: TreeNode; cgroups: TreeNode } {
  const ns: TreeNode[] = hosts.map((hr) => ({
    label: `${hr.spec.name}: ${hr.hv ? "Domain-0's kernel's" : "the host kernel's"} initial namespaces`,
    children: instances
      .filter((i) => i.host === hr.os)
      .map((i) => {
        if (i.kind === 'native') return { label: `${i.name}: ${hr.hv ? "Domain-0's" : "the host's"} own (no new namespaces)`, children: [] };
        if (i.kind === 'container') {
          const own = results.find((r) => r.name === i.name)!.isolation.ownNamespaces;
          return { label: `${i.name}: new ${own.join(', ')} namespaces${i.hostPid ? ` (init is host PID ${i.hostPid})` : ''}`, children: [] };
        }
        const beside = i.domid !== undefined ? `domain ${i.domid} beside Domain-0 (no process in it; its back ends vif${i.domid}.N are Domain-0's devices)` : `VMM process${i.hostPid ? ` ${i.hostPid}` : ''} in the host's namespaces`;
        return { label: `${i.name}: ${beside}`, children: [{ label: `${i.name}'s guest kernel: its own initial namespaces`, children: [] }] };
      }),
  }));
  const cg: TreeNode[] = hosts.map((hr) => cgroupNode(cgroupView(hr.os.kernel), hr.hv ? `${hr.spec.name} (Domain-0)` : hr.spec.name));
  return { namespaces: { label: 'namespaces', children: ns }, cgroups: { label: 'cgroups (v2)', children: cg } };
}

function cgroupNode(v: CgroupView, hostName: string): TreeNode {
  const mib = v.chargedBytes / (1024 * 1024);
  const n = v.processes.length;
  const label = `${v.path === '/' ? `${hostName}: /sys/fs/cgroup` : v.name} — ${n} process${n === 1 ? '' : 'es'}, memory.current ${mib.toFixed(1)} MiB`;
  return { label, children: v.children.map((x) => cgroupNode(x, hostName)) };
}
