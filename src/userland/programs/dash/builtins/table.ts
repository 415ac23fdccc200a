/**
 * dash's builtin commands (its builtins.def): the function of each, and whether it
 * is a POSIX special builtin (its errors end a non-interactive shell, assignments
 * before it stay), a regular one, or takes assignment arguments (export, readonly,
 * local: `export x=$y` is not field-split).
 */
import type { Shell, Gen } from '../shell.js';
import { basicBuiltins } from './basic.js';
import { varBuiltins } from './vars.js';
import { controlBuiltins } from './control.js';
import { jobBuiltins } from './jobctl.js';
import { envBuiltins } from './env.js';

export type BuiltinFn = (sh: Shell, argv: string[]) => Gen<number>;

export interface Builtin {
  readonly name: string;
  readonly fn: BuiltinFn;
  /** A POSIX special builtin (dash's -s). */
  readonly special: boolean;
  /** An assignment builtin (dash's -a). */
  readonly assign: boolean;
}

/** Declares builtins: `spec` is "-s" (special), "-a" (assignment) or "-as". */
export function def(names: string, spec: string, fn: BuiltinFn): Builtin[] {
  return names.split(' ').map((name) => ({ name, fn, special: spec.includes('s'), assign: spec.includes('a') }));
}

export const BUILTINS = new Map<string, Builtin>();
for (const list of [basicBuiltins, varBuiltins, controlBuiltins, jobBuiltins, envBuiltins]) {
  for (const b of list) BUILTINS.set(b.name, b);
}

/** Names a function may not have (dash: "Bad function name"). */
export const SPECIAL_NAMES = new Set([...BUILTINS.values()].filter((b) => b.special).map((b) => b.name));

/** dash's nextopt(): parses options in `optstring` from argv[1…]; returns [options, index of the first operand]. */
export function* nextopt(sh: Shell, argv: string[], optstring: string): Gen<[string[], number]> {
  const opts: string[] = [];
  let i = 1;
  while (i < argv.length) {
    const a = argv[i];
    if (a[0] !== '-' || a === '-') break;
    i++;
    if (a === '--') break;
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      const k = optstring.indexOf(c);
      if (k < 0) throw yield* sh.error(`Illegal option -${c}`);
      if (optstring[k + 1] === ':') {
        const arg = j + 1 < a.length ? a.slice(j + 1) : argv[i++];
        if (arg === undefined) throw yield* sh.error(`No arg for -${c} option`);
        opts.push(c + arg);
        break;
      }
      opts.push(c);
    }
  }
  return [opts, i];
}

/** dash's number(): a non-negative decimal, else "Illegal number". */
export function* number(sh: Shell, s: string): Gen<number> {
  if (!/^\d+$/.test(s)) throw yield* sh.error(`Illegal number: ${s}`);
  return Number(s);
}
