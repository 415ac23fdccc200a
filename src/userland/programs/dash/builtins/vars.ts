/**
 * dash's variable and parameter builtins: `export`, `readonly`, `local`, `unset`,
 * `set`, `shift`, `getopts`.
 */
import { V_EXPORT, V_READONLY, V_UNSET, singleQuote } from '../vars.js';
import { OPTION_NAMES, type Options, type Shell, type Gen } from '../shell.js';
import { mklocal } from '../command.js';
import { setsignal } from '../trap.js';
import { setjobctl } from '../job-control.js';
import { SIG } from '../../../../kernel/proc/signals.js';
import { def, nextopt, number, type Builtin } from './table.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Lists variables with `flag` (or all, for `set`), sorted, in dash's `prefix NAME='value'` form. */
function showvars(sh: Shell, prefix: string, flag: number): void {
  let out = '';
  for (const [name, v] of sh.vars.sorted()) {
    if (flag && !(v.flags & flag)) continue;
    if (!flag && v.flags & V_UNSET) continue;
    const p = prefix ? prefix + ' ' : '';
    out += v.flags & V_UNSET ? `${p}${name}\n` : `${p}${name}=${singleQuote(v.value)}\n`;
  }
  sh.out(out);
}

function* exportcmd(sh: Shell, argv: string[]): Gen<number> {
  const flag = argv[0][0] === 'r' ? V_READONLY : V_EXPORT;
  const [opts, first] = yield* nextopt(sh, argv, 'p');
  if (opts.length > 0 || first >= argv.length) {
    showvars(sh, argv[0], flag);
    return 0;
  }
  for (let i = first; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME.test(name)) throw yield* sh.error(`${name}: bad variable name`);
    if (eq < 0) {
      if (sh.vars.lookup(name)) sh.vars.setFlags(name, flag);
      else sh.vars.setFlags(name, flag);
      continue;
    }
    yield* sh.setVar(name, a.slice(eq + 1), flag);
  }
  return 0;
}

function* localcmd(sh: Shell, argv: string[]): Gen<number> {
  if (sh.funcDepth === 0 || sh.locals.length === 0) throw yield* sh.error('not in a function');
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-') {
      sh.localOpts.push({ depth: sh.locals.length, opts: { ...sh.opts } });
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a : a.slice(0, eq);
    if (!NAME.test(name)) throw yield* sh.error(`${name}: bad variable name`);
    yield* mklocal(sh, name, eq < 0 ? null : a.slice(eq + 1), 0);
  }
  return 0;
}

function* unsetcmd(sh: Shell, argv: string[]): Gen<number> {
  const [opts, first] = yield* nextopt(sh, argv, 'fv');
  const funcs = opts[opts.length - 1] === 'f';
  for (let i = first; i < argv.length; i++) {
    const name = argv[i];
    if (funcs) {
      sh.funcs.delete(name);
      continue;
    }
    if (!NAME.test(name)) throw yield* sh.error(`${name}: bad variable name`);
    if (!sh.vars.unset(name)) throw yield* sh.error(`${name}: is read only`);
    // Unsetting OPTIND hands getopts an empty value, which is not a number.
    if (name === 'OPTIND') throw yield* sh.error('Illegal number: ');
  }
  return 0;
}

/** Applies one option letter. */
function* setoption(sh: Shell, c: string, on: boolean): Gen<void> {
  const entry = OPTION_NAMES.find(([k]) => k === c);
  if (!entry || entry[0] === null) throw yield* sh.error(`Illegal option ${on ? '-' : '+'}${c}`);
  const k = entry[0] as keyof Options;
  sh.opts[k] = on;
  if (k === 'm') {
    yield* setsignal(sh, SIG.SIGTSTP);
    yield* setsignal(sh, SIG.SIGTTOU);
    yield* setsignal(sh, SIG.SIGTTIN);
  }
}

/** `set -o` / `set +o` listings, or `-o name`. */
function* minusO(sh: Shell, name: string | undefined, on: boolean): Gen<void> {
  if (name === undefined) {
    let out = '';
    if (on) {
      out += 'Current option settings\n';
      for (const [k, n] of OPTION_NAMES) out += `${n.padEnd(16)}${k !== null && sh.opts[k] ? 'on' : 'off'}\n`;
    } else {
      for (const [k, n] of OPTION_NAMES) out += `set ${k !== null && sh.opts[k] ? '-o' : '+o'} ${n}\n`;
    }
    sh.out(out);
    return;
  }
  const entry = OPTION_NAMES.find(([, n]) => n === name);
  if (!entry) throw yield* sh.error(`Illegal option -o ${name}`);
  if (entry[0] !== null) yield* setoption(sh, entry[0], on);
}

/** dash's options(0) for `set`: returns the index of the first positional argument, or -1 for none given. */
function* parseSetOptions(sh: Shell, argv: string[]): Gen<[number, boolean]> {
  let i = 1;
  while (i < argv.length) {
    const a = argv[i];
    const c0 = a[0];
    if (c0 !== '-' && c0 !== '+') break;
    i++;
    const on = c0 === '-';
    if (on && (a === '-' || a === '--')) {
      if (a === '-') {
        sh.opts.x = false;
        sh.opts.v = false;
      } else if (i >= argv.length) {
        return [i, true];
      }
      return [i, false];
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if (c === 'o') {
        yield* minusO(sh, argv[i], on);
        if (i < argv.length) i++;
      } else {
        yield* setoption(sh, c, on);
      }
    }
  }
  return [i, false];
}

function* setcmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length === 1) {
    showvars(sh, '', 0);
    return 0;
  }
  const monitorBefore = sh.opts.m;
  const [first, reset] = yield* parseSetOptions(sh, argv);
  if (sh.opts.m && !monitorBefore && !sh.jobctl && !(yield* setjobctl(sh))) {
    // set -m with no terminal to take: dash warns and leaves the option off.
    yield* setoption(sh, 'm', false);
    yield* sh.warn("can't access tty; job control turned off");
  }
  if (reset || first < argv.length) {
    sh.params = argv.slice(first);
    sh.getoptsState = { optind: 1, optoff: -1 };
  }
  return 0;
}

function* shiftcmd(sh: Shell, argv: string[]): Gen<number> {
  const n = argv.length > 1 ? yield* number(sh, argv[1]) : 1;
  if (n > sh.params.length) throw yield* sh.error("can't shift that many");
  sh.params = sh.params.slice(n);
  sh.getoptsState = { optind: 1, optoff: -1 };
  return 0;
}

/** Where the option letter `c` is in a getopts option string, and whether it takes an argument; null if absent. */
function findOption(optstring: string, c: string): { takesArg: boolean } | null {
  // Each letter may be followed by one ':' (it takes an argument); a leading ':'
  // (silent reporting) is itself scanned as a letter, as dash does.
  for (let i = 0; i < optstring.length; i++) {
    const takesArg = optstring[i + 1] === ':';
    if (optstring[i] === c) return { takesArg };
    if (takesArg) i++;
  }
  return null;
}

/** What one getopts call found: the letter for the variable, OPTARG, the status. */
interface GetoptsResult {
  letter: string;
  /** The new OPTARG; null: unset it; undefined: leave it (no option left). */
  optarg: string | null | undefined;
  status: number;
}

/**
 * getopts optstring var [arg…] (POSIX getopts; dash(1)): reads the next option
 * from the arguments (default: the positional parameters). OPTIND names the next
 * argument; sh.getoptsState also remembers the offset inside an argument like
 * `-abc` whose letters are not all read. It sets OPTARG, OPTIND, then `var`, and
 * keeps its own position only if all three were set. Errors are reported as
 * "Illegal option -x" / "No arg for -x option" unless optstring starts with ':'.
 */
function* getoptscmd(sh: Shell, argv: string[]): Gen<number> {
  if (argv.length < 3) throw yield* sh.error('Usage: getopts optstring var [arg...]');
  const optstring = argv[1];
  const silent = optstring[0] === ':';
  const args = argv.length > 3 ? argv.slice(3) : sh.params;
  let { optind: next, optoff: inWord } = sh.getoptsState;
  if (next > args.length + 1) {
    next = 1; // OPTIND past the end of these arguments: start again
    inWord = -1;
  }
  // The word being read and the offset of the next letter in it.
  let word: string | undefined;
  let at = inWord;
  if (inWord >= 0 && next >= 2 && inWord < args[next - 2].length) word = args[next - 2];
  else {
    const candidate = args[next - 1];
    if (candidate === '--') next++;
    else if (candidate !== undefined && candidate.length > 1 && candidate[0] === '-') {
      word = candidate;
      at = 1;
      next++;
    }
  }
  let found: GetoptsResult;
  if (word === undefined) {
    found = { letter: '?', optarg: undefined, status: 1 };
    at = -1;
  } else {
    const c = word[at++];
    const option = findOption(optstring, c);
    if (option === null) {
      if (!silent) yield* sh.err(`Illegal option -${c}\n`);
      found = { letter: '?', optarg: silent ? c : null, status: 0 };
    } else if (!option.takesArg) {
      found = { letter: c, optarg: '', status: 0 };
    } else if (at < word.length) {
      found = { letter: c, optarg: word.slice(at), status: 0 };
      at = word.length;
    } else if (next <= args.length) {
      found = { letter: c, optarg: args[next - 1], status: 0 };
      next++;
    } else {
      if (!silent) yield* sh.err(`No arg for -${c} option\n`);
      found = silent ? { letter: ':', optarg: c, status: 0 } : { letter: '?', optarg: null, status: 0 };
    }
    if (at >= word.length) at = -1;
  }
  if (found.optarg === null) {
    if (!sh.vars.unset('OPTARG')) throw yield* sh.error('OPTARG: is read only');
  } else if (found.optarg !== undefined) yield* sh.setVar('OPTARG', found.optarg);
  sh.settingOptind = true;
  try {
    yield* sh.setVar('OPTIND', String(next));
  } finally {
    sh.settingOptind = false;
  }
  // dash takes the name up to an '=' ("o=x" sets o).
  const target = argv[2].split('=')[0];
  if (!NAME.test(target)) throw yield* sh.error(`${argv[2]}: bad variable name`);
  yield* sh.setVar(target, found.letter);
  sh.getoptsState = { optind: next, optoff: at };
  return found.status;
}

export const varBuiltins: Builtin[] = [
  ...def('export readonly', '-as', exportcmd),
  ...def('local', '-as', localcmd),
  ...def('unset', '-s', unsetcmd),
  ...def('set', '-s', setcmd),
  ...def('shift', '-s', shiftcmd),
  ...def('getopts', '', getoptscmd),
];
