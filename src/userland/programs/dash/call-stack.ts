/**
 * Shell function calls on a flat stack of generators. A simulated program is a
 * generator and every nested evaluation a `yield*` into another one, so each level
 * of a shell function's recursion would add several JavaScript frames; dash allows
 * 1000 nested calls, which nested delegation cannot hold in the JavaScript stack.
 *
 * Instead, the outermost evaluation of a shell runs under a driver that keeps the
 * generators of the function bodies being run in a list: calling a function hands
 * the body's generator to the driver (the caller stays suspended, off the JavaScript
 * stack), and the driver resumes the caller with the body's result or error. System
 * calls and CPU bursts pass through the driver unchanged, so the kernel sees the
 * same program.
 *
 * ```
 *  kernel ◀─▶ driver ─ runs the top of: [ main evaluation, body of f, body of f, … ]
 * ```
 */
import type { Op } from '../../../kernel/proc/program.js';
import type { Shell, Gen } from './shell.js';

const CALL = Symbol('dash function call');

/** What a function call yields to the driver: the body to run. */
interface CallRequest {
  readonly [CALL]: Gen<number>;
}

function isCall(op: unknown): op is CallRequest {
  return typeof op === 'object' && op !== null && CALL in op;
}

/** Shells whose evaluation is running under a driver (at most one driver per shell state). */
const driven = new WeakSet<Shell>();

/** True when evaluation for `sh` already runs under a driver. */
export function hasDriver(sh: Shell): boolean {
  return driven.has(sh);
}

/** Runs a function body for `sh` on the driver's stack (nested, when there is no driver) and returns its status. */
export function* callOnFlatStack(sh: Shell, body: Gen<number>): Gen<number> {
  if (!driven.has(sh)) return yield* body;
  const request: CallRequest = { [CALL]: body };
  return (yield request as unknown as Op) as number;
}

/** Runs `root` under a driver for `sh` (see the file comment). */
export function* drive<T>(sh: Shell, root: Gen<T>): Gen<T> {
  driven.add(sh);
  const stack: Gen<unknown>[] = [root];
  let resume: { value: unknown; error: boolean } = { value: undefined, error: false };
  try {
    for (;;) {
      const top = stack[stack.length - 1];
      let r: IteratorResult<Op, unknown>;
      try {
        r = resume.error ? top.throw(resume.value) : top.next(resume.value);
      } catch (e) {
        stack.pop();
        if (stack.length === 0) throw e;
        resume = { value: e, error: true };
        continue;
      }
      if (r.done) {
        stack.pop();
        if (stack.length === 0) return r.value as T;
        resume = { value: r.value, error: false };
      } else if (isCall(r.value)) {
        stack.push(r.value[CALL]);
        resume = { value: undefined, error: false };
      } else {
        resume = { value: yield r.value, error: false };
      }
    }
  } finally {
    driven.delete(sh);
  }
}
