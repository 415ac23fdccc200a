/**
 * nice(1) from GNU coreutils 9.1: without a command, prints the niceness; with
 * one, runs it with the niceness raised by N (default 10; `-n N`, `--adjustment=N`
 * or the old `-N`). Lowering it needs privilege: nice warns "cannot set niceness:
 * Permission denied" and runs the command anyway. Exit 125 for nice's own errors,
 * 126/127 when the command cannot run or is not found.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { PRIO_PROCESS } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { execvp } from '../../lib/exec.js';
import { quote, quoteaf, usageError } from './gnu-style.js';

/** User CPU of nice — a design choice. */
const NICE_NS = 10_000;
/** The default adjustment (coreutils' nice). */
const DEFAULT_ADJUSTMENT = 10;
const EXIT_CANCELED = 125;

export function* niceMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'nice';
  yield NICE_NS;
  let adjustment: string | null = null;
  let i = 1;
  // nice's own parse: -N / -n N / -nN / --adjustment=N, options stop at the command.
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      i++;
      break;
    }
    if (/^-[-+]?\d+$/.test(a) && !a.startsWith('--')) adjustment = a.slice(1);
    else if (a === '-n' || a === '--adjustment') {
      if (i + 1 >= argv.length) {
        yield* errOut(a === '-n' ? `${prog}: option requires an argument -- 'n'\n` : `${prog}: option '--adjustment' requires an argument\n`);
        return yield* usageError(prog, null, EXIT_CANCELED);
      }
      adjustment = argv[++i];
    } else if (a.startsWith('-n')) adjustment = a.slice(2);
    else if (a.startsWith('--adjustment=')) adjustment = a.slice(13);
    else if (a.startsWith('-') && a !== '-') {
      yield* errOut(a.startsWith('--') ? `${prog}: unrecognized option ${quote(a)}\n` : `${prog}: invalid option -- '${a[1]}'\n`);
      return yield* usageError(prog, null, EXIT_CANCELED);
    } else break;
  }
  const command = argv.slice(i);
  if (command.length === 0) {
    if (adjustment !== null) {
      yield* errOut(`${prog}: a command must be given with an adjustment\n`);
      return yield* usageError(prog, null, EXIT_CANCELED);
    }
    const cur = yield* sys.getpriority(PRIO_PROCESS, 0);
    const out = new OutBuffer(1);
    yield* out.write(`${cur instanceof SysError ? 0 : cur}\n`);
    return (yield* out.flush()) ? EXIT_CANCELED : 0;
  }
  let adj = DEFAULT_ADJUSTMENT;
  if (adjustment !== null) {
    if (!/^\s*[-+]?\d+$/.test(adjustment)) {
      yield* errOut(`${prog}: invalid adjustment ${quote(adjustment)}\n`);
      return EXIT_CANCELED;
    }
    adj = Math.max(-40, Math.min(40, Number(adjustment)));
  }
  const cur = yield* sys.getpriority(PRIO_PROCESS, 0);
  const r = yield* sys.setpriority(PRIO_PROCESS, 0, (cur instanceof SysError ? 0 : cur) + adj);
  if (r instanceof SysError) {
    yield* errOut(`${prog}: cannot set niceness: ${r.errno === 'EACCES' || r.errno === 'EPERM' ? 'Permission denied' : r.message}\n`);
    if (!(r.errno === 'EACCES' || r.errno === 'EPERM')) return EXIT_CANCELED;
  }
  const err = yield* execvp(command[0], command, envp);
  yield* errOut(`${prog}: ${quoteaf(command[0])}: ${err.message}\n`);
  return err.errno === 'ENOENT' ? 127 : 126;
}
