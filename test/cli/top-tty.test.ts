/**
 * `ctsim top` at a real terminal (tmux): the screen is redrawn in place — one header
 * on it, never a scrolling log — the CPU time of a busy task grows from one capture to
 * the next, and q quits, giving the terminal back. Skipped where tmux is missing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('top-tty.test.ts: tmux is not installed; the terminal test of ctsim top is skipped');

const SESSION = `ctsim-top-test-${process.pid}`;
const tmux = (...args: string[]) => spawnSync('tmux', args, { encoding: 'utf8' });
const capture = (): string => tmux('capture-pane', '-p', '-t', SESSION).stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `pred` holds of the screen (or the time is up); returns the last screen. */
async function waitFor(pred: (screen: string) => boolean, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let s = capture();
  while (!pred(s) && Date.now() < end) {
    await sleep(200);
    s = capture();
  }
  return s;
}

const stressTime = (screen: string): number => {
  const m = /(\d+):(\d\d\.\d\d) stress/.exec(screen);
  return m ? Number(m[1]) * 60 + Number(m[2]) : -1;
};

afterAll(() => {
  if (hasTmux) tmux('kill-session', '-t', SESSION);
});

describe.skipIf(!hasTmux)('ctsim top at a terminal', () => {
  it('redraws one frame in place, advancing, and quits on q', async () => {
    const { NODE_ENV: _env, ...env } = process.env;
    const cmd = `${process.execPath} ${path.join(REPO_ROOT, 'bin', 'run.js')} top -c 'stress --cpu 1 &' 2>/dev/null; echo EXITED $?; sleep 30`;
    const started = spawnSync('tmux', ['new-session', '-d', '-s', SESSION, '-x', '120', '-y', '30', cmd], { env: { ...env, TERM: 'xterm-256color' } });
    expect(started.status).toBe(0);
    const first = await waitFor((s) => stressTime(s) > 0);
    const t1 = stressTime(first);
    expect(t1).toBeGreaterThan(0);
    const second = await waitFor((s) => stressTime(s) > t1 + 0.5);
    expect(stressTime(second)).toBeGreaterThan(t1);
    // One frame on the screen: one summary, one column header.
    expect(second.match(/^top - /gm)).toHaveLength(1);
    expect(second.match(/^ {2}PID USER/gm)).toHaveLength(1);
    expect(second.split('\n')[0]).toMatch(/^top - \d\d:\d\d:\d\d up /);
    tmux('send-keys', '-t', SESSION, 'q');
    const after = await waitFor((s) => s.includes('EXITED'));
    expect(after).toMatch(/EXITED 0/);
    // The main screen is back: the frame is gone with the alternate screen.
    expect(after).not.toMatch(/PID USER/);
  }, 60_000);
});
