/**
 * ln(1) from GNU coreutils 9.1: makes hard links (default) or symbolic links (-s).
 * `ln TARGET LINK`, `ln TARGET... DIRECTORY` (or -t DIRECTORY) links into a
 * directory under each target's base name, `ln TARGET` links into `.`. -f removes
 * an existing destination, -n treats a symlink to a directory as a file, -T never
 * treats the last operand as a directory, -v reports `'link' -> 'target'` (=> for
 * hard links).
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut, LineReader } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { joinPath, lastComponent, parseOptions, quotef, quoteaf, usageError } from './gnu-style.js';

/** User CPU of ln, and per link — design choices. */
const LN_NS = 15_000;
const LN_PER_LINK_NS = 1_500;

type Gen<T> = Generator<Op, T, unknown>;

export function* lnMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'ln';
  yield LN_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 's', long: 'symbolic' },
    { short: 'f', long: 'force' },
    { short: 'i', long: 'interactive' },
    { short: 'n', long: 'no-dereference' },
    { short: 'T', long: 'no-target-directory' },
    { short: 't', long: 'target-directory', arg: 'required' },
    { short: 'v', long: 'verbose' },
    { short: 'L', long: 'logical' },
    { short: 'P', long: 'physical' },
  ]);
  if (!parsed) return 1;
  const v = parsed.values;
  const symbolic = v.has('symbolic');
  let force = false;
  let interactive = false;
  for (const [k] of parsed.list) {
    if (k === 'force') {
      force = true;
      interactive = false;
    } else if (k === 'interactive') {
      interactive = true;
      force = false;
    }
  }
  const noDeref = v.has('no-dereference');
  const verbose = v.has('verbose');
  const files = [...parsed.operands];
  let targetDir = (v.get('target-directory') as string | undefined) ?? null;
  const out = new OutBuffer(1);
  const stdin = new LineReader(0);

  if (files.length === 0) return yield* usageError(prog, 'missing file operand');
  const isDirectory = function* (p: string): Gen<boolean | SysError> {
    const st = noDeref ? yield* sys.lstat(p) : yield* sys.stat(p);
    if (st instanceof SysError) return st;
    return isDir(st.mode);
  };
  if (v.has('no-target-directory')) {
    if (targetDir !== null) {
      yield* errOut(`${prog}: cannot combine --target-directory and --no-target-directory\n`);
      return 1;
    }
    if (files.length !== 2) {
      return yield* usageError(prog, files.length < 2 ? `missing destination file operand after ${quoteaf(files[0])}` : `extra operand ${quoteaf(files[2])}`);
    }
  } else if (files.length < 2 && targetDir === null) {
    targetDir = '.';
  } else if (targetDir === null) {
    const last = files[files.length - 1];
    const d = yield* isDirectory(last);
    if (d === true) {
      targetDir = last;
      files.pop();
    } else if (files.length > 2) {
      yield* errOut(`${prog}: target ${quoteaf(last)}: ${d instanceof SysError ? d.message : 'Not a directory'}\n`);
      return 1;
    }
  } else {
    const d = yield* isDirectory(targetDir);
    if (d !== true) {
      yield* errOut(`${prog}: target ${quoteaf(targetDir)}: ${d instanceof SysError ? d.message : 'Not a directory'}\n`);
      return 1;
    }
  }

  const doLink = function* (source: string, dest: string): Gen<boolean> {
    yield LN_PER_LINK_NS;
    const make = function* (): Gen<number | SysError> {
      return symbolic ? yield* sys.symlink(source, dest) : yield* sys.link(source, dest);
    };
    let r = yield* make();
    if (r instanceof SysError && !symbolic) {
      const st = yield* sys.lstat(source);
      if (st instanceof SysError) {
        yield* errOut(`${prog}: failed to access ${quoteaf(source)}: ${st.message}\n`);
        return false;
      }
      if (isDir(st.mode)) {
        yield* errOut(`${prog}: ${quotef(source)}: hard link not allowed for directory\n`);
        return false;
      }
    }
    if (r instanceof SysError && r.errno === 'EEXIST' && (force || interactive)) {
      const dst = yield* sys.lstat(dest);
      if (!(dst instanceof SysError)) {
        if (isDir(dst.mode)) {
          yield* errOut(`${prog}: ${quotef(dest)}: cannot overwrite directory\n`);
          return false;
        }
        if (force && !symbolic) {
          const src = yield* sys.stat(source);
          if (!(src instanceof SysError) && src.dev === dst.dev && src.ino === dst.ino && src.nlink === 1) {
            yield* errOut(`${prog}: ${quoteaf(source)} and ${quoteaf(dest)} are the same file\n`);
            return false;
          }
        }
        if (interactive) {
          yield* out.flush();
          yield* errOut(`${prog}: replace ${quoteaf(dest)}? `);
          const answer = yield* stdin.next();
          if (answer === null || !/^[yY]/.test(answer)) return true;
        }
        const u = yield* sys.unlink(dest);
        r = u instanceof SysError ? u : yield* make();
      }
    }
    if (r instanceof SysError) {
      const what = symbolic
        ? `failed to create symbolic link ${quoteaf(dest)}`
        : ['EEXIST', 'ENOSPC', 'EROFS'].includes(r.errno)
          ? `failed to create hard link ${quoteaf(dest)}`
          : r.errno === 'EMLINK'
            ? `failed to create hard link to ${quoteaf(source)}`
            : `failed to create hard link ${quoteaf(dest)} => ${quoteaf(source)}`;
      yield* out.flush();
      yield* errOut(`${prog}: ${what}: ${r.message}\n`);
      return false;
    }
    if (verbose) yield* out.write(`${quoteaf(dest)} ${symbolic ? '-' : '='}> ${quoteaf(source)}\n`);
    return true;
  };

  let ok = true;
  if (targetDir !== null) {
    for (const f of files) if (!(yield* doLink(f, joinPath(targetDir, lastComponent(f))))) ok = false;
  } else if (!(yield* doLink(files[0], files[1]))) ok = false;
  return (yield* out.flush()) || !ok ? 1 : 0;
}
