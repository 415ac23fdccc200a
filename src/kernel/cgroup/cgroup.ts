/**
 * Control groups, version 2 (Documentation/admin-guide/cgroup-v2.rst): one
 * hierarchy of groups; every process is in exactly one (CG-03), children start in
 * their parent's, and paths are shown relative to the reader's cgroup namespace.
 *
 *   /  (root: every controller available, no limits)
 *   └── a   cgroup.controllers = /'s cgroup.subtree_control
 *       └── b   cpu.*, memory.*, pids.* exist here while a's subtree_control enables them
 *
 * The controllers' state lives here too; the scheduler (cpu-control.ts), the memory
 * manager (mm/memcg.ts) and fork (pids) enforce it.
 */
import type { Task } from '../proc/task.js';
import { MemCounter } from '../mm/memcg.js';

/** What the root offers, in the order cgroup.controllers lists them on a Debian 12 host. */
export const ROOT_CONTROLLERS = ['cpuset', 'cpu', 'io', 'memory', 'hugetlb', 'pids', 'rdma', 'misc'] as const;
export type Controller = (typeof ROOT_CONTROLLERS)[number];

/** cgroup.max.depth and cgroup.max.descendants without a limit. */
export const UNLIMITED = Infinity;

/** The CPU controller's state of one group (cpu.weight, cpu.max, cpu.stat). */
export class CpuState {
  /** cpu.weight, 1..10000. */
  weight = 100;
  /** cpu.max: quota in µs per period (Infinity: "max") and the period in µs. */
  quotaUs = Infinity;
  periodUs = 100_000;
  burstUs = 0;
  /** usage_usec, user_usec, system_usec in ns (this group and its descendants). */
  usageNs = 0;
  userNs = 0;
  systemNs = 0;
  /** Bandwidth: runtime left in this period (ns), whether throttled, and the statistics. */
  runtimeLeftNs = 0;
  throttled = false;
  throttledSince = 0;
  nrPeriods = 0;
  nrThrottled = 0;
  throttledNs = 0;
  /** The period in which it last had work, and whether it was throttled in the current one. */
  activePeriod = -1;
  throttledThisPeriod = false;
  /** The pending period refill, if any. */
  periodTimer: unknown = null;
  /** Tasks taken off the runqueue while the group is throttled, in the order they came. */
  readonly parked: Task[] = [];
}

export class Cgroup {
  readonly id: number;
  readonly name: string;
  readonly parent: Cgroup | null;
  readonly children = new Map<string, Cgroup>();
  /** Member processes (live and zombie; zombies are not listed in cgroup.procs). */
  readonly tasks = new Set<Task>();
  /** False once removed with rmdir (a zombie's path then reads "… (deleted)", CG-06). */
  alive = true;
  /** cgroup.subtree_control: controllers enabled for the children. */
  readonly subtreeControl = new Set<Controller>();
  /** cgroup.freeze. */
  frozen = false;
  maxDepth = UNLIMITED;
  maxDescendants = UNLIMITED;
  /** Owner and mode of the directory and its files (delegation by chown, CG-13), by file name ('' for the directory). */
  readonly attrs = new Map<string, { uid: number; gid: number; mode?: number }>();
  // pids controller.
  pidsMax = Infinity;
  /** Tasks in this group and its descendants (zombies count until reaped). */
  pidsCurrent = 0;
  pidsPeak = 0;
  pidsEventsMax = 0;
  pidsEventsMaxLocal = 0;
  // cpu controller.
  readonly cpu = new CpuState();
  // memory controller.
  readonly mem: MemCounter;

  /** `id` numbers the group's inodes in cgroupfs (the root is 1). */
  constructor(name: string, parent: Cgroup | null, id = 1) {
    this.id = id;
    this.name = name;
    this.parent = parent;
    this.mem = new MemCounter(parent ? parent.mem : null, this);
  }

  /** The path from the hierarchy root: `/` or `/a/b`. */
  get path(): string {
    if (!this.parent) return '/';
    const up = this.parent.path;
    return (up === '/' ? '' : up) + '/' + this.name;
  }

  /** This group's ancestors from the root down, then itself. */
  chain(): Cgroup[] {
    return this.parent ? [...this.parent.chain(), this] : [this];
  }

  get depth(): number {
    return this.parent ? this.parent.depth + 1 : 0;
  }

  /** cgroup.controllers: what the parent enables for its children (everything at the root). */
  controllers(): Set<Controller> {
    return this.parent ? this.parent.subtreeControl : new Set(ROOT_CONTROLLERS);
  }

  /** True when controller `c` is active in this group (its files exist here and its limits apply). */
  has(c: Controller): boolean {
    return this.parent !== null && this.parent.subtreeControl.has(c);
  }

  /** Live member processes (cgroup.procs omits zombies). */
  liveTasks(): Task[] {
    return [...this.tasks].filter((t) => !t.exiting).sort((a, b) => a.tid - b.tid);
  }

  /** This group and every descendant, parents first. */
  subtree(): Cgroup[] {
    const out: Cgroup[] = [this];
    for (const c of [...this.children.values()].sort((a, b) => a.name.localeCompare(b.name))) out.push(...c.subtree());
    return out;
  }

  /** True when this group or a descendant has a live process (cgroup.events populated). */
  populated(): boolean {
    return this.subtree().some((c) => c.liveTasks().length > 0);
  }

  /** True when `ancestor` is this group or one of its ancestors. */
  isWithin(ancestor: Cgroup): boolean {
    return this === ancestor || (this.parent !== null && this.parent.isWithin(ancestor));
  }
}

/**
 * The path of `cg` as seen from a cgroup namespace rooted at `root` (CGNS-01/02):
 * `/` for the root itself, relative below it, and with `/..` steps above it.
 */
export function cgroupPathFrom(root: Cgroup, cg: Cgroup): string {
  const a = root.chain();
  const b = cg.chain();
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  const ups = a.length - common;
  const downs = b.slice(common).map((c) => c.name);
  const parts = [...Array<string>(ups).fill('..'), ...downs];
  return '/' + parts.join('/');
}

/** Puts a new task into `cg` (fork): it and its ancestors count one more task. */
export function cgroupAttachNew(t: Task, cg: Cgroup): void {
  t.cgroup = cg;
  cg.tasks.add(t);
  for (const c of cg.chain()) {
    c.pidsCurrent++;
    if (c.pidsCurrent > c.pidsPeak) c.pidsPeak = c.pidsCurrent;
  }
}

/** Takes a reaped task out of its group. */
export function cgroupDetach(t: Task): void {
  const cg = t.cgroup;
  cg.tasks.delete(t);
  for (const c of cg.chain()) c.pidsCurrent--;
}

/** Moves a process to `to` (a write to cgroup.procs): pids move with it; charged memory stays where it is. */
export function cgroupMigrate(t: Task, to: Cgroup): void {
  const from = t.cgroup;
  if (from === to) return;
  from.tasks.delete(t);
  for (const c of from.chain()) c.pidsCurrent--;
  cgroupAttachNew(t, to);
}

/**
 * The pids controller's check at fork (pids_can_fork): a new task must not take any
 * group with pids active over its pids.max; the refusal is counted in pids.events.
 * Returns the group that refused, or null.
 */
export function pidsCanFork(cg: Cgroup): Cgroup | null {
  for (let c: Cgroup | null = cg; c !== null; c = c.parent) {
    if (c.has('pids') && c.pidsCurrent + 1 > c.pidsMax) {
      c.pidsEventsMaxLocal++;
      for (let a: Cgroup | null = c; a !== null; a = a.parent) a.pidsEventsMax++;
      return c;
    }
  }
  return null;
}
