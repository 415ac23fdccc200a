/**
 * Parameter expansion (dash's evalvar/varvalue; POSIX XCU 2.6.2): the special
 * parameters ($@ $* $# $? $- $$ $! $0), positional and named parameters, the
 * `-` `=` `?` `+` forms with and without `:`, ${#x}, and the pattern-removal
 * forms `#` `##` `%` `%%`. Also tilde expansion and `$((…))`.
 */
import { P, type ParamPart, type Word } from './ast.js';
import { type Shell, type Gen } from './shell.js';
import { Exp, expParts, expandString, expandPattern, SEPH, SEPW, DASH } from './expand.js';
import { fnmatch, hasGlobChars, unescapePattern } from '../../lib/fnmatch.js';
import { arith, ArithError, ArithTrap } from './arith.js';
import { readFile } from '../../lib/io.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { SIG } from '../../../kernel/proc/signals.js';

/** Where a parameter's value goes: the text being built, whether it is quoted, the expansion flags. */
export interface Emit {
  e: Exp;
  q: boolean;
  flags: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The value of parameter `name`, or undefined when it is unset. */
export function getParam(sh: Shell, name: string): string | undefined {
  const c = name.charCodeAt(0);
  if (c >= 48 && c <= 57) {
    const n = name.length === 1 ? c - 48 : Number(name);
    if (n === 0) return sh.arg0;
    return n <= sh.params.length ? sh.params[n - 1] : undefined;
  }
  if (name.length === 1) {
    switch (name) {
      case '@':
      case '*':
        return sh.params.length > 0 ? sh.params.join(' ') : undefined;
      case '#':
        return String(sh.params.length);
      case '?':
        return String(sh.status);
      case '-':
        return sh.dashFlags();
      case '$':
        return String(sh.rootPid);
      case '!':
        return sh.bgPid ? String(sh.bgPid) : undefined;
      default:
        break;
    }
  }
  return sh.vars.get(name);
}

/** Appends a value as the parameter `name` gives it (with "$@" making separate fields). */
function emitValue(sh: Shell, name: string, v: string, em: Emit): void {
  const e = em.e;
  if ((name === '@' || name === '*') && sh.params.length > 0) {
    if (em.q) {
      if (name === '@' && e.marks) {
        const start = e.s.length;
        const ps = sh.params;
        for (let i = 0; i < ps.length; i++) {
          if (i > 0) e.s += SEPH;
          e.quoted(ps[i]);
        }
        e.regions.push(start, e.s.length, 1);
        return;
      }
      const ifs = sh.vars.get('IFS');
      const sep = name === '@' ? ' ' : ifs === undefined ? ' ' : ifs.slice(0, 1);
      e.quoted(sh.params.join(sep));
      return;
    }
    if (e.marks) {
      e.unquoted(sh.params.join(SEPW));
      return;
    }
    const ifs = sh.vars.get('IFS');
    const sep = name === '@' ? ' ' : ifs === undefined ? ' ' : ifs.slice(0, 1);
    e.unquoted(sh.params.join(sep));
    return;
  }
  if (em.q) e.quoted(v);
  else e.unquoted(v);
}

function* emitOperand(sh: Shell, w: Word | null, em: Emit): Gen<void> {
  if (w === null) return;
  if (em.q) {
    yield* expParts(sh, w.parts, em.e, { flags: em.flags, q: true, splitLits: false });
    return;
  }
  yield* expParts(sh, w.parts, em.e, { flags: em.flags, q: false, splitLits: true });
}

/** Expands one parameter part into `em.e`. */
export function* paramValue(sh: Shell, p: ParamPart, em: Emit): Gen<void> {
  const name = p.name;
  if (p.op === 'bad') throw yield* sh.error('Bad substitution');
  let v = getParam(sh, name);
  let set = v !== undefined;
  const special = name === '@' || name === '*';
  if (p.colon && set) set = v !== '';
  switch (p.op) {
    case '':
      if (v === undefined) {
        if (sh.opts.u && !special) throw yield* sh.error(`${name}: parameter not set`);
        return;
      }
      emitValue(sh, name, v, em);
      return;
    case 'len': {
      if (v === undefined && sh.opts.u && !special) throw yield* sh.error(`${name}: parameter not set`);
      const n = String((v ?? '').length);
      if (em.q) em.e.quoted(n);
      else em.e.unquoted(n);
      return;
    }
    case '-':
      if (set) emitValue(sh, name, v!, em);
      else yield* emitOperand(sh, p.arg, em);
      return;
    case '+':
      if (set) yield* emitOperand(sh, p.arg, em);
      return;
    case '=':
      if (set) {
        emitValue(sh, name, v!, em);
        return;
      }
      if (special) return;
      if (!NAME.test(name)) throw yield* sh.error(`${name}: bad variable name`);
      v = p.arg ? yield* expandString(sh, p.arg) : '';
      yield* sh.setVar(name, v);
      emitValue(sh, name, v, em);
      return;
    case '?': {
      if (set) {
        emitValue(sh, name, v!, em);
        return;
      }
      const msg = p.arg && p.arg.parts.length > 0 ? yield* expandString(sh, p.arg) : p.colon ? 'parameter not set or null' : 'parameter not set';
      throw yield* sh.error(`${name}: ${msg}`);
    }
    default: {
      if (v === undefined && sh.opts.u && !special) throw yield* sh.error(`${name}: parameter not set`);
      const val = v ?? '';
      const pat = p.arg ? yield* expandPattern(sh, p.arg) : '';
      const r = removePattern(val, pat, p.op);
      if (em.q) em.e.quoted(r);
      else em.e.unquoted(r);
      return;
    }
  }
}

/** ${v#pat} ${v##pat} ${v%pat} ${v%%pat}. */
export function removePattern(v: string, pat: string, op: string): string {
  if (!hasGlobChars(pat)) {
    const lit = unescapePattern(pat);
    if (op === '#' || op === '##') return v.startsWith(lit) ? v.slice(lit.length) : v;
    return v.endsWith(lit) ? v.slice(0, v.length - lit.length) : v;
  }
  const n = v.length;
  switch (op) {
    case '#':
      for (let i = 0; i <= n; i++) if (fnmatch(pat, v.slice(0, i), DASH)) return v.slice(i);
      return v;
    case '##':
      for (let i = n; i >= 0; i--) if (fnmatch(pat, v.slice(0, i), DASH)) return v.slice(i);
      return v;
    case '%':
      for (let i = n; i >= 0; i--) if (fnmatch(pat, v.slice(i), DASH)) return v.slice(0, i);
      return v;
    default:
      for (let i = 0; i <= n; i++) if (fnmatch(pat, v.slice(i), DASH)) return v.slice(0, i);
      return v;
  }
}

/** The home directory for `~user` (`~` alone: $HOME), or null to leave the text as is. */
export function* tildeExpand(sh: Shell, user: string): Gen<string | null> {
  if (user === '') {
    const home = sh.vars.get('HOME');
    return home === undefined || home === '' ? null : home;
  }
  const passwd = yield* readFile('/etc/passwd');
  if (passwd instanceof SysError) return null;
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length >= 7 && f[0] === user) return f[5];
  }
  return null;
}

/** $((…)): expands the text as in double quotes, then evaluates it. */
export function* evalArith(sh: Shell, expr: Word): Gen<string> {
  const text = expr.lit !== null ? expr.lit : yield* expandString(sh, expr);
  let errMsg: string | null = null;
  let trap = false;
  let result = 0n;
  try {
    result = arith(text, {
      get: (n) => sh.vars.get(n),
      set: (n, v) => sh.vars.set(n, v, sh.opts.a ? 1 : 0),
    });
  } catch (e) {
    if (e instanceof ArithError) errMsg = e.message;
    else if (e instanceof ArithTrap) trap = true;
    else throw e;
  }
  if (trap) {
    // INT64_MIN / -1: the division traps and dash dies of SIGFPE.
    yield* sys.sigaction(SIG.SIGFPE, { handler: 'default' });
    yield* sys.kill(sh.pid, SIG.SIGFPE);
  }
  if (errMsg !== null) throw yield* sh.error(errMsg);
  return result.toString();
}

/** True when a word is a plain literal (for fast paths). */
export function isPlain(w: Word): boolean {
  return w.parts.every((p) => p.k === P.Lit || p.k === P.QLit);
}
