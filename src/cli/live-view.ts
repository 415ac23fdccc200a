/**
 * A view redrawn in place at a real terminal, as procps top does: the alternate
 * screen, the cursor sent home and each line cleared to its end before the next frame
 * is written, so the screen always holds one frame — never a scrolling log. The
 * first frame comes at once; between frames the simulation runs `delayNs` of simulated time, paced to the wall clock
 * (live-session.ts), and keys are read raw: q or ^C quits. The terminal is given back
 * as it was (main screen, cursor shown, cooked mode) however the loop ends.
 */
import type { Host } from '../host.js';
import { runPaced } from './live-session.js';
import { makePacer } from './pacer.js';

const ALT_SCREEN_ON = '\x1b[?1049h';
const ALT_SCREEN_OFF = '\x1b[?1049l';
const CURSOR_HIDE = '\x1b[?25l';
const CURSOR_SHOW = '\x1b[?25h';
const HOME = '\x1b[H';
const CLEAR_EOL = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

export interface LiveViewOptions {
  /** Simulated time between frames, ns. */
  delayNs: number;
  /** Stop after this many frames (Infinity: until q or ^C). */
  iterations: number;
  /** The frame's lines for a terminal of this size (called once per frame: at once, then after each delay). */
  frame: (size: { rows: number; columns: number }) => string[];
}

/** Runs the view on `out` (a TTY), reading keys from `input`; resolves when it quits. */
export async function runLiveView(host: Host, out: NodeJS.WriteStream, input: NodeJS.ReadStream, o: LiveViewOptions): Promise<void> {
  let quit = false;
  let wake: (() => void) | null = null;
  const onData = (d: Buffer): void => {
    const s = d.toString('latin1');
    if (s.includes('q') || s.includes('\x03')) quit = true;
    wake?.();
  };
  const onSigint = (): void => {
    quit = true;
    wake?.();
  };
  const raw = input.isTTY === true;
  if (raw) input.setRawMode(true);
  input.on('data', onData);
  input.resume();
  process.on('SIGINT', onSigint);
  out.write(ALT_SCREEN_ON + CURSOR_HIDE);
  const pacer = makePacer(host);
  try {
    for (let i = 0; i < o.iterations && !quit; i++) {
      // The first frame at once (as top shows one on start), each next one a delay later.
      const target = i === 0 ? host.now : host.now + o.delayNs;
      await runPaced(host, () => quit || host.now >= target, pacer, (ms) => {
        // Wait for a key, the wall clock, or the frame's time, whichever comes first.
        const untilFrameMs = Math.max(1, (target - pacer.realNowNs()) / 1e6);
        const wait = Math.min(ms, untilFrameMs);
        return new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        }).finally(() => (wake = null));
      });
      if (quit) break;
      const lines = o.frame({ rows: out.rows ?? 24, columns: out.columns ?? 80 });
      out.write(HOME + lines.map((l) => l + CLEAR_EOL).join('\r\n') + CLEAR_BELOW);
    }
  } finally {
    process.off('SIGINT', onSigint);
    input.off('data', onData);
    if (raw) input.setRawMode(false);
    input.pause();
    out.write(CURSOR_SHOW + ALT_SCREEN_OFF);
  }
}
