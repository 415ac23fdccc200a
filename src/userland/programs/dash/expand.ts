/**
 * Word expansion (dash's expand.c; POSIX XCU 2.6): tilde expansion, parameter
 * expansion, command substitution and arithmetic expansion, then field splitting
 * by IFS on the results of unquoted expansions only, pathname expansion, and
 * quote removal.
 *
 * The expanded text is built in one string with markers from the Unicode private
 * use area, which no byte string contains (bytes are U+0000–U+00FF): ESC before a
 * quoted character that means something in a pattern, QM where a quoted part
 * began (so `""` still makes an empty field, as dash's CTLQUOTEMARK does), and two
 * field separators for `$@` (markers.ts). Field splitting (field-split.ts) works
 * on recorded regions: the spans that came from unquoted expansions, and those of
 * "$@".
 */
import { P, type Part, type Word } from './ast.js';
import { type Shell, type Gen } from './shell.js';
import { fnmatch, glob, hasGlobChars, type FnmatchOptions } from '../../lib/fnmatch.js';
import { paramValue, tildeExpand, getParam, type Emit } from './param.js';
import { evalArith } from './param.js';
import { commandSubst } from './eval.js';
import { ESC, SEPW, QM, SEPH } from './markers.js';
import { splitFields } from './field-split.js';

export { ESC, SEPW, QM, SEPH, splitFields };

/** dash's pmatch(): `[^…]` is not a negation (only `[!…]` is). */
export const DASH: FnmatchOptions = { caret: false };

/** Expansion flags (dash's EXP_*). */
export const EXP_FULL = 1;
export const EXP_TILDE = 2;
export const EXP_VARTILDE = 4;
/** The result is a pattern (case, ${x#…}): quoted characters are escaped with `\`. */
export const EXP_PAT = 8;

const PATTERN_CHARS = /[*?[\]\\!^-]/g;
const HAS_PATTERN_CHAR = /[*?[\]\\!^-]/;
const MARKERS = /[\uE000-\uE003]/g;

/** The text being built, and which spans of it field splitting may cut. */
export class Exp {
  s = '';
  /** Triples [start, end, kind] of split regions: kind 0 an unquoted expansion's result, 1 a "$@" (field-split.ts). */
  regions: number[] = [];
  constructor(readonly marks: boolean) {}

  /** Appends quoted text (escaping pattern characters when marking). */
  quoted(text: string): void {
    if (this.marks) this.s += QM + (HAS_PATTERN_CHAR.test(text) ? text.replace(PATTERN_CHARS, ESC + '$&') : text);
    else this.s += text;
  }

  /**
   * Appends the result of an unquoted expansion: field splitting applies to it.
   * An empty result is recorded too: after "$@" it decides whether an empty last
   * element is a field (see field-split.ts).
   */
  unquoted(text: string): void {
    const start = this.s.length;
    this.s += text;
    this.regions.push(start, this.s.length, 0);
  }
}

/** How parts are being expanded. */
interface Ctx {
  flags: number;
  /** Inside double quotes. */
  q: boolean;
  /** Unquoted literal text counts as split-able (the operand of an unquoted ${x-…}). */
  splitLits: boolean;
}

/** Expands `parts` into `e`. */
export function* expParts(sh: Shell, parts: readonly Part[], e: Exp, ctx: Ctx): Gen<void> {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    switch (p.k) {
      case P.Lit: {
        let s = p.s;
        if (!ctx.q && ctx.flags & (EXP_TILDE | EXP_VARTILDE) && s.includes('~')) {
          if (i === 0) s = yield* tildes(sh, s, ctx.flags, true, parts.length > 1, e);
          else if (ctx.flags & EXP_VARTILDE) s = yield* tildes(sh, s, ctx.flags, false, parts.length > i + 1, e);
          if (s === '') break;
        }
        if (ctx.q) e.quoted(s);
        else if (ctx.splitLits) e.unquoted(s);
        else e.s += s;
        break;
      }
      case P.QLit:
        e.quoted(p.s);
        break;
      case P.Param: {
        const q = ctx.q || p.q;
        const emit: Emit = { e, q, flags: ctx.flags };
        yield* paramValue(sh, p, emit);
        break;
      }
      case P.CmdSub: {
        let out = yield* commandSubst(sh, p.body);
        let n = out.length;
        while (n > 0 && out.charCodeAt(n - 1) === 10) n--;
        if (n < out.length) out = out.slice(0, n);
        if (ctx.q || p.q) e.quoted(out);
        else e.unquoted(out);
        break;
      }
      case P.Arith: {
        const v = yield* evalArith(sh, p.expr);
        if (ctx.q || p.q) e.quoted(v);
        else e.unquoted(v);
        break;
      }
    }
  }
}

/**
 * Tilde expansion in a literal: at the start of a word (EXP_TILDE) and, in an
 * assignment (EXP_VARTILDE), after the first `=` and after each `:`. The expanded
 * home directories are appended to `e` as quoted text; returns the literal text
 * that remains to be appended. A prefix that runs into a quoted or expanded part
 * (`~"/x"`) is not a tilde prefix.
 */
function* tildes(sh: Shell, s: string, flags: number, isFirst: boolean, more: boolean, e: Exp): Gen<string> {
  const vt = (flags & EXP_VARTILDE) !== 0;
  let out = '';
  let i = 0;
  let seenEq = !isFirst;
  let atStart = isFirst && (flags & EXP_TILDE) !== 0;
  while (i < s.length) {
    let t = -1;
    if (atStart && s[0] === '~') t = 0;
    atStart = false;
    if (t < 0) {
      if (!vt) {
        out += s.slice(i);
        break;
      }
      for (let j = i; j < s.length; j++) {
        const c = s[j];
        if (c === '=' && !seenEq) {
          seenEq = true;
          if (s[j + 1] === '~') {
            t = j + 1;
            break;
          }
        } else if (c === ':' && seenEq && s[j + 1] === '~') {
          t = j + 1;
          break;
        }
      }
      if (t < 0) {
        out += s.slice(i);
        break;
      }
      out += s.slice(i, t);
    }
    let end = t + 1;
    while (end < s.length && s[end] !== '/' && !(vt && s[end] === ':')) end++;
    if (end === s.length && more) {
      out += s.slice(t);
      break;
    }
    const home = yield* tildeExpand(sh, s.slice(t + 1, end));
    if (home === null) {
      out += s.slice(t, end);
    } else {
      e.s += out;
      out = '';
      e.quoted(home);
    }
    i = end;
  }
  return out;
}

/** Removes the markers: the field's final text. */
export function unmark(s: string): string {
  if (s.length === 0) return s;
  return s.replace(MARKERS, '');
}

/** The field as an fnmatch pattern: quoted characters become `\`-escaped. */
export function toPattern(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === ESC) {
      out += '\\' + s[++i];
    } else if (c !== QM && c !== SEPW && c !== SEPH) {
      out += c;
    }
  }
  return out;
}

/** Expands command arguments: every field of every word, with splitting and globbing. */
export function* expandArgs(sh: Shell, words: readonly Word[], out: string[], flags = EXP_FULL | EXP_TILDE): Gen<void> {
  for (const w of words) {
    if (w.lit !== null) {
      out.push(w.lit);
      continue;
    }
    yield* expandFull(sh, w, out, flags);
  }
}

/** Expands one word to fields. */
export function* expandFull(sh: Shell, w: Word, out: string[], flags = EXP_FULL | EXP_TILDE): Gen<void> {
  if (w.lit !== null) {
    out.push(w.lit);
    return;
  }
  // Fast paths: a lone $x or "$x" whose value needs no splitting or globbing.
  const ps = w.parts;
  if (ps.length <= 2) {
    const p = ps[ps.length - 1];
    // "$x" is [QLit '', Param(q)]; ""$x has the same parts but an unquoted parameter.
    const quoted = ps.length === 2 && ps[0].k === P.QLit && ps[0].s === '' && p.k === P.Param && p.q;
    if (p.k === P.Param && p.op === '' && (ps.length === 1 || quoted) && p.name !== '@' && p.name !== '*') {
      const v = getParam(sh, p.name);
      if (v !== undefined) {
        if (quoted || (v !== '' && isInert(v, sh.ifs()))) {
          out.push(v);
          return;
        }
      } else if (!sh.opts.u) {
        if (quoted) out.push('');
        return;
      }
    }
  }
  if (!(flags & EXP_FULL)) {
    out.push(yield* expandString(sh, w, flags));
    return;
  }
  const e = new Exp(true);
  yield* expParts(sh, w.parts, e, { flags, q: false, splitLits: false });
  for (const f of splitFields(e.s, e.regions, sh.ifs(), -1)) {
    if (!sh.opts.f && hasUnquotedMeta(f)) {
      const pat = toPattern(f);
      const matches = hasGlobChars(pat) ? yield* glob(pat, DASH) : [];
      if (matches.length > 0) {
        for (const m of matches) out.push(m);
        continue;
      }
    }
    out.push(unmark(f));
  }
}

/** True when a value contains no IFS character and no pattern character (it stays one field as is). */
function isInert(v: string, ifs: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v[i];
    if (c === '*' || c === '?' || c === '[' || ifs.includes(c)) return false;
  }
  return true;
}

/** True when an unquoted `*`, `?` or `[` is in a marked field. */
function hasUnquotedMeta(f: string): boolean {
  for (let i = 0; i < f.length; i++) {
    const c = f[i];
    if (c === ESC) i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Expands a word to one string: no field splitting, no pathname expansion (assignments, redirections, here-documents). */
export function* expandString(sh: Shell, w: Word, flags = 0): Gen<string> {
  if (w.lit !== null) return w.lit;
  const e = new Exp(false);
  yield* expParts(sh, w.parts, e, { flags, q: false, splitLits: false });
  return e.s.includes(SEPW) || e.s.includes(SEPH) ? e.s.replace(/[\uE001\uE003]/g, ' ') : e.s;
}

/** Expands a word as a pattern (case items, ${x#pattern}). */
export function* expandPattern(sh: Shell, w: Word): Gen<string> {
  if (w.lit !== null) return w.lit;
  const e = new Exp(true);
  yield* expParts(sh, w.parts, e, { flags: EXP_PAT, q: false, splitLits: false });
  return toPattern(e.s);
}

/** Matches a string against a (possibly quoted) case pattern word. */
export function* casematch(sh: Shell, pat: Word, subject: string): Gen<boolean> {
  if (pat.lit !== null) return pat.lit === subject;
  const p = yield* expandPattern(sh, pat);
  return hasGlobChars(p) ? fnmatch(p, subject, DASH) : unescapePlain(p) === subject;
}

function unescapePlain(p: string): string {
  return p.includes('\\') ? p.replace(/\\(.)/g, '$1') : p;
}
