/**
 * vfork(2) and clone(CLONE_VM | CLONE_VFORK): the child borrows its parent's address
 * space (no page-table copy: one mm, one more user) and the parent sleeps, killably
 * (TASK_KILLABLE, D in ps), until the child execs or exits (mm_release →
 * complete_vfork_done); then vfork returns the child's PID.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { out } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Host } from '../../../src/host.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import { WEXITSTATUS, WIFSIGNALED, WTERMSIG } from '../../../src/kernel/proc/wstatus.js';
import { SIG } from '../../../src/kernel/proc/signals.js';
import { CLONE_VFORK, CLONE_VM } from '../../../src/kernel/syscalls/abi.js';

const MS = 1_000_000;

describe('vfork', () => {
  test('the child shares the mm (users 2, no copy); the parent sleeps in D and gets the PID only after the exec', () => {
    const host: Host = hostWith({
      *t() {
        const k = host.kernel;
        const me = Number(yield* sys.getpid());
        const before = k.now;
        const pid = yield* sys.vfork(function* (): Program {
          const parent = k.tasks.get(me)!;
          const self = k.tasks.get(Number(yield* sys.getpid()))!;
          yield* sys.nanosleep(MS);
          yield* out(`child: same mm ${self.mm === parent.mm} users ${self.mm!.users} parent ${parent.state}\n`);
          yield* sys.execve('/usr/bin/true', ['true'], []);
          return 127;
        });
        const child = k.tasks.get(Number(pid))!;
        yield* out(`parent: pid ${pid} after ${(k.now - before) >= MS} execd ${child.didExec} own mm ${child.mm !== k.tasks.get(me)!.mm} users ${k.tasks.get(me)!.mm!.users}\n`);
        const w = yield* sys.wait4(Number(pid));
        if (w instanceof SysError) return 99;
        yield* out(`status ${WEXITSTATUS(w.status)}\n`);
        return 0;
      },
    });
    const r = host.run(['/usr/bin/t']);
    expect(r.stdout).toBe('child: same mm true users 2 parent D\nparent: pid ' + (r.pid + 1) + ' after true execd true own mm true users 1\nstatus 0\n');
  });

  test('a child that exits ends the wait too; wait4 gives its status', () => {
    const host: Host = hostWith({
      *t() {
        const k = host.kernel;
        const before = k.now;
        const pid = yield* sys.vfork(function* (): Program {
          yield* sys.nanosleep(2 * MS);
          return 5;
        });
        const waited = k.now - before >= 2 * MS;
        const zombie = k.tasks.get(Number(pid))?.state;
        const w = yield* sys.wait4(Number(pid));
        if (w instanceof SysError) return 99;
        yield* out(`waited ${waited} child ${zombie} status ${WEXITSTATUS(w.status)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('waited true child Z status 5\n');
  });

  test('clone(CLONE_VM | CLONE_VFORK) waits the same way', () => {
    const host: Host = hostWith({
      *t() {
        const k = host.kernel;
        const before = k.now;
        const pid = yield* sys.clone(function* (): Program {
          yield* sys.nanosleep(MS);
          return 3;
        }, CLONE_VM | CLONE_VFORK);
        const waited = k.now - before >= MS;
        const w = yield* sys.wait4(Number(pid));
        if (w instanceof SysError) return 99;
        yield* out(`waited ${waited} status ${WEXITSTATUS(w.status)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('waited true status 3\n');
  });

  /** A child `t` that vforks a child sleeping 50 ms; the caller signals it after 1 ms, then `second` after 2 ms. */
  function killWhileWaiting(first: number, second: number | null): string {
    const host: Host = hostWith({
      *t() {
        const k = host.kernel;
        const p = Number(
          yield* sys.fork(function* (): Program {
            yield* sys.vfork(function* (): Program {
              yield* sys.nanosleep(50 * MS);
              return 0;
            });
            return 42;
          }),
        );
        yield* sys.nanosleep(MS);
        const states = [k.tasks.get(p)!.state];
        const before = k.now;
        yield* sys.kill(p, first);
        yield* sys.nanosleep(MS);
        states.push(k.tasks.get(p)!.state);
        if (second !== null) yield* sys.kill(p, second);
        const w = yield* sys.wait4(p);
        if (w instanceof SysError) return 99;
        const orphan = [...k.tasks.values()].find((x) => x.tid === p + 1);
        const how = WIFSIGNALED(w.status) ? `killed by ${WTERMSIG(w.status)}` : `exited ${WEXITSTATUS(w.status)}`;
        yield* out(`${states.join(' ')} ${how} after ${Math.round((k.now - before) / MS)} ms; vfork child ${orphan?.state} ppid ${orphan?.parent?.tid}\n`);
        return 0;
      },
    });
    return host.run(['/usr/bin/t']).stdout;
  }

  test('the wait is killable: a stop signal stays pending (still D), SIGKILL ends it; the child goes on', () => {
    expect(killWhileWaiting(SIG.SIGTSTP, SIG.SIGKILL)).toBe('D D killed by 9 after 1 ms; vfork child S ppid 1\n');
  });

  test('a signal whose default action kills (SIGTERM, not caught) ends the wait at once, as SIGKILL does', () => {
    expect(killWhileWaiting(SIG.SIGTERM, null)).toBe('D Z killed by 15 after 1 ms; vfork child S ppid 1\n');
  });
});
