/**
 * Which processes ps(1) lists and in what order (procps-ng 4.0.2, ps(1)
 * "PROCESS SELECTION" and "--forest"), as observed on the real ps:
 *
 * - The base set: -A/-e everything; Unix -a (has a terminal, not a session
 *   leader), -d (not a session leader), both (not a session leader without a
 *   terminal); BSD a and x lift "only mine" and "must have a terminal". With none
 *   of these, a list option alone selects just its list, and with nothing at all
 *   ps shows my processes on my terminal — or, in BSD style, my processes that
 *   have any terminal.
 * - Lists add to the base set; r then keeps running processes; -N inverts it all.
 *   -q selects exactly its PIDs (then r).
 * - Rows come in /proc order, stably sorted by --sort keys. A forest is sorted by
 *   start time, then by the keys (default: parent PID); trees whose parent is not
 *   listed come last-sorted first, children in sorted order beneath their parent.
 */
import type { ProcInfo } from './proc-table.js';
import type { Criterion, PsRequest } from './ps-options.js';
import type { PsContext } from './ps-values.js';

/** Who is asking: ps's effective uid and controlling terminal. */
export interface Viewer {
  euid: number;
  ownTty: number;
}

/** init's PID: ASCII-art forests draw its children at the margin. */
const INIT_PID = 1;
/** Longest command name the kernel keeps (TASK_COMM_LEN - 1); -C compares that much. */
const COMM_MAX = 15;

function matches(c: Criterion, p: ProcInfo): boolean {
  switch (c.field) {
    case 'comm': return c.values.some((name) => name.slice(0, COMM_MAX) === p.comm);
    case 'pid': return c.values.includes(p.pid);
    case 'ppid': return c.values.includes(p.ppid);
    case 'session': return c.values.includes(p.session);
    case 'pgrp': return c.values.includes(p.pgrp);
    case 'euid': return c.values.includes(p.euid);
    case 'ruid': return c.values.includes(p.ruid);
    case 'egid': return c.values.includes(p.egid);
    case 'rgid': return c.values.includes(p.rgid);
    case 'tty': return c.values.includes(p.ttyNr);
  }
}

/** The base set before lists are added; null when there is none (lists alone decide). */
function baseRule(r: PsRequest, me: Viewer): ((p: ProcInfo) => boolean) | null {
  const leader = (p: ProcInfo): boolean => p.session === p.pid;
  const hasTty = (p: ProcInfo): boolean => p.ttyNr !== 0;
  const mine = (p: ProcInfo): boolean => p.euid === me.euid;
  if (r.everyone) return () => true;
  if (r.unixA && r.unixD) return (p) => !leader(p) || hasTty(p);
  if (r.unixA) return (p) => hasTty(p) && !leader(p);
  if (r.unixD) return (p) => !leader(p);
  const bsdRule = (p: ProcInfo): boolean => (r.bsdA || mine(p)) && (r.bsdX || hasTty(p));
  if (r.bsdA || r.bsdX || r.bsdG) return bsdRule;
  if (r.criteria.length > 0) return null;
  return r.bsdStyle ? bsdRule : (p) => mine(p) && p.ttyNr === me.ownTty;
}

/** The predicate for "ps lists this process". */
export function selectionPredicate(r: PsRequest, me: Viewer): (p: ProcInfo) => boolean {
  const running = (p: ProcInfo): boolean => !r.runningOnly || p.state === 'R';
  if (r.quickPids) {
    const quick = r.quickPids;
    return (p) => quick.includes(p.pid) && running(p);
  }
  const base = baseRule(r, me);
  return (p) => {
    const chosen = (base !== null && base(p)) || r.criteria.some((c) => matches(c, p));
    return (chosen && running(p)) !== r.negate;
  };
}

/** One sort key: numbers compare numerically, strings by character code. */
export interface OrderKey {
  value: (p: ProcInfo, c: PsContext) => number | string;
  descending: boolean;
}

/** Stable sort by the keys, first key most significant. */
export function sortByKeys(procs: ProcInfo[], keys: readonly OrderKey[], ctx: PsContext): ProcInfo[] {
  if (keys.length === 0) return procs;
  const values = new Map(procs.map((p) => [p, keys.map((k) => k.value(p, ctx))]));
  return procs
    .map((p, i) => ({ p, i }))
    .sort((a, b) => {
      const va = values.get(a.p)!;
      const vb = values.get(b.p)!;
      for (let k = 0; k < keys.length; k++) {
        const x = va[k];
        const y = vb[k];
        const cmp = x < y ? -1 : x > y ? 1 : 0;
        if (cmp !== 0) return keys[k].descending ? -cmp : cmp;
      }
      return a.i - b.i;
    })
    .map((e) => e.p);
}

/** A row to print: the process and the tree pieces to put before its command. */
export interface Row {
  p: ProcInfo;
  chunks: readonly string[];
}

/**
 * The children ps finds for `parent` in the sorted list: the first unbroken run of
 * entries naming it as parent. The real ps expects siblings to sort together (as
 * they do under the default parent-PID key); under other keys, siblings outside
 * that first run are not shown at all.
 */
function childrenRun(sorted: readonly ProcInfo[], parent: ProcInfo): ProcInfo[] {
  const isChild = (p: ProcInfo): boolean => p.ppid === parent.pid && p !== parent;
  const first = sorted.findIndex(isChild);
  if (first < 0) return [];
  let end = first;
  while (end < sorted.length && isChild(sorted[end])) end++;
  return sorted.slice(first, end);
}

/**
 * The forest of the sorted processes. Trees whose parent is not listed come
 * last-sorted first. Art draws " \_ " with " |  " for ancestors that have later
 * siblings (children of init stay at the margin, as in the real ps); indent uses
 * two spaces a level.
 */
function forestRows(sorted: readonly ProcInfo[], style: 'art' | 'indent'): Row[] {
  const listed = new Set(sorted.map((p) => p.pid));
  const rows: Row[] = [];
  /** `rails[k]`: whether the process at depth k + 1 on the path has later siblings (the last entry is its own). */
  const visit = (p: ProcInfo, rails: boolean[]): void => {
    const depth = rails.length;
    const chunks = style === 'indent' ? Array<string>(depth).fill('  ') : depth === 0 ? [] : [...rails.slice(0, -1).map((more) => (more ? ' |  ' : '    ')), ' \\_ '];
    rows.push({ p, chunks });
    const kids = childrenRun(sorted, p);
    // The art starts afresh below init: its children are drawn at the margin.
    const restart = style === 'art' && p.pid === INIT_PID;
    kids.forEach((kid, i) => visit(kid, restart ? [] : [...rails, i < kids.length - 1]));
  };
  const roots = sorted.filter((p) => !listed.has(p.ppid) || p.ppid === p.pid);
  for (const root of [...roots].reverse()) visit(root, []);
  return rows;
}

const BY_START: OrderKey = { value: (p) => p.startTicks, descending: false };
const BY_PARENT: OrderKey = { value: (p) => p.ppid, descending: false };

/** The selected processes (in /proc order) as rows in output order. */
export function orderRows(chosen: ProcInfo[], keys: readonly OrderKey[], forest: 'none' | 'art' | 'indent', ctx: PsContext): Row[] {
  if (forest === 'none') return sortByKeys(chosen, keys, ctx).map((p) => ({ p, chunks: [] }));
  const byStart = sortByKeys(chosen, [BY_START], ctx);
  return forestRows(sortByKeys(byStart, keys.length ? keys : [BY_PARENT], ctx), forest);
}
