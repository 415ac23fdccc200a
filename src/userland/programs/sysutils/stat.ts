/**
 * stat(1) from GNU coreutils 9.1: file status in the default layout, or by a
 * format (-c FORMAT with a newline after each file, --printf FORMAT with backslash
 * escapes and no newline, -t terse). Directives: %n %N %s %b %B %o %a %A %f %F %u
 * %U %g %G %i %h %d %D %Hd %Ld %r %R %Hr %Lr %t %T %x %X %y %Y %z %Z %w %W %m %%,
 * with printf flags, width and precision. -L follows symbolic links.
 *
 * Simplification: ctsim's file systems record no birth time, so %w is "-" and %W
 * is 0 (as on a kernel without statx birth times); -f (file-system status) is not
 * offered.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isLnk, major, minor, S_IFMT, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { UserDb } from '../../lib/passwd.js';
import { fileModeString, fileTypeName } from '../../lib/mode.js';
import { formatNs, splitNs } from '../../lib/time.js';
import { canonicalize } from '../../lib/canonicalize.js';
import { parseOptions, quote, quoteaf, usageError, type Gen } from './gnu-style.js';
import { parseStatFormat } from './stat-format.js';

/** User CPU to start and per file formatted — design choices. */
const STAT_SETUP_NS = 40_000;
const STAT_PER_FILE_NS = 3_000;

/** ST_NBLOCKSIZE: the unit of st_blocks. */
const NBLOCKSIZE = 512;

const DEFAULT_HEAD = '  File: %N\n  Size: %-10s\tBlocks: %-10b IO Block: %-6o %F\n';
const DEFAULT_DEV = 'Device: %Hd,%Ld\tInode: %-10i  Links: %h\n';
const DEFAULT_DEV_SPECIAL = 'Device: %Hd,%Ld\tInode: %-10i  Links: %-5h Device type: %Hr,%Lr\n';
const DEFAULT_TAIL = 'Access: (%04a/%10.10A)  Uid: (%5u/%8U)   Gid: (%5g/%8G)\nAccess: %x\nModify: %y\nChange: %z\n Birth: %w\n';
const TERSE = '%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o\n';

interface Directive {
  flags: string;
  width: number | null;
  precision: number | null;
}

function parseDirective(prefix: string): Directive {
  const m = /^%([-#0 +']*)(\d*)(?:\.(\d*))?$/.exec(prefix) ?? ['', '', '', undefined];
  return { flags: m[1], width: m[2] ? Number(m[2]) : null, precision: m[3] === undefined ? null : Number(m[3] || 0) };
}

function pad(s: string, d: Directive, allowZero: boolean): string {
  if (d.width === null || s.length >= d.width) return s;
  if (d.flags.includes('-')) return s.padEnd(d.width);
  if (allowZero && d.flags.includes('0') && d.precision === null) {
    const sign = /^[-+ ]/.test(s) ? s[0] : '';
    const pfx = /^0x/i.test(s.slice(sign.length)) ? s.slice(sign.length, sign.length + 2) : '';
    return sign + pfx + s.slice(sign.length + pfx.length).padStart(d.width - sign.length - pfx.length, '0');
  }
  return s.padStart(d.width);
}

/** printf %s with the flags make_format allows for strings ("-"). */
function outString(prefix: string, s: string): string {
  const d = parseDirective(prefix);
  const t = d.precision !== null ? s.slice(0, d.precision) : s;
  return pad(t, d, false);
}

/** printf of an integer as %d (signed), %u, %o or %x with coreutils' allowed flags. */
function outNumber(prefix: string, n: number, conv: 'd' | 'u' | 'o' | 'x'): string {
  const d = parseDirective(prefix);
  const neg = n < 0;
  let digits = Math.abs(n).toString(conv === 'o' ? 8 : conv === 'x' ? 16 : 10);
  if (d.precision !== null) digits = digits.padStart(d.precision, '0');
  if (d.precision === 0 && n === 0) digits = '';
  if (conv === 'o' && d.flags.includes('#') && !digits.startsWith('0')) digits = '0' + digits;
  if (conv === 'x' && d.flags.includes('#') && n !== 0) digits = '0x' + digits;
  let sign = neg ? '-' : '';
  if (conv === 'd' && !neg) sign = d.flags.includes('+') ? '+' : d.flags.includes(' ') ? ' ' : '';
  return pad(sign + digits, d, true);
}

/** out_epoch_sec: seconds since the epoch like printf %f (%.3Y → "1735689600.000"). */
function outEpoch(prefix: string, ns: number): string {
  const { sec, nsec } = splitNs(ns);
  const dot = prefix.indexOf('.');
  if (dot < 0) return outNumber(prefix, sec, 'd');
  const precStr = prefix.slice(dot + 1);
  const precision = /^\d+$/.test(precStr) ? Number(precStr) : 9;
  const intPart = parseDirective(prefix.slice(0, dot));
  const frac = precision === 0 ? '' : '.' + String(nsec).padStart(9, '0').slice(0, Math.min(precision, 9)) + '0'.repeat(Math.max(0, precision - 9));
  const body = String(sec) + frac;
  return pad(body, { ...intPart, precision: null }, true);
}

/** The time in stat's human form: "2025-01-01 00:00:00.000000000 +0000". */
function humanTime(ns: number): string {
  return formatNs('%Y-%m-%d %H:%M:%S.%N %z', ns);
}

/** What %m needs: the mount points, longest first. */
function* mountPoints(): Gen<string[]> {
  const text = yield* readFile('/proc/self/mounts');
  if (text instanceof SysError) return ['/'];
  const dirs = text
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split(' ')[1].replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  return dirs.sort((a, b) => b.length - a.length);
}

interface StatCtx {
  prog: string;
  users: UserDb;
  follow: boolean;
  backslash: boolean;
  out: OutBuffer;
  mounts: string[] | null;
  /** %N quotes names (shell-escape-always) only in a user's format; the default layout shows them literally. */
  quoteNames: boolean;
  /** Printed after each file's format: "\n" for -c, nothing for --printf and the built-in layouts. */
  lineEnd: string;
}

/**
 * Prints one file by a format: the pieces of parseStatFormat, each directive expanded
 * for `st`. Returns 'ok', 'fail' (a directive failed and was reported; the rest still
 * prints) or 'die' (an invalid directive: reported after the output so far).
 */
function* printIt(c: StatCtx, format: string, file: string, st: Stat): Gen<'ok' | 'fail' | 'die'> {
  let failed = false;
  for (const piece of parseStatFormat(format, c.backslash)) {
    switch (piece.kind) {
      case 'text':
        yield* c.out.write(piece.text);
        break;
      case 'warning':
        yield* c.out.flush();
        yield* errOut(`${c.prog}: warning: ${piece.message}\n`);
        break;
      case 'invalid':
        yield* c.out.flush();
        yield* errOut(`${c.prog}: ${quote(piece.directive)}: invalid directive\n`);
        return 'die';
      case 'directive': {
        const text = yield* expand(c, piece.prefix, piece.mod, piece.conv, file, st);
        if (text === null) failed = true;
        else yield* c.out.write(text);
        break;
      }
    }
  }
  yield* c.out.write(c.lineEnd);
  return failed ? 'fail' : 'ok';
}

/** One directive's text for `st`; null after reporting a failure. */
function* expand(c: StatCtx, prefix: string, mod: string, conv: string, file: string, st: Stat): Gen<string | null> {
  switch (conv) {
    case 'n': return outString(prefix, file);
    case 'N': {
      const q = c.quoteNames ? quoteaf : (x: string): string => x;
      let s = outString(prefix, q(file));
      if (isLnk(st.mode)) {
        const t = yield* sys.readlink(file);
        if (t instanceof SysError) {
          yield* errOut(`${c.prog}: cannot read symbolic link ${quoteaf(file)}: ${t.message}\n`);
          return null;
        }
        s += ' -> ' + outString(prefix, q(t));
      }
      return s;
    }
    case 'd': return outNumber(prefix, mod === 'H' ? major(st.dev) : mod === 'L' ? minor(st.dev) : st.dev, 'u');
    case 'D': return outNumber(prefix, st.dev, 'x');
    case 'i': return outNumber(prefix, st.ino, 'u');
    case 'a': return outNumber(prefix, st.mode & 0o7777, 'o');
    case 'A': return outString(prefix, fileModeString(st.mode));
    case 'f': return outNumber(prefix, st.mode, 'x');
    case 'F': return outString(prefix, fileTypeName(st.mode, st.size));
    case 'h': return outNumber(prefix, st.nlink, 'u');
    case 'u': return outNumber(prefix, st.uid, 'u');
    case 'U': return outString(prefix, c.users.userName(st.uid) ?? 'UNKNOWN');
    case 'g': return outNumber(prefix, st.gid, 'u');
    case 'G': return outString(prefix, c.users.groupName(st.gid) ?? 'UNKNOWN');
    case 'm': {
      c.mounts ??= yield* mountPoints();
      const abs = yield* canonicalize(file, 'missing');
      const p = abs instanceof SysError ? '/' : abs;
      const mp = c.mounts.find((m) => m === '/' || p === m || p.startsWith(m + '/')) ?? '/';
      return outString(prefix, mp);
    }
    case 's': return outNumber(prefix, st.size, 'd');
    case 'r': return outNumber(prefix, mod === 'H' ? major(st.rdev) : mod === 'L' ? minor(st.rdev) : st.rdev, 'u');
    case 'R': return outNumber(prefix, st.rdev, 'x');
    case 't': return outNumber(prefix, major(st.rdev), 'x');
    case 'T': return outNumber(prefix, minor(st.rdev), 'x');
    case 'B': return outNumber(prefix, NBLOCKSIZE, 'u');
    case 'b': return outNumber(prefix, st.blocks, 'u');
    case 'o': return outNumber(prefix, st.blksize, 'u');
    case 'w': return outString(prefix, '-');
    case 'W': return outEpoch(prefix, 0);
    case 'x': return outString(prefix, humanTime(st.atimeNs));
    case 'X': return outEpoch(prefix, st.atimeNs);
    case 'y': return outString(prefix, humanTime(st.mtimeNs));
    case 'Y': return outEpoch(prefix, st.mtimeNs);
    case 'z': return outString(prefix, humanTime(st.ctimeNs));
    case 'Z': return outEpoch(prefix, st.ctimeNs);
    default: return '?';
  }
}

export function* statMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'stat';
  yield STAT_SETUP_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'L', long: 'dereference' },
    { short: 'f', long: 'file-system' },
    { short: 'c', long: 'format', arg: 'required' },
    { long: 'printf', arg: 'required' },
    { short: 't', long: 'terse' },
    { long: 'cached', arg: 'required' },
  ]);
  if (!parsed) return 1;
  if (parsed.operands.length === 0) return yield* usageError(prog, 'missing operand');
  if (parsed.values.has('file-system')) {
    yield* errOut(`${prog}: --file-system is not supported by ctsim's stat\n`);
    return 1;
  }
  let format: string | null = null;
  let backslash = false;
  let lineEnd = '';
  for (const [k, v] of parsed.list) {
    if (k === 'format') {
      format = String(v);
      backslash = false;
      lineEnd = '\n';
    } else if (k === 'printf') {
      format = String(v);
      backslash = true;
      lineEnd = '';
    }
  }
  if (format === null && parsed.values.has('terse')) format = TERSE;
  const c: StatCtx = { prog, users: yield* UserDb.load(), follow: parsed.values.has('dereference'), backslash, lineEnd, out: new OutBuffer(1), mounts: null, quoteNames: format !== null };
  let status = 0;
  for (const file of parsed.operands) {
    yield STAT_PER_FILE_NS;
    const st = c.follow ? yield* sys.stat(file) : yield* sys.lstat(file);
    if (st instanceof SysError) {
      yield* c.out.flush();
      yield* errOut(`${prog}: cannot statx ${quoteaf(file)}: ${st.message}\n`);
      status = 1;
      continue;
    }
    let fmt = format;
    if (fmt === null) {
      const special = (st.mode & S_IFMT) === 0o020000 || (st.mode & S_IFMT) === 0o060000;
      fmt = DEFAULT_HEAD + (special ? DEFAULT_DEV_SPECIAL : DEFAULT_DEV) + DEFAULT_TAIL;
    }
    const r = yield* printIt(c, fmt, file, st);
    if (r === 'die') return 1;
    if (r === 'fail') status = 1;
  }
  const e = yield* c.out.flush();
  return e ? 1 : status;
}
