/**
 * unshare(1) from util-linux 2.38: run a program in new namespaces.
 *
 *   unshare [options] [program [arguments]]
 *
 * -m/--mount, -u/--uts, -i/--ipc, -n/--net, -p/--pid, -U/--user, -C/--cgroup ask for
 * new namespaces (one unshare(2) call); -f/--fork runs the program as a child (needed
 * for --pid: only children enter the new PID namespace, PID-03) and passes its status
 * on; --mount-proc[=DIR] mounts a proc for the new PID namespace in the child (and
 * implies --mount); -r/--map-root-user and -c/--map-current-user write the user
 * namespace's maps (after "deny" to setgroups); --propagation (default private for a
 * new mount namespace, MNT-03) changes / recursively; -R/--root chroots and
 * -w/--wd changes directory before running the program.
 *
 * Simplification: --time, --kill-child, --keep-caps, --map-user/--map-group with
 * ranges (newuidmap) and --mount=FILE bind targets are not offered.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE, MS_REC, MS_SHARED, MS_SLAVE } from '../../../kernel/syscalls/sys-mount.js';
import { UserDb } from '../../lib/passwd.js';
import { badIdOption, execCommand, forkAndWait, helpOrVersion, NS_KINDS, writeProcFile } from './common.js';

/** User CPU of unshare's own work — a design choice. */
const UNSHARE_NS = 40_000;
const PROG = 'unshare';

const USAGE = `
Usage:
 unshare [options] [<program> [<argument>...]]

Run a program with some namespaces unshared from the parent.

Options:
 -m, --mount[=<file>]      unshare mounts namespace
 -u, --uts[=<file>]        unshare UTS namespace (hostname etc)
 -i, --ipc[=<file>]        unshare System V IPC namespace
 -n, --net[=<file>]        unshare network namespace
 -p, --pid[=<file>]        unshare pid namespace
 -U, --user[=<file>]       unshare user namespace
 -C, --cgroup[=<file>]     unshare cgroup namespace
 -T, --time[=<file>]       unshare time namespace

 -f, --fork                fork before launching <program>
 --map-user=<uid>|<name>   map current user to uid (implies --user)
 --map-group=<gid>|<name>  map current group to gid (implies --user)
 -r, --map-root-user       map current user to root (implies --user)
 -c, --map-current-user    map current user to itself (implies --user)

 --kill-child[=<signame>]  when dying, kill the forked child (implies --fork)
                             defaults to SIGKILL
 --mount-proc[=<dir>]      mount proc filesystem first (implies --mount)
 --propagation slave|shared|private|unchanged
                           modify mount propagation in mount namespace
 --setgroups allow|deny    control the setgroups syscall in user namespaces
 --keep-caps               retain capabilities granted in user namespaces

 -R, --root=<dir>          run the command with root directory set to <dir>
 -w, --wd=<dir>            change working directory to <dir>
 -S, --setuid <uid>        set uid in entered namespace
 -G, --setgid <gid>        set gid in entered namespace
 --monotonic <offset>      set clock monotonic offset (seconds) in time namespaces
 --boottime <offset>       set clock boottime offset (seconds) in time namespaces

 -h, --help                display this help
 -V, --version             display version

For more details see unshare(1).
`;

const PROPAGATION: Record<string, number> = { slave: MS_REC | MS_SLAVE, shared: MS_REC | MS_SHARED, private: MS_REC | MS_PRIVATE, unchanged: 0 };

export function* unshareMain({ argv, envp }: ProgramArgs): Program {
  yield UNSHARE_NS;
  let parsed;
  try {
    parsed = getopt(PROG, argv.slice(1), [
      // The short letters take no argument; only the long names may name a file (--mount=FILE).
      ...(['mount:m', 'uts:u', 'ipc:i', 'net:n', 'pid:p', 'user:U', 'cgroup:C', 'time:T'] as const).flatMap((x) => {
        const [long, short] = x.split(':');
        return [{ short, key: long }, { long, arg: 'optional' as const }];
      }),
      { short: 'f', long: 'fork' },
      { short: 'r', long: 'map-root-user' },
      { short: 'c', long: 'map-current-user' },
      { long: 'map-user', arg: 'required' },
      { long: 'map-group', arg: 'required' },
      { long: 'mount-proc', arg: 'optional' },
      { long: 'propagation', arg: 'required' },
      { long: 'setgroups', arg: 'required' },
      { short: 'R', long: 'root', arg: 'required' },
      { short: 'w', long: 'wd', arg: 'required' },
      { short: 'S', long: 'setuid', arg: 'required' },
      { short: 'G', long: 'setgid', arg: 'required' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ], { stopAtOperand: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'unshare --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, USAGE, 'unshare from util-linux 2.38.1\n');
  if (early !== null) return early;
  if (v.has('time')) {
    yield* errOut(`${PROG}: unshare failed: Invalid argument\n`);
    return 1;
  }
  let flags = 0;
  for (const key of ['mount', 'uts', 'ipc', 'net', 'pid', 'user', 'cgroup']) if (v.has(key)) flags |= NS_KINDS[key === 'mount' ? 'mnt' : key].flag;
  const mapRoot = v.has('map-root-user');
  const mapCurrent = v.has('map-current-user');
  const mapUser = v.get('map-user');
  const mapGroup = v.get('map-group');
  if (mapRoot || mapCurrent || mapUser !== undefined || mapGroup !== undefined) flags |= NS_KINDS.user.flag;
  const procDir = v.get('mount-proc');
  if (procDir !== undefined) flags |= NS_KINDS.mnt.flag;
  const propName = v.get('propagation');
  let propagation = flags & NS_KINDS.mnt.flag ? PROPAGATION.private : 0;
  if (typeof propName === 'string') {
    if (!(propName in PROPAGATION)) {
      yield* errOut(`${PROG}: unsupported propagation mode: ${propName}\n`);
      return 1;
    }
    // Only a new mount namespace's propagation is changed.
    if (flags & NS_KINDS.mnt.flag) propagation = PROPAGATION[propName];
  }
  const setgroups = v.get('setgroups');
  if (typeof setgroups === 'string' && setgroups !== 'allow' && setgroups !== 'deny') {
    yield* errOut(`${PROG}: unsupported --setgroups argument '${setgroups}'\n`);
    return 1;
  }

  if (yield* badIdOption(PROG, v)) return 1;
  if (setgroups === 'allow' && (mapRoot || mapCurrent || mapGroup !== undefined)) {
    yield* errOut(`${PROG}: options --setgroups=allow and --map-group are mutually exclusive\n`);
    return 1;
  }
  // --map-user/--map-group take a name or a number.
  const db = yield* UserDb.load();
  const mapUid = typeof mapUser === 'string' ? (/^\d+$/.test(mapUser) ? Number(mapUser) : db.getpwnam(mapUser)?.uid) : undefined;
  const mapGid = typeof mapGroup === 'string' ? (/^\d+$/.test(mapGroup) ? Number(mapGroup) : db.getgrnam(mapGroup)?.gid) : undefined;
  if (typeof mapUser === 'string' && mapUid === undefined) {
    yield* errOut(`${PROG}: failed to parse uid: '${mapUser}'\n`);
    return 1;
  }
  if (typeof mapGroup === 'string' && mapGid === undefined) {
    yield* errOut(`${PROG}: failed to parse gid: '${mapGroup}'\n`);
    return 1;
  }
  const euid = yield* sys.geteuid();
  const egid = yield* sys.getegid();
  const r = yield* sys.unshare(flags);
  if (r instanceof SysError) {
    yield* errOut(`${PROG}: unshare failed: ${r.message}\n`);
    return 1;
  }

  // The user namespace's maps, written by the process itself (setgroups "deny" first).
  if (flags & NS_KINDS.user.flag && !(euid instanceof SysError) && !(egid instanceof SysError)) {
    const uid = mapRoot ? 0 : mapCurrent ? euid : mapUid ?? null;
    const gid = mapRoot ? 0 : mapCurrent ? egid : mapGid ?? null;
    if (typeof setgroups === 'string' || gid !== null) {
      const e = yield* writeProcFile('/proc/self/setgroups', gid !== null ? 'deny' : (setgroups as string));
      if (e && setgroups !== undefined) {
        yield* errOut(`${PROG}: write failed /proc/self/setgroups: ${e.message}\n`);
        return 1;
      }
    }
    if (uid !== null) {
      const e = yield* writeProcFile('/proc/self/uid_map', `${uid} ${euid} 1`);
      if (e) {
        yield* errOut(`${PROG}: write failed /proc/self/uid_map: ${e.message}\n`);
        return 1;
      }
    }
    if (gid !== null) {
      const e = yield* writeProcFile('/proc/self/gid_map', `${gid} ${egid} 1`);
      if (e) {
        yield* errOut(`${PROG}: write failed /proc/self/gid_map: ${e.message}\n`);
        return 1;
      }
    }
  }

  if (propagation !== 0) {
    const e = yield* sys.mount('none', '/', '', propagation);
    if (e instanceof SysError) {
      yield* errOut(`${PROG}: cannot change root filesystem propagation: ${e.message}\n`);
      return 1;
    }
  }

  const rest = function* (): Generator<import('../../../kernel/proc/program.js').Op, number, unknown> {
    if (typeof procDir !== 'undefined') {
      const dir = typeof procDir === 'string' ? procDir : '/proc';
      yield* sys.mount('none', dir, '', MS_PRIVATE | MS_REC);
      const e = yield* sys.mount('proc', dir, 'proc', MS_NOSUID | MS_NOEXEC | MS_NODEV);
      if (e instanceof SysError) {
        yield* errOut(`${PROG}: mount ${dir} failed: ${e.message}\n`);
        return 1;
      }
    }
    const root = v.get('root');
    if (typeof root === 'string') {
      const e = yield* sys.chroot(root);
      if (e instanceof SysError) {
        yield* errOut(`${PROG}: cannot change root directory to '${root}': ${e.message}\n`);
        return 1;
      }
      yield* sys.chdir('/');
    }
    const wd = v.get('wd');
    if (typeof wd === 'string') {
      const e = yield* sys.chdir(wd);
      if (e instanceof SysError) {
        yield* errOut(`${PROG}: cannot chdir to '${wd}': ${e.message}\n`);
        return 1;
      }
    }
    const setgid = v.get('setgid');
    if (typeof setgid === 'string') {
      yield* sys.setgroups([]);
      const e = yield* sys.setgid(Number(setgid));
      if (e instanceof SysError) {
        yield* errOut(`${PROG}: setgid failed: ${e.message}\n`);
        return 1;
      }
    }
    const setuid = v.get('setuid');
    if (typeof setuid === 'string') {
      const e = yield* sys.setuid(Number(setuid));
      if (e instanceof SysError) {
        yield* errOut(`${PROG}: setuid failed: ${e.message}\n`);
        return 1;
      }
    }
    return yield* execCommand(PROG, parsed.operands, envp);
  };

  if (v.has('fork')) {
    const status = yield* forkAndWait(PROG, rest, true);
    return status ?? 1;
  }
  return yield* rest();
}
