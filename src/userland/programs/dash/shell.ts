/**
 * The state of one dash process: variables, positional parameters, options,
 * functions, aliases, traps, jobs and the command hash table — what fork copies
 * (a forked child gets its own Shell, made by `forkCopy`, since a generator
 * cannot be copied) — plus error reporting and output the way dash does them
 * (`sh: 3: cd: can't cd to /x` on fd 2, builtin output buffered and flushed once
 * per builtin as dash's out1 is).
 */
import * as sys from '../../lib/sys.js';
import type { Op } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import type { Node } from './ast.js';
import { VarTable, V_EXPORT } from './vars.js';
import { newDataHeap, type DataHeap } from './memory.js';
import type { JobTable } from './jobs.js';
import type { SavedVar } from './vars.js';

export type Gen<T> = Generator<Op, T, unknown>;

/** An error dash has reported (its EXERROR): unwinds to the nearest handler; status 2 unless said otherwise. */
export class ShellError {
  constructor(readonly status = 2) {}
}

/** The shell is exiting (dash's EXEXIT/EXEND): unwinds everything; `status` is the exit status. */
export class ExitShell {
  constructor(readonly status: number) {}
}

/** evalskip values: a `break`, `continue` or `return` in progress. */
export const SKIPBREAK = 1;
export const SKIPCONT = 2;
export const SKIPFUNC = 4;
export const SKIPFUNCDEF = 8;

/** evaltree flags. */
export const EV_EXIT = 1;
export const EV_TESTED = 2;

/** A shell function: its body and the line it was defined on. */
export interface FuncDef {
  readonly body: Node;
  readonly line: number;
  readonly name: string;
  /** The aliases in force when the definition was read (dash expands aliases while parsing). */
  readonly aliases: ReadonlyMap<string, string> | null;
}

/** Options, by dash's option letters (set -o names in comments). */
export interface Options {
  e: boolean; // errexit
  f: boolean; // noglob
  I: boolean; // ignoreeof
  i: boolean; // interactive
  m: boolean; // monitor
  n: boolean; // noexec
  s: boolean; // stdin
  x: boolean; // xtrace
  v: boolean; // verbose
  V: boolean; // vi
  E: boolean; // emacs
  C: boolean; // noclobber
  a: boolean; // allexport
  b: boolean; // notify
  u: boolean; // nounset
  p: boolean; // privileged
}

/** dash's optlist order: `set -o` prints them in this order, `$-` in reverse. */
export const OPTION_NAMES: [keyof Options | null, string][] = [
  ['e', 'errexit'],
  ['f', 'noglob'],
  ['I', 'ignoreeof'],
  ['i', 'interactive'],
  ['m', 'monitor'],
  ['n', 'noexec'],
  ['s', 'stdin'],
  ['x', 'xtrace'],
  ['v', 'verbose'],
  ['V', 'vi'],
  ['E', 'emacs'],
  ['C', 'noclobber'],
  ['a', 'allexport'],
  ['b', 'notify'],
  ['u', 'nounset'],
  ['p', 'privileged'],
  [null, 'nolog'],
  [null, 'debug'],
];

export function defaultOptions(): Options {
  return { e: false, f: false, I: false, i: false, m: false, n: false, s: false, x: false, v: false, V: false, E: false, C: false, a: false, b: false, u: false, p: false };
}

export class Shell {
  /** $0, and the name in error messages. */
  arg0 = 'sh';
  params: string[] = [];
  vars = new VarTable();
  /** The heap that holds the variables' bytes in the simulated memory (memory.ts). */
  data: DataHeap = newDataHeap();
  funcs = new Map<string, FuncDef>();
  aliases = new Map<string, string>();
  opts: Options = defaultOptions();
  /** Trap actions by signal number (0 = EXIT): undefined none, '' ignore, else the command text. */
  traps: (string | undefined)[] = [];
  /** Signals ignored when the shell started (a non-interactive shell may not trap them). */
  ignoredAtStart = new Set<number>();
  /** $? */
  status = 0;
  /** $? of the last command substitution of the current command (the status of `x=$(…)`). */
  backStatus = 0;
  /** $! (0: none yet). */
  bgPid = 0;
  /** $$: the PID of the shell the user started (subshells keep it). */
  rootPid = 0;
  /** $PPID. */
  ppid = 0;
  /** This process's PID. */
  pid = 0;
  /** Fork depth: 0 in the shell the user started. */
  level = 0;
  /** Command hash table: name → where PATH search found it (full path, PATH index). */
  hash = new Map<string, { path: string; idx: number }>();
  /** The logical current directory ($PWD as cd maintains it), or null when unknown. */
  curdir: string | null = null;

  /** The line of the command being evaluated (for messages). */
  lineno = 0;
  /** The line of the function being run (dash's funcline), 0 outside functions. */
  funcline = 0;
  loopnest = 0;
  evalskip = 0;
  skipcount = 0;
  /** The builtin running, for messages ("sh: 1: cd: …"). */
  commandName: string | null = null;
  /** Local-variable frames of the running functions (and of `var=x cmd` temporaries). */
  locals: SavedVar[][] = [];
  /** Output of the running builtin, written at its end (dash's out1 buffer). */
  outBuf = '';
  /** In a command substitution's child, or another place where $(jobs) style rules apply. */
  jobs!: JobTable;
  /** The interactive job-control state: the terminal's fd, or -1. */
  ttyFd = -1;
  jobctl = false;

  /** Signals received and not yet acted on (set by the handler, consumed at safe points). */
  pendingSigs: number[] = [];
  gotSig = false;
  gotSigchld = false;
  /** Running a trap action (traps do not nest). */
  inTrap = false;
  /** The shell is exiting (the EXIT trap runs once). */
  exiting = false;
  /** Signal dispositions as dash tracks them (trap.ts S_*), by signal number. */
  sigmode: number[] = [];
  /** The shell the user started catches SIGINT (-c, a script file, or interactive). */
  catchInt = false;
  /** The terminal's process group before job control took it. */
  initialPgrp = 0;
  /** Function calls in progress. */
  funcDepth = 0;
  /** getopts' position: the next argument index (1-based) and the offset in it (-1: none). */
  getoptsState = { optind: 1, optoff: -1 };
  /** getopts is assigning OPTIND itself (so the assignment does not reset it). */
  settingOptind = false;
  /** `local -` saved options, with the local-frame depth they belong to. */
  localOpts: { depth: number; opts: Options }[] = [];
  /** dash's job_warning: 2 right after "You have stopped jobs.", 1 for the next command, then 0. */
  jobWarning = 0;
  /** Bumped when aliases change. */
  aliasGen = 0;
  /**
   * The aliases that apply to the command being run: those defined when it was
   * read. dash expands aliases as it parses, a complete command at a time, so an
   * alias defined on a line applies from the next command read on.
   */
  aliasSnap: ReadonlyMap<string, string> | null = null;
  /** Aliases being expanded (an alias is not expanded inside itself). */
  aliasActive = new Set<string>();
  /** The evaltree flags of the command running a builtin (eval passes EV_TESTED on). */
  bltinFlags = 0;

  /** Connects the variable side effects: PATH empties the command hash, OPTIND restarts getopts. */
  hookVars(): void {
    this.vars.onChange = (name) => {
      if (name === 'PATH') this.hash.clear();
      else if (name === 'OPTIND' && !this.settingOptind) {
        const v = Number(this.vars.get('OPTIND') ?? '1');
        this.getoptsState = { optind: Number.isInteger(v) && v > 0 ? v : 1, optoff: -1 };
      }
    };
  }

  /** The environment for exec. */
  environment(): string[] {
    return this.vars.environment();
  }

  /** True when any trap other than an ignore is set (dash's have_traps(): then a subshell must not exec its last command). */
  haveTraps(): boolean {
    for (const t of this.traps) if (t !== undefined && t !== '') return true;
    return false;
  }

  // ---- Output ----

  /** Appends to the builtin's standard output (written by flush()). */
  out(s: string): void {
    this.outBuf += s;
  }

  /** Writes buffered builtin output to fd 1. Returns false on a write error. */
  *flush(): Gen<boolean> {
    if (this.outBuf === '') return true;
    const s = this.outBuf;
    this.outBuf = '';
    return yield* xwrite(1, s);
  }

  /** Writes to fd 2 at once. */
  *err(s: string): Gen<void> {
    yield* xwrite(2, s);
  }

  /** The message prefix: `sh: LINE: ` plus `builtin: ` inside a builtin. */
  prefix(): string {
    const name = this.commandName !== null ? `${this.commandName}: ` : '';
    return `${this.arg0}: ${this.lineno}: ${name}`;
  }

  /** Prints a warning (dash's sh_warnx); buffered builtin output stays buffered, as in dash. */
  *warn(msg: string): Gen<void> {
    yield* this.err(`${this.prefix()}${msg}\n`);
  }

  /** Prints an error and raises it (dash's sh_error): returns a ShellError to throw. */
  *error(msg: string, status = 2): Gen<ShellError> {
    yield* this.warn(msg);
    this.status = status;
    return new ShellError(status);
  }

  // ---- Variables ----

  /** Sets a variable, raising "is read only" as dash does. `flags` are added. */
  *setVar(name: string, value: string, flags = 0): Gen<void> {
    if (this.opts.a) flags |= V_EXPORT;
    if (!this.vars.set(name, value, flags)) throw yield* this.error(`${name}: is read only`);
    // Any assignment to OPTIND restarts getopts there, and must be a number from 0 to
    // INT_MAX (blanks around it and a sign allowed, as real dash takes "+1", " 1", "-0").
    if (name === 'OPTIND' && !this.settingOptind && !isOptindNumber(value)) throw yield* this.error(`Illegal number: ${value}`);
  }

  /** The value of a parameter or variable by name (undefined when unset). */
  getVar(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** The IFS value (unset IFS means " \t\n"). */
  ifs(): string {
    return this.vars.get('IFS') ?? ' \t\n';
  }

  /** `$-`: the set options' letters, in dash's (reverse optlist) order. */
  dashFlags(): string {
    let s = '';
    for (let i = OPTION_NAMES.length - 1; i >= 0; i--) {
      const k = OPTION_NAMES[i][0];
      if (k !== null && this.opts[k]) s += k;
    }
    return s;
  }

  /** A copy for a forked child: everything is duplicated, nothing is shared but parse trees. */
  forkCopy(): Shell {
    const c = new Shell();
    c.arg0 = this.arg0;
    c.params = this.params.slice();
    c.vars = this.vars.clone();
    // The child's address space is a copy of this one, heap included.
    c.data = { ...this.data };
    c.hookVars();
    c.funcs = new Map(this.funcs);
    c.aliases = new Map(this.aliases);
    c.opts = { ...this.opts };
    c.traps = this.traps.slice();
    c.ignoredAtStart = this.ignoredAtStart;
    c.status = this.status;
    c.backStatus = this.backStatus;
    c.bgPid = this.bgPid;
    c.rootPid = this.rootPid;
    c.ppid = this.ppid;
    c.level = this.level + 1;
    c.hash = new Map(this.hash);
    c.sigmode = this.sigmode.slice();
    c.catchInt = this.catchInt;
    c.funcDepth = this.funcDepth;
    c.getoptsState = { ...this.getoptsState };
    c.localOpts = this.localOpts.slice();
    c.aliasSnap = this.aliasSnap;
    c.curdir = this.curdir;
    c.lineno = this.lineno;
    c.funcline = this.funcline;
    c.locals = this.locals.map((f) => f.slice());
    c.jobs = this.jobs.forkCopy();
    c.ttyFd = this.ttyFd;
    return c;
  }
}

/** Writes all of `data` (dash's xwrite): a write interrupted by a signal is retried. False on error. */
export function* xwrite(fd: number, data: string): Gen<boolean> {
  let off = 0;
  while (off < data.length) {
    const n = yield* sys.write(fd, off === 0 ? data : data.slice(off));
    if (n instanceof SysError) {
      if (n.errno === 'EINTR') continue;
      return false;
    }
    if (n === 0) return false;
    off += n;
  }
  return true;
}

/** Reads the PID-dependent identity of a fresh shell. */
export function* initIdentity(sh: Shell): Gen<void> {
  const pid = yield* sys.getpid();
  const ppid = yield* sys.getppid();
  sh.pid = typeof pid === 'number' ? pid : 0;
  sh.rootPid = sh.pid;
  sh.ppid = typeof ppid === 'number' ? ppid : 0;
}

/** Whether dash takes `value` for OPTIND: a decimal from 0 to 2147483647, blanks around it allowed. */
function isOptindNumber(value: string): boolean {
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d+)[ \t\n\v\f\r]*$/.exec(value);
  if (!m) return false;
  const n = BigInt(m[2]);
  return m[1] === '-' ? n === 0n : n <= 2147483647n;
}
