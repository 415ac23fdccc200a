/**
 * The copying engine of cp(1) and mv(1) (coreutils' copy.c, simplified): copies a
 * file, a symbolic link or (recursively) a directory to a destination name,
 * optionally preserving mode, ownership and timestamps, with cp's diagnostics
 * ("cannot stat", "are the same file", "cannot overwrite directory", "cannot copy
 * a directory, 'd', into itself").
 *
 * Simplification: device files and FIFOs are copied by content (ctsim has no
 * mknod(2) for programs); sparse files and extended attributes are not modelled.
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, isLnk, O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut, READ_CHUNK, writeAll } from '../../lib/io.js';
import type { OutBuffer } from '../../lib/out-buffer.js';
import { canonicalize } from '../../lib/canonicalize.js';
import { joinPath, quoteaf, readDirNames, usageError } from './gnu-style.js';
import type { ParsedOptions } from '../../lib/getopt.js';

type Gen<T> = Generator<Op, T, unknown>;

/** User CPU per file copied and per 64 KiB moved through user space — design choices. */
const COPY_PER_FILE_NS = 3_000;
const COPY_PER_CHUNK_NS = 8_000;

export interface CopyOptions {
  prog: string;
  recursive: boolean;
  /** Follow symbolic links in the source: 'always' (-L), 'never' (-P, -d, -a, -r), 'args' (-H). */
  deref: 'always' | 'never' | 'args';
  preserveMode: boolean;
  preserveOwner: boolean;
  preserveTimes: boolean;
  force: boolean;
  noClobber: boolean;
  verbose: boolean;
  out: OutBuffer;
  umask: number;
}

function* fail(o: CopyOptions, msg: string): Gen<false> {
  yield* o.out.flush();
  yield* errOut(`${o.prog}: ${msg}\n`);
  return false;
}

function* preserve(o: CopyOptions, dst: string, st: Stat, link: boolean): Gen<boolean> {
  if (o.preserveOwner) {
    const r = link ? yield* sys.lchown(dst, st.uid, st.gid) : yield* sys.chown(dst, st.uid, st.gid);
    if (r instanceof SysError && r.errno !== 'EPERM') return yield* fail(o, `failed to preserve ownership for ${quoteaf(dst)}: ${r.message}`);
  }
  if (link) return true;
  if (o.preserveMode) {
    const r = yield* sys.chmod(dst, st.mode & 0o7777);
    if (r instanceof SysError) return yield* fail(o, `preserving permissions for ${quoteaf(dst)}: ${r.message}`);
  }
  if (o.preserveTimes) {
    const r = yield* sys.utimensat(dst, st.atimeNs, st.mtimeNs);
    if (r instanceof SysError) return yield* fail(o, `preserving times for ${quoteaf(dst)}: ${r.message}`);
  }
  return true;
}

function* copyData(o: CopyOptions, src: string, dst: string, st: Stat, dstExists: boolean): Gen<boolean> {
  const inFd = yield* sys.open(src, O_RDONLY);
  if (inFd instanceof SysError) return yield* fail(o, `cannot open ${quoteaf(src)} for reading: ${inFd.message}`);
  let outFd = yield* sys.open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.mode & 0o777);
  if (outFd instanceof SysError && o.force && dstExists) {
    const u = yield* sys.unlink(dst);
    if (!(u instanceof SysError)) outFd = yield* sys.open(dst, O_WRONLY | O_CREAT | O_TRUNC, st.mode & 0o777);
  }
  if (outFd instanceof SysError) {
    yield* sys.close(inFd);
    return yield* fail(o, `cannot create regular file ${quoteaf(dst)}: ${outFd.message}`);
  }
  let ok = true;
  for (;;) {
    const chunk = yield* sys.read(inFd, READ_CHUNK);
    if (chunk instanceof SysError) {
      ok = yield* fail(o, `error reading ${quoteaf(src)}: ${chunk.message}`);
      break;
    }
    if (chunk === '') break;
    yield COPY_PER_CHUNK_NS;
    const w = yield* writeAll(outFd, chunk);
    if (w instanceof SysError) {
      ok = yield* fail(o, `error writing ${quoteaf(dst)}: ${w.message}`);
      break;
    }
  }
  yield* sys.close(inFd);
  yield* sys.close(outFd);
  return ok;
}

/** Whether `dst` names `src` or a path inside it (both canonicalized). */
export function* isInside(src: string, dst: string): Gen<boolean> {
  const a = yield* canonicalize(src, 'existing');
  const b = yield* canonicalize(dst, 'missing');
  if (a instanceof SysError || b instanceof SysError) return false;
  return b === a || b.startsWith(a === '/' ? '/' : a + '/');
}

/**
 * copy(): copies `src` to `dst`. `topLevel` marks a command-line operand (for -H).
 * Returns false if anything failed (after reporting it).
 */
export function* copyFile(o: CopyOptions, src: string, dst: string, topLevel: boolean): Gen<boolean> {
  yield COPY_PER_FILE_NS;
  const follow = o.deref === 'always' || (o.deref === 'args' && topLevel);
  const st = follow ? yield* sys.stat(src) : yield* sys.lstat(src);
  if (st instanceof SysError) return yield* fail(o, `cannot stat ${quoteaf(src)}: ${st.message}`);
  const dstSt = yield* sys.lstat(dst);
  const dstExists = !(dstSt instanceof SysError);
  if (dstExists) {
    const dstFollow = yield* sys.stat(dst);
    const d = dstFollow instanceof SysError ? dstSt : dstFollow;
    if (d.dev === st.dev && d.ino === st.ino) return yield* fail(o, `${quoteaf(src)} and ${quoteaf(dst)} are the same file`);
    if (o.noClobber) return true;
    if (isDir(dstSt.mode) && !isDir(st.mode)) return yield* fail(o, `cannot overwrite directory ${quoteaf(dst)} with non-directory`);
    if (!isDir(dstSt.mode) && isDir(st.mode)) return yield* fail(o, `cannot overwrite non-directory ${quoteaf(dst)} with directory ${quoteaf(src)}`);
  }
  if (isDir(st.mode)) {
    if (!o.recursive) return yield* fail(o, `-r not specified; omitting directory ${quoteaf(src)}`);
    if (topLevel && (yield* isInside(src, dst))) {
      return yield* fail(o, `cannot copy a directory, ${quoteaf(src)}, into itself, ${quoteaf(dst)}`);
    }
    if (!dstExists) {
      const r = yield* sys.mkdir(dst, (st.mode & 0o777) | 0o700);
      if (r instanceof SysError) return yield* fail(o, `cannot create directory ${quoteaf(dst)}: ${r.message}`);
      if (o.verbose) yield* o.out.write(`${quoteaf(src)} -> ${quoteaf(dst)}\n`);
    }
    const names = yield* readDirNames(src);
    if (names instanceof SysError) return yield* fail(o, `cannot access ${quoteaf(src)}: ${names.message}`);
    let ok = true;
    for (const n of names) {
      if (n === '.' || n === '..') continue;
      if (!(yield* copyFile(o, joinPath(src, n), joinPath(dst, n), false))) ok = false;
    }
    // A new directory gets the source's mode (less the umask) once its contents are in.
    const mode = o.preserveMode ? st.mode & 0o7777 : dstExists ? null : st.mode & 0o777 & ~o.umask;
    if (mode !== null) yield* sys.chmod(dst, mode);
    if (!(yield* preserve(o, dst, { ...st, mode: mode ?? st.mode }, false))) ok = false;
    return ok;
  }
  if (isLnk(st.mode)) {
    const target = yield* sys.readlink(src);
    if (target instanceof SysError) return yield* fail(o, `cannot read symbolic link ${quoteaf(src)}: ${target.message}`);
    if (dstExists) {
      const u = yield* sys.unlink(dst);
      if (u instanceof SysError) return yield* fail(o, `cannot remove ${quoteaf(dst)}: ${u.message}`);
    }
    const r = yield* sys.symlink(target, dst);
    if (r instanceof SysError) return yield* fail(o, `cannot create symbolic link ${quoteaf(dst)}: ${r.message}`);
    if (o.verbose) yield* o.out.write(`${quoteaf(src)} -> ${quoteaf(dst)}\n`);
    return yield* preserve(o, dst, st, true);
  }
  if (!(yield* copyData(o, src, dst, st, dstExists))) return false;
  if (o.verbose) yield* o.out.write(`${quoteaf(src)} -> ${quoteaf(dst)}\n`);
  return yield* preserve(o, dst, st, false);
}

/**
 * The operands of cp and mv: SOURCE... DIRECTORY (the last operand is an existing
 * directory, or -t DIRECTORY), or SOURCE DEST (-T, or two operands). Returns the
 * sources and the target directory (null: copy to files[1]), or the exit status
 * after coreutils' message.
 */
export function* sourcesAndTarget(prog: string, parsed: ParsedOptions): Gen<{ files: string[]; target: string | null } | number> {
  const files = [...parsed.operands];
  let target = (parsed.values.get('target-directory') as string | undefined) ?? null;
  if (files.length === 0) return yield* usageError(prog, 'missing file operand');
  if (parsed.values.has('no-target-directory')) {
    if (files.length !== 2) return yield* usageError(prog, files.length < 2 ? `missing destination file operand after ${quoteaf(files[0])}` : `extra operand ${quoteaf(files[2])}`);
  } else if (target === null) {
    if (files.length === 1) return yield* usageError(prog, `missing destination file operand after ${quoteaf(files[0])}`);
    const last = files[files.length - 1];
    const st = yield* sys.stat(last);
    if (!(st instanceof SysError) && isDir(st.mode)) {
      target = last;
      files.pop();
    } else if (files.length > 2) {
      yield* errOut(st instanceof SysError ? `${prog}: target ${quoteaf(last)}: ${st.message}\n` : `${prog}: target ${quoteaf(last)}: Not a directory\n`);
      return 1;
    }
  }
  return { files, target };
}
