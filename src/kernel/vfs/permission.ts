/**
 * File permission checks (path_resolution(7), generic_permission in fs/namei.c): the
 * owner, group or other bits apply by the caller's filesystem uid and gids; when they
 * deny, CAP_DAC_OVERRIDE overrides read and write (and execute when some execute bit
 * is set, or on a directory), and CAP_DAC_READ_SEARCH overrides reading files and
 * reading and searching directories — each only when held in the caller's user
 * namespace with the file's owner and group mapped there (USER-08).
 */
import type { Creds } from '../proc/creds.js';
import { isDir } from './types.js';
import type { Stat } from './types.js';
import { CAP, capableWrtInode } from '../ns/capabilities.js';

export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

/** The attributes a permission check reads: mode bits and owner (a file's stat, or an IPC object's ipc_perm). */
export type AccessAttrs = Pick<Stat, 'mode' | 'uid' | 'gid'>;

/** True when `creds` may access an object with attributes `st` for `mask` (MAY_*). */
export function mayAccess(creds: Creds, st: AccessAttrs, mask: number): boolean {
  let bits: number;
  if (creds.fsuid === st.uid) bits = (st.mode >> 6) & 7;
  else if (creds.inGroup(st.gid)) bits = (st.mode >> 3) & 7;
  else bits = st.mode & 7;
  if ((bits & mask) === mask) return true;
  if (creds.capEff === 0n) return false;
  const cap = (c: number): boolean => capableWrtInode(creds, st.uid, st.gid, c);
  if (isDir(st.mode)) {
    if ((mask & MAY_WRITE) === 0 && cap(CAP.DAC_READ_SEARCH)) return true;
    return cap(CAP.DAC_OVERRIDE);
  }
  if (((mask & MAY_EXEC) === 0 || (st.mode & 0o111) !== 0) && cap(CAP.DAC_OVERRIDE)) return true;
  return mask === MAY_READ && cap(CAP.DAC_READ_SEARCH);
}

/** The words `ls -l` uses for a mode: `drwxr-xr-x`. */
export function modeString(mode: number): string {
  const typeChar: Record<number, string> = {
    0o140000: 's',
    0o120000: 'l',
    0o100000: '-',
    0o060000: 'b',
    0o040000: 'd',
    0o020000: 'c',
    0o010000: 'p',
  };
  const t = typeChar[mode & 0o170000] ?? '?';
  const rwx = (bits: number, special: boolean, ch: string): string =>
    (bits & 4 ? 'r' : '-') +
    (bits & 2 ? 'w' : '-') +
    (special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-');
  return (
    t +
    rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    rwx(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}
