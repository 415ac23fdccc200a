/**
 * What sed reads and runs besides its input: whole files for `r`, one line at a time
 * for `R`, and shell commands for `e` and `s///e` (popen(3): `/bin/sh -c`, its output
 * read through a pipe, its standard input and error shared with sed).
 *
 * An `r` file that cannot be opened reads as empty; one that cannot be read (a
 * directory) ends sed with "read error on X" (status 4). `/dev/stdin` is standard
 * input; for `R` it is the same stream the `-` operand reads, so both take lines from
 * one buffer.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { O_CLOEXEC, O_RDONLY } from '../../../kernel/vfs/types.js';
import { readAll } from '../../lib/io.js';
import { EXIT_PANIC, SedError, type LineFeed } from './sed-program.js';
import { FdLines, type SedLine } from './sed-lines.js';
import type { Gen } from './cli.js';

/** The contents of an `r` file ('' if it cannot be opened). */
export function* readWholeFile(path: string): Gen<string> {
  const fd = path === '/dev/stdin' ? 0 : yield* sys.open(path, O_RDONLY);
  if (fd instanceof SysError) return '';
  const data = yield* readAll(fd);
  if (fd !== 0) yield* sys.close(fd);
  if (data instanceof SysError) throw new SedError(`read error on ${path}: ${data.message}`, EXIT_PANIC);
  return data;
}

/** The open `R` files, by path; a file that cannot be opened gives no lines. */
export class LineFeeds {
  private readonly open = new Map<string, FdLines | null>();

  constructor(
    private readonly delim: string,
    private readonly stdin: () => FdLines,
  ) {}

  /** The next line of the feed's file, or null at its end. */
  *next(feed: LineFeed): Gen<SedLine | null> {
    let lines = this.open.get(feed.path);
    if (lines === undefined) {
      if (feed.path === '/dev/stdin') lines = this.stdin();
      else {
        const fd = yield* sys.open(feed.path, O_RDONLY);
        lines = fd instanceof SysError ? null : new FdLines(fd, this.delim);
      }
      this.open.set(feed.path, lines);
    }
    if (lines === null) return null;
    const line = yield* lines.next();
    if (lines.error) throw new SedError(`read error on ${feed.path}: ${lines.error.message}`, EXIT_PANIC);
    return line;
  }

  /** Starts every file over (-s and -i do this at each input file); standard input cannot be. */
  *rewind(): Gen<void> {
    for (const [path, lines] of this.open) {
      if (lines && lines.fd !== 0) yield* sys.close(lines.fd);
      if (path !== '/dev/stdin') this.open.delete(path);
    }
  }

  *close(): Gen<void> {
    for (const lines of this.open.values()) if (lines && lines.fd !== 0) yield* sys.close(lines.fd);
    this.open.clear();
  }
}

/** Runs `command` with /bin/sh and returns what it wrote to standard output. */
export function* runShell(command: string, envp: readonly string[]): Gen<string> {
  const p = yield* sys.pipe2(O_CLOEXEC);
  if (p instanceof SysError) throw new SedError(`couldn't open pipe: ${p.message}`, EXIT_PANIC);
  const [rfd, wfd] = p;
  const pid = yield* sys.fork(function* () {
    yield* sys.dup2(wfd, 1);
    yield* sys.execve('/bin/sh', ['sh', '-c', command], envp);
    return 127;
  });
  yield* sys.close(wfd);
  if (pid instanceof SysError) {
    yield* sys.close(rfd);
    throw new SedError(`couldn't fork: ${pid.message}`, EXIT_PANIC);
  }
  const out = yield* readAll(rfd);
  yield* sys.close(rfd);
  yield* sys.wait4(pid);
  return out instanceof SysError ? '' : out;
}
