/**
 * chroot(8) from coreutils 9.1 and pivot_root(8) from util-linux 2.38.
 *
 *   chroot [--userspec=USER:GROUP] [--groups=G,...] [--skip-chdir] NEWROOT [COMMAND [ARG]...]
 *   pivot_root NEW_ROOT PUT_OLD
 *
 * chroot changes the root, then the working directory to the new "/" (unless
 * --skip-chdir), then runs COMMAND (default "$SHELL -i", else "/bin/sh -i"); it exits
 * 125 when it fails itself, 126/127 when the command cannot run. chroot(2) alone
 * does not move the working directory — the tool's chdir does (CHR-02).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { execvp, getenv } from '../../lib/exec.js';
import { quote } from '../../lib/gnu-quote.js';
import { UserDb } from '../../lib/passwd.js';
import { helpOrVersion } from './common.js';

const CHROOT_NS = 20_000;
/** coreutils' exit status when chroot itself fails. */
const EXIT_CANCELED = 125;

const CHROOT_USAGE = `Usage: chroot [OPTION] NEWROOT [COMMAND [ARG]...]
  or:  chroot OPTION
Run COMMAND with root directory set to NEWROOT.

      --groups=G_LIST        specify supplementary groups as g1,g2,..,gN
      --userspec=USER:GROUP  specify user and group (ID or name) to use
      --skip-chdir           do not change working directory to '/'
      --help        display this help and exit
      --version     output version information and exit

If no command is given, run '"$SHELL" -i' (default: '/bin/sh -i').
`;

export function* chrootMain({ argv, envp }: ProgramArgs): Program {
  yield CHROOT_NS;
  let parsed;
  try {
    parsed = getopt('chroot', argv.slice(1), [
      { long: 'userspec', arg: 'required' },
      { long: 'groups', arg: 'required' },
      { long: 'skip-chdir' },
      { long: 'help' },
      { long: 'version' },
    ], { stopAtOperand: true });
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\nTry 'chroot --help' for more information.\n`);
    return EXIT_CANCELED;
  }
  const v = parsed.values;
  const early = yield* helpOrVersion(v, CHROOT_USAGE, 'chroot (GNU coreutils) 9.1\n');
  if (early !== null) return early;
  const [newRoot, ...command] = parsed.operands;
  if (newRoot === undefined) {
    yield* errOut('chroot: missing operand\nTry \'chroot --help\' for more information.\n');
    return EXIT_CANCELED;
  }
  if (v.has('skip-chdir') && newRoot.replace(/\/+$/, '') !== '') {
    yield* errOut("chroot: option --skip-chdir only permitted if NEWROOT is old '/'\nTry 'chroot --help' for more information.\n");
    return EXIT_CANCELED;
  }
  // Names are looked up before the root changes (the new root may have no /etc/passwd).
  const db = yield* UserDb.load();
  const spec = typeof v.get('userspec') === 'string' ? (v.get('userspec') as string) : undefined;
  let uid = -1;
  let gid = -1;
  if (spec !== undefined) {
    // USER[:GROUP]; an empty USER leaves the UID alone, an empty GROUP takes USER's primary group.
    const [u, g = ''] = spec.split(':');
    if (u !== '') {
      uid = /^\d+$/.test(u) ? Number(u) : db.getpwnam(u)?.uid ?? -2;
      if (uid === -2) {
        yield* errOut('chroot: invalid user\n');
        return EXIT_CANCELED;
      }
    }
    gid = g === '' ? (uid >= 0 ? db.getpwuid(uid)?.gid ?? -1 : -1) : /^\d+$/.test(g) ? Number(g) : db.getgrnam(g)?.gid ?? -2;
    if (gid === -2) {
      yield* errOut('chroot: invalid group\n');
      return EXIT_CANCELED;
    }
  }
  const groupNames = typeof v.get('groups') === 'string' ? (v.get('groups') as string).split(',') : null;
  const groups: number[] = [];
  for (const name of groupNames ?? []) {
    const id = /^\d+$/.test(name) ? Number(name) : db.getgrnam(name)?.gid;
    if (id === undefined) {
      yield* errOut(`chroot: invalid group ${quote(name)}\n`);
      return EXIT_CANCELED;
    }
    groups.push(id);
  }
  const r = yield* sys.chroot(newRoot);
  if (r instanceof SysError) {
    yield* errOut(`chroot: cannot change root directory to ${quote(newRoot)}: ${r.message}\n`);
    return EXIT_CANCELED;
  }
  if (!v.has('skip-chdir')) {
    const c = yield* sys.chdir('/');
    if (c instanceof SysError) {
      yield* errOut(`chroot: cannot chdir to root directory: ${c.message}\n`);
      return EXIT_CANCELED;
    }
  }
  if (groupNames !== null) yield* sys.setgroups(groups);
  else if (uid >= 0) yield* sys.setgroups([]);
  if (gid >= 0 && (yield* sys.setgid(gid)) instanceof SysError) {
    yield* errOut(`chroot: failed to set group-ID\n`);
    return EXIT_CANCELED;
  }
  if (uid >= 0 && (yield* sys.setuid(uid)) instanceof SysError) {
    yield* errOut(`chroot: failed to set user-ID\n`);
    return EXIT_CANCELED;
  }
  const cmd = command.length > 0 ? command : [getenv(envp, 'SHELL') ?? '/bin/sh', '-i'];
  const e = yield* execvp(cmd[0], cmd, envp);
  yield* errOut(`chroot: failed to run command ${quote(cmd[0])}: ${e.message}\n`);
  return e.errno === 'ENOENT' ? 127 : 126;
}

const PIVOT_ROOT_USAGE = '\nUsage:\n pivot_root [options] new_root put_old\n\nChange the root filesystem.\n\nOptions:\n -h, --help     display this help\n -V, --version  display version\n\nFor more details see pivot_root(8).\n';

export function* pivotRootMain({ argv }: ProgramArgs): Program {
  yield CHROOT_NS;
  const args = argv.slice(1);
  const flag = new Map<string, string | true>();
  if (args[0] === '-h' || args[0] === '--help') flag.set('help', true);
  if (args[0] === '-V' || args[0] === '--version') flag.set('version', true);
  const early = yield* helpOrVersion(flag, PIVOT_ROOT_USAGE, 'pivot_root from util-linux 2.38.1\n');
  if (early !== null) return early;
  if (args.length !== 2) {
    yield* errOut('pivot_root: bad usage\nTry \'pivot_root --help\' for more information.\n');
    return 1;
  }
  const r = yield* sys.pivotRoot(args[0], args[1]);
  if (r instanceof SysError) {
    yield* errOut(`pivot_root: failed to change root from \`${args[0]}' to \`${args[1]}': ${r.message}\n`);
    return 1;
  }
  return 0;
}
