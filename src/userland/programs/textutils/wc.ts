/**
 * wc(1), GNU coreutils 9.1: count lines (-l), words (-w), characters (-m), bytes (-c)
 * and the longest line's display width (-L); without options -l -w -c. Counts come in
 * that order, in columns as wide as the total size of the regular files (at least 7
 * when an input is a pipe or other non-file); a lone count of a lone input is not
 * padded. Several inputs end with a `total` line. --files0-from reads the names.
 *
 * In the C locale a character is a byte, and (as coreutils 9.1 does) a word is a run
 * of printable non-space bytes, unprintable bytes neither making nor breaking one.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut, readAll } from '../../lib/io.js';
import { quoteShell, quoteShellAlways } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { O_RDONLY, isReg } from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError, type Gen } from './cli.js';

/** User time per byte classified (the per-byte switch of wc's word counter). A design choice, not a measurement. */
const WC_NS_PER_BYTE = 1;
/** User time per byte when only lines or bytes are counted (memchr-style). A design choice, not a measurement. */
const WC_FAST_NS_PER_BYTE = 0.25;

/** The counts of one input. */
export interface WcCounts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  maxLineLength: number;
}

/** A running count over chunks of one input. */
export class WcCounter {
  readonly c: WcCounts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLineLength: 0 };
  private inWord = false;
  private linePos = 0;

  /** Counts one chunk. `full`: words and widths too (else only lines and bytes). */
  add(s: string, full: boolean): void {
    const c = this.c;
    c.bytes += s.length;
    c.chars += s.length;
    if (!full) {
      let i = -1;
      while ((i = s.indexOf('\n', i + 1)) >= 0) c.lines++;
      return;
    }
    let { inWord, linePos } = this;
    let words = 0;
    let lines = 0;
    let max = c.maxLineLength;
    for (let i = 0; i < s.length; i++) {
      const b = s.charCodeAt(i);
      if (b > 0x20 && b < 0x7f) {
        linePos++;
        inWord = true;
        continue;
      }
      if (b === 0x0a || b === 0x0d || b === 0x0c) {
        // \n, \r and \f end a display line.
        if (b === 0x0a) lines++;
        if (linePos > max) max = linePos;
        linePos = 0;
      } else if (b === 0x09) {
        linePos += 8 - (linePos % 8);
      } else if (b === 0x20) {
        linePos++;
      } else if (b !== 0x0b) {
        // Unprintable: neither part of a word nor a separator.
        continue;
      }
      if (inWord) words++;
      inWord = false;
    }
    this.inWord = inWord;
    this.linePos = linePos;
    c.words += words;
    c.lines += lines;
    c.maxLineLength = max;
  }

  /** The counts at end of input (a last word or line without its terminator included). */
  finish(): WcCounts {
    if (this.inWord) this.c.words++;
    this.inWord = false;
    if (this.linePos > this.c.maxLineLength) this.c.maxLineLength = this.linePos;
    this.linePos = 0;
    return this.c;
  }
}

interface Selection {
  lines: boolean;
  words: boolean;
  chars: boolean;
  bytes: boolean;
  maxLineLength: boolean;
}

function formatCounts(c: WcCounts, sel: Selection, width: number, name: string | null): string {
  const cols: number[] = [];
  if (sel.lines) cols.push(c.lines);
  if (sel.words) cols.push(c.words);
  if (sel.chars) cols.push(c.chars);
  if (sel.bytes) cols.push(c.bytes);
  if (sel.maxLineLength) cols.push(c.maxLineLength);
  return cols.map((n) => String(n).padStart(width)).join(' ') + (name === null ? '' : ` ${name}`) + '\n';
}

export function* wcMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(prog, argv, [
    { short: 'c', long: 'bytes', key: 'c' },
    { short: 'm', long: 'chars', key: 'm' },
    { short: 'l', long: 'lines', key: 'l' },
    { short: 'w', long: 'words', key: 'w' },
    { short: 'L', long: 'max-line-length', key: 'L' },
    { long: 'files0-from', arg: 'required', key: 'files0-from' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} [OPTION]... [FILE]...\n  or:  ${prog} [OPTION]... --files0-from=F\n` +
      'Print newline, word, and byte counts for each FILE, and a total line if\nmore than one FILE is specified.  A word is a non-zero-length sequence of\nprintable characters delimited by white space.\n\n' +
      'With no FILE, or when FILE is -, read standard input.\n\n' +
      'The options below may be used to select which counts are printed, always in\nthe following order: newline, word, character, byte, maximum line length.\n' +
      '  -c, --bytes            print the byte counts\n  -m, --chars            print the character counts\n  -l, --lines            print the newline counts\n' +
      '      --files0-from=F    read input from the files specified by\n                           NUL-terminated names in file F;\n                           If F is - then read names from standard input\n' +
      '  -L, --max-line-length  print the maximum display width\n  -w, --words            print the word counts\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('wc', 'Written by Paul Rubin and David MacKenzie.'),
  );
  if (hv !== null) return hv;
  const v = opts.values;
  const sel: Selection = { lines: v.has('l'), words: v.has('w'), chars: v.has('m'), bytes: v.has('c'), maxLineLength: v.has('L') };
  if (!sel.lines && !sel.words && !sel.chars && !sel.bytes && !sel.maxLineLength) {
    sel.lines = sel.words = sel.bytes = true;
  }
  const full = sel.words || sel.maxLineLength;
  let status = 0;

  let files: string[];
  let named = true;
  /** --files0-from a pipe: coreutils reads the names as it goes, so it cannot size the columns. */
  let namesStreamed = false;
  const f0 = v.get('files0-from');
  if (typeof f0 === 'string') {
    if (opts.operands.length > 0) {
      yield* errOut(`${prog}: extra operand ${quoteShellAlways(opts.operands[0])}\n` + 'file operands cannot be combined with --files0-from\n');
      return yield* usageError(prog, null);
    }
    let list: string | SysError;
    if (f0 === '-') {
      const st = yield* sys.fstat(0);
      namesStreamed = st instanceof SysError || !isReg(st.mode);
      list = yield* readAll(0);
    }
    else {
      const fd = yield* sys.open(f0, O_RDONLY);
      if (fd instanceof SysError) {
        yield* errOut(`${prog}: cannot open ${quoteShellAlways(f0)} for reading: ${fd.message}\n`);
        return 1;
      }
      list = yield* readAll(fd);
      yield* sys.close(fd);
    }
    if (list instanceof SysError) {
      yield* errOut(`${prog}: ${quoteShell(f0)}: read error: ${list.message}\n`);
      return 1;
    }
    files = list.split('\0');
    if (files[files.length - 1] === '') files.pop();
  } else if (opts.operands.length > 0) {
    files = opts.operands;
  } else {
    files = ['-'];
    named = false;
  }

  // Stat every input first: the column width depends on their sizes (coreutils' compute_number_width).
  let regularTotal = 0;
  let minWidth = 1;
  const lone = files.length === 1 && Object.values(sel).filter(Boolean).length === 1;
  for (let i = 0; i < files.length && !lone && !namesStreamed; i++) {
    const st = files[i] === '-' ? yield* sys.fstat(0) : yield* sys.stat(files[i]);
    if (st instanceof SysError) continue;
    if (isReg(st.mode)) regularTotal += st.size;
    else minWidth = 7;
  }
  let width = 1;
  if (!lone && !namesStreamed) {
    for (let t = regularTotal; t >= 10; t = Math.floor(t / 10)) width++;
    width = Math.max(width, minWidth);
  }

  const out = new OutBuffer(1);
  const total: WcCounts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLineLength: 0 };
  for (const f of files) {
    const fd = f === '-' ? 0 : yield* sys.open(f, O_RDONLY);
    if (fd instanceof SysError) {
      yield* out.flush();
      yield* errOut(`${prog}: ${quoteShell(f)}: ${fd.message}\n`);
      status = 1;
      continue;
    }
    const r = yield* countFd(fd, full);
    if (fd !== 0) yield* sys.close(fd);
    if (r.error) {
      yield* out.flush();
      yield* errOut(`${prog}: ${quoteShell(f)}: ${r.error.message}\n`);
      status = 1;
    }
    const c = r.counts;
    total.lines += c.lines;
    total.words += c.words;
    total.chars += c.chars;
    total.bytes += c.bytes;
    total.maxLineLength = Math.max(total.maxLineLength, c.maxLineLength);
    yield* out.write(formatCounts(c, sel, width, named ? f : null));
  }
  if (files.length > 1) yield* out.write(formatCounts(total, sel, width, 'total'));
  const e = yield* out.flush();
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  return status;
}

function* countFd(fd: number, full: boolean): Gen<{ counts: WcCounts; error: SysError | null }> {
  const counter = new WcCounter();
  for (;;) {
    const chunk = yield* sys.read(fd, 65536);
    if (chunk instanceof SysError) return { counts: counter.finish(), error: chunk };
    if (chunk === '') break;
    yield chunk.length * (full ? WC_NS_PER_BYTE : WC_FAST_NS_PER_BYTE);
    counter.add(chunk, full);
  }
  return { counts: counter.finish(), error: null };
}
