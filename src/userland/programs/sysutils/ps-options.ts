/**
 * Reading ps(1)'s command line as procps-ng 4.0.2 does (ps(1) "DESCRIPTION",
 * checked word by word against the real ps). Three syntaxes mix freely:
 *
 *   -abc      Unix options, clustered; an option's argument is the rest of the
 *             word or the next word (`-p1`, `-p 1`)
 *   abc       BSD options, clustered the same way; a digit starts a PID list
 *   --name    GNU long options, `--name=value` or `--name value`
 *   12 -3 +4  from the first number on, every word is a number: a PID, -PGRP
 *             or +SESSION
 *
 * Any BSD word or number switches the selection defaults and formats to BSD
 * style. If the line cannot be read this way, ps reads it once more treating
 * every `-` word as BSD options (so `ps -aux` means `ps aux`); plain words are then
 * errors. When both readings fail, the first reading's error is reported.
 *
 * The options are data: each letter maps to an action on a PsRequest, with
 * whether it takes an argument and the message for a missing one.
 */
import type { UserDb } from '../../lib/passwd.js';
import type { Gen } from './gnu-style.js';
import {
  parseCInteger, PsFatalError, PsUsageError, readGroupList, readPid, readPidList, readSessionOrGroupList,
  readTtyList, readUserList, splitList,
} from './ps-lists.js';

export { PsFatalError, PsUsageError } from './ps-lists.js';

/** One selection list: processes whose `field` is one of `values`. */
export type Criterion =
  | { field: 'pid' | 'ppid' | 'session' | 'pgrp' | 'euid' | 'ruid' | 'egid' | 'rgid' | 'tty'; values: number[] }
  | { field: 'comm'; values: string[] };

/** A format list (`-o`, `o`, `--format`) or a sort list, kept in command-line order. */
export type Deferred = { kind: 'format'; text: string; bsd: boolean } | { kind: 'sort'; text: string };

/** Everything the command line asks for. */
export interface PsRequest {
  /** -A, -e. */
  everyone: boolean;
  /** Unix -a (with a terminal, not a session leader) and -d (not a session leader). */
  unixA: boolean;
  unixD: boolean;
  /** BSD a (lift "only mine"), x (lift "must have a terminal"), g (no effect left). */
  bsdA: boolean;
  bsdX: boolean;
  bsdG: boolean;
  /** -N, --deselect. */
  negate: boolean;
  /** r: running processes only. */
  runningOnly: boolean;
  criteria: Criterion[];
  /** -q, q, --quick-pid: exactly these processes. */
  quickPids: number[] | null;
  /** A BSD option or a number word was given: BSD defaults and formats. */
  bsdStyle: boolean;
  /** Unix format letters seen: f F l j y c P. */
  unixFormat: Set<string>;
  /** BSD formats seen: j l u. */
  bsdFormats: Set<string>;
  deferred: Deferred[];
  /** BSD H: threads shown as processes (each ctsim process has one thread). */
  threads: boolean;
  /** -H indents, f/--forest draws ASCII art; the last one given wins. */
  forest: 'none' | 'art' | 'indent';
  headers: 'auto' | 'off' | 'on';
  numericIds: boolean;
  commandNameOnly: boolean;
  cumulative: boolean;
  /** How many times w/-w was given. */
  wide: number;
  /** --cols, --columns, --width. */
  screenCols: number | null;
  /** -V, V, --version as the only argument. */
  version: boolean;
}

/** What reading needs to know about the caller. */
export interface ReadEnv {
  users: UserDb;
  /** ps's own controlling terminal (0: none), for T, t and -t without a list. */
  ownTty: number;
}

const SCREEN_COLS_LIMIT = 131072;

function emptyRequest(): PsRequest {
  return {
    everyone: false, unixA: false, unixD: false, bsdA: false, bsdX: false, bsdG: false, negate: false,
    runningOnly: false, criteria: [], quickPids: null, bsdStyle: false, unixFormat: new Set(),
    bsdFormats: new Set(), deferred: [], threads: false, forest: 'none', headers: 'auto', numericIds: false,
    commandNameOnly: false, cumulative: false, wide: 0, screenCols: null, version: false,
  };
}

type Apply = (s: ReadState, arg: string) => Gen<void> | void;
/** One option: what it does, and (if it takes an argument) what to say when it is missing. */
interface OptionDef {
  arg?: 'required' | 'optional';
  missing?: string;
  run: Apply;
}

/** The state of one reading. */
class ReadState {
  readonly req = emptyRequest();
  constructor(readonly argv: readonly string[], readonly env: ReadEnv) {}

  addCriterion(c: Criterion): void {
    if (this.req.quickPids) throw new PsFatalError('q/-q/--quick-pid cannot be combined with other selection options.');
    this.req.criteria.push(c);
  }
  setQuick(pids: number[]): void {
    const r = this.req;
    if (r.quickPids) throw new PsFatalError('q/-q/--quick-pid can only be used once.');
    if (r.criteria.length) throw new PsFatalError('q/-q/--quick-pid cannot be combined with other selection options.');
    if (r.negate) throw new PsFatalError('q/-q/--quick-pid cannot be used together with negation switches.');
    if (r.deferred.some((d) => d.kind === 'sort')) throw new PsFatalError('q/-q,--quick-pid cannot be used together with sort options.');
    if (r.forest !== 'none') throw new PsFatalError('q/-q/--quick-pid cannot be used together with forest type listings.');
    r.quickPids = pids;
  }
  setNegate(): void {
    if (this.req.quickPids) throw new PsFatalError('q/-q/--quick-pid cannot be used together with negation switches.');
    this.req.negate = true;
  }
  setForest(kind: 'art' | 'indent'): void {
    if (this.req.quickPids) throw new PsFatalError('q/-q/--quick-pid cannot be used together with forest type listings.');
    this.req.forest = kind;
  }
  addSort(text: string): void {
    if (this.req.quickPids) throw new PsFatalError('q/-q,--quick-pid cannot be used together with sort options.');
    if (this.req.deferred.some((d) => d.kind === 'sort')) throw new PsUsageError('multiple sort options');
    this.req.deferred.push({ kind: 'sort', text });
  }
  setHeaders(mode: 'off' | 'on'): void {
    if (this.req.headers !== 'auto') throw new PsUsageError('only one heading option may be specified');
    this.req.headers = mode;
  }
  /** V, -V, --version (spelt `form`): only valid as the whole command line. */
  version(form: string): void {
    if (this.argv.length !== 1 || this.argv[0] !== form) throw new PsUsageError(`the option is exclusive: ${form}`);
    this.req.version = true;
  }
}

const pids = (field: 'pid' | 'ppid' | 'session'): Apply => (s, arg) => s.addCriterion({ field, values: readPidList(arg) });
const users = (field: 'euid' | 'ruid'): Apply => (s, arg) => s.addCriterion({ field, values: readUserList(arg, s.env.users) });
const groups = (field: 'egid' | 'rgid'): Apply => (s, arg) => s.addCriterion({ field, values: readGroupList(arg, s.env.users) });
const ttys: Apply = function* (s, arg) {
  s.addCriterion({ field: 'tty', values: arg === undefined ? [s.env.ownTty] : yield* readTtyList(arg) });
};
const quick: Apply = (s, arg) => s.setQuick(readPidList(arg));
const unixFlag = (letter: string): OptionDef => ({ run: (s) => void s.req.unixFormat.add(letter) });
const bsdFormat = (letter: string): OptionDef => ({ run: (s) => void s.req.bsdFormats.add(letter) });
const flag = (set: (r: PsRequest) => unknown): OptionDef => ({
  run: (s) => {
    set(s.req);
  },
});

/** Unix options (after a single dash). */
const UNIX_OPTIONS: Record<string, OptionDef> = {
  A: flag((r) => (r.everyone = true)),
  e: flag((r) => (r.everyone = true)),
  a: flag((r) => (r.unixA = true)),
  d: flag((r) => (r.unixD = true)),
  N: { run: (s) => s.setNegate() },
  C: { arg: 'required', missing: 'list of command names must follow -C', run: (s, arg) => s.addCriterion({ field: 'comm', values: splitList(arg) }) },
  G: { arg: 'required', missing: 'list of real groups must follow -G', run: groups('rgid') },
  g: {
    arg: 'required', missing: 'list of session leaders OR effective group names must follow -g',
    run: (s, arg) => {
      const { sessions, groups: gids } = readSessionOrGroupList(arg, s.env.users);
      if (sessions.length) s.addCriterion({ field: 'session', values: sessions });
      if (gids.length) s.addCriterion({ field: 'egid', values: gids });
    },
  },
  p: { arg: 'required', missing: 'list of process IDs must follow -p', run: pids('pid') },
  q: { arg: 'required', missing: 'List of process IDs must follow -q.', run: quick },
  s: { arg: 'required', missing: 'list of session IDs must follow -s', run: pids('session') },
  t: { arg: 'required', missing: 'list of terminals (pty, tty...) must follow -t', run: ttys },
  U: { arg: 'required', missing: 'list of real users must follow -U', run: users('ruid') },
  u: { arg: 'required', missing: 'list of users must follow -u', run: users('euid') },
  o: { arg: 'required', missing: 'format specification must follow -o', run: (s, arg) => void s.req.deferred.push({ kind: 'format', text: arg, bsd: false }) },
  f: unixFlag('f'), F: unixFlag('F'), l: unixFlag('l'), j: unixFlag('j'), y: unixFlag('y'), c: unixFlag('c'), P: unixFlag('P'),
  H: { run: (s) => s.setForest('indent') },
  w: flag((r) => r.wide++),
  V: { run: (s) => s.version('-V') },
  x: { run: () => { throw new PsUsageError('must set personality to get -x option'); } },
};

/** BSD options (a word without a dash). */
const BSD_OPTIONS: Record<string, OptionDef> = {
  a: flag((r) => (r.bsdA = true)),
  x: flag((r) => (r.bsdX = true)),
  g: flag((r) => (r.bsdG = true)),
  r: flag((r) => (r.runningOnly = true)),
  c: flag((r) => (r.commandNameOnly = true)),
  e: flag(() => {}),
  H: flag((r) => (r.threads = true)),
  n: flag((r) => (r.numericIds = true)),
  S: flag((r) => (r.cumulative = true)),
  w: flag((r) => r.wide++),
  h: { run: (s) => s.setHeaders('off') },
  f: { run: (s) => s.setForest('art') },
  j: bsdFormat('j'), l: bsdFormat('l'), u: bsdFormat('u'),
  T: { run: (s) => s.addCriterion({ field: 'tty', values: [s.env.ownTty] }) },
  t: { arg: 'optional', run: ttys },
  p: { arg: 'required', missing: 'list of process IDs must follow p', run: pids('pid') },
  q: { arg: 'required', missing: 'List of process IDs must follow q.', run: quick },
  U: { arg: 'required', missing: 'list of users must follow U', run: users('euid') },
  o: { arg: 'required', missing: 'format specification must follow o', run: (s, arg) => void s.req.deferred.push({ kind: 'format', text: arg, bsd: true }) },
  k: { arg: 'required', missing: "long sort specification must follow 'k'", run: (s, arg) => s.addSort(arg) },
  V: { run: (s) => s.version('V') },
};

/** GNU long options; `name` is how ps spells the option in "does not take an argument". */
const LONG_OPTIONS: Record<string, OptionDef & { name?: string }> = {
  pid: { arg: 'required', missing: 'list of process IDs must follow --pid', run: pids('pid') },
  ppid: { arg: 'required', missing: 'list of process IDs must follow --ppid', run: pids('ppid') },
  sid: { arg: 'required', missing: 'some sid thing(s) must follow --sid', run: pids('session') },
  tty: { arg: 'required', missing: 'list of ttys must follow --tty', run: ttys },
  user: { arg: 'required', missing: 'list of effective users must follow --user', run: users('euid') },
  User: { arg: 'required', missing: 'list of real users must follow --User', run: users('ruid') },
  group: { arg: 'required', missing: 'list of effective groups must follow --group', run: groups('egid') },
  Group: { arg: 'required', missing: 'list of real groups must follow --Group', run: groups('rgid') },
  'quick-pid': { arg: 'required', missing: 'List of process IDs must follow --quick-pid.', run: quick },
  format: { arg: 'required', missing: 'format specification must follow --format', run: (s, arg) => void s.req.deferred.push({ kind: 'format', text: arg, bsd: false }) },
  sort: { arg: 'required', missing: 'long sort specification must follow --sort', run: (s, arg) => s.addSort(arg) },
  forest: { name: 'forest', run: (s) => s.setForest('art') },
  cumulative: { name: 'cumulative', run: (s) => void (s.req.cumulative = true) },
  deselect: { name: 'deselect', run: (s) => s.setNegate() },
  version: { run: (s) => s.version('--version') },
};
for (const cols of ['cols', 'columns', 'width']) {
  LONG_OPTIONS[cols] = {
    arg: 'required', missing: 'number of columns must follow --cols, --width, or --columns',
    run: (s, arg) => {
      const n = parseCInteger(arg);
      if (n === null || n < 1) throw new PsUsageError('number of columns must follow --cols, --width, or --columns');
      if (n <= SCREEN_COLS_LIMIT) s.req.screenCols = n;
    },
  };
}
for (const rows of ['rows', 'lines']) {
  LONG_OPTIONS[rows] = {
    arg: 'required', missing: 'number of rows must follow --rows or --lines',
    run: (_s, arg) => {
      const n = parseCInteger(arg);
      if (n === null || n < 1) throw new PsUsageError('number of rows must follow --rows or --lines');
    },
  };
}
for (const h of ['headers', 'heading', 'header']) LONG_OPTIONS[h] = { name: 'heading', run: (s) => s.setHeaders('on') };
for (const h of ['no-headers', 'no-heading', 'noheaders', 'noheader', 'no-header']) LONG_OPTIONS[h] = { name: 'no-heading', run: (s) => s.setHeaders('off') };

const isLetter = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z]$/.test(c);
/** A word from which on everything is a number: it starts with a digit or `+`, or is `-` and a digit. */
const isNumberWord = (w: string): boolean => /^[0-9+]/.test(w) || /^-[0-9]/.test(w);

/** One reading of the command line, Unix-first or (`bsdOnly`) with every dash word read as BSD. */
function* readOnce(argv: readonly string[], env: ReadEnv, bsdOnly: boolean): Gen<PsRequest> {
  const s = new ReadState(argv, env);
  let i = 0;
  /** Runs one option letter of `word` at `pos`; returns true when it used up the rest of the word. */
  function* runOption(def: OptionDef, word: string, pos: number): Gen<boolean> {
    if (!def.arg) {
      yield* run(def, undefined);
      return false;
    }
    const rest = word.slice(pos + 1);
    let arg: string | undefined = rest !== '' ? rest : argv[i + 1];
    // An optional argument is never an empty word (t '' reads '' as the next option).
    if (def.arg === 'optional' && arg === '') arg = undefined;
    if (rest === '' && arg !== undefined) i++;
    if (arg === undefined && def.arg === 'required') throw new PsUsageError(def.missing);
    if (arg === '') throw new PsUsageError(def.missing);
    yield* run(def, arg);
    return true;
  }
  function* run(def: OptionDef, arg: string | undefined): Gen<void> {
    const g = def.run(s, arg as string);
    if (g !== undefined) yield* g;
  }
  function* cluster(word: string, letters: string, table: Record<string, OptionDef>, bsd: boolean): Gen<void> {
    const offset = word.length - letters.length;
    for (let k = 0; k < letters.length; k++) {
      const c = letters[k];
      if (bsd && /[0-9]/.test(c)) {
        s.addCriterion({ field: 'pid', values: readPidList(letters.slice(k)) });
        return;
      }
      if (bsd && c === '-') throw new PsUsageError("embedded '-' among BSD options makes no sense");
      const def = Object.hasOwn(table, c) ? table[c] : undefined;
      if (!def) throw new PsUsageError(bsd ? 'unsupported option (BSD syntax)' : 'unsupported SysV option');
      if (yield* runOption(def, word, offset + k)) return;
    }
  }
  function* long(word: string): Gen<void> {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const def = Object.hasOwn(LONG_OPTIONS, name) ? LONG_OPTIONS[name] : undefined;
    if (!def) throw new PsUsageError('unknown gnu long option');
    if (!def.arg) {
      if (eq >= 0 && def.name) throw new PsUsageError(`option --${def.name} does not take an argument`);
      yield* run(def, undefined);
      return;
    }
    const arg = eq >= 0 ? word.slice(eq + 1) : argv[i + 1];
    if (eq < 0 && arg !== undefined) i++;
    if (arg === undefined || arg === '') throw new PsUsageError(def.missing);
    yield* run(def, arg);
  }
  for (; i < argv.length; i++) {
    const w = argv[i];
    if (isNumberWord(w)) {
      readNumberWords(s, argv.slice(i));
      break;
    }
    if (w.startsWith('--')) {
      if (!isLetter(w[2])) throw new PsUsageError('garbage option');
      yield* long(w);
    } else if (w.startsWith('-')) {
      if (!isLetter(w[1])) throw new PsUsageError('garbage option');
      if (bsdOnly) s.req.bsdStyle = true;
      yield* cluster(w, w.slice(1), bsdOnly ? BSD_OPTIONS : UNIX_OPTIONS, bsdOnly);
    } else {
      if (bsdOnly) throw new PsUsageError('garbage option');
      if (!isLetter(w[0])) throw new PsUsageError('garbage option');
      s.req.bsdStyle = true;
      yield* cluster(w, w, BSD_OPTIONS, true);
    }
  }
  return s.req;
}

/** The trailing numbers: N is a PID, -N a process group, +N a session. */
function readNumberWords(s: ReadState, words: readonly string[]): void {
  s.req.bsdStyle = true;
  for (const w of words) {
    const field = w[0] === '-' ? 'pgrp' : w[0] === '+' ? 'session' : 'pid';
    const body = field === 'pid' ? w : w.slice(1);
    // A bare sign is the number 0, which is out of range.
    s.addCriterion({ field, values: [readPid(body === '' && field !== 'pid' ? '0' : body)] });
  }
}

/**
 * Reads the command line; `check` is run on each reading's result (it parses the
 * deferred lists and checks combinations) and may throw PsUsageError too.
 * Returns the first reading that passes, else throws the first reading's error.
 */
export function* readCommandLine<T>(argv: readonly string[], env: ReadEnv, check: (r: PsRequest) => T): Gen<T> {
  let firstError: unknown;
  for (const bsdOnly of [false, true]) {
    try {
      const req = yield* readOnce(argv, env, bsdOnly);
      return check(req);
    } catch (e) {
      if (!(e instanceof PsUsageError)) throw e;
      firstError ??= e;
    }
  }
  throw firstError;
}
