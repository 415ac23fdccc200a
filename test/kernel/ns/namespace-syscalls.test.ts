/**
 * The namespace, credential and chroot rules of ../shared/reference/LINUX-SEMANTICS.md
 * that no command-line tool can show — they need a raw system call with exact
 * arguments (the scenarios in test/scenarios cover the rest through the tools).
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import {
  CLONE_FS,
  CLONE_NEWIPC,
  CLONE_NEWNS,
  CLONE_NEWPID,
  CLONE_NEWUSER,
  CLONE_NEWUTS,
  CLONE_PARENT,
  CLONE_SYSVSEM,
  CLONE_THREAD,
} from '../../../src/kernel/syscalls/abi.js';
import { O_RDONLY, O_WRONLY } from '../../../src/kernel/vfs/types.js';
import type { IpcNamespace } from '../../../src/kernel/ns/ipc-ns.js';
import type { TraceRecord } from '../../../src/sim/trace.js';

/** errno of a result, or 'ok'. */
const e = (r: unknown): string => (r instanceof SysError ? r.errno : 'ok');

/** Runs `main` as root on a fresh host and returns what it recorded. */
function run(main: (out: string[]) => Program, opts: { uid?: number; gid?: number } = {}): string[] {
  const out: string[] = [];
  const h = hostWith({ t: () => main(out) });
  const r = h.run(['/usr/bin/t'], opts);
  expect(r.status, h.kernel.log.map((l) => l.text).join('\n') + r.stderr).toBe(0);
  return out;
}

function* write(path: string, data: string): Generator<import('../../../src/kernel/proc/program.js').Op, string, unknown> {
  const fd = yield* sys.open(path, O_WRONLY);
  if (fd instanceof SysError) return `open:${fd.errno}`;
  const w = yield* sys.write(fd, data);
  yield* sys.close(fd);
  return e(w);
}

describe('setns(2) and clone(2) argument checks', () => {
  test('NS-08: setns with a bad fd is EBADF, nstype 0 accepts any type, a mismatched type is EINVAL', () => {
    const out = run(function* (o) {
      o.push(e(yield* sys.setns(99, 0)));
      const fd = yield* sys.open('/proc/self/ns/uts', O_RDONLY);
      if (fd instanceof SysError) throw fd;
      o.push(e(yield* sys.setns(fd, CLONE_NEWIPC)));
      o.push(e(yield* sys.setns(fd, 0)));
      o.push(e(yield* sys.setns(fd, CLONE_NEWUTS)));
      return 0;
    });
    expect(out).toEqual(['EBADF', 'EINVAL', 'ok', 'ok']);
  });

  test('NS-11: invalid CLONE_* combinations are EINVAL and create no child', () => {
    const out = run(function* (o) {
      for (const flags of [CLONE_NEWNS | CLONE_FS, CLONE_NEWUSER | CLONE_FS, CLONE_NEWIPC | CLONE_SYSVSEM, CLONE_NEWPID | CLONE_THREAD, CLONE_NEWUSER | CLONE_THREAD]) {
        o.push(e(yield* sys.clone(function* () {
          return 0;
        }, flags)));
      }
      o.push(e(yield* sys.wait4(-1)));
      return 0;
    });
    expect(out).toEqual(['EINVAL', 'EINVAL', 'EINVAL', 'EINVAL', 'EINVAL', 'ECHILD']);
  });

  test('PID-18: CLONE_NEWPID|CLONE_PARENT is accepted (a sibling PID 1); a namespace init cannot use CLONE_PARENT', () => {
    const out = run(function* (o) {
      const x = yield* sys.fork(function* (): Program {
        const r = yield* sys.clone(function* (): Program {
          return (yield* sys.getpid()) === 1 ? 11 : 12;
        }, CLONE_NEWPID | CLONE_PARENT);
        return typeof r === 'number' ? 0 : 1;
      });
      if (typeof x !== 'number') throw x;
      const statuses: number[] = [];
      for (let i = 0; i < 2; i++) {
        const w = yield* sys.wait4(-1);
        if (!(w instanceof SysError)) statuses.push(w.status >> 8);
      }
      o.push(statuses.sort().join(','));
      const y = yield* sys.clone(function* (): Program {
        const r = yield* sys.clone(function* () {
          return 0;
        }, CLONE_PARENT);
        return r instanceof SysError && r.errno === 'EINVAL' ? 5 : 6;
      }, CLONE_NEWPID);
      if (typeof y !== 'number') throw y;
      const w = yield* sys.wait4(y);
      o.push(w instanceof SysError ? w.errno : String(w.status >> 8));
      return 0;
    });
    expect(out).toEqual(['0,11', '5']);
  });
});

describe('user namespace maps', () => {
  test('USER-04: maps need three numbers, a positive length and no overlap (EINVAL); a privileged writer may write several lines', () => {
    const out = run(function* (o) {
      const child = yield* sys.clone(function* (): Program {
        yield* sys.nanosleep(1e9);
        return 0;
      }, CLONE_NEWUSER);
      if (typeof child !== 'number') throw child;
      const map = `/proc/${child}/uid_map`;
      o.push(yield* write(map, '0 100000\n'));
      o.push(yield* write(map, '0 100000 0\n'));
      o.push(yield* write(map, '0 100000 1000\n10 200000 5\n'));
      o.push(yield* write(map, '0 100000 1000\n1000 0 1\n'));
      const text = yield* sys.open(map, O_RDONLY);
      if (typeof text === 'number') o.push(String(yield* sys.read(text, 200)));
      o.push(yield* write(map, '5 5 1\n'));
      yield* sys.kill(child, 9);
      yield* sys.wait4(child);
      return 0;
    });
    expect(out).toEqual(['EINVAL', 'EINVAL', 'EINVAL', 'ok', '         0     100000       1000\n      1000          0          1\n', 'EPERM']);
  });

  test('USER-05, USER-06: an unprivileged writer maps only its own ID with count 1, and gid_map only after setgroups "deny", which is final', () => {
    const out = run(
      function* (o) {
        const child = yield* sys.clone(function* (): Program {
          yield* sys.nanosleep(1e9);
          return 0;
        }, CLONE_NEWUSER);
        if (typeof child !== 'number') throw child;
        const p = `/proc/${child}`;
        // Writing from the parent namespace: the owner there has every capability in the child,
        // but CAP_SETUID in the parent is what lifts the single-line rule.
        o.push(yield* write(`${p}/uid_map`, '0 12345 1\n1 12346 1\n'));
        o.push(yield* write(`${p}/uid_map`, '0 4242 1\n'));
        o.push(yield* write(`${p}/uid_map`, '0 12345 1\n'));
        const sg = yield* sys.open(`${p}/setgroups`, O_RDONLY);
        if (typeof sg === 'number') o.push(String(yield* sys.read(sg, 20)).trim());
        o.push(yield* write(`${p}/gid_map`, '0 12345 1\n'));
        o.push(yield* write(`${p}/setgroups`, 'deny'));
        o.push(yield* write(`${p}/gid_map`, '0 12345 1\n'));
        o.push(yield* write(`${p}/setgroups`, 'allow'));
        yield* sys.kill(child, 9);
        yield* sys.wait4(child);
        return 0;
      },
      { uid: 12345, gid: 12345 },
    );
    expect(out).toEqual(['EPERM', 'EPERM', 'ok', 'allow', 'EPERM', 'ok', 'ok', 'EPERM']);
  });

  test('a map range must lie inside one range of the parent\'s map (a hole in the parent is EPERM)', () => {
    const out = run(function* (o) {
      // Level 1 maps 0-1 and 3-4 only; its own ID 2 has no kernel ID.
      const mid = yield* sys.clone(function* (): Program {
        yield* sys.nanosleep(2e9);
        return 0;
      }, CLONE_NEWUSER);
      if (typeof mid !== 'number') throw mid;
      o.push(yield* write(`/proc/${mid}/uid_map`, '0 1000 2\n3 1003 2\n'));
      yield* write(`/proc/${mid}/gid_map`, '0 1000 5\n');
      // From inside level 1 (via setns), a child map over the hole is refused; one inside a range is not.
      const fd = yield* sys.open(`/proc/${mid}/ns/user`, O_RDONLY);
      if (typeof fd !== 'number') throw fd;
      const r = yield* sys.fork(function* (): Program {
        if ((yield* sys.setns(fd, CLONE_NEWUSER)) !== 0) return 9;
        // Become root there (kernel ID 1000), so that the IDs are mapped (USER-12).
        if ((yield* sys.setresgid(0, 0, 0)) !== 0 || (yield* sys.setresuid(0, 0, 0)) !== 0) return 7;
        const c = yield* sys.clone(function* (): Program {
          yield* sys.nanosleep(1e9);
          return 0;
        }, CLONE_NEWUSER);
        if (typeof c !== 'number') return 8;
        const a = yield* write(`/proc/${c}/uid_map`, '10 1 4\n');
        const b = yield* write(`/proc/${c}/uid_map`, '10 3 2\n');
        yield* sys.kill(c, 9);
        return a === 'EPERM' && b === 'ok' ? 0 : 1;
      });
      if (typeof r !== 'number') throw r;
      const w = yield* sys.wait4(r);
      o.push(w instanceof SysError ? w.errno : String(w.status >> 8));
      yield* sys.kill(mid, 9);
      yield* sys.wait4(mid);
      return 0;
    });
    expect(out).toEqual(['ok', '0']);
  });

  test('USER-11: 33 user namespaces nest below the initial one; the 34th is ENOSPC', () => {
    const out = run(function* (o) {
      let made = 0;
      for (;;) {
        const r = yield* sys.unshare(CLONE_NEWUSER);
        if (r instanceof SysError) {
          o.push(`${made} ${r.errno}`);
          break;
        }
        made++;
        // Map root so that the next level may be created (the euid must be mapped, USER-12).
        yield* write('/proc/self/uid_map', '0 0 1\n');
        yield* write('/proc/self/setgroups', 'deny');
        yield* write('/proc/self/gid_map', '0 0 1\n');
      }
      return 0;
    });
    expect(out).toEqual(['33 ENOSPC']);
  });
});

describe('namespace lifetime', () => {
  test('IPC-03: when the last process of an IPC namespace exits, the namespace and its objects are destroyed', () => {
    let ns: IpcNamespace | null = null;
    const h = hostWith({
      t: function* (): Program {
        yield* sys.unshare(CLONE_NEWIPC);
        yield* sys.msgget(0, 0o644);
        yield* sys.shmget(0, 4096, 0o644);
        ns = h.kernel.current!.nsproxy.ipc;
        return ns.size === 2 ? 0 : 1;
      },
    });
    expect(h.run(['/usr/bin/t']).status).toBe(0);
    expect(ns!.alive).toBe(false);
    expect(ns!.size).toBe(0);
    // The initial namespace stays, whatever happens.
    expect(h.kernel.initNsproxy.ipc.alive).toBe(true);
  });
});

describe('explaining what a namespace shows', () => {
  test('the ns trace says why ps in a new PID namespace without its own procfs lists the host (PID-16)', () => {
    const lines: TraceRecord[] = [];
    const h = hostWith({}, { trace: { categories: ['ns'], sink: (r: TraceRecord) => lines.push(r) } });
    h.run(['/bin/sh', '-c', 'unshare --pid --fork ps -e >/dev/null; unshare --pid --fork --mount-proc ps -e >/dev/null']);
    const views = lines.filter((r) => r.ev === 'procfs-view');
    // Once, for the ps that reads the host's procfs; the one with its own procfs needs no explaining.
    expect(views.length).toBe(1);
    expect(String(views[0].why)).toContain('mount a new one (unshare --mount-proc)');
    expect(views[0].procfs_pidns).toBe(4026531836);
  });
});

describe('chroot and reapers', () => {
  test('CHR-02: chroot does not move the working directory; getcwd then reads "(unreachable)"', () => {
    const out = run(function* (o) {
      yield* sys.mkdir('/tmp/X');
      yield* sys.mkdir('/tmp/X/jail');
      yield* sys.chdir('/tmp/X');
      o.push(e(yield* sys.chroot('/tmp/X/jail')));
      const cwd = yield* sys.getcwd();
      o.push(cwd instanceof SysError ? cwd.errno : cwd);
      return 0;
    });
    expect(out).toEqual(['ok', '(unreachable)/tmp/X']);
  });

  test('PROC-02: a child subreaper adopts orphaned descendants and can wait for them', () => {
    const out = run(function* (o) {
      o.push(e(yield* sys.prctl(36, 1)));
      const me = yield* sys.getpid();
      const mid = yield* sys.fork(function* (): Program {
        yield* sys.fork(function* (): Program {
          yield* sys.nanosleep(1e6);
          return (yield* sys.getppid()) === me ? 21 : 22;
        });
        return 0;
      });
      if (typeof mid !== 'number') throw mid;
      yield* sys.wait4(mid);
      const g = yield* sys.wait4(-1);
      o.push(g instanceof SysError ? g.errno : String(g.status >> 8));
      return 0;
    });
    expect(out).toEqual(['ok', '21']);
  });
});
