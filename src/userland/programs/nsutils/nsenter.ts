/**
 * nsenter(1) from util-linux 2.38: run a program in the namespaces of another
 * process (or of namespace files, e.g. bind mounts of /proc/PID/ns/*).
 *
 *   nsenter [-t PID] [-m -u -i -n -p -U -C [=FILE]] [-a] [-S UID] [-G GID] [-r[DIR]] [-w[DIR]] [-F] [program]
 *
 * Every namespace file is opened first, then joined with setns(2) — the user
 * namespace first, so that its capabilities allow the rest; with --all only the
 * namespaces that differ from nsenter's own. Joining a PID namespace changes where
 * children go, so nsenter forks (unless -F) and passes the child's status on.
 * Entering a user namespace sets the UID and GID to 0 there (or -S/-G) unless
 * --preserve-credentials.
 */
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { O_DIRECTORY, O_RDONLY } from '../../../kernel/vfs/types.js';
import { badIdOption, execCommand, forkAndWait, helpOrVersion, NS_KINDS } from './common.js';

type Gen<T> = Generator<Op, T, unknown>;

const NSENTER_NS = 40_000;
const PROG = 'nsenter';
/** The order nsenter joins namespaces in (its namespace_files table). */
const ORDER = ['user', 'cgroup', 'ipc', 'uts', 'net', 'pid', 'mnt', 'time'];
const OPT_OF: Record<string, string> = { user: 'user', cgroup: 'cgroup', ipc: 'ipc', uts: 'uts', net: 'net', pid: 'pid', mnt: 'mount', time: 'time' };

const USAGE = `
Usage:
 nsenter [options] [<program> [<argument>...]]

Run a program with namespaces of other processes.

Options:
 -a, --all              enter all namespaces
 -t, --target <pid>     target process to get namespaces from
 -m, --mount[=<file>]   enter mount namespace
 -u, --uts[=<file>]     enter UTS namespace (hostname etc)
 -i, --ipc[=<file>]     enter System V IPC namespace
 -n, --net[=<file>]     enter network namespace
 -p, --pid[=<file>]     enter pid namespace
 -C, --cgroup[=<file>]  enter cgroup namespace
 -U, --user[=<file>]    enter user namespace
 -T, --time[=<file>]    enter time namespace
 -S, --setuid <uid>     set uid in entered namespace
 -G, --setgid <gid>     set gid in entered namespace
     --preserve-credentials do not touch uids or gids
 -r, --root[=<dir>]     set the root directory
 -w, --wd[=<dir>]       set the working directory
 -W. --wdns <dir>       set the working directory in namespace
 -F, --no-fork          do not fork before exec'ing <program>
 -Z, --follow-context   set SELinux context according to --target PID

 -h, --help             display this help
 -V, --version          display version

For more details see nsenter(1).
`;

/** Opens `path` read-only, reporting failure as nsenter does. */
function* openOrFail(path: string, flags = O_RDONLY): Gen<number | null> {
  const fd = yield* sys.open(path, flags);
  if (fd instanceof SysError) {
    yield* errOut(`${PROG}: cannot open ${path}: ${fd.message}\n`);
    return null;
  }
  return fd;
}

export function* nsenterMain({ argv, envp }: ProgramArgs): Program {
  yield NSENTER_NS;
  let parsed;
  try {
    parsed = getopt(PROG, argv.slice(1), [
      { short: 'a', long: 'all' },
      { short: 't', long: 'target', arg: 'required' },
      { short: 'm', long: 'mount', arg: 'optional' },
      { short: 'u', long: 'uts', arg: 'optional' },
      { short: 'i', long: 'ipc', arg: 'optional' },
      { short: 'n', long: 'net', arg: 'optional' },
      { short: 'p', long: 'pid', arg: 'optional' },
      { short: 'C', long: 'cgroup', arg: 'optional' },
      { short: 'U', long: 'user', arg: 'optional' },
      { short: 'T', long: 'time', arg: 'optional' },
      { short: 'S', long: 'setuid', arg: 'required' },
      { short: 'G', long: 'setgid', arg: 'required' },
      { long: 'preserve-credentials' },
      { short: 'r', long: 'root', arg: 'optional' },
      { short: 'w', long: 'wd', arg: 'optional' },
      { short: 'F', long: 'no-fork' },
      { short: 'h', long: 'help' },
      { short: 'V', long: 'version' },
    ], { stopAtOperand: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'nsenter --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, USAGE, 'nsenter from util-linux 2.38.1\n');
  if (early !== null) return early;
  const targetArg = v.get('target');
  let target = 0;
  if (typeof targetArg === 'string') {
    target = Number(targetArg);
    if (!/^\d+$/.test(targetArg)) {
      yield* errOut(`${PROG}: failed to parse pid: '${targetArg}'\n`);
      return 1;
    }
  }
  const all = v.has('all');
  if (all && !target) {
    yield* errOut(`${PROG}: no target PID specified for --all\n`);
    return 1;
  }
  if (yield* badIdOption(PROG, v)) return 1;
  // Which namespaces, and from which file.
  const wanted: { kind: string; path: string }[] = [];
  for (const kind of ORDER) {
    const o = v.get(OPT_OF[kind]);
    if (o === undefined && !all) continue;
    let path: string;
    if (typeof o === 'string') path = o;
    else if (target) path = `/proc/${target}/ns/${NS_KINDS[kind].file}`;
    else {
      yield* errOut(`${PROG}: neither filename nor target pid supplied for ns/${NS_KINDS[kind].file}\n`);
      return 1;
    }
    wanted.push({ kind, path });
  }
  if (all) {
    // --all: only what differs from our own namespaces (a user namespace cannot be re-entered).
    const kept: typeof wanted = [];
    for (const w of wanted) {
      if (v.get(OPT_OF[w.kind]) !== undefined) {
        kept.push(w);
        continue;
      }
      const mine = yield* sys.readlink(`/proc/self/ns/${NS_KINDS[w.kind].file}`);
      const theirs = yield* sys.readlink(w.path);
      if (theirs instanceof SysError) continue;
      if (mine instanceof SysError || mine !== theirs) kept.push(w);
    }
    wanted.splice(0, wanted.length, ...kept);
  }
  const fds: { kind: string; path: string; fd: number }[] = [];
  for (const w of wanted) {
    const fd = yield* openOrFail(w.path);
    if (fd === null) return 1;
    fds.push({ ...w, fd });
  }
  // -r / -w without a directory take the target's root and cwd, opened before moving.
  const rootArg = v.get('root');
  const wdArg = v.get('wd');
  let rootFd: number | null = null;
  let wdFd: number | null = null;
  if (rootArg !== undefined) {
    rootFd = yield* openOrFail(typeof rootArg === 'string' ? rootArg : `/proc/${target}/root`, O_RDONLY | O_DIRECTORY);
    if (rootFd === null) return 1;
  }
  if (wdArg !== undefined) {
    wdFd = yield* openOrFail(typeof wdArg === 'string' ? wdArg : `/proc/${target}/cwd`, O_RDONLY | O_DIRECTORY);
    if (wdFd === null) return 1;
  }
  for (const f of fds) {
    const r = yield* sys.setns(f.fd, NS_KINDS[f.kind].flag);
    if (r instanceof SysError) {
      yield* errOut(`${PROG}: reassociate to namespace 'ns/${NS_KINDS[f.kind].file}' failed: ${r.message}\n`);
      return 1;
    }
    yield* sys.close(f.fd);
  }
  if (rootFd !== null) {
    yield* sys.fchdir(rootFd);
    const r = yield* sys.chroot('.');
    if (r instanceof SysError) {
      yield* errOut(`${PROG}: chroot failed: ${r.message}\n`);
      return 1;
    }
    yield* sys.close(rootFd);
  }
  if (wdFd !== null) {
    yield* sys.fchdir(wdFd);
    yield* sys.close(wdFd);
  }
  // Entering a user namespace sets root there unless --preserve-credentials; -S/-G apply in any case.
  const enteredUser = fds.some((f) => f.kind === 'user') && !v.has('preserve-credentials');
  if (enteredUser || v.has('setgid')) {
    yield* sys.setgroups([]);
    const g = yield* sys.setgid(Number(v.get('setgid') ?? 0));
    if (g instanceof SysError) {
      yield* errOut(`${PROG}: setgid failed: ${g.message}\n`);
      return 1;
    }
  }
  if (enteredUser || v.has('setuid')) {
    const u = yield* sys.setuid(Number(v.get('setuid') ?? 0));
    if (u instanceof SysError) {
      yield* errOut(`${PROG}: setuid failed: ${u.message}\n`);
      return 1;
    }
  }
  const command = parsed.operands;
  if (fds.some((f) => f.kind === 'pid') && !v.has('no-fork')) {
    return (yield* forkAndWait(PROG, () => execCommand(PROG, command, envp))) ?? 1;
  }
  return yield* execCommand(PROG, command, envp);
}
