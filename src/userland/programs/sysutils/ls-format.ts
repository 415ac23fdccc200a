/**
 * How GNU ls 9.1 lays out what it lists: the long format's columns and their widths
 * (inode, blocks, mode, links, owner, group, size or major/minor, time, name,
 * `-> target`) and the file-type indicators of -F/-p. The -C layout is ls-columns.ts.
 */
import { S_IFMT, S_IFDIR, S_IFLNK, S_IFIFO, S_IFSOCK, S_IFREG, isChr, major, minor, type Stat } from '../../../kernel/vfs/types.js';
import { fileModeString } from '../../lib/mode.js';
import { humanReadable } from '../../lib/human-readable.js';
import { formatNs, NS_PER_SEC } from '../../lib/time.js';
import type { UserDb } from '../../lib/passwd.js';

/** One file ls shows (struct fileinfo). */
export interface LsFile {
  /** The name as printed (a command-line argument, or a directory entry). */
  name: string;
  /** The path to stat and open. */
  path: string;
  stat: Stat | null;
  /** The symbolic link's target (long format), if any. */
  linkName: string | null;
  /** st_mode of the link's target, 0 when it cannot be reached. */
  linkMode: number;
  /** A command-line directory (listed later, not shown as a file). */
  isArgDir: boolean;
  /** getdents' d_type, for the type letter of a file that cannot be stat()ed. */
  dirType?: number;
}

export type Indicator = 'none' | 'slash' | 'file-type' | 'classify';

export type TimeStyle = { recent: string; old: string };

/** The settings that shape a listing. */
export interface LsLayout {
  long: boolean;
  inode: boolean;
  blockSize: boolean;
  owner: boolean;
  group: boolean;
  numericIds: boolean;
  human: boolean;
  indicator: Indicator;
  timeField: 'mtime' | 'ctime' | 'atime';
  timeStyle: TimeStyle;
  /** Current time, ns since the epoch (six-month rule). */
  nowNs: number;
  users: UserDb;
}

/** The long-iso/locale styles: "Mon DD HH:MM" within six months, "Mon DD  YYYY" otherwise. */
export const LOCALE_TIME_STYLE: TimeStyle = { recent: '%b %e %H:%M', old: '%b %e  %Y' };
export const FULL_ISO_STYLE: TimeStyle = { recent: '%Y-%m-%d %H:%M:%S.%N %z', old: '%Y-%m-%d %H:%M:%S.%N %z' };
export const LONG_ISO_STYLE: TimeStyle = { recent: '%Y-%m-%d %H:%M', old: '%Y-%m-%d %H:%M' };
export const ISO_STYLE: TimeStyle = { recent: '%m-%d %H:%M', old: '%Y-%m-%d ' };

/** Half of an average Gregorian year, in seconds: ls's "recent" boundary. */
const SIX_MONTHS_SEC = 31556952 / 2;

/** get_type_indicator: the character -F or -p appends, or ''. */
export function typeIndicator(mode: number | null, indicator: Indicator): string {
  if (indicator === 'none' || mode === null) return '';
  const type = mode & S_IFMT;
  if (type === S_IFREG) return indicator === 'classify' && mode & 0o111 ? '*' : '';
  if (type === S_IFDIR) return '/';
  if (indicator === 'slash') return '';
  if (type === S_IFLNK) return '@';
  if (type === S_IFIFO) return '|';
  if (type === S_IFSOCK) return '=';
  return '';
}

function blocksText(st: Stat, l: LsLayout): string {
  return l.human ? humanReadable(st.blocks, 512, 1, { autoscale: true }) : humanReadable(st.blocks, 512, 1024);
}

function sizeText(st: Stat, l: LsLayout): string {
  return l.human ? humanReadable(st.size, 1, 1, { autoscale: true }) : String(st.size);
}

function ownerText(id: number, l: LsLayout, isGroup: boolean): string | null {
  if (l.numericIds) return null;
  return (isGroup ? l.users.groupName(id) : l.users.userName(id)) ?? null;
}

/** Column widths for a set of files (gobble_file's bookkeeping). */
export interface LsWidths {
  inode: number;
  block: number;
  nlink: number;
  owner: number;
  group: number;
  major: number;
  minor: number;
  size: number;
}

export function computeWidths(files: readonly LsFile[], l: LsLayout): LsWidths {
  const w: LsWidths = { inode: 0, block: 0, nlink: 0, owner: 0, group: 0, major: 0, minor: 0, size: 0 };
  for (const f of files) {
    const st = f.stat;
    if (l.inode) w.inode = Math.max(w.inode, st ? String(st.ino).length : 1);
    if (!st) continue;
    if (l.long || l.blockSize) w.block = Math.max(w.block, blocksText(st, l).length);
    if (!l.long) continue;
    if (l.owner) w.owner = Math.max(w.owner, (ownerText(st.uid, l, false) ?? String(st.uid)).length);
    if (l.group) w.group = Math.max(w.group, (ownerText(st.gid, l, true) ?? String(st.gid)).length);
    w.nlink = Math.max(w.nlink, String(st.nlink).length);
    if (isChr(st.mode) || (st.mode & S_IFMT) === 0o060000) {
      w.major = Math.max(w.major, String(major(st.rdev)).length);
      w.minor = Math.max(w.minor, String(minor(st.rdev)).length);
      w.size = Math.max(w.size, w.major + 2 + w.minor);
    } else w.size = Math.max(w.size, sizeText(st, l).length);
  }
  return w;
}

/** format_user_or_group: a name padded to the width, or the number right-aligned. */
function ownerField(id: number, width: number, l: LsLayout, isGroup: boolean): string {
  const name = ownerText(id, l, isGroup);
  return name !== null ? name.padEnd(width) + ' ' : String(id).padStart(width) + ' ';
}

/** The time column: the file's time in the style for recent or old files. */
function timeField(st: Stat, l: LsLayout): string {
  const t = l.timeField === 'ctime' ? st.ctimeNs : l.timeField === 'atime' ? st.atimeNs : st.mtimeNs;
  const sixMonthsAgo = l.nowNs - SIX_MONTHS_SEC * NS_PER_SEC;
  const recent = sixMonthsAgo < t && t < l.nowNs;
  return formatNs(recent ? l.timeStyle.recent : l.timeStyle.old, t);
}

/** print_long_format: one line of ls -l (without the newline). */
export function longLine(f: LsFile, w: LsWidths, l: LsLayout): string {
  const st = f.stat;
  let o = '';
  if (l.inode) o += (st ? String(st.ino) : '?').padStart(w.inode) + ' ';
  if (l.blockSize) o += (st ? blocksText(st, l) : '?').padStart(w.block) + ' ';
  if (!st) {
    const letter: Record<number, string> = { 1: 'p', 2: 'c', 4: 'd', 6: 'b', 8: '-', 10: 'l', 12: 's' };
    o += (letter[f.dirType ?? 0] ?? '?') + '????????? ' + '?'.padStart(w.nlink) + ' ';
    if (l.owner) o += '?'.padEnd(w.owner) + ' ';
    if (l.group) o += '?'.padEnd(w.group) + ' ';
    o += '?'.padStart(w.size) + ' ' + '?'.padStart(12) + ' ';
    return o + f.name;
  }
  o += fileModeString(st.mode) + ' ' + String(st.nlink).padStart(w.nlink) + ' ';
  if (l.owner) o += ownerField(st.uid, w.owner, l, false);
  if (l.group) o += ownerField(st.gid, w.group, l, true);
  const type = st.mode & S_IFMT;
  if (type === 0o020000 || type === 0o060000) {
    const blanks = w.size - (w.major + 2 + w.minor);
    o += String(major(st.rdev)).padStart(w.major + Math.max(0, blanks)) + ', ' + String(minor(st.rdev)).padStart(w.minor) + ' ';
  } else o += sizeText(st, l).padStart(w.size) + ' ';
  o += timeField(st, l) + ' ';
  o += f.name;
  if (type === S_IFLNK) {
    if (f.linkName !== null) {
      o += ' -> ' + f.linkName;
      if (l.indicator !== 'none') o += typeIndicator(f.linkMode || null, l.indicator);
    }
  } else o += typeIndicator(st.mode, l.indicator);
  return o;
}

/** print_file_name_and_frills: inode, blocks, name and indicator for the short formats. */
export function shortEntry(f: LsFile, w: LsWidths, l: LsLayout): string {
  let o = '';
  if (l.inode) o += (f.stat ? String(f.stat.ino) : '?').padStart(w.inode) + ' ';
  if (l.blockSize) o += (f.stat ? blocksText(f.stat, l) : '?').padStart(w.block) + ' ';
  return o + f.name + typeIndicator(f.stat ? f.stat.mode : null, l.indicator);
}

export { manyPerLine } from './ls-columns.js';
