/**
 * The cgroup v2 hierarchy of a kernel as a tree, as `systemd-cgls` draws it (each
 * group, then its processes), crossed with what the group's interface files say of
 * usage against limits for each controller enabled in it (cgroup-v2.rst):
 *
 *   memory   memory.current / memory.max (and memory.high when set), oom kills
 *   pids     pids.current / pids.max
 *   cpu      cpu.max, cpu.stat usage_usec, nr_throttled, throttled_usec, and
 *            whether the group is throttled at this moment
 *
 *   /sys/fs/cgroup  cpu usage 1.20s
 *   |-1 init
 *   `-web  memory 1.2M/64.0M  pids 2/20  cpu 50000/100000 usage 0.51s throttled 5x 0.25s
 *     |-7 stress
 *     `-8 stress
 *
 * `cgroupView` reads kernel state without changing it (the numbers are those the
 * files would show now); `renderCgroupTree` is text from that data only.
 */
import type { Kernel } from '../../kernel/kernel.js';
import type { Cgroup, Controller } from '../../kernel/cgroup/cgroup.js';
import { cpuStatOf } from '../../kernel/cgroup/cgroup-files.js';
import { PAGE_SIZE } from '../../hw/physical-memory.js';
import { drawTree, type TreeNode } from './tree-draw.js';

/** One group: its processes and, for each controller enabled in it, usage and limits (null limit: "max"). */
export interface CgroupView {
  /** The path below the hierarchy's root ("/" for the root). */
  path: string;
  name: string;
  /** Controllers active here (cgroup.controllers of the group; the root shows what it has files for). */
  controllers: Controller[];
  /** Live member processes (cgroup.procs): PID in the initial PID namespace and command. */
  processes: { pid: number; comm: string }[];
  /** Memory charged to the group and its descendants — what memory.current reads where the memory controller is enabled. */
  chargedBytes: number;
  memory: { currentBytes: number; maxBytes: number | null; highBytes: number | null; peakBytes: number; oomKills: number } | null;
  pids: { current: number; max: number | null } | null;
  /** cpu.stat is in every group; the limit and throttling only where the cpu controller is enabled. */
  cpu: {
    usageUsec: number;
    userUsec: number;
    systemUsec: number;
    limit: { quotaUs: number | null; periodUs: number; nrPeriods: number; nrThrottled: number; throttledUsec: number; throttledNow: boolean } | null;
  };
  children: CgroupView[];
}

const limit = (n: number): number | null => (n === Infinity ? null : n);

/** The group `cg` and its descendants (children by name, as cgroupfs lists them). */
export function cgroupView(k: Kernel, cg: Cgroup = k.cgroupRoot): CgroupView {
  const st = cpuStatOf(k, cg);
  const m = cg.mem;
  return {
    path: cg.path,
    name: cg.parent === null ? '/' : cg.name,
    controllers: cg.parent === null ? [] : [...cg.controllers()].filter((c) => cg.has(c)),
    processes: cg.liveTasks().map((t) => ({ pid: t.tid, comm: t.comm })),
    chargedBytes: m.pages * PAGE_SIZE,
    memory: cg.has('memory')
      ? {
          currentBytes: m.pages * PAGE_SIZE,
          maxBytes: m.maxPages === Infinity ? null : m.maxPages * PAGE_SIZE,
          highBytes: m.highPages === Infinity ? null : m.highPages * PAGE_SIZE,
          peakBytes: m.peakPages * PAGE_SIZE,
          oomKills: m.events.oom_kill,
        }
      : null,
    pids: cg.has('pids') ? { current: cg.pidsCurrent, max: limit(cg.pidsMax) } : null,
    cpu: {
      usageUsec: st.usageUsec,
      userUsec: st.userUsec,
      systemUsec: st.systemUsec,
      limit: cg.has('cpu')
        ? { quotaUs: limit(cg.cpu.quotaUs), periodUs: cg.cpu.periodUs, nrPeriods: st.nrPeriods, nrThrottled: st.nrThrottled, throttledUsec: st.throttledUsec, throttledNow: cg.cpu.throttled }
        : null,
    },
    children: [...cg.children.values()].filter((c) => c.alive).sort((a, b) => a.name.localeCompare(b.name)).map((c) => cgroupView(k, c)),
  };
}

/**
 * Bytes as systemd-cgtop and `numfmt --to=iec` print them: B below 1024, else one
 * decimal and K, M, G, T (powers of 1024).
 */
export function humanBytes(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)}${units[i]}`;
}

/** Microseconds as seconds with two decimals: `0.51s`. */
const secs = (usec: number): string => `${(usec / 1e6).toFixed(2)}s`;

/** What a group's line says after its name: usage against limits, controller by controller. */
export function cgroupUsage(v: CgroupView): string {
  const parts: string[] = [];
  if (v.memory) {
    const mm = v.memory;
    let s = `memory ${humanBytes(mm.currentBytes)}/${mm.maxBytes === null ? 'max' : humanBytes(mm.maxBytes)}`;
    if (mm.highBytes !== null) s += ` (high ${humanBytes(mm.highBytes)})`;
    if (mm.oomKills > 0) s += ` oom_kill ${mm.oomKills}`;
    parts.push(s);
  }
  if (v.pids) parts.push(`pids ${v.pids.current}/${v.pids.max ?? 'max'}`);
  const c = v.cpu;
  if (c.limit) {
    const l = c.limit;
    let s = `cpu ${l.quotaUs ?? 'max'}/${l.periodUs} usage ${secs(c.usageUsec)}`;
    if (l.nrThrottled > 0 || l.throttledNow) s += ` throttled ${l.nrThrottled}x ${secs(l.throttledUsec)}`;
    if (l.throttledNow) s += ' [throttled now]';
    parts.push(s);
  } else parts.push(`cpu usage ${secs(c.usageUsec)}`);
  return parts.join('  ');
}

function toNode(v: CgroupView, rootLabel: string): TreeNode {
  const name = v.path === '/' ? rootLabel : v.name;
  return {
    label: `${name}  ${cgroupUsage(v)}`,
    children: [...v.processes.map((p) => ({ label: `${p.pid} ${p.comm}`, children: [] })), ...v.children.map((c) => toNode(c, rootLabel))],
  };
}

/** The hierarchy as text: the root as /sys/fs/cgroup, each group by its name, its processes before its child groups. */
export function renderCgroupTree(v: CgroupView): string[] {
  return drawTree([toNode(v, v.path === '/' ? '/sys/fs/cgroup' : `/sys/fs/cgroup${v.path}`)]);
}
