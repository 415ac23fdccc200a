/**
 * The archive as GNU tar 1.34's buffer.c sees it: opened by name ("-" is standard
 * input or output, never a terminal), read a block at a time through read(2), written
 * in 10240-byte records; and tar's diagnostics (error(), WARN, FATAL_ERROR): every
 * message is "tar: …" on standard error, an error makes the exit status 2, a fatal
 * one adds "Error is not recoverable: exiting now" and ends the run.
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_CREAT, O_RDONLY, O_TRUNC, O_WRONLY } from '../../../kernel/vfs/types.js';
import { TCGETS } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, READ_CHUNK } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { BLOCK_SIZE, RECORD_SIZE, archiveTrailer, type BlockSource } from './tar-format.js';
import { quoteEscape } from './tar-names.js';

export type Gen<T> = Generator<Op, T, unknown>;

/** Thrown (after the messages are out) to end a run on a fatal error; tarMain returns 2. */
export class TarFatal extends Error {}

/** Exit statuses (tar.h): TAREXIT_SUCCESS, TAREXIT_DIFFERS, TAREXIT_FAILURE. */
export const EXIT_FAILURE = 2;

/** Where tar's messages and listing go, and the exit status they add up to. */
export class Diag {
  status = 0;
  /** stdlis: the listing stream (standard output, or standard error when the archive or -O data is there). */
  readonly list: OutBuffer;
  /** Prefixes already reported by "Removing leading `%s' from …" (once each). */
  private readonly removed = new Set<string>();

  constructor(
    readonly prog: string,
    private readonly listFd: number,
  ) {
    this.list = new OutBuffer(listFd);
  }

  /**
   * A listing line: buffered on standard output (and flushed before any message, so
   * the two interleave as GNU's do), written at once on standard error (unbuffered in C).
   */
  *say(text: string): Gen<void> {
    if (this.listFd === 2) yield* errOut(text);
    else yield* this.list.write(text);
  }

  /** WARN(): a message that leaves the exit status alone. */
  *warn(message: string): Gen<void> {
    yield* this.list.flush();
    yield* errOut(`${this.prog}: ${message}\n`);
  }

  /** ERROR(): a message, and the run will exit 2. */
  *error(message: string): Gen<void> {
    yield* this.warn(message);
    this.status = EXIT_FAILURE;
  }

  /** `NAME: What: strerror` for a failed call about a file (tar's *_error helpers). */
  *fileError(name: string, what: string, e: SysError): Gen<void> {
    yield* this.error(`${quoteEscape(name, true)}: ${what}: ${e.message}`);
  }

  /** What to finish before a fatal error ends the run (GNU's fatal_exit_hook: extraction's delayed metadata). */
  fatalHook: (() => Gen<void>) | null = null;

  /** FATAL_ERROR(): the message, the hook, "Error is not recoverable: exiting now", and the end of the run. */
  *fatal(message: string | null): Gen<never> {
    if (message !== null) yield* this.error(message);
    const hook = this.fatalHook;
    this.fatalHook = null;
    if (hook) yield* hook();
    yield* this.error('Error is not recoverable: exiting now');
    throw new TarFatal();
  }

  /** "Removing leading `PREFIX' from member names" (or hard link targets), once per prefix and kind. */
  *removedPrefix(prefix: string, what: 'member names' | 'hard link targets'): Gen<void> {
    const key = `${what}\0${prefix}`;
    if (prefix === '' || this.removed.has(key)) return;
    this.removed.add(key);
    yield* this.warn(`Removing leading \`${prefix}' from ${what}`);
  }

  /** The last words: flush the listing; "Exiting with failure status due to previous errors" after errors. */
  *finish(): Gen<number> {
    const e = yield* this.list.flush();
    if (e) this.status = EXIT_FAILURE;
    if (this.status === EXIT_FAILURE) yield* errOut(`${this.prog}: Exiting with failure status due to previous errors\n`);
    return this.status;
  }
}

/** isatty(3). */
function* isTerminal(fd: number): Gen<boolean> {
  return !((yield* sys.ioctl(fd, TCGETS)) instanceof SysError);
}

/** Opens the archive for reading ("-" is standard input, refused when it is a terminal). */
export function* openArchiveForRead(d: Diag, name: string): Gen<number> {
  if (name === '-') {
    if (yield* isTerminal(0)) yield* d.fatal('Refusing to read archive contents from terminal (missing -f option?)');
    return 0;
  }
  const fd = yield* sys.open(name, O_RDONLY);
  if (fd instanceof SysError) return yield* d.fatal(`${quoteEscape(name, true)}: Cannot open: ${fd.message}`);
  return fd;
}

/** Opens (creates, truncates) the archive for writing ("-" is standard output, refused when it is a terminal). */
export function* openArchiveForWrite(d: Diag, name: string): Gen<number> {
  if (name === '-') {
    if (yield* isTerminal(1)) yield* d.fatal('Refusing to write archive contents to terminal (missing -f option?)');
    return 1;
  }
  const fd = yield* sys.open(name, O_WRONLY | O_CREAT | O_TRUNC, 0o666);
  if (fd instanceof SysError) return yield* d.fatal(`${quoteEscape(name, true)}: Cannot open: ${fd.message}`);
  return fd;
}

/** User CPU per archive block handled (header check or data copy) — a design choice. */
export const PER_BLOCK_NS = 150;

/** The archive read through read(2), a block at a time; a partial last block is dropped, as GNU drops it. */
export class FdBlockSource implements BlockSource<Op> {
  consumed = 0;
  private buf = '';
  private off = 0;
  private ended = false;
  private bytesRead = 0;

  constructor(
    private readonly fd: number,
    private readonly d: Diag,
    private readonly archiveName: string,
  ) {}

  /** Reads until `n` bytes are buffered or the input ends. */
  *fill(n: number): Gen<void> {
    while (this.buf.length - this.off < n && !this.ended) {
      const chunk = yield* sys.read(this.fd, Math.max(READ_CHUNK, RECORD_SIZE));
      if (chunk instanceof SysError) {
        // archive_read_error(): fatal at once at the start; GNU retries later errors a few times.
        yield* this.d.error(`${quoteEscape(this.archiveName, true)}: Cannot read: ${chunk.message}`);
        yield* this.d.fatal(this.bytesRead === 0 ? 'At beginning of tape, quitting now' : 'Too many errors, quitting');
      } else if (chunk === '') this.ended = true;
      else {
        this.bytesRead += chunk.length;
        this.buf = (this.off > 0 ? this.buf.slice(this.off) : this.buf) + chunk;
        this.off = 0;
      }
    }
  }

  /** The first bytes of what is left, without consuming them (for the compression check). */
  *peek(n: number): Gen<string> {
    yield* this.fill(n);
    return this.buf.slice(this.off, this.off + n);
  }

  *read(max: number): Gen<string> {
    yield* this.fill(BLOCK_SIZE);
    const n = Math.min(max, Math.floor((this.buf.length - this.off) / BLOCK_SIZE));
    if (n <= 0) return '';
    const out = this.buf.slice(this.off, this.off + n * BLOCK_SIZE);
    this.off += n * BLOCK_SIZE;
    this.consumed += n;
    yield n * PER_BLOCK_NS;
    return out;
  }
}

/** The archive being written: whole 10240-byte records, the end marker and padding at the end. */
export class ArchiveWriter {
  private bytes = 0;
  private readonly out: OutBuffer;

  constructor(
    fd: number,
    private readonly d: Diag,
    private readonly archiveName: string,
  ) {
    this.out = new OutBuffer(fd, RECORD_SIZE);
  }

  *write(data: string): Gen<void> {
    this.bytes += data.length;
    yield (data.length / BLOCK_SIZE) * PER_BLOCK_NS;
    yield* this.out.write(data);
    if (this.out.error) yield* this.d.fatal(`${quoteEscape(this.archiveName, true)}: Cannot write: ${this.out.error.message}`);
  }

  /** Two zero blocks, padding to a whole record, and the last write. */
  *finish(): Gen<void> {
    yield* this.out.write(archiveTrailer(this.bytes));
    const e = yield* this.out.flush();
    if (e) yield* this.d.fatal(`${quoteEscape(this.archiveName, true)}: Cannot write: ${e.message}`);
  }
}

/** The compressed formats buffer.c recognises by their first bytes, with the option and program that handle each. */
const COMPRESSED: { magic: string; option: string; program: string }[] = [
  { magic: '\x1f\x9d', option: '-Z', program: 'compress' },
  { magic: '\x1f\x8b', option: '-z', program: 'gzip' },
  { magic: 'BZh', option: '-j', program: 'bzip2' },
  { magic: 'LZIP', option: '--lzip', program: 'lzip' },
  { magic: '\xffLZMA', option: '--lzma', program: 'lzma' },
  { magic: '\x89LZO', option: '--lzop', program: 'lzop' },
  { magic: '\xfd7zXZ', option: '-J', program: 'xz' },
  { magic: '\x28\xb5\x2f\xfd', option: '--zstd', program: 'zstd' },
];

/** The compressor an archive's first bytes name, if any. */
export function compressionOf(head: string): { option: string; program: string } | null {
  return COMPRESSED.find((c) => head.startsWith(c.magic)) ?? null;
}

/**
 * What GNU tar prints when its compressor cannot run — ctsim has none. Reading, tar
 * forks a child (a grandchild when the archive is a pipe) that fails to exec it;
 * writing, it runs the program through /bin/sh, which does not find it.
 * Simplification: no compression program exists on the simulated system.
 */
export function* compressorMissing(d: Diag, program: string, writing: boolean, fromPipe: boolean): Gen<never> {
  if (writing) {
    yield* errOut(`/bin/sh: 1: ${program}: not found\n`);
    return yield* d.fatal('Child returned status 127');
  }
  const who = fromPipe ? 'grandchild' : 'child';
  yield* errOut(`${d.prog} (${who}): ${program}: Cannot exec: No such file or directory\n${d.prog} (${who}): Error is not recoverable: exiting now\n`);
  return yield* d.fatal('Child returned status 2');
}
