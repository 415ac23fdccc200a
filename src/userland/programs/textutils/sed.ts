/**
 * sed(1), GNU sed 4.9: a stream editor. Scripts come from -e and -f (or the first
 * operand); -n suppresses the automatic print, -E/-r selects EREs, -i[SUFFIX] edits
 * files in place, -s treats files separately, -z uses NUL-terminated lines, -l sets
 * the `l` wrap width, --posix disables GNU extensions, --sandbox refuses e/r/w.
 * Commands: s y p P d D n N g G h H x b t T : = l q Q a i c r R w W e F z {} and
 * addresses N, $, /re/ (I, M), \cREc, first~step, addr1,+N, addr1,~N, 0,/re/, !.
 *
 * The script is compiled (sed-compiler.ts and the sed-parse-* files) into a command
 * list that sed-engine.ts runs over the input (sed-input.ts) into the outputs
 * (sed-output.ts). The behaviour modelled, messages and exit statuses included, is
 * GNU sed 4.9's as observed with LC_ALL=C.
 *
 * Simplifications: --debug is accepted and prints nothing extra; --follow-symlinks and
 * -b are accepted and change nothing.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, out, readAll } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import { getenv } from '../../lib/exec.js';
import { EXIT_BAD_USAGE, EXIT_PANIC, SedError, type ScriptOptions } from './sed-program.js';
import { SedCompiler } from './sed-compiler.js';
import { SedOutput } from './sed-output.js';
import { SedInput } from './sed-input.js';
import { SedEngine } from './sed-engine.js';
import type { Gen } from './cli.js';

/** CPU time to compile a script, per byte of script text, ns: a design choice. */
const SED_NS_PER_SCRIPT_BYTE = 10;

function usage(prog: string, status: number): string {
  return (
    `Usage: ${prog} [OPTION]... {script-only-if-no-other-script} [input-file]...\n\n` +
    '  -n, --quiet, --silent\n                 suppress automatic printing of pattern space\n' +
    '      --debug\n                 annotate program execution\n' +
    '  -e script, --expression=script\n                 add the script to the commands to be executed\n' +
    '  -f script-file, --file=script-file\n                 add the contents of script-file to the commands to be executed\n' +
    '  --follow-symlinks\n                 follow symlinks when processing in place\n' +
    '  -i[SUFFIX], --in-place[=SUFFIX]\n                 edit files in place (makes backup if SUFFIX supplied)\n' +
    "  -l N, --line-length=N\n                 specify the desired line-wrap length for the `l' command\n" +
    '  --posix\n                 disable all GNU extensions.\n' +
    '  -E, -r, --regexp-extended\n                 use extended regular expressions in the script\n                 (for portability use POSIX -E).\n' +
    '  -s, --separate\n                 consider files as separate rather than as a single,\n                 continuous long stream.\n' +
    '      --sandbox\n                 operate in sandbox mode (disable e/r/w commands).\n' +
    '  -u, --unbuffered\n                 load minimal amounts of data from the input files and flush\n                 the output buffers more often\n' +
    '  -z, --null-data\n                 separate lines by NUL characters\n' +
    '      --help     display this help and exit\n' +
    '      --version  output version information and exit\n\n' +
    'If no -e, --expression, -f, or --file option is given, then the first\nnon-option argument is taken as the sed script to interpret.  All\n' +
    'remaining arguments are names of input files; if no input files are\nspecified, then the standard input is read.\n\n' +
    'GNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n' +
    (status === 0 ? 'E-mail bug reports to: <bug-sed@gnu.org>.\n' : '')
  );
}

const VERSION =
  'sed (GNU sed) 4.9\nPackaged by Debian\nCopyright (C) 2022 Free Software Foundation, Inc.\n' +
  'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\nThere is NO WARRANTY, to the extent permitted by law.\n\n' +
  'Written by Jay Fenlason, Tom Lord, Ken Pizzini,\nPaolo Bonzini, Jim Meyering, and Assaf Gordon.\n\n' +
  'This sed program was built without SELinux support.\n\n' +
  'GNU sed home page: <https://www.gnu.org/software/sed/>.\nGeneral help using GNU software: <https://www.gnu.org/gethelp/>.\n' +
  'E-mail bug reports to: <bug-sed@gnu.org>.\n';

export function* sedMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0];
  const args = argv.slice(1);
  let opts;
  try {
    opts = getopt(prog, args, [
      { short: 'n', long: 'quiet', key: 'n' },
      { long: 'silent', key: 'n' },
      { long: 'debug', key: 'debug' },
      { short: 'e', long: 'expression', arg: 'required', key: 'e' },
      { short: 'f', long: 'file', arg: 'required', key: 'f' },
      { long: 'follow-symlinks', key: 'follow-symlinks' },
      { short: 'i', long: 'in-place', arg: 'optional', key: 'i' },
      { short: 'l', long: 'line-length', arg: 'required', key: 'l' },
      { long: 'posix', key: 'posix' },
      { short: 'E', key: 'E' },
      { short: 'r', long: 'regexp-extended', key: 'E' },
      { short: 's', long: 'separate', key: 's' },
      { long: 'sandbox', key: 'sandbox' },
      { short: 'u', long: 'unbuffered', key: 'u' },
      { short: 'z', long: 'null-data', key: 'z' },
      { long: 'zero-terminated', key: 'z' },
      { short: 'b', long: 'binary', key: 'b' },
      { long: 'help', key: 'help' },
      { long: 'version', key: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${usage(prog, EXIT_BAD_USAGE)}`);
    return EXIT_BAD_USAGE;
  }
  // As in sed, each script compiles when its option is reached: -E after -e does not change it.
  const v = opts.values;
  const copts: ScriptOptions = { extended: false, posix: false, sandbox: false };
  const compiler = new SedCompiler(copts);
  const delim = v.has('z') ? '\0' : '\n';
  const output = new SedOutput(delim, v.has('u'));
  let inPlace: string | null = null;
  let lineLength = 70;
  let haveScript = false;
  try {
    for (const [k, val] of opts.list) {
      switch (k) {
        case 'E':
          copts.extended = true;
          break;
        case 'posix':
          copts.posix = true;
          break;
        case 'sandbox':
          copts.sandbox = true;
          break;
        case 'help':
          yield* out(usage(prog, 0));
          return 0;
        case 'version':
          yield* out(VERSION);
          return 0;
        case 'e':
          yield* compilePiece(compiler, output, () => compiler.addExpression(val as string));
          haveScript = true;
          break;
        case 'f': {
          const name = val as string;
          const text = yield* readScriptFile(name);
          yield* compilePiece(compiler, output, () => compiler.addFile(name, text));
          haveScript = true;
          break;
        }
        case 'i':
          inPlace = val === true || val === '' ? '*' : val.includes('*') ? val : `*${val}`;
          break;
        case 'l':
          lineLength = parseInt(val as string, 10) || 0;
          break;
      }
    }
    if (!haveScript) {
      if (opts.operands.length === 0) {
        yield* errOut(usage(prog, EXIT_BAD_USAGE));
        return EXIT_BAD_USAGE;
      }
      const script = opts.operands.shift()!;
      yield* compilePiece(compiler, output, () => compiler.addExpression(script));
    }
    compiler.finish();
  } catch (e) {
    if (!(e instanceof SedError)) throw e;
    yield* output.close();
    yield* errOut(`${prog}: ${e.message}\n`);
    return e.status;
  }
  yield* sys.compute(compiler.scriptBytes * SED_NS_PER_SCRIPT_BYTE);
  const files = opts.operands.length > 0 ? opts.operands : inPlace !== null ? [] : ['-'];
  if (inPlace !== null && files.length === 0) {
    yield* errOut(`${prog}: no input files\n`);
    return EXIT_PANIC;
  }
  const input = new SedInput(files, { prog, delim, separate: v.has('s') || inPlace !== null, inPlace, unbuffered: v.has('u') }, output);
  const engine = new SedEngine(compiler.commands, input, output, {
    quiet: v.has('n') || compiler.quiet,
    posixN: copts.posix || (getenv(envp, 'POSIXLY_CORRECT') ?? '') !== '',
    lineWidth: lineLength,
    delim,
    envp,
    endLocation: compiler.endLocation,
  });
  let status: number;
  try {
    status = yield* engine.run();
  } catch (e) {
    if (!(e instanceof SedError)) throw e;
    yield* output.close();
    yield* errOut(`${prog}: ${e.message}\n`);
    return e.status;
  }
  try {
    yield* output.close();
  } catch (e) {
    if (!(e instanceof SedError)) throw e;
    yield* errOut(`${prog}: ${e.message}\n`);
    return e.status;
  }
  return status;
}

/**
 * Compiles one script piece, then opens the w files it named (GNU sed opens them as it
 * reads the script, so they exist even if a later command is wrong).
 */
function* compilePiece(compiler: SedCompiler, output: SedOutput, add: () => void): Gen<void> {
  let failure: unknown = null;
  try {
    add();
  } catch (e) {
    failure = e;
  }
  for (const target of compiler.writeTargets.values()) yield* output.open(target);
  if (failure !== null) throw failure;
}

/** The text of an -f file (`-` is standard input); a file that cannot be read is an empty script. */
function* readScriptFile(name: string): Gen<string> {
  if (name === '-') {
    const text = yield* readAll(0);
    return text instanceof SysError ? '' : text;
  }
  const fd = yield* sys.open(name, O_RDONLY);
  if (fd instanceof SysError) throw new SedError(`couldn't open file ${name}: ${fd.message}`, EXIT_PANIC);
  const text = yield* readAll(fd);
  yield* sys.close(fd);
  return text instanceof SysError ? '' : text;
}
