/**
 * chmod(1) from GNU coreutils 9.1: changes file mode bits by an octal or symbolic
 * mode (`755`, `u+x,go-w`, `a=r`, `g=u`, `+X`; compiled by lib/mode.ts as gnulib's
 * modechange.c does), or to another file's (--reference). -R descends into
 * directories (changing each before its contents; symbolic links met on the way
 * are skipped). -v reports every file, -c only changes, -f is silent about
 * failures. A mode given like an option (`chmod -w f`) that the umask keeps from
 * taking full effect is reported: "new permissions are r--rw-rw-, not r--r--r--".
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, isLnk, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { adjustMode, compileMode, fileModeString, type ModeChange } from '../../lib/mode.js';
import { joinPath, parseOptions, quote, quoteaf, quotef, readDirNames, usageError } from './gnu-style.js';

/** User CPU to start chmod and per file — design choices. */
const CHMOD_NS = 15_000;
const CHMOD_PER_FILE_NS = 1_500;

type Gen<T> = Generator<Op, T, unknown>;
type Verbosity = 'off' | 'changes' | 'high';

/** The option letters that make a word a mode rather than an option (chmod's getopt string). */
const MODE_OPTION_CHARS = 'rwxXstugoa,+-=01234567';

export function* chmodMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'chmod';
  yield CHMOD_NS;
  // Words like "-w" or "-rwx" are modes, as chmod's getopt string makes them.
  const rest: string[] = [];
  let modeFromOptions: string | null = null;
  let sawDashDash = false;
  for (const a of argv.slice(1)) {
    if (!sawDashDash && a.length > 1 && a[0] === '-' && a[1] !== '-' && MODE_OPTION_CHARS.includes(a[1])) {
      modeFromOptions = modeFromOptions === null ? a : `${modeFromOptions},${a}`;
      continue;
    }
    if (a === '--') sawDashDash = true;
    rest.push(a);
  }
  const parsed = yield* parseOptions(prog, rest, [
    { short: 'R', long: 'recursive' },
    { short: 'c', long: 'changes' },
    { short: 'f', long: 'silent' },
    { long: 'quiet', key: 'silent' },
    { short: 'v', long: 'verbose' },
    { long: 'reference', arg: 'required' },
    { long: 'preserve-root' },
    { long: 'no-preserve-root' },
  ]);
  if (!parsed) return 1;
  const v = parsed.values;
  const recurse = v.has('recursive');
  const silent = v.has('silent');
  let verbosity: Verbosity = 'off';
  for (const [k] of parsed.list) {
    if (k === 'changes') verbosity = 'changes';
    else if (k === 'verbose') verbosity = 'high';
  }
  const reference = v.get('reference') as string | undefined;
  const ops = [...parsed.operands];
  let modeText = modeFromOptions;
  if (reference === undefined && modeText === null) modeText = ops.shift() ?? null;
  else if (reference !== undefined && modeText !== null) {
    yield* errOut(`${prog}: cannot combine mode and --reference options\n`);
    return yield* usageError(prog, null);
  }
  if (ops.length === 0) {
    if (modeText === null && reference === undefined) return yield* usageError(prog, 'missing operand');
    return yield* usageError(prog, modeText !== null && modeFromOptions === null ? `missing operand after ${quote(modeText)}` : 'missing operand');
  }
  let changes: ModeChange[];
  if (reference !== undefined) {
    const st = yield* sys.stat(reference);
    if (st instanceof SysError) {
      yield* errOut(`${prog}: failed to get attributes of ${quoteaf(reference)}: ${st.message}\n`);
      return 1;
    }
    changes = compileMode((st.mode & 0o7777).toString(8).padStart(4, '0'))!;
  } else {
    const c = compileMode(modeText!);
    if (!c) {
      yield* errOut(`${prog}: invalid mode: ${quote(modeText!)}\n`);
      return yield* usageError(prog, null);
    }
    changes = c;
  }
  const umask = (yield* sys.umask(0)) as number;
  yield* sys.umask(umask);
  const diagnoseSurprises = modeFromOptions !== null;
  const out = new OutBuffer(1);

  const describe = function* (file: string, status: 'ok' | 'failed' | 'same', oldMode: number, newMode: number): Gen<void> {
    const perms = fileModeString(newMode).slice(1);
    const oldPerms = fileModeString(oldMode).slice(1);
    const oct = (m: number): string => (m & 0o7777).toString(8).padStart(4, '0');
    if (status === 'same') yield* out.write(`mode of ${quoteaf(file)} retained as ${oct(newMode)} (${perms})\n`);
    else if (status === 'ok') yield* out.write(`mode of ${quoteaf(file)} changed from ${oct(oldMode)} (${oldPerms}) to ${oct(newMode)} (${perms})\n`);
    else yield* out.write(`failed to change mode of ${quoteaf(file)} from ${oct(oldMode)} (${oldPerms}) to ${oct(newMode)} (${perms})\n`);
  };

  const processFile = function* (file: string, st: Stat, top: boolean): Gen<boolean> {
    yield CHMOD_PER_FILE_NS;
    let ok = true;
    if (isLnk(st.mode) && !top) {
      if (verbosity === 'high') yield* out.write(`neither symbolic link ${quoteaf(file)} nor referent has been changed\n`);
    } else {
      const oldMode = st.mode;
      const newMode = adjustMode(oldMode, isDir(oldMode), umask, changes).mode;
      const full = (oldMode & ~0o7777) | newMode;
      const r = yield* sys.chmod(file, newMode);
      let status: 'ok' | 'failed' | 'same' = 'ok';
      if (r instanceof SysError) {
        if (!silent) {
          yield* out.flush();
          yield* errOut(`${prog}: changing permissions of ${quoteaf(file)}: ${r.message}\n`);
        }
        status = 'failed';
        ok = false;
      } else if ((oldMode & 0o7777) === newMode) status = 'same';
      if (verbosity === 'high' || (verbosity === 'changes' && status === 'ok')) yield* describe(file, status, oldMode, full);
      if (status !== 'failed' && diagnoseSurprises) {
        const naive = adjustMode(oldMode, isDir(oldMode), 0, changes).mode;
        if (newMode & ~naive) {
          yield* out.flush();
          yield* errOut(`${prog}: ${quotef(file)}: new permissions are ${fileModeString(full).slice(1)}, not ${fileModeString((oldMode & ~0o7777) | naive).slice(1)}\n`);
          ok = false;
        }
      }
    }
    if (recurse && isDir(st.mode) && !(isLnk(st.mode))) {
      const names = yield* readDirNames(file);
      if (names instanceof SysError) {
        if (!silent) {
          yield* out.flush();
          yield* errOut(`${prog}: cannot read directory ${quoteaf(file)}: ${names.message}\n`);
        }
        return false;
      }
      for (const n of names) {
        if (n === '.' || n === '..') continue;
        const child = joinPath(file, n);
        const cs = yield* sys.lstat(child);
        if (cs instanceof SysError) {
          if (!silent) yield* errOut(`${prog}: cannot access ${quoteaf(child)}: ${cs.message}\n`);
          ok = false;
          continue;
        }
        if (!(yield* processFile(child, cs, false))) ok = false;
      }
    }
    return ok;
  };

  let ok = true;
  for (const file of ops) {
    const st = yield* sys.stat(file);
    if (st instanceof SysError) {
      const l = yield* sys.lstat(file);
      if (!silent) {
        yield* out.flush();
        yield* errOut(l instanceof SysError || !isLnk(l.mode) ? `${prog}: cannot access ${quoteaf(file)}: ${st.message}\n` : `${prog}: cannot operate on dangling symlink ${quoteaf(file)}\n`);
      }
      ok = false;
      continue;
    }
    if (recurse && v.has('preserve-root') && !v.has('no-preserve-root')) {
      const root = yield* sys.stat('/');
      if (!(root instanceof SysError) && root.dev === st.dev && root.ino === st.ino) {
        yield* errOut(`${prog}: it is dangerous to operate recursively on ${quoteaf(file)}\n${prog}: use --no-preserve-root to override this failsafe\n`);
        ok = false;
        continue;
      }
    }
    if (!(yield* processFile(file, st, true))) ok = false;
  }
  return (yield* out.flush()) || !ok ? 1 : 0;
}
