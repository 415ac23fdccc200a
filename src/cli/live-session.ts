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

/** Simulated time that keeps pace with the wall clock from the start of a live session. */
export interface Pacer {
  /** The simulated time that corresponds to the wall clock now. */
  realNowNs: () => number;
  /** Moves an idle simulation's clock up to the wall clock (call before feeding it input). */
  sync: () => void;
}

export function makePacer(host: Host): Pacer {
  const simStart = host.engine.now;
  const realStart = performance.now();
  const realNowNs = (): number => simStart + Math.floor((performance.now() - realStart) * 1e6);
  return { realNowNs, sync: () => host.engine.advanceTo(realNowNs()) };
}

/**
 * Runs until `task` exits; returns its wait status. Simulated time is paced to real
 * time (never ahead of the wall clock since the session started), so that at a
 * terminal `sleep 5` takes five seconds and a background job is still running when
 * you look at it; when the simulation is slower than real time it runs flat out.
 * `waitForInput(ms)` waits for input for at most `ms` milliseconds (Infinity: until some).
 */
async function runUntilExit(host: Host, task: Task, pacer: Pacer, waitForInput: (ms: number) => Promise<void>, ended: () => boolean = () => false): Promise<number> {
  let exited = false;
  const hook = (t: Task): void => {
    if (t === task) {
      exited = true;
      host.engine.stop();
    }
  };
  host.kernel.exitHooks.add(hook);
  try {
    await runPaced(host, () => exited || ended(), pacer, waitForInput);
  } finally {
    host.kernel.exitHooks.delete(hook);
  }
  return task.exitStatus;
}

/** Runs the simulation paced to the wall clock (see runUntilExit) until `done()`. */
export async function runPaced(host: Host, done: () => boolean, pacer: Pacer, waitForInput: (ms: number) => Promise<void>): Promise<void> {
  const realNowNs = pacer.realNowNs;
  while (!done()) {
    const why = host.engine.run({ maxSteps: CHUNK_STEPS, until: realNowNs() });
    if (done()) break;
    if (why === 'max-steps') {
      await tick();
      continue;
    }
    if (why === 'until') {
      // Ahead of the wall clock: wait for it (or for input) until the next action is due.
      const aheadMs = (host.engine.nextActionTime() - realNowNs()) / 1e6;
      await waitForInput(Math.max(1, Math.min(aheadMs, 100)));
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
  const status = await runUntilExit(host, task, pacer, async (ms) => {
    if (chunks.length === 0 && !ended) await waitOrTimeout((r) => (wake = r), ms);
    wake = null;
    pacer.sync();
    for (const c of chunks.splice(0)) input.push(c.toString('latin1'));
    if (ended && !input.isEnded) input.end();
  });
  stream.removeAllListeners('data');
  stream.removeAllListeners('end');
  if ('pause' in stream) (stream as NodeJS.ReadStream).pause();
  return status;
}

/** Programs whose wait for a line at the terminal is a shell's prompt. */
const SHELLS = new Set(['sh', 'dash', 'ash', 'bash', '-sh']);

/**
 * What a caller may add to an interactive session (ctsim's own words at the shell
 * prompt — explain, step, lessons). Both are called only while a shell waits at its
 * prompt (the terminal's foreground group is led by a shell that reads the terminal).
 */
export interface TerminalHooks {
  /**
   * A line typed at the shell's prompt. Return true when the hook handled it: the line
   * does not reach the simulated shell and the same prompt is shown again. `print`
   * writes to the real terminal (not the simulated one).
   */
  onShellLine?(line: string, print: (text: string) => void): boolean | Promise<boolean>;
  /** The shell is back at its prompt (called before the prompt is shown). */
  onPrompt?(print: (text: string) => void): void;
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
 * after its last newline — becomes readline's prompt.
 */
export async function runOnTerminal(
  host: Host,
  task: Task,
  tty: Tty,
  out: NodeJS.WriteStream,
  input: NodeJS.ReadStream,
  hooks: TerminalHooks = {},
): Promise<number> {
  let pending = '';
  tty.sink = (bytes: string): void => {
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
  const pacer = makePacer(host);
  const history: string[] = [];
  let rl: readline.Interface | null = null;
  let wake: (() => void) | null = null;
  /** True while readline shows the simulated prompt and no line has come back yet. */
  let prompted = false;
  const deliver = (): void => {
    prompted = false;
    wake?.();
  };
  const open = (): readline.Interface => {
    const r = readline.createInterface({ input, output: out, terminal: true, history: [...history], historySize: 1000, prompt: '' });
    r.on('line', (line) => {
      if (line.trim() !== '' && history[0] !== line) history.unshift(line);
      if (hooks.onShellLine && atShellPrompt()) {
        void Promise.resolve(hooks.onShellLine(line, print)).then((handled) => {
          if (hooks.isEnded?.()) {
            deliver();
          } else if (handled) {
            rl?.setPrompt(shownPrompt);
            rl?.prompt(true);
          } else {
            toShell(line);
          }
        });
        return;
      }
      toShell(line);
    });
    const toShell = (line: string): void => {
      pacer.sync();
      tty.inputLine(Buffer.from(line + '\n', 'utf8').toString('latin1'));
      deliver();
    };
    r.on('SIGINT', () => {
      out.write('^C\n');
      pacer.sync();
      tty.inputSignal(SIG.SIGINT);
      deliver();
    });
    r.on('SIGTSTP', () => {
      out.write('^Z\n');
      pacer.sync();
      tty.inputSignal(SIG.SIGTSTP);
      deliver();
    });
    r.on('close', () => {
      rl = null;
      if (!closing) {
        pacer.sync();
        tty.inputEof();
        deliver();
      }
    });
    return r;
  };
  let closing = false;
  /** The prompt readline shows now (the shell's, as it wrote it). */
  let shownPrompt = '';
  // A shell waits at its prompt: the session's own, or one started in it (unshare … sh, chroot DIR sh).
  const atShellPrompt = (): boolean => tty.hasWaitingReader && SHELLS.has(host.kernel.tasks.get(tty.fgPgrp)?.comm ?? '');
  const print = (text: string): void => void out.write(text);
  rl = open();
  const status = await runUntilExit(host, task, pacer, async (ms) => {
    if (tty.hasWaitingReader && !prompted) {
      if (!rl) rl = open();
      if (hooks.onPrompt && atShellPrompt()) {
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
  }, () => hooks.isEnded?.() ?? false);
  closing = true;
  if (pending) out.write(Buffer.from(pending, 'latin1'));
  (rl as readline.Interface | null)?.close();
  input.pause();
  return status;
}
