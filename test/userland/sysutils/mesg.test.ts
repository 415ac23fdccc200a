/**
 * mesg(1) (util-linux 2.38): the group-write bit of the terminal on standard input.
 * Checked on Linux 6.18 here: `mesg` prints "is n" and exits 1 after `mesg n`; `mesg y`
 * exits 0; not a terminal → status 2 and nothing said; a bad argument → status 1.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

describe('mesg', () => {
  test('reads and sets the terminal\'s group-write bit, with util-linux\'s statuses', () => {
    const host = createHost({ seed: 1 });
    let text = '';
    const tty = host.openTerminal((b) => (text += b));
    host.spawnOnTerminal(['/bin/sh', '-c', 'mesg; echo st=$?; mesg n; echo st=$?; ls -l /dev/pts/0; mesg; echo st=$?; mesg y; echo st=$?; ls -l /dev/pts/0'], tty);
    host.engine.run({ until: host.now + 1e9 });
    expect(text.replace(/\r/g, '')).toMatch(/^is y\nst=0\nst=1\ncrw------- 1 root tty 136, 0 [^\n]+\nis n\nst=1\nst=0\ncrw--w---- 1 root tty 136, 0 /);
  });

  test('is silent with status 2 off a terminal, and refuses a bad argument with status 1', () => {
    const host = createHost({ seed: 1 });
    expect(host.run(['/bin/sh', '-c', 'mesg n < /dev/null; echo st=$?'])).toMatchObject({ stdout: 'st=2\n', stderr: '' });
    const bad = host.run(['/usr/bin/mesg', 'x']);
    expect(bad).toMatchObject({ status: 1, stderr: "mesg: invalid argument: x\nTry 'mesg --help' for more information.\n" });
  });
});
