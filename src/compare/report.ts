/**
 * What `ctsim compare` found: the report that the table, `--json` and `--html` are
 * made from. Every number is simulated (ns of simulated time, bytes of simulated
 * memory), so the same scenario and seed give the same report, byte for byte.
 *
 *   runner ──▶ CompareReport ──▶ table (cli-table3) │ JSON │ HTML page with charts
 */
import type { TreeNode } from '../teach/views/index.js';

export type InstanceKind = 'native' | 'container' | 'vm';

/** One number of one instance, with its unit and the one-line reason drawn from the counters. */
export interface Metric {
  /** 'startup', 'memory', 'density', or 'workload:NAME'. */
  id: string;
  /** The row's title, e.g. "start-up to first instruction", "cpu (20,000 loop iterations)". */
  title: string;
  instance: string;
  value: number;
  /** 'ns' (shown in µs/ms/s), 'bytes' (KiB/MiB), 'count', 'ns/op'. */
  unit: 'ns' | 'bytes' | 'count' | 'ns/op';
  /** e.g. "VM: 41,000 EPT-violation exits × 0.45 µs"; never empty. */
  why: string;
}

/** Simulated ns of one start-up step, from the moment the instance was asked to start. */
export interface StartupStep {
  /** 'vmm', 'firmware', 'kernel', 'init', 'runtime', 'exec', … */
  name: string;
  startNs: number;
  endNs: number;
}

/** Memory an idle instance costs its host, by kind (bytes). */
export interface MemoryParts {
  /** The guest kernel's own memory (a VM only). */
  guestKernel: number;
  /** Page tables: the instance's processes' and, for a VM, the nested or shadow tables the host keeps. */
  pageTables: number;
  pageCache: number;
  /** The instance's processes' private memory. */
  application: number;
  /** The VMM process beyond guest RAM (a hosted VM only). */
  vmm: number;
  /**
   * Guest RAM the hypervisor gave the VM that its guest has not touched (a type 1
   * domain only: Xen reserves a domain's whole memory when it creates it, where a
   * hosted VMM's guest RAM is backed page by page as the guest touches it).
   */
  untouched: number;
}

/** Where a workload's CPU time went (ns). */
export interface CpuSplit {
  /** User-mode time of the workload (in the guest, for a VM). */
  user: number;
  /** Kernel time of the instance's kernel (the host's, or the guest's for a VM). */
  kernel: number;
  /** VMM work: VM exits and their handling, hypercalls, shadow-page-table upkeep. */
  vmm: number;
  /** Binary translation (translating and dispatching guest kernel code). */
  translation: number;
}

export interface WorkloadResult {
  name: string;
  kind: string;
  /** Operations the workload did (loop iterations, forks, requests, …). */
  ops: number;
  /** Simulated ns from the workload's first instruction to its last, timing overhead removed. */
  ns: number;
  /** The workload's exit status (0 when it worked). */
  status: number;
  /**
   * For disk and net-rr: what one more operation costs, (time of `ops` − time of 1) ÷
   * (ops − 1) — the request or write itself, without the program's start and end
   * (ab's connection set-up, dd's exec and final fsync); null for other kinds.
   */
  perOpNs: number | null;
  cpu: CpuSplit;
  /** VMM counters during the workload (a VM only): exits by reason, hypercalls, callouts, page-walk references. */
  counters: Record<string, number>;
}

/** What a process in the instance can see of the machine. */
export interface IsolationFacts {
  /** Processes visible in /proc. */
  processes: number;
  hostname: string;
  /** Network interfaces it sees (ip link). */
  netDevices: string[];
  /** Entries of /proc/self/mounts. */
  mounts: number;
  /** Whether it runs on the host's kernel (a container or the host itself) or its own (a VM). */
  sharedKernel: boolean;
  /** Its own namespaces that differ from the host's (pid, mnt, net, uts, ipc, user, cgroup). */
  ownNamespaces: string[];
}

export interface InstanceResult {
  name: string;
  kind: InstanceKind;
  host: string;
  /** The host's hypervisor type: 2, a Linux host whose VMs are VMM processes; 1, a bare-metal hypervisor with Domain-0. */
  hypervisor: 1 | 2;
  /** e.g. "runc, bridge + NAT", "firecracker: hw + nested, virtio-net", "the host itself". */
  detail: string;
  startup: { ns: number; steps: StartupStep[] };
  /** Idle footprint, by kind; and the host's memory free before any instance started (what density divides). */
  memory: { bytes: number; parts: MemoryParts; hostFreeBytes: number };
  /** How many such instances fit in the host's memory left after boot. */
  density: number;
  workloads: WorkloadResult[];
  isolation: IsolationFacts;
}

/** A node of a tree shown in the report (namespaces, cgroups): the shape every ctsim tree view shares. */
export type { TreeNode };

/** What one CPU ran over a window of simulated time (the scheduling Gantt chart). */
export interface CpuLane {
  machine: string;
  cpu: number;
  /** [startNs, endNs) slices, with what ran ("firecracker", "sh", "idle" is left out). */
  slices: { startNs: number; endNs: number; label: string }[];
}

/** A scenario's claim checked against this variant's results. */
export interface CheckResult {
  claim: string;
  source: string;
  holds: boolean;
  /** The numbers compared, e.g. "docker 9.01 ms > docker-host 8.28 ms". */
  detail: string;
}

export interface VariantResult {
  /** The matrix values of this run ("vm.cpuVirt=bt"), or the scenario's name. */
  label: string;
  /** The seed the variant ran with. */
  seed: number;
  instances: InstanceResult[];
  /** Every number again as table rows (metric × instance), in the table's order. */
  metrics: Metric[];
  trees: { namespaces: TreeNode; cgroups: TreeNode };
  schedule: CpuLane[];
  /** The scenario's expectations, checked. */
  checks: CheckResult[];
}

/**
 * One metric of one instance over the repeated runs of a variant (summary.ts). Values in
 * the metric's unit, rounded to 3 decimals; `ci95` is the half-width of the 95 %
 * confidence interval of the mean (Student's t with n − 1 degrees of freedom).
 */
export interface MetricSummary {
  id: string;
  title: string;
  instance: string;
  unit: Metric['unit'];
  n: number;
  mean: number;
  /** The sample standard deviation (n − 1 in the denominator). */
  sd: number;
  ci95: number;
  min: number;
  max: number;
}

/** How often a claim of the scenario held over the repeated runs of a variant. */
export interface CheckSummary {
  claim: string;
  source: string;
  held: number;
  runs: number;
}

/** The repeated runs of one variant (one matrix label), summarised. */
export interface VariantSummary {
  label: string;
  /** The seeds of its runs, in run order. */
  seeds: number[];
  metrics: MetricSummary[];
  checks: CheckSummary[];
}

export interface CompareSummary {
  /** Runs per variant (`--repeat`). */
  repeat: number;
  variants: VariantSummary[];
}

export interface CompareReport {
  /** "ctsim 0.1.0". */
  ctsim: string;
  /**
   * The scenario: its name, where it came from, its text hashed, and the sha256 of the
   * other inputs it read (cost tables, OCI bundles), so that parts made with other
   * inputs do not merge.
   */
  scenario: { name: string; source: string; sha256: string; inputs: string };
  /** The first seed (`--seed-from`, default the scenario's); run k of a variant has seed + k. */
  seed: number;
  /** Every run, variant-major and seed-minor: with `--repeat 3`, a variant's three seeds, then the next variant's. */
  variants: VariantResult[];
  /** Present only when each variant ran more than once (`--repeat N`, N > 1). */
  summary?: CompareSummary;
}
