/**
 * init (PID 1): reaps orphans for as long as the system runs. Like every init it
 * blocks SIGCHLD and waits for it with sigsuspend(2), so that no child's exit is
 * missed between two waits.
 *
 * Simplification: ctsim's init starts no services; the harness starts commands as
 * its children (see kernel/exec/usermode-helper.ts).
 */
import type { Program } from '../../kernel/proc/program.js';
import * as sys from '../lib/sys.js';
import { SIG } from '../../kernel/proc/signals.js';
import { SysError } from '../../kernel/errno.js';
import { WNOHANG } from '../../kernel/proc/wstatus.js';

function* onChild(): Program {
  return 0;
}

export function* init(): Program {
  yield* sys.sigprocmask(0, [SIG.SIGCHLD]);
  yield* sys.sigaction(SIG.SIGCHLD, { handler: onChild });
  for (;;) {
    const r = yield* sys.wait4(-1, WNOHANG);
    if (!(r instanceof SysError) && r.pid > 0) continue;
    yield* sys.sigsuspend([]);
  }
}
