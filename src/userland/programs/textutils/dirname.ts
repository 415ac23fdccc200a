/**
 * dirname(1), GNU coreutils 9.1: strip the last component from each file name
 * ("." when there is no slash); -z ends each name with NUL.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { out } from '../../lib/io.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';

/** gnulib dir_name: the directory part of `name` ("." if none, "/" for the root). */
export function dirName(name: string): string {
  let end = name.length;
  while (end > 1 && name[end - 1] === '/') end--;
  const slash = name.lastIndexOf('/', end - 1);
  if (slash < 0) return '.';
  let d = slash;
  while (d > 0 && name[d - 1] === '/') d--;
  return d === 0 ? '/' : name.slice(0, d);
}

export function* dirnameMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(prog, argv, [{ short: 'z', long: 'zero', key: 'z' }, ...HELP_VERSION]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION] NAME...\n` +
      "Output each NAME with its last non-slash component and trailing slashes\nremoved; if NAME contains no /'s, output '.' (meaning the current directory).\n\n" +
      '  -z, --zero     end each output line with NUL, not newline\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('dirname', 'Written by David MacKenzie and Jim Meyering.'),
  );
  if (hv !== null) return hv;
  if (opts.operands.length === 0) return yield* usageError(prog, 'missing operand');
  const end = opts.values.has('z') ? '\0' : '\n';
  yield* out(opts.operands.map((n) => dirName(n) + end).join(''));
  return 0;
}
