/**
 * The interface files of a cgroup (cgroup-v2.rst "Interface Files", formats as in
 * ../shared/reference/CGROUP-V2-NOTES.md §2–7): which exist where, what reading one
 * prints and what writing one does, with the kernel's errno for bad values.
 *
 *   core      cgroup.{controllers,events,freeze,kill,max.depth,max.descendants,procs,
 *             stat,subtree_control,threads,type}        (events/freeze/kill/type: not at the root)
 *   cpu       cpu.stat always; cpu.{idle,max,max.burst,weight,weight.nice} when enabled
 *   memory    memory.{current,events,events.local,high,low,max,min,oom.group,peak,stat,
 *             swap.current,swap.max} when enabled (memory.stat at the root too)
 *   pids      pids.{current,events,events.local,max,peak} when enabled
 *
 * Simplification: the cpuset, io, hugetlb, rdma and misc controllers can be enabled
 * but have no files; threaded mode (writing "threaded" to cgroup.type) is refused
 * with EOPNOTSUPP; no pressure (PSI) files.
 */
import { err, SysError } from '../errno.js';
import type { Cgroup } from './cgroup.js';
import type { CgroupFs } from './cgroupfs.js';
import type { Kernel } from '../kernel.js';
import { writeKill, writeProcs, writeSubtreeControl } from './cgroupfs.js';
import { cgroupPathFrom } from './cgroup.js';
import { outOfMemory } from '../mm/oom.js';
import { niceToWeight } from '../sched/weights.js';
import { Piece } from '../cpu-loop.js';

export interface CgFileSpec {
  name: string;
  mode: number;
  read?: (fs: CgroupFs, cg: Cgroup) => string | SysError;
  write?: (fs: CgroupFs, cg: Cgroup, data: string) => number | SysError;
}

const PAGE = 4096;
const RO = 0o444;
const RW = 0o644;

/** "max" or a non-negative integer; null when it is neither. */
function parseMaxInt(text: string): number | null {
  const s = text.trim();
  if (s === 'max') return Infinity;
  return /^\d+$/.test(s) ? Number(s) : null;
}

/** Bytes for memory.* writes: "max" or a number with an optional K, M, G or T suffix. */
function parseBytes(text: string): number | null {
  const s = text.trim();
  if (s === 'max') return Infinity;
  const m = /^(\d+)([KMGT]?)$/i.exec(s);
  if (!m) return null;
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return Number(m[1]) * mult[m[2].toLowerCase()];
}

/** A space-separated list; an empty one reads as an empty file. */
const list = (items: string[]): string => (items.length === 0 ? '' : `${items.join(' ')}\n`);
const showMax = (n: number): string => (n === Infinity ? 'max' : String(n));
const showPages = (pages: number): string => (pages === Infinity ? 'max' : String(pages * PAGE));

/** A file whose value is one number or "max" (PAGE-rounded bytes when `pages`). */
function limitFile(name: string, get: (cg: Cgroup) => number, set: (fs: CgroupFs, cg: Cgroup, v: number) => SysError | undefined, bytes = false): CgFileSpec {
  return {
    name,
    mode: RW,
    read: (_fs, cg) => `${bytes ? showPages(get(cg)) : showMax(get(cg))}\n`,
    write: (fs, cg, d) => {
      const v = bytes ? parseBytes(d) : parseMaxInt(d);
      if (v === null) return err('EINVAL', `"${d.trim()}" is not "max" or a number`);
      const r = set(fs, cg, bytes ? (v === Infinity ? Infinity : Math.floor(v / PAGE)) : v);
      return r ?? d.length;
    },
  };
}

/** The PIDs of a group's live processes as the reader's PID namespace numbers them (hidden ones left out). */
function procsOf(fs: CgroupFs, cg: Cgroup): string {
  const ns = fs.current?.pidNs ?? fs.kernel.initPidNs;
  return cg.liveTasks().map((t) => t.pidIn(ns)).filter((p) => p > 0).map((p) => `${p}\n`).join('');
}

/** memory.max written below usage: reclaim, then OOM-kill inside the group until it fits (CGROUP-V2-NOTES.md §6). */
function shrinkTo(fs: CgroupFs, cg: Cgroup): void {
  const m = cg.mem;
  for (let tries = 0; m.pages > m.maxPages && tries < 1000; tries++) {
    if (fs.kernel.mem.evictOne(m)) continue;
    m.event('oom');
    if (!outOfMemory(fs.kernel, m)) break;
  }
}

/** cpu.weight.nice's value for a weight: the nice level whose weight is closest. */
function niceOf(weight: number): number {
  let best = 0;
  let bestDiff = Infinity;
  for (let n = -20; n <= 19; n++) {
    const w = Math.round((niceToWeight(n) * 100) / 1024);
    const d = Math.abs(w - weight);
    if (d < bestDiff) {
      bestDiff = d;
      best = n;
    }
  }
  return best;
}

const CORE: CgFileSpec[] = [
  { name: 'cgroup.controllers', mode: RO, read: (_fs, cg) => list([...cg.controllers()].sort((a, b) => order(a) - order(b))) },
  { name: 'cgroup.events', mode: RO, read: (fs, cg) => `populated ${cg.populated() ? 1 : 0}\nfrozen ${cg.frozen || cg.chain().some((c) => c.frozen) ? 1 : 0}\n` },
  {
    name: 'cgroup.freeze',
    mode: RW,
    read: (_fs, cg) => `${cg.frozen ? 1 : 0}\n`,
    write: (fs, cg, d) => {
      const s = d.trim();
      if (!/^-?\d+$/.test(s)) return err('EINVAL', `cgroup.freeze of ${cg.path} takes 0 or 1, got "${s}"`);
      const v = Number(s);
      if (v < 0 || v > 1) return err('ERANGE', 'write 0 or 1');
      fs.kernel.cpuControl.setFrozen(cg, v === 1);
      return d.length;
    },
  },
  { name: 'cgroup.kill', mode: 0o200, write: (fs, cg, d) => writeKill(cg, d, fs.kernel) },
  limitFile('cgroup.max.depth', (cg) => cg.maxDepth, (_fs, cg, v) => void (cg.maxDepth = v)),
  limitFile('cgroup.max.descendants', (cg) => cg.maxDescendants, (_fs, cg, v) => void (cg.maxDescendants = v)),
  { name: 'cgroup.procs', mode: RW, read: procsOf, write: (fs, cg, d) => writeProcs(fs, cg, d) },
  { name: 'cgroup.stat', mode: RO, read: (_fs, cg) => `nr_descendants ${cg.subtree().length - 1}\nnr_dying_descendants 0\n` },
  { name: 'cgroup.subtree_control', mode: RW, read: (_fs, cg) => list([...cg.subtreeControl].sort((a, b) => order(a) - order(b))), write: (_fs, cg, d) => writeSubtreeControl(cg, d) },
  { name: 'cgroup.threads', mode: RW, read: procsOf, write: (fs, cg, d) => writeProcs(fs, cg, d) },
  {
    name: 'cgroup.type',
    mode: RW,
    read: () => 'domain\n',
    write: (_fs, _cg, d) => (d.trim() === 'threaded' ? err('EOPNOTSUPP', 'ctsim does not model threaded cgroups') : err('EINVAL', 'only "threaded" may be written')),
  },
];
const NOT_AT_ROOT = new Set(['cgroup.events', 'cgroup.freeze', 'cgroup.kill', 'cgroup.type']);

function order(c: string): number {
  return ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'].indexOf(c);
}

/** A group's cpu.stat figures in µs, counting the pieces still in progress on the CPUs (accounting is otherwise done when a piece ends). */
export function cpuStatOf(k: Kernel, cg: Cgroup): { usageUsec: number; userUsec: number; systemUsec: number; nrPeriods: number; nrThrottled: number; throttledUsec: number } {
  const s = cg.cpu;
  const us = (ns: number): number => Math.floor(ns / 1000);
  let openUser = 0;
  let openSystem = 0;
  for (const pc of k.percpu) {
    if (!pc.current || !pc.current.cgroup.isWithin(cg)) continue;
    const open = Math.max(0, k.now - pc.pieceStart);
    if (pc.piece === Piece.User) openUser += open;
    else if (pc.piece === Piece.Kernel) openSystem += open;
  }
  const throttledNs = s.throttledNs + (s.throttled ? k.now - s.throttledSince : 0);
  return {
    usageUsec: us(s.usageNs + openUser + openSystem),
    userUsec: us(s.userNs + openUser),
    systemUsec: us(s.systemNs + openSystem),
    nrPeriods: s.nrPeriods,
    nrThrottled: s.nrThrottled,
    throttledUsec: us(throttledNs),
  };
}

const CPU_STAT: CgFileSpec = {
  name: 'cpu.stat',
  mode: RO,
  read: (fs, cg) => {
    const st = cpuStatOf(fs.kernel, cg);
    let out = `usage_usec ${st.usageUsec}\nuser_usec ${st.userUsec}\nsystem_usec ${st.systemUsec}\n`;
    if (cg.has('cpu')) out += `nr_periods ${st.nrPeriods}\nnr_throttled ${st.nrThrottled}\nthrottled_usec ${st.throttledUsec}\nnr_bursts 0\nburst_usec 0\n`;
    return out;
  },
};

const CPU: CgFileSpec[] = [
  {
    name: 'cpu.idle',
    mode: RW,
    read: () => '0\n',
    write: (_fs, _cg, d) => (d.trim() === '0' ? d.length : d.trim() === '1' ? err('EOPNOTSUPP', 'SCHED_IDLE groups are not modelled') : err('EINVAL', `cpu.idle takes 0 or 1, got "${d.trim()}"`)),
  },
  {
    name: 'cpu.max',
    mode: RW,
    read: (_fs, cg) => `${showMax(cg.cpu.quotaUs)} ${cg.cpu.periodUs}\n`,
    write: (fs, cg, d) => {
      const f = d.trim().split(/\s+/);
      if (f.length < 1 || f.length > 2) return err('EINVAL', `cpu.max of ${cg.path} takes "$MAX $PERIOD", got ${f.length} fields`);
      const quota = parseMaxInt(f[0]);
      const period = f.length === 2 ? parseMaxInt(f[1]) : cg.cpu.periodUs;
      if (quota === null || period === null || period === Infinity) return err('EINVAL', 'write "$MAX $PERIOD" with MAX "max" or µs');
      if (period < 1000 || period > 1_000_000 || (quota !== Infinity && quota < 1000)) return err('EINVAL', 'the period must be 1000..1000000 µs and the quota at least 1000 µs');
      cg.cpu.quotaUs = quota;
      cg.cpu.periodUs = period;
      fs.kernel.cpuControl.quotaChanged(cg);
      return d.length;
    },
  },
  limitFile('cpu.max.burst', (cg) => cg.cpu.burstUs, (_fs, cg, v) => (v === Infinity ? err('EINVAL', `cpu.max.burst of ${cg.path} takes a number of µs, not "max"`) : void (cg.cpu.burstUs = v))),
  {
    name: 'cpu.weight',
    mode: RW,
    read: (_fs, cg) => `${cg.cpu.weight}\n`,
    write: (fs, cg, d) => {
      const s = d.trim();
      if (!/^\d+$/.test(s)) return err('EINVAL', `cpu.weight takes a whole number 1..10000, got "${s}"`);
      const v = Number(s);
      if (v < 1 || v > 10000) return err('ERANGE', 'cpu.weight is 1..10000');
      cg.cpu.weight = v;
      fs.kernel.cpuControl.changed();
      return d.length;
    },
  },
  {
    name: 'cpu.weight.nice',
    mode: RW,
    read: (_fs, cg) => `${niceOf(cg.cpu.weight)}\n`,
    write: (fs, cg, d) => {
      const s = d.trim();
      if (!/^-?\d+$/.test(s)) return err('EINVAL', `cpu.weight.nice takes a whole number -20..19, got "${s}"`);
      const n = Number(s);
      if (n < -20 || n > 19) return err('ERANGE', 'cpu.weight.nice is -20..19');
      cg.cpu.weight = Math.max(1, Math.round((niceToWeight(n) * 100) / 1024));
      fs.kernel.cpuControl.changed();
      return d.length;
    },
  },
];

const MEM_STAT: CgFileSpec = {
  name: 'memory.stat',
  mode: RO,
  read: (_fs, cg) => {
    const m = cg.mem;
    const rows: [string, number][] = [
      ['anon', m.anonPages * PAGE],
      ['file', m.filePages * PAGE],
      ['kernel', m.kernelPages * PAGE],
      ['kernel_stack', 0],
      ['pagetables', m.kernelPages * PAGE],
      ['sec_pagetables', 0],
      ['percpu', 0],
      ['sock', 0],
      ['vmalloc', 0],
      ['shmem', 0],
      ['file_mapped', m.filePages * PAGE],
      ['file_dirty', 0],
      ['file_writeback', 0],
      ['swapcached', 0],
      ['inactive_anon', m.anonPages * PAGE],
      ['active_anon', 0],
      ['inactive_file', m.filePages * PAGE],
      ['active_file', 0],
      ['unevictable', 0],
      ['slab_reclaimable', 0],
      ['slab_unreclaimable', 0],
      ['slab', 0],
      ['pgfault', m.pgfault],
      ['pgmajfault', m.pgmajfault],
    ];
    return rows.map(([k, v]) => `${k} ${v}\n`).join('');
  },
};

const events = (name: string, get: (cg: Cgroup) => Record<string, number>): CgFileSpec => ({
  name,
  mode: RO,
  read: (_fs, cg) =>
    Object.entries(get(cg))
      .map(([k, v]) => `${k} ${v}\n`)
      .join(''),
});

const MEMORY: CgFileSpec[] = [
  { name: 'memory.current', mode: RO, read: (_fs, cg) => `${cg.mem.pages * PAGE}\n` },
  events('memory.events', (cg) => ({ ...cg.mem.events })),
  events('memory.events.local', (cg) => ({ ...cg.mem.eventsLocal })),
  limitFile('memory.high', (cg) => cg.mem.highPages, (fs, cg, v) => void (cg.mem.highPages = v), true),
  limitFile('memory.low', (cg) => cg.mem.lowPages, (_fs, cg, v) => void (cg.mem.lowPages = v === Infinity ? Infinity : v), true),
  limitFile(
    'memory.max',
    (cg) => cg.mem.maxPages,
    (fs, cg, v) => {
      cg.mem.maxPages = v;
      shrinkTo(fs, cg);
      return undefined;
    },
    true,
  ),
  limitFile('memory.min', (cg) => cg.mem.minPages, (_fs, cg, v) => void (cg.mem.minPages = v), true),
  {
    name: 'memory.oom.group',
    mode: RW,
    read: (_fs, cg) => `${cg.mem.oomGroup ? 1 : 0}\n`,
    write: (_fs, cg, d) => {
      const s = d.trim();
      if (s !== '0' && s !== '1') return err('EINVAL', `memory.oom.group takes 0 or 1, got "${s}"`);
      cg.mem.oomGroup = s === '1';
      return d.length;
    },
  },
  { name: 'memory.peak', mode: RO, read: (_fs, cg) => `${cg.mem.peakPages * PAGE}\n` },
  MEM_STAT,
  { name: 'memory.swap.current', mode: RO, read: (_fs, cg) => `${cg.mem.swapPages * PAGE}\n` },
  limitFile('memory.swap.max', (cg) => cg.mem.swapMaxPages, (_fs, cg, v) => void (cg.mem.swapMaxPages = v), true),
];

const PIDS: CgFileSpec[] = [
  { name: 'pids.current', mode: RO, read: (_fs, cg) => `${cg.pidsCurrent}\n` },
  events('pids.events', (cg) => ({ max: cg.pidsEventsMax })),
  events('pids.events.local', (cg) => ({ max: cg.pidsEventsMaxLocal })),
  limitFile('pids.max', (cg) => cg.pidsMax, (_fs, cg, v) => void (cg.pidsMax = v)),
  { name: 'pids.peak', mode: RO, read: (_fs, cg) => `${cg.pidsPeak}\n` },
];

/** The files of `cg`, sorted by name as readdir returns them. */
export function cgroupFiles(cg: Cgroup): CgFileSpec[] {
  const root = cg.parent === null;
  const out = CORE.filter((f) => !root || !NOT_AT_ROOT.has(f.name));
  out.push(CPU_STAT);
  if (cg.has('cpu')) out.push(...CPU);
  if (cg.has('memory')) out.push(...MEMORY);
  else if (root) out.push(MEM_STAT);
  if (cg.has('pids')) out.push(...PIDS);
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every interface file name a group can have. */
export function allCgroupFileNames(): string[] {
  return [...CORE, CPU_STAT, ...CPU, ...MEMORY, ...PIDS].map((f) => f.name);
}

/** /proc/PID/cgroup: "0::PATH" relative to the reader's cgroup namespace, " (deleted)" once removed (CG-06). */
export function renderProcCgroup(readerRoot: Cgroup, cg: Cgroup): string {
  return `0::${cgroupPathFrom(readerRoot, cg)}${cg.alive ? '' : ' (deleted)'}\n`;
}
