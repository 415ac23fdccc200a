/**
 * The process table as procps's libproc2 reads it: the numeric entries of /proc
 * (getdents), and for each one /proc/PID/stat, status and cmdline (proc(5)). A
 * process that exits between the listing and the reads is skipped, as readproc
 * skips it. Used by ps, pgrep, pkill and kill's helpers.
 */
import { SysError } from '../../../kernel/errno.js';
import { major, minor } from '../../../kernel/vfs/types.js';
import { readFile } from '../../lib/io.js';
import { readDirNames, type Gen } from './gnu-style.js';

/** One process as /proc describes it. */
export interface ProcInfo {
  /** PID (tgid) as the reader's procfs numbers it. */
  pid: number;
  /** Command name from stat (TASK_COMM_LEN - 1 bytes at most). */
  comm: string;
  /** State letter: R S D T t Z X I. */
  state: string;
  ppid: number;
  pgrp: number;
  session: number;
  /** Controlling terminal device number (0: none). */
  ttyNr: number;
  /** Foreground process group of the terminal (-1: none). */
  tpgid: number;
  flags: number;
  /** CPU time in clock ticks (USER_HZ). */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  /** Kernel "priority" field (20 + nice for normal tasks). */
  priority: number;
  nice: number;
  nlwp: number;
  /** Start time in clock ticks since boot. */
  startTicks: number;
  vsizeBytes: number;
  rssPages: number;
  processor: number;
  rtprio: number;
  policy: number;
  ruid: number;
  euid: number;
  suid: number;
  fuid: number;
  rgid: number;
  egid: number;
  sgid: number;
  fgid: number;
  /** VmRSS, VmSize and VmLck in KiB (0 when absent, as for zombies). */
  vmRssKiB: number;
  vmSizeKiB: number;
  vmLckKiB: number;
  /** The argument vector (empty for zombies and kernel threads). */
  argv: string[];
  /** /proc/PID/cmdline as read: the arguments, each followed by a NUL. */
  cmdlineRaw: string;
}

/** Parses /proc/PID/stat; null if malformed. */
export function parseStat(text: string): Omit<ProcInfo, 'ruid' | 'euid' | 'suid' | 'fuid' | 'rgid' | 'egid' | 'sgid' | 'fgid' | 'vmRssKiB' | 'vmSizeKiB' | 'vmLckKiB' | 'argv' | 'cmdlineRaw'> | null {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return null;
  const f = text.slice(close + 2).trim().split(/\s+/);
  if (f.length < 39) return null;
  const n = (i: number): number => Number(f[i - 3]);
  return {
    pid: Number(text.slice(0, open).trim()),
    comm: text.slice(open + 1, close),
    state: f[0],
    ppid: n(4),
    pgrp: n(5),
    session: n(6),
    ttyNr: n(7),
    tpgid: n(8),
    flags: n(9),
    utime: n(14),
    stime: n(15),
    cutime: n(16),
    cstime: n(17),
    priority: n(18),
    nice: n(19),
    nlwp: n(20),
    startTicks: n(22),
    vsizeBytes: n(23),
    rssPages: n(24),
    processor: n(39),
    rtprio: f.length >= 38 ? n(40) : 0,
    policy: f.length >= 39 ? n(41) : 0,
  };
}

/** Fields of /proc/PID/status by name. */
export function parseStatus(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) m.set(line.slice(0, i), line.slice(i + 1).trim());
  }
  return m;
}

/** Reads one process; null if it has gone (or its files cannot be read). */
export function* readProc(pid: number): Gen<ProcInfo | null> {
  const statText = yield* readFile(`/proc/${pid}/stat`);
  if (statText instanceof SysError) return null;
  const st = parseStat(statText);
  if (!st) return null;
  const statusText = yield* readFile(`/proc/${pid}/status`);
  if (statusText instanceof SysError) return null;
  const status = parseStatus(statusText);
  const ids = (key: string): number[] => (status.get(key) ?? '0 0 0 0').split(/\s+/).map(Number);
  const kib = (key: string): number => Number((status.get(key) ?? '0').split(/\s+/)[0]) || 0;
  const [ruid, euid, suid, fuid] = ids('Uid');
  const [rgid, egid, sgid, fgid] = ids('Gid');
  const cmd = yield* readFile(`/proc/${pid}/cmdline`);
  const raw = cmd instanceof SysError ? '' : cmd;
  const argv = raw === '' ? [] : raw.replace(/\0+$/, '').split('\0');
  return {
    ...st,
    ruid, euid, suid, fuid, rgid, egid, sgid, fgid,
    vmRssKiB: kib('VmRSS'),
    vmSizeKiB: kib('VmSize'),
    vmLckKiB: kib('VmLck'),
    argv,
    cmdlineRaw: raw,
  };
}

/** The PIDs listed in /proc, in directory order (ascending, as procfs gives them). */
export function* listPids(): Gen<number[]> {
  const names = yield* readDirNames('/proc');
  if (names instanceof SysError) return [];
  return names.filter((n) => /^\d+$/.test(n)).map(Number);
}

/** Every process of /proc that could be read. */
export function* readProcTable(): Gen<ProcInfo[]> {
  const out: ProcInfo[] = [];
  for (const pid of yield* listPids()) {
    const p = yield* readProc(pid);
    if (p) out.push(p);
  }
  return out;
}

/**
 * The terminal name procps prints for a tty_nr (dev_to_tty, simplified): `?` for
 * none, `pts/N` for the Unix98 pty slaves (major 136–143), `ttyN` for virtual
 * consoles (major 4, minor < 64), `ttySN` for serial ports (4, 64+), `console`
 * for (5,1), `tty` for (5,0).
 *
 * Simplification: procps also looks the number up in /dev and /proc/tty/drivers;
 * ctsim's devices follow the kernel's fixed numbering, so the table suffices.
 */
export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const ma = major(ttyNr);
  const mi = minor(ttyNr);
  if (ma >= 136 && ma <= 143) return `pts/${(ma - 136) * 256 + mi}`;
  if (ma === 4) return mi < 64 ? `tty${mi}` : `ttyS${mi - 64}`;
  if (ma === 5 && mi === 1) return 'console';
  if (ma === 5 && mi === 0) return 'tty';
  return '?';
}

/**
 * The command line procps shows for args/cmd (readproc's fill_cmdline_cvt in the C
 * locale): arguments joined by spaces with non-printable bytes escaped, or
 * `[comm]` (with ` <defunct>` for a zombie) when there is no command line.
 */
export function commandLine(p: ProcInfo): string {
  const raw = p.cmdlineRaw;
  if (raw.length > 0) {
    // read_unvectored: trailing NULs end the string; inner NULs and newlines become spaces,
    // and a final space (only when the data had no trailing NUL) is dropped.
    let end = raw.length;
    while (end > 0 && raw[end - 1] === '\0') end--;
    let s = raw.slice(0, end).replace(/[\0\n]/g, ' ');
    if (end === raw.length && s.endsWith(' ')) s = s.slice(0, -1);
    const e = escapeC(s);
    return e === '' ? '?' : e;
  }
  return `[${escapeC(p.comm)}]${p.state === 'Z' ? ' <defunct>' : ''}`;
}

/** procps escape_str in the C locale (esc_all): printable ASCII kept, controls `.`, bytes ≥ 0x80 `?`. */
export function escapeC(s: string): string {
  let o = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    o += c >= 0x20 && c < 0x7f ? s[i] : c >= 0x80 ? '?' : '.';
  }
  return o;
}
