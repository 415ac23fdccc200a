/**
 * The file loop head(1) and tail(1) share: each operand ('-' is standard input)
 * opened in turn, a `==> name <==` header before it when there are several (or -v),
 * a blank line between parts, and GNU's messages for files that cannot be opened
 * or read. Output goes through one buffer that is flushed before each message, so
 * stdout and stderr interleave as they do with coreutils.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut } from '../../lib/io.js';
import { quoteShellAlways } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import type { Gen } from './cli.js';

/** Copies what it wants of `fd` to `out`; returns a read error, if any. */
export type FileBody = (fd: number, out: OutBuffer) => Gen<SysError | null>;

/**
 * Runs `body` over each of `operands` (none means '-'). `headers` is -q (false),
 * -v (true) or neither (null: headers when there is more than one file).
 * Returns the exit status: 1 if any file failed or the output could not be written.
 */
export function* eachHeadedFile(prog: string, operands: readonly string[], headers: boolean | null, body: FileBody): Gen<number> {
  const files = operands.length > 0 ? operands : ['-'];
  const showHeaders = headers ?? files.length > 1;
  const out = new OutBuffer(1);
  let first = true;
  let status = 0;
  for (const f of files) {
    let fd = 0;
    const name = f === '-' ? 'standard input' : f;
    if (f !== '-') {
      const r = yield* sys.open(f, O_RDONLY);
      if (r instanceof SysError) {
        yield* out.flush();
        yield* errOut(`${prog}: cannot open ${quoteShellAlways(f)} for reading: ${r.message}\n`);
        status = 1;
        continue;
      }
      fd = r;
    }
    if (showHeaders) {
      yield* out.write(`${first ? '' : '\n'}==> ${name} <==\n`);
      first = false;
    }
    const err = yield* body(fd, out);
    if (fd !== 0) yield* sys.close(fd);
    if (err) {
      yield* out.flush();
      yield* errOut(`${prog}: error reading ${quoteShellAlways(name)}: ${err.message}\n`);
      status = 1;
    }
    if (out.error) break;
  }
  const e = yield* out.flush();
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  return status;
}
