/**
 * `runc events --stats <id>` output: one `stats` event, Go Encoder form (compact JSON
 * + "\n"), built the way runc does it on cgroup v2 (opencontainers/cgroups fs2
 * statCpu/statMemory/statPids, then runc events.go convertLibcontainerStats into
 * types.Stats). Also the `oom` event line.
 *
 * ```
 * {"type":"stats","id":ID,"data":{"cpu":…,"cpuset":…,"memory":…,"pids":…,
 *   "blkio":{},"hugetlb":{},"intel_rdt":{},"network_interfaces":null}}
 * ```
 *
 * The caller reads the cgroup files and fills `StatsInput`; this module applies
 * runc's conversions and its `omitempty`/`omitzero` rules:
 * - cpu.usage: `total` is omitted when 0, `kernel`/`user` never are; the whole
 *   `usage` (and `throttling`) object is omitted when all of it is zero.
 * - memory.usage: limit = memory.max (`max` → 2^64−1), usage = memory.current,
 *   max = memory.peak (omitted when 0), failcnt 0.
 * - memory.swap is memory+swap, the v1 meaning: usage = swap.current + current,
 *   limit = swap.max + memory.max unless swap.max is `max` — in uint64 arithmetic,
 *   so a finite swap.max with memory.max `max` wraps around, as in runc.
 * - memory.cache = memory.stat `file`; memory.raw = all of memory.stat (sorted keys).
 * - pids: current, limit (0 when pids.max is `max`); each omitted when 0.
 *
 * Simplification: no PSI (`psi` objects from *.pressure), no per-CPU usage, no io or
 * hugetlb entries: ctsim's cgroups do not have those files, so those keys are absent
 * or empty exactly as on a host without them.
 */
import { goEncoderLine, type GoJsonValue } from './go-json.js';

type Count = number | bigint;

/** The cgroup v2 readings behind one stats event (units in the names). */
export interface StatsInput {
  /** From cpu.stat, converted to ns (×1000) like runc's statCpu. */
  cpu: {
    /** usage_usec × 1000. */
    usageNs: Count;
    /** user_usec × 1000. */
    userNs: Count;
    /** system_usec × 1000. */
    kernelNs: Count;
    /** nr_periods. */
    periods: Count;
    /** nr_throttled. */
    throttledPeriods: Count;
    /** throttled_usec × 1000. */
    throttledTimeNs: Count;
  };
  memory: {
    /** memory.current, bytes. */
    current: Count;
    /** memory.max, bytes; null for `max`. */
    max: Count | null;
    /** memory.peak, bytes; 0 or absent when the kernel has no memory.peak. */
    peak?: Count;
    /**
     * runc on cgroup v2 always reports 0 (it never reads a fail count); give a value
     * only to show something else.
     */
    failcnt?: Count;
    /** memory.swap.current; absent when there is no swap accounting. */
    swapCurrent?: Count;
    /** memory.swap.max; null for `max`; absent when there is no swap accounting. */
    swapMax?: Count | null;
    /** memory.stat, key → value. */
    stat: ReadonlyMap<string, Count> | Readonly<Record<string, Count>>;
  };
  pids: {
    /** pids.current. */
    current: Count;
    /** pids.max, with `max` given as 0 (runc's convention). */
    limit: Count;
  };
}

const U64 = (1n << 64n) - 1n;
const MOD = 1n << 64n;

const big = (n: Count): bigint => BigInt(n);
/** Numbers stay numbers when they are safe, so the common case reads naturally. */
const out = (n: bigint): number | bigint => (n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);

/** Go `omitempty` on an integer: absent when zero. */
const omitZero = (n: bigint): number | bigint | undefined => (n === 0n ? undefined : out(n));

function allZero(o: Record<string, GoJsonValue>): boolean {
  return Object.values(o).every((v) => v === undefined || v === 0 || v === 0n);
}

/** The `data` object of a stats event (runc types.Stats). */
export function statsData(s: StatsInput): GoJsonValue {
  const usage = { total: omitZero(big(s.cpu.usageNs)), kernel: out(big(s.cpu.kernelNs)), user: out(big(s.cpu.userNs)) };
  const throttling = {
    periods: omitZero(big(s.cpu.periods)),
    throttledPeriods: omitZero(big(s.cpu.throttledPeriods)),
    throttledTime: omitZero(big(s.cpu.throttledTimeNs)),
  };
  const cpu = { usage: allZero(usage) ? undefined : usage, throttling: allZero(throttling) ? undefined : throttling };

  const m = s.memory;
  const memLimit = m.max === null ? U64 : big(m.max);
  const memUsage = big(m.current);
  const swapOnlyUsage = m.swapCurrent === undefined ? 0n : big(m.swapCurrent);
  const swapOnlyLimit = m.swapMax === undefined ? 0n : m.swapMax === null ? U64 : big(m.swapMax);
  const swapLimit = swapOnlyLimit === U64 ? U64 : (swapOnlyLimit + memLimit) % MOD;
  const entry = (limit: bigint, usageBytes: bigint, max: bigint, failcnt: bigint): Record<string, GoJsonValue> | undefined => {
    if (limit === 0n && usageBytes === 0n && max === 0n && failcnt === 0n) return undefined; // omitzero
    return { limit: out(limit), usage: omitZero(usageBytes), max: omitZero(max), failcnt: out(failcnt) };
  };
  const statEntries: [string, Count][] = m.stat instanceof Map ? [...(m.stat as ReadonlyMap<string, Count>)] : Object.entries(m.stat);
  // A Go map[string]uint64: encoded with sorted keys.
  const stat = new Map(statEntries.map(([k, v]) => [k, out(big(v))]));
  const file = stat.get('file');
  const memory = {
    cache: file === undefined ? undefined : omitZero(big(file)),
    usage: entry(memLimit, memUsage, big(m.peak ?? 0), big(m.failcnt ?? 0)),
    // runc zeroes the mem+swap MaxUsage: it cannot be derived from the two peaks.
    swap: entry(swapLimit, swapOnlyUsage + memUsage, 0n, 0n),
    raw: stat.size === 0 ? undefined : stat,
  };

  const cpuset = {
    cpu_exclusive: 0,
    mem_hardwall: 0,
    mem_exclusive: 0,
    memory_migrate: 0,
    memory_spread_page: 0,
    memory_spread_slab: 0,
    memory_pressure: 0,
    sched_load_balance: 0,
    sched_relax_domain_level: 0,
  };
  return {
    cpu,
    cpuset,
    memory,
    pids: { current: omitZero(big(s.pids.current)), limit: omitZero(big(s.pids.limit)) },
    blkio: {},
    hugetlb: new Map(),
    intel_rdt: {},
    network_interfaces: null,
  };
}

/** `runc events --stats <id>`: `{"type":"stats","id":…,"data":{…}}` + "\n". */
export function formatEventsStats(id: string, stats: StatsInput): string {
  return goEncoderLine({ type: 'stats', id, data: statsData(stats) });
}

/** The `oom` event `runc events` prints when memory.events oom_kill rises. */
export function formatOomEvent(id: string): string {
  return goEncoderLine({ type: 'oom', id });
}
