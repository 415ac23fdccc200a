/**
 * Control groups, version 2 (Documentation/admin-guide/cgroup-v2.rst): one
 * hierarchy of groups; every process is in exactly one (CG-03), children start in
 * their parent's, and paths are shown relative to the reader's cgroup namespace.
 */
import type { Task } from '../proc/task.js';

export class Cgroup {
  readonly name: string;
  readonly parent: Cgroup | null;
  readonly children = new Map<string, Cgroup>();
  /** Member processes (live and zombie; zombies are not listed in cgroup.procs). */
  readonly tasks = new Set<Task>();
  /** False once removed with rmdir (a zombie's path then reads "… (deleted)", CG-06). */
  alive = true;

  constructor(name: string, parent: Cgroup | null) {
    this.name = name;
    this.parent = parent;
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
