/**
 * id(1) and whoami(1) from GNU coreutils 9.1: the user and group identities of the
 * process (or of a named user, from /etc/passwd and /etc/group). `id` prints
 * `uid=0(root) gid=0(root) groups=0(root)`; -u, -g, -G print one part, -n names
 * instead of numbers, -r real instead of effective IDs, -z NUL separators.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { UserDb } from '../../lib/passwd.js';
import { parseOptions, quote, usageError } from './gnu-style.js';

/** User CPU to look up and print identities — a design choice. */
const ID_NS = 30_000;

/** mgetgroups: the group `gid` first, then `others` without repeats of the first or of neighbours. */
export function groupsWithPrimary(gid: number, others: readonly number[]): number[] {
  const out = [gid];
  for (const g of others) if (g !== gid && g !== out[out.length - 1]) out.push(g);
  return out;
}

export function* idMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'id';
  yield ID_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a' },
    { short: 'Z', long: 'context' },
    { short: 'g', long: 'group' },
    { short: 'G', long: 'groups' },
    { short: 'n', long: 'name' },
    { short: 'r', long: 'real' },
    { short: 'u', long: 'user' },
    { short: 'z', long: 'zero' },
  ]);
  if (!parsed) return 1;
  const v = parsed.values;
  if (v.has('context')) {
    yield* errOut(`${prog}: --context (-Z) works only on an SELinux-enabled kernel\n`);
    return 1;
  }
  const justUser = v.has('user');
  const justGroup = v.has('group');
  const justList = v.has('groups');
  const useName = v.has('name');
  const useReal = v.has('real');
  const zero = v.has('zero');
  if (Number(justUser) + Number(justGroup) + Number(justList) > 1) {
    yield* errOut(`${prog}: cannot print "only" of more than one choice\n`);
    return 1;
  }
  const defaultFormat = !justUser && !justGroup && !justList;
  if (defaultFormat && (useReal || useName)) {
    yield* errOut(`${prog}: cannot print only names or real IDs in default format\n`);
    return 1;
  }
  if (defaultFormat && zero) {
    yield* errOut(`${prog}: option --zero not permitted in default format\n`);
    return 1;
  }
  const db = yield* UserDb.load();
  const out = new OutBuffer(1);
  let ok = true;
  const delim = zero ? '\0' : ' ';

  const userText = (uid: number): string => {
    if (!useName) return String(uid);
    const n = db.userName(uid);
    if (n === undefined) {
      ok = false;
      return String(uid);
    }
    return n;
  };
  const groupText = (gid: number): string => {
    if (!useName) return String(gid);
    const n = db.groupName(gid);
    if (n === undefined) {
      ok = false;
      return String(gid);
    }
    return n;
  };
  const named = (id: number, name: string | undefined): string => (name === undefined ? String(id) : `${id}(${name})`);

  /** Prints the record of one identity. */
  function* printStuff(ruid: number, euid: number, rgid: number, egid: number, fullGroups: number[], listGroups: number[]): Generator<Op, void, unknown> {
    let line: string;
    if (justUser) {
      const uid = useReal ? ruid : euid;
      line = userText(uid);
      if (useName && db.userName(uid) === undefined) yield* errOut(`${prog}: cannot find name for user ID ${uid}\n`);
    } else if (justGroup) {
      const gid = useReal ? rgid : egid;
      line = groupText(gid);
      if (useName && db.groupName(gid) === undefined) yield* errOut(`${prog}: cannot find name for group ID ${gid}\n`);
    } else if (justList) {
      const ids = [rgid];
      if (egid !== rgid) ids.push(egid);
      for (const g of listGroups) if (g !== rgid && g !== egid) ids.push(g);
      for (const g of ids) if (useName && db.groupName(g) === undefined) yield* errOut(`${prog}: cannot find name for group ID ${g}\n`);
      line = ids.map(groupText).join(delim);
    } else {
      line = `uid=${named(ruid, db.userName(ruid))} gid=${named(rgid, db.groupName(rgid))}`;
      if (euid !== ruid) line += ` euid=${named(euid, db.userName(euid))}`;
      if (egid !== rgid) line += ` egid=${named(egid, db.groupName(egid))}`;
      if (fullGroups.length) line += ' groups=' + fullGroups.map((g) => named(g, db.groupName(g))).join(',');
    }
    yield* out.write(line + (zero ? '\0' : '\n'));
  }

  if (parsed.operands.length > 0) {
    for (const spec of parsed.operands) {
      const pw = spec === '' ? undefined : (db.getpwnam(spec) ?? (/^\+?\d+$/.test(spec) ? db.getpwuid(Number(spec.replace('+', ''))) : undefined));
      if (!pw) {
        yield* out.flush();
        yield* errOut(`${prog}: ${quote(spec)}: no such user\n`);
        ok = false;
        continue;
      }
      const groups = db.groupList(pw.name, pw.gid);
      yield* printStuff(pw.uid, pw.uid, pw.gid, pw.gid, groups, groups);
    }
  } else {
    const ruid = (yield* sys.getuid()) as number;
    const euid = (yield* sys.geteuid()) as number;
    const rgid = (yield* sys.getgid()) as number;
    const egid = (yield* sys.getegid()) as number;
    const g = yield* sys.getgroups();
    const supplementary = g instanceof SysError ? [] : g;
    // print_full_info starts the list with the passwd entry's group; print_group_list with the egid.
    const pw = db.getpwuid(ruid);
    yield* printStuff(ruid, euid, rgid, egid, groupsWithPrimary(pw ? pw.gid : egid, supplementary), groupsWithPrimary(egid, supplementary));
  }
  const e = yield* out.flush();
  return ok && !e ? 0 : 1;
}

/** whoami(1): the name of the effective user. */
export function* whoamiMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'whoami';
  yield ID_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), []);
  if (!parsed) return 1;
  if (parsed.operands.length) return yield* usageError(prog, `extra operand ${quote(parsed.operands[0])}`);
  const euid = (yield* sys.geteuid()) as number;
  const db = yield* UserDb.load();
  const name = db.userName(euid);
  if (name === undefined) {
    yield* errOut(`${prog}: cannot find name for user ID ${euid}\n`);
    return 1;
  }
  const out = new OutBuffer(1);
  yield* out.write(name + '\n');
  return (yield* out.flush()) ? 1 : 0;
}
