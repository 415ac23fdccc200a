/**
 * GNU tar 1.34's command line (tar.c): the old bundled first argument (`tar xvf
 * a.tar` is `tar -x -v -f a.tar`), argp's options — which may come after the file
 * names — and the usage errors, exit 2 for tar's own ("You must specify one of …")
 * and 64 (EX_USAGE) for argp's ("invalid option -- 'Q'").
 */
import { getopt, GetoptError, type OptionSpec } from '../../lib/getopt.js';
import { errOut } from '../../lib/io.js';
import type { Gen } from './tar-io.js';

export type Subcommand = 'extract' | 'list' | 'create';

export interface TarOptions {
  subcommand: Subcommand;
  /** -f: the archive ("-" is standard input or output; Debian's default). */
  archive: string;
  /** Operands and -C directories, in command-line order (-C applies where it stands for -c). */
  args: ({ dir: string } | { name: string })[];
  verbose: number;
  /** -p (default for root); null when neither -p nor --no-same-permissions was given. */
  samePermissions: boolean | null;
  /** --same-owner (default for root) / --no-same-owner, -o; null when not given. */
  sameOwner: boolean | null;
  numericOwner: boolean;
  absoluteNames: boolean;
  stripComponents: number;
  oldFiles: 'default' | 'keep' | 'skip' | 'overwrite';
  toStdout: boolean;
  /** -m: do not restore modification times. */
  touch: boolean;
  /** -h: archive what symlinks point to. */
  dereference: boolean;
  /** -z, -j, -J, -Z, --zstd: the compression program asked for. */
  compressor: string | null;
}

/** The options that take an argument, by letter (for the old bundled form). */
const TAKES_ARG = new Set(['f', 'C', 'b', 'g', 'T', 'X', 'F', 'L', 'H', 'K', 'N', 'V', 'I']);

const SPECS: OptionSpec[] = [
  { short: 'x', long: 'extract', key: 'extract' },
  { long: 'get', key: 'extract' },
  { short: 't', long: 'list', key: 'list' },
  { short: 'c', long: 'create', key: 'create' },
  { short: 'f', long: 'file', arg: 'required' },
  { short: 'C', long: 'directory', arg: 'required' },
  { short: 'v', long: 'verbose' },
  { short: 'p', long: 'preserve-permissions', key: 'same-permissions' },
  { long: 'same-permissions', key: 'same-permissions' },
  { long: 'no-same-permissions' },
  { long: 'same-owner' },
  { long: 'no-same-owner' },
  { short: 'o', key: 'no-same-owner' },
  { long: 'numeric-owner' },
  { short: 'P', long: 'absolute-names' },
  { long: 'strip-components', arg: 'required' },
  { short: 'k', long: 'keep-old-files' },
  { long: 'skip-old-files' },
  { long: 'overwrite' },
  { short: 'O', long: 'to-stdout' },
  { short: 'm', long: 'touch' },
  { short: 'h', long: 'dereference' },
  { short: 'z', long: 'gzip', key: 'gzip' },
  { long: 'gunzip', key: 'gzip' },
  { long: 'ungzip', key: 'gzip' },
  { short: 'j', long: 'bzip2' },
  { short: 'J', long: 'xz' },
  { short: 'Z', long: 'compress', key: 'compress' },
  { long: 'uncompress', key: 'compress' },
  { long: 'zstd' },
  { short: '?', long: 'help' },
  { long: 'usage' },
  { long: 'version' },
];

const COMPRESSOR: Record<string, string> = { gzip: 'gzip', bzip2: 'bzip2', xz: 'xz', compress: 'compress', zstd: 'zstd' };

/** `tar xvf a.tar b` → `tar -x -v -f a.tar b`, or the letter whose argument is missing. */
export function explodeOldStyle(args: readonly string[]): string[] | { missing: string } {
  if (args.length === 0 || args[0].startsWith('-')) return [...args];
  const out: string[] = [];
  let next = 1;
  for (const letter of args[0]) {
    out.push(`-${letter}`);
    if (TAKES_ARG.has(letter)) {
      if (next >= args.length) return { missing: letter };
      out.push(args[next++]);
    }
  }
  return [...out, ...args.slice(next)];
}

/** What the command line asks for: options, or an exit status after the message (or after --help/--version). */
export type ParsedCommand = { kind: 'run'; options: TarOptions } | { kind: 'help' | 'usage' | 'version' } | { kind: 'exit'; status: number };

/** USAGE_ERROR(): the message and the "Try" line naming the program as invoked; exit 2. */
function* usageError(prog: string, message: string): Gen<ParsedCommand> {
  yield* errOut(`${prog}: ${message}\nTry '${prog} --help' or '${prog} --usage' for more information.\n`);
  return { kind: 'exit', status: 2 };
}

export function* parseTarCommand(prog: string, args: readonly string[]): Gen<ParsedCommand> {
  const short = prog.slice(prog.lastIndexOf('/') + 1);
  const exploded = explodeOldStyle(args);
  if (!Array.isArray(exploded)) return yield* usageError(prog, `Old option '${exploded.missing}' requires an argument.`);
  // getopt in order, one operand at a time, so that names keep their place among
  // the -C options (for -c, `-C DIR` applies to the names after it).
  const list: [string, string | true][] = [];
  let rest = exploded;
  try {
    while (rest.length > 0) {
      const p = getopt(prog, rest, SPECS, { stopAtOperand: true });
      list.push(...p.list);
      if (p.operands.length === 0) break;
      if (rest[rest.length - p.operands.length - 1] === '--') {
        for (const name of p.operands) list.push(['name', name]);
        break;
      }
      list.push(['name', p.operands[0]]);
      rest = p.operands.slice(1);
    }
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    // argp's own complaints name the program by its short name in the "Try" line, and exit 64.
    yield* errOut(`${e.message}\nTry '${short} --help' or '${short} --usage' for more information.\n`);
    return { kind: 'exit', status: 64 };
  }
  const o: TarOptions = {
    subcommand: 'list',
    archive: '-',
    args: [],
    verbose: 0,
    samePermissions: null,
    sameOwner: null,
    numericOwner: false,
    absoluteNames: false,
    stripComponents: 0,
    oldFiles: 'default',
    toStdout: false,
    touch: false,
    dereference: false,
    compressor: null,
  };
  const subcommands = new Set<Subcommand>();
  for (const [k, v] of list) {
    switch (k) {
      case 'help': return { kind: 'help' };
      case 'usage': return { kind: 'usage' };
      case 'version': return { kind: 'version' };
      case 'extract': case 'list': case 'create':
        subcommands.add(k);
        o.subcommand = k;
        break;
      case 'name': o.args.push({ name: String(v) }); break;
      case 'file': o.archive = String(v); break;
      case 'directory': o.args.push({ dir: String(v) }); break;
      case 'verbose': o.verbose++; break;
      case 'same-permissions': o.samePermissions = true; break;
      case 'no-same-permissions': o.samePermissions = false; break;
      case 'same-owner': o.sameOwner = true; break;
      case 'no-same-owner': o.sameOwner = false; break;
      case 'numeric-owner': o.numericOwner = true; break;
      case 'absolute-names': o.absoluteNames = true; break;
      case 'strip-components': {
        const s = String(v);
        if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) return yield* usageError(prog, `${s}: Invalid number of elements`);
        o.stripComponents = Number(s);
        break;
      }
      case 'keep-old-files': o.oldFiles = 'keep'; break;
      case 'skip-old-files': o.oldFiles = 'skip'; break;
      case 'overwrite': o.oldFiles = 'overwrite'; break;
      case 'to-stdout': o.toStdout = true; break;
      case 'touch': o.touch = true; break;
      case 'dereference': o.dereference = true; break;
      default:
        if (COMPRESSOR[k]) o.compressor = COMPRESSOR[k];
        break;
    }
  }
  if (subcommands.size > 1) return yield* usageError(prog, "You may not specify more than one '-Acdtrux', '--delete' or  '--test-label' option");
  if (subcommands.size === 0) return yield* usageError(prog, "You must specify one of the '-Acdtrux', '--delete' or '--test-label' options");
  if (o.subcommand === 'create' && !o.args.some((a) => 'name' in a)) return yield* usageError(prog, 'Cowardly refusing to create an empty archive');
  return { kind: 'run', options: o };
}
