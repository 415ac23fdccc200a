/**
 * top(1)'s screen (procps-ng 4.0.2), from two samples of a kernel's state taken some
 * simulated time apart: the summary (uptime and load average, tasks by state, CPU
 * time by kind over the interval, memory and swap in MiB) and the task list with
 * each task's share of a CPU over the interval — plus what ctsim adds: whether the
 * task is held back by its cgroup (cpu.max throttling, cgroup.freeze) and which
 * cgroup it is in.
 *
 *   top - 00:00:03 up 0 min,  0 user,  load average: 0.00, 0.00, 0.00
 *   Tasks:   4 total,   2 running,   2 sleeping,   0 stopped,   0 zombie
 *   %Cpu(s): 99.9 us,  0.1 sy,  0.0 ni,  0.0 id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st
 *   MiB Mem :   4096.0 total,   4080.2 free,     11.8 used,      4.0 buff/cache
 *   MiB Swap:      0.0 total,      0.0 free,      0.0 used.   4084.2 avail Mem
 *
 *     PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND         THR CGROUP
 *       7 root      20   0    2300    100     96 R 100.0   0.0   0:02.00 stress          -   /
 *
 * Formats are procps's (its batch output, `top -b`): the columns up to COMMAND are
 * byte for byte those of top; THR and CGROUP follow COMMAND (padded to 15, the
 * longest comm) so that top's own columns keep their places.
 *
 * `sampleTop` reads kernel state without changing it (it reads what /proc would
 * show); `renderTop` is text from two samples only.
 *
 * Simplification: USER is "root" for UID 0 and the number otherwise (ctsim's top
 * does not read the simulated /etc/passwd); there are no kernel threads, so no "I"
 * (idle) state; hi and si are 0 (interrupts are not modelled); the nice column of
 * %Cpu is 0 (nice time is counted as user time).
 */
import type { Kernel } from '../../kernel/kernel.js';
import { SchedPolicy, TaskState, type Task } from '../../kernel/proc/task.js';
import { shownState } from '../../kernel/proc/proc-render.js';
import { taskTimes } from '../../kernel/cpu-loop.js';
import { cpuTimesOf, type CpuTimes } from '../../kernel/fs/procfs/procfs.js';
import { renderMeminfo } from '../../kernel/mm/mm-render.js';
import { formatLoad, loadAverages } from '../../kernel/sched/loadavg.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { USER_HZ } from '../../kernel/syscalls/sys-info.js';

const NS_PER_TICK = 1e9 / USER_HZ;
import { uptimeLine } from '../../userland/programs/sysutils/uptime.js';

/** One task as top sees it at one moment. */
export interface TopTask {
  /** PID in the initial PID namespace. */
  pid: number;
  uid: number;
  /** PR: 20 + nice, or -1 - rt_priority for a real-time task ("rt" at 99). */
  pr: string;
  ni: number;
  virtKb: number;
  resKb: number;
  shrKb: number;
  state: string;
  /** utime + stime so far, in ns but counted in whole clock ticks (USER_HZ, 10 ms) as /proc/PID/stat gives them to top. */
  cpuNs: number;
  comm: string;
  cgroup: string;
  /** 'thr' when a cgroup's cpu.max holds it back now, 'frz' when a frozen cgroup does, '-' otherwise. */
  held: 'thr' | 'frz' | '-';
}

/** What top reads at one moment. */
export interface TopSample {
  /** Simulated time of the sample (engine ns). */
  atNs: number;
  uptimeNs: number;
  realtimeNs: number;
  loads: [string, string, string];
  ncpus: number;
  /** All CPUs' times added up, ns. */
  cpu: CpuTimes;
  mem: { totalKb: number; freeKb: number; buffCacheKb: number; availKb: number; swapTotalKb: number; swapFreeKb: number };
  tasks: TopTask[];
}

function held(t: Task): TopTask['held'] {
  let h: TopTask['held'] = '-';
  for (let c = t.cgroup as Task['cgroup'] | null; c !== null; c = c.parent) {
    if (c.frozen) h = 'frz';
    else if (c.cpu.throttled && h === '-') h = 'thr';
  }
  return h;
}

function prOf(t: Task): string {
  if (t.policy === SchedPolicy.Fifo || t.policy === SchedPolicy.RR) return t.rtPriority === 99 ? 'rt' : String(-1 - t.rtPriority);
  return String(20 + t.nice);
}

/** Takes a sample of `k` (as top reads /proc/stat, /proc/meminfo, /proc/loadavg and each /proc/PID). */
export function sampleTop(k: Kernel): TopSample {
  const kb = PAGE_SIZE / 1024;
  const cpu: CpuTimes = { user: 0, system: 0, idle: 0, iowait: 0, steal: 0, guest: 0 };
  for (let i = 0; i < k.percpu.length; i++) {
    const c = cpuTimesOf(k, i);
    for (const key of Object.keys(cpu) as (keyof CpuTimes)[]) cpu[key] += c[key];
  }
  const info = new Map<string, number>();
  for (const line of renderMeminfo(k).split('\n')) {
    const m = /^([^:]+):\s+(\d+)/.exec(line);
    if (m) info.set(m[1], Number(m[2]));
  }
  const get = (name: string): number => info.get(name) ?? 0;
  const tasks: TopTask[] = [...k.tasks.values()]
    .filter((t) => t.state !== TaskState.Dead)
    .sort((a, b) => a.tid - b.tid)
    .map((t) => {
      const mm = t.mm && !t.mm.dead ? t.mm : null;
      const times = taskTimes(k, t);
      return {
        pid: t.tid,
        uid: t.creds.euid,
        pr: prOf(t),
        ni: t.nice,
        virtKb: mm ? mm.totalVm() * kb : 0,
        resKb: mm ? mm.rss * kb : 0,
        shrKb: mm ? mm.rssFile * kb : 0,
        state: shownState(k, t),
        cpuNs: (Math.floor(times.utimeNs / NS_PER_TICK) + Math.floor(times.stimeNs / NS_PER_TICK)) * NS_PER_TICK,
        comm: t.comm,
        cgroup: t.cgroup.path,
        held: held(t),
      };
    });
  const l = loadAverages(k);
  return {
    atNs: k.now,
    uptimeNs: k.uptimeNs,
    realtimeNs: k.realtimeNs,
    loads: [formatLoad(l[0]), formatLoad(l[1]), formatLoad(l[2])],
    ncpus: k.percpu.length,
    cpu,
    mem: {
      totalKb: get('MemTotal'),
      freeKb: get('MemFree'),
      buffCacheKb: get('Buffers') + get('Cached') + get('SReclaimable'),
      availKb: get('MemAvailable'),
      swapTotalKb: get('SwapTotal'),
      swapFreeKb: get('SwapFree'),
    },
    tasks,
  };
}

/** The fields `-o` can sort by (top's names). */
export const TOP_SORT_FIELDS = ['%CPU', '%MEM', 'PID', 'TIME+', 'RES', 'VIRT', 'COMMAND'] as const;
export type TopSortField = (typeof TOP_SORT_FIELDS)[number];

export interface TopOptions {
  sort?: TopSortField;
  /** Cut lines to this many columns (a terminal's width); no cut when absent (batch mode). */
  columns?: number;
  /** Show at most this many lines in all (a terminal's height); all tasks when absent. */
  rows?: number;
}

/** One row of the task list, with the numbers it is sorted by. */
interface Row {
  t: TopTask;
  cpuPct: number;
  memPct: number;
}

const f1 = (x: number, w: number): string => x.toFixed(1).padStart(w);

/** TIME+: minutes:seconds.hundredths of CPU time. */
export function timePlus(ns: number): string {
  const cs = Math.floor(ns / 1e7);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${Math.floor(cs / 6000)}:${two(Math.floor(cs / 100) % 60)}.${two(cs % 100)}`;
}

/** A memory figure in KiB in `width` columns, scaled to m or g (as top does) when it does not fit. */
function memCol(kb: number, width: number): string {
  let s = String(kb);
  if (s.length > width) s = `${(kb / 1024).toFixed(1)}m`;
  if (s.length > width) s = `${(kb / 1024 / 1024).toFixed(1)}g`;
  return s.padStart(width);
}

const HEADER = '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND         THR CGROUP';

/**
 * The screen for the interval from `prev` to `cur` (without `prev`, shares are taken
 * over the whole time since boot). Lines carry no terminal control codes.
 */
export function renderTop(prev: TopSample | null, cur: TopSample, opts: TopOptions = {}): string[] {
  const up = Math.floor(cur.uptimeNs / 1e9);
  const lines: string[] = [];
  lines.push('top - ' + uptimeLine(Math.floor(cur.realtimeNs / 1e9), up, cur.loads, 0).slice(1));
  const count = (pred: (s: string) => boolean): string => String(cur.tasks.filter((t) => pred(t.state)).length).padStart(4);
  lines.push(
    `Tasks:${String(cur.tasks.length).padStart(4)} total,${count((s) => s === 'R')} running,${count((s) => s === 'S' || s === 'D')} sleeping,${count((s) => s === 'T' || s === 't')} stopped,${count((s) => s === 'Z')} zombie`,
  );
  const d = (key: keyof CpuTimes): number => cur.cpu[key] - (prev?.cpu[key] ?? 0);
  const total = d('user') + d('system') + d('idle') + d('iowait') + d('steal');
  const pct = (x: number): string => f1(total > 0 ? (100 * x) / total : 0, 5);
  lines.push(`%Cpu(s):${pct(d('user'))} us,${pct(d('system'))} sy,${pct(0)} ni,${total > 0 ? pct(d('idle')) : f1(100, 5)} id,${pct(d('iowait'))} wa,${pct(0)} hi,${pct(0)} si,${pct(d('steal'))} st `);
  const m = cur.mem;
  const mib = (kb: number): string => f1(kb / 1024, 9);
  lines.push(`MiB Mem :${mib(m.totalKb)} total,${mib(m.freeKb)} free,${mib(Math.max(0, m.totalKb - m.freeKb - m.buffCacheKb))} used,${mib(m.buffCacheKb)} buff/cache     `);
  lines.push(`MiB Swap:${mib(m.swapTotalKb)} total,${mib(m.swapFreeKb)} free,${mib(m.swapTotalKb - m.swapFreeKb)} used.${mib(m.availKb)} avail Mem `);
  lines.push('');
  lines.push(HEADER);

  const elapsed = cur.atNs - (prev?.atNs ?? cur.atNs - cur.uptimeNs);
  const before = new Map(prev?.tasks.map((t) => [t.pid, t.cpuNs]) ?? []);
  const rows: Row[] = cur.tasks.map((t) => ({
    t,
    cpuPct: elapsed > 0 ? (100 * (t.cpuNs - (before.get(t.pid) ?? 0))) / elapsed : 0,
    memPct: m.totalKb > 0 ? (100 * t.resKb) / m.totalKb : 0,
  }));
  const key: Record<TopSortField, (r: Row) => number | string> = {
    '%CPU': (r) => r.cpuPct,
    '%MEM': (r) => r.memPct,
    PID: (r) => r.t.pid,
    'TIME+': (r) => r.t.cpuNs,
    RES: (r) => r.t.resKb,
    VIRT: (r) => r.t.virtKb,
    COMMAND: (r) => r.t.comm,
  };
  const by = key[opts.sort ?? '%CPU'];
  // Highest first, as top sorts; ties in PID order.
  rows.sort((a, b) => {
    const x = by(a);
    const y = by(b);
    if (x !== y) return typeof x === 'string' ? (x < (y as string) ? 1 : -1) : (y as number) - x;
    return a.t.pid - b.t.pid;
  });
  for (const { t, cpuPct, memPct } of rows) {
    const user = (t.uid === 0 ? 'root' : String(t.uid)).padEnd(8);
    lines.push(
      `${String(t.pid).padStart(5)} ${user} ${t.pr.padStart(3)} ${String(t.ni).padStart(3)} ${memCol(t.virtKb, 7)} ${memCol(t.resKb, 6)} ${memCol(t.shrKb, 6)} ${t.state} ${f1(cpuPct, 5)} ${f1(memPct, 5)} ${timePlus(t.cpuNs).padStart(9)} ${t.comm.padEnd(15)} ${t.held.padEnd(3)} ${t.cgroup}`,
    );
  }
  let out = lines;
  if (opts.rows !== undefined) out = out.slice(0, Math.max(1, opts.rows));
  if (opts.columns !== undefined) out = out.map((l) => l.slice(0, opts.columns));
  return out;
}
