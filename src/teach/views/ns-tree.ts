/**
 * The namespaces of a kernel as a tree (namespaces(7), lsns(8) -T): per type, each
 * namespace with its inode number (what /proc/PID/ns/TYPE names, lsns's NS column),
 * its owning user namespace, how many processes are in it and which — each with its
 * PID inside the namespace's PID namespace and in the initial one. PID and user
 * namespaces nest: a child hangs below its parent, as pid_namespaces(7) and
 * user_namespaces(7) describe and `lsns --tree=parent` draws.
 *
 *   pid namespaces
 *   4026531836 pid  nprocs 2  owner user 4026531837
 *   |-1 init
 *   |-5 unshare
 *   `-4026532180 pid  nprocs 1  owner user 4026531837
 *     `-1 sleep  (PID 6 in the initial PID namespace)
 *
 * `namespaceForest` reads kernel state without changing it; `renderNsTree` is text
 * from that data only.
 */
import type { Kernel } from '../../kernel/kernel.js';
import type { Namespace, NsType } from '../../kernel/ns/namespace.js';
import { taskNs } from '../../kernel/ns/nsproxy.js';
import type { Task } from '../../kernel/proc/task.js';
import { drawTree, type TreeNode } from './tree-draw.js';

/** The namespace types in lsns's order (its --type list). */
export const NS_VIEW_TYPES: readonly NsType[] = ['mnt', 'net', 'pid', 'uts', 'ipc', 'user', 'cgroup', 'time'];

/** One process of a namespace. */
export interface NsProcess {
  /** Its PID in its own PID namespace (what it sees with getpid). */
  pid: number;
  /** Its PID in the initial PID namespace. */
  hostPid: number;
  comm: string;
}

/** One namespace, with its processes and (PID and user namespaces) its child namespaces. */
export interface NsView {
  type: NsType;
  /** The namespace's inode number (lsns NS). */
  inode: number;
  /** The owning user namespace's inode; null for the initial user namespace. */
  ownerInode: number | null;
  /** Member processes (zombies left out, as /proc/PID/ns cannot be read for them). */
  nprocs: number;
  processes: NsProcess[];
  /** Child namespaces (PID and user namespaces only), by inode. */
  children: NsView[];
}

/** The namespaces of each type, as trees (roots are the namespaces without a parent among those shown). */
export type NsForest = { type: NsType; roots: NsView[] }[];

function parentOf(ns: Namespace): Namespace | null {
  if (ns.nsType === 'pid' || ns.nsType === 'user') return (ns as unknown as { parent: Namespace | null }).parent;
  return null;
}

/**
 * The namespaces the live processes of `k` are in, of `types`, each with its members;
 * a PID or user namespace's ancestors are included even when no process is in them
 * (as lsns does, with NPROCS 0), so that every nested namespace has its parent.
 */
export function namespaceForest(k: Kernel, types: readonly NsType[] = NS_VIEW_TYPES): NsForest {
  const live: Task[] = [...k.tasks.values()].filter((t) => !t.isZombie && !t.exiting).sort((a, b) => a.tid - b.tid);
  return types.map((type) => {
    const views = new Map<Namespace, NsView>();
    const viewOf = (ns: Namespace): NsView => {
      let v = views.get(ns);
      if (!v) {
        v = { type, inode: ns.inum, ownerInode: ns.owner?.inum ?? null, nprocs: 0, processes: [], children: [] };
        views.set(ns, v);
        const up = parentOf(ns);
        if (up) viewOf(up);
      }
      return v;
    };
    for (const t of live) {
      const v = viewOf(taskNs(t, type));
      v.nprocs++;
      v.processes.push({ pid: t.pid, hostPid: t.tid, comm: t.comm });
    }
    const roots: NsView[] = [];
    for (const [ns, v] of [...views].sort((a, b) => a[0].inum - b[0].inum)) {
      const up = parentOf(ns);
      if (up) views.get(up)!.children.push(v);
      else roots.push(v);
    }
    return { type, roots };
  });
}

/** A namespace's line: `4026531836 pid  nprocs 2  owner user 4026531837`. */
function nsLabel(v: NsView): string {
  const owner = v.ownerInode === null ? 'the initial user namespace' : `owner user ${v.ownerInode}`;
  return `${v.inode} ${v.type}  nprocs ${v.nprocs}  ${owner}`;
}

/** A process's line: its PID in its PID namespace, its command, and its host PID when they differ. */
function procLabel(p: NsProcess): string {
  return p.pid === p.hostPid ? `${p.pid} ${p.comm}` : `${p.pid} ${p.comm}  (PID ${p.hostPid} in the initial PID namespace)`;
}

function toNode(v: NsView, withProcesses: boolean): TreeNode {
  const procs: TreeNode[] = withProcesses ? v.processes.map((p) => ({ label: procLabel(p), children: [] })) : [];
  return { label: nsLabel(v), children: [...procs, ...v.children.map((c) => toNode(c, withProcesses))] };
}

/**
 * The forest as text: a heading per type ("pid namespaces"), then its tree, a blank
 * line between types. Without processes, only the namespaces are drawn.
 */
export function renderNsTree(forest: NsForest, opts: { processes?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const { type, roots } of forest) {
    if (roots.length === 0) continue;
    if (out.length > 0) out.push('');
    out.push(`${type} namespaces`);
    out.push(...drawTree(roots.map((r) => toNode(r, opts.processes ?? true))));
  }
  return out;
}
