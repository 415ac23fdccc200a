/**
 * pgrep(1) and pkill(1) from procps-ng 4.0.2: select processes whose name (or with
 * -f whole command line) matches an extended regular expression and other criteria
 * (-u -U -G -g -s -P -t -r, -x exact, -i ignore case, -n/-o newest/oldest, -v
 * inverse, -O older than), then list them (pgrep: PIDs, -l with names, -a with
 * command lines, -d delimiter, -c count) or signal them (pkill: -SIG or --signal,
 * -e echo). The program itself is never selected. Exit: 0 something matched, 1
 * nothing, 2 usage error, 3 fatal error.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { UserDb } from '../../lib/passwd.js';
import { compilePosixRegex, RegexSyntaxError } from '../../lib/posix-regex.js';
import { getopt, GetoptError, type OptionSpec } from '../../lib/getopt.js';
import { lastComponent } from './gnu-style.js';
import { commandLine, readProcTable, ttyName, type ProcInfo } from './proc-table.js';
import { HERTZ } from './ps-format.js';
import { extractSignalWord, parseSignal } from './procps-signals.js';

/** User CPU to set up, and per process examined — design choices. */
const PGREP_SETUP_NS = 80_000;
const PGREP_PER_PROCESS_NS = 4_000;
const EXIT_USAGE = 2;
const EXIT_FATAL = 3;
const SIGTERM = 15;

function usage(name: string, pkill: boolean): string {
  return (
    '\nUsage:\n' +
    ` ${name} [options] <pattern>\n\nOptions:\n` +
    (pkill
      ? ' -<sig>, --signal <sig>    signal to send (either number or name)\n' +
        ' -q, --queue <value>       integer value to be sent with the signal\n' +
        ' -e, --echo                display what is killed\n'
      : ' -d, --delimiter <string>  specify output delimiter\n' +
        ' -l, --list-name           list PID and process name\n' +
        ' -a, --list-full           list PID and full command line\n' +
        ' -v, --inverse             negates the matching\n' +
        ' -w, --lightweight         list all TID\n') +
    ' -c, --count               count of matching processes\n' +
    ' -f, --full                use full process name to match\n' +
    ' -g, --pgroup <PGID,...>   match listed process group IDs\n' +
    ' -G, --group <GID,...>     match real group IDs\n' +
    ' -i, --ignore-case         match case insensitively\n' +
    ' -n, --newest              select most recently started\n' +
    ' -o, --oldest              select least recently started\n' +
    ' -O, --older <seconds>     select where older than seconds\n' +
    ' -P, --parent <PPID,...>   match only child processes of the given parent\n' +
    ' -s, --session <SID,...>   match session IDs\n' +
    ' -t, --terminal <tty,...>  match by controlling terminal\n' +
    ' -u, --euid <ID,...>       match by effective IDs\n' +
    ' -U, --uid <ID,...>        match by real IDs\n' +
    ' -x, --exact               match exactly with the command name\n' +
    ' -F, --pidfile <file>      read PIDs from file\n' +
    ' -L, --logpidfile          fail if PID file is not locked\n' +
    ' -r, --runstates <state>   match runstates [D,S,Z,...]\n' +
    ' -A, --ignore-ancestors    exclude our ancestors from results\n' +
    ' --cgroup <grp,...>        match by cgroup v2 names\n' +
    ' --ns <PID>                match the processes that belong to the same\n' +
    '                           namespace as <pid>\n' +
    ' --nslist <ns,...>         list which namespaces will be considered for\n' +
    '                           the --ns option.\n' +
    '                           Available namespaces: ipc, mnt, net, pid, user, uts\n\n' +
    ' -h, --help     display this help and exit\n' +
    ' -V, --version  output version information and exit\n\n' +
    `For more details see ${pkill ? 'pkill' : 'pgrep'}(1).\n`
  );
}

class PgrepExit {
  constructor(readonly status: number, readonly message: string) {}
}

/** pgrep and pkill share everything but what they do with the selection. */
function* pgrepOrPkill({ argv }: ProgramArgs, pkill: boolean): Program {
  const name = lastComponent(argv[0] ?? (pkill ? 'pkill' : 'pgrep')) || (pkill ? 'pkill' : 'pgrep');
  yield PGREP_SETUP_NS;
  const args = argv.slice(1);
  let signal = SIGTERM;
  if (pkill) {
    const s = extractSignalWord(args);
    if (s > -1) signal = s;
  }
  const specs: OptionSpec[] = [
    { long: 'signal', arg: 'required' },
    { short: 'A', long: 'ignore-ancestors' },
    { short: 'c', long: 'count' },
    { long: 'cgroup', arg: 'required' },
    { short: 'f', long: 'full' },
    { short: 'g', long: 'pgroup', arg: 'required' },
    { short: 'G', long: 'group', arg: 'required' },
    { short: 'i', long: 'ignore-case' },
    { short: 'n', long: 'newest' },
    { short: 'o', long: 'oldest' },
    { short: 'O', long: 'older', arg: 'required' },
    { short: 'P', long: 'parent', arg: 'required' },
    { short: 's', long: 'session', arg: 'required' },
    { short: 't', long: 'terminal', arg: 'required' },
    { short: 'u', long: 'euid', arg: 'required' },
    { short: 'U', long: 'uid', arg: 'required' },
    { short: 'x', long: 'exact' },
    { short: 'F', long: 'pidfile', arg: 'required' },
    { short: 'L', long: 'logpidfile' },
    { short: 'r', long: 'runstates', arg: 'required' },
    { long: 'ns', arg: 'required' },
    { long: 'nslist', arg: 'required' },
    { short: 'h', long: 'help' },
    { short: 'V', long: 'version' },
    ...(pkill
      ? [{ short: 'e', long: 'echo' }, { short: 'q', long: 'queue', arg: 'required' }] as OptionSpec[]
      : [{ short: 'l', long: 'list-name' }, { short: 'a', long: 'list-full' }, { short: 'd', long: 'delimiter', arg: 'required' }, { short: 'v', long: 'inverse' }, { short: 'w', long: 'lightweight' }] as OptionSpec[]),
  ];
  const out = new OutBuffer(1);
  const users = yield* UserDb.load();
  try {
    let parsed;
    try {
      parsed = getopt(name, args, specs);
    } catch (e) {
      if (!(e instanceof GetoptError)) throw e;
      throw new PgrepExit(EXIT_USAGE, `${e.message}\n${usage(name, pkill)}`);
    }
    const bad = (): never => {
      throw new PgrepExit(EXIT_USAGE, usage(name, pkill));
    };
    const warnings: string[] = [];
    const list = (v: string, conv: (s: string) => number | null): number[] => {
      const items = v.split(',');
      const nums = items.map(conv);
      if (items.some((s) => s === '') || nums.some((n) => n === null)) {
        if (warnings.length) throw new PgrepExit(EXIT_USAGE, warnings.map((w) => `${name}: ${w}\n`).join('') + usage(name, pkill));
        bad();
      }
      return nums as number[];
    };
    const num = (what: string) => (s: string): number | null => {
      if (/^[-+]?\d+$/.test(s)) return Number(s);
      warnings.push(`${what}: ${s}`);
      return null;
    };
    const uid = (s: string): number | null => {
      if (/^[-+]?\d+$/.test(s)) return Number(s);
      const u = users.getpwnam(s);
      if (!u) warnings.push(`invalid user name: ${s}`);
      return u ? u.uid : null;
    };
    const gid = (s: string): number | null => {
      if (/^[-+]?\d+$/.test(s)) return Number(s);
      const g = users.getgrnam(s);
      if (!g) warnings.push(`invalid group name: ${s}`);
      return g ? g.gid : null;
    };
    let criteria = 0;
    const o = {
      count: false, full: false, icase: false, newest: false, oldest: false, older: 0, exact: false, negate: false,
      long: false, longlong: false, echo: false, delim: '\n',
      ppid: null as number[] | null, pgrp: null as number[] | null, sid: null as number[] | null,
      euid: null as number[] | null, ruid: null as number[] | null, rgid: null as number[] | null,
      term: null as string[] | null, runstates: null as string | null, pids: null as number[] | null,
    };
    const myPgrp = yield* sys.getpgrp();
    const mySid = yield* sys.getsid(0);
    for (const [k, v] of parsed.list) {
      const val = String(v);
      switch (k) {
        case 'signal': {
          let s = parseSignal(val);
          if (s === -1 && /^\d/.test(val)) s = parseInt(val, 10);
          signal = s;
          break;
        }
        case 'count': o.count = true; break;
        case 'full': o.full = true; break;
        case 'ignore-case': if (o.icase) bad(); o.icase = true; break;
        case 'newest': if (o.oldest || o.negate || o.newest) bad(); o.newest = true; criteria++; break;
        case 'oldest': if (o.oldest || o.negate || o.newest) bad(); o.oldest = true; criteria++; break;
        case 'older': o.older = parseInt(val, 10) || 0; criteria++; break;
        case 'exact': o.exact = true; break;
        case 'inverse': if (o.oldest || o.negate || o.newest) bad(); o.negate = true; break;
        case 'list-name': o.long = true; break;
        case 'list-full': o.longlong = true; break;
        case 'echo': o.echo = true; break;
        case 'delimiter': o.delim = val; break;
        case 'parent': o.ppid = list(val, num('not a number')); criteria++; break;
        case 'pgroup': o.pgrp = list(val, num('invalid process group')).map((n) => (n === 0 ? (myPgrp as number) : n)); criteria++; break;
        case 'session': o.sid = list(val, num('invalid session id')).map((n) => (n === 0 ? (mySid as number) : n)); criteria++; break;
        case 'euid': o.euid = list(val, uid); criteria++; break;
        case 'uid': o.ruid = list(val, uid); criteria++; break;
        case 'group': o.rgid = list(val, gid); criteria++; break;
        case 'terminal': o.term = val.split(','); criteria++; break;
        case 'runstates': o.runstates = val; criteria++; break;
        case 'pidfile': {
          const text = yield* readFile(val);
          const m = text instanceof SysError ? null : /^\s*(\d+)/.exec(text);
          if (!m) throw new PgrepExit(1, `${name}: pidfile not valid\nTry \`${name} --help' for more information.\n`);
          o.pids = [Number(m[1])];
          criteria++;
          break;
        }
        case 'help':
          yield* out.write(usage(name, pkill));
          yield* out.flush();
          return 0;
        case 'version':
          yield* out.write(`${name} from procps-ng 4.0.2\n`);
          yield* out.flush();
          return 0;
        default: break;
      }
    }
    let pattern: string | null = null;
    if (parsed.operands.length === 1) pattern = parsed.operands[0];
    else if (parsed.operands.length > 1) throw new PgrepExit(EXIT_USAGE, `${name}: only one pattern can be provided\nTry \`${name} --help' for more information.\n`);
    else if (criteria === 0) throw new PgrepExit(EXIT_USAGE, `${name}: no matching criteria specified\nTry \`${name} --help' for more information.\n`);

    let regex: { test(s: string): boolean } | null = null;
    if (pattern !== null) {
      const re = compilePosixRegex(o.exact ? `^(${pattern})$` : pattern, { extended: true, icase: o.icase, dialect: 'sed' });
      if (re instanceof RegexSyntaxError) throw new PgrepExit(EXIT_USAGE, `${name}: regex error: ${re.message}\n`);
      regex = re.regex;
    }

    const self = yield* sys.getpid();
    const uptime = yield* readFile('/proc/uptime');
    const bootTics = uptime instanceof SysError ? 0 : Math.trunc(Number(uptime.split(' ')[0]) * HERTZ);
    const procs = yield* readProcTable();
    let matches: ProcInfo[] = [];
    let savedStart = o.newest ? 0 : Infinity;
    let savedPid = o.oldest ? Infinity : 0;
    for (const p of procs) {
      yield PGREP_PER_PROCESS_NS;
      if (p.pid === self) continue;
      let match = true;
      if (o.newest && p.startTicks < savedStart) match = false;
      else if (o.oldest && p.startTicks > savedStart) match = false;
      else if (o.ppid && !o.ppid.includes(p.ppid)) match = false;
      else if (o.pids && !o.pids.includes(p.pid)) match = false;
      else if (o.pgrp && !o.pgrp.includes(p.pgrp)) match = false;
      else if (o.euid && !o.euid.includes(p.euid)) match = false;
      else if (o.ruid && !o.ruid.includes(p.ruid)) match = false;
      else if (o.rgid && !o.rgid.includes(p.rgid)) match = false;
      else if (o.sid && !o.sid.includes(p.session)) match = false;
      else if (o.older && Math.trunc((bootTics - p.startTicks) / HERTZ) < o.older) match = false;
      else if (o.term) match = o.term.includes(ttyName(p.ttyNr));
      else if (o.runstates && !o.runstates.includes(p.state)) match = false;
      if (match && regex) {
        const subject = o.full ? commandLine(p) : p.comm;
        if (!regex.test(subject)) match = false;
      }
      if (match !== o.negate) {
        if (o.newest) {
          if (savedStart === p.startTicks && savedPid > p.pid) continue;
          savedStart = p.startTicks;
          savedPid = p.pid;
          matches = [];
        }
        if (o.oldest) {
          if (savedStart === p.startTicks && savedPid < p.pid) continue;
          savedStart = p.startTicks;
          savedPid = p.pid;
          matches = [];
        }
        matches.push(p);
      }
    }
    if (matches.length === 0 && !o.full && pattern !== null && pattern.length > 15) {
      yield* errOut(`${name}: pattern that searches for process name longer than 15 characters will result in zero matches\nTry \`${name} -f' option to match against the complete command line.\n`);
    }
    const label = (p: ProcInfo): string => (o.longlong ? commandLine(p) : p.comm);
    if (!pkill) {
      if (o.count) yield* out.write(`${matches.length}\n`);
      else {
        let text = '';
        matches.forEach((p, i) => {
          const d = i + 1 === matches.length ? '\n' : o.delim;
          text += (o.long || o.longlong ? `${p.pid} ${label(p)}` : String(p.pid)) + d;
        });
        yield* out.write(text);
      }
      yield* out.flush();
      return matches.length ? 0 : 1;
    }
    let killed = 0;
    for (const p of matches) {
      const r = yield* sys.kill(p.pid, signal);
      if (!(r instanceof SysError)) {
        if (o.echo) yield* out.write(`${label(p)} killed (pid ${p.pid})\n`);
        killed++;
        continue;
      }
      if (r.errno === 'ESRCH') continue;
      yield* out.flush();
      yield* errOut(`${name}: killing pid ${p.pid} failed: ${r.message}\n`);
    }
    if (o.count) yield* out.write(`${matches.length}\n`);
    yield* out.flush();
    return killed ? 0 : 1;
  } catch (e) {
    if (!(e instanceof PgrepExit)) throw e;
    yield* out.flush();
    yield* errOut(e.message);
    return e.status === EXIT_USAGE ? EXIT_USAGE : e.status === 1 ? 1 : EXIT_FATAL;
  }
}

export function* pgrepMain(args: ProgramArgs): Program {
  return yield* pgrepOrPkill(args, false);
}

export function* pkillMain(args: ProgramArgs): Program {
  return yield* pgrepOrPkill(args, true);
}
