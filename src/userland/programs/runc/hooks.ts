/**
 * OCI hooks (runtime-spec config.md "POSIX-platform Hooks"): each entry is a program
 * run with the container's state JSON on its standard input, in the order listed. A
 * hook that exits non-zero, dies or outlives its `timeout` fails; runc then reports
 * "error running <kind> hook #N".
 *
 * Simplification: a hook's standard output and error are runc's own (runc captures
 * them into the error message).
 */
import type { Op, Program } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { SIG } from '../../../kernel/proc/signals.js';
import * as sys from '../../lib/sys.js';
import { utf8 } from '../../lib/io.js';
import { WEXITSTATUS, WIFEXITED, WNOHANG, WTERMSIG } from '../../../kernel/proc/wstatus.js';
import type { OciHook } from '../../../runtime/oci/index.js';
import type { WaitResult } from '../../../kernel/syscalls/abi.js';

type Gen<T> = Generator<Op, T, unknown>;

export type HookKind = 'prestart' | 'createRuntime' | 'createContainer' | 'startContainer' | 'poststart' | 'poststop';

/** The state a hook reads on stdin (specs-go State, Go's json.Marshal: compact, in field order). */
export interface HookState {
  ociVersion: string;
  id: string;
  status: string;
  pid?: number;
  bundle: string;
  annotations?: Record<string, string>;
}

export function hookStateJson(s: HookState): string {
  const o: Record<string, unknown> = { ociVersion: s.ociVersion, id: s.id, status: s.status };
  if (s.pid !== undefined && s.pid > 0) o.pid = s.pid;
  o.bundle = s.bundle;
  if (s.annotations && Object.keys(s.annotations).length) o.annotations = s.annotations;
  return JSON.stringify(o);
}

/** How Go prints a signal (syscall.Signal.String), as in runc's "signal: killed". */
const GO_SIGNAL_NAMES: Record<number, string> = {
  1: 'hangup', 2: 'interrupt', 3: 'quit', 4: 'illegal instruction', 5: 'trace/breakpoint trap', 6: 'aborted', 7: 'bus error',
  8: 'floating point exception', 9: 'killed', 10: 'user defined signal 1', 11: 'segmentation fault', 12: 'user defined signal 2',
  13: 'broken pipe', 14: 'alarm clock', 15: 'terminated',
};

/** Runs one hook; null when it succeeded, else why it failed (runc's words). */
function* runHook(hook: OciHook, stateJson: string): Gen<string | null> {
  const p = yield* sys.pipe2(0);
  if (p instanceof SysError) return p.message;
  const [r, w] = p;
  const child = yield* sys.fork(function* (): Program {
    yield* sys.close(w);
    if (r !== 0) {
      yield* sys.dup2(r, 0);
      yield* sys.close(r);
    }
    const args = hook.args && hook.args.length ? hook.args : [hook.path];
    const e = yield* sys.execve(hook.path, args, hook.env ?? []);
    return e instanceof SysError && e.errno === 'ENOENT' ? 127 : 126;
  });
  yield* sys.close(r);
  if (child instanceof SysError) {
    yield* sys.close(w);
    return child.message;
  }
  // A hook that exits without reading its input must not take runc down with SIGPIPE (Go ignores EPIPE here).
  const old = yield* sys.sigaction(SIG.SIGPIPE, { handler: 'ignore' });
  yield* sys.write(w, utf8(stateJson));
  if (!(old instanceof SysError)) yield* sys.sigaction(SIG.SIGPIPE, old);
  yield* sys.close(w);
  const limitNs = hook.timeout !== undefined ? hook.timeout * 1e9 : Infinity;
  let waited = 0;
  for (;;) {
    const res: WaitResult | SysError = yield* sys.wait4(child, limitNs === Infinity ? 0 : WNOHANG);
    if (res instanceof SysError) {
      if (res.errno === 'EINTR') continue;
      return res.message;
    }
    if (res.pid === child) {
      if (WIFEXITED(res.status)) return WEXITSTATUS(res.status) === 0 ? null : `error running hook: exit status ${WEXITSTATUS(res.status)}`;
      const sig = WTERMSIG(res.status);
      return `error running hook: signal: ${GO_SIGNAL_NAMES[sig] ?? `signal ${sig}`}`;
    }
    if (waited >= limitNs) {
      yield* sys.kill(child, 9);
      yield* sys.wait4(child);
      return `hook ran past specified timeout of ${hook.timeout!.toFixed(1)}s`;
    }
    yield* sys.nanosleep(1_000_000);
    waited += 1_000_000;
  }
}

/** Runs the hooks of one kind in order; stops at the first failure and returns its message. */
export function* runHooks(kind: HookKind, hooks: OciHook[] | undefined, state: HookState): Gen<string | null> {
  const json = hookStateJson(state);
  for (let i = 0; i < (hooks?.length ?? 0); i++) {
    const why = yield* runHook(hooks![i], json);
    if (why !== null) return `error running ${kind} hook #${i}: ${why}${why.startsWith('error running hook') ? ', stdout: , stderr: ' : ''}`;
  }
  return null;
}
