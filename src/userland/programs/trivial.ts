/** true(1), false(1), sleep(1) and echo(1) (the coreutils programs; sh has echo as a builtin too). */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import * as sys from '../lib/sys.js';
import { SysError } from '../../kernel/errno.js';
import { out, complain } from '../lib/io.js';
import { parseInterval } from '../lib/time.js';

export function* trueMain(): Program {
  return 0;
}

export function* falseMain(): Program {
  return 1;
}

/** Parses a sleep(1) duration: a number with an optional suffix s, m, h or d. */
export function* sleepMain({ argv }: ProgramArgs): Program {
  const args = argv.slice(1);
  if (args.length === 0) {
    yield* complain('sleep', 'missing operand');
    yield* out('');
    yield* sys.write(2, "Try 'sleep --help' for more information.\n");
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const s = parseInterval(a);
    if (s === null) {
      yield* complain('sleep', `invalid time interval '${a}'`);
      yield* sys.write(2, "Try 'sleep --help' for more information.\n");
      return 1;
    }
    total += s;
  }
  // `sleep inf` sleeps until a signal ends it.
  if (!Number.isFinite(total)) for (;;) yield* sys.pause();
  const r = yield* sys.nanosleep(Math.round(total * 1e9));
  return r instanceof SysError ? 1 : 0;
}
