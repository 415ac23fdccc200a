/**
 * The first code of a process the kernel starts itself (init at boot, a command the
 * harness runs): execve the program, and if that fails report why on standard error
 * and exit 127 (not found) or 126 (not executable), as a shell would.
 */
import type { Program } from '../proc/program.js';
import { NR } from '../syscalls/numbers.js';
import { SysError } from '../errno.js';

export function* execStub(path: string, argv: readonly string[], envp: readonly string[]): Program {
  const r = yield { nr: NR.execve, path, argv, envp };
  const e = r instanceof SysError ? r : null;
  const msg = `${argv[0] ?? path}: ${e ? e.message : 'exec failed'}\n`;
  yield { nr: NR.write, fd: 2, data: msg };
  return e && (e.errno === 'ENOENT' || e.errno === 'ENOTDIR') ? 127 : 126;
}
