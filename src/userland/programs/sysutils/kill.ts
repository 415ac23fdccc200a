/**
 * kill(1) from procps-ng 4.0.2: sends a signal (default SIGTERM) to processes, or
 * with a negative PID (`kill -- -PGID`) to a process group. The signal is given
 * as -SIG, -NUM, -s SIG or --signal SIG; -l [SIG] lists names or converts one,
 * -L prints the table. Each failure is reported as `kill: (PID): No such process`
 * and makes the exit status 1.
 *
 * Deliberate difference: procps 4.0.2 turns an undeclared `-N` after the signal
 * (`kill -9 -123`) into PID -(first digit) through a getopt quirk; ctsim sends to
 * process group N, as the documentation intends.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { convertSignal, extractSignalWord, formatSignalList, formatSignalTable, parseSignal } from './procps-signals.js';

/** User CPU of kill — a design choice. */
const KILL_NS = 10_000;
const SIGTERM = 15;

function usage(prog: string): string {
  return (
    '\nUsage:\n' +
    ` ${prog} [options] <pid> [...]\n\n` +
    'Options:\n' +
    ' <pid> [...]            send signal to every <pid> listed\n' +
    ' -<signal>, -s, --signal <signal>\n' +
    '                        specify the <signal> to be sent\n' +
    ' -q, --queue <value>    integer value to be sent with the signal\n' +
    ' -l, --list=[<signal>]  list all signal names, or convert one to a name\n' +
    ' -L, --table            list all signal names in a nice table\n\n' +
    ' -h, --help     display this help and exit\n' +
    ' -V, --version  output version information and exit\n\n' +
    'For more details see kill(1).\n'
  );
}

export function* killMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'kill';
  const shortName = prog.slice(prog.lastIndexOf('/') + 1);
  yield KILL_NS;
  const out = new OutBuffer(1);
  const args = argv.slice(1);
  if (args.length < 1) {
    yield* errOut(usage(shortName));
    return 1;
  }
  let signo = extractSignalWord(args);
  if (signo < 0) signo = SIGTERM;
  const pids: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      pids.push(...args.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      pids.push(a);
      continue;
    }
    const long = a.startsWith('--') ? a.slice(2) : null;
    const name = long !== null ? long.split('=')[0] : a[1];
    const attached = long !== null ? (long.includes('=') ? long.slice(long.indexOf('=') + 1) : null) : a.length > 2 ? a.slice(2) : null;
    const is = (short: string, longName: string): boolean => (long !== null ? longName.startsWith(name) && name.length > 0 : name === short);
    if (is('l', 'list')) {
      const arg = attached ?? (args[i + 1] !== undefined && !args[i + 1].startsWith('-') ? args[i + 1] : null);
      if (arg !== null) {
        const s = convertSignal(arg);
        if (s !== null) yield* out.write(s + '\n');
        else {
          yield* out.flush();
          yield* errOut(`${prog}: unknown signal name ${arg}\n`);
        }
      } else yield* out.write(formatSignalList());
      yield* out.flush();
      return 0;
    }
    if (is('L', 'table')) {
      yield* out.write(formatSignalTable());
      yield* out.flush();
      return 0;
    }
    if (is('s', 'signal') || is('q', 'queue')) {
      const v = attached ?? args[++i];
      if (v === undefined) {
        yield* errOut(`${prog}: invalid argument ${name}\n${usage(shortName)}`);
        return 1;
      }
      if (is('s', 'signal')) signo = parseSignal(v);
      continue;
    }
    if (is('h', 'help')) {
      yield* out.write(usage(shortName));
      yield* out.flush();
      return 0;
    }
    if (is('V', 'version')) {
      yield* out.write(`${shortName} from procps-ng 4.0.2\n`);
      yield* out.flush();
      return 0;
    }
    if (/^-\d+$/.test(a)) {
      pids.push(a);
      continue;
    }
    yield* errOut(`${prog}: invalid argument ${name}\n${usage(shortName)}`);
    return 1;
  }
  if (pids.length === 0) {
    yield* errOut(usage(shortName));
    return 1;
  }
  let status = 0;
  for (const p of pids) {
    // strtol_or_err: an optional sign and digits (leading blanks allowed), nothing else.
    if (!/^\s*[-+]?\d+$/.test(p)) {
      yield* errOut(`${prog}: failed to parse argument: '${p}'\n`);
      return 1;
    }
    const pid = Number(p.trim());
    const r = yield* sys.kill(pid, signo);
    if (r instanceof SysError) {
      yield* errOut(`${prog}: (${pid}): ${r.message}\n`);
      status = 1;
    }
  }
  return status;
}
