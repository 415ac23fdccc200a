/**
 * Reading and running commands (dash's cmdloop, evalstring, input.c): a `-c`
 * string or a script file is parsed once and run; standard input is read in
 * blocks (8 KiB, dash's BUFSIZ) and each complete command is run as soon as it
 * has been read; an interactive shell prints PS1 before each command and PS2
 * before each continuation line, survives errors, and discards the rest of what
 * it had read after a syntax error, as dash does.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { ShellSyntaxError } from './ast.js';
import { parseProgram, type ParsedProgram } from './parse.js';
import { ExitShell, ShellError, EV_EXIT, type Shell, type Gen } from './shell.js';
import { evaltree } from './eval.js';
import { Interrupt } from './trap.js';
import { expandPrompt } from './prompt.js';
import { showChanged, stoppedJobs } from './jobs.js';

/** dash's input buffer size. */
export const INPUT_BLOCK = 8192;

/** Parsed strings by text (parse trees are immutable, so they can be shared). */
const parseCache = new Map<string, ParsedProgram>();
const PARSE_CACHE_MAX = 512;
/**
 * Texts parsed once and not kept (the cache's doorkeeper): a tree is kept from a text's
 * second parse on. Most one-off texts are host scripts unique to one `ctsim run` (its
 * container ID) — keeping their trees (~30 KiB each) filled the cache with trees never
 * used again, and each lived long enough to cost a full collection to free.
 */
const seenOnce = new Set<string>();

/** Parses a string, remembering the result when the same text comes again (eval, traps, `sh -c`, a script read in one block). */
export function parseCached(text: string): ParsedProgram {
  let p = parseCache.get(text);
  if (p === undefined) {
    p = parseProgram(text);
    if (!seenOnce.delete(text)) {
      if (seenOnce.size >= PARSE_CACHE_MAX) seenOnce.delete(seenOnce.values().next().value as string);
      seenOnce.add(text);
      return p;
    }
    if (parseCache.size >= PARSE_CACHE_MAX) parseCache.delete(parseCache.keys().next().value as string);
    parseCache.set(text, p);
  }
  return p;
}

/** Reports a syntax error as dash does ("sh: 3: Syntax error: …") and raises it. */
export function* syntaxError(sh: Shell, e: ShellSyntaxError): Gen<ShellError> {
  sh.lineno = e.line;
  return yield* sh.error(e.message);
}

/** Runs parsed commands; a syntax error after them is raised. Returns the last status. */
export function* runParsed(sh: Shell, p: ParsedProgram, flags: number): Gen<number> {
  let status = 0;
  const n = p.nodes.length;
  const saveSnap = sh.aliasSnap;
  if (p.nodes.length > 0 && !p.newLine[0]) sh.aliasSnap = sh.aliases.size > 0 ? new Map(sh.aliases) : null;
  try {
    for (let i = 0; i < n; i++) {
      const last = i === n - 1 && p.error === null;
      // Aliases defined by earlier commands apply to this one (it is "read" now).
      if (p.newLine[i]) sh.aliasSnap = sh.aliases.size > 0 ? new Map(sh.aliases) : null;
      status = yield* evaltree(sh, p.nodes[i], last ? flags : flags & ~EV_EXIT);
      if (sh.evalskip) return status;
    }
  } finally {
    sh.aliasSnap = saveSnap;
  }
  if (p.error !== null) throw yield* syntaxError(sh, p.error);
  return status;
}

/** dash's evalstring: parses and runs a string (eval, trap actions). */
export function* evalString(sh: Shell, text: string, flags: number): Gen<number> {
  const p = parseCached(text);
  if (p.nodes.length === 0 && p.error === null) return 0;
  const saveLine = sh.lineno;
  try {
    return yield* runParsed(sh, p, flags);
  } finally {
    sh.lineno = saveLine;
  }
}

/** Buffered reading of the shell's input (a file descriptor), a block at a time. */
export class InputReader {
  buf = '';
  eof = false;
  constructor(readonly fd: number) {}

  /** Reads one more block; false at end of input. */
  *fill(): Gen<boolean> {
    if (this.eof) return false;
    for (;;) {
      const r = yield* sys.read(this.fd, INPUT_BLOCK);
      if (r instanceof SysError) {
        if (r.errno === 'EINTR') continue;
        this.eof = true;
        return false;
      }
      if (r === '') {
        this.eof = true;
        return false;
      }
      this.buf += r;
      return true;
    }
  }
}

/**
 * Reads and runs commands from a descriptor (dash's cmdloop). Non-interactive:
 * a syntax error ends the shell (status 2). Interactive: prompts, and errors only
 * abandon the command. Returns the status to exit with.
 */
export function* runInput(sh: Shell, fd: number): Gen<number> {
  const input = new InputReader(fd);
  let lineBase = 0;
  const interactive = sh.opts.i;
  for (;;) {
    if (interactive) {
      if (sh.jobctl) yield* showChanged(sh);
      yield* sh.err(yield* expandPrompt(sh, sh.vars.get('PS1') ?? ''));
    }
    // Gather lines until they make complete commands.
    let text = '';
    let parsed: ParsedProgram | null = null;
    for (;;) {
      let nl = input.buf.indexOf('\n');
      while (nl < 0 && !input.eof) {
        yield* input.fill();
        nl = input.buf.indexOf('\n');
      }
      if (nl < 0) {
        text += input.buf;
        input.buf = '';
      } else if (interactive) {
        text += input.buf.slice(0, nl + 1);
        input.buf = input.buf.slice(nl + 1);
      } else {
        // Take every complete line read so far.
        const last = input.buf.lastIndexOf('\n');
        text += input.buf.slice(0, last + 1);
        input.buf = input.buf.slice(last + 1);
      }
      if (text === '') break;
      // A script read whole in its first block may come again (a hook run for each container);
      // interactive input is typed once, and later blocks number their lines from lineBase.
      parsed = !interactive && lineBase === 0 ? parseCached(text) : parseProgram(text, lineBase);
      if (!parsed.incomplete || (input.eof && input.buf === '')) break;
      if (interactive) yield* sh.err(yield* expandPrompt(sh, sh.vars.get('PS2') ?? ''));
    }
    if (text === '') {
      if (interactive && sh.level === 0 && (yield* stoppedJobs(sh))) {
        input.eof = false;
        continue;
      }
      if (interactive) yield* sh.err('\n');
      return sh.status;
    }
    sh.jobWarning = sh.jobWarning === 2 ? 1 : 0;
    lineBase += countLines(text);
    const p = parsed!;
    if (sh.opts.v) yield* sh.err(text);
    try {
      yield* runParsed(sh, p, 0);
    } catch (e) {
      if (!interactive || sh.level > 0) throw e;
      if (e instanceof ExitShell) throw e;
      if (e instanceof ShellError || e instanceof Interrupt) {
        // dash drops what it had read ahead after an error.
        input.buf = '';
        sh.evalskip = 0;
        continue;
      }
      throw e;
    }
    if (sh.evalskip) return sh.status;
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
