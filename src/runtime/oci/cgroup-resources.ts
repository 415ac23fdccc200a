/**
 * OCI `linux.resources` → cgroup v2 interface files, as runc (opencontainers/cgroups
 * `fs2` driver, v0.0.8 as vendored by runc 1.5) writes them into the container's
 * cgroup. CGROUP-V2-NOTES §8; cgroup-v2.rst for the files.
 *
 * ```
 *   OCI resources                    cgroup v2 writes, in runc's order
 *   pids.limit ───────────────────▶  pids.max
 *   memory.{swap,limit,reservation}▶ memory.swap.max, memory.max, memory.low
 *   cpu.{idle,shares,burst,quota}  ▶ cpu.idle, cpu.weight, cpu.max.burst, cpu.max
 *   unified{file: value} ─────────▶  file (verbatim, last)
 * ```
 *
 * runc's internal config uses 0 for "unset" (memory, reservation, swap, quota,
 * period, weight), so an explicit 0 there writes nothing, exactly as in runc.
 *
 * Simplification: runc also writes io.*, devices (an eBPF program), cpuset.*,
 * hugetlb.* and rdma.*; ctsim's cgroup model has none of these, so they come back
 * as warnings rather than writes. So do the fields runc itself ignores on v2
 * (swappiness, disableOOMKiller, kernel memory, realtime CPU).
 */
import { Findings, formatJsonPath, type ConfigIssue, type PathSegment } from './config-issue.js';
import type { OciDeviceCgroup, OciResources } from './types.js';

/** One write of `value` to the cgroup file `file` (a name inside the container's cgroup). */
export interface CgroupWrite {
  file: string;
  value: string;
}

/** The writes for a resources object, or why it cannot be applied. */
export interface CgroupMapping {
  /** The writes, in the order runc performs them. Empty when `errors` is not. */
  files: CgroupWrite[];
  errors: ConfigIssue[];
  warnings: ConfigIssue[];
}

/** v1 cpu.shares range and the v2 cpu.weight range (cgroup-v2.rst "Weights"). */
const SHARES_MIN = 2;
const SHARES_MAX = 262144;
const WEIGHT_MAX = 10000;

/**
 * cgroup v1 `cpu.shares` → cgroup v2 `cpu.weight`, with the formula runc uses today
 * (opencontainers/cgroups ≥ v0.0.4 `ConvertCPUSharesToCgroupV2Value`, runc ≥ 1.3.2 /
 * 1.4; crun ≥ 1.23): a quadratic in log2 space fitted so that 2 → 1, 1024 → 100
 * (both defaults) and 262144 → 10000. `0` means unset and returns 0 (write nothing).
 *   l = log2(shares);  weight = ceil(10^((l² + 125·l)/612 − 7/34))
 * It replaced the linear `1 + ((shares − 2)·9999)/262142` (runc ≤ 1.3.1), which put
 * the default 1024 at weight 39 instead of 100.
 *
 * Floating point: for every integer in 3..262143 the power lands at least 1e-9 away
 * from an integer except shares = 1024, whose exponent is exactly 2.0 — so an ulp of
 * difference between V8's and Go's log2/pow cannot change the ceiling.
 */
export function sharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= SHARES_MIN) return 1;
  if (shares >= SHARES_MAX) return WEIGHT_MAX;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return Math.ceil(Math.pow(10, exponent));
}

/** The pre-2025 linear conversion (runc ≤ 1.3.1 and many tools), for comparison. */
export function sharesToWeightLinear(shares: number): number {
  if (shares === 0) return 0;
  return 1 + Math.floor(((shares - 2) * 9999) / 262142);
}

/** cgroups `numToStr`: 0 → "" (do not write), -1 → "max", else the decimal. */
function numToStr(v: number): string {
  if (v === 0) return '';
  if (v === -1) return 'max';
  return String(v);
}

/**
 * Maps `linux.resources` to the cgroup v2 writes runc would perform, in its order:
 * pids, memory, (io), cpu, (devices, cpuset, hugetlb, rdma), unified. Issue paths
 * start at `base` (default `linux.resources`).
 */
export function resourcesToCgroupFiles(resources: OciResources, base: readonly PathSegment[] = ['linux', 'resources']): CgroupMapping {
  const f = new Findings();
  const writes: CgroupWrite[] = [];
  const at = (...rest: PathSegment[]): string => formatJsonPath([...base, ...rest]);
  const notModelled = (path: string, what: string): void =>
    f.warn(path, 'oci:not-modelled', `ctsim's cgroups do not model ${what}; ignored (runc would apply it)`);

  // pids (fs2 setPids): 0 becomes 1 because systemd cannot express TasksMax=0.
  if (resources.pids !== undefined) {
    const limit = resources.pids.limit;
    writes.push({ file: 'pids.max', value: limit > 0 ? String(limit) : limit === 0 ? '1' : 'max' });
  }

  // memory (fs2 setMemory): memory.swap.max first, then memory.max and memory.low.
  const mem = resources.memory;
  if (mem) {
    const limit = mem.limit ?? 0;
    const reservation = mem.reservation ?? 0;
    const swap = mem.swap ?? 0;
    if (limit !== 0 || reservation !== 0 || swap !== 0) {
      const v2Swap = swapToCgroupV2(swap, limit);
      if (typeof v2Swap === 'string') {
        f.error(at('memory', v2Swap.startsWith('invalid memory') ? 'limit' : 'swap'), 'oci:memory-swap', v2Swap);
      } else {
        let swapStr = numToStr(v2Swap);
        // memory == memory+swap: no swap at all.
        if (swapStr === '' && v2Swap === 0 && swap > 0) swapStr = '0';
        if (swapStr !== '') writes.push({ file: 'memory.swap.max', value: swapStr });
        if (numToStr(limit) !== '') writes.push({ file: 'memory.max', value: numToStr(limit) });
        if (numToStr(reservation) !== '') writes.push({ file: 'memory.low', value: numToStr(reservation) });
      }
    }
    if (mem.kernel !== undefined || mem.kernelTCP !== undefined) {
      f.warn(at('memory', mem.kernel !== undefined ? 'kernel' : 'kernelTCP'), 'oci:ignored-v2', 'Kernel memory settings are ignored and will be removed (runc\'s warning)');
    }
    if (mem.swappiness !== undefined) f.warn(at('memory', 'swappiness'), 'oci:ignored-v2', 'cgroup v2 has no memory.swappiness; ignored, as runc does');
    if (mem.disableOOMKiller !== undefined) f.warn(at('memory', 'disableOOMKiller'), 'oci:ignored-v2', 'cgroup v2 has no memory.oom_control; ignored, as runc does');
    if (mem.useHierarchy !== undefined) f.warn(at('memory', 'useHierarchy'), 'oci:ignored-v2', 'cgroup v2 is always hierarchical; ignored');
  }

  if (resources.blockIO !== undefined) notModelled(at('blockIO'), 'blockIO (io.weight, io.max)');

  // cpu (fs2 setCPU). runc writes cpu.max.burst before cpu.max and retries it after
  // cpu.max only when the first write fails with EINVAL; ctsim emits the first try.
  const cpu = resources.cpu;
  if (cpu) {
    const weight = sharesToWeight(cpu.shares ?? 0);
    const quota = cpu.quota ?? 0;
    const period = cpu.period ?? 0;
    if (cpu.idle !== undefined) writes.push({ file: 'cpu.idle', value: String(cpu.idle) });
    if (weight !== 0) writes.push({ file: 'cpu.weight', value: String(weight) });
    if (cpu.burst !== undefined) writes.push({ file: 'cpu.max.burst', value: String(cpu.burst) });
    if (quota !== 0 || period !== 0) {
      // quota ≤ 0 → "max"; no period → the kernel's default 100000 µs.
      writes.push({ file: 'cpu.max', value: `${quota > 0 ? quota : 'max'} ${period === 0 ? 100000 : period}` });
    }
    if (cpu.realtimeRuntime !== undefined || cpu.realtimePeriod !== undefined) {
      f.warn(at('cpu', cpu.realtimeRuntime !== undefined ? 'realtimeRuntime' : 'realtimePeriod'), 'oci:ignored-v2', 'cgroup v2 has no cpu.rt_* files; ignored, as runc does');
    }
    if (cpu.cpus !== undefined) notModelled(at('cpu', 'cpus'), 'cpuset.cpus');
    if (cpu.mems !== undefined) notModelled(at('cpu', 'mems'), 'cpuset.mems');
  }

  if (resources.devices !== undefined && !isDenyAll(resources.devices)) notModelled(at('devices'), 'the device cgroup (an eBPF allow list on v2)');
  if (resources.hugepageLimits !== undefined) notModelled(at('hugepageLimits'), 'hugetlb.*');
  if (resources.rdma !== undefined) notModelled(at('rdma'), 'rdma.max');
  if (resources.network !== undefined) f.warn(at('network'), 'oci:ignored-v2', 'cgroup v2 has no net_cls/net_prio controllers; ignored, as runc does');

  // unified (fs2 setUnified): last, so it overrides the mapped values. Go ranges over
  // the map in random order. Simplification: ctsim writes in sorted key order.
  if (resources.unified) {
    for (const file of Object.keys(resources.unified).sort()) {
      if (file.includes('/')) {
        f.error(at('unified', file), 'oci:unified-file', `unified resource "${file}" must be a file name (no slashes), e.g. "memory.high"`);
        continue;
      }
      // cgroups WriteFileByLine: a multi-line value is written one line per write(2).
      const value = resources.unified[file]!;
      const lines = value.split(/(?<=\n)/).filter((l) => l !== '');
      for (const line of lines.length === 0 ? [''] : lines) writes.push({ file, value: line });
    }
  }

  return { files: f.errors.length === 0 ? writes : [], errors: f.errors, warnings: f.warnings };
}

/**
 * cgroups `ConvertMemorySwapToCgroupV2Value`: OCI swap is memory+swap (the v1
 * meaning); v2's memory.swap.max is swap alone, so it is swap − limit. Returns the
 * value, or runc's error text. 0 means "unset", -1 "max".
 */
export function swapToCgroupV2(swap: number, limit: number): number | string {
  if (limit === -1 && swap === 0) return -1; // unlimited memory, swap unset → both unlimited
  if (swap === -1 || swap === 0) return swap;
  if (limit === -1) return swap;
  if (limit === 0) return 'unable to set swap limit without memory limit (fix: set memory.limit too, or remove memory.swap)';
  if (limit < 0) return `invalid memory value: ${limit} (fix: a byte count, or -1 for unlimited)`;
  if (swap < limit) return `memory+swap limit should be >= memory limit: swap ${swap} < limit ${limit} (fix: swap is memory+swap, so set it to at least ${limit})`;
  return swap - limit;
}

/** True for runc's default list, `[{allow: false, access: "rwm"}]` (deny everything). */
function isDenyAll(devices: readonly OciDeviceCgroup[]): boolean {
  return devices.every((d) => !d.allow && d.type === undefined && d.major === undefined && d.minor === undefined && (d.access ?? 'rwm') === 'rwm');
}
