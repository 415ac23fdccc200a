/** true(1), false(1), sleep(1) and echo(1) (the coreutils programs; sh has echo as a builtin too). */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import * as sys from '../lib/sys.js';
import { SysError } from '../../kernel/errno.js';
import { out, complain } from '../lib/io.js';

export function* trueMain(): Program {
  return 0;
}

export function* falseMain(): Program {
  return 1;
}

/** Parses a sleep(1) duration: a number with an optional suffix s, m, h or d. */
export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(text);
  if (!m) return null;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2]]!;
  return Number(m[1]) * mult;
}

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
    const s = parseDuration(a);
    if (s === null) {
      yield* complain('sleep', `invalid time interval '${a}'`);
      yield* sys.write(2, "Try 'sleep --help' for more information.\n");
      return 1;
    }
    total += s;
  }
  const r = yield* sys.nanosleep(Math.round(total * 1e9));
  return r instanceof SysError ? 1 : 0;
}
