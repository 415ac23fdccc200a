/**
 * Lines from a descriptor for sed: each keeps whether it ended with its terminator
 * (`\n`, or NUL under -z), since sed prints a last line without one as it found it.
 *
 * The reader buffers what read(2) returned; `hasMore()` looks ahead without consuming
 * (what `$` needs), and `unconsumed` is what was read but not handed out, which sed
 * gives back to a seekable standard input when it exits early (as glibc's exit does
 * for a stdio input stream). Unbuffered (-u), it reads one byte at a time, so a pipe
 * keeps what sed did not use.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { READ_CHUNK } from '../../lib/io.js';
import type { Gen } from './cli.js';

/** A line of input or of the pattern/hold space: its text and whether a terminator followed it. */
export interface SedLine {
  text: string;
  hasNewline: boolean;
}

export class FdLines {
  private buf = '';
  private eof = false;
  /** The read error that ended this input, if any. */
  error: SysError | null = null;

  constructor(
    readonly fd: number,
    readonly delim: string,
    /** Bytes per read(2): READ_CHUNK, or 1 when unbuffered. */
    readonly chunk = READ_CHUNK,
  ) {}

  /** Reads more into the buffer; false at end of input or on an error. */
  private *fill(): Gen<boolean> {
    if (this.eof) return false;
    const data = yield* sys.read(this.fd, this.chunk);
    if (data instanceof SysError) {
      this.error = data;
      this.eof = true;
      return false;
    }
    if (data === '') {
      this.eof = true;
      return false;
    }
    this.buf += data;
    return true;
  }

  /** The next line, or null at the end (check `error`). */
  *next(): Gen<SedLine | null> {
    let from = 0;
    for (;;) {
      const at = this.buf.indexOf(this.delim, from);
      if (at >= 0) {
        const text = this.buf.slice(0, at);
        this.buf = this.buf.slice(at + 1);
        return { text, hasNewline: true };
      }
      from = this.buf.length;
      if (!(yield* this.fill())) break;
    }
    if (this.buf === '') return null;
    const text = this.buf;
    this.buf = '';
    return { text, hasNewline: false };
  }

  /** Everything left, as read (for `r`). */
  *rest(): Gen<string> {
    while (yield* this.fill());
    const all = this.buf;
    this.buf = '';
    return all;
  }

  /** Whether at least one more byte can be read. */
  *hasMore(): Gen<boolean> {
    if (this.buf !== '') return true;
    return yield* this.fill();
  }

  /** Bytes read but not handed out. */
  get unconsumed(): number {
    return this.buf.length;
  }
}
