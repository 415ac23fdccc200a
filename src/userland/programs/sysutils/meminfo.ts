/**
 * /proc/meminfo as procps-ng 4.0.2's libproc2 reads it for free(1) and vmstat(8):
 * `Name: value kB` lines looked up by name, a missing field reading 0, and the
 * figures libproc2 derives from them (used, available, cache, swap used, low and
 * high memory). Values are in KiB (proc(5)).
 *
 * Behaviour pinned down on the real tools (test/userland/programs/sysutils/fixtures):
 *  - a name counts only at the start of its line, up to its colon; the value is read
 *    as strtoul(3) reads it (leading blanks, then digits; "12x" is 12, no digits 0),
 *    and a later line of the same name wins;
 *  - available is MemAvailable, or MemFree when MemAvailable is 0 or above MemTotal
 *    (kernels before 3.14 had none); used = MemTotal - available, and may go negative;
 *  - cache = Cached + SReclaimable; swap used = SwapTotal - SwapFree, 0 if SwapFree is
 *    larger (low and high memory likewise); low memory is MemTotal/MemFree when the
 *    kernel has no LowTotal (64-bit kernels have no high memory).
 *
 * Simplification: values are JavaScript numbers, exact below 2^53 (in bytes, 8 PiB);
 * a signed value ("-5 kB"), which no kernel writes, reads as 0.
 */

/** The fields of /proc/meminfo by name (in kB; HugePages_* in pages). */
export type Meminfo = ReadonlyMap<string, number>;

/** Reads /proc/meminfo text into its fields. */
export function parseMeminfo(text: string): Meminfo {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const m = /^[ \t\n\v\f\r]*(\d*)/.exec(line.slice(colon + 1));
    fields.set(line.slice(0, colon), m && m[1] ? Number(m[1]) : 0);
  }
  return fields;
}

/** The figures free and vmstat print, in KiB, as libproc2 derives them. */
export interface MemSummary {
  totalKb: number;
  freeKb: number;
  /** MemAvailable, or MemFree when the kernel gives none (or an impossible one). */
  availableKb: number;
  /** MemTotal - available: memory that cannot be had without swapping (may be < 0). */
  usedKb: number;
  /** Shmem: tmpfs and shared anonymous memory. */
  sharedKb: number;
  buffersKb: number;
  /** Cached + SReclaimable: the page cache and reclaimable slab. */
  cacheKb: number;
  activeKb: number;
  inactiveKb: number;
  swapTotalKb: number;
  swapFreeKb: number;
  swapUsedKb: number;
  lowTotalKb: number;
  lowFreeKb: number;
  lowUsedKb: number;
  highTotalKb: number;
  highFreeKb: number;
  highUsedKb: number;
  /** CommitLimit and Committed_AS (overcommit accounting). */
  commitLimitKb: number;
  committedKb: number;
}

/** total - free, or 0 when free is the larger (libproc2's unsigned guard). */
const usedOf = (total: number, free: number): number => (free > total ? 0 : total - free);

/** The derived figures of a parsed /proc/meminfo. */
export function summarizeMeminfo(m: Meminfo): MemSummary {
  const f = (name: string): number => m.get(name) ?? 0;
  const totalKb = f('MemTotal');
  const freeKb = f('MemFree');
  const reported = f('MemAvailable');
  const availableKb = reported === 0 || reported > totalKb ? freeKb : reported;
  const hasLow = f('LowTotal') !== 0;
  const lowTotalKb = hasLow ? f('LowTotal') : totalKb;
  const lowFreeKb = hasLow ? f('LowFree') : freeKb;
  return {
    totalKb,
    freeKb,
    availableKb,
    usedKb: totalKb - availableKb,
    sharedKb: f('Shmem'),
    buffersKb: f('Buffers'),
    cacheKb: f('Cached') + f('SReclaimable'),
    activeKb: f('Active'),
    inactiveKb: f('Inactive'),
    swapTotalKb: f('SwapTotal'),
    swapFreeKb: f('SwapFree'),
    swapUsedKb: usedOf(f('SwapTotal'), f('SwapFree')),
    lowTotalKb,
    lowFreeKb,
    lowUsedKb: usedOf(lowTotalKb, lowFreeKb),
    highTotalKb: f('HighTotal'),
    highFreeKb: f('HighFree'),
    highUsedKb: usedOf(f('HighTotal'), f('HighFree')),
    commitLimitKb: f('CommitLimit'),
    committedKb: f('Committed_AS'),
  };
}
