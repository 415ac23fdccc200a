/**
 * yes(1), GNU coreutils 9.1: repeat a line (its operands joined by spaces, or "y")
 * until the output is closed. Like coreutils it fills a BUFSIZ (8192-byte) buffer
 * with whole copies of the line and writes that buffer over and over; a closed pipe
 * ends it by SIGPIPE.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { writeAll, errOut } from '../../lib/io.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion } from './cli.js';

/** coreutils' buffer for yes (BUFSIZ). */
const YES_BUFFER_BYTES = 8192;
/** User time per buffer written: the loop around write(2). A design choice, not a measurement. */
const YES_NS_PER_WRITE = 150;

export function* yesMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  // Only --help and --version are options; any other option is an error.
  const opts = yield* parseOptions(prog, argv, HELP_VERSION);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [STRING]...\n  or:  ${prog} OPTION\nRepeatedly output a line with all specified STRING(s), or 'y'.\n\n` +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('yes', 'Written by David MacKenzie.'),
  );
  if (hv !== null) return hv;
  const line = (opts.operands.length > 0 ? opts.operands.join(' ') : 'y') + '\n';
  const copies = Math.max(1, Math.floor(YES_BUFFER_BYTES / line.length));
  const buf = line.repeat(copies);
  for (;;) {
    yield YES_NS_PER_WRITE;
    const e = yield* writeAll(1, buf);
    if (e instanceof SysError) {
      yield* errOut(`${prog}: standard output: ${e.message}\n`);
      return 1;
    }
  }
}
