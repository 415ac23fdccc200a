/**
 * Redirections (POSIX XCU 2.7; dash(1) "Redirections"): `<` `>` `>|` `>>` `<>` `n>&m`
 * `n<&m` `n>&-` and here-documents. Like dash, the shell redirects its own
 * descriptors — saving the originals above fd 10 (close-on-exec) so that a
 * builtin's or a compound command's redirections can be undone — and a forked
 * command inherits them. A here-document's text goes through a pipe; one longer
 * than PIPE_BUF is written by a forked child, as dash does, so that a full pipe
 * cannot block the shell.
 *
 *   redirect(sh, [2>&1, >out], push) ── openRedirect: open(2) / pipe / digit
 *        │                                  │
 *        └── per fd: save a copy ≥ 10 ─── dup2(new, fd), close(new)
 *   popRedir(sh, depth) ── dup2(saved, fd) back, close the copies
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { F_DUPFD_CLOEXEC, O_APPEND, O_CREAT, O_EXCL, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY, isReg } from '../../../kernel/vfs/types.js';
import { SIG } from '../../../kernel/proc/signals.js';
import type { Redirection } from './ast.js';
import { xwrite, type Shell, type Gen } from './shell.js';
import { expandString, EXP_TILDE } from './expand.js';
import { forkShell, FORK_NOJOB } from './eval.js';

/** One saved descriptor: the fd and its saved copy (-1: it was closed before). */
interface Saved {
  fd: number;
  saved: number;
}

/** The frames of saved descriptors, innermost last. */
const frames = new WeakMap<Shell, Saved[][]>();

function stackOf(sh: Shell): Saved[][] {
  let s = frames.get(sh);
  if (!s) {
    s = [];
    frames.set(sh, s);
  }
  return s;
}

/** Starts a frame of saved descriptors; returns its depth for popRedir. */
export function pushRedirFrame(sh: Shell): number {
  const s = stackOf(sh);
  s.push([]);
  return s.length - 1;
}

/** Undoes the redirections of a frame (and any above it). With `drop` (exec), keeps them and discards the saved copies. */
export function* popRedir(sh: Shell, depth: number, drop: boolean): Gen<void> {
  const s = stackOf(sh);
  while (s.length > depth) {
    const frame = s.pop()!;
    for (let i = frame.length - 1; i >= 0; i--) {
      const { fd, saved } = frame[i];
      if (drop) {
        if (saved >= 0) yield* sys.close(saved);
        continue;
      }
      if (saved < 0) {
        yield* sys.close(fd);
      } else {
        yield* sys.dup2(saved, fd);
        yield* sys.close(saved);
      }
    }
  }
}

/** dash's errmsg() for open (E_OPEN) and create (E_CREAT) failures. */
function openMessage(e: SysError, create: boolean): string {
  if (e.errno === 'ENOENT' || e.errno === 'ENOTDIR') return create ? 'Directory nonexistent' : 'No such file';
  return e.message;
}

/** How each file operator opens its target (open(2) flags), and which message a failure gets. */
const FILE_OPENS: Readonly<Record<string, { flags: number; create: boolean }>> = {
  '<': { flags: O_RDONLY, create: false },
  '>': { flags: O_WRONLY | O_CREAT | O_TRUNC, create: true },
  '>|': { flags: O_WRONLY | O_CREAT | O_TRUNC, create: true },
  '>>': { flags: O_WRONLY | O_CREAT | O_APPEND, create: true },
  '<>': { flags: O_RDWR | O_CREAT, create: true },
};

/**
 * Opens a redirection's target. Returns the descriptor to put in place, -1 to
 * close the redirected one, or the message of a failure (the command then fails
 * with status 2). A `>&`/`<&` word that is neither one digit nor `-` is a fatal
 * "Bad fd number", as in dash.
 */
function* openRedirect(sh: Shell, r: Redirection): Gen<number | string> {
  if (r.op === '<<' || r.op === '<<-') return yield* openHereDocument(sh, r);
  const word = yield* expandString(sh, r.target, EXP_TILDE);
  if (r.op === '>&' || r.op === '<&') {
    if (word === '-') return -1;
    if (!/^[0-9]$/.test(word)) throw yield* sh.error('Syntax error: Bad fd number');
    return Number(word);
  }
  if (r.op === '>' && sh.opts.C) return yield* openNoClobber(word);
  const how = FILE_OPENS[r.op];
  const fd = yield* sys.open(word, how.flags, 0o666);
  if (fd instanceof SysError) return `cannot ${how.create ? 'create' : 'open'} ${word}: ${openMessage(fd, how.create)}`;
  return fd;
}

/**
 * `>` under `set -C` (noclobber): an existing regular file is refused; another
 * existing file (a device, a FIFO) is opened for writing without truncation; a
 * new file is created exclusively. The opened file is checked again, so that a
 * regular file put there meanwhile is refused too.
 */
function* openNoClobber(path: string): Gen<number | string> {
  const exists = `cannot create ${path}: File exists`;
  const st = yield* sys.stat(path);
  if (st instanceof SysError) {
    const fd = yield* sys.open(path, O_WRONLY | O_CREAT | O_EXCL, 0o666);
    return fd instanceof SysError ? `cannot create ${path}: ${openMessage(fd, true)}` : fd;
  }
  if (isReg(st.mode)) return exists;
  const fd = yield* sys.open(path, O_WRONLY);
  if (fd instanceof SysError) return `cannot open ${path}: ${openMessage(fd, false)}`;
  const now = yield* sys.fstat(fd);
  if (!(now instanceof SysError) && isReg(now.mode)) {
    yield* sys.close(fd);
    return exists;
  }
  return fd;
}

/**
 * Bytes of a here-document the shell writes into the pipe itself; a longer one
 * could fill the pipe (PIPE_BUF, 4096 on Linux, is what dash allows itself) and
 * block the shell before the reader runs, so a forked child writes it.
 */
const HERE_DOC_INLINE_MAX = 4096;

/**
 * Signals the forked writer of a long here-document ignores, so that only the
 * reader's end matters: terminal signals (^C, ^\, ^Z, hang-up). SIGPIPE is set to
 * the default action: when the reader exits early the writer dies quietly.
 */
const HERE_WRITER_IGNORES = [SIG.SIGINT, SIG.SIGQUIT, SIG.SIGHUP, SIG.SIGTSTP];

/**
 * A here-document: a pipe whose read end becomes the redirected descriptor. The
 * pipe is made before the body is expanded (a `$(…)` in the body sees its two
 * descriptors); a literal body (quoted delimiter) is used as is.
 */
function* openHereDocument(sh: Shell, r: Redirection): Gen<number | string> {
  const pipe = yield* sys.pipe2(0);
  if (pipe instanceof SysError) throw yield* sh.error('Pipe call failed');
  const [readEnd, writeEnd] = pipe;
  const body = r.hereLiteral ? r.target.raw : yield* expandString(sh, r.target, 0);
  if (body.length <= HERE_DOC_INLINE_MAX) {
    if (body !== '') yield* xwrite(writeEnd, body);
  } else {
    yield* forkShell(sh, null, FORK_NOJOB, null, function* writer(): Gen<number> {
      yield* sys.close(readEnd);
      for (const sig of HERE_WRITER_IGNORES) yield* sys.sigaction(sig, { handler: 'ignore' });
      yield* sys.sigaction(SIG.SIGPIPE, { handler: 'default' });
      yield* xwrite(writeEnd, body);
      return 0;
    });
  }
  yield* sys.close(writeEnd);
  return readEnd;
}

/**
 * Performs redirections. With `push`, the replaced descriptors are saved in the
 * current frame (see pushRedirFrame) to be restored by popRedir. Returns 0, or 2
 * after printing the error (dash's redirectsafe).
 */
export function* redirect(sh: Shell, redirs: readonly Redirection[], push: boolean): Gen<number> {
  if (redirs.length === 0) return 0;
  const stack = push ? stackOf(sh) : null;
  const frame = stack !== null ? stack[stack.length - 1] : null;
  for (const r of redirs) {
    const fd = r.fd;
    const newfd = yield* openRedirect(sh, r);
    if (typeof newfd === 'string') {
      yield* sh.warn(newfd);
      return 2;
    }
    if (newfd === fd) continue;
    if (frame !== null && !frame.some((s) => s.fd === fd)) {
      const saved = yield* sys.fcntl(fd, F_DUPFD_CLOEXEC, 10);
      frame.push({ fd, saved: saved instanceof SysError ? -1 : saved });
    }
    if (newfd < 0) {
      yield* sys.close(fd);
      continue;
    }
    const d = yield* sys.dup2(newfd, fd);
    const isDup = r.op === '>&' || r.op === '<&';
    if (d instanceof SysError) {
      if (!isDup) yield* sys.close(newfd);
      yield* sh.warn(`${newfd}: ${d.message}`);
      return 2;
    }
    if (!isDup) yield* sys.close(newfd);
  }
  return 0;
}
