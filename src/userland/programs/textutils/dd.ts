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
import { quote, quoteShell, quoteShellAlways } from '../../lib/gnu-quote.js';
import { formatFloat, fromNumber, multiplyFloats, zeroOf, LONG_DOUBLE, type CFloat } from '../../lib/format-float.js';
import {
  F_GETFL,
  F_SETFL,
  O_APPEND,
  O_CREAT,
  O_DIRECTORY,
  O_EXCL,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_END,
  isDir,
  isReg,
} from '../../../kernel/vfs/types.js';
import { parseOptions, HELP_VERSION, coreutilsVersion, usageError, type Gen } from './cli.js';

const DEFAULT_BLOCKSIZE = 512n;
const INTMAX_MAX = 2n ** 63n - 1n;
const UINTMAX_MAX = 2n ** 64n - 1n;
/** Largest ibs/obs/bs: MIN (IDX_MAX - 1, SSIZE_MAX, OFF_T_MAX). */
const MAX_BLOCKSIZE = INTMAX_MAX - 1n;
/** Larger blocks are written piecewise (see the Simplifications). */
const JOIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** User time per block handled (bookkeeping, signal checks). A design choice, not a measurement. */
const DD_NS_PER_BLOCK = 100;
/** User time per byte memcpy'd from ibuf to obuf (~10 GB/s). A design choice, not a measurement. */
const DD_NS_PER_BYTE_COPIED = 0.1;

// conv= symbols (dd.c's C_* bits; the unsupported ones are kept to be refused by name).
const C_LCASE = 1 << 0;
const C_UCASE = 1 << 1;
const C_NOERROR = 1 << 2;
const C_NOTRUNC = 1 << 3;
const C_SYNC = 1 << 4;
/** Separate input and output buffers: set when bs= is absent. */
const C_TWOBUFS = 1 << 5;
const C_NOCREAT = 1 << 6;
const C_EXCL = 1 << 7;
const C_FDATASYNC = 1 << 8;
const C_FSYNC = 1 << 9;
const C_SPARSE = 1 << 10;
const C_UNSUPPORTED = 1 << 11;
const CONVERSIONS: Record<string, number> = {
  ascii: C_UNSUPPORTED, ebcdic: C_UNSUPPORTED, ibm: C_UNSUPPORTED, block: C_UNSUPPORTED, unblock: C_UNSUPPORTED,
  // Case conversion works between the two buffers, even with bs=.
  lcase: C_LCASE | C_TWOBUFS, ucase: C_UCASE | C_TWOBUFS,
  sparse: C_SPARSE, swab: C_UNSUPPORTED, noerror: C_NOERROR, nocreat: C_NOCREAT, excl: C_EXCL,
  notrunc: C_NOTRUNC, sync: C_SYNC, fdatasync: C_FDATASYNC, fsync: C_FSYNC,
};

// iflag=/oflag= symbols: ctsim's open(2) flags, and private bits above them for the rest.
const F_DIRECT = 1 << 18;
const F_DSYNC = 1 << 19;
const F_SYNC = 1 << 20;
const F_NOATIME = 1 << 21;
const F_NOCACHE = 1 << 22;
const F_FULLBLOCK = 1 << 23;
const F_COUNT_BYTES = 1 << 24;
const F_SKIP_BYTES = 1 << 25;
const F_SEEK_BYTES = 1 << 26;
/** The flags that are open(2)/fcntl(2) flags of ctsim. */
const OPEN_FLAGS = O_APPEND | O_DIRECTORY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK;
const FLAGS: Record<string, number> = {
  append: O_APPEND, direct: F_DIRECT, directory: O_DIRECTORY, dsync: F_DSYNC, noatime: F_NOATIME,
  nocache: F_NOCACHE, noctty: O_NOCTTY, nofollow: O_NOFOLLOW, nonblock: O_NONBLOCK, sync: F_SYNC,
  fullblock: F_FULLBLOCK, count_bytes: F_COUNT_BYTES, skip_bytes: F_SKIP_BYTES, seek_bytes: F_SEEK_BYTES,
};

const STATUS_NONE = 1;
const STATUS_NOXFER = 2;
const STATUS_DEFAULT = 3;
const STATUS_PROGRESS = 4;
const STATUSES: Record<string, number> = { none: STATUS_NONE, noxfer: STATUS_NOXFER, progress: STATUS_PROGRESS };

const HELP = (p: string): string =>
  `Usage: ${p} [OPERAND]...\n  or:  ${p} OPTION\n` +
  'Copy a file, converting and formatting according to the operands.\n\n' +
  '  bs=BYTES        read and write up to BYTES bytes at a time (default: 512);\n' +
  '                  overrides ibs and obs\n' +
  '  cbs=BYTES       convert BYTES bytes at a time\n' +
  '  conv=CONVS      convert the file as per the comma separated symbol list\n' +
  '  count=N         copy only N input blocks\n' +
  '  ibs=BYTES       read up to BYTES bytes at a time (default: 512)\n' +
  '  if=FILE         read from FILE instead of stdin\n' +
  '  iflag=FLAGS     read as per the comma separated symbol list\n' +
  '  obs=BYTES       write BYTES bytes at a time (default: 512)\n' +
  '  of=FILE         write to FILE instead of stdout\n' +
  '  oflag=FLAGS     write as per the comma separated symbol list\n' +
  '  seek=N          (or oseek=N) skip N obs-sized output blocks\n' +
  '  skip=N          (or iseek=N) skip N ibs-sized input blocks\n' +
  '  status=LEVEL    The LEVEL of information to print to stderr;\n' +
  "                  'none' suppresses everything but error messages,\n" +
  "                  'noxfer' suppresses the final transfer statistics,\n" +
  "                  'progress' shows periodic transfer statistics\n\n" +
  'N and BYTES may be followed by the following multiplicative suffixes:\n' +
  'c=1, w=2, b=512, kB=1000, K=1024, MB=1000*1000, M=1024*1024, xM=M,\n' +
  'GB=1000*1000*1000, G=1024*1024*1024, and so on for T, P, E, Z, Y.\n' +
  'Binary prefixes can be used, too: KiB=K, MiB=M, and so on.\n' +
  "If N ends in 'B', it counts bytes not blocks.\n\n" +
  'Each CONV symbol may be:\n\n' +
  '  ascii     from EBCDIC to ASCII\n' +
  '  ebcdic    from ASCII to EBCDIC\n' +
  '  ibm       from ASCII to alternate EBCDIC\n' +
  '  block     pad newline-terminated records with spaces to cbs-size\n' +
  '  unblock   replace trailing spaces in cbs-size records with newline\n' +
  '  lcase     change upper case to lower case\n' +
  '  ucase     change lower case to upper case\n' +
  '  sparse    try to seek rather than write all-NUL output blocks\n' +
  '  swab      swap every pair of input bytes\n' +
  '  sync      pad every input block with NULs to ibs-size; when used\n' +
  '            with block or unblock, pad with spaces rather than NULs\n' +
  '  excl      fail if the output file already exists\n' +
  '  nocreat   do not create the output file\n' +
  '  notrunc   do not truncate the output file\n' +
  '  noerror   continue after read errors\n' +
  '  fdatasync  physically write output file data before finishing\n' +
  '  fsync     likewise, but also write metadata\n\n' +
  'Each FLAG symbol may be:\n\n' +
  '  append    append mode (makes sense only for output; conv=notrunc suggested)\n' +
  '  direct    use direct I/O for data\n' +
  '  directory  fail unless a directory\n' +
  '  dsync     use synchronized I/O for data\n' +
  '  sync      likewise, but also for metadata\n' +
  '  fullblock  accumulate full blocks of input (iflag only)\n' +
  '  nonblock  use non-blocking I/O\n' +
  '  noatime   do not update access time\n' +
  '  nocache   Request to drop cache.  See also oflag=sync\n' +
  '  noctty    do not assign controlling terminal from file\n' +
  '  nofollow  do not follow symlinks\n\n' +
  "Sending a USR1 signal to a running 'dd' process makes it\n" +
  'print I/O statistics to standard error and then resume copying.\n\n' +
  'Options are:\n\n' +
  '      --help        display this help and exit\n' +
  '      --version     output version information and exit\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Report any translation bugs to <https://translationproject.org/team/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/dd>\n' +
  "or available locally via: info '(coreutils) dd invocation'\n";

// ─── numbers ─────────────────────────────────────────────────────────────────────────

/** gnulib's strtol_error bits. */
const LONGINT_OK = 0;
const LONGINT_OVERFLOW = 1;
const LONGINT_INVALID_SUFFIX_CHAR = 2;
const LONGINT_INVALID = 4;
/** dd's valid_suffixes; '0' allows the second suffix ("kB", "KiB"). */
const SUFFIXES = 'bcEGkKMPTwYZ0';
const POWERS: Record<string, number> = { E: 6, G: 3, k: 1, K: 1, M: 2, P: 5, T: 4, Y: 8, Z: 7 };

/** xstrtoumax(s + start, &end, 10, &val, SUFFIXES), with the value as a BigInt. */
function xstrtoumax(s: string, start: number): { err: number; val: bigint; end: number } {
  const body = s.slice(start);
  if (/^[ \t\n\v\f\r]*-/.test(body)) return { err: LONGINT_INVALID, val: 0n, end: start };
  const m = /^([ \t\n\v\f\r]*\+?)(\d+)/.exec(body);
  let val: bigint;
  let err = LONGINT_OK;
  let p: number;
  if (!m) {
    // No number but a valid suffix: the number is 1 ("K" is 1024).
    if (body === '' || !SUFFIXES.includes(body[0])) return { err: LONGINT_INVALID, val: 0n, end: start };
    val = 1n;
    p = start;
  } else {
    val = BigInt(m[2]);
    p = start + m[0].length;
    if (val > UINTMAX_MAX) {
      val = UINTMAX_MAX;
      err = LONGINT_OVERFLOW;
    }
  }
  if (p === s.length) return { err, val, end: p };
  const c = s[p];
  if (!SUFFIXES.includes(c)) return { err: err | LONGINT_INVALID_SUFFIX_CHAR, val, end: p };
  let base = 1024n;
  let suffixes = 1;
  if (POWERS[c] !== undefined) {
    if (s[p + 1] === 'i') {
      if (s[p + 2] === 'B') suffixes += 2;
    } else if (s[p + 1] === 'B' || s[p + 1] === 'D') {
      base = 1000n;
      suffixes++;
    }
  }
  const scale = (by: bigint): void => {
    if (val > UINTMAX_MAX / by) {
      val = UINTMAX_MAX;
      err |= LONGINT_OVERFLOW;
    } else val *= by;
  };
  if (c === 'b') scale(512n);
  else if (c === 'w') scale(2n);
  else if (c !== 'c') {
    const power = POWERS[c];
    if (power === undefined) return { err: err | LONGINT_INVALID_SUFFIX_CHAR, val, end: p };
    for (let i = 0; i < power; i++) scale(base);
  }
  p += suffixes;
  if (p < s.length) err |= LONGINT_INVALID_SUFFIX_CHAR;
  return { err, val, end: p };
}

/**
 * dd's parse_integer: xstrtoumax, then a trailing 'B' (bytes, not blocks) and one
 * "x" multiplication ("2x512"); `warning` is dd's note about a leading "0x".
 */
function parseInteger(str: string): { err: number; n: bigint; warning: string | null } {
  const first = xstrtoumax(str, 0);
  let e = first.err;
  let suffix = first.end;
  if ((e & ~LONGINT_OVERFLOW) === LONGINT_INVALID_SUFFIX_CHAR && str[suffix - 1] !== 'B' && str[suffix] === 'B') {
    suffix++;
    if (suffix === str.length) e &= ~LONGINT_INVALID_SUFFIX_CHAR;
  }
  if (
    (e & ~LONGINT_OVERFLOW) === LONGINT_INVALID_SUFFIX_CHAR &&
    str[suffix] === 'x' &&
    !(str[suffix - 1] === 'B' && str.slice(suffix + 1).includes('B'))
  ) {
    const f = xstrtoumax(str, suffix + 1);
    if ((f.err & ~LONGINT_OVERFLOW) !== LONGINT_OK) return { err: f.err, n: 0n, warning: null };
    const product = first.val * f.val;
    if (product > INTMAX_MAX || (product !== 0n && ((e | f.err) & LONGINT_OVERFLOW))) return { err: LONGINT_OVERFLOW, n: INTMAX_MAX, warning: null };
    const warning = product === 0n && str.startsWith('0x') ? "warning: '0x' is a zero multiplier; use '00x' if that is intended" : null;
    return { err: LONGINT_OK, n: product, warning };
  }
  if (first.val <= INTMAX_MAX) return { err: e, n: first.val, warning: null };
  return { err: LONGINT_OVERFLOW, n: INTMAX_MAX, warning: null };
}

// ─── statistics text ─────────────────────────────────────────────────────────────────

const bitLength = (n: bigint): number => n.toString(2).length;

/** num / den (num ≥ 0, den > 0) rounded to the x87 long double, as its division does. */
function longDouble(num: bigint, den: bigint): CFloat {
  if (num === 0n) return zeroOf(LONG_DOUBLE);
  let exp = bitLength(num) - bitLength(den) - 64;
  for (;;) {
    const n = exp >= 0 ? num : num << BigInt(-exp);
    const d = exp >= 0 ? den << BigInt(exp) : den;
    let q = n / d;
    if (q >= 1n << 64n) exp++;
    else if (q < 1n << 63n) exp--;
    else {
      const twice = 2n * (n - q * d);
      if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
      if (q === 1n << 64n) return { kind: 'finite', format: LONG_DOUBLE, negative: false, mant: 1n << 63n, exp: exp + 1 };
      return { kind: 'finite', format: LONG_DOUBLE, negative: false, mant: q, exp };
    }
  }
}

/** A finite non-negative long double divided by `den`, rounded. */
function divideLd(v: CFloat, den: bigint): CFloat {
  if (v.kind !== 'finite' || v.mant === 0n) return v;
  return v.exp >= 0 ? longDouble(v.mant << BigInt(v.exp), den) : longDouble(v.mant, den << BigInt(-v.exp));
}

/** v ≥ x for a finite non-negative long double and an integer. */
function atLeast(v: CFloat, x: bigint): boolean {
  if (v.kind !== 'finite') return true;
  return v.exp >= 0 ? v.mant << BigInt(v.exp) >= x : v.mant >= x << BigInt(-v.exp);
}

const printfF = (v: CFloat, precision: number): string => formatFloat(v, { flags: '', width: 0, precision, conv: 'f' });

/** human_readable's prefixes; coreutils 9.1's gnulib stops at Y (exponent_max 8). */
const POWER_LETTER = ' KMGTPEZY';
const EXPONENT_MAX = 8;

/**
 * gnulib human_readable (n, buf, opts, from, to) with dd's human_opts: autoscale,
 * round to nearest, a space before the unit, SI prefixes and "B" ("iB" in base 1024).
 * Exact in integers when from/to divide evenly, otherwise in long double as gnulib
 * falls back to it (which always scales once: 30 B/s is "0.0 kB/s").
 */
export function humanReadable(n: bigint, base1024: boolean, from = 1n, to = 1n): string {
  const base = base1024 ? 1024n : 1000n;
  let exponent = 0;
  let text: string;
  let exact: { amt: bigint; tenths: bigint; rounding: bigint } | null = null;
  if (to <= from) {
    if (from % to === 0n && n * (from / to) <= UINTMAX_MAX) exact = { amt: n * (from / to), tenths: 0n, rounding: 0n };
  } else if (from !== 0n && to % from === 0n) {
    const d = to / from;
    const r10 = (n % d) * 10n;
    const r2 = (r10 % d) * 2n;
    exact = { amt: n / d, tenths: r10 / d, rounding: r2 < d ? (r2 > 0n ? 1n : 0n) : 2n + (d < r2 ? 1n : 0n) };
  }
  if (exact) {
    let { amt, tenths, rounding } = exact;
    let fraction = '';
    if (base <= amt) {
      do {
        const r10 = (amt % base) * 10n + tenths;
        const r2 = (r10 % base) * 2n + (rounding >> 1n);
        amt /= base;
        tenths = r10 / base;
        rounding = r2 < base ? (r2 + rounding !== 0n ? 1n : 0n) : 2n + (base < r2 + rounding ? 1n : 0n);
        exponent++;
      } while (base <= amt && exponent < EXPONENT_MAX);
      if (amt < 10n) {
        if (2n < rounding + (tenths & 1n)) {
          tenths++;
          rounding = 0n;
          if (tenths === 10n) {
            amt++;
            tenths = 0n;
          }
        }
        if (amt < 10n) {
          fraction = `.${tenths}`;
          tenths = rounding = 0n;
        }
      }
    }
    if (5n < tenths + (0n < rounding + (amt & 1n) ? 1n : 0n)) {
      amt++;
      if (amt === base && exponent < EXPONENT_MAX) {
        exponent++;
        fraction = '.0';
        amt = 1n;
      }
    }
    text = `${amt}${fraction}`;
  } else {
    let damt = multiplyFloats(longDouble(n, 1n), longDouble(from, to));
    let e = 1n;
    do {
      e *= base;
      exponent++;
    } while (atLeast(damt, e * base) && exponent < EXPONENT_MAX);
    damt = divideLd(damt, e);
    text = printfF(damt, 1);
    if (1 + 2 + (base1024 ? 0 : 1) < text.length) text = printfF(divideLd(multiplyFloats(damt, longDouble(10n, 1n)), 10n), 0);
  }
  const letter = exponent === 0 ? '' : !base1024 && exponent === 1 ? 'k' : POWER_LETTER[exponent];
  return `${text} ${letter}${base1024 && exponent ? 'i' : ''}B`;
}

/** dd's abbreviation_lacks_prefix: "512 B" rather than "1.0 kB". */
const lacksPrefix = (s: string): boolean => s[s.length - 2] === ' ';

/**
 * print_xfer_stats's line (without its line end): bytes written, seconds since the
 * start ("%g s", or "%.0f s" for progress) and the rate.
 */
export function transferLine(wBytes: number, deltaNs: number, progress: boolean): string {
  const w = BigInt(wBytes);
  const si = humanReadable(w, false);
  const iec = humanReadable(w, true);
  let rate: string;
  let seconds: number;
  if (deltaNs > 0) {
    seconds = deltaNs / 1e9;
    rate = humanReadable(w, false, 1_000_000_000n, BigInt(Math.round(deltaNs))) + '/s';
  } else {
    seconds = 0;
    rate = 'Infinity B/s';
  }
  const v = fromNumber(seconds);
  const time = (progress ? formatFloat(v, { flags: '', width: 0, precision: 0, conv: 'f' }) : formatFloat(v, { flags: '', width: 0, conv: 'g' })) + ' s';
  if (lacksPrefix(si)) return `${wBytes} byte${wBytes === 1 ? '' : 's'} copied, ${time}, ${rate}`;
  if (lacksPrefix(iec)) return `${wBytes} bytes (${si}) copied, ${time}, ${rate}`;
  return `${wBytes} bytes (${si}, ${iec}) copied, ${time}, ${rate}`;
}

// ─── operands ────────────────────────────────────────────────────────────────────────

/** What the operands ask for (dd.c's globals after scanargs). */
interface DdOperands {
  inputFile: string | null;
  outputFile: string | null;
  ibs: bigint;
  obs: bigint;
  conv: number;
  iflags: number;
  oflags: number;
  status: number;
  skipRecords: bigint;
  skipBytes: bigint;
  seekRecords: bigint;
  seekBytes: bigint;
  /** Whole input blocks to copy; INTMAX_MAX when count= is absent. */
  maxRecords: bigint;
  maxBytes: bigint;
  warnPartialRead: boolean;
}

/** Why a `die` ended dd early: the message is printed, the status is 1. */
type Refusal = { message: string; tryHelp: boolean };

/** parse_symbols: the comma separated list `str` against `table`. */
function parseSymbols(str: string, table: Record<string, number>, exclusive: boolean, what: string): number | Refusal {
  let value = 0;
  for (const symbol of str.split(',')) {
    const v = Object.hasOwn(table, symbol) ? table[symbol] : undefined;
    if (v === undefined) return { message: `${what}: ${quote(symbol)}`, tryHelp: true };
    value = exclusive ? v : value | v;
  }
  return value;
}

/** scanargs: the operands in order; warnings go to `warn`. */
function scanOperands(operands: readonly string[], warn: (m: string) => void): DdOperands | Refusal {
  let blocksize = 0n;
  let ibs = 0n;
  let obs = 0n;
  let count = INTMAX_MAX;
  let skip = 0n;
  let seek = 0n;
  let countB = false;
  let skipB = false;
  let seekB = false;
  const o = { inputFile: null as string | null, outputFile: null as string | null, conv: 0, iflags: 0, oflags: 0, status: STATUS_DEFAULT };
  const unsupported: string[] = [];
  for (const name of operands) {
    const eq = name.indexOf('=');
    if (eq < 0) return { message: `unrecognized operand ${quote(name)}`, tryHelp: true };
    const key = name.slice(0, eq);
    const val = name.slice(eq + 1);
    if (key === 'if') o.inputFile = val;
    else if (key === 'of') o.outputFile = val;
    else if (key === 'conv' || key === 'iflag' || key === 'oflag' || key === 'status') {
      const table = key === 'conv' ? CONVERSIONS : key === 'status' ? STATUSES : FLAGS;
      const what = key === 'conv' ? 'invalid conversion' : key === 'iflag' ? 'invalid input flag' : key === 'oflag' ? 'invalid output flag' : 'invalid status level';
      const v = parseSymbols(val, table, key === 'status', what);
      if (typeof v !== 'number') return v;
      if (key === 'conv') {
        for (const s of val.split(',')) if (CONVERSIONS[s] === C_UNSUPPORTED && !unsupported.includes(s)) unsupported.push(s);
        o.conv |= v & ~C_UNSUPPORTED;
      } else if (key === 'status') o.status = v;
      else if (key === 'iflag') o.iflags |= v;
      else o.oflags |= v;
    } else {
      const parsed = parseInteger(val);
      if (parsed.warning) warn(parsed.warning);
      let invalid = parsed.err;
      const n = parsed.n;
      const hasB = val.includes('B');
      let nMin = 0n;
      let nMax = INTMAX_MAX;
      if (key === 'ibs' || key === 'obs' || key === 'bs' || key === 'cbs') {
        nMin = 1n;
        nMax = key === 'cbs' ? INTMAX_MAX : MAX_BLOCKSIZE;
      } else if (key === 'skip' || key === 'iseek') [skip, skipB] = [n, hasB];
      else if (key === 'seek' || key === 'oseek') [seek, seekB] = [n, hasB];
      else if (key === 'count') [count, countB] = [n, hasB];
      else return { message: `unrecognized operand ${quote(name)}`, tryHelp: true };
      if (n < nMin) invalid = LONGINT_INVALID;
      else if (nMax < n) invalid = LONGINT_OVERFLOW;
      if (invalid !== LONGINT_OK) {
        return { message: `invalid number: ${quote(val)}${invalid === LONGINT_OVERFLOW ? ': Value too large for defined data type' : ''}`, tryHelp: false };
      }
      if (key === 'ibs') ibs = n;
      else if (key === 'obs') obs = n;
      else if (key === 'bs') blocksize = n;
    }
  }
  if (blocksize) ibs = obs = blocksize;
  else o.conv |= C_TWOBUFS;
  if (ibs === 0n) ibs = DEFAULT_BLOCKSIZE;
  if (obs === 0n) obs = DEFAULT_BLOCKSIZE;
  if (o.oflags & F_FULLBLOCK) return { message: `invalid output flag: ${quote('fullblock')}`, tryHelp: true };
  if (skipB) o.iflags |= F_SKIP_BYTES;
  if (countB) o.iflags |= F_COUNT_BYTES;
  if (seekB) o.oflags |= F_SEEK_BYTES;
  const split = (v: bigint, inBytes: boolean, size: bigint): [bigint, bigint] => (inBytes && v !== 0n ? [v / size, v % size] : [v, 0n]);
  const [skipRecords, skipBytes] = split(skip, (o.iflags & F_SKIP_BYTES) !== 0, ibs);
  const [seekRecords, seekBytes] = split(seek, (o.oflags & F_SEEK_BYTES) !== 0, obs);
  const [maxRecords, maxBytes] = count !== INTMAX_MAX ? split(count, (o.iflags & F_COUNT_BYTES) !== 0, ibs) : [INTMAX_MAX, 0n];
  // Warn about partial reads when bs= is given without iflag=fullblock and blocks are counted.
  const warnPartialRead =
    !(o.conv & C_TWOBUFS) &&
    !(o.iflags & F_FULLBLOCK) &&
    (skipRecords !== 0n || (0n < maxRecords && maxRecords < INTMAX_MAX) || ((o.iflags | o.oflags) & F_DIRECT) !== 0);
  if (o.conv & C_LCASE && o.conv & C_UCASE) return { message: 'cannot combine lcase and ucase', tryHelp: false };
  if (o.conv & C_EXCL && o.conv & C_NOCREAT) return { message: 'cannot combine excl and nocreat', tryHelp: false };
  for (const f of [o.iflags, o.oflags]) {
    if (f & F_DIRECT && f & F_NOCACHE) return { message: 'cannot combine direct and nocache', tryHelp: false };
  }
  // Debian's coreutils 9.1 adds this warning (not in upstream's dd.c); status=none keeps it.
  if (o.oflags & O_APPEND && !(o.conv & C_NOTRUNC)) warn('you probably want conv=notrunc with oflag=append');
  if (unsupported.length > 0) return { message: `conv=${unsupported.join(',')} is not supported by ctsim's dd`, tryHelp: false };
  return { ...o, ibs, obs, skipRecords, skipBytes, seekRecords, seekBytes, maxRecords, maxBytes, warnPartialRead };
}

/** The open(2) flags of a flag set. */
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
        if (n === 0) return { written, error: new SysError('ENOSPC') };
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
      yield* this.complain(`${quotef(file)}: cannot ${fd === 0 ? 'skip' : 'seek'}: ${(lseekError ?? new SysError('EOVERFLOW')).message}`);
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
          this.inputSeekError = new SysError('ESPIPE');
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
    if (!isDir(st.mode)) return new SysError('ENOTDIR');
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
    let e = o.seekRecords ? yield* reopen(1, o.outputFile, O_RDWR | flags) : new SysError('EACCES');
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
