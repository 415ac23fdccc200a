/**
 * `ctsim vm console` as a user scripts it: the console of a VM on a kept host (--root),
 * each line typed when the guest waits for one, the session recorded so that later
 * commands see what it did, --show-log, inspect's serial counters, and one-line errors.
 * Runs the built CLI (bin/run.js → dist/), as `npm test` builds it first. (The
 * interactive mode needs a terminal: it was checked by hand under tmux.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';

const ctsim = (args: string[], input = ''): ReturnType<typeof runBuiltCli> => runBuiltCli(args, input, 'latin1');

describe('ctsim vm console', () => {
  it('types a script into the serial console, keeps what it did, shows the log and counts the exits', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-console-'));
    const r = ['--root', root];
    expect(ctsim(['vm', 'create', 'web', ...r, '--config', 'fixtures/vm/examples/kvm-microvm.json']).status).toBe(0);
    expect(ctsim(['vm', 'start', 'web', ...r]).status).toBe(0);

    // The first attach starts the getty: its banner, root's shell, then each line echoed before its output.
    const first = ctsim(['vm', 'console', 'web', ...r], 'echo $((6*7)) > /root/answer\ncat /root/answer\n');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.startsWith('\r\nDebian GNU/Linux 12 web ttyS0\r\n\r\nweb login: root (automatic login)\r\n')).toBe(true);
    expect(first.stdout.endsWith('\r\n# echo $((6*7)) > /root/answer\r\n# cat /root/answer\r\n42\r\n# ')).toBe(true);

    // A later command on the host sees the file (the session was recorded and replayed).
    expect(ctsim(['vm', 'exec', 'web', ...r, '--', 'cat', '/root/answer'])).toMatchObject({ status: 0, stdout: '42\n' });
    // The shell is still there: no new login.
    expect(ctsim(['vm', 'console', 'web', ...r], 'tty\n')).toMatchObject({ status: 0, stdout: 'tty\r\n/dev/ttyS0\r\n# ' });

    // The VMM kept everything: the boot messages (console=ttyS0), the login, both sessions.
    const log = ctsim(['vm', 'console', 'web', ...r, '--show-log']);
    expect(log.status).toBe(0);
    expect(log.stdout).toMatch(/^\[ {4}\d+\.\d{6}\] Linux version 6\.1\.0-ctsim /);
    expect(log.stdout).toContain('] serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A\r\n');
    expect(log.stdout).toContain('] virtio_net virtio0 eth0: 52:54:00:12:34:56\r\n');
    expect(log.stdout.endsWith(first.stdout + 'tty\r\n/dev/ttyS0\r\n# ')).toBe(true);

    // Every byte out and in was a trapped access to the UART: an I/O exit under hardware assist.
    const serial = JSON.parse(ctsim(['vm', 'inspect', 'web', ...r, '--json']).stdout).devices.serial;
    const typed = 'echo $((6*7)) > /root/answer\ncat /root/answer\ntty\n'.length;
    expect(serial).toMatchObject({ model: '16550A', ioPort: '0x3f8', irq: 4, guestDevice: 'ttyS0', console: true, bytesIn: typed, bytesOut: log.stdout.length });
    expect(serial.traps).toBe(serial.bytesIn + serial.bytesOut);
    expect(ctsim(['vm', 'inspect', 'web', ...r]).stdout).toContain('Serial port: 16550A at 0x3f8, IRQ 4 (ttyS0 in the guest, its console)');

    // A command that outlasts --time-limit: the console lets go (124), the guest goes on.
    const long = ctsim(['vm', 'console', 'web', ...r, '--time-limit', '2s'], 'sleep 100\n');
    expect(long.status).toBe(124);
    expect(long.stderr).toBe('\nctsim vm console: detached after the time limit; what runs in the guest goes on\n');
    expect(ctsim(['vm', 'exec', 'web', ...r, '--', 'ps', '-t', 'ttyS0', '-o', 'comm=']).stdout).toBe('sh\nsleep\n');

    // Errors: one line, status 1, nothing recorded.
    expect(ctsim(['vm', 'console', 'nosuch', ...r], 'true\n')).toMatchObject({ status: 1, stdout: '', stderr: 'ctsim vm console: no VM named "nosuch" (ctsim vm list shows them)\n' });
    expect(ctsim(['vm', 'console', 'web', ...r, '--time-limit', 'soon'])).toMatchObject({ status: 2, stderr: 'ctsim vm console: --time-limit: expected a duration like 30s or 500ms, found soon\n' });
    expect(ctsim(['vm', 'stop', 'web', ...r]).status).toBe(0);
    expect(ctsim(['vm', 'console', 'web', ...r], 'true\n')).toMatchObject({ status: 1, stderr: 'ctsim vm console: VM "web" is stopped: console needs it running (ctsim vm start web)\n' });
    // The log of a stopped VM can still be read: the session, then the orderly shutdown's last words.
    const shown = ctsim(['vm', 'console', 'web', ...r, '--show-log']).stdout;
    expect(shown).toContain('sleep 100\r\n');
    expect(shown).toMatch(/\] reboot: Power down\r\n$/);
  }, 180_000);
});
