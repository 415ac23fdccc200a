/**
 * The messages runc's parent and the container's init exchange while the container
 * is built (runc's `_LIBCONTAINER_SYNCPIPE` protocol, simplified to text lines on two
 * pipes): the child asks for its ID maps, reports the init's PID, stops for the
 * runtime's hooks, says "ready", or reports the error that ended it.
 *
 *   runc create (parent)                 runc init (stage 1, then stage 2 = PID 1)
 *        │ ── go ─────────────────────────▶ │  (now in the container's cgroup)
 *        │ ◀──────────────────────── map ── │  unshare(CLONE_NEWUSER)
 *        │ ── mapped ─────────────────────▶ │  (uid_map/gid_map written)
 *        │ ◀────────────────────── pid N ── │  unshare(the others); fork → PID 1
 *        │ ◀──────────────────────hooks ── │  mounts done, before pivot_root
 *        │ ── hooks-done ─────────────────▶ │
 *        │ ◀──────────────────────ready ── │  then blocks opening exec.fifo
 */
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { O_CLOEXEC } from '../../../kernel/vfs/types.js';

type Gen<T> = Generator<Op, T, unknown>;

/** One end of the line protocol: reads whole lines from `rfd`, writes to `wfd`. */
export class SyncPipe {
  private buf = '';

  constructor(
    readonly rfd: number,
    readonly wfd: number,
  ) {}

  *send(line: string): Gen<void> {
    yield* sys.write(this.wfd, line + '\n');
  }

  /** The next line, or null at end of file (the other side exited or closed). */
  *recv(): Gen<string | null> {
    for (;;) {
      const nl = this.buf.indexOf('\n');
      if (nl >= 0) {
        const line = this.buf.slice(0, nl);
        this.buf = this.buf.slice(nl + 1);
        return line;
      }
      const chunk = yield* sys.read(this.rfd, 4096);
      if (chunk instanceof SysError) {
        if (chunk.errno === 'EINTR') continue;
        return null;
      }
      if (chunk === '') return null;
      this.buf += chunk;
    }
  }

  /** Reports `why` to the other side as this side's last word; returns `status` for the caller to exit with. */
  *fail(why: string, status: number): Gen<number> {
    yield* this.send('error ' + why.replace(/\n/g, ' '));
    return status;
  }

  *close(): Gen<void> {
    yield* sys.close(this.rfd);
    yield* sys.close(this.wfd);
  }
}

/** Two pipes, one each way: `[parent's end, child's end]`. The caller closes the other side's fds after fork. */
export function* syncPipes(): Gen<[SyncPipe, SyncPipe] | SysError> {
  const a = yield* sys.pipe2(O_CLOEXEC);
  if (a instanceof SysError) return a;
  const b = yield* sys.pipe2(O_CLOEXEC);
  if (b instanceof SysError) return b;
  // a: parent → child; b: child → parent.
  return [new SyncPipe(b[0], a[1]), new SyncPipe(a[0], b[1])];
}
