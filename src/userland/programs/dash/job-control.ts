/**
 * Job control's hold on the terminal (dash(1) -m; POSIX XCU 2.11): finding the
 * controlling terminal and taking its foreground for the shell's own process group,
 * at start-up (-m, or interactive) and when `set -m` turns it on later.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG } from '../../../kernel/proc/signals.js';
import { F_DUPFD_CLOEXEC, O_RDWR } from '../../../kernel/vfs/types.js';
import { TCGETS, TIOCGPGRP, TIOCSPGRP } from '../../../kernel/syscalls/abi.js';
import type { Shell, Gen } from './shell.js';
import { setsignal } from './trap.js';

/** True when `fd` is a terminal (TCGETS succeeds). */
export function* isatty(fd: number): Gen<boolean> {
  const r = yield* sys.ioctl(fd, TCGETS);
  return !(r instanceof SysError);
}

/**
 * The descriptor of the shell's controlling terminal: /dev/tty, else whichever of
 * standard error, output and input is a terminal, moved to 10 or above and marked
 * close-on-exec (the shell's private copy). -1 if there is none.
 */
function* terminalFd(): Gen<number> {
  let fd = yield* sys.open('/dev/tty', O_RDWR);
  const opened = !(fd instanceof SysError);
  if (fd instanceof SysError) {
    fd = -1;
    for (const std of [2, 1, 0]) {
      if (yield* isatty(std)) {
        fd = std;
        break;
      }
    }
    if (fd < 0) return -1;
  }
  const copy = yield* sys.fcntl(fd, F_DUPFD_CLOEXEC, 10);
  if (opened) yield* sys.close(fd);
  return copy instanceof SysError ? -1 : copy;
}

/**
 * Turns job control on (dash(1) -m; POSIX XCU 2.11 job control): finds the
 * terminal, waits until the shell's process group is in its foreground (stopping
 * itself with SIGTTIN meanwhile, as a background job would be), ignores the
 * job-control stop signals itself, and makes a process group of its own
 * that owns the terminal. False (job control stays off) when there is no terminal.
 */
export function* setjobctl(sh: Shell): Gen<boolean> {
  const fd = yield* terminalFd();
  if (fd < 0) return false;
  let foreground: number;
  for (;;) {
    const owner = yield* sys.ioctl(fd, TIOCGPGRP);
    if (owner instanceof SysError || typeof owner !== 'number') {
      yield* sys.close(fd);
      return false;
    }
    const mine = yield* sys.getpgrp();
    if (mine instanceof SysError) {
      yield* sys.close(fd);
      return false;
    }
    if (owner === mine) {
      foreground = owner;
      break;
    }
    yield* sys.kill(0, SIG.SIGTTIN);
  }
  sh.initialPgrp = foreground;
  sh.ttyFd = fd;
  sh.jobctl = true;
  for (const sig of [SIG.SIGTSTP, SIG.SIGTTOU, SIG.SIGTTIN]) yield* setsignal(sh, sig);
  yield* sys.setpgid(0, sh.pid);
  yield* sys.ioctl(fd, TIOCSPGRP, sh.pid);
  return true;
}
