/**
 * Replacing the shell with a program (execve(2); POSIX XCU 2.9.1.1 "Command Search
 * and Execution" steps 1e–2): the name is tried in each PATH directory from the one
 * where the search found it (or as given, when it contains a slash). A file the
 * kernel refuses as not executable in its format (ENOEXEC: a script without `#!`) is
 * run by /bin/sh with the file's name as its $0, as dash does. When nothing can be
 * run, the shell says why and ends with 127 (not found) or 126 (found, not
 * executable) — XCU 2.8.2 "Exit Status for Commands".
 */
import * as sys from '../../lib/sys.js';
import { SysError, type Errno } from '../../../kernel/errno.js';
import { ExitShell, type Shell, type Gen } from './shell.js';
import { execMessage, pathDirs } from './command.js';

/** The shell that runs a script without `#!`. */
const FALLBACK_SHELL = '/bin/sh';

/** execve, falling back to /bin/sh for a file without a known executable format. Returns only on failure. */
function* execOrInterpret(file: string, argv: readonly string[], envp: readonly string[]): Gen<Errno> {
  const r = yield* sys.execve(file, argv, envp);
  if (!(r instanceof SysError)) return 'ENOEXEC';
  if (r.errno !== 'ENOEXEC') return r.errno;
  const viaShell = yield* sys.execve(FALLBACK_SHELL, [FALLBACK_SHELL, file, ...argv.slice(1)], envp);
  return viaShell instanceof SysError ? viaShell.errno : 'ENOEXEC';
}

/**
 * Execs `argv[0]`, searching the directories of `path` from index `start`. Does not
 * return: a failure is reported ("sh: 1: x: not found") and ends the shell.
 */
export function* shellexec(sh: Shell, argv: string[], path: string, start: number): Gen<never> {
  const name = argv[0];
  const envp = sh.environment();
  yield* sh.flush();
  let failure: Errno = 'ENOENT';
  const notThere = (e: Errno): boolean => e === 'ENOENT' || e === 'ENOTDIR';
  if (name.includes('/')) failure = yield* execOrInterpret(name, argv, envp);
  else {
    const dirs = pathDirs(path);
    for (let i = Math.max(0, start); i < dirs.length; i++) {
      const e = yield* execOrInterpret(`${dirs[i] === '' ? '.' : dirs[i]}/${name}`, argv, envp);
      if (!notThere(e) && notThere(failure)) failure = e;
    }
  }
  yield* sh.warn(`${name}: ${execMessage(failure)}`);
  throw new ExitShell(notThere(failure) ? 127 : 126);
}
