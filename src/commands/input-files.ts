/**
 * Reading the files that flags name (--costs, --table, --trace-file) and standard
 * input: a missing or unreadable file, or a JSON file that does not parse, is an
 * InputError naming the file, what was expected and a fix (exit 3, one line). Nothing
 * is read past MAX_INPUT_BYTES: a stream that never ends (/dev/zero, `yes |`) is an
 * error, not a process that eats this machine's memory until node dies.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../sim/index.js';

/** The most ctsim reads of one input file or of standard input. */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** Reads `fd` to its end, or throws RangeError past `max` bytes. */
function readBounded(fd: number, max: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1 << 20, max + 1 - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      // A non-blocking standard input with nothing yet: wait for it, as readFileSync(0) would.
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      throw e;
    }
    if (n === 0) break;
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > max) throw new RangeError('too large');
  }
  return Buffer.concat(chunks, total);
}

const tooLarge = (source: string, fix: string): InputError =>
  new InputError({ source, expected: `at most ${MAX_INPUT_BYTES / 1024 ** 2} MiB`, found: 'more (a stream that does not end, such as /dev/zero?)', fix });

/**
 * The bytes of a file a user named, as readFileSync's, but bounded; `fail` makes the
 * error for a file that cannot be opened or read (its errno code).
 */
export function readUserFile(path: string, fail: (code: string) => InputError, fix = 'give a smaller file'): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw fail((e as NodeJS.ErrnoException).code ?? String(e));
  }
  try {
    return readBounded(fd, MAX_INPUT_BYTES);
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge(path, fix);
    throw fail((e as NodeJS.ErrnoException).code ?? String(e));
  } finally {
    closeSync(fd);
  }
}

/** All of standard input (bounded); `what` says what it should be, for the error. */
export function readStdinBytes(what: string): Buffer {
  try {
    return readBounded(0, MAX_INPUT_BYTES);
  } catch (e) {
    if (e instanceof RangeError) throw tooLarge('standard input', 'give less input');
    throw new InputError({ source: 'standard input', expected: what, found: (e as NodeJS.ErrnoException).code ?? String(e) });
  }
}

/** The text of `path`; `what` says what it should be ("a readable trace file"), `flag` which flag named it. */
export function readInputFile(path: string, flag: string, what: string): string {
  return readInputBytes(path, flag, what).toString('utf8');
}

/** The bytes of `path`, for a reader that scans them without decoding text; errors as readInputFile's. */
export function readInputBytes(path: string, flag: string, what: string): Buffer {
  return readUserFile(path, (code) => new InputError({ source: path, expected: what, found: code, fix: `check the path given to ${flag}` }));
}

/** The parsed JSON of `path`; `formatFix` says where the format is described. */
export function readJsonFile(path: string, flag: string, what: string, formatFix: string): unknown {
  const text = readInputFile(path, flag, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError({ source: path, expected: 'valid JSON', found: (e as Error).message, fix: formatFix });
  }
}
