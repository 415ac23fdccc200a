/**
 * chown(1) from GNU coreutils 9.1: changes file owner and group. The spec is
 * `USER`, `USER:GROUP`, `USER:` (the user's login group), `:GROUP`, names or
 * numbers (gnulib parse_user_spec; the old `USER.GROUP` works with a warning).
 * -R descends (not through symbolic links), -h changes links themselves, -v/-c
 * report `changed ownership of 'f' from root to student`, --reference copies
 * another file's owner and group. Only root may give files away.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { isDir, isLnk, type Stat } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { UserDb } from '../../lib/passwd.js';
import { joinPath, parseOptions, quote, quoteaf, readDirNames, usageError } from './gnu-style.js';

/** User CPU to start chown and per file — design choices. */
const CHOWN_NS = 20_000;
const CHOWN_PER_FILE_NS = 1_500;

type Gen<T> = Generator<Op, T, unknown>;

/** A parsed owner spec: ids (-1: unchanged) and the names to report them by. */
export interface OwnerSpec {
  uid: number;
  gid: number;
  user: string | null;
  group: string | null;
  /** The "'.' should be ':'" warning applies. */
  dotWarning: boolean;
}

/** parse_user_spec: the spec's ids, or the error text ("invalid user"). */
export function parseOwnerSpec(spec: string, db: UserDb): OwnerSpec | string {
  let sep = spec.indexOf(':');
  let dotWarning = false;
  if (sep < 0) {
    const dot = spec.indexOf('.');
    // "user.group" is accepted only when the whole spec is not a user name.
    if (dot >= 0 && !db.getpwnam(spec)) {
      sep = dot;
      dotWarning = true;
    }
  }
  const userPart = sep < 0 ? spec : spec.slice(0, sep);
  const groupPart = sep < 0 ? null : spec.slice(sep + 1);
  let uid = -1;
  let gid = -1;
  let user: string | null = null;
  let group: string | null = null;
  if (userPart !== '') {
    const pw = db.getpwnam(userPart);
    if (pw) {
      uid = pw.uid;
      user = userPart;
      if (groupPart === '') {
        gid = pw.gid;
        group = db.groupName(pw.gid) ?? String(pw.gid);
      }
    } else if (/^\d+$/.test(userPart)) {
      uid = Number(userPart);
      user = userPart;
      if (groupPart === '') return 'cannot get the login group of a numeric UID';
    } else return 'invalid user';
  }
  if (groupPart !== null && groupPart !== '') {
    const gr = db.getgrnam(groupPart);
    if (gr) gid = gr.gid;
    else if (/^\d+$/.test(groupPart)) gid = Number(groupPart);
    else return 'invalid group';
    group = groupPart;
  }
  if (userPart === '' && (groupPart === null || groupPart === '')) {
    // "" or ":" changes nothing.
  }
  return { uid, gid, user, group, dotWarning };
}

export function* chownMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'chown';
  yield CHOWN_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'R', long: 'recursive' },
    { short: 'c', long: 'changes' },
    { short: 'f', long: 'silent' },
    { long: 'quiet', key: 'silent' },
    { short: 'v', long: 'verbose' },
    { short: 'h', long: 'no-dereference' },
    { long: 'dereference' },
    { short: 'H' },
    { short: 'L' },
    { short: 'P' },
    { long: 'reference', arg: 'required' },
    { long: 'from', arg: 'required' },
    { long: 'preserve-root' },
    { long: 'no-preserve-root' },
  ]);
  if (!parsed) return 1;
  const v = parsed.values;
  let verbosity: 'off' | 'changes' | 'high' = 'off';
  for (const [k] of parsed.list) {
    if (k === 'changes') verbosity = 'changes';
    else if (k === 'verbose') verbosity = 'high';
  }
  const silent = v.has('silent');
  const recurse = v.has('recursive');
  const noDeref = v.has('no-dereference');
  const db = yield* UserDb.load();
  const ops = [...parsed.operands];
  let spec: OwnerSpec;
  const reference = v.get('reference') as string | undefined;
  if (reference !== undefined) {
    const st = yield* sys.stat(reference);
    if (st instanceof SysError) {
      yield* errOut(`${prog}: failed to get attributes of ${quoteaf(reference)}: ${st.message}\n`);
      return 1;
    }
    spec = { uid: st.uid, gid: st.gid, user: db.userName(st.uid) ?? String(st.uid), group: db.groupName(st.gid) ?? String(st.gid), dotWarning: false };
    if (ops.length === 0) return yield* usageError(prog, 'missing operand');
  } else {
    if (ops.length === 0) return yield* usageError(prog, 'missing operand');
    const text = ops.shift()!;
    if (ops.length === 0) return yield* usageError(prog, `missing operand after ${quote(text)}`);
    const r = parseOwnerSpec(text, db);
    if (typeof r === 'string') {
      yield* errOut(`${prog}: ${r}: ${quote(text)}\n`);
      return 1;
    }
    if (r.dotWarning) yield* errOut(`${prog}: warning: '.' should be ':': ${quote(text)}\n`);
    spec = r;
  }
  let fromUid = -1;
  let fromGid = -1;
  const from = v.get('from') as string | undefined;
  if (from !== undefined) {
    const r = parseOwnerSpec(from, db);
    if (typeof r === 'string') {
      yield* errOut(`${prog}: ${r}: ${quote(from)}\n`);
      return 1;
    }
    fromUid = r.uid;
    fromGid = r.gid;
  }
  const out = new OutBuffer(1);
  const name = (id: number, isGroup: boolean): string => (isGroup ? db.groupName(id) : db.userName(id)) ?? String(id);
  const specStr = (u: string | null, g: string | null): string | null => (u !== null ? (g !== null ? `${u}:${g}` : u) : g);

  const describe = function* (file: string, status: 'ok' | 'failed' | 'same', st: Stat): Gen<void> {
    const newSpec = specStr(spec.user, spec.group);
    const oldSpec = specStr(spec.user !== null ? name(st.uid, false) : null, spec.group !== null ? name(st.gid, true) : null);
    const f = quoteaf(file);
    if (status === 'ok') {
      yield* out.write(spec.user !== null ? `changed ownership of ${f} from ${oldSpec} to ${newSpec}\n` : spec.group !== null ? `changed group of ${f} from ${oldSpec} to ${newSpec}\n` : `no change to ownership of ${f}\n`);
    } else if (status === 'failed') {
      yield* out.write(spec.user !== null ? `failed to change ownership of ${f} from ${oldSpec} to ${newSpec}\n` : spec.group !== null ? `failed to change group of ${f} from ${oldSpec} to ${newSpec}\n` : `failed to change ownership of ${f}\n`);
    } else {
      yield* out.write(spec.user !== null ? `ownership of ${f} retained as ${newSpec}\n` : spec.group !== null ? `group of ${f} retained as ${newSpec}\n` : `ownership of ${f} retained\n`);
    }
  };

  const processFile = function* (file: string, st: Stat, top: boolean): Gen<boolean> {
    yield CHOWN_PER_FILE_NS;
    let ok = true;
    const matchesFrom = (fromUid === -1 || fromUid === st.uid) && (fromGid === -1 || fromGid === st.gid);
    if (matchesFrom) {
      const link = isLnk(st.mode) && (noDeref || !top);
      const same = (spec.uid === -1 || spec.uid === st.uid) && (spec.gid === -1 || spec.gid === st.gid);
      const r = link ? yield* sys.lchown(file, spec.uid, spec.gid) : yield* sys.chown(file, spec.uid, spec.gid);
      let status: 'ok' | 'failed' | 'same' = same ? 'same' : 'ok';
      if (r instanceof SysError) {
        status = 'failed';
        ok = false;
        if (!silent) {
          yield* out.flush();
          yield* errOut(`${prog}: ${spec.user !== null ? 'changing ownership' : 'changing group'} of ${quoteaf(file)}: ${r.message}\n`);
        }
      }
      if (verbosity === 'high' || (verbosity === 'changes' && status === 'ok')) yield* describe(file, status, st);
    }
    if (recurse && isDir(st.mode)) {
      const names = yield* readDirNames(file);
      if (names instanceof SysError) {
        if (!silent) yield* errOut(`${prog}: cannot read directory ${quoteaf(file)}: ${names.message}\n`);
        return false;
      }
      for (const n of names) {
        if (n === '.' || n === '..') continue;
        const child = joinPath(file, n);
        const cs = yield* sys.lstat(child);
        if (cs instanceof SysError) {
          if (!silent) yield* errOut(`${prog}: cannot access ${quoteaf(child)}: ${cs.message}\n`);
          ok = false;
          continue;
        }
        if (!(yield* processFile(child, cs, false))) ok = false;
      }
    }
    return ok;
  };

  let ok = true;
  for (const file of ops) {
    const st = noDeref ? yield* sys.lstat(file) : yield* sys.stat(file);
    if (st instanceof SysError) {
      if (!silent) yield* errOut(`${prog}: cannot access ${quoteaf(file)}: ${st.message}\n`);
      ok = false;
      continue;
    }
    if (!(yield* processFile(file, st, true))) ok = false;
  }
  return (yield* out.flush()) || !ok ? 1 : 0;
}
