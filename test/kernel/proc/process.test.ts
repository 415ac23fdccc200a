/**
 * Process lifecycle as Linux defines it: fork(2), execve(2), exit(2), wait4(2),
 * orphans (pid_namespaces(7) "Adoption of orphaned children"), and exit statuses.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { out } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import { WEXITSTATUS, WIFEXITED, WIFSIGNALED, WTERMSIG, WNOHANG } from '../../../src/kernel/proc/wstatus.js';
import { SIG } from '../../../src/kernel/proc/signals.js';

function* child(code: number): Program {
  yield 1000;
  return code;
}

describe('fork, exit and wait4', () => {
  test('the parent gets the child PID, the child its own; wait4 reports the exit code', () => {
    const host = hostWith({
      *t() {
        const me = yield* sys.getpid();
        const pid = yield* sys.fork(function* () {
          const cpid = yield* sys.getpid();
          const ppid = yield* sys.getppid();
          yield* out(`child pid=${cpid} ppid=${ppid}\n`);
          return 7;
        });
        const w = yield* sys.wait4(-1);
        if (w instanceof SysError) return 99;
        yield* out(`parent pid=${me} forked=${pid} reaped=${w.pid} exited=${WIFEXITED(w.status)} code=${WEXITSTATUS(w.status)}\n`);
        const again = yield* sys.wait4(-1);
        yield* out(`again=${again instanceof SysError ? again.errno : 'ok'}\n`);
        return 0;
      },
    });
    const r = host.run(['/usr/bin/t']);
    expect(r.stdout).toBe(`child pid=${r.pid + 1} ppid=${r.pid}\nparent pid=${r.pid} forked=${r.pid + 1} reaped=${r.pid + 1} exited=true code=7\nagain=ECHILD\n`);
    expect(r.status).toBe(0);
  });

  test('WNOHANG returns 0 while the child runs; a zombie is reaped once', () => {
    const host = hostWith({
      *t() {
        const pid = yield* sys.fork(() => child(3));
        const first = yield* sys.wait4(Number(pid), WNOHANG);
        yield* sys.nanosleep(1_000_000);
        const second = yield* sys.wait4(Number(pid), WNOHANG);
        if (first instanceof SysError || second instanceof SysError) return 99;
        yield* out(`${first.pid} ${second.pid === pid} ${WEXITSTATUS(second.status)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('0 true 3\n');
  });

  test('SIGKILL gives a signaled status (a shell shows 137)', () => {
    const host = hostWith({
      *t() {
        const pid = yield* sys.fork(function* () {
          yield* sys.nanosleep(10_000_000_000);
          return 0;
        });
        yield* sys.kill(Number(pid), SIG.SIGKILL);
        const w = yield* sys.wait4(Number(pid));
        if (w instanceof SysError) return 99;
        yield* out(`${WIFSIGNALED(w.status)} ${WTERMSIG(w.status)} ${128 + WTERMSIG(w.status)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('true 9 137\n');
  });

  test('an orphan is adopted by init (PPid 1)', () => {
    const host = hostWith({
      *t() {
        const pid = yield* sys.fork(function* () {
          yield* sys.fork(function* () {
            yield* sys.nanosleep(1_000_000);
            const ppid = yield* sys.getppid();
            yield* out(`orphan ppid=${ppid}\n`);
            return 0;
          });
          return 0;
        });
        yield* sys.wait4(Number(pid));
        yield* sys.nanosleep(5_000_000);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('orphan ppid=1\n');
  });

  test('execve replaces the program and keeps the PID; a missing file is ENOENT', () => {
    const host = hostWith({
      *t() {
        const bad = yield* sys.execve('/nonexistent', ['x'], []);
        yield* out(`${bad instanceof SysError ? bad.errno : 'ok'}\n`);
        const pid = yield* sys.getpid();
        yield* out(`pid ${pid}\n`);
        yield* sys.execve('/bin/echo', ['echo', 'from', 'echo'], []);
        return 5;
      },
    });
    const r = host.run(['/usr/bin/t']);
    expect(r.stdout).toBe(`ENOENT\npid ${r.pid}\nfrom echo\n`);
    expect(r.status).toBe(0);
  });

  test('#! scripts run their interpreter with the script path', () => {
    const host = hostWith({
      *t() {
        const fd = yield* sys.open('/tmp/s', 0o1101, 0o755);
        if (fd instanceof SysError) return 90;
        yield* sys.write(fd, '#!/bin/echo hello\nignored\n');
        yield* sys.close(fd);
        yield* sys.execve('/tmp/s', ['/tmp/s', 'a', 'b'], []);
        return 91;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('hello /tmp/s a b\n');
  });

  test('PIDs are allocated in increasing order from the last one', () => {
    const host = hostWith({
      *t() {
        const a = yield* sys.fork(() => child(0));
        const b = yield* sys.fork(() => child(0));
        yield* sys.wait4(-1);
        yield* sys.wait4(-1);
        const c = yield* sys.fork(() => child(0));
        yield* sys.wait4(-1);
        yield* out(`${Number(b) - Number(a)} ${Number(c) - Number(b)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('1 1\n');
  });
});

describe('a program that throws', () => {
  // A JavaScript exception in a simulated program is a ctsim bug: it must cost that
  // process (SIGSEGV, as a crashing C program would die), not the whole simulation.
  test('dies of SIGSEGV with a kernel log line, and the shell goes on', () => {
    const host = hostWith({
      *t() {
        yield 1000;
        throw new Error('boom');
      },
    });
    const r = host.sh('/usr/bin/t; echo "status $?"; dmesg | grep -c "t\\[.*internal error in the simulated program: boom"');
    expect(r.stdout).toBe('status 139\n1\n');
    expect(r.stderr).toBe('Segmentation fault\n');
  });
});
