/**
 * A stdio-like output buffer: bytes collect in memory and go out in one write(2)
 * when `capacity` is reached or on `flush()`, as glibc's fully buffered stdout does
 * for pipes and files (its buffer is st_blksize, 4096 bytes).
 */
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { writeAll } from './io.js';

type Gen<T> = Generator<Op, T, unknown>;

/** glibc's stdio buffer size for pipes and regular files (st_blksize). */
export const STDIO_BUFSIZ = 4096;

export class OutBuffer {
  private parts: string[] = [];
  private size = 0;
  /** The first write error (EPIPE, ENOSPC, …); later output is dropped. */
  error: SysError | null = null;

  constructor(
    readonly fd: number,
    readonly capacity = STDIO_BUFSIZ,
  ) {}

  /** Buffers `data`, writing out whole buffers' worth when full. */
  *write(data: string): Gen<void> {
    if (this.error || data.length === 0) return;
    this.parts.push(data);
    this.size += data.length;
    if (this.size >= this.capacity) {
      const all = this.parts.join('');
      const keep = all.length % this.capacity;
      this.parts = keep > 0 ? [all.slice(all.length - keep)] : [];
      this.size = keep;
      yield* this.emit(all.slice(0, all.length - keep));
    }
  }

  /** Writes out everything buffered. */
  *flush(): Gen<SysError | null> {
    if (this.size > 0 && !this.error) {
      const all = this.parts.join('');
      this.parts = [];
      this.size = 0;
      yield* this.emit(all);
    }
    return this.error;
  }

  private *emit(data: string): Gen<void> {
    const e = yield* writeAll(this.fd, data);
    if (e instanceof SysError) this.error = e;
  }
}
