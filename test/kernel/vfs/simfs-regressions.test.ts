/**
 * simfs regressions found while writing the file tools: file times are wall-clock
 * (CLOCK_REALTIME) times, a short symlink takes no blocks (ext4 fast symlinks,
 * tmpfs), and a renamed entry can be renamed or removed again under its new name.
 */
import { expect, test } from 'vitest';
import type { Program } from '../../../src/kernel/proc/program.js';
import { SysError } from '../../../src/kernel/errno.js';
import { O_CREAT, O_RDONLY, O_WRONLY } from '../../../src/kernel/vfs/types.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { hostWith } from '../../helpers/programs.js';
import { DEFAULT_BOOT_EPOCH_NS } from '../../../src/host.js';

const results: Record<string, unknown> = {};

function* probe(): Program {
  yield* sys.nanosleep(2_000_000_000);
  const fd = (yield* sys.open('/tmp/f', O_WRONLY | O_CREAT, 0o644)) as number;
  yield* sys.write(fd, 'data');
  yield* sys.close(fd);
  const w = yield* sys.stat('/tmp/f');
  yield* sys.nanosleep(1_000_000_000);
  const rfd = (yield* sys.open('/tmp/f', O_RDONLY)) as number;
  yield* sys.read(rfd, 10);
  yield* sys.close(rfd);
  const r = yield* sys.stat('/tmp/f');
  results.afterWrite = w;
  results.afterRead = r;
  yield* sys.symlink('usr/bin', '/tmp/short');
  results.link = yield* sys.lstat('/tmp/short');
  // Rename twice, then remove under the last name: nothing may be left behind.
  yield* sys.rename('/tmp/f', '/tmp/g');
  yield* sys.mkdir('/tmp/d');
  yield* sys.rename('/tmp/g', '/tmp/d/h');
  results.oldName = (yield* sys.stat('/tmp/g')) instanceof SysError;
  yield* sys.unlink('/tmp/d/h');
  results.rmdir = yield* sys.rmdir('/tmp/d');
  return 0;
}

test('simfs: realtime file times, blockless short symlinks, renames that stick', () => {
  const h = hostWith({ probe });
  const r = h.run(['/usr/bin/probe'], { maxSteps: 1_000_000 });
  expect(r.status).toBe(0);
  const w = results.afterWrite as { mtimeNs: number; ctimeNs: number };
  const rd = results.afterRead as { atimeNs: number };
  expect(w.mtimeNs).toBeGreaterThanOrEqual(DEFAULT_BOOT_EPOCH_NS + 2e9);
  expect(w.mtimeNs).toBeLessThan(DEFAULT_BOOT_EPOCH_NS + 3e9);
  expect(w.ctimeNs).toBe(w.mtimeNs);
  expect(rd.atimeNs).toBeGreaterThanOrEqual(DEFAULT_BOOT_EPOCH_NS + 3e9);
  expect((results.link as { blocks: number; size: number }).blocks).toBe(0);
  expect((results.link as { size: number }).size).toBe(7);
  expect(results.oldName).toBe(true);
  expect(results.rmdir).toBe(0);
});
