/**
 * Terminals (tty(4), termios(3), credentials(7) "controlling terminal"): a
 * pseudo-terminal slave like /dev/pts/0, or a serial line like /dev/ttyS0, with a
 * line discipline in canonical mode — input is handed to readers a line at a time;
 * ^C, ^\ and ^Z become SIGINT, SIGQUIT and SIGTSTP for the foreground process group;
 * ^D at the start of a line is end of file; output "\n" becomes "\r\n" (ONLCR). A
 * session has at most one controlling terminal; a background process group that
 * reads from it is stopped with SIGTTIN.
 *
 * A serial line delivers bytes (`receive`): the line discipline maps CR to NL (ICRNL),
 * edits the line (ERASE ^?, KILL ^U, WERASE ^W), echoes what it takes (ECHO, ECHOE,
 * ECHOCTL: control characters as ^X) and hands out complete lines, as n_tty does with
 * the default termios of a serial port.
 *
 * Simplification: on a pseudo-terminal, line editing and echo happen in the real
 * terminal that runs `ctsim sh` (node's readline), which hands the simulated terminal
 * whole lines; so a pseudo-terminal does not echo. Only the modes listed above are
 * modelled, and they cannot be changed (TCSETS is accepted and ignored).
 */
import { CAP, capable, capMissingInit } from '../ns/capabilities.js';
import type { Kernel } from '../kernel.js';
import { err } from '../errno.js';
import type { Block, FileOps, OpenFile } from '../vfs/file.js';
import { WaitQueue } from '../proc/wait-queue.js';
import type { Task } from '../proc/task.js';
import { TaskState } from '../proc/task.js';
import { makedev, O_NONBLOCK, O_NOCTTY, S_IFCHR } from '../vfs/types.js';
import { SIG } from '../proc/signals.js';
import { isIgnored, sendSignal } from '../proc/task-signal.js';
import { FIONREAD, TCGETS, TCSETS, TIOCGPGRP, TIOCGWINSZ, TIOCNOTTY, TIOCSCTTY, TIOCSPGRP } from '../syscalls/abi.js';

/** The major number of pseudo-terminal slaves (/dev/pts/N). */
export const PTS_MAJOR = 136;

export interface WinSize {
  rows: number;
  cols: number;
}

/** What makes a terminal other than a pseudo-terminal slave (a serial line's driver passes these). */
export interface TtyKind {
  /** Its device number and its name under /dev. */
  dev: number;
  name: string;
  /** The line discipline echoes input (ECHO): true on a serial line. */
  echo: boolean;
}

export class Tty {
  readonly index: number;
  readonly dev: number;
  readonly echo: boolean;
  private readonly devName: string;
  /** Lines ready for readers (canonical mode), oldest first; '' marks an end-of-file (^D). */
  private readonly lines: string[] = [];
  /** The line being typed on a serial line, not yet ended by a newline. */
  private partial = '';
  readonly readWait = new WaitQueue();
  /** The session (global id of its leader) this is the controlling terminal of, or 0. */
  session = 0;
  /** The foreground process group (global id), or 0. */
  fgPgrp = 0;
  winsize: WinSize = { rows: 24, cols: 80 };
  /** Where output goes (the real terminal). */
  sink: (bytes: string) => void;
  /**
   * Called when a reader starts to wait for a line: a live session that runs a typed
   * command flat out (paused, src/cli/live-session.ts) stops there.
   */
  onReaderWait: (() => void) | null = null;
  private readonly kernel: Kernel;

  constructor(k: Kernel, index: number, sink: (bytes: string) => void, kind?: TtyKind) {
    this.kernel = k;
    this.index = index;
    this.dev = kind?.dev ?? makedev(PTS_MAJOR, index);
    this.devName = kind?.name ?? `pts/${index}`;
    this.echo = kind?.echo ?? false;
    this.sink = sink;
  }

  get name(): string {
    return this.devName;
  }

  /** True when a reader is blocked waiting for a line. */
  get hasWaitingReader(): boolean {
    return !this.readWait.isEmpty && this.lines.length === 0;
  }

  /** Input from the keyboard: a whole line (with its "\n"), as the real terminal's editor delivers it. */
  inputLine(line: string): void {
    this.lines.push(line);
    this.kernel.wakeAll(this.readWait);
  }

  /** ^D: end of file for the next read. */
  inputEof(): void {
    this.lines.push('');
    this.kernel.wakeAll(this.readWait);
  }

  /** ^C (SIGINT), ^\ (SIGQUIT), ^Z (SIGTSTP): signal the foreground group and drop pending input. */
  inputSignal(sig: number): void {
    this.lines.length = 0;
    if (this.fgPgrp === 0) return;
    for (const t of this.kernel.tasks.values()) {
      if (t.pgid === this.fgPgrp && t.state !== TaskState.Zombie) sendSignal(this.kernel, t, sig, false);
    }
  }

  /**
   * Bytes that arrived on the line (a serial port's receive interrupt), through the
   * canonical line discipline: a line goes to readers when it ends (NL, or CR mapped to
   * NL; ^D hands over what is typed, or is end of file at the start of a line).
   */
  receive(bytes: string): void {
    for (const c of bytes) {
      const sig = c === '\x03' ? SIG.SIGINT : c === '\x1c' ? SIG.SIGQUIT : c === '\x1a' ? SIG.SIGTSTP : 0;
      if (sig !== 0) {
        this.partial = '';
        this.echoBytes(caret(c));
        this.inputSignal(sig);
      } else if (c === '\x04') {
        if (this.partial === '') this.inputEof();
        else this.inputLine(this.partial);
        this.partial = '';
      } else if (c === '\x7f' || c === '\x15' || c === '\x17') {
        this.erase(c === '\x7f' ? 'char' : c === '\x15' ? 'line' : 'word');
      } else {
        const ch = c === '\r' ? '\n' : c;
        this.echoBytes(caret(ch));
        this.partial += ch;
        if (ch === '\n') {
          this.inputLine(this.partial);
          this.partial = '';
        }
      }
    }
  }

  /**
   * ERASE (^?), KILL (^U) or WERASE (^W, as BSD's ALTWERASE: back over what is not a
   * letter, digit or _, then over the word): takes characters off the line being typed
   * and rubs them out on the screen (ECHOE; a control character echoed as ^X took two
   * columns).
   */
  private erase(what: 'char' | 'line' | 'word'): void {
    let seenWord = false;
    let echo = '';
    while (this.partial !== '') {
      const last = this.partial[this.partial.length - 1];
      if (what === 'word') {
        if (/\w/.test(last)) seenWord = true;
        else if (seenWord) break;
      }
      this.partial = this.partial.slice(0, -1);
      echo += caret(last).length === 2 ? '\b \b\b \b' : '\b \b';
      if (what === 'char') break;
    }
    this.echoBytes(echo);
  }

  private echoBytes(text: string): void {
    if (this.echo && text !== '') this.write(text);
  }

  /** Reads up to `count` bytes of the next line (canonical mode). */
  read(k: Kernel, t: Task, f: OpenFile, count: number): string | ReturnType<typeof err> | Block {
    // A background process group reading its controlling terminal is stopped (SIGTTIN).
    if (this.session === t.sid && this.fgPgrp !== 0 && t.pgid !== this.fgPgrp) {
      if (isIgnored(t, SIG.SIGTTIN) || t.sigBlocked.has(SIG.SIGTTIN)) return err('EIO', 'a background process read from its terminal');
      const b: Block = k.sleepOn(t, this.readWait);
      for (const x of k.tasks.values()) if (x.pgid === t.pgid) sendSignal(k, x, SIG.SIGTTIN);
      return b;
    }
    if (this.lines.length === 0) {
      if (f.flags & O_NONBLOCK) return err('EAGAIN', `no complete line is waiting on /dev/${this.name} and the fd is O_NONBLOCK`);
      const b: Block = k.sleepOn(t, this.readWait);
      this.onReaderWait?.();
      return b;
    }
    const line = this.lines[0];
    if (line === '') {
      this.lines.shift();
      return '';
    }
    const out = line.slice(0, Math.max(count, 0));
    if (out.length === line.length) this.lines.shift();
    else this.lines[0] = line.slice(out.length);
    return out;
  }

  write(data: string): number {
    this.sink(data.replace(/\r?\n/g, '\r\n'));
    return data.length;
  }
}

/** How ECHOCTL echoes a character: control characters other than TAB and NL as ^X, DEL as ^?. */
function caret(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\t' || c === '\n') return c;
  if (code < 0x20) return `^${String.fromCharCode(code + 0x40)}`;
  if (code === 0x7f) return '^?';
  return c;
}

/** Makes `tty` the controlling terminal of `t`'s session (TIOCSCTTY, or a session leader's first open). */
export function setControllingTty(k: Kernel, t: Task, tty: Tty): void {
  tty.session = t.sid;
  tty.fgPgrp = t.pgid;
  k.sessionTty.set(t.sid, tty);
}

export const ttyOps: FileOps = {
  read: (k, t, f, count) => (f.priv as Tty).read(k, t, f, count),
  write(k, _t, f, data) {
    k.charge(k.costs.ttyWrite);
    return (f.priv as Tty).write(data);
  },
  seekable: (f) => err('ESPIPE', `/dev/${(f.priv as Tty).name} is a terminal and cannot seek`),
  describe: (f) => `/dev/${(f.priv as Tty).name}`,
  ioctl(k, t, f, cmd, arg) {
    const tty = f.priv as Tty;
    switch (cmd) {
      case TCGETS:
        return { icanon: true, echo: tty.echo, isig: true, onlcr: true };
      case TCSETS:
        return 0;
      case TIOCGWINSZ:
        return { ...tty.winsize };
      case TIOCGPGRP:
        if (tty.session !== t.sid) return err('ENOTTY', 'not the controlling terminal of the caller');
        return k.tasks.get(tty.fgPgrp)?.pidIn(t.pidNs) ?? tty.fgPgrp;
      case TIOCSPGRP: {
        if (tty.session !== t.sid) return err('ENOTTY', 'not the controlling terminal of the caller');
        const pgid = Number(arg);
        const leader = t.pidNs.tasks.get(pgid);
        const global = leader ? leader.tid : pgid;
        let exists = false;
        for (const x of k.tasks.values()) if (x.pgid === global && x.sid === t.sid) exists = true;
        if (!exists) return err('EPERM', `process group ${pgid} is not in the caller's session`);
        tty.fgPgrp = global;
        return 0;
      }
      case TIOCSCTTY:
        if (t.sid !== t.tid) return err('EPERM', 'only a session leader can acquire a controlling terminal');
        if (tty.session !== 0 && tty.session !== t.sid && !capable(t.creds, CAP.SYS_ADMIN)) return err('EPERM', `/dev/${tty.name} is already the controlling terminal of session ${tty.session}; stealing it needs CAP_SYS_ADMIN` + '; ' + capMissingInit(t.creds, CAP.SYS_ADMIN));
        setControllingTty(k, t, tty);
        return 0;
      case TIOCNOTTY:
        if (tty.session === t.sid) {
          k.sessionTty.delete(t.sid);
          tty.session = 0;
          tty.fgPgrp = 0;
        }
        return 0;
      case FIONREAD:
        return 0;
      default:
        return err('ENOTTY', `ioctl 0x${cmd.toString(16)} is not a terminal request ctsim knows`);
    }
  },
  reopen: (_k, f) => ({ ops: ttyOps, priv: f.priv }),
};

/** The tty fields of /proc/PID/stat (tty_nr, tpgid) for `t`, with the group as `viewer` numbers it. */
export function ttyInfo(k: Kernel, t: Task, viewerNs: Task['pidNs']): { ttyNr: number; tpgid: number } {
  const tty = k.sessionTty.get(t.sid);
  if (!tty) return { ttyNr: 0, tpgid: -1 };
  const fg = tty.fgPgrp ? (k.tasks.get(tty.fgPgrp)?.pidIn(viewerNs) ?? tty.fgPgrp) : -1;
  return { ttyNr: tty.dev, tpgid: fg };
}

/** The controlling process exited: hang up the terminal (SIGHUP, then SIGCONT, to the foreground group). */
export function hangupSession(k: Kernel, leader: Task): void {
  const tty = k.sessionTty.get(leader.sid);
  if (!tty || leader.sid !== leader.tid) return;
  const fg = tty.fgPgrp;
  k.sessionTty.delete(leader.sid);
  tty.session = 0;
  tty.fgPgrp = 0;
  for (const x of k.tasks.values()) {
    if (x.pgid === fg && x !== leader && x.state !== TaskState.Zombie) {
      sendSignal(k, x, SIG.SIGHUP, false);
      sendSignal(k, x, SIG.SIGCONT, false);
    }
  }
}

/** Registers /dev/pts/N for `tty` and /dev/tty (the caller's controlling terminal). */
export function registerTty(k: Kernel, tty: Tty): void {
  k.chrdevs.set(tty.dev, {
    name: tty.name,
    open(kk, t, flags) {
      // A session leader without a controlling terminal acquires this one on open (unless O_NOCTTY).
      if (!(flags & O_NOCTTY) && t.sid === t.tid && !kk.sessionTty.has(t.sid) && tty.session === 0) setControllingTty(kk, t, tty);
      return { ops: ttyOps, priv: tty };
    },
  });
  if (!k.chrdevs.has(makedev(5, 0))) {
    k.chrdevs.set(makedev(5, 0), {
      name: 'tty',
      open(kk, t) {
        const ctty = kk.sessionTty.get(t.sid);
        if (!ctty) return err('ENXIO', 'the process has no controlling terminal');
        return { ops: ttyOps, priv: ctty };
      },
    });
  }
}

/**
 * Creates a new terminal (/dev/pts/N, mode 620, group tty) whose output goes to `sink`:
 * what the harness does when a user opens an interactive `ctsim sh`.
 */
export function createTerminal(k: Kernel, sink: (bytes: string) => void): Tty {
  const tty = new Tty(k, k.ttys.length, sink);
  k.ttys.push(tty);
  registerTty(k, tty);
  if (k.devpts) {
    const creds = { fsuid: 0, fsgid: 5 };
    k.devpts.root().mknod!(String(tty.index), S_IFCHR | 0o620, tty.dev, creds, k.realtimeNs);
  }
  return tty;
}
