/**
 * sed's input: the named files (`-` is standard input) read as one stream of lines,
 * or each on its own under -s and -i (line numbers, `$` and ranges restart per file).
 *
 *     files ─▶ open ─▶ FdLines ─▶ nextLine() ─▶ pattern space      `$`: isLastLine()
 *                │                                                   looks ahead, into
 *                └─ -i: a temporary file in the same directory       the next files with
 *                   becomes the output; at the file's end it is      data if it must
 *                   renamed over the original (backup first)
 *
 * A file that cannot be opened is reported ("can't read X: …", exit status 2 at the
 * end) and skipped; a read error ("read error on X: Is a directory") ends sed with
 * status 4. Looking ahead for `$` skips empty and unreadable files silently, as GNU
 * sed does.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { O_CREAT, O_EXCL, O_RDONLY, O_WRONLY, S_IFMT, S_IFREG } from '../../../kernel/vfs/types.js';
import { errOut } from '../../lib/io.js';
import { EXIT_BAD_INPUT, EXIT_PANIC, SedError } from './sed-program.js';
import { FdLines, type SedLine } from './sed-lines.js';
import type { SedOutput } from './sed-output.js';
import type { Gen } from './cli.js';

const SEEK_CUR = 1;

export interface InputOptions {
  readonly prog: string;
  /** The line terminator: '\n', or '\0' under -z. */
  readonly delim: string;
  /** -s or -i: every file on its own. */
  readonly separate: boolean;
  /** -i's backup name template ('*' stands for the file name; '*' alone: no backup), or null. */
  readonly inPlace: string | null;
  /** -u: read one byte at a time. */
  readonly unbuffered: boolean;
}

/** An open input file. */
interface OpenFile {
  readonly name: string;
  readonly lines: FdLines;
  /** An in-place edit in progress: the temporary file and the original's mode. */
  readonly edit: { tempPath: string; mode: number } | null;
}

export class SedInput {
  private readonly queue: string[];
  private current: OpenFile | null = null;
  /** The next file with data, found by looking ahead for `$`. */
  private ahead: OpenFile | null = null;
  private stdin: FdLines | null = null;
  private tempSerial = 0;
  /** Number of the line last read (per file when separate). */
  lineNumber = 0;
  /** Exit status so far: 2 once a file could not be read. */
  status = 0;
  /** Set when a new file starts in separate mode (the engine resets ranges and R files). */
  fileStarted = false;

  constructor(
    files: readonly string[],
    private readonly opts: InputOptions,
    private readonly output: SedOutput,
  ) {
    this.queue = [...files];
  }

  /** The name `F` prints: the current file, `-` for standard input. */
  get fileName(): string {
    return this.current?.name ?? '-';
  }

  /** Standard input's reader, shared by the `-` operand and `R /dev/stdin`. */
  stdinLines(): FdLines {
    this.stdin ??= new FdLines(0, this.opts.delim, this.opts.unbuffered ? 1 : undefined);
    return this.stdin;
  }

  /**
   * The next line: from the current file, then the following ones (unless
   * `withinFile` in separate mode: `n` and `N` stop at a file's end there). Null at the end.
   */
  *nextLine(withinFile: boolean): Gen<SedLine | null> {
    for (;;) {
      const cur = this.current;
      if (cur) {
        const line = yield* cur.lines.next();
        if (cur.lines.error) throw new SedError(`read error on ${cur.name}: ${cur.lines.error.message}`, EXIT_PANIC);
        if (line) {
          this.lineNumber++;
          return line;
        }
        if (withinFile && this.opts.separate) return null;
        yield* this.closeCurrent();
      }
      const next = this.ahead ?? (yield* this.openNext());
      this.ahead = null;
      if (next === null) return null;
      this.current = next;
      if (this.opts.separate) {
        this.lineNumber = 0;
        this.fileStarted = true;
      }
    }
  }

  /** Whether the line last read is the last (of its file when separate): the `$` address. */
  *isLastLine(): Gen<boolean> {
    if (this.current && (yield* this.current.lines.hasMore())) return false;
    if (this.opts.separate) return true;
    while (this.ahead === null) {
      const f = yield* this.openNext();
      if (f === null) return true;
      if (yield* f.lines.hasMore()) this.ahead = f;
      else yield* this.close(f);
    }
    return false;
  }

  /** Finishes the current file (renaming an in-place edit) and gives unread standard input back. */
  *finish(): Gen<void> {
    yield* this.closeCurrent();
    if (this.ahead) yield* this.close(this.ahead);
    this.ahead = null;
    if (this.stdin && this.stdin.unconsumed > 0) yield* sys.lseek(0, -this.stdin.unconsumed, SEEK_CUR);
  }

  private *openNext(): Gen<OpenFile | null> {
    const { prog, inPlace } = this.opts;
    while (this.queue.length > 0) {
      const name = this.queue.shift()!;
      if (name === '-' && inPlace === null) return { name, lines: this.stdinLines(), edit: null };
      const fd = yield* sys.open(name, O_RDONLY);
      if (fd instanceof SysError) {
        yield* errOut(`${prog}: can't read ${name}: ${fd.message}\n`);
        this.status = EXIT_BAD_INPUT;
        continue;
      }
      const lines = new FdLines(fd, this.opts.delim, this.opts.unbuffered ? 1 : undefined);
      if (inPlace === null) return { name, lines, edit: null };
      const st = yield* sys.fstat(fd);
      if (st instanceof SysError || (st.mode & S_IFMT) !== S_IFREG) {
        yield* sys.close(fd);
        throw new SedError(`couldn't edit ${name}: not a regular file`, EXIT_PANIC);
      }
      const tempPath = yield* this.createTemp(name);
      return { name, lines, edit: { tempPath, mode: st.mode & 0o7777 } };
    }
    return null;
  }

  /** Creates the temporary output of an in-place edit next to `name` and makes it the output. */
  private *createTemp(name: string): Gen<string> {
    const slash = name.lastIndexOf('/');
    const dir = slash >= 0 ? name.slice(0, slash + 1) : '';
    const pid = yield* sys.getpid();
    for (;;) {
      // Simplification: GNU's mkostemp draws random letters; the name here is derived from the pid.
      const tag = ((typeof pid === 'number' ? pid : 0) * 1000 + this.tempSerial++).toString(36).padStart(6, '0');
      const tempPath = `${dir}sed${tag}`;
      const fd = yield* sys.open(tempPath, O_WRONLY | O_CREAT | O_EXCL, 0o600);
      if (fd instanceof SysError) {
        if (fd.errno === 'EEXIST') continue;
        throw new SedError(`couldn't open temporary file ${tempPath}: ${fd.message}`, EXIT_PANIC);
      }
      this.output.beginFile(fd, tempPath);
      return tempPath;
    }
  }

  private *closeCurrent(): Gen<void> {
    if (this.current) yield* this.close(this.current);
    this.current = null;
  }

  private *close(f: OpenFile): Gen<void> {
    if (f.lines.fd !== 0) yield* sys.close(f.lines.fd);
    if (f.edit === null) return;
    yield* this.output.endFile();
    const { tempPath, mode } = f.edit;
    yield* sys.chmod(tempPath, mode);
    const template = this.opts.inPlace!;
    if (template !== '*') {
      const backup = template.split('*').join(f.name);
      const r = yield* sys.rename(f.name, backup);
      if (r instanceof SysError) {
        yield* sys.unlink(tempPath);
        throw new SedError(`cannot rename ${f.name}: ${r.message}`, EXIT_PANIC);
      }
    }
    const r = yield* sys.rename(tempPath, f.name);
    if (r instanceof SysError) {
      yield* sys.unlink(tempPath);
      throw new SedError(`cannot rename ${tempPath}: ${r.message}`, EXIT_PANIC);
    }
  }
}
