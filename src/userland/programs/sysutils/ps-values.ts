/**
 * The text of ps(1)'s output fields as procps-ng 4.0.2 prints them in the C
 * locale, computed from one process's /proc entries and the system clock: CPU
 * and elapsed times, start dates, %CPU and %MEM, the STAT letters, user and
 * group names, and the command text. Some fields carry their own padding, as
 * procps prints them: BSD TIME's minutes are three wide, C two, %MEM's whole part
 * two, and STARTED of an older process is "  Mon DD".
 *
 * Time arithmetic uses clock ticks (USER_HZ = 100) as /proc/PID/stat gives them:
 * a process's age is the system uptime in ticks minus its start tick, its CPU time
 * utime + stime (plus its reaped children's with `S`/--cumulative).
 */
import type { UserDb } from '../../lib/passwd.js';
import { ctime, gmtime, strftime } from '../../lib/time.js';
import { commandLine, escapeC, ttyName, type ProcInfo } from './proc-table.js';

/** USER_HZ: clock ticks per second in /proc/PID/stat. */
export const HERTZ = 100;
const SEC_PER_DAY = 86_400;
/** Page size in KiB (the SZ column counts pages). */
const PAGE_KIB = 4;

/** The system-wide facts a row needs besides its process. */
export interface PsContext {
  users: UserDb;
  /** Uptime in ticks, truncated (the "now" of ages). */
  bootTicks: number;
  /** /proc/stat btime: epoch second of boot. */
  bootTimeSec: number;
  /** time(2) when ps started. */
  nowSec: number;
  memTotalKiB: number;
  /** BSD `n`: user, group and wchan columns print numbers. */
  numericIds: boolean;
  /** BSD `c`: command-line columns show the command name instead. */
  commandNameOnly: boolean;
  /** `S`, --cumulative: CPU times include reaped children's. */
  cumulative: boolean;
}

/** CPU time used, in ticks. */
export function cpuTicks(p: ProcInfo, c: PsContext): number {
  return p.utime + p.stime + (c.cumulative ? p.cutime + p.cstime : 0);
}

/** Whole seconds since the process started. */
export function ageSeconds(p: ProcInfo, c: PsContext): number {
  return Math.max(0, Math.floor((c.bootTicks - p.startTicks) / HERTZ));
}

/** Epoch second the process started. */
export function startSecond(p: ProcInfo, c: PsContext): number {
  return c.bootTimeSec + Math.floor(p.startTicks / HERTZ);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** Splits seconds into days, hours, minutes, seconds. */
function dhms(total: number): [number, number, number, number] {
  const days = Math.floor(total / SEC_PER_DAY);
  const rest = total % SEC_PER_DAY;
  return [days, Math.floor(rest / 3600), Math.floor((rest % 3600) / 60), rest % 60];
}

/** ELAPSED: [[DD-]hh:]mm:ss — hours only once an hour has passed, days once a day has. */
export function elapsedText(p: ProcInfo, c: PsContext): string {
  const [d, h, m, s] = dhms(ageSeconds(p, c));
  const clock = `${pad2(m)}:${pad2(s)}`;
  if (d > 0) return `${d}-${pad2(h)}:${clock}`;
  return h > 0 ? `${pad2(h)}:${clock}` : clock;
}

/** TIME (time, cputime): [DD-]hh:mm:ss of CPU. */
export function cpuClockText(p: ProcInfo, c: PsContext): string {
  const [d, h, m, s] = dhms(Math.floor(cpuTicks(p, c) / HERTZ));
  const clock = `${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return d > 0 ? `${d}-${clock}` : clock;
}

/** BSD TIME: minutes (at least three characters wide, unbounded) and seconds of CPU. */
export function cpuMinutesText(p: ProcInfo, c: PsContext): string {
  const total = Math.floor(cpuTicks(p, c) / HERTZ);
  return `${String(Math.floor(total / 60)).padStart(3)}:${pad2(total % 60)}`;
}

/** CPU use over the process's life in tenths of a percent (0 in its first second). */
export function cpuPermille(p: ProcInfo, c: PsContext): number {
  const age = ageSeconds(p, c);
  return age > 0 ? Math.floor((cpuTicks(p, c) * 1000) / (HERTZ * age)) : 0;
}

/** %CPU: tenths of a percent as "d.d", or whole from 100 up. */
export function cpuPercentText(p: ProcInfo, c: PsContext): string {
  const tenths = cpuPermille(p, c);
  return tenths >= 1000 ? String(Math.floor(tenths / 10)) : `${Math.floor(tenths / 10)}.${tenths % 10}`;
}

/** C: whole percent of CPU over the process's life, at most 99. */
export function cpuPercentInt(p: ProcInfo, c: PsContext): number {
  return Math.min(99, Math.floor(cpuPermille(p, c) / 10));
}

/** C as printed: two characters wide. */
export const cpuPercentIntText = (p: ProcInfo, c: PsContext): string => String(cpuPercentInt(p, c)).padStart(2);

/** Resident memory in tenths of a percent of MemTotal. */
export function memPermille(p: ProcInfo, c: PsContext): number {
  return c.memTotalKiB > 0 ? Math.floor((p.vmRssKiB * 1000) / c.memTotalKiB) : 0;
}

/** %MEM: "dd.d" with the whole part two characters wide. */
export function memPercentText(p: ProcInfo, c: PsContext): string {
  const tenths = memPermille(p, c);
  return `${String(Math.floor(tenths / 10)).padStart(2)}.${tenths % 10}`;
}

/** STARTED (start): the time of day if started in the last 24 hours, else "  Mon DD". */
export function startedText(p: ProcInfo, c: PsContext): string {
  const t = startSecond(p, c);
  return strftime(c.nowSec - t < SEC_PER_DAY ? '%H:%M:%S' : '  %b %d', gmtime(t));
}

/** START/STIME: "HH:MM" if started today, "MonDD" this year, else the year. */
export function startDayText(p: ProcInfo, c: PsContext): string {
  const tm = gmtime(startSecond(p, c));
  const now = gmtime(c.nowSec);
  if (tm.year !== now.year) return strftime('%Y', tm);
  return strftime(tm.yday === now.yday ? '%H:%M' : '%b%d', tm);
}

/** STARTED (lstart): the full ctime(3) date. */
export function startDateText(p: ProcInfo, c: PsContext): string {
  return ctime(startSecond(p, c));
}

/**
 * STAT: the state letter, then `<` (nice < 0) or `N` (nice > 0), `L` (pages
 * locked), `s` (session leader), `l` (more than one thread), `+` (in the
 * foreground process group of its terminal).
 */
export function statText(p: ProcInfo): string {
  let s = p.state;
  if (p.nice < 0) s += '<';
  else if (p.nice > 0) s += 'N';
  if (p.vmLckKiB > 0) s += 'L';
  if (p.session === p.pid) s += 's';
  if (p.nlwp > 1) s += 'l';
  if (p.tpgid !== -1 && p.tpgid === p.pgrp) s += '+';
  return s;
}

/** Scheduling policy names by SCHED_* number (CLS). */
const POLICY_NAMES = ['TS', 'FF', 'RR', 'B', 'ISO', 'IDL', 'DLN'];
export const policyText = (p: ProcInfo): string => POLICY_NAMES[p.policy] ?? '?';
/** Policies that have a nice value (SCHED_OTHER, SCHED_BATCH) — the rest print "-" for NI. */
const hasNice = (p: ProcInfo): boolean => p.policy === 0 || p.policy === 3 || p.policy === -1;
export const niceText = (p: ProcInfo): string => (hasNice(p) ? String(p.nice) : '-');
/** Real-time priority, "-" for SCHED_OTHER. */
export const rtprioText = (p: ProcInfo): string => (p.policy === 0 || p.policy === -1 ? '-' : String(p.rtprio));
/** F: the PF_FORKNOEXEC (1) and PF_SUPERPRIV (4) bits of the kernel flags. */
export const flagsValue = (p: ProcInfo): number => (p.flags >>> 6) & 7;
/** SZ: virtual size in pages. */
export const sizePages = (p: ProcInfo): number => Math.floor(p.vmSizeKiB / PAGE_KIB);
export const ttyText = (p: ProcInfo): string => ttyName(p.ttyNr);

/** A user name (the number without one, or with `n`). */
export function userText(uid: number, c: PsContext): string {
  return c.numericIds ? String(uid) : (c.users.userName(uid) ?? String(uid));
}

export function groupText(gid: number, c: PsContext): string {
  return c.numericIds ? String(gid) : (c.users.groupName(gid) ?? String(gid));
}

/** comm-style columns: the command name (the tree prefix is added by the layout). */
export const commText = (p: ProcInfo): string => escapeC(p.comm);

/** args-style columns: the command line, or the name with BSD `c`. */
export function argsText(p: ProcInfo, c: PsContext): string {
  return c.commandNameOnly ? escapeC(p.comm) : commandLine(p);
}
