/**
 * execvp(3): execute a command name by searching PATH (when it has no slash), as
 * glibc does: try each directory in order; EACCES is remembered but the search goes
 * on; ENOEXEC would run the file with /bin/sh (glibc's fallback); the first other
 * failure stops the search.
 */
import * as sys from './sys.js';
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';

/** Glibc's default search path when PATH is unset (confstr _CS_PATH). */
export const DEFAULT_PATH = '/bin:/usr/bin';

/** The value of NAME in an environment list. */
export function getenv(envp: readonly string[], name: string): string | undefined {
  for (let i = envp.length - 1; i >= 0; i--) {
    const e = envp[i];
    if (e.startsWith(name + '=')) return e.slice(name.length + 1);
  }
  return undefined;
}

/** Replaces the program with `file` found on PATH. Returns only on failure. */
export function* execvp(file: string, argv: readonly string[], envp: readonly string[]): Generator<Op, SysError, unknown> {
  if (file === '') return new SysError('ENOENT', 'the program name is empty');
  if (file.includes('/')) {
    const r = yield* sys.execve(file, argv, envp);
    if (r instanceof SysError && r.errno === 'ENOEXEC') return yield* runAsScript(file, argv, envp);
    return r instanceof SysError ? r : new SysError('ENOEXEC', 'execve returned without replacing the program');
  }
  const path = getenv(envp, 'PATH') ?? DEFAULT_PATH;
  let sawEacces = false;
  for (const dir of path.split(':')) {
    const full = (dir === '' ? '.' : dir) + '/' + file;
    const r = yield* sys.execve(full, argv, envp);
    if (!(r instanceof SysError)) continue;
    if (r.errno === 'EACCES') {
      sawEacces = true;
      continue;
    }
    if (r.errno === 'ENOENT' || r.errno === 'ENOTDIR' || r.errno === 'ENODEV' || r.errno === 'ETIMEDOUT') continue;
    if (r.errno === 'ENOEXEC') return yield* runAsScript(full, argv, envp);
    return r;
  }
  return new SysError(sawEacces ? 'EACCES' : 'ENOENT', sawEacces ? `${file} was found on PATH but is not executable` : `${file} is in none of the PATH directories ${path}`);
}

function* runAsScript(file: string, argv: readonly string[], envp: readonly string[]): Generator<Op, SysError, unknown> {
  const r = yield* sys.execve('/bin/sh', ['/bin/sh', file, ...argv.slice(1)], envp);
  return r instanceof SysError ? r : new SysError('ENOEXEC', 'execve returned without replacing the program');
}
