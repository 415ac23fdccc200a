/**
 * chrt(1) from util-linux 2.38: show or set a process's scheduling policy and
 * real-time priority (sched_getscheduler(2), sched_getparam(2),
 * sched_setscheduler(2)), or run a command under them.
 *
 *   chrt -p PID                 show PID's policy and priority
 *   chrt -f -p 10 PID           set SCHED_FIFO 10 on PID
 *   chrt -r 5 COMMAND [ARG…]    run COMMAND under SCHED_RR 5 (RR is the default)
 *   chrt -m                     each policy's priority range
 *
 * Options stop at the first operand, as util-linux's "+" getopt string asks, so
 * `chrt 5 ls -l` passes -l to ls. Messages name the program "chrt", as util-linux
 * does, whatever argv[0] says.
 *
 * Simplification: SCHED_DEADLINE (-d, -T, -P, -D), SCHED_RESET_ON_FORK (-R) and
 * threads (-a) are not modelled; those options are refused as unknown.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, out } from '../../lib/io.js';
import { execvp } from '../../lib/exec.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { SchedPolicy } from '../../../kernel/proc/task.js';

const PROG = 'chrt';
const TRY = `Try '${PROG} --help' for more information.\n`;
/** User CPU of chrt's own work, ns: a design choice. */
const CHRT_NS = 20_000;

const NAMES: Record<number, string> = {
  [SchedPolicy.Other]: 'SCHED_OTHER',
  [SchedPolicy.Fifo]: 'SCHED_FIFO',
  [SchedPolicy.RR]: 'SCHED_RR',
  [SchedPolicy.Batch]: 'SCHED_BATCH',
  [SchedPolicy.Idle]: 'SCHED_IDLE',
};

/** sched_get_priority_min/max(2) for each policy, in the order `chrt -m` lists them. */
const RANGES: [number, number, number][] = [
  [SchedPolicy.Other, 0, 0],
  [SchedPolicy.Fifo, 1, 99],
  [SchedPolicy.RR, 1, 99],
  [SchedPolicy.Batch, 0, 0],
  [SchedPolicy.Idle, 0, 0],
];

const HELP =
  'Show or change the real-time scheduling attributes of a process.\n\n' +
  'Set policy:\n chrt [options] <priority> <command> [<arg>...]\n chrt [options] --pid <priority> <pid>\n\n' +
  'Get policy:\n chrt [options] -p <pid>\n\n' +
  'Policy options:\n' +
  ' -b, --batch          set policy to SCHED_BATCH\n' +
  ' -f, --fifo           set policy to SCHED_FIFO\n' +
  ' -i, --idle           set policy to SCHED_IDLE\n' +
  ' -o, --other          set policy to SCHED_OTHER\n' +
  ' -r, --rr             set policy to SCHED_RR (default)\n\n' +
  'Other options:\n' +
  ' -m, --max            show min and max valid priorities\n' +
  ' -p, --pid            operate on existing given pid\n' +
  ' -v, --verbose        display status information\n\n' +
  ' -h, --help           display this help\n' +
  ' -V, --version        display version\n\n' +
  'For more details see chrt(1).\n';

const POLICY_OPTIONS: Record<string, number> = {
  batch: SchedPolicy.Batch,
  fifo: SchedPolicy.Fifo,
  idle: SchedPolicy.Idle,
  other: SchedPolicy.Other,
  rr: SchedPolicy.RR,
};

/** A PID or priority as util-linux reads one: a whole decimal number of 32 bits, or why not. */
function parseInteger(s: string): number | 'invalid' | 'range' {
  if (!/^\s*[+-]?\d+$/.test(s)) return 'invalid';
  const n = Number(s);
  return n >= -0x80000000 && n <= 0x7fffffff ? n : 'range';
}

export function* chrtMain({ argv, envp }: ProgramArgs): Program {
  yield CHRT_NS;
  let parsed;
  try {
    parsed = getopt(
      PROG,
      argv.slice(1),
      [
        { short: 'b', long: 'batch' },
        { short: 'f', long: 'fifo' },
        { short: 'i', long: 'idle' },
        { short: 'o', long: 'other' },
        { short: 'r', long: 'rr' },
        { short: 'm', long: 'max' },
        { short: 'p', long: 'pid' },
        { short: 'v', long: 'verbose' },
        { short: 'h', long: 'help' },
        { short: 'V', long: 'version' },
      ],
      { stopAtOperand: true },
    );
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${TRY}`);
    return 1;
  }
  let policy: number = SchedPolicy.RR;
  let pidMode = false;
  let verbose = false;
  for (const [key] of parsed.list) {
    if (key in POLICY_OPTIONS) policy = POLICY_OPTIONS[key];
    else if (key === 'pid') pidMode = true;
    else if (key === 'verbose') verbose = true;
    else if (key === 'help') {
      yield* out(HELP);
      return 0;
    } else if (key === 'version') {
      yield* out('chrt from util-linux 2.38.1\n');
      return 0;
    } else if (key === 'max') {
      let text = '';
      for (const [p, min, max] of RANGES) text += `${NAMES[p]} min/max priority\t: ${min}/${max}\n`;
      yield* out(text + 'SCHED_DEADLINE min/max priority\t: 0/0\n');
      return 0;
    }
  }
  const rest = parsed.operands;

  // chrt -p PID: show. util-linux takes the PID from the last argument.
  if (pidMode && rest.length <= 1) {
    const text = rest[0] ?? argv[argv.length - 1];
    const pid = parseInteger(text);
    if (typeof pid !== 'number') {
      yield* errOut(`${PROG}: invalid PID argument: '${text}'\n`);
      return 1;
    }
    return yield* show(pid, 'current');
  }
  if (rest.length < 2) {
    yield* errOut(`${PROG}: bad usage\n${TRY}`);
    return 1;
  }
  const prio = parseInteger(rest[0]);
  if (typeof prio !== 'number') {
    yield* errOut(`${PROG}: invalid priority argument: '${rest[0]}'${prio === 'range' ? ': Numerical result out of range' : ''}\n`);
    return 1;
  }
  const range = RANGES.find(([p]) => p === policy)!;
  if (prio < range[1] || prio > range[2]) {
    yield* errOut(`${PROG}: unsupported priority value for the policy: ${prio}: see --max for valid range\n`);
    return 1;
  }
  let target = 0;
  if (pidMode) {
    // The PID is the last argument, as util-linux takes it.
    const pidText = rest[rest.length - 1];
    const pid = parseInteger(pidText);
    if (typeof pid !== 'number') {
      yield* errOut(`${PROG}: invalid PID argument: '${pidText}'\n`);
      return 1;
    }
    target = pid;
    // -v shows the attributes before and after the change.
    if (verbose && (yield* show(target, 'current')) !== 0) return 1;
  }
  const r = yield* sys.schedSetscheduler(target, policy, prio);
  if (r instanceof SysError) {
    yield* errOut(`${PROG}: failed to set pid ${target}'s policy: ${r.message}\n`);
    return 1;
  }
  if (pidMode) return verbose ? yield* show(target, 'new') : 0;
  const e = yield* execvp(rest[1], rest.slice(1), envp);
  yield* errOut(`${PROG}: failed to execute ${rest[1]}: ${e.message}\n`);
  return e.errno === 'ENOENT' ? 127 : 126;
}

/** "pid N's current (or new) scheduling policy: …" and its priority; PID 0 is chrt itself. */
function* show(pid: number, which: 'current' | 'new'): Program {
  if (pid === 0) {
    const self = yield* sys.getpid();
    if (!(self instanceof SysError)) pid = self;
  }
  const p = yield* sys.schedGetscheduler(pid);
  if (p instanceof SysError) {
    yield* errOut(`${PROG}: failed to get pid ${pid}'s policy: ${p.message}\n`);
    return 1;
  }
  const prio = yield* sys.schedGetparam(pid);
  if (prio instanceof SysError) {
    yield* errOut(`${PROG}: failed to get pid ${pid}'s attributes: ${prio.message}\n`);
    return 1;
  }
  yield* out(`pid ${pid}'s ${which} scheduling policy: ${NAMES[p] ?? p}\npid ${pid}'s ${which} scheduling priority: ${prio}\n`);
  return 0;
}
