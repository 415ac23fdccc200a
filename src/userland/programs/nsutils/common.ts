/**
 * What util-linux's namespace tools share: the namespace types with their flags and
 * /proc/PID/ns names, running the command (execvp, 126/127 on failure, as
 * util-linux's errexec), and passing a waited-for child's status on — an exit code,
 * or death by the same signal so that the caller sees what the command died of.
 */
import type { Op, Program } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { execvp, getenv } from '../../lib/exec.js';
import {
  CLONE_NEWCGROUP,
  CLONE_NEWIPC,
  CLONE_NEWNET,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
  SIG_UNBLOCK,
} from '../../../kernel/syscalls/abi.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG } from '../../../kernel/proc/wstatus.js';

type Gen<T> = Generator<Op, T, unknown>;

/** A namespace type as util-linux names it: its clone flag and /proc/PID/ns entry. */
export interface NsKind {
  /** The entry under /proc/PID/ns. */
  file: string;
  /** CLONE_NEW* (0 for time, which ctsim cannot create). */
  flag: number;
}

/** In the order nsenter enters them: user first when entering several (so the others are allowed). */
export const NS_KINDS: Record<string, NsKind> = {
  user: { file: 'user', flag: CLONE_NEWUSER },
  cgroup: { file: 'cgroup', flag: CLONE_NEWCGROUP },
  ipc: { file: 'ipc', flag: CLONE_NEWIPC },
  uts: { file: 'uts', flag: CLONE_NEWUTS },
  net: { file: 'net', flag: CLONE_NEWNET },
  pid: { file: 'pid', flag: CLONE_NEWPID },
  mnt: { file: 'mnt', flag: CLONE_NEWNS },
  time: { file: 'time', flag: 0 },
};

/**
 * Runs `argv` in place of this program — or, when empty, $SHELL (else /bin/sh) as a
 * login shell ("-sh"), as util-linux's exec_shell — and returns the exit status on failure.
 */
export function* execCommand(prog: string, argv: readonly string[], envp: readonly string[]): Gen<number> {
  let e: SysError;
  let name: string;
  if (argv.length > 0) {
    name = argv[0];
    e = yield* execvp(argv[0], argv, envp);
  } else {
    name = getenv(envp, 'SHELL') ?? '/bin/sh';
    const r = yield* sys.execve(name, ['-' + (name.split('/').pop() ?? name)], envp);
    e = r instanceof SysError ? r : new SysError('ENOEXEC', 'execve returned without replacing the program');
  }
  yield* errOut(`${prog}: failed to execute ${name}: ${e.message}\n`);
  return e.errno === 'ENOENT' ? 127 : 126;
}

/**
 * Waits for `child` and returns its exit code, or dies of the signal that killed it.
 * unshare restores the signal's default action first and, as util-linux 2.38 does,
 * gives up with "sigprocmask unblock failed" when that is refused (SIGKILL, SIGSTOP).
 */
export function* passOnStatus(prog: string, child: number, resetHandler = false): Gen<number> {
  for (;;) {
    const r = yield* sys.wait4(child);
    if (r instanceof SysError) {
      if (r.errno === 'EINTR') continue;
      yield* errOut(`${prog}: waitpid failed: ${r.message}\n`);
      return 1;
    }
    if (WIFEXITED(r.status)) return WEXITSTATUS(r.status);
    if (WIFSIGNALED(r.status)) {
      const sig = WTERMSIG(r.status);
      if (resetHandler) {
        const e = yield* sys.sigaction(sig, { handler: 'default' });
        if (e instanceof SysError) {
          yield* errOut(`${prog}: sigprocmask unblock failed: ${e.message}\n`);
          return 1;
        }
        yield* sys.sigprocmask(SIG_UNBLOCK, [sig]);
      }
      const self = yield* sys.getpid();
      if (!(self instanceof SysError)) yield* sys.kill(self, sig);
      return 128 + sig;
    }
  }
}

/** Forks a child that runs `body`; the parent waits and passes its status on. */
export function* forkAndWait(prog: string, body: () => Program, resetHandler = false): Gen<number | null> {
  const child = yield* sys.fork(body);
  if (child instanceof SysError) {
    yield* errOut(`${prog}: fork failed: ${child.message}\n`);
    return 1;
  }
  return yield* passOnStatus(prog, child, resetHandler);
}

/** Writes `data` to `path` (open, write, close), as util-linux's ul_path_write_string. */
export function* writeProcFile(path: string, data: string): Gen<SysError | null> {
  const fd = yield* sys.open(path, 1);
  if (fd instanceof SysError) return fd;
  const w = yield* sys.write(fd, data);
  yield* sys.close(fd);
  return w instanceof SysError ? w : null;
}

/** Handles --help and --version (util-linux prints them to stdout, exit 0); returns null when neither was given. */
export function* helpOrVersion(values: Map<string, string | true>, usage: string, version: string): Gen<number | null> {
  const text = values.has('help') ? usage : values.has('version') ? version : null;
  if (text === null) return null;
  const out = new OutBuffer(1);
  yield* out.write(text);
  return (yield* out.flush()) ? 1 : 0;
}

/** -S/--setuid and -G/--setgid must be numbers: reports "failed to parse uid: 'X'" and returns true otherwise. */
export function* badIdOption(prog: string, values: Map<string, string | true>): Gen<boolean> {
  for (const [key, what] of [['setuid', 'uid'], ['setgid', 'gid']] as const) {
    const val = values.get(key);
    if (typeof val === 'string' && !/^\d+$/.test(val)) {
      yield* errOut(`${prog}: failed to parse ${what}: '${val}'\n`);
      return true;
    }
  }
  return false;
}
