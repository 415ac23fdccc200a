/**
 * clear(1), ncurses 6.4 on Debian 12: the bytes and messages below are what the real
 * clear printed for each TERM (2026-11-26), i.e. the terminfo entries' clear and E3.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

function run(argv: string[], env: string[]) {
  const host = createHost({ cpus: 1, seed: 1 });
  const r = host.run(['/usr/bin/clear', ...argv], { env });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe('clear', () => {
  test.each([
    ['xterm-256color', '\x1b[H\x1b[2J\x1b[3J'],
    ['xterm', '\x1b[H\x1b[2J\x1b[3J'],
    ['linux', '\x1b[H\x1b[J\x1b[3J'],
    ['tmux-256color', '\x1b[H\x1b[J\x1b[3J'],
    ['screen-256color', '\x1b[H\x1b[J'],
    ['vt100', '\x1b[H\x1b[J'],
    ['rxvt', '\x1b[H\x1b[2J'],
    ['rxvt-unicode-256color', '\x1b[H\x1b[2J'],
    ['xterm-debian', '\x1b[H\x1b[2J\x1b[3J'],
    ['screen-bce', '\x1b[H\x1b[J'],
    ['sun', '\f'],
  ])('TERM=%s', (term, bytes) => {
    expect(run([], [`TERM=${term}`])).toEqual({ stdout: bytes, stderr: '', status: 0 });
  });

  test('-x keeps the scrollback; -T overrides $TERM', () => {
    expect(run(['-x'], ['TERM=xterm']).stdout).toBe('\x1b[H\x1b[2J');
    expect(run(['-x', '-T', 'linux'], ['TERM=xterm']).stdout).toBe('\x1b[H\x1b[J');
  });

  test.each([
    [[], [], 'TERM environment variable not set.\n'],
    [[], ['TERM='], "'': unknown terminal type.\n"],
    [[], ['TERM=xterm-16color'], "'xterm-16color': unknown terminal type.\n"],
    [[], ['TERM=dumb'], ''],
    [['-z'], ['TERM=xterm'], "clear: invalid option -- 'z'\nUsage: clear [options]\n"],
    [['foo'], ['TERM=xterm'], 'Usage: clear [options]\n'],
  ])('%j with %j fails', (argv, env, message) => {
    const r = run(argv, env);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    if (message.startsWith('Usage') || message.includes('invalid')) expect(r.stderr.startsWith(message)).toBe(true);
    else expect(r.stderr).toBe(message);
  });

  test('-V', () => {
    expect(run(['-V'], []).stdout).toBe('ncurses 6.4.20221231\n');
  });
});
