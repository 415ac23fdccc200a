/**
 * dd(1), GNU coreutils 9.1: copy a file in blocks, as src/dd.c of coreutils v9.1 does it.
 * Operands if= of= bs= ibs= obs= cbs= count= skip=/iseek= seek=/oseek= conv= iflag=
 * oflag= status=, with xstrtoumax's size suffixes, dd's "B" (count bytes) and "x"
 * (multiply) forms, and dd's messages and exit statuses byte for byte.
 *
 *   if= ──read(ibs)──▶ ibuf ──(lcase/ucase)──▶ obuf ──write(obs)──▶ of=
 *         skip: lseek, else read and discard      seek: lseek, else write NUL blocks
 *
 * With bs= each block read is written as it is ("ibuf == obuf"); without it partial
 * reads are gathered into obs-sized writes (C_TWOBUFS). A read shorter than ibs is a
 * partial record ("N+M records in"). of= is opened with O_CREAT and, unless
 * conv=notrunc, O_TRUNC (seek=0) or ftruncate(seek × obs). The statistics printed at the
 * end measure CLOCK_MONOTONIC from just before the copy to just after the files are
 * closed, and are formatted by gnulib's human_readable as dd calls it.
 *
 * Simplifications:
 *  - conv=ascii, ebcdic, ibm, block, unblock and swab are refused with a ctsim message
 *    (cbs= is parsed but unused); every other conversion of dd 9.1 is modelled.
 *  - conv=fsync and conv=fdatasync are accepted without a system call: ctsim has no
 *    fsync(2) and its file systems hold no dirty data.
 *  - iflag/oflag direct, dsync, sync, noatime and nocache are accepted and have no
 *    effect (ctsim has no page cache, O_DIRECT, O_DSYNC, O_SYNC or O_NOATIME); only their
 *    parsing and the "cannot combine direct and nocache" check are modelled. binary,
 *    text, cio and nolinks are refused, as on GNU/Linux where their flags are 0.
 *  - No SIGUSR1 (print statistics) or SIGINT (print them, then die) handlers.
 *  - Buffers are "allocated" when dd 9.1 allocates them and fail, with dd's message,
 *    above RAM + swap (Linux's heuristic overcommit); a block above 64 MiB is written
 *    with one write(2) per piece read, since bytes are JavaScript strings.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { CLOCK_MONOTONIC } from '../../../kernel/syscalls/abi.js';
import { errOut, out } from '../../lib/io.js';
import { quoteShell, quoteShellAlways } from '../../lib/gnu-quote.js';
import {
  F_GETFL,
  F_SETFL,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOCTTY,
  O_NOFOLLOW,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_END,
  isDir,
  isReg,
} from '../../../kernel/vfs/types.js';
import { C_EXCL, C_FDATASYNC, C_FSYNC, C_LCASE, C_NOCREAT, C_NOERROR, C_NOTRUNC, C_SPARSE, C_SYNC, C_TWOBUFS, C_UCASE, DD_NS_PER_BLOCK, DD_NS_PER_BYTE_COPIED, F_FULLBLOCK, HELP, JOIN_LIMIT_BYTES, OPEN_FLAGS, STATUS_NONE, STATUS_NOXFER, STATUS_PROGRESS, scanOperands, type DdOperands, type Refusal } from './dd-options.js';
import { INTMAX_MAX, humanReadable, transferLine } from './dd-numbers.js';
import { parseOptions, HELP_VERSION, coreutilsVersion, usageError, type Gen } from './cli.js';

const openFlags = (f: number): number => f & OPEN_FLAGS;

// ─── the copy ────────────────────────────────────────────────────────────────────────

/** quotef: shell-escaped only when needed (a colon counts), for "FILE: cannot skip". */
const quotef = (s: string): string => (s.includes(':') ? quoteShellAlways(s) : quoteShell(s));
/** quoteaf: always shell-quoted, for "failed to open 'FILE'". */
const quoteaf = quoteShellAlways;

/** NUL bytes in pieces of at most JOIN_LIMIT_BYTES. */
function zeros(n: number): string[] {
  const parts: string[] = [];
  for (let left = n; left > 0; left -= JOIN_LIMIT_BYTES) parts.push('\0'.repeat(Math.min(left, JOIN_LIMIT_BYTES)));
  return parts;
}

/** What a run of dd changes as it copies (dd.c's file-scope state). Input is fd 0, output fd 1. */
class DdRun {
  readonly ibs: number;
  readonly obs: number;
  conv: number;
  rFull = 0;
  rPartial = 0;
  wFull = 0;
  wPartial = 0;
  wBytes = 0;
  /** Bytes written in the last statistics line; -1 before any. */
  reportedWBytes = -1;
  /** CLOCK_MONOTONIC when copying began, and when the next progress line is due, in ns. */
  startNs = 0;
  nextProgressNs = 0;
  /** Columns of the progress line on the terminal; a message first ends it. */
  progressLen = 0;
  inputSeekable = false;
  /** Why lseek(2) on the input failed at the start (ESPIPE: a pipe), if it did. */
  inputSeekError: SysError | null = null;
  /** Bytes read from the input's start (or from where dd found it). */
  inputOffset = 0n;
  /** The last output block was sought over (conv=sparse), not written. */
  finalOpWasSeek = false;
  warnPartialRead: boolean;
  /** Bytes the previous read(2) returned, -1 for an error (iread's static prev_nread). */
  prevNread = 0;
  /** Output block being gathered (C_TWOBUFS), in pieces; `oc` bytes in all. */
  obuf: string[] = [];
  oc = 0;
  /** alloc_ibuf / alloc_obuf have succeeded. */
  ibufReady = false;
  obufReady = false;
  /** RAM + swap in bytes, from sysinfo(2) on first use. */
  totalMemBytes: number | null = null;

  constructor(
    readonly prog: string,
    readonly o: DdOperands,
    readonly inputName: string,
    readonly outputName: string,
  ) {
    // ibs and obs were checked against RAM + swap before they are used as numbers.
    this.ibs = Number(o.ibs);
    this.obs = Number(o.obs);
    this.conv = o.conv;
    this.warnPartialRead = o.warnPartialRead;
  }

  /** error(0, …): a message on stderr, ending a progress line first. */
  *complain(message: string): Gen<void> {
    const nl = this.progressLen > 0 ? '\n' : '';
    this.progressLen = 0;
    yield* errOut(`${nl}${this.prog}: ${message}\n`);
  }

  *now(): Gen<number> {
    const t = yield* sys.clockGettime(CLOCK_MONOTONIC);
    return t instanceof SysError ? 0 : t;
  }

  /** alloc_ibuf/alloc_obuf: refuses a buffer larger than RAM + swap, as overcommit does. */
  *allocate(which: 'input' | 'output'): Gen<string | null> {
    const size = which === 'input' ? this.o.ibs : this.o.obs;
    if ((which === 'input' ? this.ibufReady : this.obufReady)) return null;
    if (this.totalMemBytes === null) {
      const info = yield* sys.sysinfo();
      this.totalMemBytes = info instanceof SysError ? Number.MAX_SAFE_INTEGER : info.totalRam + info.totalSwap;
    }
    if (size > BigInt(this.totalMemBytes)) {
      return `memory exhausted by ${which} buffer of size ${size} bytes (${humanReadable(size, true)})`;
    }
    if (which === 'input') this.ibufReady = true;
    else this.obufReady = true;
    return null;
  }

  /** alloc_obuf: a buffer of its own with C_TWOBUFS, else the input buffer. */
  *allocateOutput(): Gen<string | null> {
    return this.conv & C_TWOBUFS ? yield* this.allocate('output') : yield* this.allocate('input');
  }

  /** iread (and iread_fullblock with iflag=fullblock): one read(2) of up to `size` bytes. */
  *read(fd: number, size: number): Gen<string | SysError> {
    if (!(this.o.iflags & F_FULLBLOCK)) return yield* this.readOnce(fd, size);
    let acc = '';
    while (acc.length < size) {
      const r = yield* this.readOnce(fd, size - acc.length);
      if (r instanceof SysError) return r;
      if (r === '') break;
      acc += r;
    }
    return acc;
  }

  private *readOnce(fd: number, size: number): Gen<string | SysError> {
    const r = yield* sys.read(fd, size);
    const nread = r instanceof SysError ? -1 : r.length;
    if (0 < nread && this.warnPartialRead && 0 < this.prevNread && this.prevNread < size) {
      const prev = this.prevNread;
      if (this.o.status !== STATUS_NONE) yield* this.complain(`warning: partial read (${prev} byte${prev === 1 ? '' : 's'}); suggest iflag=fullblock`);
      this.warnPartialRead = false;
    }
    this.prevNread = nread;
    return r;
  }

  /** iwrite: writes all `size` bytes of `parts` to fd 1, or seeks over them (conv=sparse). */
  *write(parts: readonly string[], size: number): Gen<{ written: number; error: SysError | null }> {
    if (size === 0) return { written: 0, error: null };
    this.finalOpWasSeek = false;
    if (this.conv & C_SPARSE && parts.every((p) => /^\0*$/.test(p))) {
      const r = yield* sys.lseek(1, size, SEEK_CUR);
      if (!(r instanceof SysError)) {
        this.finalOpWasSeek = true;
        return { written: size, error: null };
      }
      this.conv &= ~C_SPARSE;
    }
    let written = 0;
    for (const buf of size <= JOIN_LIMIT_BYTES ? [parts.join('')] : parts) {
      for (let off = 0; off < buf.length; ) {
        const n = yield* sys.write(1, off === 0 ? buf : buf.slice(off));
        if (n instanceof SysError) return { written, error: n };
        // A write of 0 bytes is taken for a full device (ENOSPC), as dd does.
        if (n === 0) return { written, error: new SysError('ENOSPC', 'write wrote 0 bytes') };
        off += n;
        written += n;
      }
    }
    return { written, error: null };
  }

  /** write_output: writes the full output block; false if dd must quit. */
  *writeOutput(): Gen<boolean> {
    const r = yield* this.write(this.obuf, this.obs);
    this.wBytes += r.written;
    if (r.written !== this.obs) {
      yield* this.complain(`writing to ${quoteaf(this.outputName)}: ${r.error?.message}`);
      if (r.written !== 0) this.wPartial++;
      return false;
    }
    this.wFull++;
    this.obuf = [];
    this.oc = 0;
    return true;
  }

  /** copy_simple: gathers `data` into output blocks; false if dd must quit. */
  *copySimple(data: string): Gen<boolean> {
    yield* sys.compute(data.length * DD_NS_PER_BYTE_COPIED);
    let start = 0;
    do {
      const nfree = Math.min(data.length - start, this.obs - this.oc);
      if (nfree > 0) this.obuf.push(data.slice(start, start + nfree));
      start += nfree;
      this.oc += nfree;
      if (this.oc >= this.obs && !(yield* this.writeOutput())) return false;
    } while (start < data.length);
    return true;
  }

  /**
   * skip: moves fd 0 (skip=) or fd 1 (seek=) past `records` blocks and `bytes` bytes,
   * by lseek(2) or else by reading. Returns what could not be skipped, or a message
   * that ends dd ('quit' once reported, or a die message).
   */
  *skip(fd: 0 | 1, records: bigint, blocksize: bigint, bytes: bigint): Gen<{ records: bigint; bytes: bigint } | 'quit' | Refusal> {
    const file = fd === 0 ? this.inputName : this.outputName;
    let offset = records * blocksize + bytes;
    let lseekError: SysError | null = null;
    if (offset <= INTMAX_MAX) {
      const r = yield* sys.lseek(fd, Number(offset), SEEK_CUR);
      if (!(r instanceof SysError)) {
        if (fd === 1) return { records: 0n, bytes: 0n };
        const st = yield* sys.fstat(0);
        if (st instanceof SysError) return { message: `cannot fstat ${quoteaf(file)}: ${st.message}`, tryHelp: false };
        const size = BigInt(st.size);
        let left = 0n;
        // Past the end of a regular file: report the whole blocks not skipped.
        if (isReg(st.mode) && 0n <= this.inputOffset && size - this.inputOffset < offset) {
          left = (offset - size) / blocksize;
          offset = size - this.inputOffset;
        }
        this.inputOffset += offset;
        return { records: left, bytes };
      }
      lseekError = r;
    }
    const end = yield* sys.lseek(fd, 0, SEEK_END);
    if (!(end instanceof SysError)) {
      // Seekable, but not that far (or the offset does not fit in off_t).
      yield* this.complain(`${quotef(file)}: cannot ${fd === 0 ? 'skip' : 'seek'}: ${(lseekError ?? new SysError('EOVERFLOW', 'the offset does not fit in off_t')).message}`);
      return 'quit';
    }
    const refused = fd === 0 ? yield* this.allocate('input') : yield* this.allocateOutput();
    if (refused) return { message: refused, tryHelp: false };
    do {
      const r = yield* this.read(fd, Number(records ? blocksize : bytes));
      if (r instanceof SysError) {
        if (fd === 0) {
          yield* this.complain(`error reading ${quoteaf(file)}: ${r.message}`);
          if (this.conv & C_NOERROR) yield* this.printStats();
        } else yield* this.complain(`${quotef(file)}: cannot seek${lseekError ? `: ${lseekError.message}` : ''}`);
        return 'quit';
      }
      if (r === '') break;
      if (fd === 0) this.inputOffset += BigInt(r.length);
      if (records !== 0n) records--;
      else bytes = 0n;
    } while (records || bytes);
    return { records, bytes };
  }

  /** advance_input_after_read_error: moves the input offset past a bad block. */
  *advanceAfterReadError(nbytes: number): Gen<boolean> {
    let e: SysError | null = this.inputSeekError;
    if (!this.inputSeekable) {
      if (e?.errno === 'ESPIPE') return true;
    } else {
      this.inputOffset += BigInt(nbytes);
      const offset = yield* sys.lseek(0, 0, SEEK_CUR);
      e = offset instanceof SysError ? offset : null;
      if (!(offset instanceof SysError)) {
        if (BigInt(offset) === this.inputOffset) return true;
        const diff = Number(this.inputOffset) - offset;
        if (!(0 <= diff && diff <= nbytes) && this.o.status !== STATUS_NONE) yield* this.complain('warning: invalid file offset after failed read');
        const r = yield* sys.lseek(0, diff, SEEK_CUR);
        if (!(r instanceof SysError)) return true;
        e = r;
      }
    }
    yield* this.complain(`${quotef(this.inputName)}: cannot seek${e ? `: ${e.message}` : ''}`);
    return false;
  }

  /** dd_copy: skip, seek, then copy block by block. Returns dd's status, or a die message. */
  *copy(): Gen<number | Refusal> {
    const o = this.o;
    let exitStatus = 0;
    if (o.skipRecords || o.skipBytes) {
      const wanted = o.skipRecords * o.ibs + o.skipBytes;
      const offset0 = this.inputOffset;
      const r = yield* this.skip(0, o.skipRecords, o.ibs, o.skipBytes);
      if (r === 'quit') return 1;
      if ('message' in r) return r;
      if ((r.records || (0n <= this.inputOffset && (wanted > INTMAX_MAX || wanted !== this.inputOffset - offset0))) && o.status !== STATUS_NONE) {
        yield* this.complain(`${quotef(this.inputName)}: cannot skip to specified offset`);
      }
    }
    if (o.seekRecords || o.seekBytes) {
      const r = yield* this.skip(1, o.seekRecords, o.obs, o.seekBytes);
      if (r === 'quit') return 1;
      if ('message' in r) return r;
      // What could not be sought over is written as NUL blocks.
      for (let { records, bytes } = r; records || bytes; ) {
        const size = Number(records ? o.obs : bytes);
        const w = yield* this.write(zeros(size), size);
        if (w.written !== size) {
          yield* this.complain(`writing to ${quoteaf(this.outputName)}: ${w.error?.message}`);
          return 1;
        }
        if (records) records--;
        else bytes = 0n;
      }
    }
    if (o.maxRecords === 0n && o.maxBytes === 0n) return exitStatus;
    const refused = (yield* this.allocate('input')) ?? (yield* this.allocateOutput());
    if (refused) return { message: refused, tryHelp: false };
    const maxRecords = Number(o.maxRecords);
    const maxBytes = Number(o.maxBytes);
    let partread = 0;
    for (;;) {
      if (o.status === STATUS_PROGRESS) {
        const t = yield* this.now();
        if (this.nextProgressNs <= t) {
          yield* this.printTransfer(t);
          this.nextProgressNs += 1e9;
        }
      }
      if (this.rPartial + this.rFull >= maxRecords + (maxBytes ? 1 : 0)) break;
      yield* sys.compute(DD_NS_PER_BLOCK);
      let data = yield* this.read(0, this.rPartial + this.rFull >= maxRecords ? maxBytes : this.ibs);
      if (data instanceof SysError) {
        if (!(this.conv & C_NOERROR) || o.status !== STATUS_NONE) yield* this.complain(`error reading ${quoteaf(this.inputName)}: ${data.message}`);
        if (!(this.conv & C_NOERROR)) {
          exitStatus = 1; // and write what was gathered
          break;
        }
        yield* this.printStats();
        if (!(yield* this.advanceAfterReadError(this.ibs - partread))) {
          exitStatus = 1;
          this.inputSeekable = false; // no more diagnostics about it
          this.inputSeekError = new SysError('ESPIPE', 'the input cannot seek');
        }
        // With conv=sync the missing block becomes NULs; otherwise it is dropped.
        if (!(this.conv & C_SYNC) || partread) continue;
        data = '';
      } else if (data === '') break;
      else this.inputOffset += BigInt(data.length);
      let block = [data];
      let size = data.length;
      if (size < this.ibs) {
        this.rPartial++;
        partread = size;
        if (this.conv & C_SYNC) {
          block = [data, ...zeros(this.ibs - size)];
          size = this.ibs;
        }
      } else {
        this.rFull++;
        partread = 0;
      }
      if (!(this.conv & C_TWOBUFS)) {
        const w = yield* this.write(block, size);
        this.wBytes += w.written;
        if (w.written !== size) {
          yield* this.complain(`error writing ${quoteaf(this.outputName)}: ${w.error?.message}`);
          return 1;
        }
        if (size === this.ibs) this.wFull++;
        else this.wPartial++;
        continue;
      }
      for (let piece of block) {
        if (this.conv & C_LCASE) piece = piece.replace(/[A-Z]+/g, (s) => s.toLowerCase());
        else if (this.conv & C_UCASE) piece = piece.replace(/[a-z]+/g, (s) => s.toUpperCase());
        if (!(yield* this.copySimple(piece))) return 1;
      }
    }
    // The last, partial output block.
    if (this.oc !== 0) {
      const w = yield* this.write(this.obuf, this.oc);
      this.wBytes += w.written;
      if (w.written !== 0) this.wPartial++;
      if (w.written !== this.oc) {
        yield* this.complain(`error writing ${quoteaf(this.outputName)}: ${w.error?.message}`);
        return 1;
      }
    }
    // A final block turned into a seek (conv=sparse) must still extend a regular file.
    if (this.finalOpWasSeek) {
      const st = yield* sys.fstat(1);
      if (st instanceof SysError) {
        yield* this.complain(`cannot fstat ${quoteaf(this.outputName)}: ${st.message}`);
        return 1;
      }
      const pos = yield* sys.lseek(1, 0, SEEK_CUR);
      if (isReg(st.mode) && !(pos instanceof SysError) && st.size < pos) {
        const r = yield* sys.ftruncate(1, pos);
        if (r instanceof SysError) {
          yield* this.complain(`failed to truncate to ${pos} bytes in output file ${quoteaf(this.outputName)}: ${r.message}`);
          return 1;
        }
      }
    }
    if (this.conv & (C_FDATASYNC | C_FSYNC) && o.status === STATUS_PROGRESS && 0 <= this.reportedWBytes && this.reportedWBytes < this.wBytes) {
      yield* this.printTransfer(0);
    }
    return exitStatus;
  }

  /** print_xfer_stats: the "bytes copied" line; `progressNs` non-zero for a progress update. */
  *printTransfer(progressNs: number): Gen<void> {
    const t = progressNs || (yield* this.now());
    const line = transferLine(this.wBytes, t - this.startNs, progressNs !== 0);
    let text: string;
    if (progressNs) {
      text = '\r' + line + ' '.repeat(Math.max(0, this.progressLen - line.length));
      this.progressLen = line.length;
    } else text = line + '\n';
    yield* errOut(text);
    this.reportedWBytes = this.wBytes;
  }

  /** print_stats: records in and out, then the transfer line, as status= allows. */
  *printStats(): Gen<void> {
    if (this.o.status === STATUS_NONE) return;
    const nl = this.progressLen > 0 ? '\n' : '';
    this.progressLen = 0;
    yield* errOut(`${nl}${this.rFull}+${this.rPartial} records in\n${this.wFull}+${this.wPartial} records out\n`);
    if (this.o.status !== STATUS_NOXFER) yield* this.printTransfer(0);
  }
}

/**
 * fd_reopen: opens `path` as descriptor `fd` (dd reads fd 0 and writes fd 1).
 */
function* reopen(fd: number, path: string, flags: number): Gen<SysError | null> {
  const r = yield* sys.open(path, flags, 0o666);
  if (r instanceof SysError) return r;
  if (r !== fd) {
    const d = yield* sys.dup2(r, fd);
    yield* sys.close(r);
    if (d instanceof SysError) return d;
  }
  return null;
}

/** set_fd_flags: adds iflag=/oflag= flags to standard input or output. */
function* setFdFlags(fd: number, flags: number): Gen<SysError | null> {
  const add = openFlags(flags) & ~(O_NOCTTY | O_NOFOLLOW);
  if (!add) return null;
  const old = yield* sys.fcntl(fd, F_GETFL);
  if (old instanceof SysError) return old;
  let want = old | add;
  if (want === old) return null;
  if (want & O_DIRECTORY) {
    const st = yield* sys.fstat(fd);
    if (st instanceof SysError) return st;
    if (!isDir(st.mode)) return new SysError('ENOTDIR', 'the path is not a directory');
    want &= ~O_DIRECTORY;
  }
  if (want === old) return null;
  const r = yield* sys.fcntl(fd, F_SETFL, want);
  return r instanceof SysError ? r : null;
}

export function* ddMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  // parse_gnu_standard_options_only: --help and --version act where getopt meets them.
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      operands.push(a);
      continue;
    }
    const opts = yield* parseOptions(prog, [prog, a], HELP_VERSION);
    if (typeof opts === 'number') return opts;
    const [key] = opts.list[0];
    // dd hands version_etc PACKAGE ("coreutils"), not PACKAGE_NAME, hence no "GNU".
    yield* out(key === 'help' ? HELP(prog) : coreutilsVersion('dd', 'Written by Paul Rubin, David MacKenzie, and Stuart Kemp.').replace('(GNU coreutils)', '(coreutils)'));
    return 0;
  }
  const die = function* (r: Refusal): Gen<number> {
    if (r.tryHelp) return yield* usageError(prog, r.message);
    yield* errOut(`${prog}: ${r.message}\n`);
    return 1;
  };
  const warnings: string[] = [];
  const o = scanOperands(operands, (m) => warnings.push(m));
  for (const w of warnings) yield* errOut(`${prog}: ${w}\n`);
  if ('message' in o) return yield* die(o);

  const inputName = o.inputFile ?? 'standard input';
  const outputName = o.outputFile ?? 'standard output';
  if (o.inputFile === null) {
    const e = yield* setFdFlags(0, o.iflags);
    if (e) return yield* die({ message: `setting flags for ${quoteaf(inputName)}: ${e.message}`, tryHelp: false });
  } else {
    const e = yield* reopen(0, o.inputFile, O_RDONLY | openFlags(o.iflags));
    if (e) return yield* die({ message: `failed to open ${quoteaf(inputName)}: ${e.message}`, tryHelp: false });
  }
  const run = new DdRun(prog, o, inputName, outputName);
  const offset = yield* sys.lseek(0, 0, SEEK_CUR);
  run.inputSeekable = !(offset instanceof SysError);
  run.inputOffset = offset instanceof SysError ? 0n : BigInt(offset);
  run.inputSeekError = offset instanceof SysError ? offset : null;

  if (o.outputFile === null) {
    const e = yield* setFdFlags(1, o.oflags);
    if (e) return yield* die({ message: `setting flags for ${quoteaf(outputName)}: ${e.message}`, tryHelp: false });
  } else {
    const flags =
      openFlags(o.oflags) |
      (o.conv & C_NOCREAT ? 0 : O_CREAT) |
      (o.conv & C_EXCL ? O_EXCL : 0) |
      (o.seekRecords || o.conv & C_NOTRUNC ? 0 : O_TRUNC);
    const size = o.seekRecords * o.obs + o.seekBytes;
    if (size > INTMAX_MAX && !(o.conv & C_NOTRUNC)) {
      return yield* die({ message: `offset too large: cannot truncate to a length of seek=${o.seekRecords} (${o.obs}-byte) blocks`, tryHelp: false });
    }
    // Read access only in case seek= must read its way forward; write-only if refused.
    let e = o.seekRecords ? yield* reopen(1, o.outputFile, O_RDWR | flags) : new SysError('EACCES', 'the output was opened write-only');
    if (e) e = yield* reopen(1, o.outputFile, O_WRONLY | flags);
    if (e) return yield* die({ message: `failed to open ${quoteaf(outputName)}: ${e.message}`, tryHelp: false });
    if (o.seekRecords && !(o.conv & C_NOTRUNC)) {
      const r = yield* sys.ftruncate(1, Number(size));
      if (r instanceof SysError) {
        // Reported for regular files and directories only. dd 9.1 then overwrites its
        // exit status with dd_copy's, so this failure alone leaves the status 0.
        const st = yield* sys.fstat(1);
        if (st instanceof SysError) yield* run.complain(`cannot fstat ${quoteaf(outputName)}: ${st.message}`);
        else if (isReg(st.mode) || isDir(st.mode)) yield* run.complain(`failed to truncate to ${size} bytes in output file ${quoteaf(outputName)}: ${r.message}`);
      }
    }
  }

  run.startNs = yield* run.now();
  run.nextProgressNs = run.startNs + 1e9;
  const status = yield* run.copy();
  if (typeof status !== 'number') return yield* die(status);
  // synchronize_output (conv=fsync/fdatasync) has nothing to do: see the Simplifications.
  const closedIn = yield* sys.close(0);
  if (closedIn instanceof SysError) return yield* die({ message: `closing input file ${quoteaf(inputName)}: ${closedIn.message}`, tryHelp: false });
  const closedOut = yield* sys.close(1);
  if (closedOut instanceof SysError) return yield* die({ message: `closing output file ${quoteaf(outputName)}: ${closedOut.message}`, tryHelp: false });
  yield* run.printStats();
  return status;
}
