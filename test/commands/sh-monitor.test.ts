/**
 * `ctsim sh` at a real terminal, as a user types at it: the built CLI (bin/run.js →
 * dist/) under tmux, with ctsim's own words at the prompt — explain, :pause, :time,
 * :step, :inspect, :snapshot and :restore. Skipped, saying so, where tmux is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) console.warn('sh-monitor.test.ts: tmux is not installed, so the interactive ctsim sh test is skipped (apt-get install tmux)');

const SESSION = `ctsim-sh-monitor-${process.pid}`;
const tmux = (...args: string[]): string => execFileSync('tmux', args, { encoding: 'utf8' });

/** The pane's text, blank lines dropped. */
const screen = (): string =>
  tmux('capture-pane', '-p', '-J', '-t', SESSION, '-S', '-500')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .join('\n');

const isPrompt = (l: string): boolean => l === '#' || l.startsWith('# ');

/** Waits until `ok(screen)` (at most 20 s); returns the screen. */
async function waitFor(ok: (s: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const s = screen();
    if (ok(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the terminal never showed ${what}:\n${screen()}`);
}

/** Prompts shown so far. */
let prompts = 0;
/** Waits for the next prompt: one more prompt line, and the last line an empty prompt. */
function nextPrompt(): Promise<string> {
  prompts++;
  return waitFor((s) => {
    const lines = s.split('\n');
    return lines.filter(isPrompt).length >= prompts && lines.at(-1)!.trim() === '#';
  }, `prompt ${prompts}`);
}

/** Types a line and waits for the prompt after it. */
async function type(line: string): Promise<string> {
  tmux('send-keys', '-t', SESSION, '-l', line);
  tmux('send-keys', '-t', SESSION, 'Enter');
  return nextPrompt();
}

/** What the last typed line printed: the lines between its prompt and the next. */
function lastOutput(s: string): string {
  const lines = s.split('\n');
  const prev = lines.slice(0, -1).map(isPrompt).lastIndexOf(true);
  return lines.slice(prev + 1, -1).join('\n');
}

const timeNs = (s: string): number => {
  const m = /(\d+)\.(\d{9}) s of simulated time since boot/.exec(s);
  if (!m) throw new Error(`no time in ${s}`);
  return Number(m[1]) * 1e9 + Number(m[2]);
};

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['kill-session', '-t', SESSION]);
});

describe.skipIf(!hasTmux)('ctsim sh at a terminal (tmux)', () => {
  it('explains a failure, pauses and steps time, inspects a process, and goes back to a snapshot', async () => {
    tmux('new-session', '-d', '-s', SESSION, '-x', '200', '-y', '50', `${process.execPath} ${path.join(REPO_ROOT, 'bin', 'run.js')} sh`);
    await nextPrompt();

    await type('ls /nonexistent');
    const ex = lastOutput(await type('explain'));
    expect(ex).toContain('ls[6] stat failed with ENOENT: nonexistent does not exist in / (ext4 /dev/sda1)');
    expect(ex).toContain('sh[2] searched $PATH for ls');

    await type('sleep 10 &');
    expect(lastOutput(await type(':pause'))).toMatch(/^paused at \d+\.\d{9} s/);
    const t0 = timeNs(lastOutput(await type(':time')));
    expect(lastOutput(await type(':step 1ms'))).toMatch(/^stepped 1 ms/);
    expect(timeNs(lastOutput(await type(':time')))).toBe(t0 + 1_000_000);

    const ps = lastOutput(await type('ps -o pid=,comm='));
    const pid = /(\d+) sleep/.exec(ps)![1];
    const ins = lastOutput(await type(`:inspect ${pid}`));
    expect(ins).toContain(`PID ${pid}  sleep  state S (sleeping)`);
    expect(ins).toContain('cmdline  sleep 10');
    expect(ins).toContain('blocked  in nanosleep()');
    expect(ins).toMatch(/ {4}1 rw -> \/dev\/pts\/0/);

    expect(lastOutput(await type(':snapshot a'))).toMatch(/^snapshot a at /);
    await type('touch /tmp/x');
    expect(lastOutput(await type('ls /tmp/x'))).toBe('/tmp/x');
    expect(lastOutput(await type(':restore a'))).toMatch(/^restored a: a new machine booted from seed 1 replayed \d+ inputs? up to/);
    expect(lastOutput(await type('ls /tmp/x'))).toBe("ls: cannot access '/tmp/x': No such file or directory");
    // The sleep of the snapshot's moment is back, still running.
    expect(lastOutput(await type('jobs'))).toMatch(/^\[1\] \+ Running +sleep 10$/);

    tmux('send-keys', '-t', SESSION, 'exit', 'Enter');
  }, 120_000);
});
