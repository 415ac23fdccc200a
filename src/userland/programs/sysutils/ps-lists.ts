/**
 * The argument lists of ps's selection options (procps-ng 4.0.2, ps(1)
 * "PROCESS SELECTION BY LIST"): process IDs, users, groups, terminals and command
 * names, separated by commas or spaces, and the errors ps prints for them.
 *
 * Numbers are read as strtol(3) reads them with base 0: an optional sign, then
 * decimal, 0-prefixed octal or 0x-prefixed hexadecimal ("010" is 8). A terminal
 * name is looked up as /dev/pts/NAME, /dev/NAME, /dev/ttyNAME, /dev/ptyNAME (or
 * as given when it starts with /dev/); `?` and `-` mean "no terminal".
 */
import { SysError } from '../../../kernel/errno.js';
import { isChr } from '../../../kernel/vfs/types.js';
import type { UserDb } from '../../lib/passwd.js';
import * as sys from '../../lib/sys.js';
import type { Gen } from './gnu-style.js';

/** A command-line mistake: ps prints "error: MESSAGE" and its usage hint. */
export class PsUsageError extends Error {}

/** An error ps prints as is, without the usage hint (the -q restrictions, internal errors). */
export class PsFatalError extends Error {}

/** The largest process ID ps accepts in a list. */
const PID_LIMIT = 0x7fffffff;
/** (uid_t)-1 and (gid_t)-1 are not IDs. */
const ID_LIMIT = 0xfffffffe;

/** strtol(text, &end, 0) when it consumes all of `text` (leading blanks allowed); null otherwise. */
export function parseCInteger(text: string): number | null {
  const m = /^\s*([+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.exec(text);
  if (!m) return null;
  const digits = m[2];
  const value = /^0[xX]/.test(digits) ? parseInt(digits.slice(2), 16) : digits.length > 1 && digits[0] === '0' ? parseInt(digits, 8) : parseInt(digits, 10);
  return m[1] === '-' ? -value : value;
}

/** The items of a list: one comma or space between them, no empty item. */
export function splitList(arg: string): string[] {
  const items = arg.split(/[, ]/);
  if (items.some((i) => i === '')) throw new PsUsageError('improper list');
  return items;
}

/** A process, session or parent ID. */
export function readPid(item: string): number {
  const n = parseCInteger(item);
  if (n === null) throw new PsUsageError('process ID list syntax error');
  if (n < 1 || n > PID_LIMIT) throw new PsUsageError('process ID out of range');
  return n;
}

export const readPidList = (arg: string): number[] => splitList(arg).map(readPid);

/** User IDs by name or number. */
export function readUserList(arg: string, users: UserDb): number[] {
  return splitList(arg).map((item) => {
    const n = parseCInteger(item);
    if (n !== null) {
      if (n < 0 || n > ID_LIMIT) throw new PsUsageError('user ID out of range');
      return n;
    }
    const u = users.getpwnam(item);
    if (!u) throw new PsUsageError('user name does not exist');
    return u.uid;
  });
}

/** A group ID by name or number; null if there is no such group name. */
function readGroup(item: string, users: UserDb): number | null {
  const n = parseCInteger(item);
  if (n !== null) {
    if (n < 0 || n > ID_LIMIT) throw new PsUsageError('group ID out of range');
    return n;
  }
  return users.getgrnam(item)?.gid ?? null;
}

export function readGroupList(arg: string, users: UserDb): number[] {
  return splitList(arg).map((item) => {
    const g = readGroup(item, users);
    if (g === null) throw new PsUsageError('group name does not exist');
    return g;
  });
}

/**
 * -g: each item is a session ID when it reads as a valid process ID, otherwise an
 * effective group (name or number) — so `-g 0` means group root.
 */
export function readSessionOrGroupList(arg: string, users: UserDb): { sessions: number[]; groups: number[] } {
  const sessions: number[] = [];
  const groups: number[] = [];
  const invalid = (): never => {
    throw new PsUsageError('list of session leaders OR effective group IDs was invalid');
  };
  const items = (() => {
    try {
      return splitList(arg);
    } catch {
      return invalid();
    }
  })();
  for (const item of items) {
    const n = parseCInteger(item);
    if (n !== null && n >= 1 && n <= PID_LIMIT) {
      sessions.push(n);
      continue;
    }
    let g: number | null = null;
    try {
      g = readGroup(item, users);
    } catch {
      invalid();
    }
    if (g === null) invalid();
    groups.push(g!);
  }
  return { sessions, groups };
}

/** The device number of a terminal named on the command line (0: none). */
function* lookupTty(name: string): Gen<number> {
  const candidates = name.startsWith('/dev/') ? [name] : [`/dev/pts/${name}`, `/dev/${name}`, `/dev/tty${name}`, `/dev/pty${name}`];
  for (const path of candidates) {
    const st = yield* sys.stat(path);
    if (!(st instanceof SysError) && isChr(st.mode)) return st.rdev;
  }
  if (name === '?' || name === '-') return 0;
  throw new PsUsageError('TTY could not be found');
}

/** Terminal device numbers for a list of terminal names. */
export function* readTtyList(arg: string): Gen<number[]> {
  const out: number[] = [];
  for (const item of splitList(arg)) out.push(yield* lookupTty(item));
  return out;
}
