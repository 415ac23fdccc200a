/**
 * The evaluator: walks dash's parse tree (ast.ts) and returns each command's exit
 * status, following POSIX XCU 2.9 "Shell Commands" — lists, AND-OR lists, `!`,
 * `if`, `while`, `until`, `for`, `case`, compound commands with redirections,
 * function definitions. Simple commands are in command.ts, everything that forks
 * (pipelines, `( )`, `&`, `$( )`) in fork.ts.
 *
 * Flags passed down the tree say how a command is used:
 *   - EV_TESTED: its status is tested (`if`/`while` conditions, the left of `&&`/`||`,
 *     under `!`, or anywhere inside such a command, functions included), so `set -e`
 *     does not end the shell when it fails (XCU 2.14 `set -e`);
 *   - EV_EXIT: the process ends after this command, so a last external command may
 *     replace it (exec) instead of forking.
 *
 * `set -e` is checked after simple commands, pipelines and subshells, and after a
 * compound command whose redirections failed — not after lists or compound commands,
 * whose inner commands were checked already. Pending signals are acted on when any
 * command completes (trap.ts).
 *
 * `break`, `continue` and `return` are requests left in the shell state by their
 * builtins (`sh.evalskip`, `sh.skipcount`): every list stops at once, loops consume a
 * break/continue level by level (`sh.loopnest` counts the loops of the current
 * function), a function call consumes a return.
 */
import { K, type Node, type AndOr, type Case, type For, type If, type Loop, type Redir, type Seq } from './ast.js';
import { ExitShell, EV_EXIT, EV_TESTED, SKIPBREAK, SKIPCONT, type Shell, type Gen } from './shell.js';
import { expandArgs, expandString, casematch, EXP_TILDE } from './expand.js';
import { evalCommand } from './command.js';
import { dataUnsettled, settleData } from './memory.js';
import { redirect, popRedir, pushRedirFrame } from './redirect.js';
import { runTraps } from './trap.js';
import { drive, hasDriver } from './call-stack.js';
import { evalBackground, evalPipeline, evalSubshell } from './fork.js';

export { forkShell, vforkExec, commandSubst, FORK_FG, FORK_BG, FORK_NOJOB } from './fork.js';

/** Evaluates a command tree and returns its exit status, which is also left in `$?`. */
export function* evaltree(sh: Shell, node: Node | null, flags: number): Gen<number> {
  // The outermost evaluation runs function calls on a flat stack (call-stack.ts).
  if (!hasDriver(sh)) return yield* drive(sh, evaltree(sh, node, flags));
  if (node === null) return 0;
  // `set -n`: commands are read and no longer run (dash(1) noexec).
  if (sh.opts.n) return sh.status;
  let status: number;
  /** Whether `set -e` looks at this command's status. */
  let errexitApplies = false;
  switch (node.k) {
    case K.Cmd:
      try {
        status = yield* evalCommand(sh, node, flags);
      } catch (e) {
        // A word or a value too large for this process (node's string limit) is a malloc that failed.
        if (e instanceof RangeError && /Invalid string length|Array buffer allocation failed/.test(e.message)) throw yield* sh.error('Out of space');
        throw e;
      }
      if (dataUnsettled(sh)) yield* settleData(sh);
      errexitApplies = true;
      break;
    case K.Pipe:
      status = yield* evalPipeline(sh, node, flags, false);
      errexitApplies = true;
      break;
    case K.Sub:
      sh.lineno = node.line;
      status = yield* evalSubshell(sh, node, flags);
      errexitApplies = true;
      break;
    case K.Bg:
      // dash's parser wraps a backgrounded command in a new NBACKGND node whose linno it
      // never sets (parser.c list(): only a redirected compound keeps its own), so an
      // error while forking it says line 0 ("sh: 0: Cannot fork", seen on Debian 12).
      sh.lineno = node.body.k === K.Redir ? node.line : 0;
      status = yield* evalBackground(sh, node);
      break;
    case K.Seq:
      status = yield* evalSequence(sh, node, flags);
      break;
    case K.And:
    case K.Or:
      status = yield* evalAndOr(sh, node, flags);
      break;
    case K.Not:
      status = (yield* evaltree(sh, node.body, (flags & ~EV_EXIT) | EV_TESTED)) === 0 ? 1 : 0;
      break;
    case K.If:
      status = yield* evalIf(sh, node, flags);
      break;
    case K.While:
    case K.Until:
      status = yield* evalWhile(sh, node, flags);
      break;
    case K.For:
      status = yield* evalFor(sh, node, flags);
      break;
    case K.Case:
      status = yield* evalCase(sh, node, flags);
      break;
    case K.Redir: {
      const r = yield* evalRedirected(sh, node, flags);
      status = r.status;
      errexitApplies = r.redirectionFailed;
      break;
    }
    case K.Defun:
      sh.lineno = node.line;
      sh.funcs.set(node.name, { body: node.body, line: node.line, name: node.name, aliases: sh.aliasSnap });
      status = 0;
      break;
  }
  sh.status = status;
  yield* runTraps(sh);
  if (errexitApplies && status !== 0 && sh.opts.e && !(flags & EV_TESTED) && sh.evalskip === 0) throw new ExitShell(status);
  return sh.status;
}

/** `a; b; c` (and newline-separated commands): each in turn, until a break/continue/return. */
function* evalSequence(sh: Shell, n: Seq, flags: number): Gen<number> {
  let status = 0;
  const last = n.list.length - 1;
  for (let i = 0; i <= last; i++) {
    status = yield* evaltree(sh, n.list[i], i === last ? flags : flags & ~EV_EXIT);
    if (sh.evalskip !== 0) break;
  }
  return status;
}

/** `a && b`, `a || b`: the left side is tested; the right side runs in the list's place. */
function* evalAndOr(sh: Shell, n: AndOr, flags: number): Gen<number> {
  const left = yield* evaltree(sh, n.left, (flags & ~EV_EXIT) | EV_TESTED);
  if (sh.evalskip !== 0) return left;
  const goOn = n.k === K.And ? left === 0 : left !== 0;
  return goOn ? yield* evaltree(sh, n.right, flags) : left;
}

/** `if c; then a; else b; fi`: 0 when no branch runs. */
function* evalIf(sh: Shell, n: If, flags: number): Gen<number> {
  const cond = yield* evaltree(sh, n.cond, (flags & ~EV_EXIT) | EV_TESTED);
  if (sh.evalskip !== 0) return cond;
  if (cond === 0) return yield* evaltree(sh, n.then, flags);
  if (n.else_ !== null) return yield* evaltree(sh, n.else_, flags);
  return 0;
}

/**
 * What a pending jump means for the loop that sees it after its condition or body:
 * 'none' — go on; 'again' — start the next round (a continue for this loop);
 * 'leave' — stop looping (a break for this loop, or a jump for an outer loop or a
 * function, left pending). A break/continue count larger than the number of loops
 * ends at the outermost loop (a `break 5` inside two loops leaves both).
 */
function loopJump(sh: Shell): 'none' | 'again' | 'leave' {
  const kind = sh.evalskip;
  if (kind === 0) return 'none';
  if (kind !== SKIPBREAK && kind !== SKIPCONT) return 'leave';
  sh.skipcount--;
  if (sh.skipcount > 0 && sh.loopnest > 1) return 'leave';
  sh.evalskip = 0;
  sh.skipcount = 0;
  return kind === SKIPCONT ? 'again' : 'leave';
}

/** `while`/`until`: the status of the last body run, 0 if the body never ran. */
function* evalWhile(sh: Shell, n: Loop, flags: number): Gen<number> {
  let status = 0;
  const bodyFlags = flags & EV_TESTED;
  sh.loopnest++;
  try {
    for (;;) {
      const cond = yield* evaltree(sh, n.cond, EV_TESTED);
      const afterCond = loopJump(sh);
      if (afterCond === 'leave') break;
      if (afterCond === 'again') continue;
      if ((cond === 0) !== (n.k === K.While)) break;
      status = yield* evaltree(sh, n.body, bodyFlags);
      if (loopJump(sh) === 'leave') break;
    }
  } finally {
    sh.loopnest--;
  }
  return status;
}

/** `for name in words`: the words are expanded once (without `in`: the positional parameters). */
function* evalFor(sh: Shell, n: For, flags: number): Gen<number> {
  sh.lineno = n.line;
  let values: string[];
  if (n.words === null) values = sh.params.slice();
  else {
    values = [];
    yield* expandArgs(sh, n.words, values);
  }
  let status = 0;
  sh.loopnest++;
  try {
    for (const value of values) {
      yield* sh.setVar(n.name, value);
      status = yield* evaltree(sh, n.body, flags & EV_TESTED);
      if (loopJump(sh) === 'leave') break;
    }
  } finally {
    sh.loopnest--;
  }
  return status;
}

/** `case word in pattern) list;; esac`: the first matching item runs; 0 if none matches. */
function* evalCase(sh: Shell, n: Case, flags: number): Gen<number> {
  sh.lineno = n.line;
  const subject = yield* expandString(sh, n.word, EXP_TILDE);
  for (const item of n.items) {
    for (const pat of item.pats) {
      if (yield* casematch(sh, pat, subject)) return yield* evaltree(sh, item.body, flags);
    }
  }
  return 0;
}

/**
 * A compound command with redirections (`{ …; } >f`, `while …; done <f`): the
 * redirections hold for the body and are undone after it. The body does not get
 * EV_EXIT (the descriptors must come back).
 */
function* evalRedirected(sh: Shell, n: Redir, flags: number): Gen<{ status: number; redirectionFailed: boolean }> {
  sh.lineno = n.line;
  const frame = pushRedirFrame(sh);
  try {
    const r = yield* redirect(sh, n.redirs, true);
    if (r !== 0) return { status: r, redirectionFailed: true };
    return { status: yield* evaltree(sh, n.body, flags & EV_TESTED), redirectionFailed: false };
  } finally {
    yield* popRedir(sh, frame, false);
  }
}
