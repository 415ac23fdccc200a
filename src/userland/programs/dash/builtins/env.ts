/**
 * dash's builtins for the process environment: `read`, `umask`, `ulimit`, `times`.
 *
 * `read` reads one byte at a time from a pipe or terminal (nothing past the line
 * is consumed, so the next reader sees the rest); from a seekable file it reads a
 * block and seeks back to just after the line, which leaves the offset where
 * dash's byte-by-byte reads would. Backslash escapes (unless -r) and IFS splitting
 * follow dash's readcmd, the last variable taking the rest of the line.
 */
import * as sys from '../../../lib/sys.js';
import { SysError } from '../../../../kernel/errno.js';
import { SEEK_CUR } from '../../../../kernel/vfs/types.js';
import { TCGETS } from '../../../../kernel/syscalls/abi.js';
import { ESC, splitFields, unmark } from '../expand.js';
import { trappedPending } from '../jobs.js';
import type { Shell, Gen } from '../shell.js';
import { def, nextopt, type Builtin } from './table.js';
import { parseUmaskOperand, symbolicMask } from './umask-mode.js';

/** Reads one line for `read` (without its newline); eof when input ended first (or a trapped signal came). */
function* readLine(sh: Shell): Gen<{ line: string; eof: boolean }> {
  const pos = yield* sys.lseek(0, 0, SEEK_CUR);
  if (!(pos instanceof SysError)) {
    // Seekable: read a block, then put the offset back after the newline.
    let acc = '';
    for (;;) {
      const chunk = yield* sys.read(0, 512);
      if (chunk instanceof SysError || chunk === '') return { line: acc, eof: true };
      const nl = chunk.indexOf('\n');
      if (nl >= 0) {
        acc += chunk.slice(0, nl);
        yield* sys.lseek(0, -(chunk.length - nl - 1), SEEK_CUR);
        return { line: acc, eof: false };
      }
      acc += chunk;
    }
  }
  let line = '';
  for (;;) {
    const c = yield* sys.read(0, 1);
    if (c instanceof SysError) {
      // As dash: an interrupted read goes on unless a trapped signal is waiting.
      if (c.errno === 'EINTR' && !trappedPending(sh)) continue;
      return { line, eof: true };
    }
    if (c === '') return { line, eof: true };
    if (c === '\n') return { line, eof: false };
    line += c;
  }
}

function* readcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'p:r');
  let raw = false;
  let prompt: string | null = null;
  for (const o of opts) {
    if (o[0] === 'p') prompt = o.slice(1);
    else raw = true;
  }
  if (prompt !== null) {
    const tty = yield* sys.ioctl(0, TCGETS);
    if (!(tty instanceof SysError)) yield* sh.err(prompt);
  }
  const names = argv.slice(first);
  if (names.length === 0) throw yield* sh.error('arg count');
  yield* sh.flush();
  // Build the line with escaped characters marked, recording the unescaped spans as IFS regions.
  let s = '';
  const regions: number[] = [];
  let regStart = 0;
  let status = 0;
  for (;;) {
    const { line, eof } = yield* readLine(sh);
    let i = 0;
    let continued = false;
    while (i < line.length) {
      const c = line[i];
      if (c === '\0') {
        i++;
        continue;
      }
      if (!raw && c === '\\') {
        if (i + 1 >= line.length) {
          if (!eof) continued = true;
          i++;
          break;
        }
        regions.push(regStart, s.length, 0);
        s += ESC + line[i + 1];
        regStart = s.length;
        i += 2;
        continue;
      }
      s += c;
      i++;
    }
    if (eof) status = 1;
    if (!continued || eof) break;
  }
  regions.push(regStart, s.length, 0);
  const fields = splitFields(s, regions, sh.ifs(), names.length);
  for (let k = 0; k < names.length; k++) yield* sh.setVar(names[k], k < fields.length ? unmark(fields[k]) : '');
  return status;
}

/**
 * umask [-S] [mode] (POSIX umask(1)): with no mode prints the mask, as four octal
 * digits or with -S as the permissions it lets through; with a mode (only the
 * first operand counts) sets it (umask-mode.ts).
 */
function* umaskcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'S');
  const operand = argv[first];
  // umask(2) can only be read by setting it: set 0, then put the old value back.
  const current = yield* sys.umask(0);
  const mask = typeof current === 'number' ? current : 0o022;
  yield* sys.umask(mask);
  if (operand === undefined) {
    sh.out(opts.length > 0 ? `${symbolicMask(mask)}\n` : `${mask.toString(8).padStart(4, '0')}\n`);
    return 0;
  }
  const next = parseUmaskOperand(operand, mask);
  if (typeof next !== 'number') throw yield* sh.error(next.error);
  yield* sys.umask(next);
  return 0;
}

const LIMITS: [string, number, number, string][] = [
  ['time(seconds)', 0, 1, 't'],
  ['file(blocks)', 1, 512, 'f'],
  ['data(kbytes)', 2, 1024, 'd'],
  ['stack(kbytes)', 3, 1024, 's'],
  ['coredump(blocks)', 4, 512, 'c'],
  ['memory(kbytes)', 5, 1024, 'm'],
  ['locked memory(kbytes)', 8, 1024, 'l'],
  ['process', 6, 1, 'p'],
  ['nofiles', 7, 1, 'n'],
  ['vmemory(kbytes)', 9, 1024, 'v'],
  ['locks', 10, 1, 'w'],
  ['rtprio', 14, 1, 'r'],
];

function limText(v: number, factor: number): string {
  return v === Infinity ? 'unlimited' : String(Math.floor(v / factor));
}

function* ulimitcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'HSatfdscmlpnvwr');
  let how = 3;
  let all = false;
  let what = 'f';
  for (const o of opts) {
    if (o === 'H') how = 2;
    else if (o === 'S') how = 1;
    else if (o === 'a') all = true;
    else what = o;
  }
  const l = LIMITS.find((x) => x[3] === what)!;
  const arg = argv[first];
  let val = 0;
  if (arg !== undefined) {
    if (all || argv[first + 1] !== undefined) throw yield* sh.error('too many arguments');
    if (arg === 'unlimited') val = Infinity;
    else {
      if (!/^\d*$/.test(arg)) throw yield* sh.error('bad number');
      val = Number(arg || '0') * l[2];
    }
  }
  if (all) {
    let out = '';
    for (const [name, res, factor] of LIMITS) {
      const r = yield* sys.prlimit(0, res);
      const lim = r instanceof SysError ? { soft: Infinity, hard: Infinity } : r;
      out += `${name.padEnd(20)} ${limText(how & 1 ? lim.soft : lim.hard, factor)}\n`;
    }
    sh.out(out);
    return 0;
  }
  const cur = yield* sys.prlimit(0, l[1]);
  const lim = cur instanceof SysError ? { soft: Infinity, hard: Infinity } : cur;
  if (arg !== undefined) {
    const next = { soft: how & 1 ? val : lim.soft, hard: how & 2 ? val : lim.hard };
    const r = yield* sys.prlimit(0, l[1], next);
    if (r instanceof SysError) throw yield* sh.error(`error setting limit (${r.message})`);
    return 0;
  }
  sh.out(limText(how & 1 ? lim.soft : lim.hard, l[2]) + '\n');
  return 0;
}

/** `NmS.SSSSSSs` as dash's times prints it (minutes, then seconds with six decimals). */
function minsec(ticks: number): string {
  const secs = ticks / 100;
  const m = Math.floor(secs / 60);
  return `${m}m${(secs - m * 60).toFixed(6)}s`;
}

function* timescmd(sh: Shell): Gen<number> {
  const t = yield* sys.times();
  if (t instanceof SysError) return 1;
  sh.out(`${minsec(t.utime)} ${minsec(t.stime)}\n${minsec(t.cutime)} ${minsec(t.cstime)}\n`);
  return 0;
}

export const envBuiltins: Builtin[] = [
  ...def('read', '', readcmd),
  ...def('umask', '', umaskcmd),
  ...def('ulimit', '', ulimitcmd),
  ...def('times', '-s', timescmd),
];
