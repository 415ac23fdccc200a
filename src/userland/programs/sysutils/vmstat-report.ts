/**
 * The reports of vmstat(8) from procps-ng 4.0.2, from /proc/stat, /proc/vmstat and
 * /proc/meminfo (proc(5)): the VM table, `-s` (event counters) and `-f` (forks).
 *
 *     procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
 *      r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
 *      1  0      0 3852944  21132 1484316    0    0    12     3   45   80  1  1 98  0  0
 *
 * A line from one reading gives averages since boot; a line from two readings DELAY
 * seconds apart gives rates over that interval. Behaviour pinned down on the real tool
 * (test/userland/programs/sysutils/fixtures):
 *  - CPU: us = user + nice - guest - guest_nice (0 if negative), sy = system + irq +
 *    softirq, id, wa, st (steal) and, with -w, gu = guest + guest_nice; each is 100 ×
 *    ticks / total ticks rounded half up, the total being the sum of the first eight
 *    fields (1 idle tick when it is 0). The procs columns are procs_running and
 *    procs_blocked as read.
 *  - Since boot, a counter is per second of CPU time of all CPUs together:
 *    (count × USER_HZ + total/2) / total ticks; over an interval, (delta + DELAY/2) /
 *    DELAY. si/so are pages swapped × 4 KiB in the -S unit; bi/bo are pgpgin/pgpgout
 *    (KiB); in is the first number of "intr"; cs is "ctxt". Rates are C `unsigned`.
 *  - Memory columns and -s's memory lines go through a single-precision float in the
 *    -S unit: KiB × 1024 / unit, truncated (so 44029078 KiB prints as 44029080).
 */
import { summarizeMeminfo, type Meminfo } from './meminfo.js';

/** USER_HZ: the unit of /proc/stat's CPU times. */
export const USER_HZ = 100;
/** KiB per page (x86-64 4 KiB pages): pswpin/pswpout count pages. */
const KB_PER_PAGE = 4;

/** The counters vmstat takes from /proc/stat and /proc/vmstat at one moment. */
export interface VmCounters {
  /** /proc/stat "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice (USER_HZ ticks). */
  ticks: number[];
  /** First number of "intr": interrupts since boot. */
  intr: number;
  /** "ctxt": context switches since boot. */
  ctxt: number;
  /** "btime": boot time, seconds since the epoch. */
  btime: number;
  /** "processes": forks since boot. */
  processes: number;
  procsRunning: number;
  procsBlocked: number;
  /** /proc/vmstat: KiB paged in and out, pages swapped in and out. */
  pgpgin: number;
  pgpgout: number;
  pswpin: number;
  pswpout: number;
}

/** The leading numbers of a "name v1 v2 …" line of /proc/stat. */
function statLine(text: string, name: string): number[] {
  const m = new RegExp(`^${name} +([\\d ]*)`, 'm').exec(text);
  return m ? m[1].trim().split(/ +/).filter((x) => x !== '').map(Number) : [];
}

/**
 * Reads /proc/stat and /proc/vmstat; null if /proc/stat has no "cpu" line of at least
 * eight numbers (libproc2 then gives up on it: "Unable to create system stat structure").
 */
export function parseVmCounters(statText: string, vmstatText: string): VmCounters | null {
  const cpu = statLine(statText, 'cpu');
  if (cpu.length < 8) return null;
  const one = (name: string): number => statLine(statText, name)[0] ?? 0;
  const vm = new Map<string, number>();
  for (const line of vmstatText.split('\n')) {
    const [k, v] = line.split(' ');
    if (v !== undefined) vm.set(k, Number(/^\d*/.exec(v)![0] || 0));
  }
  return {
    ticks: Array.from({ length: 10 }, (_, i) => cpu[i] ?? 0),
    intr: one('intr'),
    ctxt: one('ctxt'),
    btime: one('btime'),
    processes: one('processes'),
    procsRunning: one('procs_running'),
    procsBlocked: one('procs_blocked'),
    pgpgin: vm.get('pgpgin') ?? 0,
    pgpgout: vm.get('pgpgout') ?? 0,
    pswpin: vm.get('pswpin') ?? 0,
    pswpout: vm.get('pswpout') ?? 0,
  };
}

/** The -S unit: its letter (printed by -s) and its size in bytes. */
export interface VmUnit {
  letter: 'k' | 'K' | 'm' | 'M';
  bytes: number;
}

export const UNIT_KIB: VmUnit = { letter: 'K', bytes: 1024 };

/** -S's argument (its first character counts): the unit, or null. */
export function parseUnit(arg: string): VmUnit | null {
  const sizes: Record<string, number> = { k: 1000, K: 1024, m: 1_000_000, M: 1_048_576 };
  const letter = arg[0];
  return letter !== undefined && letter in sizes ? { letter: letter as VmUnit['letter'], bytes: sizes[letter] } : null;
}

/** KiB in the -S unit, through a C float as vmstat computes it, truncated. */
export function unitConvert(kb: number, unit: VmUnit): number {
  return Math.trunc(Math.fround(Math.fround(Math.fround(kb) / unit.bytes) * 1024));
}

/** How the VM table is laid out. */
export interface VmLayout {
  /** -a: inact and active instead of buff and cache. */
  active: boolean;
  /** -w: wider columns and the gu column. */
  wide: boolean;
  /** -t: a timestamp column; the header names the time zone. */
  timestamp: boolean;
  unit: VmUnit;
}

/** The two header lines, each ending in a newline. */
export function vmHeader(l: VmLayout, tzName: string): string {
  let top = l.wide
    ? '--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------'
    : 'procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----';
  let names = l.wide
    ? `   r    b         swpd         free ${l.active ? '       inact       active' : '        buff        cache'}   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu`
    : ` r  b   swpd   free ${l.active ? ' inact active' : '  buff  cache'}   si   so    bi    bo   in   cs us sy id wa st`;
  if (l.timestamp) {
    top += ' -----timestamp-----';
    names += ' ' + tzName.padStart(19);
  }
  return `${top}\n${names}\n`;
}

const U32 = 2n ** 32n;
const U64 = 2n ** 64n;

/** C's `(unsigned)` of a non-negative integer. */
const toUnsigned = (n: bigint): number => Number(((n % U32) + U32) % U32);

/** The CPU columns' tick counts: us, sy, id, wa, st, gu. */
function cpuShares(t: number[]): number[] {
  const [user, nice, system, idle, iowait, irq, softirq, steal, guest, guestNice] = t;
  return [Math.max(0, user + nice - guest - guestNice), system + irq + softirq, idle, iowait, steal, guest + guestNice];
}

/** One line of the VM table (no newline); `prev` null gives averages since boot. */
export function vmLine(cur: VmCounters, prev: VmCounters | null, delaySec: number, mem: Meminfo, l: VmLayout): string {
  const m = summarizeMeminfo(mem);
  const conv = (kb: number): number => unitConvert(kb, l.unit);
  // A tick count that went back (iowait can) counts as no time.
  const ticks = prev ? cur.ticks.map((x, i) => Math.max(0, x - prev.ticks[i])) : cur.ticks;
  const shares = cpuShares(ticks);
  let total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  if (total === 0) {
    total = 1;
    shares[2] = 1;
  }
  const half = BigInt(Math.floor(total / 2));
  const pct = (x: number): number => toUnsigned((100n * BigInt(x) + half) / BigInt(total));
  // Since boot: per second of all CPUs' time; over an interval: per second of DELAY.
  const rate = prev
    ? (d: number): number => {
        const delta = ((BigInt(d) % U64) + U64) % U64;
        return toUnsigned((delta + BigInt(Math.floor(delaySec / 2))) / BigInt(delaySec));
      }
    : (n: number): number => toUnsigned((BigInt(n) * BigInt(USER_HZ) + half) / BigInt(total));
  const diff = (k: 'pgpgin' | 'pgpgout' | 'pswpin' | 'pswpout' | 'intr' | 'ctxt'): number => (prev ? cur[k] - prev[k] : cur[k]);
  // Pages × 4 KiB as a C unsigned long: a count that went back wraps around.
  const swapped = (pages: number): number => conv(Number((((BigInt(pages) * BigInt(KB_PER_PAGE)) % U64) + U64) % U64));
  const cols = [
    cur.procsRunning,
    cur.procsBlocked,
    conv(m.swapUsedKb),
    conv(m.freeKb),
    conv(l.active ? m.inactiveKb : m.buffersKb),
    conv(l.active ? m.activeKb : m.cacheKb),
    rate(swapped(diff('pswpin'))),
    rate(swapped(diff('pswpout'))),
    rate(diff('pgpgin')),
    rate(diff('pgpgout')),
    rate(diff('intr')),
    rate(diff('ctxt')),
    ...shares.slice(0, l.wide ? 6 : 5).map(pct),
  ];
  const widths = l.wide ? [4, 4, 12, 12, 12, 12, 4, 4, 5, 5, 4, 4, 3, 3, 3, 3, 3, 3] : [2, 2, 6, 6, 6, 6, 4, 4, 5, 5, 4, 4, 2, 2, 2, 2, 2];
  return cols.map((v, i) => String(v).padStart(widths[i])).join(' ');
}

/** vmstat -s: the event counters and memory figures, one per line. */
export function vmStats(c: VmCounters, mem: Meminfo, unit: VmUnit): string {
  const m = summarizeMeminfo(mem);
  const n = (v: number): string => String(v).padStart(13);
  const mb = (kb: number, what: string): string => `${n(unitConvert(kb, unit))} ${unit.letter} ${what}\n`;
  const [user, nice, system, idle, iowait, irq, softirq, steal, guest, guestNice] = c.ticks;
  return (
    mb(m.totalKb, 'total memory') +
    mb(m.usedKb, 'used memory') +
    mb(m.activeKb, 'active memory') +
    mb(m.inactiveKb, 'inactive memory') +
    mb(m.freeKb, 'free memory') +
    mb(m.buffersKb, 'buffer memory') +
    mb(m.cacheKb, 'swap cache') +
    mb(m.swapTotalKb, 'total swap') +
    mb(m.swapUsedKb, 'used swap') +
    mb(m.swapFreeKb, 'free swap') +
    `${n(user)} non-nice user cpu ticks\n` +
    `${n(nice)} nice user cpu ticks\n` +
    `${n(system)} system cpu ticks\n` +
    `${n(idle)} idle cpu ticks\n` +
    `${n(iowait)} IO-wait cpu ticks\n` +
    `${n(irq)} IRQ cpu ticks\n` +
    `${n(softirq)} softirq cpu ticks\n` +
    `${n(steal)} stolen cpu ticks\n` +
    `${n(guest)} non-nice guest cpu ticks\n` +
    `${n(guestNice)} nice guest cpu ticks\n` +
    `${n(c.pgpgin)} K paged in\n` +
    `${n(c.pgpgout)} K paged out\n` +
    `${n(c.pswpin)} pages swapped in\n` +
    `${n(c.pswpout)} pages swapped out\n` +
    `${n(c.intr)} interrupts\n` +
    `${n(c.ctxt)} CPU context switches\n` +
    `${n(c.btime)} boot time\n` +
    `${n(c.processes)} forks\n`
  );
}

/** vmstat -f. */
export function vmForks(c: VmCounters): string {
  return `${String(c.processes).padStart(13)} forks\n`;
}
