/**
 * tty(1) from GNU coreutils 9.1: the name of the terminal on standard input
 * (ttyname(3): the /proc/self/fd/0 link of a terminal), or "not a tty" and exit
 * status 1; -s prints nothing and only sets the status. Exit 2 on a usage error.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { isatty, parseOptions, quote, usageError } from './gnu-style.js';

/** User CPU of tty — a design choice. */
const TTY_NS = 10_000;

export function* ttyMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'tty';
  yield TTY_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [{ short: 's', long: 'silent' }, { long: 'quiet', key: 'silent' }]);
  if (!parsed) return 2;
  if (parsed.operands.length) return yield* usageError(prog, `extra operand ${quote(parsed.operands[0])}`, 2);
  const silent = parsed.values.has('silent');
  const tty = yield* isatty(0);
  if (silent) return tty ? 0 : 1;
  let name: string | null = null;
  if (tty) {
    const link = yield* sys.readlink('/proc/self/fd/0');
    name = link instanceof SysError ? null : link;
  }
  const out = new OutBuffer(1);
  yield* out.write(name === null ? 'not a tty\n' : `${name}\n`);
  yield* out.flush();
  return name === null ? 1 : 0;
}
