/**
 * The user and group databases as glibc's NSS "files" service reads them
 * (passwd(5), group(5)): /etc/passwd and /etc/group in the simulated file system,
 * one colon-separated entry per line, the first match winning. Programs load a
 * `UserDb` once and ask it by name or id (getpwnam, getpwuid, getgrnam, getgrgid,
 * getgrouplist).
 */
import type { Op } from '../../kernel/proc/program.js';
import { SysError } from '../../kernel/errno.js';
import { readFile } from './io.js';

/** struct passwd. */
export interface PasswdEntry {
  name: string;
  passwd: string;
  uid: number;
  gid: number;
  gecos: string;
  dir: string;
  shell: string;
}

/** struct group. */
export interface GroupEntry {
  name: string;
  passwd: string;
  gid: number;
  members: string[];
}

export const PASSWD_FILE = '/etc/passwd';
export const GROUP_FILE = '/etc/group';

/** Parses passwd(5) text; malformed lines are skipped as glibc skips them. */
export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 7 || !/^\d+$/.test(f[2]) || !/^\d+$/.test(f[3])) continue;
    out.push({ name: f[0], passwd: f[1], uid: Number(f[2]), gid: Number(f[3]), gecos: f[4], dir: f[5], shell: f.slice(6).join(':') });
  }
  return out;
}

/** Parses group(5) text. */
export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const f = line.split(':');
    if (f.length < 4 || !/^\d+$/.test(f[2])) continue;
    out.push({ name: f[0], passwd: f[1], gid: Number(f[2]), members: f[3] === '' ? [] : f[3].split(',') });
  }
  return out;
}

/** The user and group databases of one program run. */
export class UserDb {
  readonly users: PasswdEntry[];
  readonly groups: GroupEntry[];

  constructor(users: PasswdEntry[], groups: GroupEntry[]) {
    this.users = users;
    this.groups = groups;
  }

  /** Reads /etc/passwd and /etc/group; a missing or unreadable file is an empty database. */
  static *load(): Generator<Op, UserDb, unknown> {
    const p = yield* readFile(PASSWD_FILE);
    const g = yield* readFile(GROUP_FILE);
    return new UserDb(p instanceof SysError ? [] : parsePasswd(p), g instanceof SysError ? [] : parseGroup(g));
  }

  getpwuid(uid: number): PasswdEntry | undefined {
    return this.users.find((u) => u.uid === uid);
  }

  getpwnam(name: string): PasswdEntry | undefined {
    return this.users.find((u) => u.name === name);
  }

  getgrgid(gid: number): GroupEntry | undefined {
    return this.groups.find((g) => g.gid === gid);
  }

  getgrnam(name: string): GroupEntry | undefined {
    return this.groups.find((g) => g.name === name);
  }

  /** The user's name, or undefined when uid has no entry. */
  userName(uid: number): string | undefined {
    return this.getpwuid(uid)?.name;
  }

  groupName(gid: number): string | undefined {
    return this.getgrgid(gid)?.name;
  }

  /** getgrouplist(3): the primary group first, then every group listing the user as a member, in file order, without duplicates. */
  groupList(user: string, primaryGid: number): number[] {
    const out = [primaryGid];
    for (const g of this.groups) if (g.members.includes(user) && !out.includes(g.gid)) out.push(g.gid);
    return out;
  }
}
