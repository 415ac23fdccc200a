/**
 * ctsim's own words at an interactive shell's prompt (`ctsim sh` at a terminal): a
 * small debugger for the simulated machine. `explain` says why the last command's
 * system calls failed; `:pause`, `:continue` and `:step` take simulated time off the
 * wall clock and move it by hand; `:inspect` shows a process; `:snapshot` and
 * `:restore` go back in time.
 *
 * A snapshot is cheap because a run is a pure function of its seed and its inputs:
 * it is the list of what was typed, with the simulated time each input arrived, up to
 * a moment. Restoring boots a new machine from the same seed and types the same
 * inputs at the same times (the way src/cli/host-session.ts replays a kept host).
 *
 *     line typed at the prompt ─▶ Monitor.onShellLine ─┬─ a word: handled, prompt again
 *                                                      └─ else: to the simulated shell
 *     input to the terminal ─▶ Monitor.onTerminalInput (logged with its time)
 *     'explain' trace records ─▶ bounded ring, tagged with the command they came during
 */
import { stripVTControlCharacters } from 'node:util';
import type { Host } from '../host.js';
import { ROOT_ENV } from '../host.js';
import { parseDurationNs } from '../sim/units.js';
import { formatTraceText, parseTraceCategories, TRACE_CATEGORIES, type TraceRecord } from '../sim/trace.js';
import { inspectTask } from '../kernel/proc/task-inspect.js';
import {
  formatDuration,
  formatExplainItems,
  formatInspect,
  formatSimTime,
  groupExplain,
  MONITOR_HELP,
  type ExplainRecord,
} from '../report/monitor-report.js';
import { typeOnTerminal, type SessionControl, type TerminalAttachment, type TerminalHooks, type TerminalInput } from './live-session.js';

export interface MonitorOptions {
  /** Boots the session's machine afresh from its seed, with a shell on a terminal: the session's start, and every restore's. */
  boot(): TerminalAttachment;
  /** Explain records kept (default 10 000; older ones are dropped). */
  ringSize?: number;
  /** Told true while a restore replays the session (trace output must not be shown twice), then false. */
  replaying?(on: boolean): void;
  /** False where going back is not offered (a lesson: its progress cannot go back with the machine). */
  snapshots?: boolean;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The default limit of `:step --to`: simulated time it may run looking for the event. */
const STEP_TO_LIMIT_NS = 10e9;

interface Typed {
  atNs: number;
  what: TerminalInput;
}
/** An explain record and the command (1-based index into `commands`; 0 before any) it came during. */
interface Kept {
  rec: ExplainRecord;
  cmd: number;
}
interface Command {
  text: string;
  atNs: number;
}
interface Snapshot {
  name: string;
  atNs: number;
  typed: Typed[];
  ring: Kept[];
  dropped: number;
  commands: Command[];
}

export class Monitor implements TerminalHooks {
  private readonly opts: MonitorOptions;
  private readonly ringSize: number;
  private control: SessionControl | null = null;
  /** Invariant: at most ringSize × 1.25 entries, oldest first. */
  private ring: Kept[] = [];
  /** Records dropped from the ring's front. */
  private dropped = 0;
  private commands: Command[] = [];
  /** Everything typed at the terminal this session, with its simulated time (a snapshot is a prefix). */
  private typed: Typed[] = [];
  private readonly snapshots = new Map<string, Snapshot>();
  /** True while a restore replays: the replayed records are already in the snapshot's ring. */
  private muted = false;
  private greeted = false;
  /** A line typed at the shell's prompt that is about to reach the shell. */
  private commandTyped: string | null = null;

  constructor(opts: MonitorOptions) {
    this.opts = opts;
    this.ringSize = opts.ringSize ?? 10_000;
  }

  /** Runs `fn` without keeping its explain records (a lesson's check is not the learner's command). */
  quietly<T>(fn: () => T): T {
    const was = this.muted;
    this.muted = true;
    try {
      return fn();
    } finally {
      this.muted = was;
    }
  }

  /** Boots the first machine; hand what it returns to runOnTerminal with this monitor as its hooks. */
  start(): TerminalAttachment {
    const a = this.opts.boot();
    this.listen(a.host);
    return a;
  }

  private listen(host: Host): void {
    host.engine.trace.enable(['explain']);
    host.engine.trace.addSink((rec) => {
      if (rec.cat === 'explain' && !this.muted) this.keep(rec);
    });
  }

  private keep(rec: TraceRecord): void {
    const r: ExplainRecord = { t: rec.t, ev: rec.ev, pid: Number(rec.pid), comm: String(rec.comm), reason: typeof rec.reason === 'string' ? rec.reason : '', raw: rec };
    if (typeof rec.errno === 'string') r.errno = rec.errno;
    if (typeof rec.path === 'string') r.path = rec.path;
    this.ring.push({ rec: r, cmd: this.commands.length });
    if (this.ring.length > this.ringSize * 1.25) {
      const drop = this.ring.length - this.ringSize;
      this.ring.splice(0, drop);
      this.dropped += drop;
    }
  }

  private get host(): Host {
    return this.control!.attached.host;
  }

  onStart(control: SessionControl): void {
    this.control = control;
  }

  onTerminalInput(what: TerminalInput): void {
    this.typed.push({ atNs: this.host.now, what });
    // A line the shell gets at its prompt is a command: explain counts from here (the time is the machine's as it gets the line).
    if (what.kind === 'line' && what.text === this.commandTyped) this.commands.push({ text: what.text.trim(), atNs: this.host.now });
    this.commandTyped = null;
  }

  onPrompt(print: (text: string) => void): void {
    if (this.greeted) return;
    this.greeted = true;
    print('ctsim: explain, :step, :inspect, :snapshot … are ctsim\'s own words here (:help lists them).\n');
  }

  async onShellLine(line: string, print: (text: string) => void, prompt?: string): Promise<boolean> {
    // A line that continues a command (the shell's PS2) belongs to the shell, whatever it says.
    if (prompt === '> ') return false;
    const words = line.trim().split(/\s+/);
    const word = words[0];
    const args = words.slice(1);
    const handled = await this.word(word, args, print);
    if (!handled && line.trim() !== '') this.commandTyped = line;
    return handled;
  }

  /** Runs a monitor word; false when `word` is not one (the line goes to the shell). */
  private async word(word: string, args: string[], print: (text: string) => void): Promise<boolean> {
    switch (word) {
      case 'explain':
      case ':explain':
        print(this.explain(args));
        return true;
      case ':pause':
        this.control!.pause();
        print(`paused at ${formatSimTime(this.host.now)}: simulated time stands still (:step moves it, :continue paces it again)\n`);
        return true;
      case ':continue':
        this.control!.resume();
        print(`continuing from ${formatSimTime(this.host.now)}, paced to the wall clock\n`);
        return true;
      case ':time':
        print(`${formatSimTime(this.host.now)} of simulated time since boot (${this.control!.paused ? 'paused' : 'paced to the wall clock'})\n`);
        return true;
      case ':step':
        print(await this.step(args));
        return true;
      case ':inspect':
        print(this.inspect(args));
        return true;
      case ':snapshot':
      case ':snapshots':
      case ':restore':
        if (this.opts.snapshots === false) print(`ctsim: ${word} is not offered here: a lesson's progress cannot go back with the machine\n`);
        else if (word === ':snapshot') print(this.snapshot(args));
        else if (word === ':snapshots') print(this.listSnapshots());
        else print(this.restore(args));
        return true;
      case ':help':
        print(MONITOR_HELP);
        return true;
      default:
        if (/^:[a-z]+$/.test(word)) {
          print(`ctsim: ${word} is not one of ctsim's words (:help lists them)\n`);
          return true;
        }
        return false;
    }
  }

  /** `explain [all|N] [-v]`. */
  private explain(args: string[]): string {
    const verbose = args.includes('-v');
    const rest = args.filter((a) => a !== '-v');
    const last = this.commands.length;
    let from: number;
    if (rest.length === 0) from = last;
    else if (rest.length === 1 && rest[0] === 'all') from = 0;
    else if (rest.length === 1 && /^[1-9]\d*$/.test(rest[0])) from = Math.max(1, last - Number(rest[0]) + 1);
    else return `explain: expected "explain", "explain all" or "explain N" (the last N commands), with -v for routine failures too; got "${rest.join(' ')}"\n`;
    const chosen = this.ring.filter((k) => k.cmd >= from);
    const pathDirs = this.pathDirs();
    const out: string[] = [];
    const byCmd = new Map<number, ExplainRecord[]>();
    for (const k of chosen) {
      const list = byCmd.get(k.cmd) ?? [];
      list.push(k.rec);
      byCmd.set(k.cmd, list);
    }
    const several = from < last || rest.length > 0;
    const what = from === 0 ? 'this session' : from === last ? (last === 0 ? 'the session so far' : `the last command (${this.commands[last - 1].text})`) : `the last ${last - from + 1} commands`;
    let shown = 0;
    const hidden: string[] = [];
    for (const [cmd, recs] of byCmd) {
      const f = formatExplainItems(groupExplain(recs, pathDirs), verbose);
      hidden.push(...f.hidden);
      if (f.shown.length === 0) continue;
      if (several) out.push(cmd === 0 ? '── before the first command (the login shell starting) ──' : `── ${cmd}: ${this.commands[cmd - 1].text} (at ${formatSimTime(this.commands[cmd - 1].atNs)}) ──`);
      out.push(...f.shown);
      shown += f.shown.length;
    }
    if (shown === 0) out.push(hidden.length > 0 ? `explain: nothing failed during ${what} but routine calls ("explain -v" lists them):` : `explain: no system call failed during ${what}`);
    else if (hidden.length > 0) out.push('routine failures, hidden ("explain -v" lists them):');
    // The same routine failure in several commands is one line.
    const counted = new Map<string, number>();
    for (const h of hidden) counted.set(h, (counted.get(h) ?? 0) + 1);
    for (const [h, n] of counted) out.push(`  ${h}${n > 1 ? ` (×${n})` : ''}`);
    if (this.dropped > 0 && (this.ring[0]?.cmd ?? Infinity) >= from) out.push(`(${this.dropped} older record${this.dropped === 1 ? ' was' : 's were'} dropped: explain keeps the last ${this.ringSize})`);
    return out.join('\n') + '\n';
  }

  /** The directories the shell searches for commands (its environment's PATH, as the session started it). */
  private pathDirs(): string[] {
    const env = this.control!.attached.task.envp;
    const path = (env.find((e) => e.startsWith('PATH=')) ?? ROOT_ENV.find((e) => e.startsWith('PATH='))!).slice(5);
    return path.split(':').filter((d) => d !== '');
  }

  /** `:step DURATION` or `:step --to CATEGORY`. */
  private async step(args: string[]): Promise<string> {
    const control = this.control!;
    const host = this.host;
    const start = host.now;
    if (args[0] === '--to') {
      const cats = args.length === 2 || args.length === 3 ? parseTraceCategories(args[1]) : { bad: args.slice(1).join(' ') || '(nothing)' };
      if (!Array.isArray(cats) || cats.length !== 1) {
        return `:step --to takes one category among ${TRACE_CATEGORIES.join(', ')} (and a limit, 10s by default); got ${Array.isArray(cats) ? args[1] : cats.bad}\n`;
      }
      const limitNs = args.length === 3 ? parseDurationNs(args[2]) : STEP_TO_LIMIT_NS;
      if (limitNs === null || limitNs <= 0) return `:step --to ${args[1]} takes a limit like 10s or 500ms; got "${args[2]}"\n`;
      const cat = cats[0];
      const trace = host.engine.trace;
      const wasOn = trace.isEnabled(cat);
      let hit: TraceRecord | null = null;
      const sink = (rec: TraceRecord): void => {
        if (hit === null && rec.cat === cat) {
          hit = rec;
          host.engine.stop();
        }
      };
      trace.enable([cat]);
      trace.addSink(sink);
      let why;
      try {
        why = await control.runFor(start + limitNs, () => hit !== null);
      } finally {
        trace.removeSink(sink);
        if (!wasOn) trace.disable([cat]);
      }
      if (why === 'exited') return 'the shell exited\n';
      const took = `after ${formatDuration(host.now - start)}`;
      if (why === 'interrupted') return `interrupted ${took}, at ${formatSimTime(host.now)}, before any ${cat} event (paused)\n`;
      if (hit !== null) return `${formatTraceText(hit)}\n(stopped ${took}, at ${formatSimTime(host.now)}; paused)\n`;
      if (why === 'idle') return `no ${cat} event: everything waits for input (${took}, at ${formatSimTime(host.now)}; paused)\n`;
      return `no ${cat} event within ${formatDuration(limitNs)} (at ${formatSimTime(host.now)}; paused; a longer limit: :step --to ${cat} 60s)\n`;
    }
    const ns = args.length === 1 ? parseDurationNs(args[0]) : null;
    if (ns === null || ns <= 0) return `:step takes a duration (100us, 5ms, 1s) or --to CATEGORY; got "${args.join(' ')}"\n`;
    const why = await control.runFor(start + ns);
    if (why === 'exited') return 'the shell exited\n';
    if (why === 'interrupted') return `interrupted after ${formatDuration(host.now - start)}, at ${formatSimTime(host.now)} (paused)\n`;
    return `stepped ${formatDuration(host.now - start)} to ${formatSimTime(host.now)} (paused)\n`;
  }

  /** `:inspect PID`: a PID as the shell at the prompt sees it (in its PID namespace: unshare --pid … sh has its own). */
  private inspect(args: string[]): string {
    if (args.length !== 1 || !/^\d+$/.test(args[0])) return ':inspect takes one PID (as ps shows it in the shell at the prompt)\n';
    const { host, task, tty } = this.control!.attached;
    const k = host.kernel;
    const shell = k.tasks.get(tty.fgPgrp) ?? task;
    const t = k.taskByPid(shell.pidNs, Number(args[0]));
    const v = t ? inspectTask(k, t.tid) : null;
    return v ? formatInspect(v) : `:inspect: no process ${args[0]} in the PID namespace of ${shell.comm}[${shell.pidIn(shell.pidNs)}]\n`;
  }

  private snapshot(args: string[]): string {
    if (args.length > 1 || (args.length === 1 && !/^[\w.-]+$/.test(args[0]))) return ':snapshot takes at most one name (letters, digits, . _ -)\n';
    let name = args[0];
    for (let i = this.snapshots.size + 1; name === undefined; i++) if (!this.snapshots.has(`s${i}`)) name = `s${i}`;
    const atNs = this.host.now;
    const replaced = this.snapshots.has(name) ? ` (it replaces the earlier snapshot ${name})` : '';
    this.snapshots.set(name, { name, atNs, typed: [...this.typed], ring: [...this.ring], dropped: this.dropped, commands: [...this.commands] });
    return `snapshot ${name} at ${formatSimTime(atNs)}: seed ${this.host.engine.seed} and ${plural(this.typed.length, 'input')} typed (":restore ${name}" goes back here)${replaced}\n`;
  }

  private listSnapshots(): string {
    if (this.snapshots.size === 0) return 'no snapshots (":snapshot NAME" takes one)\n';
    return [...this.snapshots.values()].map((s) => `${s.name.padEnd(12)} ${formatSimTime(s.atNs)}  ${plural(s.typed.length, 'input')}, ${plural(s.commands.length, 'command')}${s.commands.length > 0 ? ` (last: ${s.commands.at(-1)!.text})` : ''}`).join('\n') + '\n';
  }

  /** `:restore NAME`: a new machine from the seed, the inputs typed again at their times, the terminal attached to it. */
  private restore(args: string[]): string {
    const snap = args.length === 1 ? this.snapshots.get(args[0]) : undefined;
    if (!snap) return `:restore takes a snapshot's name${this.snapshots.size > 0 ? ` (${[...this.snapshots.keys()].join(', ')})` : ' (there are none yet: :snapshot NAME)'}\n`;
    this.muted = true;
    this.opts.replaying?.(true);
    let a: TerminalAttachment;
    let shown = '';
    try {
      a = this.opts.boot();
      this.listen(a.host);
      a.tty.sink = (b) => void (shown += b);
      for (const t of snap.typed) {
        a.host.engine.runUntil(t.atNs);
        typeOnTerminal(a.tty, t.what);
        // The real terminal echoed the line (the simulated one does not): the next prompt starts a line.
        if (t.what.kind === 'line') shown += '\n';
      }
      a.host.engine.runUntil(snap.atNs);
    } finally {
      this.muted = false;
      this.opts.replaying?.(false);
    }
    this.typed = [...snap.typed];
    this.ring = [...snap.ring];
    this.dropped = snap.dropped;
    this.commands = [...snap.commands];
    // The prompt: what the shell wrote after its last newline, without a screen clear or other escape sequence that came before it.
    const prompt = stripVTControlCharacters(shown.slice(shown.lastIndexOf('\n') + 1));
    this.control!.attach({ ...a, pendingOutput: prompt });
    return `restored ${snap.name}: a new machine booted from seed ${a.host.engine.seed} replayed ${plural(snap.typed.length, 'input')} up to ${formatSimTime(a.host.now)}\n`;
  }
}
