/**
 * Conventions the file and system tools share, as GNU coreutils has them in the C
 * locale: gnulib's quoting styles for file names in messages (quote, quoteaf,
 * quotef, from lib/gnu-quote.ts), "Try 'PROG --help' for more information.", option parsing that prints
 * getopt's complaint, and small path and directory helpers.
 *
 * Error messages start with argv[0] as given (coreutils' program_name), so
 * `/usr/bin/rm x` says "/usr/bin/rm: cannot remove 'x': …" and `rm x` says "rm: …".
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_DIRECTORY, O_RDONLY } from '../../../kernel/vfs/types.js';
import { TCGETS } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { getopt, GetoptError, type OptionSpec, type ParsedOptions } from '../../lib/getopt.js';
import { quote as gnuQuote, quoteShell, quoteShellAlways } from '../../lib/gnu-quote.js';

export type Gen<T> = Generator<Op, T, unknown>;

/** gnulib quote() (locale style): 'name'. */
export const quote = gnuQuote;
/** quoteaf (shell_escape_always): always quoted, `"it's"`, `'a'$'\n''b'`. */
export const quoteaf = quoteShellAlways;
/** quotef (shell_escape): quoted only when the shell would need it. */
export const quotef = quoteShell;

/** Prints `prog: message` (if any) and coreutils' "Try 'prog --help'" line; returns `status`. */
export function* usageError(prog: string, message: string | null, status = 1): Gen<number> {
  yield* errOut((message ? `${prog}: ${message}\n` : '') + `Try '${prog} --help' for more information.\n`);
  return status;
}

/** getopt_long with GNU's diagnostics: null (after printing the complaint and the "Try" line) on a bad option. */
export function* parseOptions(
  prog: string,
  args: readonly string[],
  specs: OptionSpec[],
  opts: { stopAtOperand?: boolean; status?: number } = {},
): Gen<ParsedOptions | null> {
  try {
    return getopt(prog, args, specs, opts);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry '${prog} --help' for more information.\n`);
    return null;
  }
}

/** isatty(3): whether `fd` is a terminal (TCGETS succeeds). */
export function* isatty(fd: number): Gen<boolean> {
  const r = yield* sys.ioctl(fd, TCGETS);
  return !(r instanceof SysError);
}

/** The names in directory `path` in the order getdents(2) gives them, "." and ".." included. */
export function* readDirNames(path: string): Gen<string[] | SysError> {
  const fd = yield* sys.open(path, O_RDONLY | O_DIRECTORY);
  if (fd instanceof SysError) return fd;
  const names: string[] = [];
  for (;;) {
    const batch = yield* sys.getdents(fd);
    if (batch instanceof SysError) {
      yield* sys.close(fd);
      return batch;
    }
    if (batch.length === 0) break;
    for (const e of batch) names.push(e.name);
  }
  yield* sys.close(fd);
  return names;
}

/** `dir/name`, without doubling a slash. */
export function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** basename(3) of POSIX: the last component, trailing slashes ignored ("/" for "/"). */
export function lastComponent(path: string): string {
  const t = path.replace(/\/+$/, '');
  if (t === '') return path.startsWith('/') ? '/' : '';
  return t.slice(t.lastIndexOf('/') + 1);
}

/** dirname(3) of POSIX: everything before the last component ("." when there is no slash). */
export function parentPath(path: string): string {
  const t = path.replace(/\/+$/, '');
  if (t === '') return path.startsWith('/') ? '/' : '.';
  const i = t.lastIndexOf('/');
  if (i < 0) return '.';
  const d = t.slice(0, i).replace(/\/+$/, '');
  return d === '' ? '/' : d;
}

/** Parses a decimal integer the way xstrtol-based tools accept it (optional sign, digits only). */
export function parseInteger(text: string): number | null {
  if (!/^[-+]?\d+$/.test(text.trim())) return null;
  const n = Number(text.trim());
  return Number.isSafeInteger(n) ? n : null;
}
