/**
 * Turns the pieces of a sed script (each -e, each -f file, or the script operand, in
 * command-line order) into one command list. Pieces are read as they arrive, so an
 * error in one stops sed before later -f files are opened, and -E applies only to the
 * pieces after it. Some things span pieces, as in GNU sed: a `{` may close in a later
 * piece, and `a\` (or text ending in a backslash) at the end of a piece takes its text
 * from the next one (`sed -e 'a\' -e hello`).
 *
 * Grammar of a piece (blanks allowed between the parts):
 *
 *     piece    := { separator | command }
 *     command  := [address [',' address2]] ['!'] letter arguments
 *     separator := ';' | newline | blank
 */
import { describeLocation, END, type ScriptCursor, ScriptCursor as Cursor } from './sed-script-cursor.js';
import { decodeText, readLabel, RECURSIVE_ESCAPE } from './sed-script-args.js';
import { isLineZero, parseSelection } from './sed-parse-address.js';
import { checkAddresses, expectCommandEnd, isKnownLetter, parseCommandBody, type CommandContext } from './sed-parse-command.js';
import { EXIT_PANIC, SedError, type LineFeed, type ScriptOptions, type SedCommand, type Selection, type WriteTarget } from './sed-program.js';

/** An `a`, `i` or `c` whose text continues into the next piece. */
interface PendingText {
  readonly index: number;
  readonly how: 'append' | 'insert' | 'change';
  /** Raw text so far; null after a bare `a\` (nothing yet). */
  raw: string | null;
}

export class SedCompiler implements CommandContext {
  readonly commands: SedCommand[] = [];
  /** `#n` at the very start of the first piece: like -n. */
  quiet = false;
  readonly writeTargets = new Map<string, WriteTarget>();
  readonly lineFeeds = new Map<string, LineFeed>();
  /** Where run-time errors point: the end of the last piece ("char 0" for expressions). */
  endLocation = '';
  /** Open `{`s: their command index and location. */
  private readonly openBlocks: { index: number; where: string }[] = [];
  private pending: PendingText | null = null;
  private expressions = 0;
  private pieces = 0;
  /** Total length of the script pieces (for charging compile time). */
  scriptBytes = 0;

  /** `opts` is read as each piece arrives, so the caller may change `extended` between pieces. */
  constructor(readonly opts: ScriptOptions) {}

  /** Adds an -e argument (or the script operand). */
  addExpression(text: string): void {
    this.compile(new Cursor(text, { kind: 'expression', index: ++this.expressions }));
  }

  /** Adds the text of an -f file. */
  addFile(name: string, text: string): void {
    this.compile(new Cursor(text, { kind: 'file', name }));
  }

  /** Ends the script: text still pending, unclosed blocks, branch targets. */
  finish(): void {
    if (this.pending) this.completeText(this.pending, this.pending.raw === null ? '' : decodeText(this.pending.raw + '\n'));
    const open = this.openBlocks.pop();
    if (open) throw new SedError(`${open.where}: unmatched \`{'`, 1);
    const labels = new Map<string, number>();
    this.commands.forEach((c, i) => {
      if (c.op === 'label' && c.name !== '') labels.set(c.name, i);
    });
    for (const c of this.commands) {
      if (c.op !== 'jump' || c.label === '') continue;
      const target = labels.get(c.label);
      if (target === undefined) throw new SedError(`can't find label for jump to \`${c.label}'`, EXIT_PANIC);
      c.target = target;
    }
  }

  writeTarget(path: string): WriteTarget {
    let t = this.writeTargets.get(path);
    if (!t) this.writeTargets.set(path, (t = { path, channel: null }));
    return t;
  }

  lineFeed(path: string): LineFeed {
    let f = this.lineFeeds.get(path);
    if (!f) this.lineFeeds.set(path, (f = { path }));
    return f;
  }

  private compile(cur: ScriptCursor): void {
    if (this.pieces++ === 0 && cur.text.startsWith('#n')) this.quiet = true;
    this.scriptBytes += cur.text.length;
    if (this.pending) this.continueText(cur, this.pending);
    for (;;) {
      const c = cur.peek();
      if (c === ';' || c === '\n' || c === ' ' || c === '\t' || c === '\v' || c === '\f' || c === '\r') {
        cur.next();
        continue;
      }
      if (c === END) break;
      this.parseCommand(cur);
    }
    this.endLocation = describeLocation(cur.origin, 0, cur.line);
  }

  private parseCommand(cur: ScriptCursor): void {
    let sel: Selection | null = parseSelection(cur, this.opts);
    cur.skipBlanks();
    if (cur.peek() === '!') {
      cur.next();
      cur.skipBlanks();
      if (cur.peek() === '!') {
        cur.next();
        throw cur.error("multiple `!'s");
      }
      sel ??= { from: null, to: null, negate: false, inside: false, closeAtLine: 0 };
      sel.negate = true;
    }
    const letter = cur.next();
    if (letter === END) throw cur.error('missing command');
    if (!isKnownLetter(letter, this.opts)) throw cur.error(`unknown command: \`${letter}'`);
    if (sel && isLineZero(sel.from)) {
      const zeroRange = sel.to?.kind === 'pattern' && !this.opts.posix;
      if (!zeroRange && !(letter === 'r' && sel.to === null)) throw cur.error('invalid usage of line address 0');
      if (zeroRange) sel = { ...sel, from: { kind: 'beforeFirst' }, inside: true };
    }
    checkAddresses(letter, sel, cur, this);
    switch (letter) {
      case '{':
        this.openBlocks.push({ index: this.commands.length, where: describeLocation(cur.origin, 0, cur.line) });
        this.commands.push({ sel, op: 'enterBlock', skipTo: -1 });
        return;
      case '}': {
        const open = this.openBlocks.pop();
        if (!open) throw cur.error("unexpected `}'");
        if (sel) throw cur.error("`}' doesn't want any addresses");
        const block = this.commands[open.index];
        if (block.op === 'enterBlock') block.skipTo = this.commands.length;
        this.commands.push({ sel: null, op: 'leaveBlock' });
        expectCommandEnd(cur);
        return;
      }
      case '#':
        if (sel) throw cur.error("comments don't accept any addresses");
        for (let c = cur.next(); c !== END && c !== '\n'; c = cur.next());
        return;
      case ':': {
        const name = readLabel(cur);
        if (name === '') throw cur.error('":" lacks a label');
        this.commands.push({ sel: null, op: 'label', name });
        return;
      }
      case 'a':
      case 'i':
      case 'c':
        this.parseText(cur, sel, letter === 'a' ? 'append' : letter === 'i' ? 'insert' : 'change');
        return;
    }
    const command = parseCommandBody(letter, cur, this);
    command.sel = sel;
    this.commands.push(command);
  }

  /**
   * `a text`, `a\` newline `text`, `a\text`: blanks after the letter are skipped in the
   * one-line form only; lines ending in a backslash continue the text.
   */
  private parseText(cur: ScriptCursor, sel: Selection | null, how: PendingText['how']): void {
    cur.skipBlanks();
    const c = cur.next();
    if (c === END || (this.opts.posix && c !== '\\')) throw cur.error("expected \\ after `a', `c' or `i'");
    const pending: PendingText = { index: this.commands.length, how, raw: '' };
    this.commands.push({ sel, op: 'text', how, text: '' });
    if (c === '\\') {
      const d = cur.next();
      if (d === END) {
        pending.raw = null;
        this.pending = pending;
        return;
      }
      if (d !== '\n') cur.back();
    } else cur.back();
    this.continueText(cur, pending);
  }

  /** Reads text up to an unescaped newline; a backslash at the end of the piece carries on into the next. */
  private continueText(cur: ScriptCursor, pending: PendingText): void {
    // A piece that ended in a backslash joins the next one with a newline, as an escaped newline.
    let raw = pending.raw === null ? '' : pending.raw.endsWith('\\') ? pending.raw + '\n' : pending.raw;
    this.pending = null;
    for (;;) {
      const c = cur.next();
      if (c === END || c === '\n') break;
      if (c === '\\') {
        const d = cur.next();
        if (d === END) {
          this.pending = { ...pending, raw: raw + '\\' };
          return;
        }
        raw += c + d;
      } else raw += c;
    }
    let text: string;
    try {
      text = decodeText(raw + '\n');
    } catch (e) {
      if (e instanceof Error && e.message === RECURSIVE_ESCAPE) throw cur.error(RECURSIVE_ESCAPE);
      throw e;
    }
    this.completeText(pending, text);
  }

  private completeText(pending: PendingText, text: string): void {
    const old = this.commands[pending.index];
    this.commands[pending.index] = { sel: old.sel, op: 'text', how: pending.how, text };
    this.pending = null;
  }
}
