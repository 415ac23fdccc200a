/**
 * Runs a compiled sed script over the input, GNU sed 4.9's way (sed(1) "How sed
 * works"): each cycle reads a line into the pattern space, runs the commands whose
 * addresses select it, prints the pattern space unless -n, then prints what `a`, `r`
 * and `R` queued.
 *
 *     ┌─▶ read line ─▶ commands (pc = 0 … end) ─▶ autoprint ─▶ queued text ─┐
 *     │        ▲            │ d: skip autoprint   D: keep the rest, no read  │
 *     └────────┴────────────┴─ q: finish this cycle, stop   Q: stop now ─────┘
 *
 * The pattern and hold spaces remember whether their line had a terminator, and
 * g/G/h/H/x carry that along (so `printf a | sed G` ends in a newline, as GNU's does).
 */
import * as sys from '../../lib/sys.js';
import { SedError, type LineTest, type OutputChannel, type SedCommand, type SedPattern, type Selection, type Substitution } from './sed-program.js';
import type { SedLine } from './sed-lines.js';
import type { SedInput } from './sed-input.js';
import { listing, type SedOutput } from './sed-output.js';
import { LineFeeds, readWholeFile, runShell } from './sed-files.js';
import { substitute } from './sed-substitute.js';
import type { Gen } from './cli.js';

/** CPU time per cycle (reading a line, the end-of-cycle output), ns: a design choice. */
export const SED_NS_PER_CYCLE = 60;
/** CPU time per command looked at, ns. */
export const SED_NS_PER_COMMAND = 15;
/** CPU time per byte a regex scans, ns. */
export const SED_NS_PER_BYTE_SCANNED = 2;

export interface EngineOptions {
  /** -n or #n: no autoprint. */
  readonly quiet: boolean;
  /** --posix or POSIXLY_CORRECT: `N` on the last line quits without printing. */
  readonly posixN: boolean;
  /** -l: the default width of `l`. */
  readonly lineWidth: number;
  readonly delim: string;
  readonly envp: readonly string[];
  /** Where run-time errors point ("-e expression #1, char 0"). */
  readonly endLocation: string;
}

/** What ends a cycle: the end of the script, d, D with more text, q, Q. */
type CycleEnd = 'end' | 'delete' | 'restart' | 'quit' | 'quitSilently';

/** Something `a`, `r` or `R` queued for the end of the cycle. */
type Queued = { kind: 'text'; text: string } | { kind: 'file'; path: string };

export class SedEngine {
  private ps: SedLine = { text: '', hasNewline: true };
  private hold: SedLine = { text: '', hasNewline: true };
  private queue: Queued[] = [];
  /** The `t` flag: a substitution succeeded since the last line was read or t/T reset it. */
  private substituted = false;
  /** The regex used last, which `//` stands for. */
  private lastPattern: SedPattern | null = null;
  private exitStatus: number | null = null;
  private costNs = 0;
  private readonly feeds: LineFeeds;

  constructor(
    private readonly commands: readonly SedCommand[],
    private readonly input: SedInput,
    private readonly output: SedOutput,
    private readonly opts: EngineOptions,
  ) {
    this.feeds = new LineFeeds(opts.delim, () => input.stdinLines());
    this.resetRanges();
  }

  /** Runs the script to the end of input or a q/Q; returns the exit status. */
  *run(): Gen<number> {
    try {
      let restart = false;
      for (;;) {
        if (!restart) {
          const line = yield* this.input.nextLine(false);
          if (line === null) break;
          this.ps = line;
          this.substituted = false;
          // (Checked here too: a generator per line is most of what sed allocates.)
          if (this.input.fileStarted || this.input.lineNumber === 1) yield* this.startingLine();
        }
        this.costNs += SED_NS_PER_CYCLE;
        const end = yield* this.execute();
        yield* sys.compute(this.costNs);
        this.costNs = 0;
        if (end === 'quitSilently') break;
        if (end === 'end' || end === 'quit') yield* this.autoprint();
        if (this.queue.length > 0) yield* this.flushQueue();
        if (this.output.unbuffered) yield* this.output.flushStdout();
        if (end === 'quit') {
          // q ends the last line it printed, terminator and all.
          yield* this.output.endLine(this.output.current);
          break;
        }
        restart = end === 'restart';
      }
    } finally {
      yield* this.feeds.close();
    }
    yield* this.input.finish();
    return this.exitStatus ?? this.input.status;
  }

  /** A line was just read into a new cycle: a new file restarts ranges and R files; line 1 gets `0r` files. */
  private *startingLine(): Gen<void> {
    if (this.input.fileStarted) {
      this.input.fileStarted = false;
      this.resetRanges();
      yield* this.feeds.rewind();
    }
    if (this.input.lineNumber !== 1) return;
    for (const c of this.commands) {
      if (c.op === 'queueFile' && c.sel?.from?.kind === 'line' && c.sel.from.line === 0) {
        yield* this.output.raw(this.output.current, yield* readWholeFile(c.path));
      }
    }
  }

  /** Ranges are closed at the start (open for `0,/re/`). */
  private resetRanges(): void {
    for (const c of this.commands) {
      if (c.sel) c.sel.inside = c.sel.from?.kind === 'beforeFirst';
    }
  }

  private *autoprint(): Gen<void> {
    if (!this.opts.quiet) yield* this.output.line(this.output.current, this.ps);
  }

  /** Prints what a, r and R queued (at the end of a cycle, or before n/N read a line). */
  private *flushQueue(): Gen<void> {
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) {
      const data = q.kind === 'text' ? q.text : yield* readWholeFile(q.path);
      yield* this.output.raw(this.output.current, data);
    }
  }

  /** Runs the commands on the pattern space. */
  private *execute(): Gen<CycleEnd> {
    const cmds = this.commands;
    let pc = 0;
    while (pc < cmds.length) {
      const cmd = cmds[pc];
      this.costNs += SED_NS_PER_COMMAND;
      if (cmd.sel !== null && !(yield* this.selects(cmd.sel))) {
        pc = cmd.op === 'enterBlock' ? cmd.skipTo + 1 : pc + 1;
        continue;
      }
      if (cmd.op === 'jump') {
        let taken = cmd.when === 'always';
        if (cmd.when !== 'always') {
          taken = this.substituted === (cmd.when === 'substituted');
          this.substituted = false;
        }
        if (taken) {
          if (cmd.target < 0) return 'end';
          pc = cmd.target;
          continue;
        }
      } else {
        const end = yield* this.step(cmd);
        if (end !== null) return end;
      }
      pc++;
    }
    return 'end';
  }

  /** Whether a command's addresses select the current line (updating its range). */
  private *selects(sel: Selection | null): Gen<boolean> {
    if (sel === null) return true;
    let hit: boolean;
    if (sel.from === null) hit = true;
    else if (sel.to === null) hit = yield* this.test(sel.from);
    else hit = yield* this.inRange(sel, sel.to);
    return sel.negate ? !hit : hit;
  }

  private *inRange(sel: Selection, to: LineTest): Gen<boolean> {
    const n = this.input.lineNumber;
    if (sel.inside) {
      switch (to.kind) {
        case 'line':
        case 'every': {
          if (to.kind === 'every' && to.step > 0) break;
          // A range whose end line was passed (by n or N) ends without this line.
          const last = to.kind === 'line' ? to.line : to.first;
          sel.inside = n < last;
          return n <= last;
        }
        case 'followedBy':
        case 'untilMultiple':
          sel.inside = n < sel.closeAtLine;
          return true;
      }
      if (yield* this.test(to)) sel.inside = false;
      return true;
    }
    if (!(yield* this.test(sel.from!))) return false;
    switch (to.kind) {
      case 'line':
        sel.inside = to.line > n;
        break;
      case 'followedBy':
        sel.closeAtLine = n + to.count;
        sel.inside = to.count > 0;
        break;
      case 'untilMultiple':
        sel.closeAtLine = to.of > 0 ? (Math.floor(n / to.of) + 1) * to.of : n;
        sel.inside = to.of > 0;
        break;
      case 'every':
        sel.inside = to.step > 0 ? !this.isEvery(to.first, to.step, n) : to.first > n;
        break;
      default:
        // A regex or `$` end is looked for from the next line on.
        sel.inside = true;
    }
    return true;
  }

  private isEvery(first: number, step: number, n: number): boolean {
    return step <= 0 ? n === first : n >= first && (n - first) % step === 0;
  }

  private *test(t: LineTest): Gen<boolean> {
    const n = this.input.lineNumber;
    switch (t.kind) {
      case 'line':
        return n === t.line;
      case 'last':
        return yield* this.input.isLastLine();
      case 'every':
        return this.isEvery(t.first, t.step, n);
      case 'pattern':
        return this.matches(t.pattern);
      default:
        return false;
    }
  }

  /** The regex to use: `pattern`, or for `//` the last one used. */
  private patternFor(pattern: SedPattern | null): SedPattern {
    const p = pattern ?? this.lastPattern;
    if (p === null) throw new SedError(`${this.opts.endLocation}: no previous regular expression`, 1);
    this.lastPattern = p;
    return p;
  }

  private matches(pattern: SedPattern | null): boolean {
    const p = this.patternFor(pattern);
    this.costNs += this.ps.text.length * SED_NS_PER_BYTE_SCANNED;
    return p.regex.test(this.ps.text);
  }

  /** Runs one selected command; returns how the cycle ends if it does. */
  private *step(cmd: SedCommand): Gen<CycleEnd | null> {
    const out = this.output;
    const delim = this.opts.delim;
    switch (cmd.op) {
      case 'simple':
        return yield* this.simple(cmd.letter);
      case 'text':
        if (cmd.how === 'append') this.queue.push({ kind: 'text', text: cmd.text });
        else if (cmd.how === 'insert') yield* out.text(out.current, cmd.text);
        else {
          // In a range, c prints its text once, at the range's end.
          const sel = cmd.sel;
          if (!(sel && sel.to !== null && !sel.negate && sel.inside)) yield* out.text(out.current, cmd.text);
          return 'delete';
        }
        return null;
      case 'substitute':
        yield* this.substituteStep(cmd.subst);
        return null;
      case 'transliterate': {
        let t = '';
        for (let i = 0; i < this.ps.text.length; i++) t += cmd.table[this.ps.text.charCodeAt(i) & 0xff];
        this.ps.text = t;
        return null;
      }
      case 'quit':
        this.exitStatus = cmd.status;
        return cmd.print ? 'quit' : 'quitSilently';
      case 'list':
        yield* out.raw(out.current, listing(this.ps.text, cmd.width ?? this.opts.lineWidth, delim));
        return null;
      case 'queueFile':
        this.queue.push({ kind: 'file', path: cmd.path });
        return null;
      case 'queueLine': {
        const line = yield* this.feeds.next(cmd.feed);
        if (line) this.queue.push({ kind: 'text', text: line.hasNewline ? line.text + delim : line.text });
        return null;
      }
      case 'write': {
        const ch = cmd.target.channel!;
        yield* this.printLine(ch, cmd.firstLineOnly);
        return null;
      }
      case 'shell':
        if (cmd.command === '') this.ps.text = chompNewline(yield* runShell(this.ps.text, this.opts.envp));
        else yield* out.raw(out.current, yield* runShell(cmd.command, this.opts.envp));
        return null;
      case 'removed':
        throw new SedError(`INTERNAL ERROR: Bad cmd ${cmd.letter}`, 4);
      default:
        // enterBlock (selected), leaveBlock, label.
        return null;
    }
  }

  /** p and w print the pattern space; P and W its first line, with a terminator if one follows it. */
  private *printLine(ch: OutputChannel, firstLineOnly: boolean): Gen<void> {
    const at = firstLineOnly ? this.ps.text.indexOf(this.opts.delim) : -1;
    if (at < 0) yield* this.output.line(ch, this.ps);
    else yield* this.output.terminated(ch, this.ps.text.slice(0, at));
  }

  private *simple(letter: string): Gen<CycleEnd | null> {
    const out = this.output;
    const delim = this.opts.delim;
    switch (letter) {
      case '=':
        yield* out.terminated(out.current, String(this.input.lineNumber));
        return null;
      case 'd':
        return 'delete';
      case 'D': {
        const at = this.ps.text.indexOf(delim);
        if (at < 0) return 'delete';
        this.ps.text = this.ps.text.slice(at + 1);
        return 'restart';
      }
      case 'F':
        yield* out.terminated(out.current, this.input.fileName);
        return null;
      case 'g':
        this.ps = { ...this.hold };
        return null;
      case 'G':
        this.ps = { text: this.ps.text + delim + this.hold.text, hasNewline: this.hold.hasNewline };
        return null;
      case 'h':
        this.hold = { ...this.ps };
        return null;
      case 'H':
        this.hold = { text: this.hold.text + delim + this.ps.text, hasNewline: this.ps.hasNewline };
        return null;
      case 'x':
        [this.ps, this.hold] = [this.hold, this.ps];
        return null;
      case 'z':
        this.ps.text = '';
        return null;
      case 'p':
      case 'P':
        yield* this.printLine(out.current, letter === 'P');
        return null;
      case 'n':
      case 'N':
        return yield* this.nextLine(letter === 'N');
    }
    return null;
  }

  /** n and N: with no next line, the cycle ends (N under POSIX: without printing). */
  private *nextLine(append: boolean): Gen<CycleEnd | null> {
    if (yield* this.input.isLastLine()) return append && this.opts.posixN ? 'delete' : 'end';
    if (!append) yield* this.autoprint();
    yield* this.flushQueue();
    const line = yield* this.input.nextLine(true);
    if (line === null) return append && this.opts.posixN ? 'delete' : 'end';
    this.ps = append ? { text: this.ps.text + this.opts.delim + line.text, hasNewline: line.hasNewline } : line;
    return null;
  }

  private *substituteStep(s: Substitution): Gen<void> {
    const pattern = this.patternFor(s.pattern);
    const result = substitute(this.ps.text, pattern, s.replacement, s.occurrence, s.global);
    this.costNs += this.ps.text.length * SED_NS_PER_BYTE_SCANNED;
    if (result === null) return;
    this.substituted = true;
    this.ps.text = result.text;
    const out = this.output;
    if (s.printBeforeExec) yield* out.line(out.current, this.ps);
    if (s.execute) this.ps.text = chompNewline(yield* runShell(this.ps.text, this.opts.envp));
    if (s.printAfterExec) yield* out.line(out.current, this.ps);
    if (s.write) yield* out.line(s.write.channel!, this.ps);
  }
}

/** Command output without its final newline (`e` and `s///e` drop it). */
function chompNewline(s: string): string {
  return s.endsWith('\n') ? s.slice(0, -1) : s;
}
