/**
 * File modes as coreutils shows and changes them: the `drwxr-xr-x` string of ls -l and
 * stat %A, the file-type words of stat %F, and (re-exported from mode-change.ts)
 * chmod/mkdir -m mode specifications — octal or symbolic (`u+x,go=r`, `a-w`, `g=u`,
 * `+X`).
 */
import { S_IFMT, S_IFREG, S_IFDIR, S_IFLNK, S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_ISUID, S_ISGID, S_ISVTX } from '../../kernel/vfs/types.js';

/** Every bit chmod can change (CHMOD_MODE_BITS). */
export const CHMOD_MODE_BITS = 0o7777;

export { adjustMode, compileMode, type ModeChange } from './mode-change.js';

/** The type letter of ls -l (gnulib ftypelet). */
export function fileTypeLetter(mode: number): string {
  switch (mode & S_IFMT) {
    case S_IFREG: return '-';
    case S_IFDIR: return 'd';
    case S_IFBLK: return 'b';
    case S_IFCHR: return 'c';
    case S_IFLNK: return 'l';
    case S_IFIFO: return 'p';
    case S_IFSOCK: return 's';
    default: return '?';
  }
}

/** The 10-character mode string of ls -l and stat %A: `drwxr-sr-t`. */
export function fileModeString(mode: number): string {
  const bit = (b: number, c: string): string => (mode & b ? c : '-');
  const special = (exec: number, flag: number, on: string, off: string): string =>
    mode & flag ? (mode & exec ? on : off) : mode & exec ? 'x' : '-';
  return (
    fileTypeLetter(mode) +
    bit(0o400, 'r') + bit(0o200, 'w') + special(0o100, S_ISUID, 's', 'S') +
    bit(0o040, 'r') + bit(0o020, 'w') + special(0o010, S_ISGID, 's', 'S') +
    bit(0o004, 'r') + bit(0o002, 'w') + special(0o001, S_ISVTX, 't', 'T')
  );
}

/** stat %F: the file type in words (coreutils file_type()). */
export function fileTypeName(mode: number, size: number): string {
  switch (mode & S_IFMT) {
    case S_IFREG: return size === 0 ? 'regular empty file' : 'regular file';
    case S_IFDIR: return 'directory';
    case S_IFBLK: return 'block special file';
    case S_IFCHR: return 'character special file';
    case S_IFLNK: return 'symbolic link';
    case S_IFIFO: return 'fifo';
    case S_IFSOCK: return 'socket';
    default: return 'weird file';
  }
}
