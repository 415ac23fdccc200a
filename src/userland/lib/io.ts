/**
 * Buffered I/O for simulated programs, on top of read(2) and write(2): write all of a
 * string, read a whole file, read line by line, and print errors the way GNU tools
 * do ("cat: /x: No such file or directory").
 */
import * as sys from './sys.js';
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { O_RDONLY } from '../../kernel/vfs/types.js';

type Gen<T> = Generator<Op, T, unknown>;

/** Bytes per read(2) call (a 64 KiB buffer, like coreutils' io_blksize for pipes). */
export const READ_CHUNK = 65536;

/** Writes all of `data` to `fd` (retrying short writes). Returns an error if one occurs. */
export function* writeAll(fd: number, data: string): Gen<SysError | undefined> {
  let off = 0;
  while (off < data.length) {
    const n = yield* sys.write(fd, off === 0 ? data : data.slice(off));
    if (n instanceof SysError) return n;
    if (n === 0) return undefined;
    off += n;
  }
  return undefined;
}

/** Writes to standard output. */
export function* out(data: string): Gen<SysError | undefined> {
  return yield* writeAll(1, data);
}

/** Writes to standard error. */
export function* errOut(data: string): Gen<SysError | undefined> {
  return yield* writeAll(2, data);
}

/** Reads `fd` to end of file. */
export function* readAll(fd: number): Gen<string | SysError> {
  let acc = '';
  for (;;) {
    const chunk = yield* sys.read(fd, READ_CHUNK);
    if (chunk instanceof SysError) return chunk;
    if (chunk === '') return acc;
    acc += chunk;
  }
}

/** Reads a whole file by path. */
export function* readFile(path: string): Gen<string | SysError> {
  const fd = yield* sys.open(path, O_RDONLY);
  if (fd instanceof SysError) return fd;
  const data = yield* readAll(fd);
  yield* sys.close(fd);
  return data;
}

/** Reads a descriptor line by line without reading ahead of what it hands out more than one buffer. */
export class LineReader {
  private buf = '';
  private eof = false;
  readonly fd: number;
  /** The last read error, if any. */
  error: SysError | null = null;

  constructor(fd: number) {
    this.fd = fd;
  }

  /** The next line with its "\n" (the last line may lack it), or null at end of file. */
  *next(): Gen<string | null> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl + 1);
        this.buf = this.buf.slice(nl + 1);
        return line;
      }
      if (this.eof) {
        if (this.buf === '') return null;
        const line = this.buf;
        this.buf = '';
        return line;
      }
      const chunk = yield* sys.read(this.fd, READ_CHUNK);
      if (chunk instanceof SysError) {
        this.error = chunk;
        this.eof = true;
      } else if (chunk === '') {
        this.eof = true;
      } else {
        this.buf += chunk;
      }
    }
  }

  /** Up to `n` bytes (less at end of file). */
  *bytes(n: number): Gen<string> {
    while (this.buf.length < n && !this.eof) {
      const chunk = yield* sys.read(this.fd, READ_CHUNK);
      if (chunk instanceof SysError) {
        this.error = chunk;
        this.eof = true;
      } else if (chunk === '') this.eof = true;
      else this.buf += chunk;
    }
    const out = this.buf.slice(0, n);
    this.buf = this.buf.slice(out.length);
    return out;
  }
}

/** `prog: message\n` on standard error. */
export function* complain(prog: string, message: string): Gen<void> {
  yield* errOut(`${prog}: ${message}\n`);
}

/** GNU style: `prog: 'path': strerror` is for some tools; this is `prog: path: strerror`. */
export function* complainPath(prog: string, path: string, e: SysError): Gen<void> {
  yield* errOut(`${prog}: ${path}: ${e.message}\n`);
}

/** The environment as a map (later entries win, as getenv sees them). */
export function envMap(envp: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of envp) {
    const i = e.indexOf('=');
    if (i > 0) m.set(e.slice(0, i), e.slice(i + 1));
  }
  return m;
}

/** UTF-8 bytes of a JavaScript string (for text a program makes up itself). */
export function utf8(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

/** The JavaScript string of UTF-8 bytes (for counting characters). */
export function fromUtf8(bytes: string): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}
