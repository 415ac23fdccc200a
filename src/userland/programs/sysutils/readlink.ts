/**
 * readlink(1) from GNU coreutils 9.1: the target of a symbolic link, or with
 * -f/-e/-m the canonical absolute name (gnulib canonicalize_filename_mode: all but
 * the last component must exist / all must / none need). -n omits the newline
 * (ignored with several names), -z ends with NUL, -v reports errors (readlink is
 * silent otherwise and only sets status 1).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { canonicalize, type CanonicalizeMode } from '../../lib/canonicalize.js';
import { parseOptions, quotef, usageError } from './gnu-style.js';

/** User CPU of readlink — a design choice. */
const READLINK_NS = 10_000;

export function* readlinkMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'readlink';
  yield READLINK_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'f', long: 'canonicalize' },
    { short: 'e', long: 'canonicalize-existing' },
    { short: 'm', long: 'canonicalize-missing' },
    { short: 'n', long: 'no-newline' },
    { short: 'q', long: 'quiet' },
    { short: 's', long: 'silent', key: 'quiet' },
    { short: 'v', long: 'verbose' },
    { short: 'z', long: 'zero' },
  ]);
  if (!parsed) return 1;
  let mode: CanonicalizeMode | null = null;
  let verbose = false;
  for (const [k] of parsed.list) {
    if (k === 'canonicalize') mode = 'all-but-last';
    else if (k === 'canonicalize-existing') mode = 'existing';
    else if (k === 'canonicalize-missing') mode = 'missing';
    else if (k === 'verbose') verbose = true;
    else if (k === 'quiet') verbose = false;
  }
  const names = parsed.operands;
  if (names.length === 0) return yield* usageError(prog, 'missing operand');
  let noNewline = parsed.values.has('no-newline');
  if (names.length > 1) {
    if (noNewline) yield* errOut(`${prog}: ignoring --no-newline with multiple arguments\n`);
    noNewline = false;
  }
  const end = parsed.values.has('zero') ? '\0' : '\n';
  const out = new OutBuffer(1);
  let status = 0;
  for (const name of names) {
    const value = mode !== null ? yield* canonicalize(name, mode) : yield* sys.readlink(name);
    if (value instanceof SysError) {
      status = 1;
      if (verbose) {
        yield* out.flush();
        yield* errOut(`${prog}: ${quotef(name)}: ${value.message}\n`);
      }
      continue;
    }
    yield* out.write(value + (noNewline ? '' : end));
  }
  const e = yield* out.flush();
  return e ? 1 : status;
}
