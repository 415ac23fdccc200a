/**
 * Where sed writes: standard output (or, under -i, the file being edited), and the
 * files of `w`, `W` and `s///w`, each an OutputChannel.
 *
 * A line that had no terminator in the input is printed without one; if anything is
 * written to the same channel afterwards, the terminator is added first. So
 * `printf 'a\nb' | sed p` prints "a\na\nb\nb" and `sed '$a end'` still ends "b\nend\n".
 * Under -z the terminator is NUL. Standard output is fully buffered (4 KiB, flushed
 * per line under -u); w files are written through after every line, so a later `r`
 * of the same file sees them.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { O_CREAT, O_TRUNC, O_WRONLY } from '../../../kernel/vfs/types.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { EXIT_PANIC, SedError, type OutputChannel, type WriteTarget } from './sed-program.js';
import type { SedLine } from './sed-lines.js';
import type { Gen } from './cli.js';

/** `l`'s escapes for control characters (others are three-digit octal). */
const LIST_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 92: '\\\\' };

/**
 * The `l` form of `text`: escapes for backslash and unprintable bytes, `$` at the end,
 * and lines broken with `\` so none is longer than `width` - 1 characters before the
 * `\` (width 0: never broken). An escape is never split.
 */
export function listing(text: string, width: number, delim: string): string {
  let out = '';
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const item = LIST_ESCAPES[c] ?? (c < 32 || c >= 127 ? '\\' + c.toString(8).padStart(3, '0') : text[i]);
    if (width > 0 && col + item.length > width - 1) {
      out += '\\\n';
      col = 0;
    }
    out += item;
    col += item.length;
  }
  return out + '$' + delim;
}

export class SedOutput {
  private readonly stdoutSink = new OutBuffer(1);
  /** The channel of standard output itself. */
  readonly stdout: OutputChannel;
  /** Where p, =, l, a, i, c, r and friends write: standard output, or the -i temporary file. */
  current: OutputChannel;
  private readonly files: OutputChannel[] = [];

  constructor(
    /** The line terminator: '\n', or '\0' under -z. */
    readonly delim: string,
    readonly unbuffered: boolean,
  ) {
    this.stdout = { name: 'stdout', sink: this.stdoutSink, missingNewline: false, flushEach: unbuffered };
    this.current = this.stdout;
  }

  /** Opens a w file (truncating it) or attaches /dev/stdout or /dev/stderr, as sed does before reading input. */
  *open(target: WriteTarget): Gen<void> {
    if (target.channel) return;
    const { path } = target;
    if (path === '/dev/stdout') {
      target.channel = { name: path, sink: this.stdoutSink, missingNewline: false, flushEach: this.unbuffered };
      return;
    }
    let fd: number;
    if (path === '/dev/stderr') fd = 2;
    else {
      const r = yield* sys.open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
      if (r instanceof SysError) throw new SedError(`couldn't open file ${path}: ${r.message}`, EXIT_PANIC);
      fd = r;
    }
    target.channel = { name: path, sink: new OutBuffer(fd), missingNewline: false, flushEach: true };
    this.files.push(target.channel);
  }

  /** Makes `fd` (an in-place edit's temporary file) the current output. */
  beginFile(fd: number, name: string): void {
    this.current = { name, sink: new OutBuffer(fd), missingNewline: false, flushEach: this.unbuffered };
  }

  /** Flushes and closes the in-place output; standard output is current again. */
  *endFile(): Gen<void> {
    const ch = this.current;
    if (ch === this.stdout) return;
    this.current = this.stdout;
    yield* this.flush(ch);
    yield* sys.close(ch.sink.fd);
  }

  /** A line as p and w print it: its terminator only if it had one. */
  *line(ch: OutputChannel, line: SedLine): Gen<void> {
    yield* this.put(ch, line.hasNewline ? line.text + this.delim : line.text);
    if (!line.hasNewline) ch.missingNewline = true;
  }

  /** Text followed by the terminator (=, F, P, W, l). */
  *terminated(ch: OutputChannel, text: string): Gen<void> {
    yield* this.put(ch, text + this.delim);
  }

  /** Text as it is (queued a and r text, R lines, e output). */
  *raw(ch: OutputChannel, data: string): Gen<void> {
    yield* this.put(ch, data);
  }

  /** The text of i and c: its final newline becomes the terminator; empty text prints nothing. */
  *text(ch: OutputChannel, text: string): Gen<void> {
    if (text === '') return;
    yield* this.put(ch, text.slice(0, -1) + this.delim);
  }

  /** Writes the terminator a line printed without one is owed. */
  *endLine(ch: OutputChannel): Gen<void> {
    if (ch.missingNewline) yield* this.put(ch, '');
  }

  private *put(ch: OutputChannel, data: string): Gen<void> {
    if (ch.missingNewline) {
      ch.missingNewline = false;
      data = this.delim + data;
    }
    yield* ch.sink.write(data);
    if (ch.flushEach) yield* this.flush(ch);
  }

  /** Writes out a channel's buffer; a write error ends sed (status 4). */
  *flush(ch: OutputChannel): Gen<void> {
    const e = yield* ch.sink.flush();
    if (e) throw new SedError(`couldn't flush ${ch.name}: ${e.message}`, EXIT_PANIC);
  }

  /** Flushes standard output (before a command runs, and at -u's line ends). */
  *flushStdout(): Gen<void> {
    yield* this.flush(this.stdout);
  }

  /** Flushes everything and closes the w files. */
  *close(): Gen<void> {
    for (const ch of this.files) {
      yield* ch.sink.flush();
      if (ch.sink.fd > 2) yield* sys.close(ch.sink.fd);
    }
    yield* this.flush(this.stdout);
  }
}
