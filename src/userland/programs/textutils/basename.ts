/**
 * basename(1), GNU coreutils 9.1: strip the directory (and optionally a suffix) from
 * file names. `basename NAME [SUFFIX]`, or with -a/-s several NAMEs; -z ends each
 * name with NUL.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { out } from '../../lib/io.js';
import { quote } from '../../lib/gnu-quote.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';

/** The last component of `name`, as coreutils' base_name and strip_trailing_slashes give it. */
export function baseName(name: string): string {
  if (name === '') return '';
  const stripped = name.replace(/\/+$/, '');
  if (stripped === '') return '/';
  return stripped.slice(stripped.lastIndexOf('/') + 1);
}

/** Removes `suffix` from `base` if it is a proper suffix (never from "/"). */
export function removeSuffix(base: string, suffix: string): string {
  if (suffix === '' || base === '/' || base.length <= suffix.length || !base.endsWith(suffix)) return base;
  return base.slice(0, base.length - suffix.length);
}

export function* basenameMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(prog, argv, [
    { short: 'a', long: 'multiple', key: 'a' },
    { short: 's', long: 'suffix', arg: 'required', key: 's' },
    { short: 'z', long: 'zero', key: 'z' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} NAME [SUFFIX]\n  or:  ${prog} OPTION... NAME...\n` +
      'Print NAME with any leading directory components removed.\nIf specified, also remove a trailing SUFFIX.\n\n' +
      'Mandatory arguments to long options are mandatory for short options too.\n' +
      '  -a, --multiple       support multiple arguments and treat each as a NAME\n' +
      '  -s, --suffix=SUFFIX  remove a trailing SUFFIX; implies -a\n' +
      '  -z, --zero           end each output line with NUL, not newline\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('basename', 'Written by David MacKenzie.'),
  );
  if (hv !== null) return hv;
  const suffixOpt = opts.values.get('s');
  const multiple = opts.values.has('a') || suffixOpt !== undefined;
  const names = opts.operands;
  if (names.length === 0) return yield* usageError(prog, 'missing operand');
  const end = opts.values.has('z') ? '\0' : '\n';
  let suffix = typeof suffixOpt === 'string' ? suffixOpt : '';
  let list = names;
  if (!multiple) {
    if (names.length > 2) return yield* usageError(prog, `extra operand ${quote(names[2])}`);
    suffix = names[1] ?? '';
    list = [names[0]];
  }
  let o = '';
  for (const n of list) o += removeSuffix(baseName(n), suffix) + end;
  yield* out(o);
  return 0;
}
