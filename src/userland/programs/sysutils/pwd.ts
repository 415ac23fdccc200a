/**
 * pwd(1) from GNU coreutils 9.1: the working directory. -P (the default for the
 * coreutils program) prints getcwd(3)'s physical path; -L prints $PWD when it is
 * an absolute name of the same directory without `.` or `..` components.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { getenv } from '../../lib/exec.js';
import { parseOptions } from './gnu-style.js';

/** User CPU of pwd — a design choice. */
const PWD_NS = 10_000;

export function* pwdMain({ argv, envp }: ProgramArgs): Program {
  const prog = argv[0] ?? 'pwd';
  yield PWD_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'L', long: 'logical' },
    { short: 'P', long: 'physical' },
  ]);
  if (!parsed) return 1;
  if (parsed.operands.length) yield* errOut(`${prog}: ignoring non-option arguments\n`);
  let logical = getenv(envp, 'POSIXLY_CORRECT') !== undefined;
  for (const [k] of parsed.list) logical = k === 'logical';
  const out = new OutBuffer(1);
  if (logical) {
    const pwd = getenv(envp, 'PWD');
    if (pwd && pwd.startsWith('/') && !pwd.split('/').some((c) => c === '.' || c === '..')) {
      const a = yield* sys.stat(pwd);
      const b = yield* sys.stat('.');
      if (!(a instanceof SysError) && !(b instanceof SysError) && a.dev === b.dev && a.ino === b.ino) {
        yield* out.write(pwd + '\n');
        return (yield* out.flush()) ? 1 : 0;
      }
    }
  }
  const cwd = yield* sys.getcwd();
  if (cwd instanceof SysError) {
    yield* errOut(`${prog}: couldn't find directory entry in '..' with matching i-node\n`);
    return 1;
  }
  yield* out.write(cwd + '\n');
  return (yield* out.flush()) ? 1 : 0;
}
