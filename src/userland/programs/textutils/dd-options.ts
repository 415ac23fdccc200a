/**
 * dd's operands (coreutils 9.1 dd.c scanargs): the conversion, flag and status symbol
 * tables, the help text, and the parse of `if= of= bs= … conv= iflag= oflag= status=`.
 */
import { quote } from '../../lib/gnu-quote.js';
import { INTMAX_MAX, LONGINT_INVALID, LONGINT_OK, LONGINT_OVERFLOW, parseInteger } from './dd-numbers.js';
import { O_APPEND, O_DIRECTORY, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK } from '../../../kernel/vfs/types.js';

export const DEFAULT_BLOCKSIZE = 512n;
/** Largest ibs/obs/bs: MIN (IDX_MAX - 1, SSIZE_MAX, OFF_T_MAX). */
export const MAX_BLOCKSIZE = INTMAX_MAX - 1n;
/** Larger blocks are written piecewise (see the Simplifications in dd.ts). */
export const JOIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** User time per block handled (bookkeeping, signal checks). A design choice, not a measurement. */
export const DD_NS_PER_BLOCK = 100;
/** User time per byte memcpy'd from ibuf to obuf (~10 GB/s). A design choice, not a measurement. */
export const DD_NS_PER_BYTE_COPIED = 0.1;

// conv= symbols (dd.c's C_* bits; the unsupported ones are kept to be refused by name).
export const C_LCASE = 1 << 0;
export const C_UCASE = 1 << 1;
export const C_NOERROR = 1 << 2;
export const C_NOTRUNC = 1 << 3;
export const C_SYNC = 1 << 4;
/** Separate input and output buffers: set when bs= is absent. */
export const C_TWOBUFS = 1 << 5;
export const C_NOCREAT = 1 << 6;
export const C_EXCL = 1 << 7;
export const C_FDATASYNC = 1 << 8;
export const C_FSYNC = 1 << 9;
export const C_SPARSE = 1 << 10;
export const C_UNSUPPORTED = 1 << 11;
export const CONVERSIONS: Record<string, number> = {
  ascii: C_UNSUPPORTED, ebcdic: C_UNSUPPORTED, ibm: C_UNSUPPORTED, block: C_UNSUPPORTED, unblock: C_UNSUPPORTED,
  // Case conversion works between the two buffers, even with bs=.
  lcase: C_LCASE | C_TWOBUFS, ucase: C_UCASE | C_TWOBUFS,
  sparse: C_SPARSE, swab: C_UNSUPPORTED, noerror: C_NOERROR, nocreat: C_NOCREAT, excl: C_EXCL,
  notrunc: C_NOTRUNC, sync: C_SYNC, fdatasync: C_FDATASYNC, fsync: C_FSYNC,
};

// iflag=/oflag= symbols: ctsim's open(2) flags, and private bits above them for the rest.
export const F_DIRECT = 1 << 18;
export const F_DSYNC = 1 << 19;
export const F_SYNC = 1 << 20;
export const F_NOATIME = 1 << 21;
export const F_NOCACHE = 1 << 22;
export const F_FULLBLOCK = 1 << 23;
export const F_COUNT_BYTES = 1 << 24;
export const F_SKIP_BYTES = 1 << 25;
export const F_SEEK_BYTES = 1 << 26;
/** The flags that are open(2)/fcntl(2) flags of ctsim. */
export const OPEN_FLAGS = O_APPEND | O_DIRECTORY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK;
export const FLAGS: Record<string, number> = {
  append: O_APPEND, direct: F_DIRECT, directory: O_DIRECTORY, dsync: F_DSYNC, noatime: F_NOATIME,
  nocache: F_NOCACHE, noctty: O_NOCTTY, nofollow: O_NOFOLLOW, nonblock: O_NONBLOCK, sync: F_SYNC,
  fullblock: F_FULLBLOCK, count_bytes: F_COUNT_BYTES, skip_bytes: F_SKIP_BYTES, seek_bytes: F_SEEK_BYTES,
};

export const STATUS_NONE = 1;
export const STATUS_NOXFER = 2;
export const STATUS_DEFAULT = 3;
export const STATUS_PROGRESS = 4;
export const STATUSES: Record<string, number> = { none: STATUS_NONE, noxfer: STATUS_NOXFER, progress: STATUS_PROGRESS };

export const HELP = (p: string): string =>
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

/** What the operands ask for (dd.c's globals after scanargs). */
export interface DdOperands {
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
export type Refusal = { message: string; tryHelp: boolean };

/** parse_symbols: the comma separated list `str` against `table`. */
export function parseSymbols(str: string, table: Record<string, number>, exclusive: boolean, what: string): number | Refusal {
  let value = 0;
  for (const symbol of str.split(',')) {
    const v = Object.hasOwn(table, symbol) ? table[symbol] : undefined;
    if (v === undefined) return { message: `${what}: ${quote(symbol)}`, tryHelp: true };
    value = exclusive ? v : value | v;
  }
  return value;
}

/** scanargs: the operands in order; warnings go to `warn`. */
export function scanOperands(operands: readonly string[], warn: (m: string) => void): DdOperands | Refusal {
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
