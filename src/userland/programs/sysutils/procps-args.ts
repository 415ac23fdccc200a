/**
 * How procps-ng 4.0.2's free and vmstat read their command lines: getopt_long driven
 * one option at a time, and strtol_or_err for numbers.
 *
 * Simplification: a bundle holding a bad letter (`-kz`) is dropped whole, so its
 * letters before the bad one are not acted on.
 */
import { getopt, GetoptError, type OptionSpec } from '../../lib/getopt.js';

export interface OptionsInOrder {
  /** The options getopt gave before failing (all of them if it did not), in order. */
  list: [string, string | true][];
  /** Operands, when parsing succeeded. */
  operands: string[];
  /** getopt's complaint (GNU's text, starting with argv[0]), if any. */
  error: GetoptError | null;
}

/**
 * getopt_long as a C program's `while ((c = getopt_long(…)) != -1) switch (c)` loop
 * meets it: each option is acted on as getopt hands it out, so an option that fails
 * its own check (free's `-c 0`) is reported before an unknown option after it
 * (`free -c 0 --bogus` complains about the count, `free --bogus -c 0` about the
 * option). The caller walks `list` in order and, if it gets to the end, reports
 * `error`.
 */
export function getoptInOrder(prog: string, args: readonly string[], specs: OptionSpec[]): OptionsInOrder {
  let error: GetoptError;
  try {
    const parsed = getopt(prog, args, specs);
    return { list: parsed.list, operands: parsed.operands, error: null };
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    error = e;
  }
  // The longest prefix of the arguments that parses holds every option before the bad one.
  for (let n = args.length - 1; n >= 0; n--) {
    try {
      return { list: getopt(prog, args.slice(0, n), specs).list, operands: [], error };
    } catch (e) {
      if (!(e instanceof GetoptError)) throw e;
    }
  }
  return { list: [], operands: [], error };
}

/**
 * strtol(3) of a whole argument, as procps's strtol_or_err checks it: leading blanks
 * and a sign, then only decimal digits. The value, 'invalid', or 'range' (beyond a C
 * long, ERANGE).
 */
export function parseCLong(text: string): number | 'invalid' | 'range' {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)$/.exec(text);
  if (!m) return 'invalid';
  const n = BigInt(m[1] + m[2]);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return 'range';
  return Number(n);
}
