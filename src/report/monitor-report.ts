/**
 * What a live session's monitor words print (`explain`, `:inspect`, `:time`, `:help`):
 * pure text from records and inspections, no simulation state.
 */
import { formatBytes } from '../sim/units.js';
import type { TaskInspection } from '../kernel/proc/task-inspect.js';
import type { TraceRecord } from '../sim/trace.js';
import { formatExplain, routineWhy } from './explain.js';

/** One record of the trace's 'explain' category (a failed system call, or an OOM kill). */
export interface ExplainRecord {
  /** Simulated time, ns. */
  t: number;
  /** The system call's name, or 'oom-kill'. */
  ev: string;
  pid: number;
  comm: string;
  errno?: string;
  reason: string;
  /** The path the call named, if it named one. */
  path?: string;
  /** The whole record (a packet's or a VM exit's facts, a call's arguments), when kept. */
  raw?: TraceRecord;
}

/** The line of one record: `ls[3] stat failed with ENOENT: …`, or `tail[4] was killed by the OOM killer: …`. */
export function explainLine(rec: ExplainRecord): string {
  // The words of `ctsim sh --explain` (src/report/explain.ts), without its "explain: " tag.
  if (rec.raw) return formatExplain(rec.raw).replace(/^explain: /, '').replace(/\n$/, '');
  const reason = rec.reason !== '' ? rec.reason : 'no reason recorded';
  const who = `${rec.comm}[${rec.pid}]`;
  if (rec.ev === 'oom-kill') return `${who} was killed by the OOM killer: ${reason}`;
  return `${who} ${rec.ev} failed with ${String(rec.errno)}: ${reason}`;
}

/** The programs that are shells: their failed lookups along $PATH are a command search, and their wait for a line at a terminal is a prompt. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'dash', 'ash', 'bash', '-sh']);


/** A group of records as explain shows them. */
export type ExplainItem =
  | { kind: 'failure'; rec: ExplainRecord; count: number }
  /** A shell looked for `name` in the directories of $PATH; `found` when the search did not reach the end of $PATH. */
  | { kind: 'path-search'; rec: ExplainRecord; name: string; dirs: string[]; found: boolean }
  | { kind: 'routine'; rec: ExplainRecord; why: string; count: number };

const dirOf = (p: string): string => p.slice(0, p.lastIndexOf('/')) || '/';
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Groups records: a shell's stat/execve ENOENT along `pathDirs` becomes one PATH
 * search; identical consecutive failures (same process, call, errno, reason) count as
 * one; routine failures are marked as such.
 */
export function groupExplain(recs: readonly ExplainRecord[], pathDirs: readonly string[]): ExplainItem[] {
  const items: ExplainItem[] = [];
  let i = 0;
  while (i < recs.length) {
    const r = recs[i];
    // A PATH search: ENOENT for NAME in PATH's directories, in PATH's order.
    if (SHELLS.has(r.comm) && (r.ev === 'stat' || r.ev === 'execve') && r.errno === 'ENOENT' && r.path?.startsWith('/')) {
      const name = baseOf(r.path);
      const dirs: string[] = [];
      let at = pathDirs.indexOf(dirOf(r.path));
      let j = i;
      while (at >= 0 && j < recs.length) {
        const q = recs[j];
        if (q.pid !== r.pid || q.ev !== r.ev || q.errno !== 'ENOENT' || q.path === undefined || baseOf(q.path) !== name) break;
        const k = pathDirs.indexOf(dirOf(q.path), at);
        if (k < 0 || (dirs.length > 0 && k === at)) break;
        dirs.push(pathDirs[k]);
        at = k;
        j++;
      }
      if (dirs.length > 0) {
        items.push({ kind: 'path-search', rec: r, name, dirs, found: dirs.at(-1) !== pathDirs.at(-1) });
        i = j;
        continue;
      }
    }
    let n = 1;
    while (i + n < recs.length && sameFailure(recs[i + n], r)) n++;
    const why = routineWhy(r.raw ?? r);
    items.push(why ? { kind: 'routine', rec: r, why, count: n } : { kind: 'failure', rec: r, count: n });
    i += n;
  }
  return items;
}

function sameFailure(a: ExplainRecord, b: ExplainRecord): boolean {
  return a.pid === b.pid && a.ev === b.ev && a.errno === b.errno && a.reason === b.reason && a.path === b.path;
}

const times = (n: number): string => (n > 1 ? ` (×${n})` : '');

/**
 * The lines of grouped items (`shown`), and unless `verbose`, the routine ones — and
 * PATH searches that found their program — summed up one a line (`hidden`).
 */
export function formatExplainItems(items: readonly ExplainItem[], verbose: boolean): { shown: string[]; hidden: string[] } {
  const lines: string[] = [];
  const hidden: string[] = [];
  for (const it of items) {
    const who = `${it.rec.comm}[${it.rec.pid}]`;
    if (it.kind === 'failure') lines.push(explainLine(it.rec) + times(it.count));
    else if (it.kind === 'routine') {
      if (verbose) lines.push(`${explainLine(it.rec)}${times(it.count)}  [routine: ${it.why}]`);
      else hidden.push(`${who} ${it.rec.ev} ${String(it.rec.errno)}${times(it.count)}: ${it.why}`);
    } else if (!it.found) {
      lines.push(`${who} did not find ${it.name} in any directory of $PATH (${it.rec.ev} failed with ENOENT in ${it.dirs.join(', ')}), so the shell says "not found"`);
    } else if (verbose) {
      lines.push(`${who} looked for ${it.name} along $PATH: ${it.rec.ev} failed with ENOENT in ${it.dirs.join(', ')} before the next directory had it  [routine]`);
    } else {
      hidden.push(`${who} searched $PATH for ${it.name}: ${it.rec.ev} ENOENT in ${it.dirs.length} director${it.dirs.length === 1 ? 'y' : 'ies'} before one had it (a shell tries each directory of $PATH in turn)`);
    }
  }
  return { shown: lines, hidden };
}

/** Simulated time as `12.345678901 s`. */
export function formatSimTime(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')} s`;
}

/** A duration the way a person reads it: `1 ms`, `250 µs`, `1.5 s`. */
export function formatDuration(ns: number): string {
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(6)} s`;
  if (ns >= 1e6) return `${+(ns / 1e6).toFixed(3)} ms`;
  if (ns >= 1e3) return `${+(ns / 1e3).toFixed(3)} µs`;
  return `${ns} ns`;
}

/** What `:inspect` shows of a process (kernel/proc/task-inspect.ts gathers it). */
export type InspectView = TaskInspection;

const STATE_WORDS: Record<string, string> = { R: 'running', S: 'sleeping', D: 'disk sleep', T: 'stopped', Z: 'zombie', X: 'dead' };

/** A process as /proc would tell it, in one screen. */
export function formatInspect(v: InspectView): string {
  const out: string[] = [];
  const nspid = v.nsPids.length > 1 ? ` (NSpid ${v.nsPids.join(' ')}: ${v.nsPids.at(-1)} in its own PID namespace, ${v.pid} on the host)` : '';
  out.push(`PID ${v.pid}${nspid}  ${v.comm}  state ${v.state} (${STATE_WORDS[v.state] ?? '?'})`);
  out.push(`  ppid ${v.ppid}  pgid ${v.pgid}  sid ${v.sid}  uid ${v.uid} (euid ${v.euid})  gid ${v.gid} (egid ${v.egid})`);
  out.push(`  cmdline  ${v.argv.map((a) => (/[\s'"]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ')}`);
  out.push(`  exe      ${v.exe}`);
  if (v.cwd !== '') out.push(`  cwd      ${v.cwd}${v.root !== '/' && v.root !== '' ? `  root ${v.root} (chroot/pivot_root)` : ''}`);
  const b = v.blockedIn;
  const arg = b?.path !== undefined ? JSON.stringify(b.path) : b?.fd !== undefined ? `fd ${b.fd}` : '';
  out.push(`  blocked  ${b ? `in ${b.call}(${arg})` : v.state === 'R' ? 'no: runnable' : 'no system call'}`);
  out.push(`  CPU time user ${formatDuration(v.utimeNs)}, system ${formatDuration(v.stimeNs)}; ${v.syscalls} system calls; context switches ${v.voluntarySwitches} voluntary, ${v.involuntarySwitches} involuntary`);
  out.push('namespaces (inode numbers; * = not init\'s):');
  const ns = v.namespaces.map((n) => `${n.type}:[${n.inum}]${n.ownNs ? '*' : ''}`.padEnd(18));
  for (let i = 0; i < ns.length; i += 4) out.push('  ' + ns.slice(i, i + 4).join(' ').trimEnd());
  out.push(`cgroup ${v.cgroup.path}`);
  out.push('  ' + (v.cgroup.limits.length > 0 ? v.cgroup.limits.map((l) => `${l.name}=${l.value}`).join('  ') : 'no controller enabled here (limits come from cgroup.subtree_control of the parent)'));
  out.push('open file descriptors:');
  if (v.fds.length === 0) out.push('  none');
  for (const f of v.fds) out.push(`  ${String(f.fd).padStart(3)} ${f.mode} -> ${f.target}`);
  out.push(`memory: ${formatBytes(v.rssPages * 4096)} resident, ${formatBytes(v.ptPages * 4096)} of page tables, ${formatBytes(v.swapPages * 4096)} swapped out; maps (VMAs):`);
  const maps = v.maps.trimEnd();
  out.push(maps === '' ? '  none (no address space)' : maps.split('\n').map((l) => '  ' + l.trimEnd()).join('\n'));
  return out.join('\n') + '\n';
}

/** `:help`. */
export const MONITOR_HELP = `ctsim's own words at the shell prompt (they never reach the simulated shell):
  explain [all|N] [-v]  why system calls failed: during the last command (default), the whole
                        session, or the last N commands; -v also shows routine failures
  :pause                stop pacing simulated time to the wall clock (background jobs stand
                        still; a command you type still runs, as fast as the simulation goes)
  :continue             pace simulated time to the wall clock again
  :step DURATION        advance simulated time by DURATION (100us, 5ms, 1s), then pause
  :step --to CATEGORY [LIMIT]
                        advance to the next trace event of CATEGORY (sched, syscall, proc,
                        signal, vfs, mm, ns, cgroup, net, vmexit, explain) and print it;
                        it looks for at most LIMIT of simulated time (10s); ^C stops a step
  :time                 simulated time since boot
  :inspect PID          a process (PID as ps shows it at this prompt): state, ids, cmdline,
                        namespaces, cgroup and its limits, open files, memory maps, CPU
                        time, the system call it sleeps in
  :snapshot [NAME]      remember this moment (the seed and what was typed, with its times)
  :restore NAME         go back to a snapshot: a new machine replays the session up to it
  :snapshots            list the snapshots
  :help                 this text
The colon keeps these words apart from the shell's own (continue, time and help mean
something to a shell); explain has none, so it needs no colon (:explain works too).
`;
