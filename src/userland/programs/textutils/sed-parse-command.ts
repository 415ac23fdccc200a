/**
 * One sed command after its addresses: the letter and its arguments, checked the way
 * GNU sed 4.9 checks them (how many addresses it takes, what may follow it, which
 * letters --posix and --sandbox refuse). Produces the command for the compiled list;
 * blocks, labels and text that continues into the next script piece are the
 * compiler's business (sed-compiler.ts).
 */
import { END, type ScriptCursor } from './sed-script-cursor.js';
import {
  BadReference,
  decodeTransliteration,
  parseReplacement,
  readDelimited,
  readLabel,
  readNumber,
  readToEndOfLine,
  RECURSIVE_ESCAPE,
} from './sed-script-args.js';
import { compilePattern } from './sed-regex.js';
import type { LineFeed, ScriptOptions, SedCommand, Selection, SimpleLetter, Substitution, WriteTarget } from './sed-program.js';

/** The version `v` compares against. */
export const SED_VERSION = '4.9';

/** What command parsing needs from the compiler: options and the shared file tables. */
export interface CommandContext {
  readonly opts: ScriptOptions;
  /** The w file of this name (created on first mention, opened by the compiler). */
  writeTarget(path: string): WriteTarget;
  /** The R file of this name. */
  lineFeed(path: string): LineFeed;
}

const SIMPLE = new Set<string>(['=', 'd', 'D', 'F', 'g', 'G', 'h', 'H', 'n', 'N', 'p', 'P', 'x', 'z']);
/** Letters --posix does not know. */
const GNU_ONLY = new Set<string>(['e', 'F', 'z', 'Q', 'R', 'W', 'T', 'v', 'L']);
/** Letters that take at most one address (GNU); --posix adds = a i r. */
const ONE_ADDRESS = new Set<string>(['q', 'Q']);
const ONE_ADDRESS_POSIX = new Set<string>(['=', 'a', 'i', 'r']);

/** After a command: blanks, then the end of the piece, a newline, `;`, or a `#` or `}` left for the next command. */
export function expectCommandEnd(cur: ScriptCursor): void {
  cur.skipBlanks();
  const c = cur.next();
  if (c === END || c === '\n' || c === ';') return;
  if (c === '#' || c === '}') {
    cur.back();
    return;
  }
  throw cur.error('extra characters after command');
}

/**
 * Checks what the letter allows of its addresses; errors are reported just after the
 * letter, as GNU sed does.
 */
export function checkAddresses(letter: string, sel: Selection | null, cur: ScriptCursor, ctx: CommandContext): void {
  if (sel === null) return;
  if (letter === ':') throw cur.error(": doesn't want any addresses");
  if (sel.to !== null && (ONE_ADDRESS.has(letter) || (ctx.opts.posix && ONE_ADDRESS_POSIX.has(letter)))) {
    throw cur.error('command only uses one address');
  }
}

/** Whether --posix or plain GNU sed knows the letter. */
export function isKnownLetter(letter: string, opts: ScriptOptions): boolean {
  if (opts.posix && GNU_ONLY.has(letter)) return false;
  return SIMPLE.has(letter) || 'bt:aicsyqlLrwRWeQTv{}#'.includes(letter);
}

/** Refuses e/r/w/R/W under --sandbox, at the current position. */
function checkSandbox(cur: ScriptCursor, ctx: CommandContext): void {
  if (ctx.opts.sandbox) throw cur.error('e/r/w commands disabled in sandbox mode');
}

function fileName(cur: ScriptCursor): string {
  const name = readToEndOfLine(cur);
  if (name === '') throw cur.error('missing filename in r/R/w/W commands');
  return name;
}

/**
 * Parses the arguments of a command whose letter has just been read (not `{ } # : a i c`,
 * which the compiler handles). Returns the command without its selection.
 */
export function parseCommandBody(letter: string, cur: ScriptCursor, ctx: CommandContext): SedCommand {
  const sel = null;
  if (SIMPLE.has(letter)) {
    expectCommandEnd(cur);
    return { sel, op: 'simple', letter: letter as SimpleLetter };
  }
  switch (letter) {
    case 'b':
    case 't':
    case 'T': {
      const label = readLabel(cur);
      const when = letter === 'b' ? 'always' : letter === 't' ? 'substituted' : 'notSubstituted';
      return { sel, op: 'jump', when, label, target: -1 };
    }
    case 'q':
    case 'Q': {
      cur.skipBlanks();
      const digits = ctx.opts.posix ? '' : readDigits(cur);
      expectCommandEnd(cur);
      const status = digits === '' ? 0 : Number(BigInt(digits) & 0xffn);
      return { sel, op: 'quit', print: letter === 'q', status };
    }
    case 'l':
    case 'L': {
      cur.skipBlanks();
      const width = ctx.opts.posix ? null : readNumber(cur);
      expectCommandEnd(cur);
      // GNU sed 4.9 still parses the removed `L` (fmt) command, then fails when it runs.
      return letter === 'l' ? { sel, op: 'list', width } : { sel, op: 'removed', letter };
    }
    case 'r':
      checkSandbox(cur, ctx);
      return { sel, op: 'queueFile', path: fileName(cur) };
    case 'R':
      checkSandbox(cur, ctx);
      return { sel, op: 'queueLine', feed: ctx.lineFeed(fileName(cur)) };
    case 'w':
    case 'W':
      checkSandbox(cur, ctx);
      return { sel, op: 'write', target: ctx.writeTarget(fileName(cur)), firstLineOnly: letter === 'W' };
    case 'e':
      checkSandbox(cur, ctx);
      return { sel, op: 'shell', command: readToEndOfLine(cur) };
    case 'v': {
      const wanted = readLabel(cur);
      if (compareVersions(wanted === '' ? '4.0' : wanted, SED_VERSION) > 0) throw cur.error('expected newer version of sed');
      return { sel, op: 'label', name: '' };
    }
    case 'y':
      return parseTransliterate(cur);
    case 's':
      return { sel, op: 'substitute', subst: parseSubstitute(cur, ctx) };
  }
  throw cur.error(`unknown command: \`${letter}'`);
}

function readDigits(cur: ScriptCursor): string {
  let digits = '';
  while (/[0-9]/.test(cur.peek())) digits += cur.next();
  return digits;
}

function decodeOrFail<T>(cur: ScriptCursor, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && e.message === RECURSIVE_ESCAPE) throw cur.error(RECURSIVE_ESCAPE);
    throw e;
  }
}

function parseTransliterate(cur: ScriptCursor): SedCommand {
  const unterminated = (): never => {
    throw cur.error("unterminated `y' command");
  };
  const delim = cur.next();
  if (delim === END) unterminated();
  const src = readDelimited(cur, delim, false) ?? unterminated();
  const dst = readDelimited(cur, delim, false) ?? unterminated();
  const from = decodeOrFail(cur, () => decodeTransliteration(src.text));
  const to = decodeOrFail(cur, () => decodeTransliteration(dst.text));
  if (from.length !== to.length) throw cur.error("strings for `y' command are different lengths");
  const table: string[] = [];
  for (let c = 0; c < 256; c++) table.push(String.fromCharCode(c));
  from.forEach((ch, i) => (table[ch.charCodeAt(0) & 0xff] = to[i]));
  expectCommandEnd(cur);
  return { sel: null, op: 'transliterate', table };
}

/** `s/RE/REPL/FLAGS`: flags g p N e i I m M, blanks between them, and `w FILE` last. */
function parseSubstitute(cur: ScriptCursor, ctx: CommandContext): Substitution {
  const unterminated = (): never => {
    throw cur.error("unterminated `s' command");
  };
  const { posix } = ctx.opts;
  const delim = cur.next();
  if (delim === END) unterminated();
  const pat = readDelimited(cur, delim, true) ?? unterminated();
  const rep = readDelimited(cur, delim, false) ?? unterminated();
  let global = false;
  let occurrence = 0;
  let execute = false;
  let printBeforeExec = false;
  let printAfterExec = false;
  let icase = false;
  let multiline = false;
  let write: WriteTarget | null = null;
  const unknown = (): never => {
    throw cur.error("unknown option to `s'");
  };
  flags: for (;;) {
    const c = cur.next();
    switch (c) {
      case 'g':
        if (global) throw cur.error("multiple `g' options to `s' command");
        global = true;
        break;
      case 'p':
        if (execute ? printAfterExec : printBeforeExec) throw cur.error("multiple `p' options to `s' command");
        if (execute) printAfterExec = true;
        else printBeforeExec = true;
        break;
      case 'e':
        if (posix) unknown();
        checkSandbox(cur, ctx);
        execute = true;
        break;
      case 'i':
      case 'I':
        if (posix) unknown();
        icase = true;
        break;
      case 'm':
      case 'M':
        if (posix) unknown();
        multiline = true;
        break;
      case 'w':
        checkSandbox(cur, ctx);
        write = ctx.writeTarget(fileName(cur));
        break flags;
      case ' ':
      case '\t':
        break;
      case END:
      case '\n':
      case ';':
        break flags;
      case '#':
      case '}':
        cur.back();
        break flags;
      default: {
        if (!/[0-9]/.test(c)) unknown();
        cur.back();
        const n = Number(readDigits(cur));
        if (occurrence !== 0) throw cur.error("multiple number options to `s' command");
        if (n === 0) throw cur.error("number option to `s' command may not be zero");
        occurrence = n;
      }
    }
  }
  const pattern = compilePattern(pat.text, { extended: ctx.opts.extended, posix: ctx.opts.posix, icase, multiline }, cur);
  const replacement = decodeOrFail(cur, () => parseReplacement(rep, pattern === null ? null : pattern.groups));
  if (replacement instanceof BadReference) throw cur.error(`invalid reference \\${replacement.index} on \`s' command's RHS`);
  return { pattern, replacement, global, occurrence: occurrence || 1, printBeforeExec, printAfterExec, execute, write };
}

/**
 * strverscmp(3) as its manual describes it: equal prefixes, then the digit runs around
 * the first difference compared as numbers, runs with leading zeros as fractions.
 */
export function compareVersions(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (i === a.length && i === b.length) return 0;
  const isDigit = (s: string, k: number): boolean => k < s.length && s[k] >= '0' && s[k] <= '9';
  let start = i;
  while (start > 0 && isDigit(a, start - 1)) start--;
  const runEnd = (s: string): number => {
    let k = start;
    while (isDigit(s, k)) k++;
    return k;
  };
  const ra = a.slice(start, runEnd(a));
  const rb = b.slice(start, runEnd(b));
  const byte = (s: string): number => (i < s.length ? s.charCodeAt(i) : 0);
  if (ra === '' || rb === '') return byte(a) - byte(b);
  const zeros = (r: string): number => (r.length > 1 && r[0] === '0' ? r.length - r.replace(/^0+/, '').length || r.length : 0);
  if (zeros(ra) > 0 || zeros(rb) > 0) {
    // Fractional runs: more leading zeros first, then digit by digit ("01" < "010" < "09").
    if (zeros(ra) !== zeros(rb)) return zeros(ra) === 0 ? 1 : zeros(rb) === 0 ? -1 : zeros(rb) - zeros(ra);
    return ra < rb ? -1 : ra > rb ? 1 : 0;
  }
  if (ra.length !== rb.length) return ra.length - rb.length;
  return ra < rb ? -1 : ra > rb ? 1 : byte(a) - byte(b);
}
