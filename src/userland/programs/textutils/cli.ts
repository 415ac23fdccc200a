/**
 * What the text tools share at their command line: option parsing with GNU's
 * messages, "Try 'prog --help'", --version texts, and xstrtoumax-style numbers
 * with size suffixes (`head -n 2K`).
 *
 * Every message names the program as argv[0] names it (GNU's program_name), so
 * `/usr/bin/head -n x` says "/usr/bin/head: invalid number of lines: 'x'".
 */
import type { Op } from '../../../kernel/proc/program.js';
import { errOut, out } from '../../lib/io.js';
import { getopt, GetoptError, type OptionSpec, type ParsedOptions } from '../../lib/getopt.js';

export type Gen<T> = Generator<Op, T, unknown>;

/** `prog: message` and `Try 'prog --help' for more information.` on stderr; returns `status`. */
export function* usageError(prog: string, message: string | null, status = 1): Gen<number> {
  yield* errOut((message === null ? '' : `${prog}: ${message}\n`) + `Try '${prog} --help' for more information.\n`);
  return status;
}

/** getopt with GNU's reaction to a bad option: the message, the Try line, and `status`. */
export function* parseOptions(
  prog: string,
  argv: readonly string[],
  specs: OptionSpec[],
  status = 1,
  opts: { stopAtOperand?: boolean } = {},
): Gen<ParsedOptions | number> {
  try {
    return getopt(prog, argv.slice(1), specs, opts);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    return yield* usageError(prog, e.message.slice(prog.length + 2), status);
  }
}

/** The options every GNU tool has. */
export const HELP_VERSION: OptionSpec[] = [
  { long: 'help', key: 'help' },
  { long: 'version', key: 'version' },
];

const GPL_NOTICE =
  'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\n' +
  'There is NO WARRANTY, to the extent permitted by law.\n';

/** The --version text of a coreutils 9.1 program. */
export function coreutilsVersion(name: string, authors: string): string {
  return `${name} (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n${GPL_NOTICE}\n${authors}\n`;
}

/** Handles --help and --version if they were given: prints the text and returns 0, else null. */
export function* helpOrVersion(opts: ParsedOptions, help: string, version: string): Gen<number | null> {
  for (const [k] of opts.list) {
    if (k === 'help') {
      yield* out(help);
      return 0;
    }
    if (k === 'version') {
      yield* out(version);
      return 0;
    }
  }
  return null;
}

/** Multipliers of xstrtoumax's suffixes (b, k/K, m/M, G, T, P, E, Z, Y; "KB" = 1000, "KiB" = 1024). */
const POWERS: Record<string, number> = { k: 1, K: 1, m: 2, M: 2, g: 3, G: 3, t: 4, T: 4, p: 5, P: 5, e: 6, E: 6, z: 7, Z: 7, y: 8, Y: 8 };

/** Why a number was refused: it is not one, or it does not fit. */
export type NumberError = 'invalid' | 'overflow';

/**
 * xstrtoumax(s, 10, "bkKmMGTPEZY0"): a non-negative decimal with an optional size
 * suffix. Leading white space and a '+' are skipped; '-' is refused. Values beyond 2^64-1
 * overflow. Simplification: results are JavaScript numbers (exact below 2^53).
 */
export function parseSize(s: string, suffixes = true): number | NumberError {
  const m = /^[ \t\n\v\f\r]*\+?(\d+)(.*)$/s.exec(s);
  if (!m) return 'invalid';
  let n = Number(m[1]);
  const suf = m[2];
  if (suf !== '') {
    if (!suffixes) return 'invalid';
    let mult: number;
    if (suf === 'b') mult = 512;
    else if (suf === 'c') return 'invalid';
    else {
      const p = POWERS[suf[0]];
      if (p === undefined) return 'invalid';
      const rest = suf.slice(1);
      const base = rest === '' || rest === 'iB' ? 1024 : rest === 'B' ? 1000 : 0;
      if (base === 0) return 'invalid';
      mult = base ** p;
    }
    n *= mult;
  }
  if (n > 2 ** 64 - 1) return 'overflow';
  return n;
}
