/**
 * mkfifo(1) from GNU coreutils 9.1: makes a named pipe (fifo(7)) per NAME with
 * mknod(2) S_IFIFO — mode 0666 less the umask, or exactly -m MODE (made with the
 * umask, then set with chmod, as GNU mkfifo does). MODE may be octal or symbolic
 * (`a=rw - umask` is the base) but must not name set-user-ID, set-group-ID or sticky
 * bits ("mode must specify only file permission bits"). A NAME that cannot be made is
 * reported and the others are still made; the status is then 1.
 *
 * Simplification: no SELinux or SMACK, so -Z is accepted and ignored and --context=CTX
 * warns, as on a kernel without them.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { S_IFIFO } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { adjustMode, compileMode } from '../../lib/mode.js';
import { coreutilsVersion, helpOrVersion } from '../textutils/cli.js';
import { parseOptions, quoteaf, usageError } from './gnu-style.js';

/** User CPU of mkfifo, and per FIFO — design choices. */
const MKFIFO_NS = 12_000;
const MKFIFO_PER_NAME_NS = 2_000;
/** The base mode a=rw (MODE_RW_UGO) and the bits -m may name (S_IRWXUGO). */
const MODE_RW_UGO = 0o666;
const S_IRWXUGO = 0o777;

const help = (prog: string): string =>
  `Usage: ${prog} [OPTION]... NAME...\n` +
  'Create named pipes (FIFOs) with the given NAMEs.\n\n' +
  'Mandatory arguments to long options are mandatory for short options too.\n' +
  '  -m, --mode=MODE    set file permission bits to MODE, not a=rw - umask\n' +
  '  -Z                   set the SELinux security context to default type\n' +
  '      --context[=CTX]  like -Z, or if CTX is specified then set the SELinux\n' +
  '                         or SMACK security context to CTX\n' +
  '      --help        display this help and exit\n' +
  '      --version     output version information and exit\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Report any translation bugs to <https://translationproject.org/team/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/mkfifo>\n' +
  "or available locally via: info '(coreutils) mkfifo invocation'\n";

export function* mkfifoMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'mkfifo';
  yield MKFIFO_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'm', long: 'mode', arg: 'required' },
    { short: 'Z', key: 'context' },
    { long: 'context', arg: 'optional' },
    { long: 'help' },
    { long: 'version' },
  ]);
  if (!parsed) return 1;
  const done = yield* helpOrVersion(parsed, help(prog), coreutilsVersion('mkfifo', 'Written by David MacKenzie.'));
  if (done !== null) return done;
  // Options are acted on in order: --context=CTX warns when met, before any other check.
  for (const [key, value] of parsed.list) {
    if (key === 'context' && typeof value === 'string') yield* errOut(`${prog}: warning: ignoring --context; it requires an SELinux/SMACK-enabled kernel\n`);
  }
  if (parsed.operands.length === 0) return yield* usageError(prog, 'missing operand');
  let mode: number | null = null;
  const spec = parsed.values.get('mode');
  if (typeof spec === 'string') {
    const ch = compileMode(spec);
    if (!ch) {
      yield* errOut(`${prog}: invalid mode\n`);
      return 1;
    }
    const umask = (yield* sys.umask(0)) as number;
    yield* sys.umask(umask);
    mode = adjustMode(MODE_RW_UGO, false, umask, ch).mode;
    if (mode & ~S_IRWXUGO) {
      yield* errOut(`${prog}: mode must specify only file permission bits\n`);
      return 1;
    }
  }
  let status = 0;
  for (const name of parsed.operands) {
    yield MKFIFO_PER_NAME_NS;
    const r = yield* sys.mknod(name, S_IFIFO | (mode ?? MODE_RW_UGO));
    if (r instanceof SysError) {
      yield* errOut(`${prog}: cannot create fifo ${quoteaf(name)}: ${r.message}\n`);
      status = 1;
      continue;
    }
    if (mode !== null) {
      const c = yield* sys.chmod(name, mode);
      if (c instanceof SysError) {
        yield* errOut(`${prog}: cannot set permissions of ${quoteaf(name)}: ${c.message}\n`);
        status = 1;
      }
    }
  }
  return status;
}
