/**
 * cut(1), GNU coreutils 9.1: print selected parts of lines. -b/-c LIST select bytes
 * (in the C locale a character is a byte), -f LIST selects fields separated by -d's
 * character (TAB by default); a line without the delimiter is printed whole unless -s.
 * LIST is ranges N, N-, -M, N-M separated by commas or blanks; --complement selects
 * the rest; --output-delimiter joins fields (and, for -b/-c, separate ranges); -z
 * makes NUL the line end.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { errOut } from '../../lib/io.js';
import { quote, quoteShell } from '../../lib/gnu-quote.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { LineSource } from '../../lib/line-source.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, helpOrVersion, coreutilsVersion, usageError } from './cli.js';

/** User time per input byte (scanning for delimiters) and per line. Design choices, not measurements. */
const CUT_NS_PER_BYTE = 1;
const CUT_NS_PER_LINE = 30;

/** A range of positions (1-based, inclusive; hi may be Infinity). */
export interface Range {
  lo: number;
  hi: number;
}

/** Largest position or field number cut accepts: below 2^64 - 1 (coreutils keeps that value as "no limit"). */
const MAX_POSITION = (1n << 64n) - 2n;

/** The words of cut's messages for -b/-c and for -f. */
interface ListWords {
  fromOne: string;
  badValue: string;
  badRange: string;
  tooLarge: string;
}

const POSITION_WORDS: ListWords = {
  fromOne: 'byte/character positions are numbered from 1',
  badValue: 'invalid byte/character position',
  badRange: 'invalid byte or character range',
  tooLarge: 'byte/character offset',
};

const FIELD_WORDS: ListWords = {
  fromOne: 'fields are numbered from 1',
  badValue: 'invalid field value',
  badRange: 'invalid field range',
  tooLarge: 'field number',
};

/** One item of a list being read: "N", "N-", "-M" or "N-M". */
interface ListItem {
  /** Digits of N and of M as written ('' if absent). */
  from: string;
  to: string;
  hasDash: boolean;
}

/**
 * Parses cut's LIST — items N, N-, -M, N-M separated by ',' or blanks — into ranges
 * sorted by start, with overlapping ranges joined (adjacent ones stay apart, which
 * --output-delimiter shows for -b/-c); with `complement`, the positions not listed.
 * Returns coreutils' message for a bad list.
 *
 * Errors are reported in the order the real cut finds them reading left to right: a
 * number that is too large as soon as its digits end; a start of 0 when its '-' or the
 * item's end is reached; a bad character where it stands (quoting the rest of the
 * list); a second '-' in one item; an empty item, a lone '-' or a decreasing range at
 * the item's end.
 */
export function parseList(list: string, positions: boolean, complement: boolean): Range[] | string {
  const words = positions ? POSITION_WORDS : FIELD_WORDS;
  const picked: Range[] = [];
  let item: ListItem = { from: '', to: '', hasDash: false };

  /** Checks the digit run that just ended; a message if it is too large. */
  const checkDigits = (digits: string): string | null =>
    digits !== '' && BigInt(digits) > MAX_POSITION ? `${words.tooLarge} ${quote(digits)} is too large` : null;

  /** Turns a complete item into a range; a message if it is not a valid one. */
  const closeItem = (): string | null => {
    const { from, to, hasDash } = item;
    if (!hasDash) {
      if (from === '' || BigInt(from) === 0n) return words.fromOne;
      picked.push({ lo: Number(from), hi: Number(from) });
    } else {
      if (from === '' && to === '') return 'invalid range with no endpoint: -';
      const lo = from === '' ? 1 : Number(from);
      const hi = to === '' ? Infinity : Number(to);
      if (to !== '' && BigInt(to) < BigInt(from === '' ? '1' : from)) return 'invalid decreasing range';
      picked.push({ lo, hi });
    }
    item = { from: '', to: '', hasDash: false };
    return null;
  };

  for (let i = 0; i <= list.length; i++) {
    const ch = i < list.length ? list[i] : null;
    if (ch !== null && ch >= '0' && ch <= '9') {
      if (item.hasDash) item.to += ch;
      else item.from += ch;
      continue;
    }
    const problem = checkDigits(item.hasDash ? item.to : item.from);
    if (problem) return problem;
    if (ch === '-') {
      if (item.hasDash) return words.badRange;
      if (item.from !== '' && BigInt(item.from) === 0n) return words.fromOne;
      item.hasDash = true;
    } else if (ch === null || ch === ',' || ch === ' ' || ch === '\t') {
      const bad = closeItem();
      if (bad) return bad;
    } else {
      return `${words.badValue} ${quote(list.slice(i))}`;
    }
  }
  return complement ? gaps(joinOverlaps(picked)) : joinOverlaps(picked);
}

/** Ranges sorted by start, overlapping ones joined into one. */
function joinOverlaps(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a.lo - b.lo || a.hi - b.hi);
  const joined: Range[] = [];
  for (const r of sorted) {
    const prev = joined[joined.length - 1];
    if (prev && r.lo <= prev.hi) prev.hi = Math.max(prev.hi, r.hi);
    else joined.push({ ...r });
  }
  return joined;
}

/** The positions from 1 up that sorted, disjoint `ranges` leave out. */
function gaps(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 1;
  for (const r of ranges) {
    if (r.lo > next) out.push({ lo: next, hi: r.lo - 1 });
    next = r.hi + 1;
  }
  if (next !== Infinity) out.push({ lo: next, hi: Infinity });
  return out;
}

interface CutSpec {
  fields: boolean;
  ranges: Range[];
  delim: string;
  outDelim: string | null;
  suppress: boolean;
  eol: string;
}

/** One line (without its terminator) cut by byte positions. */
function cutBytes(line: string, s: CutSpec): string {
  let o = '';
  let printed = false;
  for (const r of s.ranges) {
    if (r.lo > line.length) break;
    if (s.outDelim !== null && printed) o += s.outDelim;
    o += line.slice(r.lo - 1, r.hi === Infinity ? undefined : r.hi);
    printed = true;
  }
  return o + s.eol;
}

/** One line (without its terminator) cut by fields; null when -s suppresses it. */
function cutFields(line: string, s: CutSpec): string | null {
  if (!line.includes(s.delim)) return s.suppress ? null : line + s.eol;
  const fields = line.split(s.delim);
  const picked: string[] = [];
  for (const r of s.ranges) {
    if (r.lo > fields.length) break;
    for (let i = r.lo; i <= Math.min(r.hi, fields.length); i++) picked.push(fields[i - 1]);
  }
  return picked.join(s.outDelim ?? s.delim) + s.eol;
}

export function* cutMain({ argv }: ProgramArgs): Program {
  const prog = argv[0];
  const opts = yield* parseOptions(prog, argv, [
    { short: 'b', long: 'bytes', arg: 'required', key: 'b' },
    { short: 'c', long: 'characters', arg: 'required', key: 'c' },
    { short: 'f', long: 'fields', arg: 'required', key: 'f' },
    { short: 'd', long: 'delimiter', arg: 'required', key: 'd' },
    { short: 'n', key: 'n' },
    { short: 's', long: 'only-delimited', key: 's' },
    { short: 'z', long: 'zero-terminated', key: 'z' },
    { long: 'complement', key: 'complement' },
    { long: 'output-delimiter', arg: 'required', key: 'output-delimiter' },
    ...HELP_VERSION,
  ]);
  if (typeof opts === 'number') return opts;
  const hv = yield* helpOrVersion(
    opts,
    `Usage: ${prog} OPTION... [FILE]...\nPrint selected parts of lines from each FILE to standard output.\n\n` +
      'With no FILE, or when FILE is -, read standard input.\n\n' +
      'Mandatory arguments to long options are mandatory for short options too.\n' +
      '  -b, --bytes=LIST        select only these bytes\n  -c, --characters=LIST   select only these characters\n' +
      '  -d, --delimiter=DELIM   use DELIM instead of TAB for field delimiter\n' +
      '  -f, --fields=LIST       select only these fields;  also print any line\n                            that contains no delimiter character, unless\n                            the -s option is specified\n' +
      '  -n                      (ignored)\n      --complement        complement the set of selected bytes, characters\n                            or fields\n' +
      '  -s, --only-delimited    do not print lines not containing delimiters\n' +
      '      --output-delimiter=STRING  use STRING as the output delimiter\n                            the default is to use the input delimiter\n' +
      '  -z, --zero-terminated    line delimiter is NUL, not newline\n' +
      '      --help        display this help and exit\n      --version     output version information and exit\n',
    coreutilsVersion('cut', 'Written by David M. Ihnat, David MacKenzie, and Jim Meyering.'),
  );
  if (hv !== null) return hv;
  let mode: 'b' | 'f' | null = null;
  let list = '';
  let delim: string | null = null;
  for (const [k, v] of opts.list) {
    if (k === 'b' || k === 'c' || k === 'f') {
      if (mode !== null) return yield* usageError(prog, 'only one list may be specified');
      mode = k === 'f' ? 'f' : 'b';
      list = v as string;
    } else if (k === 'd') {
      const d = v as string;
      if (d.length > 1) return yield* usageError(prog, 'the delimiter must be a single character');
      delim = d === '' ? '\0' : d;
    }
  }
  const suppress = opts.values.has('s');
  if (mode === null) return yield* usageError(prog, 'you must specify a list of bytes, characters, or fields');
  if (delim !== null && mode !== 'f') return yield* usageError(prog, 'an input delimiter may be specified only when operating on fields');
  if (suppress && mode !== 'f') return yield* usageError(prog, 'suppressing non-delimited lines makes sense\n\tonly when operating on fields');
  const ranges = parseList(list, mode === 'b', opts.values.has('complement'));
  if (typeof ranges === 'string') return yield* usageError(prog, ranges);
  const od = opts.values.get('output-delimiter');
  const eol = opts.values.has('z') ? '\0' : '\n';
  const spec: CutSpec = {
    fields: mode === 'f',
    ranges,
    delim: delim ?? '\t',
    // coreutils 9.1 writes a NUL for an empty --output-delimiter (its length is taken as 1).
    outDelim: typeof od === 'string' ? (od === '' ? '\0' : od) : null,
    suppress,
    eol,
  };

  const files = opts.operands.length > 0 ? opts.operands : ['-'];
  const out = new OutBuffer(1);
  let status = 0;
  for (const f of files) {
    let fd = 0;
    if (f !== '-') {
      const r = yield* sys.open(f, O_RDONLY);
      if (r instanceof SysError) {
        yield* out.flush();
        yield* errOut(`${prog}: ${quoteShell(f)}: ${r.message}\n`);
        status = 1;
        continue;
      }
      fd = r;
    }
    const src = new LineSource(fd, eol);
    for (;;) {
      const lines = yield* src.next();
      if (lines === null) break;
      let o = '';
      let bytes = 0;
      for (const raw of lines) {
        bytes += raw.length;
        const line = raw.endsWith(eol) ? raw.slice(0, -1) : raw;
        const r = spec.fields ? cutFields(line, spec) : cutBytes(line, spec);
        if (r !== null) o += r;
      }
      yield bytes * CUT_NS_PER_BYTE + lines.length * CUT_NS_PER_LINE;
      yield* out.write(o);
    }
    if (src.error) {
      yield* out.flush();
      yield* errOut(`${prog}: ${quoteShell(f === '-' ? '-' : f)}: ${src.error.message}\n`);
      status = 1;
    }
    if (fd !== 0) yield* sys.close(fd);
  }
  const e = yield* out.flush();
  if (e) {
    yield* errOut(`${prog}: write error: ${e.message}\n`);
    return 1;
  }
  return status;
}
