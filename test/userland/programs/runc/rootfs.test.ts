/**
 * runc's mkdirAll is Go's os.MkdirAll (src/os/path.go): one stat when the directory is
 * there (runc's mount points usually are), the missing part made parent first, and
 * ENOTDIR for a path that is a file.
 */
import { describe, expect, test } from 'vitest';
import { createHost, defaultPrograms } from '../../../../src/index.js';
import { SysError } from '../../../../src/kernel/errno.js';
import { mkdirAll } from '../../../../src/userland/programs/runc/rootfs.js';

/** Runs mkdirAll(path) in a fresh host after `setup`; its result and the system calls it made. */
function run(setup: string, path: string): { result: string; calls: string[] } {
  let result = '';
  const programs = defaultPrograms();
  programs.add({
    name: 'mkall',
    paths: ['/usr/bin/mkall'],
    *main() {
      const r = yield* mkdirAll(path);
      result = r instanceof SysError ? r.errno : 'ok';
      return 0;
    },
  });
  const host = createHost({ seed: 1, programs });
  expect(host.sh(setup).status).toBe(0);
  const calls: string[] = [];
  host.engine.trace.enable(['syscall']);
  host.engine.trace.addSink((r) => {
    if (r.cat === 'syscall' && r.comm === 'mkall' && (r.ev === 'stat' || r.ev === 'lstat' || r.ev === 'mkdir')) calls.push(`${r.ev} ${String(r.ret)}`);
  });
  host.run(['/usr/bin/mkall']);
  return { result, calls };
}

describe('runc mkdirAll (Go os.MkdirAll)', () => {
  test('a directory that is there: one stat, no mkdir', () => {
    expect(run('mkdir -p /a/b/c', '/a/b/c')).toEqual({ result: 'ok', calls: ['stat 0'] });
  });

  test('missing components are made from the first missing one down', () => {
    const r = run('mkdir -p /a', '/a/b/c');
    expect(r.result).toBe('ok');
    expect(r.calls.map((c) => c.split(' ')[0])).toEqual(['stat', 'stat', 'stat', 'mkdir', 'mkdir']);
    expect(run('mkdir -p /a', '/a/b/c//').result).toBe('ok');
  });

  test('a file in the way is ENOTDIR, whether it is the path or a parent', () => {
    expect(run('touch /f', '/f').result).toBe('ENOTDIR');
    expect(run('touch /f', '/f/sub').result).toBe('ENOTDIR');
  });
});
