/**
 * The parser adapter: dash's grammar on top of unbash.
 *
 * unbash parses bash, a superset of what dash accepts, so the source is first
 * checked for bash-only syntax (bashisms.ts): a bash keyword dash does not have
 * (`[[`, `function`, `select`, `time`, `coproc`) is re-read as a plain word and
 * `((` as two subshells — by editing the text unbash sees, never the text dash
 * would see — and a construct dash rejects (`a=(1 2)`, `<(…)`, `|&`, `;&`, `<<<`,
 * `for ((…))`) becomes dash's syntax error. The tree is then converted to ast.ts,
 * with words re-read by words.ts, and unbash's error messages rewritten into
 * dash's ("Syntax error: "fi" unexpected (expecting "done")").
 *
 * Like dash, which reads and runs one complete command at a time, a script with a
 * syntax error still runs the commands on the lines before the error.
 */
import { parse, type ParsedScript, type Statement, type CompoundList, type CommandNode, type Command, type Redirection as URedirection, type Word as UWord, type PipelineNode, type AndOr as UAndOr, type Script } from 'unbash';
import { K, P, ShellSyntaxError, type Node, type Redirection, type Word, type CaseItem, type Cmd } from './ast.js';
import { collectSpans, scanWord, makeWord, Mode, type SubstSpan, type WordCtx } from './words.js';
import { fixBashisms } from './bashisms.js';
import { dashMessage, isEofError, tokenAt } from './syntax-errors.js';

/** A parsed program: the commands that may run, and the syntax error that stops it, if any. */
export interface ParsedProgram {
  readonly nodes: readonly Node[];
  /** For each node: it begins a new line of input (dash reads and parses a line at a time). */
  readonly newLine: readonly boolean[];
  readonly error: ShellSyntaxError | null;
  /** The error is the end of the input in the middle of a command (more input could complete it). */
  readonly incomplete: boolean;
}

/** An error found while converting, at a position of the converted source. */
class ConvError {
  constructor(
    readonly message: string,
    readonly pos: number,
  ) {}
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** dash's special builtins: no function may have their names. */
const SPECIAL_BUILTINS = new Set(['.', ':', 'break', 'continue', 'eval', 'exec', 'exit', 'export', 'local', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);

/** Line numbers of positions in one source text (1-based). */
class Lines {
  private readonly starts: number[] = [0];

  constructor(
    src: string,
    private readonly base: number,
  ) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The line of the character at `pos`. */
  at(pos: number): number {
    const s = this.starts;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1 + this.base;
  }

  get count(): number {
    return this.starts.length + this.base;
  }
}

/** Converts one unbash script (a whole program or a substitution) to dash nodes. */
class Converter implements WordCtx {
  readonly spans = new Map<number, SubstSpan>();
  readonly lines: Lines;

  constructor(
    readonly src: string,
    lineBase: number,
  ) {
    this.lines = new Lines(src, lineBase);
  }

  convertSub(script: ParsedScript, pos: number): Node | null {
    const own = (script as Script).source;
    if (own !== undefined && own !== this.src) {
      const sub = new Converter(own, this.lines.at(pos) - 1);
      return sub.scriptBody(script, pos);
    }
    return this.scriptBody(script, pos);
  }

  /** A substitution's script as one node (errors inside it are errors of the enclosing command). */
  scriptBody(script: ParsedScript, pos: number): Node | null {
    const errs = script.errors;
    if (errs && errs.length > 0) {
      const e = [...errs].sort((a, b) => a.pos - b.pos)[0];
      throw new ConvError(dashMessage(this.src, errs, e, ')'), e.pos >= 0 ? e.pos : pos);
    }
    collectSpans(script, this.spans);
    const nodes = script.commands.map((s) => this.statement(s));
    return nodes.length === 0 ? null : nodes.length === 1 ? nodes[0] : { k: K.Seq, list: nodes };
  }

  statement(st: Statement): Node {
    const body = this.andOr(st.command);
    if (st.background) return { k: K.Bg, body, line: this.lines.at(st.pos) };
    return body;
  }

  andOr(n: PipelineNode | UAndOr): Node {
    if (n.type !== 'AndOr') return this.pipeline(n);
    let left = this.pipeline(n.commands[0]);
    for (let i = 1; i < n.commands.length; i++) {
      const right = this.pipeline(n.commands[i]);
      left = { k: n.operators[i - 1] === '&&' ? K.And : K.Or, left, right };
    }
    return left;
  }

  pipeline(n: PipelineNode): Node {
    if (n.type !== 'Pipeline') return this.command(n);
    const cmds = n.commands.map((c) => this.command(c));
    let node: Node = cmds.length === 1 ? cmds[0] : { k: K.Pipe, cmds };
    if (n.prefixes.some((p) => p.type === 'Negation')) node = { k: K.Not, body: node };
    return node;
  }

  list(l: CompoundList): Node {
    const nodes = l.commands.map((s) => this.statement(s));
    return nodes.length === 1 ? nodes[0] : { k: K.Seq, list: nodes };
  }

  command(c: CommandNode): Node {
    switch (c.type) {
      case 'Command':
        return this.simple(c);
      case 'Redirected': {
        const redirs = c.redirects.map((r) => this.redirect(r));
        const line = this.lines.at(c.pos);
        if (c.command.type === 'Subshell') return { k: K.Sub, line, body: this.list(c.command.body), redirs };
        return { k: K.Redir, line, body: this.command(c.command), redirs };
      }
      case 'Subshell':
        return { k: K.Sub, line: this.lines.at(c.pos), body: this.list(c.body), redirs: [] };
      case 'BraceGroup':
        return this.list(c.body);
      case 'If': {
        let else_: Node | null = c.else ? this.list(c.else) : null;
        for (let i = c.elif.length - 1; i >= 0; i--) {
          const e = c.elif[i];
          else_ = { k: K.If, cond: this.list(e.clause), then: this.list(e.then), else_ };
        }
        return { k: K.If, cond: this.list(c.clause), then: this.list(c.then), else_ };
      }
      case 'While':
        return { k: c.kind === 'while' ? K.While : K.Until, cond: this.list(c.clause), body: this.list(c.body) };
      case 'For': {
        const name = c.name.text;
        if (!NAME.test(name)) throw new ConvError('Syntax error: Bad for loop variable', c.name.pos);
        const words = c.wordlist ? c.wordlist.map((w) => this.word(w)) : null;
        return { k: K.For, line: this.lines.at(c.pos), name, words, body: this.list(c.body) };
      }
      case 'Case': {
        const items: CaseItem[] = c.items.map((it) => ({
          pats: it.pattern.map((w) => this.word(w)),
          body: it.body.commands.length > 0 ? this.list(it.body) : null,
        }));
        return { k: K.Case, line: this.lines.at(c.pos), word: this.word(c.word), items };
      }
      case 'Function': {
        const name = c.name.text;
        if (!NAME.test(name) || SPECIAL_BUILTINS.has(name)) throw new ConvError('Syntax error: Bad function name', c.name.pos);
        const b = c.body;
        const body = b.type === 'CompoundList' ? this.list(b) : this.command(b);
        return { k: K.Defun, line: this.lines.at(c.pos), name, body };
      }
      default:
        // Bash-only compound commands were rewritten or rejected before conversion.
        throw new ConvError(`Syntax error: "${this.src.slice(c.pos, c.pos + 2)}" unexpected`, c.pos);
    }
  }

  simple(c: Command): Cmd {
    const assigns: Word[] = [];
    const args: Word[] = [];
    const redirs: Redirection[] = [];
    let firstEnd = -1;
    for (const p of c.prefix) {
      if (firstEnd < 0) firstEnd = p.end;
      if (p.type === 'Assignment') {
        const w = scanWord(this, p.pos, p.end);
        if (p.append || p.index || args.length > 0 || !w.assignLike) args.push(w);
        else assigns.push(w);
      } else redirs.push(this.redirect(p));
    }
    if (c.name) {
      if (firstEnd < 0) firstEnd = c.name.end;
      args.push(this.word(c.name));
    }
    for (const s of c.suffix) {
      if (firstEnd < 0) firstEnd = s.end;
      if (s.type === 'Word' || s.type === 'Assignment') args.push(scanWord(this, s.pos, s.end));
      else redirs.push(this.redirect(s));
    }
    const line = this.lines.at(Math.max(0, (firstEnd < 0 ? c.pos : firstEnd) - 1));
    return { k: K.Cmd, line, assigns, args, redirs };
  }

  word(w: UWord): Word {
    return scanWord(this, w.pos, w.end);
  }

  redirect(r: URedirection): Redirection {
    if (r.type === 'HereString') throw new ConvError('Syntax error: redirection unexpected', r.pos);
    const fd = r.descriptor?.type === 'FileDescriptor' ? r.descriptor.value : -1;
    if (r.type === 'HereDoc') {
      const strip = r.operator === '<<-';
      const b = r.body;
      if (r.delimiter?.quoted) {
        let text = b.text;
        if (strip) text = text.replace(/^\t+/gm, '');
        return { op: r.operator, fd: fd < 0 ? 0 : fd, target: makeWord([{ k: P.QLit, s: text }], text), hereLiteral: true };
      }
      return { op: r.operator, fd: fd < 0 ? 0 : fd, target: scanWord(this, b.pos, b.end, Mode.Here, strip) };
    }
    const op = r.operator;
    if (op === '&>' || op === '&>>') throw new ConvError('Syntax error: "&" unexpected', r.pos);
    if (!r.target) throw new ConvError('Syntax error: end of file unexpected', r.end);
    const target = this.word(r.target);
    if ((op === '>&' || op === '<&') && target.lit !== null && !/^(\d+|-)$/.test(target.lit)) {
      throw new ConvError('Syntax error: Bad fd number', r.target.pos);
    }
    const dflt = op === '<' || op === '<>' || op === '<&' ? 0 : 1;
    return { op, fd: fd < 0 ? dflt : fd, target };
  }
}

/**
 * Parses a whole program (a `-c` string, a script file, an `eval` string, a line
 * of interactive input). `lineBase` is added to line numbers (for input read in pieces).
 */
export function parseProgram(source: string, lineBase = 0): ParsedProgram {
  const fixed = fixBashisms(source);
  const src = fixed.src;
  const ast = fixed.ast;
  const conv = new Converter(src, lineBase);
  let errPos = Infinity;
  let errMsg = '';
  let incomplete = false;
  const errs = ast.errors ?? [];
  if (errs.length > 0) {
    const e = [...errs].sort((a, b) => a.pos - b.pos)[0];
    errPos = e.pos;
    errMsg = dashMessage(src, errs, e);
    incomplete = isEofError(src, e.message, e.pos);
  }
  if (fixed.direct && fixed.direct.pos < errPos) {
    errPos = fixed.direct.pos;
    errMsg = fixed.direct.message;
    incomplete = false;
  }
  const nodes: Node[] = [];
  const ends: number[] = [];
  const stmts = ast.commands;
  collectSpans(ast, conv.spans);
  for (const st of stmts) {
    // unbash's recovery leaves a broken compound command with an empty extent.
    if (st.end >= errPos || (errPos !== Infinity && st.end <= st.pos)) break;
    try {
      nodes.push(conv.statement(st));
      ends.push(st.end);
    } catch (e) {
      if (!(e instanceof ConvError)) throw e;
      errPos = e.pos;
      errMsg = e.message;
      incomplete = /end of file/.test(e.message) && tokenAt(src, e.pos) === 'end of file';
      break;
    }
  }
  if (errPos !== Infinity) {
    // dash reads and runs a line at a time: a command runs only if a newline
    // separates it from the error.
    let keep = 0;
    for (let i = 0; i < nodes.length; i++) {
      if (ends[i] > errPos) break;
      const next = i + 1 < stmts.length ? Math.min(stmts[i + 1].pos, errPos) : errPos;
      if (src.slice(ends[i], next).includes('\n')) keep = i + 1;
    }
    nodes.length = keep;
  }
  const newLine = nodes.map((_, i) => i === 0 || src.slice(ends[i - 1], stmts[i].pos).includes('\n'));
  if (errPos === Infinity) {
    // No error: an unclosed here-document at the end may still be waiting for its body.
    if (hasOpenHeredoc(ast)) incomplete = true;
    return { nodes, newLine, error: null, incomplete };
  }
  const line = tokenAt(src, errPos) === 'end of file' ? conv.lines.count : conv.lines.at(errPos);
  return { nodes, newLine, error: new ShellSyntaxError(errMsg, line), incomplete };
}

function hasOpenHeredoc(ast: ParsedScript): boolean {
  const last = ast.commands[ast.commands.length - 1];
  if (!last) return false;
  let open = false;
  const visit = (n: CommandNode | PipelineNode | UAndOr): void => {
    if (n.type === 'Command') {
      for (const r of n.redirects) if (r.type === 'HereDoc' && r.closing === undefined) open = true;
    } else if (n.type === 'AndOr' || n.type === 'Pipeline') {
      for (const c of n.commands) visit(c);
    } else if (n.type === 'Redirected') {
      for (const r of n.redirects) if (r.type === 'HereDoc' && r.closing === undefined) open = true;
    }
  };
  visit(last.command);
  return open;
}

const hereCache = new Map<string, Word>();

/**
 * Reads `text` as the body of a here-document with an unquoted delimiter (what
 * dash does with PS1, PS2 and PS4 before expanding them): `$` and backquote
 * expansions and `\` escapes, no quote removal.
 */
export function parseHereText(text: string): Word {
  const cached = hereCache.get(text);
  if (cached) return cached;
  let word: Word;
  if (!/[$`\\]/.test(text)) {
    word = makeWord([{ k: P.QLit, s: text }], text);
  } else {
    let delim = 'CTSIM_PROMPT_EOF';
    while (text.includes(delim)) delim += '_';
    const src = `:<<${delim}\n${text}\n${delim}\n`;
    const ast = parse(src);
    const cmd = ast.commands[0]?.command;
    const conv = new Converter(src, 0);
    collectSpans(ast, conv.spans);
    const r = cmd && cmd.type === 'Command' ? cmd.redirects[0] : undefined;
    if (r && r.type === 'HereDoc' && !(ast.errors && ast.errors.length)) {
      try {
        word = scanWord(conv, r.body.pos, Math.max(r.body.pos, r.body.end - 1), Mode.Here);
      } catch {
        word = makeWord([{ k: P.QLit, s: text }], text);
      }
    } else {
      word = makeWord([{ k: P.QLit, s: text }], text);
    }
  }
  if (hereCache.size > 64) hereCache.clear();
  hereCache.set(text, word);
  return word;
}
