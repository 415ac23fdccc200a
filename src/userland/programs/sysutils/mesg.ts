/**
 * mesg(1) from util-linux 2.38: whether others may write(1) to your terminal — the
 * group-write bit of the terminal on standard input. `mesg` says "is y" or "is n";
 * `mesg y` / `mesg n` set it. Exit status 0 when messages are allowed, 1 when not, 2
 * when standard input is not a terminal (silently, as util-linux does without -v).
 * Debian's root .profile runs `mesg n 2> /dev/null || true` at every login.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { isatty, parseOptions, usageError } from './gnu-style.js';

/** User CPU of mesg — a design choice. */
const MESG_NS = 10_000;
/** S_IWGRP: the bit write(1) and wall(1) look at. */
const S_IWGRP = 0o020;

export function* mesgMain({ argv }: ProgramArgs): Program {
  const prog = 'mesg';
  yield MESG_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [{ short: 'v', long: 'verbose' }]);
  if (!parsed) return 1;
  const verbose = parsed.values.has('v');
  const [want, extra] = parsed.operands;
  if (extra !== undefined) return yield* usageError(prog, null);
  if (want !== undefined && want !== 'y' && want !== 'n') return yield* usageError(prog, `invalid argument: ${want}`);
  const out = new OutBuffer(1);
  if (!(yield* isatty(0))) {
    if (verbose) {
      const err = new OutBuffer(2);
      yield* err.write(`${prog}: ttyname failed: Inappropriate ioctl for device\n`);
      yield* err.flush();
    }
    return 2;
  }
  const st = yield* sys.fstat(0);
  if (st instanceof SysError) return 2;
  const tty = yield* sys.readlink('/proc/self/fd/0');
  if (want === undefined) {
    yield* out.write(st.mode & S_IWGRP ? 'is y\n' : 'is n\n');
    yield* out.flush();
    return st.mode & S_IWGRP ? 0 : 1;
  }
  const mode = want === 'y' ? st.mode | S_IWGRP : st.mode & ~S_IWGRP;
  const r = tty instanceof SysError ? tty : yield* sys.chmod(tty, mode & 0o7777);
  if (r instanceof SysError) {
    const err = new OutBuffer(2);
    yield* err.write(`${prog}: change ${tty instanceof SysError ? 'terminal' : tty} mode failed: ${r.message}\n`);
    yield* err.flush();
    return 2;
  }
  if (verbose) yield* out.write(want === 'y' ? 'write access to your terminal is allowed\n' : 'write access to your terminal is denied\n');
  yield* out.flush();
  return want === 'y' ? 0 : 1;
}
