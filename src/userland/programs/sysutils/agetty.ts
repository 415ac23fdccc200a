/**
 * agetty(8) from util-linux 2.38 with --autologin, as systemd's serial-getty@ttyS0
 * runs it on a VM's serial console: it opens the line (PORT under /dev, or "-" for
 * standard input) as its controlling terminal and standard streams, prints
 * /etc/issue (escapes \n node name, \l line, \s system, \r release, \v version,
 * \m machine) and "HOST login: USER (automatic login)", then logs the user in as
 * login(1) -f would: supplementary groups, gid, uid, home directory, /etc/motd after
 * a `uname -snrvm` line (Debian's update-motd), and the user's shell as a login
 * shell ("-sh") with HOME, SHELL, USER, LOGNAME, PATH, MAIL and TERM set.
 *
 * Options: -a/--autologin USER, --noclear (otherwise the screen is cleared first),
 * -N/--nonewline, -i/--noissue, and accepted without effect -8, -L, -h, -J, -s
 * (--keep-baud), -o STRING; operands PORT [BAUD_RATE,…] [TERM] (a baud list may come
 * first); TERM defaults to vt102, agetty's default for serial lines.
 *
 * Simplification: --autologin is required — there is no login(1) or password
 * database to prompt against, so agetty runs the user's session itself.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_NOCTTY, O_RDWR } from '../../../kernel/vfs/types.js';
import { TIOCSCTTY, type Utsname } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, out, readFile } from '../../lib/io.js';
import { UserDb } from '../../lib/passwd.js';
import { parseOptions } from './gnu-style.js';

/** User CPU of agetty — a design choice. */
const AGETTY_NS = 50_000;
/** login's PATH for root and for others (Debian's /etc/login.defs ENV_SUPATH, ENV_PATH). */
const SUPATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const USERPATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games';
/** termio_clear: reset the scroll region, home the cursor, clear the screen. */
const CLEAR = '\x1b[r\x1b[H\x1b[J';

/** /etc/issue with agetty's escapes expanded. */
function expandIssue(text: string, u: Utsname, line: string): string {
  return text.replace(/\\(.)/g, (_m, c: string) => {
    switch (c) {
      case 'n':
        return u.nodename;
      case 'l':
        return line;
      case 's':
        return u.sysname;
      case 'r':
        return u.release;
      case 'v':
        return u.version;
      case 'm':
        return u.machine;
      default:
        return c;
    }
  });
}

export function* agettyMain({ argv }: ProgramArgs): Program {
  const prog = 'agetty';
  yield AGETTY_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a', long: 'autologin', arg: 'required' },
    { long: 'noclear' },
    { short: 'N', long: 'nonewline' },
    { short: 'i', long: 'noissue' },
    { short: '8', long: '8bits' },
    { short: 'L', long: 'local-line', arg: 'optional' },
    { short: 'h', long: 'flow-control' },
    { short: 'J' },
    { short: 's', long: 'keep-baud' },
    { short: 'o', long: 'login-options', arg: 'required' },
  ]);
  if (!parsed) return 1;
  const operands = [...parsed.operands];
  // Old style: the baud rates first.
  if (operands.length > 1 && /^\d/.test(operands[0])) operands.splice(0, 2, operands[1], operands[0]);
  const port = operands[0];
  if (port === undefined) {
    yield* errOut(`${prog}: not enough arguments\nTry '${prog} --help' for more information.\n`);
    return 1;
  }
  const term = operands.find((o, i) => i > 0 && !/^\d[\d,]*$/.test(o)) ?? 'vt102';
  const user = parsed.values.get('autologin');
  if (typeof user !== 'string') {
    yield* errOut(`${prog}: ctsim's agetty needs --autologin USER (there is no login(1) to ask for a name and password)\n`);
    return 1;
  }
  let line = port;
  if (port !== '-') {
    line = port.replace(/^\/dev\//, '');
    const path = `/dev/${line}`;
    const pid = yield* sys.getpid();
    if ((yield* sys.getsid(0)) !== pid) yield* sys.setsid();
    const fd = yield* sys.open(path, O_RDWR | O_NOCTTY);
    if (fd instanceof SysError) {
      yield* errOut(`${prog}: ${path}: cannot open as standard input: ${fd.message}\n`);
      return 1;
    }
    if ((yield* sys.ioctl(fd, TIOCSCTTY, 1)) instanceof SysError) yield* errOut(`${prog}: ${path}: cannot get controlling tty: Operation not permitted\n`);
    for (const std of [0, 1, 2]) if (std !== fd) yield* sys.dup2(fd, std);
    if (fd > 2) yield* sys.close(fd);
  }
  const u = yield* sys.uname();
  if (u instanceof SysError) return 1;
  let banner = parsed.values.has('noclear') ? '' : CLEAR;
  if (!parsed.values.has('nonewline')) banner += '\n';
  if (!parsed.values.has('noissue')) {
    const issue = yield* readFile('/etc/issue');
    if (!(issue instanceof SysError)) banner += expandIssue(issue, u, line);
  }
  yield* out(`${banner}${u.nodename} login: ${user} (automatic login)\n`);
  return yield* login(user, term, u);
}

/** What login -f USER does once agetty has the name: credentials, home, motd, the shell. */
function* login(user: string, term: string, u: Utsname): Program {
  const db = yield* UserDb.load();
  const pw = db.getpwnam(user);
  if (!pw) {
    yield* errOut(`login: user ${user} does not exist\n`);
    return 1;
  }
  const ids = [sys.setgroups(db.groupList(pw.name, pw.gid)), sys.setgid(pw.gid), sys.setuid(pw.uid)];
  for (const call of ids) {
    const r = yield* call;
    if (r instanceof SysError) {
      yield* errOut(`login: cannot set the credentials of ${user}: ${r.message}\n`);
      return 1;
    }
  }
  let home = pw.dir;
  if ((yield* sys.chdir(home)) instanceof SysError) {
    yield* out('No directory, logging in with HOME=/\n');
    home = '/';
    yield* sys.chdir('/');
  }
  const motd = yield* readFile('/etc/motd');
  yield* out(`\n${u.sysname} ${u.nodename} ${u.release} ${u.version} ${u.machine}\n${motd instanceof SysError ? '' : motd}`);
  const shell = pw.shell === '' ? '/bin/sh' : pw.shell;
  const env = [`HOME=${home}`, `SHELL=${shell}`, `USER=${pw.name}`, `LOGNAME=${pw.name}`, `PATH=${pw.uid === 0 ? SUPATH : USERPATH}`, `MAIL=/var/mail/${pw.name}`, `TERM=${term}`];
  const r = yield* sys.execve(shell, [`-${shell.slice(shell.lastIndexOf('/') + 1)}`], env);
  yield* errOut(`login: ${shell}: ${r instanceof SysError ? r.message : 'cannot execute'}\n`);
  return 1;
}
