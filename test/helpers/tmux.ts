/**
 * A command run at a real (pseudo-)terminal under tmux, driven as a person would:
 * keys typed with send-keys, the screen read with capture-pane (all the scrollback:
 * -S -, with a large history-limit, so long output is not lost). Each session has its
 * own tmux server on a socket in a temporary directory (-S), so nothing is shared with
 * other tests or the user's tmux, and nothing is left behind by kill().
 *
 *   const t = TmuxSession.start('wt-x', ['node', 'bin/run.js', 'lesson', 'start', 'chroot']);
 *   try { t.type('ls'); t.waitFor((s) => s.includes('bin'), 10_000); } finally { t.kill(); }
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when tmux can be run here. */
export const HAS_TMUX = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

let counter = 0;

/** `'` → `'\''`: one word for sh -c. */
const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

export class TmuxSession {
  private constructor(
    /** The tmux server's socket (in confDir). */
    readonly socket: string,
    readonly name: string,
    private readonly confDir: string,
  ) {}

  /** Starts `argv` (in `cwd`, with `env` added) in a detached session of cols × rows. */
  static start(prefix: string, argv: string[], opts: { cwd?: string; env?: Record<string, string>; cols?: number; rows?: number } = {}): TmuxSession {
    const id = `${prefix}-${process.pid}-${++counter}`;
    const confDir = mkdtempSync(join(tmpdir(), 'ctsim-tmux-'));
    const conf = join(confDir, 'tmux.conf');
    writeFileSync(conf, 'set -g history-limit 200000\nset -g remain-on-exit on\n');
    const env = Object.entries(opts.env ?? {})
      .map(([k, v]) => `${k}=${shQuote(v)} `)
      .join('');
    const cmd = `cd ${shQuote(opts.cwd ?? process.cwd())} && ${env}exec ${argv.map(shQuote).join(' ')}`;
    const s = new TmuxSession(join(confDir, 'socket'), id, confDir);
    s.tmux(['-f', conf, 'new-session', '-d', '-s', id, '-x', String(opts.cols ?? 120), '-y', String(opts.rows ?? 40), cmd]);
    return s;
  }

  private tmux(args: string[]): string {
    const r = spawnSync('tmux', ['-S', this.socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** Types `line` and Enter. */
  type(line: string): void {
    this.tmux(['send-keys', '-t', this.name, '-l', line]);
    this.tmux(['send-keys', '-t', this.name, 'Enter']);
  }

  /** The whole screen and scrollback as text (wrapped lines joined, trailing blanks cut). */
  capture(): string {
    return this.tmux(['capture-pane', '-p', '-J', '-S', '-', '-t', this.name]).replace(/\s+$/, '');
  }

  /** Polls the screen until `ok(screen)` or `timeoutMs` pass; returns the screen, or null on timeout. */
  waitFor(ok: (screen: string) => boolean, timeoutMs: number): string | null {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (ok(screen)) return screen;
      if (Date.now() > end) return null;
      spawnSync('sleep', ['0.1']);
    }
  }

  /** Ends the session's tmux server and the command in it. */
  kill(): void {
    spawnSync('tmux', ['-S', this.socket, 'kill-server'], { encoding: 'utf8' });
    rmSync(this.confDir, { recursive: true, force: true });
  }
}
