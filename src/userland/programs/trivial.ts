/** true(1), false(1), sleep(1) and echo(1) (the coreutils programs; sh has echo as a builtin too). */
import type { Program, ProgramArgs } from '../../kernel/proc/program.js';
import * as sys from '../lib/sys.js';
import { SysError } from '../../kernel/errno.js';
import { errOut } from '../lib/io.js';
import { quote } from '../lib/gnu-quote.js';
import { coreutilsVersion, helpOrVersion, HELP_VERSION, parseOptions, usageError } from './textutils/cli.js';
import { parseInterval } from '../lib/time.js';

export function* trueMain(): Program {
  return 0;
}

export function* falseMain(): Program {
  return 1;
}

const SLEEP_HELP =
  'Usage: sleep NUMBER[SUFFIX]...\n  or:  sleep OPTION\n' +
  "Pause for NUMBER seconds.  SUFFIX may be 's' for seconds (the default),\n" +
  "'m' for minutes, 'h' for hours or 'd' for days.  NUMBER need not be an\n" +
  'integer.  Given two or more arguments, pause for the amount of time\nspecified by the sum of their values.\n\n' +
  '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Report any translation bugs to <https://translationproject.org/team/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/sleep>\n' +
  "or available locally via: info '(coreutils) sleep invocation'\n";

/**
 * sleep(1), coreutils 9.1: pauses for the sum of its intervals (parseInterval: what
 * strtod takes, then s/m/h/d); every invalid one is reported before it gives up.
 * An interval too long to count (inf, 1e300) sleeps until a signal ends it.
 */
export function* sleepMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'sleep';
  const opts = yield* parseOptions(prog, argv, HELP_VERSION);
  if (typeof opts === 'number') return opts;
  const done = yield* helpOrVersion(opts, SLEEP_HELP, coreutilsVersion('sleep', 'Written by Jim Meyering and Paul Eggert.'));
  if (done !== null) return done;
  if (opts.operands.length === 0) return yield* usageError(prog, 'missing operand');
  let total = 0;
  let ok = true;
  for (const a of opts.operands) {
    const s = parseInterval(a);
    if (s === null) {
      yield* errOut(`${prog}: invalid time interval ${quote(a)}\n`);
      ok = false;
    } else total += s;
  }
  if (!ok) return yield* usageError(prog, null);
  const ns = Math.round(total * 1e9);
  if (!Number.isSafeInteger(ns)) for (;;) yield* sys.pause();
  const r = yield* sys.nanosleep(ns);
  return r instanceof SysError ? 1 : 0;
}
