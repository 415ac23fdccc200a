/**
 * strace(1) 6.1: run a command and print each system call it makes.
 *
 *   strace [-cf] [-o FILE] [-s STRSIZE] [-e trace=NAME,…|%CLASS] PROG [ARGS]…
 *
 * strace finds PROG on PATH itself (as strace does: "Can't stat" when it is missing),
 * forks, and the child asks to be traced (PTRACE_TRACEME) and execs it. The parent
 * then loops like strace's waitpid loop: take the text the kernel formatted for the
 * tracees' calls, signals and exits, write it to stderr (or -o FILE), resume them. At
 * the end strace exits as its tracee did (with its status, or killed by its signal).
 *
 * Simplification: ctsim has no ptrace(2); the tracing request `ctsim_strace` stands for
 * it (kernel/trace/tracer.ts says what that models). No -p PID (attaching to a running
 * process), -t/-T/-r timestamps, -y, -v, -x, -ff, or -e other than trace=.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError, STRERROR } from '../../../kernel/errno.js';
import { O_CLOEXEC, O_CREAT, O_TRUNC, O_WRONLY, isReg } from '../../../kernel/vfs/types.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import * as sys from '../../lib/sys.js';
import { errOut, writeAll } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { getenv, DEFAULT_PATH } from '../../lib/exec.js';
import { SYSCALL_CLASSES, isSyscallName } from './classes.js';
import { NR } from '../../../kernel/syscalls/numbers.js';
import type { Op } from '../../../kernel/proc/program.js';

/** CPU time strace spends starting up (parsing, the PATH search), in ns. */
const STRACE_START_NS = 30_000;

const USAGE_HINT = "Try 'strace -h' for more information.\n";

const HELP = `Usage: strace [-cf] [-e EXPR]... [-o FILE] [-s STRSIZE] PROG [ARGS]

Output format:
  -o FILE, --output=FILE
                 send trace output to FILE instead of stderr
  -s STRSIZE, --string-limit=STRSIZE
                 limit length of print strings to STRSIZE chars (default 32)

Statistics:
  -c, --summary-only
                 count time, calls, and errors for each syscall and report summary

Filtering:
  -e trace=[!]{[?]SYSCALL[@64|@32|@x32]|[?]/REGEX|GROUP|all|none},
  --trace=[!]{[?]SYSCALL[@64|@32|@x32]|[?]/REGEX|GROUP|all|none}
                 trace only specified syscalls (ctsim: names and %GROUP)

Tracing:
  -f, --follow-forks
                 follow forks

Miscellaneous:
  -h, --help     print help message
  -V, --version  print version
`;

/** Parses `-e` expressions into the calls to print (null: all). Returns an error message instead when one is bad. */
function parseFilter(exprs: readonly string[]): string[] | null | string {
  let only: string[] | null = null;
  for (const e of exprs) {
    const eq = e.indexOf('=');
    const qual = eq >= 0 ? e.slice(0, eq) : 'trace';
    let list = eq >= 0 ? e.slice(eq + 1) : e;
    if (qual !== 'trace' && qual !== 't') return `ctsim's strace has no -e ${qual}= (only -e trace=)`;
    const negate = list.startsWith('!');
    if (negate) list = list.slice(1);
    const names = new Set<string>();
    let all = false;
    for (const item of list.split(',')) {
      if (item === 'all') all = true;
      else if (item === 'none') continue;
      else if (item.startsWith('%')) {
        const cls = SYSCALL_CLASSES[item.slice(1)];
        if (!cls) return `invalid system call '${item}'`;
        for (const n of cls) names.add(n);
      } else if (isSyscallName(item)) names.add(item);
      else return `invalid system call '${item}'`;
    }
    const chosen = all ? null : [...names];
    if (negate) only = chosen === null ? [] : Object.keys(NR).filter((n) => !names.has(n));
    else only = chosen;
  }
  return only;
}

/** Finds PROG as strace does: a name with a slash as it is, else the first regular file on PATH. */
function* findProgram(name: string, envp: readonly string[]): Generator<Op, string | SysError, unknown> {
  if (name.includes('/')) {
    const st = yield* sys.stat(name);
    return st instanceof SysError ? st : name;
  }
  for (const dir of (getenv(envp, 'PATH') ?? DEFAULT_PATH).split(':')) {
    const full = `${dir === '' ? '.' : dir}/${name}`;
    const st = yield* sys.stat(full);
    if (!(st instanceof SysError) && isReg(st.mode) && (st.mode & 0o111) !== 0) return full;
  }
  return new SysError('ENOENT', `no executable ${name} in any directory of PATH`);
}

/** -c's table, as strace prints it (sorted by time, then by call number). */
function summary(rows: { name: string; nr: number; calls: number; errors: number; timeNs: number }[]): string {
  rows.sort((a, b) => b.timeNs - a.timeNs || a.nr - b.nr);
  const total = rows.reduce((n, r) => n + r.timeNs, 0);
  const line = (pct: number, ns: number, calls: number, errors: number, name: string): string =>
    `${pct.toFixed(2).padStart(6)} ${(ns / 1e9).toFixed(6).padStart(11)} ${String(calls > 0 ? Math.round(ns / 1e3 / calls) : 0).padStart(11)} ${String(calls).padStart(9)} ${(errors > 0 ? String(errors) : '').padStart(9)} ${name}\n`;
  const rule = '------ ----------- ----------- --------- --------- ----------------\n';
  let out = '% time     seconds  usecs/call     calls    errors syscall\n' + rule;
  for (const r of rows) out += line(total > 0 ? (100 * r.timeNs) / total : 0, r.timeNs, r.calls, r.errors, r.name);
  out += rule;
  out += line(100, total, rows.reduce((n, r) => n + r.calls, 0), rows.reduce((n, r) => n + r.errors, 0), 'total');
  return out;
}

export function* straceMain({ argv, envp }: ProgramArgs): Program {
  yield STRACE_START_NS;
  let parsed;
  try {
    parsed = getopt('strace', argv.slice(1), [
      { short: 'f', long: 'follow-forks' },
      { short: 'c', long: 'summary-only' },
      { short: 'o', long: 'output', arg: 'required' },
      { short: 's', long: 'string-limit', arg: 'required' },
      { short: 'e', arg: 'required', key: 'e' },
      { long: 'trace', arg: 'required', key: 'trace' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
      { short: 'p', long: 'attach', arg: 'required' },
    ], { stopAtOperand: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${USAGE_HINT}`);
    return 1;
  }
  const v = parsed.values;
  if (v.has('help')) {
    yield* writeAll(1, HELP);
    return 0;
  }
  if (v.has('version')) {
    yield* writeAll(1, 'strace -- version 6.1\n');
    return 0;
  }
  if (v.has('attach')) {
    yield* errOut('strace: -p: ctsim has no ptrace(2), so strace cannot attach to a running process; run the command under strace instead\n');
    return 1;
  }
  let strsize = 32;
  if (v.has('string-limit')) {
    const s = String(v.get('string-limit'));
    if (!/^\d+$/.test(s)) {
      yield* errOut(`strace: invalid -s argument: '${s}'\n`);
      return 1;
    }
    strsize = Number(s);
  }
  const exprs = parsed.list.filter(([k]) => k === 'e' || k === 'trace').map(([k, x]) => (k === 'trace' ? `trace=${String(x)}` : String(x)));
  const only = parseFilter(exprs);
  if (typeof only === 'string') {
    yield* errOut(`strace: ${only}\n`);
    return 1;
  }
  const [prog, ...rest] = parsed.operands;
  if (prog === undefined) {
    yield* errOut(`strace: must have PROG [ARGS] or -p PID\n${USAGE_HINT}`);
    return 1;
  }
  const path = yield* findProgram(prog, envp);
  if (path instanceof SysError) {
    yield* errOut(`strace: Can't stat '${prog}': ${STRERROR[path.errno]}\n`);
    return 1;
  }
  let outFd = 2;
  const outFile = v.get('output');
  if (typeof outFile === 'string') {
    const fd = yield* sys.open(outFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666);
    if (fd instanceof SysError) {
      yield* errOut(`strace: Can't fopen '${outFile}': ${STRERROR[fd.errno]}\n`);
      return 1;
    }
    outFd = fd;
  }
  const count = v.has('summary-only');
  const started = yield* sys.straceStart({ follow: v.has('follow-forks'), only, strsize, toFile: typeof outFile === 'string', count });
  if (started instanceof SysError) {
    yield* errOut(`strace: ${STRERROR[started.errno]}\n`);
    return 1;
  }
  // strace's INTR_WHILE_WAIT: these signals end the tracing (detach), then strace dies of them.
  let interrupted = 0;
  for (const sig of [SIG.SIGHUP, SIG.SIGINT, SIG.SIGQUIT, SIG.SIGPIPE, SIG.SIGTERM]) {
    yield* sys.sigaction(sig, {
      handler: function* (s: number): Program {
        interrupted = s;
      },
    });
  }
  const argv0 = [prog, ...rest];
  const child = yield* sys.fork(function* (): Program {
    const r = yield* sys.straceTraceme();
    if (r instanceof SysError) {
      yield* errOut(`strace: ptrace(PTRACE_TRACEME, ...): ${STRERROR[r.errno]}\n`);
      return 1;
    }
    const e = yield* sys.execve(path, argv0, envp);
    yield* errOut(`strace: exec: ${e instanceof SysError ? STRERROR[e.errno] : 'failed'}\n`);
    return 1;
  });
  if (child instanceof SysError) {
    yield* errOut(`strace: fork: ${STRERROR[child.errno]}\n`);
    return 1;
  }
  for (;;) {
    const w = interrupted !== 0 ? null : yield* sys.straceWait();
    if (interrupted !== 0) {
      const d = yield* sys.straceDetach();
      if (d instanceof SysError) break;
      if (d.text !== '') yield* writeAll(outFd, d.text);
      for (const pid of d.pids) yield* errOut(`strace: Process ${pid} detached\n`);
      yield* sys.sigaction(interrupted, { handler: 'default' });
      const me = yield* sys.getpid();
      if (typeof me === 'number') yield* sys.kill(me, interrupted);
      return 128 + interrupted;
    }
    if (w === null || w instanceof SysError) {
      if (w instanceof SysError && w.errno === 'EINTR') continue;
      break;
    }
    if (w.text !== '') yield* writeAll(outFd, w.text);
    if (w.done) break;
  }
  const st = yield* sys.wait4(child);
  if (count) {
    const rows = yield* sys.straceCounts();
    if (!(rows instanceof SysError)) yield* writeAll(outFd, summary(rows));
  }
  if (st instanceof SysError) return 1;
  if (WIFEXITED(st.status)) return WEXITSTATUS(st.status);
  if (WIFSIGNALED(st.status)) {
    // strace dies of its tracee's signal, so that its own parent sees what happened.
    const sig = WTERMSIG(st.status);
    yield* sys.sigaction(sig, { handler: 'default' });
    const me = yield* sys.getpid();
    if (typeof me === 'number') yield* sys.kill(me, sig);
    return 128 + sig;
  }
  return 1;
}
