/**
 * mv(1) from GNU coreutils 9.1: renames files (`mv SRC DEST`, `mv SRC... DIR`,
 * -t DIR, -T) with rename(2); across file systems (EXDEV) it copies the tree like
 * `cp -a` and removes the source. -f never prompts, -i asks, -n never overwrites,
 * -v reports `renamed 'src' -> 'dest'`.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut, LineReader } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { joinPath, lastComponent, parseOptions, quoteaf, readDirNames } from './gnu-style.js';
import { copyFile, isInside, sourcesAndTarget, type CopyOptions } from './copy.js';

/** User CPU to start mv and per file moved — design choices. */
const MV_NS = 20_000;
const MV_PER_FILE_NS = 2_000;

type Gen<T> = Generator<Op, T, unknown>;

function* removeTree(path: string): Gen<SysError | null> {
  const st = yield* sys.lstat(path);
  if (st instanceof SysError) return st;
  if (!isDir(st.mode)) {
    const r = yield* sys.unlink(path);
    return r instanceof SysError ? r : null;
  }
  const names = yield* readDirNames(path);
  if (names instanceof SysError) return names;
  for (const n of names) {
    if (n === '.' || n === '..') continue;
    const e = yield* removeTree(joinPath(path, n));
    if (e) return e;
  }
  const r = yield* sys.rmdir(path);
  return r instanceof SysError ? r : null;
}

export function* mvMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'mv';
  yield MV_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'f', long: 'force' },
    { short: 'i', long: 'interactive' },
    { short: 'n', long: 'no-clobber' },
    { short: 't', long: 'target-directory', arg: 'required' },
    { short: 'T', long: 'no-target-directory' },
    { short: 'v', long: 'verbose' },
  ]);
  if (!parsed) return 1;
  let mode: 'force' | 'interactive' | 'no-clobber' = 'force';
  for (const [k] of parsed.list) if (k === 'force' || k === 'interactive' || k === 'no-clobber') mode = k;
  const verbose = parsed.values.has('verbose');
  const out = new OutBuffer(1);
  const stdin = new LineReader(0);
  const operands = yield* sourcesAndTarget(prog, parsed);
  if (typeof operands === 'number') return operands;
  const { files, target } = operands;
  const umask = (yield* sys.umask(0)) as number;
  yield* sys.umask(umask);
  const fail = function* (msg: string): Gen<false> {
    yield* out.flush();
    yield* errOut(`${prog}: ${msg}\n`);
    return false;
  };
  const move = function* (src: string, dst: string): Gen<boolean> {
    yield MV_PER_FILE_NS;
    const st = yield* sys.lstat(src);
    if (st instanceof SysError) return yield* fail(`cannot stat ${quoteaf(src)}: ${st.message}`);
    const d = yield* sys.lstat(dst);
    if (!(d instanceof SysError)) {
      if (d.dev === st.dev && d.ino === st.ino) return yield* fail(`${quoteaf(src)} and ${quoteaf(dst)} are the same file`);
      if (mode === 'no-clobber') return true;
      if (mode === 'interactive') {
        yield* out.flush();
        yield* errOut(`${prog}: overwrite ${quoteaf(dst)}? `);
        const a = yield* stdin.next();
        if (a === null || !/^[yY]/.test(a)) return true;
      }
      if (isDir(d.mode) && !isDir(st.mode)) return yield* fail(`cannot overwrite directory ${quoteaf(dst)} with non-directory`);
      if (!isDir(d.mode) && isDir(st.mode)) return yield* fail(`cannot overwrite non-directory ${quoteaf(dst)} with directory ${quoteaf(src)}`);
    }
    if (isDir(st.mode) && (yield* isInside(src, dst))) return yield* fail(`cannot move ${quoteaf(src)} to a subdirectory of itself, ${quoteaf(dst)}`);
    const r = yield* sys.rename(src, dst);
    if (r instanceof SysError) {
      if (r.errno !== 'EXDEV') return yield* fail(`cannot move ${quoteaf(src)} to ${quoteaf(dst)}: ${r.message}`);
      const o: CopyOptions = {
        prog, recursive: true, deref: 'never', preserveMode: true, preserveOwner: true, preserveTimes: true,
        force: true, noClobber: false, verbose: false, out, umask,
      };
      if (!(d instanceof SysError)) {
        const e = yield* removeTree(dst);
        if (e) return yield* fail(`cannot remove ${quoteaf(dst)}: ${e.message}`);
      }
      if (!(yield* copyFile(o, src, dst, true))) return false;
      const e = yield* removeTree(src);
      if (e) return yield* fail(`cannot remove ${quoteaf(src)}: ${e.message}`);
    }
    if (verbose) yield* out.write(`renamed ${quoteaf(src)} -> ${quoteaf(dst)}\n`);
    return true;
  };
  let ok = true;
  if (target !== null) {
    for (const f of files) if (!(yield* move(f, joinPath(target, lastComponent(f))))) ok = false;
  } else if (!(yield* move(files[0], files[1]))) ok = false;
  return (yield* out.flush()) || !ok ? 1 : 0;
}
