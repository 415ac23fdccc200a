/**
 * Calling a shell function (POSIX XCU 2.9.5 "Function Definition Command", dash(1)
 * "Functions"): the body runs in the shell itself with the arguments as positional
 * parameters, a frame for `local` variables, its own loop depth (a `break` in a
 * function does not leave the caller's loop), a fresh getopts position, and the
 * aliases that were in force when it was defined. `return` ends it; everything is
 * put back when it ends, however it ends. dash refuses to nest more than 1000 calls.
 */
import { EV_TESTED, SKIPFUNC, SKIPFUNCDEF, type Shell, type Gen, type FuncDef } from './shell.js';
import { evaltree } from './eval.js';
import { MAX_FUNC_DEPTH, unwindLocals } from './command.js';
import { callOnFlatStack } from './call-stack.js';

/** Runs function `f` with `argv` (argv[0] is its name) and returns its status. */
export function* callFunction(sh: Shell, f: FuncDef, argv: string[], flags: number): Gen<number> {
  if (sh.funcDepth >= MAX_FUNC_DEPTH) throw yield* sh.error(`Maximum function recursion depth (${MAX_FUNC_DEPTH}) reached`);
  const caller = {
    params: sh.params,
    loopnest: sh.loopnest,
    aliasSnap: sh.aliasSnap,
    funcline: sh.funcline,
    getopts: sh.getoptsState,
    localOpts: sh.localOpts.length,
    locals: sh.locals.length,
  };
  sh.params = argv.slice(1);
  sh.loopnest = 0;
  sh.aliasSnap = f.aliases;
  sh.funcline = f.line;
  sh.getoptsState = { optind: 1, optoff: -1 };
  sh.locals.push([]);
  sh.funcDepth++;
  try {
    // Whether the call is tested carries into the body (`f || …` suspends set -e inside f).
    const status = yield* callOnFlatStack(sh, evaltree(sh, f.body, flags & EV_TESTED));
    if (sh.evalskip === SKIPFUNC || sh.evalskip === SKIPFUNCDEF) sh.evalskip = 0;
    return status;
  } finally {
    sh.funcDepth--;
    unwindLocals(sh, caller.locals);
    // `local -` saved the options: the oldest saving of this call wins.
    while (sh.localOpts.length > caller.localOpts) sh.opts = { ...sh.localOpts.pop()!.opts };
    sh.params = caller.params;
    sh.loopnest = caller.loopnest;
    sh.aliasSnap = caller.aliasSnap;
    sh.funcline = caller.funcline;
    sh.getoptsState = caller.getopts;
  }
}
