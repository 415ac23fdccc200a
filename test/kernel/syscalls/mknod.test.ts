/**
 * mknod(2) and mknodat(2) — the checks in Linux's order (type, then name, then
 * directory permission, then CAP_MKNOD), as seen on Linux 6.18 with os.mknod as root,
 * as uid 1000 and as root of a user namespace.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import { CLONE_NEWUSER } from '../../../src/kernel/syscalls/abi.js';
import {
  O_DIRECTORY,
  O_RDONLY,
  S_IFBLK,
  S_IFCHR,
  S_IFDIR,
  S_IFIFO,
  S_IFMT,
  S_IFREG,
  S_IFSOCK,
  makedev,
} from '../../../src/kernel/vfs/types.js';

const e = (r: unknown): unknown => (r instanceof SysError ? r.errno : r);

function run(main: (out: unknown[]) => Program, opts: { uid?: number; gid?: number } = {}): unknown[] {
  const out: unknown[] = [];
  const h = hostWith({ t: () => main(out) });
  const r = h.run(['/usr/bin/t'], opts);
  expect(r.status, h.kernel.log.map((l) => l.text).join('\n') + r.stderr).toBe(0);
  return out;
}

/** "type perm" of a path as stat shows it, or the errno. */
function* modeOf(path: string): Generator<import('../../../src/kernel/proc/program.js').Op, string, unknown> {
  const st = yield* sys.lstat(path);
  if (st instanceof SysError) return st.errno;
  return `${(st.mode & S_IFMT).toString(8)} ${(st.mode & 0o7777).toString(8)} rdev=${st.rdev}`;
}

describe('mknod(2)', () => {
  test('as root: each file type, the umask, kept set-user-ID bits, and errors for directories and unknown types', () => {
    const out = run(function* (o) {
      yield* sys.umask(0o022);
      o.push(e(yield* sys.mknod('/tmp/d', S_IFDIR | 0o755)));
      o.push(e(yield* sys.mknod('/tmp/b', 0o170000 | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/b', 0o030000 | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/z', 0o644)), yield* modeOf('/tmp/z'));
      o.push(e(yield* sys.mknod('/tmp/r', S_IFREG | 0o777)), yield* modeOf('/tmp/r'));
      o.push(e(yield* sys.mknod('/tmp/s', S_IFSOCK | 0o777)), yield* modeOf('/tmp/s'));
      o.push(e(yield* sys.open('/tmp/s', O_RDONLY)));
      o.push(e(yield* sys.mknod('/tmp/fs', S_IFIFO | 0o7777)), yield* modeOf('/tmp/fs'));
      o.push(e(yield* sys.mknod('/tmp/null', S_IFCHR | 0o666, makedev(1, 3))), yield* modeOf('/tmp/null'));
      const fd = yield* sys.open('/tmp/null', O_RDONLY);
      o.push(typeof fd === 'number' ? e(yield* sys.read(fd, 10)) : e(fd));
      o.push(e(yield* sys.mknod('/tmp/blk', S_IFBLK | 0o644, makedev(7, 0))));
      return 0;
    });
    expect(out).toEqual([
      'EPERM',
      'EINVAL',
      'EINVAL',
      0, '100000 644 rdev=0',
      0, '100000 755 rdev=0',
      0, '140000 755 rdev=0',
      'ENXIO',
      0, '10000 7755 rdev=0',
      0, `20000 644 rdev=${makedev(1, 3)}`,
      '',
      0,
    ]);
  });

  test('names: EEXIST (even over a dangling symlink), ENOENT for a missing directory or a trailing slash', () => {
    const out = run(function* (o) {
      yield* sys.symlink('/nowhere', '/tmp/dl');
      o.push(e(yield* sys.mknod('/tmp/dl', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/nodir/x', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/ts/', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/f/', S_IFIFO | 0o644)));
      o.push(e(yield* sys.mknod('/tmp/f', S_IFCHR | 0o644, makedev(1, 3))));
      return 0;
    });
    expect(out).toEqual(['EEXIST', 'ENOENT', 'ENOENT', 'EEXIST', 0, 'EEXIST', 'EEXIST']);
  });

  test('mknodat names the entry relative to a directory descriptor', () => {
    const out = run(function* (o) {
      yield* sys.mkdir('/tmp/dir');
      const dfd = yield* sys.open('/tmp/dir', O_RDONLY | O_DIRECTORY);
      if (dfd instanceof SysError) throw dfd;
      o.push(e(yield* sys.mknodat(dfd, 'p', S_IFIFO | 0o600)), yield* modeOf('/tmp/dir/p'));
      return 0;
    });
    expect(out).toEqual([0, '10000 600 rdev=0']);
  });

  test('as uid 1000: FIFOs, files and the 0/0 whiteout in a writable directory; devices are EPERM; an unwritable directory is EACCES first', () => {
    const out = run(
      function* (o) {
        o.push(e(yield* sys.mknod('/tmp/f1', S_IFIFO | 0o644)));
        o.push(e(yield* sys.mknod('/tmp/c1', S_IFCHR | 0o644, makedev(1, 3))));
        o.push(e(yield* sys.mknod('/tmp/w1', S_IFCHR, 0)), yield* modeOf('/tmp/w1'));
        o.push(e(yield* sys.mknod('/tmp/b1', S_IFBLK | 0o644, makedev(7, 0))));
        o.push(e(yield* sys.mknod('/tmp/r1', S_IFREG | 0o644)));
        o.push(e(yield* sys.mknod('/x', S_IFIFO | 0o644)));
        o.push(e(yield* sys.mknod('/c2', S_IFCHR | 0o644, makedev(1, 3))));
        o.push(e(yield* sys.mknod('/c3', 0o170000 | 0o644)));
        const st = yield* sys.stat('/tmp/f1');
        o.push(st instanceof SysError ? st.errno : `${st.uid}:${st.gid}`);
        return 0;
      },
      { uid: 1000, gid: 1000 },
    );
    expect(out).toEqual([0, 'EPERM', 0, '20000 0 rdev=0', 'EPERM', 0, 'EACCES', 'EACCES', 'EINVAL', '1000:1000']);
  });

  test('root of a user namespace lacks CAP_MKNOD in the initial one: devices are EPERM, FIFOs and whiteouts are made', () => {
    const out = run(function* (o) {
      const r = yield* sys.unshare(CLONE_NEWUSER);
      if (r instanceof SysError) throw r;
      o.push(e(yield* sys.mknod('/tmp/c', S_IFCHR | 0o644, makedev(1, 3))));
      o.push(e(yield* sys.mknod('/tmp/w', S_IFCHR, 0)));
      o.push(e(yield* sys.mknod('/tmp/f', S_IFIFO | 0o644)));
      return 0;
    });
    expect(out).toEqual(['EPERM', 0, 0]);
  });
});
