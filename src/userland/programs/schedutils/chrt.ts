/**
 * chrt(1) from util-linux: show or set a process's real-time scheduling policy and
 * priority (sched_setscheduler(2)), or run a command with them.
 *
 *   chrt -p PID                 show
 *   chrt -f -p 10 PID           set SCHED_FIFO 10 on PID
 *   chrt -r 5 COMMAND [ARG…]    run COMMAND under SCHED_RR 5
 *   chrt -m                     show each policy's priority range
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, out } from '../../lib/io.js';
import { execvp } from '../../lib/exec.js';
import { SchedPolicy } from '../../../kernel/proc/task.js';

const NAMES: Record<number, string> = {
  [SchedPolicy.Other]: 'SCHED_OTHER',
  [SchedPolicy.Fifo]: 'SCHED_FIFO',
  [SchedPolicy.RR]: 'SCHED_RR',
  [SchedPolicy.Batch]: 'SCHED_BATCH',
  [SchedPolicy.Idle]: 'SCHED_IDLE',
};

const USAGE = "Try 'chrt --help' for more information.\n";

export function* chrtMain({ argv, envp }: ProgramArgs): Program {
  let policy: number = SchedPolicy.RR;
  let pidMode = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-' || /^-?\d+$/.test(a)) break;
    if (a === '--') {
      i++;
      break;
    }
    if (a === '-m' || a === '--max') {
      for (const p of [SchedPolicy.Other, SchedPolicy.Fifo, SchedPolicy.RR, SchedPolicy.Batch, SchedPolicy.Idle]) {
        const rt = p === SchedPolicy.Fifo || p === SchedPolicy.RR;
        yield* out(`${NAMES[p]} min/max priority\t: ${rt ? 1 : 0}/${rt ? 99 : 0}\n`);
      }
      yield* out('SCHED_DEADLINE min/max priority\t: 0/0\n');
      return 0;
    }
    const longs: Record<string, string> = { '--fifo': 'f', '--rr': 'r', '--other': 'o', '--batch': 'b', '--idle': 'i', '--pid': 'p' };
    const letters = longs[a] ?? a.slice(1);
    for (const c of letters) {
      if (c === 'f') policy = SchedPolicy.Fifo;
      else if (c === 'r') policy = SchedPolicy.RR;
      else if (c === 'o') policy = SchedPolicy.Other;
      else if (c === 'b') policy = SchedPolicy.Batch;
      else if (c === 'i') policy = SchedPolicy.Idle;
      else if (c === 'p') pidMode = true;
      else {
        yield* errOut(`chrt: invalid option -- '${c}'\n${USAGE}`);
        return 1;
      }
    }
  }
  const rest = argv.slice(i);
  if (pidMode && rest.length === 1) {
    const pid = Number(rest[0]);
    const p = yield* sys.schedGetscheduler(pid);
    if (p instanceof SysError) {
      yield* errOut(`chrt: failed to get pid ${rest[0]}'s policy: ${p.message}\n`);
      return 1;
    }
    const prio = yield* sys.schedGetparam(pid);
    yield* out(`pid ${pid}'s current scheduling policy: ${NAMES[p] ?? p}\npid ${pid}'s current scheduling priority: ${prio instanceof SysError ? 0 : prio}\n`);
    return 0;
  }
  if (rest.length < 2) {
    yield* errOut(`chrt: too few arguments\n${USAGE}`);
    return 1;
  }
  const prio = Number(rest[0]);
  if (!Number.isInteger(prio)) {
    yield* errOut(`chrt: invalid priority argument: '${rest[0]}'\n${USAGE}`);
    return 1;
  }
  const target = pidMode ? Number(rest[1]) : 0;
  const r = yield* sys.schedSetscheduler(target, policy, prio);
  if (r instanceof SysError) {
    yield* errOut(`chrt: failed to set pid ${target}'s policy: ${r.message}\n`);
    return 1;
  }
  if (pidMode) return 0;
  const e = yield* execvp(rest[1], rest.slice(1), envp);
  yield* errOut(`chrt: failed to execute ${rest[1]}: ${e.message}\n`);
  return e.errno === 'ENOENT' ? 127 : 126;
}
