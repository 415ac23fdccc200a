/**
 * Explain mode as a person reads it: the kernel's `explain` trace records (a failed
 * system call and its reason, an OOM kill, a dropped packet, a VM exit, a /proc that
 * shows another PID namespace) turned into lines of plain words, with the failures a
 * program expects and handles itself kept out of the way (issue 9).
 *
 * The kernel records every fact; this presenter only decides how to show them:
 *
 *   - Boot: failures before the person's command starts (init's wait4 finding no
 *     child yet) are not shown — `markStart()` (or a start time) says when it starts.
 *   - A PATH search: a shell or execvp() tries DIR/NAME for each directory of PATH;
 *     each miss is a failed stat/access/execve with ENOENT (or ENOTDIR, EACCES). A run
 *     of such misses for one NAME in two or more directories by one process is held back: when NAME is then
 *     executed the misses were how the search works and are dropped; otherwise they
 *     become one line, "sh[2] searched $PATH for foo: not in /usr/local/sbin, …".
 *   - The end of a reaping loop: init and shells call wait4 until it fails with ECHILD
 *     ("no children left"), so that failure is how the loop ends, not an error.
 *   - Job control's setpgid race: a shell and its child both put the child in its
 *     process group (setpgid(2) NOTES); whichever comes second after the child's
 *     execve gets EACCES, and shells ignore it.
 *   - Non-blocking I/O saying "not yet": connect's EINPROGRESS, and EAGAIN on a
 *     descriptor opened O_NONBLOCK (the record says `nonblock`); an event loop polls
 *     and tries again.
 *   - An isatty() probe: ioctl(TCGETS) failing with ENOTTY is how a program learns its
 *     output is a file or pipe, not an error; it is not shown.
 *   - Repeats: the same failure, with the same reason, by the same process, in a row,
 *     is one line ending "(3 times)".
 *
 * Input is a stream of TraceRecords (categories `explain` and `proc`; others are
 * ignored), so the same presenter serves `ctsim sh --explain` as the run goes and an
 * interactive `explain` over records kept from a run (`presentExplain`).
 */
import type { Ns } from '../sim/engine.js';
import type { TraceRecord } from '../sim/trace.js';
import { TCGETS } from '../kernel/syscalls/abi.js';


/** Calls a PATH search makes for each directory it tries. */
const SEARCH_CALLS = new Set(['stat', 'lstat', 'newfstatat', 'access', 'faccessat', 'faccessat2', 'execve', 'execveat']);
/** What a miss during a PATH search fails with (execvp(3) goes on after these). */
const SEARCH_MISSES = new Set(['ENOENT', 'ENOTDIR', 'EACCES']);

/** The path a failed call was about, from its plain arguments. */
function pathArg(rec: TraceRecord): string | null {
  const args = rec.args as Record<string, unknown> | undefined;
  const p = args?.path ?? args?.filename;
  return typeof p === 'string' ? p : null;
}

/** `foo` and `/usr/bin` for `/usr/bin/foo`; null for a path without a directory. */
function splitPath(p: string): { dir: string; name: string } | null {
  const i = p.lastIndexOf('/');
  if (i < 0 || i === p.length - 1) return null;
  return { dir: i === 0 ? '/' : p.slice(0, i), name: p.slice(i + 1) };
}

/** `cat[7]`, or `cat[7] in VM web` for a guest kernel's process. */
function who(rec: TraceRecord): string {
  return `${String(rec.comm)}[${String(rec.pid)}]${inVm(rec)}`;
}

function inVm(rec: TraceRecord): string {
  return typeof rec.vm === 'string' ? ` in VM ${rec.vm}` : '';
}

/** `10.0.0.2:40000 → 10.0.0.3:80 TCP` (no ports for ICMP). */
function packetOf(rec: TraceRecord): string {
  const end = (addr: unknown, port: unknown): string => (typeof port === 'number' ? `${String(addr)}:${port}` : String(addr));
  return `${end(rec.src, rec.sport)} → ${end(rec.dst, rec.dport)} ${String(rec.proto)}`;
}

/**
 * Why a failure is one a program expects and handles itself (the rules listed above),
 * or null when it is news. One list for `ctsim sh --explain` and the interactive
 * `explain` (which shows these on request, with this reason).
 */
export function routineWhy(rec: { ev: string; errno?: unknown; reason?: unknown; args?: unknown; nonblock?: unknown }): string | null {
  const cmd = (rec.args as Record<string, unknown> | undefined)?.cmd;
  if (rec.ev === 'ioctl' && rec.errno === 'ENOTTY' && (cmd === undefined || cmd === TCGETS)) return 'isatty(): a program asks whether its output is a terminal';
  if ((rec.ev === 'wait4' || rec.ev === 'waitid') && rec.errno === 'ECHILD') return 'wait with no children left: how a shell or init learns it has reaped everyone';
  if (rec.ev === 'setpgid' && rec.errno === 'EACCES') return "a job-control shell sets its child's process group from both sides; the second call fails when the child has already exec'd";
  if (rec.ev === 'setpgid' && rec.errno === 'EPERM' && typeof rec.reason === 'string' && rec.reason.includes('session leader')) return 'a login shell puts itself in its own process group at startup; as the session leader it already leads one';
  if (rec.errno === 'EINPROGRESS') return 'a non-blocking connect has started; the program polls for the result';
  if (rec.errno === 'EAGAIN' && rec.nonblock === true) return 'non-blocking I/O saying "not yet"; the program polls and tries again';
  return null;
}

/** Where a packet's fate was decided: `in network namespace 4026531840`, or `at the outside router (…)`. */
function whereOf(rec: TraceRecord): string {
  return typeof rec.outside === 'string' ? `at ${rec.outside}` : `in network namespace ${String(rec.netns)}`;
}

/** One explain record as a line: `explain: cat[7] open failed with ENOENT: …\n`. */
export function formatExplain(rec: TraceRecord): string {
  const reason = typeof rec.reason === 'string' && rec.reason !== '' ? rec.reason : 'no reason recorded';
  switch (rec.ev) {
    case 'oom-kill':
      return `explain: ${who(rec)} was killed by the OOM killer: ${reason}\n`;
    case 'procfs-view':
      return `explain: ${who(rec)} reads a /proc that lists PID namespace ${String(rec.procfs_pidns)}, not its own PID namespace ${String(rec.reader_pidns)}: ${reason}\n`;
    case 'packet-drop':
      return `explain: packet ${packetOf(rec)} dropped ${whereOf(rec)}${inVm(rec)}${rec.dev ? ` on ${String(rec.dev)}` : ''}: ${reason}\n`;
    case 'packet-reset':
      return `explain: packet ${packetOf(rec)} answered with a TCP RST ${whereOf(rec)}${inVm(rec)}: ${reason}\n`;
    case 'packet-unreachable':
      return `explain: packet ${packetOf(rec)} answered with ICMP ${String(rec.icmp)} ${whereOf(rec)}${inVm(rec)}: ${reason}\n`;
    case 'vmexit':
      return `explain: VM ${String(rec.vm)} vCPU ${String(rec.vcpu)} exit ${String(rec.exit)}: ${reason}\n`;
    default:
      return `explain: ${who(rec)} ${rec.ev} failed with ${String(rec.errno)}: ${reason}\n`;
  }
}

interface Search {
  pid: unknown;
  comm: unknown;
  name: string;
  dirs: string[];
  recs: TraceRecord[];
}

interface Repeat {
  rec: TraceRecord;
  times: number;
}

/**
 * The streaming presenter: `push` each record as it comes, print what it returns;
 * `flush` before the simulated program's own output and at the end, so a held-back
 * line comes out before whatever followed it ("sh: 1: foo: not found").
 */
export class ExplainPresenter {
  private startNs: Ns | null = null;
  /** True while the host boots: records are not shown until `markStart()`. */
  private booting: boolean;
  /** Searches held back, by the searching process (a shell and its subshells search at once). */
  private readonly searches = new Map<unknown, Search>();
  /** Parent of each process forked since the start (a shell searches, its child executes). */
  private readonly parents = new Map<unknown, unknown>();
  private repeat: Repeat | null = null;

  /** With `boot`, nothing is shown until `markStart()`: the records before it were the host booting. */
  constructor(opts: { boot?: boolean; startNs?: Ns } = {}) {
    this.booting = opts.boot ?? false;
    this.startNs = opts.startNs ?? null;
  }

  /** The person's command starts now: what came before was boot. */
  markStart(): void {
    this.booting = false;
  }

  /** Takes one record; returns the lines (each ending in a newline) ready to print. */
  push(rec: TraceRecord): string[] {
    if (rec.cat === 'proc' && rec.ev === 'exec') return this.execed(rec);
    if (rec.cat === 'proc' && rec.ev === 'fork') this.parents.set(rec.child, rec.parent);
    // A process that ends searches no more: what it held is told now, before what others do next.
    if (rec.cat === 'proc' && rec.ev === 'exit') return this.endSearch(rec.pid);
    if (rec.cat !== 'explain') return [];
    if (this.booting || (this.startNs !== null && rec.t < this.startNs)) return [];
    if (routineWhy(rec) !== null) return [];
    const out: string[] = [];
    const miss = this.searchMiss(rec);
    if (miss) {
      const s = this.searches.get(rec.pid);
      if (s && s.name === miss.name) {
        // A directory twice in PATH is tried twice (dash does); it is named once.
        if (!s.dirs.includes(miss.dir)) s.dirs.push(miss.dir);
        s.recs.push(rec);
        return out;
      }
      out.push(...this.endSearch(rec.pid));
      this.searches.set(rec.pid, { pid: rec.pid, comm: rec.comm, name: miss.name, dirs: [miss.dir], recs: [rec] });
      return out;
    }
    out.push(...this.endSearch(rec.pid), ...this.addRepeat(rec));
    return out;
  }

  /** A record that may repeat the one before it. */
  private addRepeat(rec: TraceRecord): string[] {
    const r = this.repeat;
    if (r && r.rec.pid === rec.pid && r.rec.ev === rec.ev && r.rec.errno === rec.errno && r.rec.reason === rec.reason) {
      r.times++;
      return [];
    }
    const out = this.endRepeat();
    this.repeat = { rec, times: 1 };
    return out;
  }

  /** Everything held back, as lines. */
  flush(): string[] {
    const out: string[] = [];
    for (const pid of [...this.searches.keys()]) out.push(...this.endSearch(pid));
    out.push(...this.endRepeat());
    return out;
  }

  private searchMiss(rec: TraceRecord): { dir: string; name: string } | null {
    if (!SEARCH_CALLS.has(rec.ev) || !SEARCH_MISSES.has(String(rec.errno))) return null;
    const p = pathArg(rec);
    return p === null ? null : splitPath(p);
  }

  /** A program was executed: a search for its name, by this process or its parent, found it. */
  private execed(rec: TraceRecord): string[] {
    const file = typeof rec.file === 'string' ? rec.file : '';
    const argv0 = Array.isArray(rec.argv) && typeof rec.argv[0] === 'string' ? rec.argv[0] : '';
    for (const pid of [rec.pid, this.parents.get(rec.pid)]) {
      const s = this.searches.get(pid);
      if (s && (splitPath(file)?.name === s.name || argv0 === s.name || splitPath(argv0)?.name === s.name)) this.searches.delete(pid);
    }
    return [];
  }

  private endSearch(pid: unknown): string[] {
    const s = this.searches.get(pid);
    if (!s) return [];
    this.searches.delete(pid);
    // One directory is no search (ls trying the same path twice): each failure is told.
    if (s.dirs.length < 2) return s.recs.flatMap((r) => this.addRepeat(r));
    const out = this.endRepeat();
    out.push(`explain: ${String(s.comm)}[${String(s.pid)}] searched $PATH for ${s.name}: not in ${s.dirs.join(', ')}\n`);
    return out;
  }

  private endRepeat(): string[] {
    const r = this.repeat;
    if (!r) return [];
    this.repeat = null;
    const line = formatExplain(r.rec);
    return [r.times > 1 ? line.replace(/\n$/, ` (${r.times} times)\n`) : line];
  }
}

/** The lines explain mode shows for a list of records (optionally only those from `startNs` on). */
export function presentExplain(records: readonly TraceRecord[], startNs?: Ns): string[] {
  const p = new ExplainPresenter({ startNs });
  const out: string[] = [];
  for (const r of records) out.push(...p.push(r));
  out.push(...p.flush());
  return out;
}
