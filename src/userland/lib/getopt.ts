/**
 * Command-line option parsing as GNU getopt_long does it for coreutils: short
 * options bundle (-la), take arguments attached or separate (-n5, -n 5), long
 * options take --name=value or --name value and may be abbreviated to a unique
 * prefix, "--" ends options, and options may follow operands (permutation) unless
 * POSIXLY_CORRECT-style `stopAtOperand` is asked for.
 */

export interface OptionSpec {
  /** Short letter (one character), if any. */
  short?: string;
  /** Long name without dashes, if any. */
  long?: string;
  /**
   * 'none', 'required', or 'optional': an optional argument must be attached
   * (--name=value, -xVALUE), as with getopt's "x::". Give a short letter that takes
   * no argument while its long name does (ls -F, --classify[=WHEN]) as two specs.
   */
  arg?: 'none' | 'required' | 'optional';
  /** The key the parsed value is stored under (default: long name, else short letter). */
  key?: string;
}

export interface ParsedOptions {
  /** Options in the order given: [key, value-or-true]. */
  list: [string, string | true][];
  /** Last value per key. */
  values: Map<string, string | true>;
  operands: string[];
}

export class GetoptError extends Error {}

/** Parses `args` (argv without argv[0]). Throws GetoptError with GNU's message text. */
export function getopt(prog: string, args: readonly string[], specs: OptionSpec[], opts: { stopAtOperand?: boolean } = {}): ParsedOptions {
  const list: [string, string | true][] = [];
  const operands: string[] = [];
  const keyOf = (s: OptionSpec): string => s.key ?? s.long ?? s.short!;
  const push = (s: OptionSpec, v: string | true): void => {
    list.push([keyOf(s), v]);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const exact = specs.find((s) => s.long === name);
      const matches = exact ? [exact] : specs.filter((s) => s.long?.startsWith(name));
      if (matches.length === 0) throw new GetoptError(`${prog}: unrecognized option '${eq >= 0 ? a.slice(0, eq) : a}'`);
      // Like glibc, prefixes of several names for one option (--col: --color, --colour) are not ambiguous.
      if (matches.length > 1 && matches.some((m) => keyOf(m) !== keyOf(matches[0]) || (m.arg ?? 'none') !== (matches[0].arg ?? 'none'))) throw new GetoptError(`${prog}: option '${a}' is ambiguous; possibilities:${matches.map((m) => ` '--${m.long}'`).join('')}`);
      const s = matches[0];
      const kind = s.arg ?? 'none';
      if (kind === 'none') {
        if (eq >= 0) throw new GetoptError(`${prog}: option '--${s.long}' doesn't allow an argument`);
        push(s, true);
      } else if (eq >= 0) {
        push(s, a.slice(eq + 1));
      } else if (kind === 'required') {
        if (i + 1 >= args.length) throw new GetoptError(`${prog}: option '--${s.long}' requires an argument`);
        push(s, args[++i]);
      } else {
        push(s, true);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j];
        const s = specs.find((x) => x.short === c);
        if (!s) throw new GetoptError(`${prog}: invalid option -- '${c}'`);
        if (s.arg === 'optional') {
          push(s, j + 1 < a.length ? a.slice(j + 1) : true);
          break;
        }
        if ((s.arg ?? 'none') === 'required') {
          if (j + 1 < a.length) push(s, a.slice(j + 1));
          else if (i + 1 < args.length) push(s, args[++i]);
          else throw new GetoptError(`${prog}: option requires an argument -- '${c}'`);
          break;
        }
        push(s, true);
      }
      continue;
    }
    if (opts.stopAtOperand) {
      operands.push(...args.slice(i));
      break;
    }
    operands.push(a);
  }
  const values = new Map<string, string | true>();
  for (const [k, v] of list) values.set(k, v);
  return { list, values, operands };
}
