/**
 * mkdir(1) and rmdir(1) from GNU coreutils 9.1. mkdir creates directories (mode
 * 0777 less the umask, or exactly -m MODE), with -p also their missing parents
 * (made with u+wx whatever the umask) and no error for ones that exist; -v reports
 * each one made. rmdir removes empty directories, with -p also each parent named
 * in the operand; --ignore-fail-on-non-empty is quiet about non-empty ones.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { adjustMode, compileMode } from '../../lib/mode.js';
import { parseOptions, quote, usageError } from './gnu-style.js';

/** User CPU of mkdir/rmdir, and per directory — design choices. */
const MKDIR_NS = 15_000;
const MKDIR_PER_DIR_NS = 2_000;
const S_IRWXUGO = 0o777;

type Gen<T> = Generator<Op, T, unknown>;

/** The prefixes of a path that name its ancestors: "a/b/c" → ["a", "a/b"]. */
export function ancestorPrefixes(path: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) {
    if (path[i] === '/' && path[i - 1] !== '/') {
      const p = path.slice(0, i);
      if (p.replace(/\/+$/, '') !== '') out.push(p);
    }
  }
  return out;
}

export function* mkdirMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'mkdir';
  yield MKDIR_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'm', long: 'mode', arg: 'required' },
    { short: 'p', long: 'parents' },
    { short: 'v', long: 'verbose' },
    { short: 'Z', key: 'context' },
    { long: 'context', arg: 'optional' },
  ]);
  if (!parsed) return 1;
  if (parsed.operands.length === 0) return yield* usageError(prog, 'missing operand');
  const parents = parsed.values.has('parents');
  const verbose = parsed.values.has('verbose');
  const umask = (yield* sys.umask(0)) as number;
  yield* sys.umask(umask);
  let mode: number | null = null;
  /** The bits -m speaks about: only these are corrected after mkdir(2). */
  let modeBits = 0;
  const spec = parsed.values.get('mode');
  if (typeof spec === 'string') {
    const ch = compileMode(spec);
    if (!ch) {
      yield* errOut(`${prog}: invalid mode ${quote(spec)}\n`);
      return 1;
    }
    ({ mode, changedBits: modeBits } = adjustMode(S_IRWXUGO, true, umask, ch));
  }
  const out = new OutBuffer(1);
  const announce = function* (dir: string): Gen<void> {
    if (verbose) yield* out.write(`${prog}: created directory ${quote(dir)}\n`);
  };
  const fail = function* (dir: string, e: SysError): Gen<void> {
    yield* out.flush();
    yield* errOut(`${prog}: cannot create directory ${quote(dir)}: ${e.message}\n`);
  };
  let status = 0;
  for (const dir of parsed.operands) {
    yield MKDIR_PER_DIR_NS;
    if (parents) {
      let ok = true;
      // Ancestors are made u+wx whatever the umask (coreutils' umask_ancestor).
      const ancestorUmask = umask & ~0o300;
      if (ancestorUmask !== umask) yield* sys.umask(ancestorUmask);
      for (const p of ancestorPrefixes(dir)) {
        const r = yield* sys.mkdir(p, S_IRWXUGO);
        if (!(r instanceof SysError)) {
          yield* announce(p);
          continue;
        }
        const st = yield* sys.stat(p);
        if (r.errno === 'EEXIST' && !(st instanceof SysError) && isDir(st.mode)) continue;
        yield* fail(p, r.errno === 'EEXIST' ? new SysError('ENOTDIR', `${p} exists and is not a directory`) : r);
        ok = false;
        break;
      }
      if (ancestorUmask !== umask) yield* sys.umask(umask);
      if (!ok) {
        status = 1;
        continue;
      }
    }
    const r = mode === null ? yield* sys.mkdir(dir, S_IRWXUGO) : yield* mkdirWithMode(dir, mode);
    if (r instanceof SysError) {
      if (parents && r.errno === 'EEXIST') {
        const st = yield* sys.stat(dir);
        if (!(st instanceof SysError) && isDir(st.mode)) continue;
      }
      yield* fail(dir, r);
      status = 1;
      continue;
    }
    yield* announce(dir);
    if (mode !== null) {
      const c = yield* fixSpecifiedBits(dir, mode, modeBits);
      if (c instanceof SysError) {
        yield* out.flush();
        yield* errOut(`${prog}: cannot set permissions of ${quote(dir)}: ${c.message}\n`);
        status = 1;
      }
    }
  }
  return (yield* out.flush()) ? 1 : status;
}

/**
 * mkdir(2) for -m MODE, as GNU mkdir makes the call (seen with strace): with the
 * umask cleared, so the mode is not masked; but a mode with set-user-ID, set-group-ID
 * or sticky bits is first made without group and other write, so that no one else
 * can write in the directory before its special bits are right.
 */
function* mkdirWithMode(dir: string, mode: number): Gen<number | SysError> {
  const saved = (yield* sys.umask(0)) as number;
  const r = yield* sys.mkdir(dir, mode & 0o7000 ? mode & ~0o022 : mode);
  yield* sys.umask(saved);
  return r;
}

/**
 * Sets `mode` on a directory made by mkdirWithMode when it differs in a bit the -m
 * spec named: `-m 1777` is 1777 in the end, while `-m +t` (which names only the sticky
 * bit) keeps the 1755 it was made with, as GNU mkdir leaves them.
 */
function* fixSpecifiedBits(dir: string, mode: number, modeBits: number): Gen<number | SysError> {
  const st = yield* sys.stat(dir);
  if (st instanceof SysError) return st;
  if (((st.mode ^ mode) & modeBits & 0o7777) === 0) return 0;
  // Set-user-ID and set-group-ID bits the spec does not name stay as the directory
  // has them (inherited from a set-group-ID parent), as chmod(1) keeps them.
  const keep = 0o6000 & ~modeBits;
  return yield* sys.chmod(dir, (mode & ~keep) | (st.mode & keep));
}

export function* rmdirMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'rmdir';
  yield MKDIR_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'p', long: 'parents' },
    { short: 'v', long: 'verbose' },
    { long: 'ignore-fail-on-non-empty' },
  ]);
  if (!parsed) return 1;
  if (parsed.operands.length === 0) return yield* usageError(prog, 'missing operand');
  const parents = parsed.values.has('parents');
  const verbose = parsed.values.has('verbose');
  const ignoreNonEmpty = parsed.values.has('ignore-fail-on-non-empty');
  const out = new OutBuffer(1);
  const nonEmpty = (e: SysError): boolean => e.errno === 'ENOTEMPTY' || e.errno === 'EEXIST';
  let status = 0;
  for (const dir of parsed.operands) {
    yield MKDIR_PER_DIR_NS;
    if (verbose) yield* out.write(`${prog}: removing directory, ${quote(dir)}\n`);
    const r = yield* sys.rmdir(dir);
    if (r instanceof SysError) {
      if (ignoreNonEmpty && nonEmpty(r)) continue;
      yield* out.flush();
      yield* errOut(`${prog}: failed to remove ${quote(dir)}: ${r.message}\n`);
      status = 1;
      continue;
    }
    if (!parents) continue;
    let path = dir.replace(/\/+$/, '');
    for (;;) {
      const slash = path.lastIndexOf('/');
      if (slash <= 0) break;
      path = path.slice(0, slash).replace(/\/+$/, '');
      if (path === '') break;
      if (verbose) yield* out.write(`${prog}: removing directory, ${quote(path)}\n`);
      const pr = yield* sys.rmdir(path);
      if (pr instanceof SysError) {
        if (ignoreNonEmpty && nonEmpty(pr)) break;
        yield* out.flush();
        yield* errOut(`${prog}: failed to remove directory ${quote(path)}: ${pr.message}\n`);
        status = 1;
        break;
      }
    }
  }
  return (yield* out.flush()) ? 1 : status;
}
