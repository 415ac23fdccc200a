/**
 * Driving a simulation from a real terminal or stream (the CLI edge: real time and
 * real input live here, never in the simulation). The engine runs in chunks; between
 * chunks Node can deliver keystrokes (^C must be able to stop a runaway `yes`). When
 * the simulation has nothing left to do but wait for input, the driver waits for the
 * user — with readline's line editing and history when a terminal is attached, or raw
 * (every key as typed) on a VM's serial console.
 */
import * as readline from 'node:readline';
import type { Host } from '../host.js';
import type { Task } from '../kernel/proc/task.js';
import type { Tty } from '../kernel/tty/tty.js';
import type { HostInput } from '../kernel/tty/host-stream.js';
import { SIG } from '../kernel/proc/signals.js';
import { FREE_CHUNK_NS, makePacer, type Pacer } from './pacer.js';
import { SHELLS } from '../report/monitor-report.js';

/** Engine steps per chunk: small enough that ^C feels immediate. */
const CHUNK_STEPS = 20_000;

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits until `arm`'s callback is called or `ms` milliseconds pass (Infinity: no timeout). */
function waitOrTimeout(arm: (wake: () => void) => void, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    arm(() => {
      if (timer) clearTimeout(timer);
      resolve();
    });
    if (ms !== Infinity) timer = setTimeout(resolve, ms);
  });
}

/**
 * Runs until `task` exits; returns its wait status. Simulated time is paced to real
 * time (never ahead of the wall clock since the session started), so that at a
 * terminal `sleep 5` takes five seconds and a background job is still running when
 * you look at it; when the simulation is slower than real time it runs flat out.
 * `waitForInput(ms)` waits for input for at most `ms` milliseconds (Infinity: until some).
 */
async function runUntilExit(host: Host, task: Task, pacer: Pacer, waitForInput: (ms: number) => Promise<void>, detach: () => boolean = () => false): Promise<number> {
  let exited = false;
  const hook = (t: Task): void => {
    if (t === task) {
      exited = true;
      host.engine.stop();
    }
  };
  host.kernel.exitHooks.add(hook);
  try {
    await runPaced(host, () => exited || detach(), pacer, waitForInput);
  } finally {
    host.kernel.exitHooks.delete(hook);
  }
  return task.exitStatus;
}

/** Runs the simulation paced to the wall clock (see runUntilExit) until `done()`. */
export async function runPaced(host: Host, done: () => boolean, pacer: Pacer, waitForInput: (ms: number) => Promise<void>): Promise<void> {
  const realNowNs = pacer.realNowNs;
  while (!done()) {
    const until = realNowNs();
    const why = host.engine.run({ maxSteps: CHUNK_STEPS, until });
    if (done()) break;
    if (why === 'max-steps') {
      await tick();
      continue;
    }
    if (why === 'until' && pacer.isFree) {
      // Flat out: nothing due before the chunk's end, so time simply passes to it.
      host.engine.advanceTo(until);
      await tick();
      continue;
    }
    if (why === 'until') {
      // Ahead of the wall clock: wait for it (or for input) until the next action is due.
      // Paused, time stands still until input comes (or a monitor word moves it).
      const aheadMs = (host.engine.nextActionTime() - realNowNs()) / 1e6;
      await waitForInput(pacer.paused ? Infinity : Math.max(1, Math.min(aheadMs, 100)));
      pacer.sync();
      continue;
    }
    // Idle: every task waits for something only the outside world can give.
    await waitForInput(Infinity);
    pacer.sync();
  }
}

/** The simulated end of a raw console: a serial line. */
export interface SerialLine {
  /** Bytes typed, handed to the line at the simulated time they arrive. */
  send(bytes: string): void;
  /** True once the other end is gone (the VM stopped). */
  ended(): boolean;
}

/** ^], the escape character of virsh console (and telnet). */
export const CONSOLE_ESCAPE = 0x1d;

/**
 * A real terminal attached raw to a simulated serial line (ctsim vm console): every
 * key goes to the line as it is typed — the guest's line discipline echoes and edits,
 * as on a real serial console — until ^] detaches or the line ends. The caller writes
 * the line's output as it comes. Simulated time keeps pace with the wall clock.
 */
export async function runRawConsole(host: Host, line: SerialLine, input: NodeJS.ReadStream): Promise<'detached' | 'ended'> {
  const pacer = makePacer(host);
  const pending: Buffer[] = [];
  let detached = false;
  let wake: (() => void) | null = null;
  const onData = (d: Buffer): void => {
    pending.push(d);
    wake?.();
  };
  const onEnd = (): void => {
    pending.push(Buffer.from([CONSOLE_ESCAPE]));
    wake?.();
  };
  input.setRawMode?.(true);
  input.on('data', onData);
  input.on('end', onEnd);
  input.resume();
  try {
    await runPaced(host, () => detached || line.ended(), pacer, async (ms) => {
      if (pending.length === 0) await waitOrTimeout((r) => (wake = r), ms);
      wake = null;
      pacer.sync();
      for (const d of pending.splice(0)) {
        if (detached) break;
        const esc = d.indexOf(CONSOLE_ESCAPE);
        const keys = esc >= 0 ? d.subarray(0, esc) : d;
        if (keys.length > 0) line.send(keys.toString('latin1'));
        if (esc >= 0) detached = true;
      }
    });
  } finally {
    input.off('data', onData);
    input.off('end', onEnd);
    input.setRawMode?.(false);
    input.pause();
  }
  return detached ? 'detached' : 'ended';
}

/** A command whose standard input is fed, as it arrives, from a real stream. */
export async function runWithLiveInput(host: Host, task: Task, input: HostInput, stream: NodeJS.ReadableStream): Promise<number> {
  const pacer = makePacer(host);
  const chunks: Buffer[] = [];
  let ended = false;
  let wake: (() => void) | null = null;
  stream.on('data', (d: Buffer) => {
    chunks.push(d);
    wake?.();
  });
  stream.on('end', () => {
    ended = true;
    wake?.();
  });
  // Let go of the terminal however the run ends (a guard limit throws out of it).
  try {
    return await runUntilExit(host, task, pacer, async (ms) => {
      if (chunks.length === 0 && !ended) await waitOrTimeout((r) => (wake = r), ms);
      wake = null;
      pacer.sync();
      for (const c of chunks.splice(0)) input.push(c.toString('latin1'));
      if (ended && !input.isEnded) input.end();
    });
  } finally {
    stream.removeAllListeners('data');
    stream.removeAllListeners('end');
    if ('pause' in stream) (stream as NodeJS.ReadStream).pause();
  }
}

/** A CSI escape sequence (ECMA-48): ESC [ parameters intermediates final byte. */
// eslint-disable-next-line no-control-regex -- ESC is what a CSI sequence starts with
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

/**
 * Splits what a shell wrote after its last newline into the control sequences to send
 * as they are (up to the last one that is not a colour, SGR "m") and the prompt itself.
 */
export function splitPromptControls(text: string): [string, string] {
  let cut = 0;
  for (const m of text.matchAll(CSI)) if (!m[0].endsWith('m')) cut = m.index + m[0].length;
  return [text.slice(0, cut), text.slice(cut)];
}


/** What was typed at the simulated terminal, as a replay must type it again. */
export type TerminalInput = { kind: 'line'; text: string } | { kind: 'signal'; sig: number } | { kind: 'eof' };

/** Gives `what` to `tty` (a replay uses this too, so that live and replayed input agree). */
export function typeOnTerminal(tty: Tty, what: TerminalInput): void {
  if (what.kind === 'line') tty.inputLine(Buffer.from(what.text + '\n', 'utf8').toString('latin1'));
  else if (what.kind === 'signal') tty.inputSignal(what.sig);
  else tty.inputEof();
}

/** A simulated host with a shell on one of its terminals: what an interactive session is attached to. */
export interface TerminalAttachment {
  host: Host;
  /** The session's shell: when it exits, so does the session. */
  task: Task;
  tty: Tty;
  /** Output the shell wrote after its last newline (its prompt), shown when attaching. */
  pendingOutput?: string;
}

/** Why SessionControl.runFor stopped ('interrupted': ^C). */
export type RunForResult = 'reached' | 'stopped' | 'idle' | 'exited' | 'interrupted';

/**
 * The controls of a live session's clock and attachment, given to its hooks (the
 * monitor's pause, step and restore).
 */
export interface SessionControl {
  /** What the terminal is attached to now. */
  readonly attached: TerminalAttachment;
  /** True while simulated time is not paced to the wall clock. */
  readonly paused: boolean;
  pause(): void;
  resume(): void;
  /**
   * Runs the simulation flat out (in chunks, ^C still heard) until simulated time
   * reaches `untilNs`, `stop()` turns true (checked between chunks; a trace sink may
   * also call engine.stop()), everything waits for input, the shell exits, or ^C is
   * typed (it stops the run and does not reach the simulated terminal). Leaves the
   * session paused where it stopped.
   */
  runFor(untilNs: number, stop?: () => boolean): Promise<RunForResult>;
  /** Detaches the terminal from the current host and attaches it to `to` (restore). */
  attach(to: TerminalAttachment): void;
}

/**
 * What a caller may add to an interactive session (ctsim's own words at the shell
 * prompt — explain, step, lessons). Both are called only while a shell waits at its
 * prompt (the terminal's foreground group is led by a shell that reads the terminal).
 */
export interface TerminalHooks {
  /**
   * A line typed at the shell's prompt. Return true when the hook handled it: the line
   * does not reach the simulated shell and the same prompt is shown again. `print`
   * writes to the real terminal (not the simulated one); `prompt` is the prompt the
   * line was typed at (a shell's PS2, "> ", means the line continues a command).
   */
  onShellLine?(line: string, print: (text: string) => void, prompt?: string): boolean | Promise<boolean>;
  /** The shell is back at its prompt (called before the prompt is shown). */
  onPrompt?(print: (text: string) => void): void;
  /** Called once as the session starts: the controls of its clock and attachment. */
  onStart?(control: SessionControl): void;
  /** Input was given to the simulated terminal (at the host's time now). */
  onTerminalInput?(what: TerminalInput): void;
  /** Bytes the simulated terminal wrote (as they come, before they reach the real terminal). */
  onOutput?(bytes: string): void;
  /**
   * True when the caller ends the session (a lesson's `lesson quit`): runOnTerminal
   * returns, leaving the simulation as it is; asked after each line and prompt.
   */
  isEnded?(): boolean;
}

/**
 * An interactive session on a simulated terminal: readline edits lines (with
 * history) in the real terminal; the simulated shell's prompt — whatever it wrote
 * after its last newline — becomes readline's prompt. A hook may attach the
 * terminal to another host (restore); the session ends when the attached shell exits.
 */
export async function runOnTerminal(
  host: Host,
  task: Task,
  tty: Tty,
  out: NodeJS.WriteStream,
  input: NodeJS.ReadStream,
  hooks: TerminalHooks = {},
): Promise<number> {
  let cur: TerminalAttachment = { host, task, tty };
  let pending = '';
  const sinkOf = (): ((bytes: string) => void) => (bytes: string): void => {
    hooks.onOutput?.(bytes);
    const text = pending + bytes;
    const nl = text.lastIndexOf('\n');
    if (nl >= 0) {
      out.write(Buffer.from(text.slice(0, nl + 1), 'latin1'));
      pending = text.slice(nl + 1);
    } else {
      pending = text;
    }
  };
  // A shell waits at its prompt: the session's own, or one started in it (unshare … sh, chroot DIR sh).
  const atShellPrompt = (): boolean => cur.tty.hasWaitingReader && SHELLS.has(cur.host.kernel.tasks.get(cur.tty.fgPgrp)?.comm ?? '');
  const newPacer = (): Pacer => makePacer(cur.host, () => cur.tty.hasWaitingReader);
  let pacer = newPacer();
  const history: string[] = [];
  let rl: readline.Interface | null = null;
  let wake: (() => void) | null = null;
  /** True while readline shows the simulated prompt and no line has come back yet. */
  let prompted = false;
  let exited = false;
  const deliver = (): void => {
    prompted = false;
    wake?.();
  };
  /** True while SessionControl.runFor runs the machine; ^C then stops it (`interrupted`). */
  let running = false;
  let interrupted = false;
  /** Input to the simulated terminal, after everything due up to now has run (so a replay can feed it at the same point). */
  const feed = (what: TerminalInput): void => {
    promptIsShell = false;
    pacer.sync();
    cur.host.engine.runUntil(cur.host.now);
    typeOnTerminal(cur.tty, what);
    hooks.onTerminalInput?.(what);
    pacer.runFree();
    deliver();
  };
  /** Lines are handled one after another: a hook's `step` finishes before the next line is looked at. */
  let lineChain: Promise<void> = Promise.resolve();
  const open = (): readline.Interface => {
    const r = readline.createInterface({ input, output: out, terminal: true, history: [...history], historySize: 1000, prompt: '' });
    r.on('line', (line) => {
      if (line.trim() !== '' && history[0] !== line) history.unshift(line);
      lineChain = lineChain.then(async () => {
        const before = cur;
        // The prompt shown decides (not the machine now): after a :step the shell may be busy with a signal, yet the prompt on the screen is still its own.
        if (hooks.onShellLine && promptIsShell && (await hooks.onShellLine(line, print, shownPrompt))) {
          // Prompt again, unless the hook ended the session or attached another host (whose loop shows its own prompt).
          if (hooks.isEnded?.()) {
            deliver();
          } else if (!exited && cur === before) {
            rl?.setPrompt(shownPrompt);
            rl?.prompt(true);
          }
          return;
        }
        feed({ kind: 'line', text: line });
      });
    });
    r.on('SIGINT', () => {
      out.write('^C\n');
      if (running) interrupted = true;
      else feed({ kind: 'signal', sig: SIG.SIGINT });
    });
    r.on('SIGTSTP', () => {
      out.write('^Z\n');
      feed({ kind: 'signal', sig: SIG.SIGTSTP });
    });
    r.on('close', () => {
      rl = null;
      if (!closing) feed({ kind: 'eof' });
    });
    return r;
  };
  let closing = false;
  /** The prompt readline shows now (the shell's, as it wrote it). */
  let shownPrompt = '';
  /** True when the prompt shown was shown while a shell waited at it (not a program reading a line). */
  let promptIsShell = false;
  const print = (text: string): void => void out.write(text);
  /** SessionControl.runFor's loop (see there). */
  const runFor = async (untilNs: number, stop: () => boolean): Promise<RunForResult> => {
    pacer.pause();
    const { host: h, task: t } = cur;
    const dead = (): boolean => exitedShells.has(t);
    for (;;) {
      if (interrupted) return 'interrupted';
      if (dead()) return 'exited';
      if (stop()) break;
      if (h.now >= untilNs) return 'reached';
      const chunkEnd = Math.min(untilNs, h.now + FREE_CHUNK_NS);
      const why = h.engine.run({ maxSteps: CHUNK_STEPS, until: chunkEnd });
      if (dead()) {
        wake?.();
        return 'exited';
      }
      if (why === 'stopped') break;
      if (why === 'until') {
        h.engine.advanceTo(chunkEnd);
        if (chunkEnd >= untilNs) return 'reached';
        await tick();
        continue;
      }
      if (why === 'idle') {
        // Everything waits for input: time passes with nothing happening.
        h.engine.advanceTo(untilNs);
        return h.now >= untilNs ? 'reached' : 'idle';
      }
      await tick();
    }
    pacer.pause();
    return 'stopped';
  };
  const control: SessionControl = {
    get attached() {
      return cur;
    },
    get paused() {
      return pacer.paused;
    },
    pause: () => pacer.pause(),
    resume: () => pacer.resume(),
    runFor: async (untilNs, stop = () => false) => {
      running = true;
      interrupted = false;
      try {
        return await runFor(untilNs, stop);
      } finally {
        running = false;
      }
    },
    attach: (to) => {
      attachNow(to);
      pending = to.pendingOutput ?? '';
      prompted = false;
      wake?.();
    },
  };
  /** Shells of attachments that have exited. */
  const exitedShells = new WeakSet<Task>();
  /**
   * Attaches the terminal to `to` at once (a restore: lines typed ahead must reach the
   * new machine, not the old one, whose loop ends when it next looks).
   */
  const attachNow = (to: TerminalAttachment): void => {
    cur.tty.sink = () => undefined;
    cur.tty.onReaderWait = null;
    cur = to;
    const { host: h, tty: tt } = to;
    tt.sink = sinkOf();
    const wasPaused = pacer.paused;
    pacer = newPacer();
    if (wasPaused) pacer.pause();
    // Paused, a command typed runs flat out until the terminal's reader waits again.
    tt.onReaderWait = () => {
      if (pacer.isFree) h.engine.stop();
    };
    h.kernel.exitHooks.add((x: Task) => {
      if (x === to.task) exitedShells.add(x);
    });
  };
  hooks.onStart?.(control);
  rl = open();
  let status = 0;
  pending = '';
  attachNow(cur);
  // The terminal is let go however the session ends: the shell's exit, or a guard limit thrown out of the run.
  try {
  for (;;) {
    const mine = cur;
    const { host: h, task: t, tty: tt } = mine;
    status = await runUntilExit(h, t, pacer, async (ms) => {
      if (cur !== mine) return;
      if (tt.hasWaitingReader && !prompted) {
        if (!rl) rl = open();
        promptIsShell = atShellPrompt();
        // What moves the cursor or clears the screen (clear's \e[H\e[2J) is done now, not made
        // part of readline's prompt: readline redraws its prompt, and would clear again
        // whatever ctsim prints at the prompt.
        const [controls, promptText] = splitPromptControls(pending);
        if (controls !== '') out.write(Buffer.from(controls, 'latin1'));
        pending = promptText;
        if (hooks.onPrompt && promptIsShell) {
          // The hook may run the simulation (a lesson's check): what programs write meanwhile
          // goes above the prompt, which is kept for the end.
          const prompt = pending;
          pending = '';
          hooks.onPrompt(print);
          if (pending !== '') out.write(Buffer.from(`${pending}\n`, 'latin1'));
          pending = prompt;
        }
        shownPrompt = Buffer.from(pending, 'latin1').toString('utf8');
        rl.setPrompt(shownPrompt);
        pending = '';
        rl.prompt(true);
        prompted = true;
      }
      if (hooks.isEnded?.()) return;
      await waitOrTimeout((r) => (wake = r), ms);
      wake = null;
    }, () => cur !== mine || (hooks.isEnded?.() ?? false));
    // Restored: the old host is dropped; the new one's loop shows its prompt afresh.
    if (cur === mine) break;
  }
  } finally {
    exited = true;
    closing = true;
    if (pending) out.write(Buffer.from(pending, 'latin1'));
    (rl as readline.Interface | null)?.close();
    input.pause();
  }
  return status;
}
