/**
 * env(1) and printenv(1) from GNU coreutils 9.1. env prints the environment, or
 * runs a command (found on PATH with execvp) in a modified one: -i starts empty,
 * -u NAME removes a variable, NAME=VALUE sets one, -C DIR changes directory, -0
 * ends lines with NUL. Exit status when the command cannot run: 125 (env's own
 * failure), 126 (found but not executable), 127 (not found).
 * printenv prints all variables or the values of the named ones (exit 1 if any is
 * missing).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { execvp } from '../../lib/exec.js';
import { parseOptions, quote, quoteaf } from './gnu-style.js';

/** User CPU of env/printenv — a design choice. */
const ENV_NS = 15_000;
/** env's exit statuses (coreutils system.h): its own failure, cannot run, not found. */
const EXIT_CANCELED = 125;
const EXIT_CANNOT_INVOKE = 126;
const EXIT_ENOENT = 127;

export function* envMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'env';
  yield ENV_NS;
  // Options stop at the first operand.
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'i', long: 'ignore-environment' },
    { short: '0', long: 'null' },
    { short: 'u', long: 'unset', arg: 'required' },
    { short: 'C', long: 'chdir', arg: 'required' },
    { short: 'v', long: 'debug' },
  ], { stopAtOperand: true });
  if (!parsed) return EXIT_CANCELED;
  let env = [...envp];
  let nul = false;
  let chdir: string | null = null;
  for (const [k, v] of parsed.list) {
    if (k === 'ignore-environment') env = [];
    else if (k === 'null') nul = true;
    else if (k === 'unset') {
      const name = String(v);
      if (name === '' || name.includes('=')) {
        yield* errOut(`${prog}: cannot unset ${quote(name)}: Invalid argument\n`);
        return EXIT_CANCELED;
      }
      env = env.filter((e) => !e.startsWith(name + '='));
    } else if (k === 'chdir') chdir = String(v);
  }
  let ops = parsed.operands;
  // A lone "-" first operand means -i (POSIX).
  if (ops[0] === '-') {
    env = [];
    ops = ops.slice(1);
  }
  while (ops.length && ops[0].includes('=') && !ops[0].startsWith('=')) {
    const name = ops[0].slice(0, ops[0].indexOf('='));
    env = env.filter((e) => !e.startsWith(name + '='));
    env.push(ops[0]);
    ops = ops.slice(1);
  }
  if (ops.length === 0) {
    if (chdir !== null) {
      yield* errOut(`${prog}: must specify command with --chdir (-C)\nTry '${prog} --help' for more information.\n`);
      return EXIT_CANCELED;
    }
    const out = new OutBuffer(1);
    for (const e of env) yield* out.write(e + (nul ? '\0' : '\n'));
    return (yield* out.flush()) ? 1 : 0;
  }
  if (nul) {
    yield* errOut(`${prog}: cannot specify --null (-0) with command\nTry '${prog} --help' for more information.\n`);
    return EXIT_CANCELED;
  }
  if (chdir !== null) {
    const r = yield* sys.chdir(chdir);
    if (r instanceof SysError) {
      yield* errOut(`${prog}: cannot change directory to ${quoteaf(chdir)}: ${r.message}\n`);
      return EXIT_CANCELED;
    }
  }
  const err = yield* execvp(ops[0], ops, env);
  yield* errOut(`${prog}: ${quoteaf(ops[0])}: ${err.message}\n`);
  return err.errno === 'ENOENT' ? EXIT_ENOENT : EXIT_CANNOT_INVOKE;
}

export function* printenvMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'printenv';
  yield ENV_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [{ short: '0', long: 'null' }]);
  if (!parsed) return 2;
  const end = parsed.values.has('null') ? '\0' : '\n';
  const out = new OutBuffer(1);
  let status = 0;
  if (parsed.operands.length === 0) {
    for (const e of envp) yield* out.write(e + end);
  } else {
    for (const name of parsed.operands) {
      let found = false;
      if (!name.includes('=')) {
        for (const e of envp) {
          if (e.startsWith(name + '=')) {
            yield* out.write(e.slice(name.length + 1) + end);
            found = true;
          }
        }
      }
      if (!found) status = 1;
    }
  }
  return (yield* out.flush()) ? 2 : status;
}
