/**
 * timeout(1) from GNU coreutils 9.1: runs COMMAND and sends it a signal (TERM, or
 * -s SIGNAL) if it is still running after DURATION; -k also sends KILL that long
 * after. Behaviour learned from timeout(1) and the real tool on Debian 12:
 *
 *  - timeout makes its own process group (unless --foreground) and signals the whole
 *    group, so the command's children go too; it ignores the signal itself while
 *    doing so — except KILL, which ends timeout as well (status 137).
 *  - TERM, INT, HUP and QUIT sent to timeout are passed on the same way.
 *  - Exit: 124 when the command timed out (unless --preserve-status), 125 for
 *    timeout's own errors, 126/127 when the command cannot run or is not found,
 *    else the command's status. A command killed by a signal that timeout did not
 *    send makes timeout kill itself with that signal, so the shell sees 128 + N.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG, parseSignal, signalName } from '../../../kernel/proc/signals.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import { ITIMER_REAL, SIG_UNBLOCK } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, out } from '../../lib/io.js';
import { execvp } from '../../lib/exec.js';
import { getopt, GetoptError } from '../../lib/getopt.js';
import { NS_PER_SEC, parseInterval } from '../../lib/time.js';
import { quote } from './gnu-style.js';
import type { Gen } from './gnu-style.js';

/** User CPU of timeout's own work, ns: a design choice. */
const TIMEOUT_NS = 30_000;
const EXIT_TIMEDOUT = 124;
const EXIT_CANCELED = 125;
const PROG = 'timeout';
const TRY = `Try '${PROG} --help' for more information.\n`;

/** The signals timeout catches: its timer, and the ones it passes on to the command. */
const CAUGHT = [SIG.SIGALRM, SIG.SIGINT, SIG.SIGQUIT, SIG.SIGHUP, SIG.SIGTERM];

const HELP =
  'Usage: timeout [OPTION] DURATION COMMAND [ARG]...\n  or:  timeout [OPTION]\n' +
  'Start COMMAND, and kill it if still running after DURATION.\n\n' +
  'Mandatory arguments to long options are mandatory for short options too.\n' +
  '      --preserve-status\n                 exit with the same status as COMMAND, even when the\n                   command times out\n' +
  '      --foreground\n                 when not running timeout directly from a shell prompt,\n' +
  '                   allow COMMAND to read from the TTY and get TTY signals;\n' +
  '                   in this mode, children of COMMAND will not be timed out\n' +
  '  -k, --kill-after=DURATION\n                 also send a KILL signal if COMMAND is still running\n' +
  '                   this long after the initial signal was sent\n' +
  "  -s, --signal=SIGNAL\n                 specify the signal to be sent on timeout;\n                   SIGNAL may be a name like 'HUP' or a number;\n" +
  "                   see 'kill -l' for a list of signals\n" +
  '  -v, --verbose  diagnose to stderr any signal sent upon timeout\n' +
  '      --help        display this help and exit\n      --version     output version information and exit\n\n' +
  'DURATION is a floating point number with an optional suffix:\n' +
  "'s' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days.\n" +
  'A duration of 0 disables the associated timeout.\n\n' +
  'Upon timeout, send the TERM signal to COMMAND, if no other SIGNAL specified.\n' +
  'The TERM signal kills any process that does not block or catch that signal.\n' +
  "It may be necessary to use the KILL signal, since this signal can't be caught.\n\n" +
  'EXIT status:\n' +
  '  124  if COMMAND times out, and --preserve-status is not specified\n' +
  '  125  if the timeout command itself fails\n' +
  '  126  if COMMAND is found but cannot be invoked\n' +
  '  127  if COMMAND cannot be found\n' +
  '  137  if COMMAND (or timeout itself) is sent the KILL (9) signal (128+9)\n' +
  '  -    the exit status of COMMAND otherwise\n\n' +
  'GNU coreutils online help: <https://www.gnu.org/software/coreutils/>\n' +
  'Report any translation bugs to <https://translationproject.org/team/>\n' +
  'Full documentation <https://www.gnu.org/software/coreutils/timeout>\n' +
  "or available locally via: info '(coreutils) timeout invocation'\n";

const VERSION =
  'timeout (GNU coreutils) 9.1\nCopyright (C) 2022 Free Software Foundation, Inc.\n' +
  'License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n' +
  'This is free software: you are free to change and redistribute it.\n' +
  'There is NO WARRANTY, to the extent permitted by law.\n\nWritten by Padraig Brady.\n';

interface TimeoutOptions {
  durationSec: number;
  killAfterSec: number;
  signal: number;
  foreground: boolean;
  preserveStatus: boolean;
  verbose: boolean;
  command: string[];
}

/** Reads the command line; a number is the exit status of a refusal (or of --help). */
function* parseCommandLine(argv: readonly string[]): Gen<TimeoutOptions | number> {
  let parsed;
  try {
    parsed = getopt(
      PROG,
      argv.slice(1),
      [
        { short: 'k', long: 'kill-after', arg: 'required' },
        { short: 's', long: 'signal', arg: 'required' },
        { short: 'v', long: 'verbose' },
        { long: 'foreground' },
        { long: 'preserve-status' },
        { long: 'help' },
        { long: 'version' },
      ],
      { stopAtOperand: true },
    );
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${TRY}`);
    return EXIT_CANCELED;
  }
  const o: TimeoutOptions = { durationSec: 0, killAfterSec: 0, signal: SIG.SIGTERM, foreground: false, preserveStatus: false, verbose: false, command: [] };
  for (const [key, value] of parsed.list) {
    if (key === 'help') {
      yield* out(HELP);
      return 0;
    }
    if (key === 'version') {
      yield* out(VERSION);
      return 0;
    }
    if (key === 'kill-after') {
      const s = parseInterval(value as string);
      if (s === null) return yield* refuse(`invalid time interval ${quote(value as string)}`);
      o.killAfterSec = s;
    } else if (key === 'signal') {
      const sig = parseSignal(value as string);
      if (sig === null) return yield* refuse(`${quote(value as string)}: invalid signal`);
      o.signal = sig;
    } else if (key === 'verbose') o.verbose = true;
    else if (key === 'foreground') o.foreground = true;
    else if (key === 'preserve-status') o.preserveStatus = true;
  }
  if (parsed.operands.length < 2) return yield* refuse(null);
  const duration = parseInterval(parsed.operands[0]);
  if (duration === null) return yield* refuse(`invalid time interval ${quote(parsed.operands[0])}`);
  o.durationSec = duration;
  o.command = parsed.operands.slice(1);
  return o;
}

function* refuse(message: string | null): Gen<number> {
  yield* errOut((message === null ? '' : `${PROG}: ${message}\n`) + TRY);
  return EXIT_CANCELED;
}

/** Arms the real-time timer for `seconds` (0 or infinite: no timer). */
function* armTimer(seconds: number): Gen<void> {
  if (seconds > 0 && Number.isFinite(seconds)) yield* sys.setitimer(ITIMER_REAL, { valueNs: Math.ceil(seconds * NS_PER_SEC), intervalNs: 0 });
}

export function* timeoutMain({ argv, envp }: ProgramArgs): Program {
  yield TIMEOUT_NS;
  const o = yield* parseCommandLine(argv);
  if (typeof o === 'number') return o;

  // Our own process group, so that the signal reaches the command's children too.
  if (!o.foreground) yield* sys.setpgid(0, 0);
  const received: number[] = [];
  for (const sig of new Set([...CAUGHT, o.signal])) {
    if (sig === SIG.SIGKILL || sig === SIG.SIGSTOP) continue;
    yield* sys.sigaction(sig, {
      handler: function* (s: number): Program {
        received.push(s);
        return 0;
      },
    });
  }

  // execve(2) resets the caught signals to their defaults in the command.
  const child = yield* sys.fork(function* (): Program {
    const e = yield* execvp(o.command[0], o.command, envp);
    yield* errOut(`${PROG}: failed to run command ${quote(o.command[0])}: ${e.message}\n`);
    return e.errno === 'ENOENT' ? 127 : 126;
  });
  if (child instanceof SysError) {
    yield* errOut(`${PROG}: fork system call failed: ${child.message}\n`);
    return EXIT_CANCELED;
  }
  yield* armTimer(o.durationSec);

  let timedOut = false;
  let signal = o.signal;
  let killAfterSec = o.killAfterSec;
  for (;;) {
    // Signals first: the timer may already have fired before the first wait.
    while (received.length > 0) {
      let sig = received.shift()!;
      if (sig === SIG.SIGALRM) {
        timedOut = true;
        sig = signal;
      }
      yield* sendSignal(child, sig, o);
      if (killAfterSec > 0) {
        // The next expiry sends KILL.
        signal = SIG.SIGKILL;
        yield* armTimer(killAfterSec);
        killAfterSec = 0;
      }
    }
    const r = yield* sys.wait4(child);
    if (!(r instanceof SysError)) return yield* finish(r.status, timedOut, o.preserveStatus);
    if (r.errno !== 'EINTR') {
      yield* errOut(`${PROG}: error waiting for command: ${r.message}\n`);
      return EXIT_CANCELED;
    }
  }
}

/** Sends `sig` to the command (and, without --foreground, to the whole group, timeout excepted unless it is KILL). */
function* sendSignal(child: number, sig: number, o: TimeoutOptions): Gen<void> {
  if (o.verbose) yield* errOut(`${PROG}: sending signal ${sig === 0 ? 'EXIT' : signalName(sig).replace(/^SIG/, '')} to command ${quote(o.command[0])}\n`);
  yield* sys.kill(child, sig);
  if (sig === 0) return;
  if (!o.foreground) {
    // Ignore our own copy while the group gets it (KILL cannot be ignored: timeout goes too).
    const old = sig === SIG.SIGKILL ? null : yield* sys.sigaction(sig, { handler: 'ignore' });
    yield* sys.kill(0, sig);
    if (old !== null && !(old instanceof SysError)) yield* sys.sigaction(sig, old);
  }
  // A stopped command must be woken to act on the signal (not with --foreground).
  if (sig !== SIG.SIGKILL && sig !== SIG.SIGCONT && !o.foreground) {
    yield* sys.kill(child, SIG.SIGCONT);
    yield* sys.kill(0, SIG.SIGCONT);
  }
}

/** timeout's exit for the command's wait status. */
function* finish(status: number, timedOut: boolean, preserveStatus: boolean): Gen<number> {
  // KILL is 137 even on a timeout (with --foreground timeout itself survives it).
  if (timedOut && !preserveStatus) return WIFSIGNALED(status) && WTERMSIG(status) === SIG.SIGKILL ? 128 + SIG.SIGKILL : EXIT_TIMEDOUT;
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  // The signal timeout sent on timing out is reported as a status, not re-raised.
  if (WIFSIGNALED(status) && timedOut) return 128 + WTERMSIG(status);
  if (WIFSIGNALED(status)) {
    // Die of the same signal, so that our parent sees what the command died of.
    const sig = WTERMSIG(status);
    yield* sys.sigaction(sig, { handler: 'default' });
    yield* sys.sigprocmask(SIG_UNBLOCK, [sig]);
    yield* sys.kill(yield* selfPid(), sig);
    return 128 + sig;
  }
  return EXIT_CANCELED;
}

function* selfPid(): Gen<number> {
  const pid = yield* sys.getpid();
  return pid instanceof SysError ? 0 : pid;
}
