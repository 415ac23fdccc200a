/**
 * dash's builtins that steer evaluation: `break` `continue` `return` `exit`
 * `eval` `.` `exec` `command` `type` `hash` `alias` `unalias` `trap`.
 */
import * as sys from '../../../lib/sys.js';
import { SysError } from '../../../../kernel/errno.js';
import { isReg } from '../../../../kernel/vfs/types.js';
import { readFile } from '../../../lib/io.js';
import { ExitShell, SKIPBREAK, SKIPCONT, SKIPFUNC, SKIPFUNCDEF, EV_TESTED, type Shell, type Gen } from '../shell.js';
import { singleQuote } from '../vars.js';
import { evalString, parseCached, runParsed } from '../main-loop.js';
import { findCommand, shellexec, DEFPATH, pathDirs } from '../command.js';
import { setsignal } from '../trap.js';
import { stoppedJobs } from '../jobs.js';
import { signalNames, decodeSignal } from '../signames.js';
import { def, nextopt, number, type Builtin } from './table.js';

/**
 * A count operand of break, continue and return: a decimal integer in 0…INT_MAX,
 * with an optional sign and blanks around it (`+1`, ` 2 `, `007`, `-0`), as dash
 * reads it; null when it is not one.
 */
function countOperand(text: string): number | null {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)[ \t\n\v\f\r]*$/.exec(text);
  if (m === null) return null;
  const v = Number(m[2]);
  if (v > 0x7fffffff || (m[1] === '-' && v !== 0)) return null;
  return v;
}

/**
 * The `.` scripts being read, innermost last, with the function depth each was
 * started at: a `return` run directly in a `.` script (not in a function it
 * called) ends that script only.
 */
const dotScripts = new WeakMap<Shell, number[]>();

/**
 * break [n] / continue [n]: leave, or go on with the next iteration of, the n-th
 * enclosing loop (n ≥ 1, at most the number of loops; outside a loop nothing
 * happens). The loops see sh.evalskip and sh.skipcount on their way out.
 */
function* breakcmd(sh: Shell, argv: string[]): Gen<number> {
  let levels = 1;
  if (argv.length > 1) {
    const n = countOperand(argv[1]);
    if (n === null || n === 0) throw yield* sh.error(`Illegal number: ${argv[1]}`);
    levels = n;
  }
  if (sh.loopnest > 0) {
    sh.evalskip = argv[0] === 'continue' ? SKIPCONT : SKIPBREAK;
    sh.skipcount = Math.min(levels, sh.loopnest);
  }
  return 0;
}

/**
 * return [n]: ends the running function, or the `.` script being read, or at top
 * level the shell's input, with status n (default $?). SKIPFUNC is for a
 * function; SKIPFUNCDEF for a `.` script and the top level.
 */
function* returncmd(sh: Shell, argv: string[]): Gen<number> {
  let status = sh.status;
  if (argv.length > 1) {
    const n = countOperand(argv[1]);
    if (n === null) throw yield* sh.error(`Illegal number: ${argv[1]}`);
    status = n;
  }
  const dots = dotScripts.get(sh);
  const inDotScript = dots !== undefined && dots.length > 0 && dots[dots.length - 1] === sh.funcDepth;
  sh.evalskip = sh.funcDepth > 0 && !inDotScript ? SKIPFUNC : SKIPFUNCDEF;
  return status;
}

function* exitcmd(sh: Shell, argv: string[]): Gen<number> {
  if (yield* stoppedJobs(sh)) return 0;
  const status = argv.length > 1 ? yield* number(sh, argv[1]) : sh.status;
  throw new ExitShell(status);
}

function* evalcmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length < 2) return 0;
  return yield* evalString(sh, argv.slice(1).join(' '), sh.bltinFlags & EV_TESTED);
}

function* dotcmd(sh: Shell, argv: string[]): Gen<number> {
  const [, first] = yield* nextopt(sh, argv, '');
  const name = argv[first];
  if (name === undefined) return 0;
  let full = name;
  if (!name.includes('/')) {
    let found: string | null = null;
    for (const d of pathDirs(sh.vars.get('PATH') ?? '')) {
      const p = `${d === '' ? '.' : d}/${name}`;
      const st = yield* sys.stat(p);
      if (!(st instanceof SysError) && isReg(st.mode)) {
        found = p;
        break;
      }
    }
    if (found === null) throw yield* sh.error(`${name}: not found`);
    full = found;
  }
  const text = yield* readFile(full);
  if (text instanceof SysError) {
    const why = text.errno === 'ENOENT' || text.errno === 'ENOTDIR' ? 'No such file' : text.message;
    throw yield* sh.error(`cannot open ${full}: ${why}`);
  }
  const saveName = sh.commandName;
  const saveLine = sh.lineno;
  sh.commandName = full;
  let dots = dotScripts.get(sh);
  if (dots === undefined) dotScripts.set(sh, (dots = []));
  dots.push(sh.funcDepth);
  try {
    const p = parseCached(text);
    const status = yield* runParsed(sh, p, 0);
    if (sh.evalskip === SKIPFUNCDEF) sh.evalskip = 0; // a `return` of this script
    return status;
  } finally {
    dots.pop();
    sh.commandName = saveName;
    sh.lineno = saveLine;
  }
}

function* execcmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length > 1) {
    sh.opts.i = false;
    sh.opts.m = false;
    yield* shellexec(sh, argv.slice(1), sh.vars.get('PATH') ?? '', 0);
  }
  return 0;
}

/** Reserved words (dash's keywords): `type` names them before anything else. */
const RESERVED_WORDS = new Set(['!', '{', '}', 'case', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'if', 'in', 'then', 'until', 'while']);

/**
 * What a command name means, for `type`, `command -V` (verbose: "ls is /usr/bin/ls")
 * and `command -v` (terse: "/usr/bin/ls", or the alias as `alias x='…'`). Looked up
 * as the shell would run it, in the order reserved word, alias, function, builtin,
 * then a file: by PATH (or `path` for `command -p`), or as given when the name has
 * a `/` and names an existing file. Found nothing: "x: not found" when verbose,
 * status 127. A PATH search enters the hash table, so the next answer is "a
 * tracked alias".
 */
function* whatIs(sh: Shell, name: string, verbose: boolean, path?: string): Gen<number> {
  const say = (terse: string, wordy: string): number => {
    sh.out(`${verbose ? wordy : terse}\n`);
    return 0;
  };
  if (RESERVED_WORDS.has(name)) return say(name, `${name} is a shell keyword`);
  const alias = sh.aliases.get(name);
  if (alias !== undefined) return say(`alias ${name}=${singleQuote(alias)}`, `${name} is an alias for ${alias}`);
  if (name.includes('/')) {
    const st = yield* sys.stat(name);
    if (!(st instanceof SysError)) return say(name, `${name} is ${name}`);
  } else {
    const wasHashed = path === undefined && sh.hash.has(name);
    const found = yield* findCommand(sh, name, { path });
    switch (found.kind) {
      case 'function':
        return say(name, `${name} is a shell function`);
      case 'builtin':
        return say(name, `${name} is a ${found.b.special ? 'special ' : ''}shell builtin`);
      case 'normal':
        return say(found.path, `${name} is ${wasHashed ? 'a tracked alias for ' : ''}${found.path}`);
      case 'unknown':
        break;
    }
  }
  if (verbose) sh.out(`${name}: not found\n`);
  return 127;
}

function* commandcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'pvV');
  const path = opts.includes('p') ? DEFPATH : undefined;
  const name = argv[first];
  // -V wins over -v whatever their order; only the first name is described.
  if ((opts.includes('v') || opts.includes('V')) && name !== undefined) return yield* whatIs(sh, name, opts.includes('V'), path);
  // Plain `command name …` is handled by evalCommand; here only `command` alone.
  return 0;
}

function* typecmd(sh: Shell, argv: string[]): Gen<number> {
  let err = 0;
  for (let i = 1; i < argv.length; i++) err |= yield* whatIs(sh, argv[i], true);
  return err;
}

/** dash's table order: bucket ((first byte << 4) + byte sum) mod `size`, then insertion. */
export function hashOrder<T>(entries: [string, T][], size: number): [string, T][] {
  const bucket = (n: string): number => {
    let h = n.charCodeAt(0) << 4;
    for (let i = 0; i < n.length; i++) h += n.charCodeAt(i);
    return h % size;
  };
  return entries.map((e, i) => ({ e, i, b: bucket(e[0]) })).sort((a, b) => a.b - b.b || a.i - b.i).map((x) => x.e);
}

function* hashcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'r');
  if (opts.length > 0) {
    sh.hash.clear();
    return 0;
  }
  if (first >= argv.length) {
    let out = '';
    for (const [, v] of hashOrder([...sh.hash.entries()], 31)) out += `${v.path}\n`;
    sh.out(out);
    return 0;
  }
  let c = 0;
  for (let i = first; i < argv.length; i++) {
    sh.hash.delete(argv[i]);
    const e = yield* findCommand(sh, argv[i], { report: true });
    if (e.kind === 'unknown') c = 1;
  }
  return c;
}

function* aliascmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length === 1) {
    let out = '';
    for (const [n, v] of hashOrder([...sh.aliases.entries()], 39)) out += `${n}=${singleQuote(v)}\n`;
    sh.out(out);
    return 0;
  }
  let ret = 0;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=', 1);
    if (eq < 0) {
      const v = sh.aliases.get(a);
      if (v === undefined) {
        yield* sh.err(`alias: ${a} not found\n`);
        ret = 1;
      } else sh.out(`${a}=${singleQuote(v)}\n`);
    } else {
      sh.aliases.set(a.slice(0, eq), a.slice(eq + 1));
      sh.aliasGen++;
    }
  }
  return ret;
}

function* unaliascmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'a');
  if (opts.length > 0) {
    sh.aliases.clear();
    return 0;
  }
  let ret = 0;
  for (let i = first; i < argv.length; i++) {
    if (!sh.aliases.delete(argv[i])) {
      yield* sh.err(`unalias: ${argv[i]} not found\n`);
      ret = 1;
    }
  }
  return ret;
}

function* trapcmd(sh: Shell, argv: string[]): Gen<number> {
  const [, first] = yield* nextopt(sh, argv, '');
  const ap = argv.slice(first);
  if (ap.length === 0) {
    let out = '';
    for (let sig = 0; sig < signalNames.length; sig++) {
      const t = sh.traps[sig];
      if (t !== undefined) out += `trap -- ${singleQuote(t)} ${signalNames[sig]}\n`;
    }
    sh.out(out);
    return 0;
  }
  let action: string | undefined;
  let i = 0;
  if (ap.length === 1 || /^\d+$/.test(ap[0])) action = undefined;
  else action = ap[i++];
  if (action === '-') action = undefined;
  for (; i < ap.length; i++) {
    const sig = decodeSignal(ap[i], false);
    if (sig < 0) {
      yield* sh.err(`trap: ${ap[i]}: bad trap\n`);
      return 1;
    }
    sh.traps[sig] = action;
    if (sig !== 0) yield* setsignal(sh, sig);
  }
  return 0;
}

export const controlBuiltins: Builtin[] = [
  ...def('break continue', '-s', breakcmd),
  ...def('return', '-s', returncmd),
  ...def('exit', '-s', exitcmd),
  ...def('eval', '-s', evalcmd),
  ...def('.', '-s', dotcmd),
  ...def('exec', '-s', execcmd),
  ...def('command', '', commandcmd),
  ...def('type', '', typecmd),
  ...def('hash', '', hashcmd),
  ...def('alias', '', aliascmd),
  ...def('unalias', '', unaliascmd),
  ...def('trap', '-s', trapcmd),
];
