/**
 * Terminals as tty(4) and credentials(7) describe them: canonical input a line at a
 * time, ^C as SIGINT to the foreground process group, ^D as end of file, SIGTTIN
 * for a background reader, ONLCR on output, and /dev/tty as the controlling terminal.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { out } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import { SIG } from '../../../src/kernel/proc/signals.js';
import { O_RDWR } from '../../../src/kernel/vfs/types.js';
import { TIOCGPGRP, TIOCSPGRP, TCGETS } from '../../../src/kernel/syscalls/abi.js';
import { WIFSIGNALED, WTERMSIG, WIFSTOPPED, WSTOPSIG, WUNTRACED } from '../../../src/kernel/proc/wstatus.js';
import type { Host } from '../../../src/index.js';
import type { Task } from '../../../src/kernel/proc/task.js';

/** Runs the simulation for 10 ms: long enough to settle, far shorter than the sleeps. */
function settle(host: Host): void {
  host.engine.run({ until: host.now + 10_000_000 });
}

function session(host: Host, prog: string): { task: Task; output: () => string; tty: ReturnType<Host['openTerminal']> } {
  let text = '';
  const tty = host.openTerminal((b) => (text += b));
  const task = host.spawnOnTerminal([`/usr/bin/${prog}`], tty);
  settle(host);
  return { task, output: () => text, tty };
}

describe('terminals', () => {
  test('reads return a line at a time; output turns \\n into \\r\\n; ^D is end of file', () => {
    const host = hostWith({
      *t() {
        const isTty = !((yield* sys.ioctl(0, TCGETS)) instanceof SysError);
        yield* out(`tty=${isTty}\n`);
        for (;;) {
          const line = yield* sys.read(0, 100);
          if (line instanceof SysError || line === '') break;
          yield* out(`got ${JSON.stringify(line)}\n`);
        }
        yield* out('eof\n');
        return 0;
      },
    });
    const s = session(host, 't');
    s.tty.inputLine('hello\n');
    settle(host);
    s.tty.inputLine('world\n');
    s.tty.inputEof();
    settle(host);
    expect(s.output()).toBe('tty=true\r\ngot "hello\\n"\r\ngot "world\\n"\r\neof\r\n');
    expect(s.task.exiting).toBe(true);
  });

  test('^C sends SIGINT to the foreground process group only', () => {
    const host = hostWith({
      *t() {
        const bg = yield* sys.fork(function* () {
          yield* sys.setpgid(0, 0);
          yield* sys.nanosleep(1e12);
          return 0;
        });
        const fg = yield* sys.fork(function* () {
          yield* sys.setpgid(0, 0);
          yield* sys.nanosleep(1e12);
          return 0;
        });
        yield* sys.setpgid(Number(fg), Number(fg));
        yield* sys.setpgid(Number(bg), Number(bg));
        yield* sys.sigaction(SIG.SIGTTOU, { handler: 'ignore' });
        yield* sys.ioctl(0, TIOCSPGRP, fg);
        const pg = yield* sys.ioctl(0, TIOCGPGRP);
        yield* out(`fg=${pg === fg}\n`);
        const w = yield* sys.wait4(Number(fg));
        if (w instanceof SysError) return 90;
        yield* out(`fg killed by ${WIFSIGNALED(w.status) ? WTERMSIG(w.status) : 'nothing'}\n`);
        const alive = yield* sys.kill(Number(bg), 0);
        yield* out(`bg alive=${alive === 0}\n`);
        yield* sys.kill(Number(bg), SIG.SIGKILL);
        return 0;
      },
    });
    const s = session(host, 't');
    s.tty.inputSignal(SIG.SIGINT);
    settle(host);
    expect(s.output()).toBe('fg=true\r\nfg killed by 2\r\nbg alive=true\r\n');
  });

  test('a background process group that reads its terminal is stopped by SIGTTIN', () => {
    const host = hostWith({
      *t() {
        const pid = yield* sys.fork(function* () {
          yield* sys.setpgid(0, 0);
          yield* sys.read(0, 10);
          return 0;
        });
        const w = yield* sys.wait4(Number(pid), WUNTRACED);
        if (w instanceof SysError) return 90;
        yield* out(`stopped=${WIFSTOPPED(w.status)} sig=${WSTOPSIG(w.status)}\n`);
        yield* sys.kill(Number(pid), SIG.SIGKILL);
        return 0;
      },
    });
    const s = session(host, 't');
    expect(s.output()).toBe(`stopped=true sig=${SIG.SIGTTIN}\r\n`);
  });

  test('/dev/tty opens the controlling terminal; without one it is ENXIO', () => {
    const host = hostWith({
      *t() {
        const fd = yield* sys.open('/dev/tty', O_RDWR);
        if (fd instanceof SysError) return 90;
        yield* sys.write(Number(fd), 'via /dev/tty\n');
        const child = yield* sys.fork(function* () {
          yield* sys.setsid();
          const r = yield* sys.open('/dev/tty', O_RDWR);
          return r instanceof SysError && r.errno === 'ENXIO' ? 0 : 1;
        });
        const w = yield* sys.wait4(Number(child));
        return w instanceof SysError ? 91 : w.status >> 8;
      },
    });
    const s = session(host, 't');
    expect(s.output()).toBe('via /dev/tty\r\n');
    expect(s.task.exitStatus).toBe(0);
  });

  test('ps sees the terminal: /proc/PID/stat has tty_nr 136:0 and the foreground group', () => {
    const host = hostWith({
      *t() {
        yield* sys.nanosleep(1e12);
        return 0;
      },
    });
    const s = session(host, 't');
    const r = host.run(['/bin/cat', `/proc/${s.task.tid}/stat`]);
    const f = r.stdout.split(' ');
    expect(Number(f[6])).toBe((136 << 8) | 0);
    expect(Number(f[7])).toBe(s.task.tid);
  });
});
