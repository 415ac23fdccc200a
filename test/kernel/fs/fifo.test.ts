/**
 * Named pipes as fifo(7), open(2) "FIFOs" and pipe(7) describe them, checked against
 * Linux 6.18 with small Python programs (os.mkfifo, os.open with O_NONBLOCK, fork,
 * signals): who waits in open, ENXIO, end of file, the pipe that lives only while the
 * FIFO is open, and FIFOs on tmpfs and through overlayfs.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Op, Program } from '../../../src/kernel/proc/program.js';
import type { Host } from '../../../src/index.js';
import { SIG } from '../../../src/kernel/proc/signals.js';
import { CLONE_NEWNS } from '../../../src/kernel/syscalls/abi.js';
import { O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, S_IFIFO, S_IFMT } from '../../../src/kernel/vfs/types.js';

type Gen<T> = Generator<Op, T, unknown>;

/** errno of a result, or the value itself. */
const e = (r: unknown): unknown => (r instanceof SysError ? r.errno : r);

function must<T>(r: T | SysError): T {
  if (r instanceof SysError) throw new Error(`unexpected ${r.errno}: ${r.message}`);
  return r;
}

/** Runs `main` as root with umask 022 on a fresh host; returns what it recorded and the host. */
function run(main: (out: unknown[]) => Program): { out: unknown[]; host: Host } {
  const out: unknown[] = [];
  const host = hostWith({ t: () => main(out) }, { cpus: 2 });
  const r = host.run(['/usr/bin/t']);
  expect(r.status, host.kernel.log.map((l) => l.text).join('\n') + r.stderr).toBe(0);
  return { out, host };
}

function* sleepMs(ms: number): Gen<void> {
  yield* sys.nanosleep(ms * 1_000_000);
}

function* waitAll(): Gen<void> {
  for (;;) {
    const r = yield* sys.wait4(-1);
    if (r instanceof SysError) return;
  }
}

describe('FIFO objects (mknod S_IFIFO)', () => {
  test('stat shows S_IFIFO less the umask, size 0; a second mknod is EEXIST', () => {
    const { out } = run(function* (o) {
      yield* sys.umask(0o022);
      o.push(e(yield* sys.mknod('/tmp/f', S_IFIFO | 0o666)));
      const st = must(yield* sys.stat('/tmp/f'));
      o.push((st.mode & S_IFMT) === S_IFIFO, (st.mode & 0o7777).toString(8), st.size, st.blocks);
      o.push(e(yield* sys.mknod('/tmp/f', S_IFIFO | 0o666)));
      return 0;
    });
    expect(out).toEqual([0, true, '644', 0, 0, 'EEXIST']);
  });
});

describe('opening a FIFO (open(2) "FIFOs", fifo(7))', () => {
  test('non-blocking: a writer without readers is ENXIO; a reader opens at once and reads end of file; data flows and seeking is ESPIPE', () => {
    const { out, host } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      o.push(e(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK)));
      const r = must(yield* sys.open('/tmp/f', O_RDONLY | O_NONBLOCK));
      o.push(e(yield* sys.read(r, 10)));
      const w = must(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK));
      o.push(e(yield* sys.read(r, 10)));
      o.push(e(yield* sys.write(w, 'hello')));
      o.push(e(yield* sys.read(r, 10)));
      const st = must(yield* sys.fstat(w));
      o.push((st.mode & S_IFMT) === S_IFIFO);
      o.push(e(yield* sys.readlink(`/proc/self/fd/${w}`)));
      o.push(e(yield* sys.lseek(r, 0, 0)));
      yield* sys.close(w);
      o.push(e(yield* sys.read(r, 10)));
      yield* sys.close(r);
      return 0;
    });
    expect(out).toEqual(['ENXIO', '', 'EAGAIN', 5, 'hello', true, '/tmp/f', 'ESPIPE', '']);
    expect(host.kernel.fifos.size).toBe(0);
  });

  test('O_RDWR never waits; unread bytes are gone once the last opener closes', () => {
    const { out, host } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      const rw = must(yield* sys.open('/tmp/f', O_RDWR));
      o.push(e(yield* sys.write(rw, 'xyz')));
      yield* sys.close(rw);
      const r = must(yield* sys.open('/tmp/f', O_RDONLY | O_NONBLOCK));
      const w = must(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK));
      o.push(e(yield* sys.read(r, 10)));
      yield* sys.close(r);
      // No reader left: the write raises SIGPIPE (ignored here) and fails with EPIPE.
      yield* sys.sigaction(SIG.SIGPIPE, { handler: 'ignore' });
      o.push(e(yield* sys.write(w, 'x')));
      yield* sys.close(w);
      return 0;
    });
    expect(out).toEqual([3, 'EAGAIN', 'EPIPE']);
    expect(host.kernel.fifos.size).toBe(0);
  });

  test('a blocked reader counts as a reader: a non-blocking writer gets in and the data reaches it', () => {
    const { out } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      must(
        yield* sys.fork(function* () {
          const fd = must(yield* sys.open('/tmp/f', O_RDONLY));
          o.push(`child read ${e(yield* sys.read(fd, 10))}`);
          return 0;
        }),
      );
      yield* sleepMs(50);
      const w = yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK);
      o.push(`writer ${typeof w === 'number' ? 'opened' : e(w)}`);
      if (typeof w === 'number') yield* sys.write(w, 'x');
      yield* waitAll();
      return 0;
    });
    expect(out).toEqual(['writer opened', 'child read x']);
  });

  test('a writer that opens and closes at once still lets the waiting reader through, which reads end of file', () => {
    const { out } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      must(
        yield* sys.fork(function* () {
          yield* sleepMs(50);
          const w = must(yield* sys.open('/tmp/f', O_WRONLY));
          yield* sys.close(w);
          o.push('writer done');
          return 0;
        }),
      );
      const r = must(yield* sys.open('/tmp/f', O_RDONLY));
      o.push(`reader read ${JSON.stringify(e(yield* sys.read(r, 10)))}`);
      yield* waitAll();
      return 0;
    });
    expect(out).toContain('reader read ""');
  });

  test('a blocking writer waits for a reader', () => {
    const { out } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      must(
        yield* sys.fork(function* () {
          const w = must(yield* sys.open('/tmp/f', O_WRONLY));
          o.push('writer opened');
          yield* sys.write(w, 'data');
          return 0;
        }),
      );
      yield* sleepMs(50);
      o.push('reader opens');
      const r = must(yield* sys.open('/tmp/f', O_RDONLY));
      o.push(e(yield* sys.read(r, 10)));
      yield* waitAll();
      return 0;
    });
    expect(out).toEqual(['reader opens', 'writer opened', 'data']);
  });

  test('a signal ends the wait with EINTR and the opener no longer counts (a non-blocking writer then gets ENXIO)', () => {
    const { out, host } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      yield* sys.sigaction(SIG.SIGALRM, { handler: function* () {} });
      yield* sys.alarm(1);
      o.push(e(yield* sys.open('/tmp/f', O_RDONLY)));
      o.push(e(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK)));
      yield* sys.alarm(1);
      o.push(e(yield* sys.open('/tmp/f', O_WRONLY)));
      return 0;
    });
    expect(out).toEqual(['EINTR', 'ENXIO', 'EINTR']);
    expect(host.kernel.fifos.size).toBe(0);
  });

  test('with SA_RESTART the open starts again after the handler and completes when a writer comes', () => {
    const { out } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      yield* sys.sigaction(SIG.SIGALRM, {
        handler: function* () {
          o.push('handler');
        },
        restart: true,
      });
      must(
        yield* sys.fork(function* () {
          yield* sleepMs(2000);
          const w = must(yield* sys.open('/tmp/f', O_WRONLY));
          yield* sys.write(w, 'late');
          return 0;
        }),
      );
      yield* sys.alarm(1);
      const r = yield* sys.open('/tmp/f', O_RDONLY);
      o.push(typeof r === 'number' ? e(yield* sys.read(r, 10)) : e(r));
      yield* waitAll();
      return 0;
    });
    expect(out).toEqual(['handler', 'late']);
  });

  test('an opener killed while waiting is no longer counted', () => {
    const { out, host } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      const pid = must(
        yield* sys.fork(function* () {
          yield* sys.open('/tmp/f', O_RDONLY);
          return 0;
        }),
      );
      yield* sleepMs(50);
      const w = must(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK));
      yield* sys.close(w);
      yield* sys.kill(pid, SIG.SIGKILL);
      yield* waitAll();
      o.push(e(yield* sys.open('/tmp/f', O_WRONLY | O_NONBLOCK)));
      return 0;
    });
    expect(out).toEqual(['ENXIO']);
    expect(host.kernel.fifos.size).toBe(0);
  });

  test('opening /proc/self/fd/N of a FIFO opens the FIFO again', () => {
    const { out } = run(function* (o) {
      must(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644));
      const r = must(yield* sys.open('/tmp/f', O_RDONLY | O_NONBLOCK));
      const w = must(yield* sys.open(`/proc/self/fd/${r}`, O_WRONLY | O_NONBLOCK));
      yield* sys.write(w, 'via proc');
      o.push(e(yield* sys.read(r, 20)));
      return 0;
    });
    expect(out).toEqual(['via proc']);
  });
});

describe('FIFOs on other file systems', () => {
  test('on tmpfs, and through an overlay (made in the merged tree, and a lower FIFO opened for writing without copy-up)', () => {
    const { out } = run(function* (o) {
      must(yield* sys.unshare(CLONE_NEWNS));
      for (const d of ['/tmp/t', '/tmp/lower', '/tmp/upper', '/tmp/work', '/tmp/merged']) must(yield* sys.mkdir(d));
      must(yield* sys.mount('tmpfs', '/tmp/t', 'tmpfs', 0));
      must(yield* sys.mknod('/tmp/t/f', S_IFIFO | 0o600));
      must(yield* sys.mknod('/tmp/lower/low', S_IFIFO | 0o644));
      must(yield* sys.mount('overlay', '/tmp/merged', 'overlay', 0, 'lowerdir=/tmp/lower,upperdir=/tmp/upper,workdir=/tmp/work'));
      must(yield* sys.mknod('/tmp/merged/up', S_IFIFO | 0o644));
      for (const path of ['/tmp/t/f', '/tmp/merged/up', '/tmp/merged/low']) {
        const r = must(yield* sys.open(path, O_RDONLY | O_NONBLOCK));
        const w = must(yield* sys.open(path, O_WRONLY | O_NONBLOCK));
        yield* sys.write(w, path);
        o.push(e(yield* sys.read(r, 100)));
        yield* sys.close(r);
        yield* sys.close(w);
      }
      const upper = must(yield* sys.stat('/tmp/upper/up'));
      o.push((upper.mode & S_IFMT) === S_IFIFO);
      o.push(e(yield* sys.stat('/tmp/upper/low')));
      return 0;
    });
    expect(out).toEqual(['/tmp/t/f', '/tmp/merged/up', '/tmp/merged/low', true, 'ENOENT']);
  });
});
