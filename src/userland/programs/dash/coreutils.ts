/**
 * coreutils' printf(1), test(1) and [(1): the programs a shell runs when it has no
 * builtin of that name (`env printf`, `command -p`, `find -exec test`). They share
 * formatting with dash's builtins (lib/printf-format.ts, lib/test-expr.ts) and
 * differ where coreutils does: `\x` `\u` `\c` and `%q` in printf, GNU messages
 * ("printf: 'x': expected a numeric value", "test: invalid integer 'x'").
 *
 * Simplification: test's messages for malformed expressions are GNU's wording
 * for dash's parse of them; a few malformed expressions are reported differently.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { writeAll } from '../../lib/io.js';
import { printfFormat } from '../../lib/printf-format.js';
import { evalTest, TestError } from '../../lib/test-expr.js';

export function* printfMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'printf';
  let args = argv.slice(1);
  if (args[0] === '--') args = args.slice(1);
  if (args.length === 0) {
    yield* writeAll(2, `${prog}: missing operand\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  if (args[0] === '--help') {
    yield* writeAll(1, `Usage: ${prog} FORMAT [ARGUMENT]...\n  or:  ${prog} OPTION\n`);
    return 0;
  }
  if (args[0] === '--version') {
    yield* writeAll(1, 'printf (GNU coreutils) 9.1\n');
    return 0;
  }
  const r = printfFormat(args[0], args.slice(1), 'coreutils');
  yield* writeAll(1, r.out);
  for (const e of r.errors) yield* writeAll(2, `${prog}: ${e}\n`);
  return r.status;
}

/** GNU test's wording for a test-expr error. */
function gnuMessage(msg: string): string {
  let m: RegExpExecArray | null;
  if (msg === 'missing ]') return "missing ']'";
  if ((m = /^Illegal number: (.*)$/.exec(msg))) return `invalid integer '${m[1]}'`;
  if ((m = /^(.*): argument expected$/.exec(msg))) return `missing argument after '${m[1]}'`;
  if ((m = /^(.*): unexpected operator$/.exec(msg))) return `extra argument '${m[1]}'`;
  if (msg === 'closing paren expected') return "')' expected";
  return msg;
}

export function* testMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'test';
  const base = prog.slice(prog.lastIndexOf('/') + 1);
  const args = argv.slice(1);
  if (base === '[') {
    if (args.length === 1 && (args[0] === '--help' || args[0] === '--version')) {
      yield* writeAll(1, args[0] === '--version' ? '[ (GNU coreutils) 9.1\n' : 'Usage: test EXPRESSION\n  or:  [ EXPRESSION ]\n');
      return 0;
    }
    if (args[args.length - 1] !== ']') {
      yield* writeAll(2, `${prog}: missing ']'\n`);
      return 2;
    }
    args.pop();
  }
  try {
    return yield* evalTest(args);
  } catch (e) {
    if (e instanceof TestError) {
      yield* writeAll(2, `${prog}: ${gnuMessage(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}
