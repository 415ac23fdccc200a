/**
 * Simple commands (POSIX XCU 2.9.1 "Simple Commands", 2.9.1.1 "Command Search and
 * Execution"): in dash's order, the words are expanded, the redirections made, the
 * assignments expanded and made, the command traced (`set -x`), and then it runs —
 * a function or a builtin in the shell itself, anything else in a forked child that
 * execs it (or, in a child that is about to exit anyway, by exec'ing directly).
 *
 * Variable assignments before a regular command are temporary and exported to
 * it; before a special builtin (`x=1 :`) or with no command they stay, as POSIX says.
 * A command not found is reported by the shell without forking ("sh: 1: foo: not
 * found", 127); one found but not executable fails in the child (126).
 *
 * ```
 *  words ─expand─▶ argv ─▶ redirect ─▶ assignments ─▶ trace ─▶ function │ builtin │ PATH search
 *                                                                          └─ fork+exec, or exec
 * ```
 */
import * as sys from '../../lib/sys.js';
import { SysError, STRERROR, type Errno } from '../../../kernel/errno.js';
import { isReg, AT_FDCWD, AT_EACCESS, X_OK, F_DUPFD_CLOEXEC } from '../../../kernel/vfs/types.js';
import type { Cmd } from './ast.js';
import { Shell, ShellError, EV_EXIT, xwrite, type Gen, type FuncDef } from './shell.js';
import { V_EXPORT } from './vars.js';
import { expandFull, expandString, EXP_VARTILDE } from './expand.js';
import { redirect, popRedir, pushRedirFrame } from './redirect.js';
import { jobControlOn, waitForJob } from './jobs.js';
import { evaltree, vforkExec } from './eval.js';
import { BUILTINS, type Builtin } from './builtins/table.js';
import { expandPrompt } from './prompt.js';
import { parseProgram } from './parse.js';
import { syntaxError } from './main-loop.js';
import { statusBeforeTrap } from './trap.js';
import { shellexec } from './exec.js';
import { callFunction } from './function-call.js';

export { shellexec } from './exec.js';

/** The PATH dash uses when PATH is unset (and `command -p`). */
export const DEFPATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * CPU time the shell charges per simple command it evaluates, in ns, and per word
 * or assignment that needs expanding. Design choice: a few µs of user time, the
 * order of what dash spends expanding words and looking up a command, so that a
 * shell loop costs CPU in ps/top like a real one; charged as one burst per command.
 */
export const COMMAND_COST_NS = 2000;
export const EXPANSION_COST_NS = 500;

/** The user time a simple command costs before it runs (see COMMAND_COST_NS). */
function commandCost(cmd: Cmd): number {
  let ns = COMMAND_COST_NS;
  for (const w of cmd.args) if (w.lit === null) ns += EXPANSION_COST_NS;
  for (const w of cmd.assigns) if (w.lit === null) ns += EXPANSION_COST_NS;
  return ns;
}

/** What a command name resolves to. */
export type CmdEntry =
  | { kind: 'builtin'; b: Builtin }
  | { kind: 'function'; f: FuncDef }
  | { kind: 'normal'; path: string; idx: number }
  | { kind: 'unknown' };

/** The directories of a PATH value (an empty entry is the current directory). */
export function pathDirs(path: string): string[] {
  return path.split(':');
}

/** dash's errmsg(e, E_EXEC). */
export function execMessage(e: Errno | string): string {
  if (e === 'ENOENT' || e === 'ENOTDIR') return 'not found';
  return STRERROR[e as Errno];
}

/**
 * Finds a command (dash's find_command). `noFunc` skips functions (`command`);
 * `report` prints "X: not found". Found files are remembered in the hash table.
 */
export function* findCommand(sh: Shell, name: string, opts: { noFunc?: boolean; report?: boolean; path?: string; builtinOnly?: boolean } = {}): Gen<CmdEntry> {
  if (name.includes('/')) return { kind: 'normal', path: name, idx: -1 };
  if (!opts.noFunc) {
    const f = sh.funcs.get(name);
    if (f) return { kind: 'function', f };
  }
  const b = BUILTINS.get(name);
  if (b) return { kind: 'builtin', b };
  if (opts.builtinOnly) return { kind: 'unknown' };
  const usePath = opts.path ?? sh.vars.get('PATH') ?? '';
  if (opts.path === undefined) {
    const h = sh.hash.get(name);
    if (h !== undefined) return { kind: 'normal', path: h.path, idx: h.idx };
  }
  let e: Errno = 'ENOENT';
  const dirs = pathDirs(usePath);
  for (let idx = 0; idx < dirs.length; idx++) {
    const dir = dirs[idx] === '' ? '.' : dirs[idx];
    const full = `${dir}/${name}`;
    const st = yield* sys.stat(full);
    if (st instanceof SysError) {
      if (st.errno !== 'ENOENT' && st.errno !== 'ENOTDIR') e = st.errno;
      continue;
    }
    e = 'EACCES';
    if (!isReg(st.mode)) continue;
    // dash 0.5.12 passes over files it may not execute (they end up "Permission denied", 127).
    const x = yield* sys.faccessat(AT_FDCWD, full, X_OK, AT_EACCESS);
    if (x instanceof SysError) continue;
    if (opts.path === undefined) sh.hash.set(name, { path: full, idx });
    return { kind: 'normal', path: full, idx };
  }
  if (opts.report) yield* sh.warn(`${name}: ${execMessage(e)}`);
  return { kind: 'unknown' };
}

/** Runs a builtin (dash's evalbltin): output is flushed at its end; an error in a regular builtin only fails it. */
export function* evalBuiltin(sh: Shell, b: Builtin, argv: string[], special = b.special): Gen<number> {
  const save = sh.commandName;
  sh.commandName = argv[0];
  let status: number;
  try {
    status = yield* b.fn(sh, argv);
  } catch (e) {
    // The message is out first; what the builtin had buffered still follows (as in dash).
    if (e instanceof ShellError && !special) status = e.status;
    else {
      yield* sh.flush();
      sh.commandName = save;
      throw e;
    }
  }
  const ok = yield* sh.flush();
  if (!ok) {
    yield* sh.warn(`${argv[0]}: I/O error`);
    status |= 1;
  }
  sh.commandName = save;
  return status;
}

/** dash's limit on nested function calls. */
export const MAX_FUNC_DEPTH = 1000;

/** Restores the variables a local frame saved. */
export function unwindLocals(sh: Shell, depth: number): void {
  while (sh.locals.length > depth) {
    const frame = sh.locals.pop()!;
    for (let i = frame.length - 1; i >= 0; i--) sh.vars.restore(frame[i]);
  }
}

/** Makes `name` local to the current frame (dash's mklocal), optionally setting it. */
export function* mklocal(sh: Shell, name: string, value: string | null, flags: number): Gen<void> {
  const frame = sh.locals[sh.locals.length - 1];
  if (!frame.some((s) => s.name === name)) frame.push(sh.vars.save(name));
  if (value !== null) yield* sh.setVar(name, value, flags);
  else if (flags) sh.vars.setFlags(name, flags);
}

/** Prints a command for `set -x` on `fd`: PS4, then the assignments and words. */
function* xtrace(sh: Shell, assigns: string[], argv: string[], fd: number): Gen<void> {
  const ps4 = yield* expandPrompt(sh, sh.vars.get('PS4') ?? '');
  let line = ps4;
  let sep = '';
  for (const a of assigns) {
    line += sep + a;
    sep = ' ';
  }
  for (const a of argv) {
    line += sep + a;
    sep = ' ';
  }
  yield* sh.flush();
  yield* xwrite(fd, line + '\n');
}

/**
 * Runs a command whose name is an alias: the alias text replaces the name and the
 * result is parsed and run (dash does this while parsing; the effect is the same
 * for the command it is applied to).
 *
 * Simplification: an alias value ending in a blank does not make the next word an
 * alias candidate, and the command's redirections apply to the whole expansion.
 */
function* evalAlias(sh: Shell, cmd: Cmd, name: string, value: string, flags: number): Gen<number> {
  const text = [...cmd.assigns.map((w) => w.raw), value, ...cmd.args.slice(1).map((w) => w.raw)].join(' ');
  const p = parseProgram(text, cmd.line - 1);
  sh.aliasActive.add(name);
  const frame = pushRedirFrame(sh);
  try {
    const r = yield* redirect(sh, cmd.redirs, true);
    if (r !== 0) return (sh.status = r);
    let status = 0;
    for (let i = 0; i < p.nodes.length; i++) {
      const last = i === p.nodes.length - 1 && p.error === null;
      status = yield* evaltree(sh, p.nodes[i], last ? flags : flags & ~EV_EXIT);
      if (sh.evalskip) break;
    }
    if (p.error !== null) throw yield* syntaxError(sh, p.error);
    return status;
  } finally {
    yield* popRedir(sh, frame, false);
    sh.aliasActive.delete(name);
  }
}

/** What a command's words name, found without searching PATH. */
type Target =
  | { kind: 'none' }
  | { kind: 'function'; f: FuncDef; argv: string[] }
  | { kind: 'builtin'; b: Builtin; argv: string[]; special: boolean }
  | { kind: 'file'; argv: string[]; path: string | undefined };

/** The index of the word `command` prefixes run (skipping `command [-p] [--]`), whether -p was given; -1 when the builtin itself must run. */
function afterCommandPrefix(argv: string[], at: number): { index: number; defaultPath: boolean } {
  let i = at + 1;
  let defaultPath = false;
  while (i < argv.length && argv[i].startsWith('-') && argv[i] !== '-') {
    if (argv[i] === '--') {
      i++;
      break;
    }
    if (!/^-p+$/.test(argv[i])) return { index: -1, defaultPath };
    defaultPath = true;
    i++;
  }
  return { index: i < argv.length ? i : -1, defaultPath };
}

/**
 * Finds what argv[0] names, looking through `command` prefixes (XCU `command`: no
 * function lookup, and a special builtin loses its special properties). A file is
 * searched for on PATH later, after the assignments (a `PATH=… cmd` prefix counts).
 */
function resolveTarget(sh: Shell, argv: string[]): Target {
  if (argv.length === 0) return { kind: 'none' };
  let at = 0;
  let viaCommand = false;
  let path: string | undefined;
  for (;;) {
    const name = argv[at];
    if (!viaCommand) {
      const f = sh.funcs.get(name);
      if (f !== undefined) return { kind: 'function', f, argv: argv.slice(at) };
    }
    const b = BUILTINS.get(name);
    if (b === undefined) return { kind: 'file', argv: argv.slice(at), path };
    if (b.name === 'command') {
      const next = afterCommandPrefix(argv, at);
      if (next.index >= 0) {
        at = next.index;
        viaCommand = true;
        if (next.defaultPath) path = DEFPATH;
        continue;
      }
    }
    return { kind: 'builtin', b, argv: argv.slice(at), special: b.special && !viaCommand };
  }
}

/** True when the words so far show an assignment builtin (export, readonly, local), possibly after `command`. */
function namesAssignmentBuiltin(argv: string[]): boolean | null {
  let at = 0;
  while (argv[at] === 'command') {
    at++;
    while (argv[at] !== undefined && /^(-p+|--)$/.test(argv[at])) at++;
  }
  if (at >= argv.length) return null;
  return BUILTINS.get(argv[at])?.assign ?? false;
}

/**
 * Expands the command's words. After an assignment builtin's name, words that look
 * like assignments (`x=$y`) are expanded as assignments: tildes after `=` and `:`,
 * no field splitting or pathname expansion.
 */
function* expandCommandWords(sh: Shell, cmd: Cmd): Gen<string[]> {
  const argv: string[] = [];
  let assignmentBuiltin: boolean | null = null;
  for (const w of cmd.args) {
    if (assignmentBuiltin === true && w.assignLike) argv.push(yield* expandString(sh, w, EXP_VARTILDE));
    else yield* expandFull(sh, w, argv);
    if (assignmentBuiltin === null) assignmentBuiltin = namesAssignmentBuiltin(argv);
  }
  return argv;
}

/** An alias that replaces this command's name, from the aliases in force when it was read. */
function aliasOf(sh: Shell, cmd: Cmd): { name: string; value: string } | null {
  const first = cmd.args[0];
  if (first === undefined || first.lit === null || sh.aliasSnap === null) return null;
  const value = sh.aliasSnap.get(first.lit);
  if (value === undefined || sh.aliasActive.has(first.lit)) return null;
  return { name: first.lit, value };
}

/** Evaluates a simple command and returns its status. */
export function* evalCommand(sh: Shell, cmd: Cmd, flags: number): Gen<number> {
  yield* sys.compute(commandCost(cmd));
  sh.lineno = cmd.line;
  const alias = aliasOf(sh, cmd);
  if (alias !== null) return yield* evalAlias(sh, cmd, alias.name, alias.value, flags);

  sh.backStatus = 0;
  const words = yield* expandCommandWords(sh, cmd);
  const target = resolveTarget(sh, words);
  const argv = target.kind === 'none' ? [] : target.argv;
  const isExec = target.kind === 'builtin' && target.b.name === 'exec';
  const frame = pushRedirFrame(sh);
  const localDepth = sh.locals.length;
  // `set -x` writes to the standard error the command had before its own redirections.
  let traceFd = 2;
  let keepRedirections = false;
  try {
    if (sh.opts.x && cmd.redirs.some((r) => r.fd === 2)) {
      const fd = yield* sys.fcntl(2, F_DUPFD_CLOEXEC, 10);
      if (typeof fd === 'number') traceFd = fd;
    }
    const r = yield* redirect(sh, cmd.redirs, true);
    if (r !== 0) {
      // POSIX 2.8.1: a redirection error ends a non-interactive shell before a special builtin.
      if (target.kind === 'builtin' && target.special) throw new ShellError(r);
      return r;
    }

    // Assignments stay for no command and special builtins; otherwise they hold (exported) for the command only.
    const lasting = target.kind === 'none' || (target.kind === 'builtin' && target.special);
    const exportLasting = isExec && argv.length > 1;
    const assigned: string[] = [];
    if (!lasting && cmd.assigns.length > 0) sh.locals.push([]);
    for (const w of cmd.assigns) {
      const text = yield* expandString(sh, w, EXP_VARTILDE);
      const eq = text.indexOf('=');
      const name = text.slice(0, eq);
      const value = text.slice(eq + 1);
      assigned.push(text);
      if (lasting) yield* sh.setVar(name, value, exportLasting ? V_EXPORT : 0);
      else yield* mklocal(sh, name, value, V_EXPORT);
    }
    if (sh.opts.x) yield* xtrace(sh, assigned, argv, traceFd);

    switch (target.kind) {
      case 'none':
        return sh.backStatus;
      case 'function':
        return yield* callFunction(sh, target.f, argv, flags);
      case 'builtin': {
        let args = argv;
        // POSIX `exit`, `return`: in a trap action, "the last command" is the one before the trap.
        const before = statusBeforeTrap(sh);
        const name = target.b.name;
        if ((name === 'exit' || name === 'return') && args.length === 1 && before !== null) args = [name, String(before)];
        keepRedirections = isExec;
        sh.bltinFlags = flags;
        return yield* evalBuiltin(sh, target.b, args, target.special);
      }
    }
    return yield* runProgram(sh, cmd, argv, target.path, flags);
  } finally {
    if (traceFd !== 2) yield* sys.close(traceFd);
    unwindLocals(sh, localDepth);
    yield* popRedir(sh, frame, keepRedirections);
  }
}

/** Searches PATH and runs the program: exec'd in place when the process ends anyway, else in a child. */
function* runProgram(sh: Shell, cmd: Cmd, argv: string[], path: string | undefined, flags: number): Gen<number> {
  const found = yield* findCommand(sh, argv[0], { noFunc: true, report: true, path });
  if (found.kind !== 'normal') return 127;
  const searchPath = path ?? sh.vars.get('PATH') ?? '';
  const start = found.idx < 0 ? 0 : found.idx;
  if (flags & EV_EXIT && !sh.haveTraps()) return yield* shellexec(sh, argv, searchPath, start);
  const job = sh.jobs.make(jobControlOn(sh));
  // dash's vforkexec: the child borrows the shell's memory until it execs (fork.ts).
  yield* vforkExec(sh, job, cmd, (child) => shellexec(child, argv, searchPath, start));
  return yield* waitForJob(sh, job);
}
