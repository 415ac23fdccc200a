/**
 * The word lexer: turns the source text of one word into dash's word parts.
 *
 * unbash finds where each word starts and ends, and where each command
 * substitution ends (which needs a whole parser); the characters in between are
 * read here, with dash's rules rather than bash's: `{a,b}` and `@(x)` are plain
 * text, `$'…'` is a `$` followed by a single-quoted string, `${x/a/b}` is a
 * "Bad substitution" when expanded, `$10` is `${1}0`.
 */
import type { WordPart, ParsedScript, SyntaxNode } from 'unbash';
import { forEachChild } from 'unbash';
import { P, type Node, type Part, type Word, type ParamPart } from './ast.js';
import { hasGlobChars } from '../../lib/fnmatch.js';

/** Where unbash put an expansion that starts with `$` or a backquote: its end, and its script for a substitution. */
export interface SubstSpan {
  readonly end: number;
  readonly kind: 'cmd' | 'arith' | 'param' | 'simple';
  readonly script?: ParsedScript;
}

/** Lexing context: the source, the expansion spans found by unbash, and how to convert a nested script. */
export interface WordCtx {
  readonly src: string;
  readonly spans: Map<number, SubstSpan>;
  /** Converts a command substitution's script (positions index `src` unless the script has its own `source`). */
  convertSub(script: ParsedScript, pos: number): Node | null;
}

/** How the characters of a region are read. */
export const enum Mode {
  /** An unquoted word. */
  Word,
  /** Inside double quotes. */
  Dq,
  /** A here-document body with an unquoted delimiter. */
  Here,
  /** The operand of ${x-w} inside double quotes. */
  DqOperand,
  /** The text of $((…)). */
  Arith,
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL = '@*#?-$!';

/** Records the spans of every expansion under `node` (not descending into substitution scripts). */
export function collectSpans(node: SyntaxNode, spans: Map<number, SubstSpan>): void {
  forEachChild(node, (c) => visitSpan(c, spans));
}

function visitSpan(c: SyntaxNode, spans: Map<number, SubstSpan>): void {
  switch (c.type) {
    case 'CommandExpansion':
      spans.set(c.pos, { end: c.end, kind: 'cmd', script: c.script });
      return;
    case 'ArithmeticCommandExpansion':
      spans.set(c.pos, { end: c.end, kind: 'cmd', script: c.script });
      return;
    case 'ProcessSubstitution':
      return;
    case 'ArithmeticExpansion':
      spans.set(c.pos, { end: c.end, kind: 'arith' });
      break;
    case 'ParameterExpansion':
      spans.set(c.pos, { end: c.end, kind: 'param' });
      break;
    case 'SimpleExpansion':
      spans.set(c.pos, { end: c.end, kind: 'simple' });
      return;
    default:
      break;
  }
  collectSpans(c, spans);
}

/** Collects spans under a list of unbash word parts. */
export function collectPartSpans(parts: readonly WordPart[] | undefined, spans: Map<number, SubstSpan>): void {
  if (!parts) return;
  for (const p of parts) visitSpan(p, spans);
}

class Builder {
  parts: Part[] = [];
  private lit = '';
  private litQuoted = false;

  addLit(s: string, quoted: boolean): void {
    if (this.lit !== '' && this.litQuoted !== quoted) this.flush();
    this.lit += s;
    this.litQuoted = quoted;
    if (s === '' && quoted) {
      // An empty quoted string ("" or '') still makes a word (remember it as a part).
      this.flush(true);
    }
  }

  add(p: Part): void {
    this.flush();
    this.parts.push(p);
  }

  flush(forceEmpty = false): void {
    if (this.lit !== '' || forceEmpty) {
      this.parts.push({ k: this.litQuoted ? P.QLit : P.Lit, s: this.lit });
      this.lit = '';
    }
  }

  done(): Part[] {
    this.flush();
    return this.parts;
  }
}

/** Lexes `src[start, end)` as a word in `mode`. */
export function scanWord(ctx: WordCtx, start: number, end: number, mode: Mode = Mode.Word, stripTabs = false): Word {
  const b = new Builder();
  scanInto(ctx, b, start, end, mode, stripTabs);
  return makeWord(b.done(), ctx.src.slice(start, end));
}

/** A word from parts: computes the literal fast path and whether it looks like an assignment. */
export function makeWord(parts: Part[], raw: string): Word {
  let lit: string | null = null;
  if (parts.length === 0) lit = '';
  else if (parts.length === 1 && parts[0].k === P.Lit) {
    const s = parts[0].s;
    if (!/[*?~]/.test(s) && !hasGlobChars(s)) lit = s;
  }
  let assignLike = false;
  const first = parts[0];
  if (first && first.k === P.Lit) {
    const m = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(first.s);
    assignLike = m !== null;
  }
  return { parts, raw, lit, assignLike };
}

/** Finds the closing quote of a single-quoted string starting after `i`; returns its index or `end`. */
function closeSingle(src: string, i: number, end: number): number {
  const j = src.indexOf("'", i);
  return j < 0 || j >= end ? end : j;
}

/** Lexes a region into `b`; returns the position where it stopped (a closing `"` in Dq mode, else `end`). */
function scanInto(ctx: WordCtx, b: Builder, start: number, end: number, mode: Mode, stripTabs = false): number {
  const src = ctx.src;
  const quoted = mode !== Mode.Word;
  let i = start;
  let lineStart = stripTabs;
  while (i < end) {
    const c = src[i];
    if (lineStart) {
      lineStart = false;
      if (c === '\t') {
        while (i < end && src[i] === '\t') i++;
        continue;
      }
    }
    if (c === '\n' && stripTabs) lineStart = true;
    if (c === '\\') {
      const n = src[i + 1];
      if (i + 1 >= end) {
        b.addLit('\\', quoted);
        i++;
        continue;
      }
      if (n === '\n') {
        i += 2;
        continue;
      }
      if (mode === Mode.Word) {
        b.addLit(n, true);
        i += 2;
        continue;
      }
      if (n === '$' || n === '`' || n === '\\' || (n === '"' && mode !== Mode.Here)) {
        b.addLit(n, true);
        i += 2;
        continue;
      }
      b.addLit('\\', true);
      i++;
      continue;
    }
    if (c === "'" && mode === Mode.Word) {
      const j = closeSingle(src, i + 1, end);
      b.addLit(src.slice(i + 1, j), true);
      i = j + 1;
      continue;
    }
    if (c === '"') {
      if (mode === Mode.Word || mode === Mode.DqOperand) {
        // A double-quoted region always yields a field, even when empty — except
        // "$@" alone, which yields none when there are no parameters (dash's hack).
        b.flush();
        const before = b.parts.length;
        const j = scanInto(ctx, b, i + 1, end, Mode.Dq);
        b.flush();
        const ps = b.parts;
        const onlyAt = ps.length === before + 1 && ps[before].k === P.Param && (ps[before] as ParamPart).name === '@' && (ps[before] as ParamPart).op === '';
        if (!onlyAt && !(ps.length > before && ps[before].k === P.QLit)) ps.splice(before, 0, { k: P.QLit, s: '' });
        i = j + 1;
        continue;
      }
      if (mode === Mode.Dq) {
        b.flush();
        return i;
      }
      if (mode === Mode.Arith) {
        i++;
        continue;
      }
    }
    if (c === '$') {
      const j = scanDollar(ctx, b, i, end, quoted);
      if (j > i) {
        i = j;
        continue;
      }
    }
    if (c === '`') {
      const span = ctx.spans.get(i);
      if (span && span.kind === 'cmd') {
        b.add({ k: P.CmdSub, body: span.script ? ctx.convertSub(span.script, i) : null, q: quoted });
        i = span.end;
        continue;
      }
    }
    // A run of ordinary characters.
    let j = i + 1;
    while (j < end) {
      const d = src[j];
      if (d === '\\' || d === '$' || d === '`' || d === '"' || d === "'" || (stripTabs && d === '\n')) break;
      j++;
    }
    if (stripTabs && j < end && src[j] === '\n') j++;
    b.addLit(src.slice(i, j), quoted);
    if (stripTabs && src[j - 1] === '\n') lineStart = true;
    i = j;
  }
  b.flush();
  return end;
}

/** Lexes an expansion at `src[i] === '$'`. Returns the position after it, or `i` if the `$` is literal. */
function scanDollar(ctx: WordCtx, b: Builder, i: number, end: number, q: boolean): number {
  const src = ctx.src;
  const n = src[i + 1];
  if (i + 1 >= end || n === undefined) return i;
  if (n === '{') {
    const span = ctx.spans.get(i);
    const close = span ? span.end : findBrace(src, i + 2, end);
    b.add(parseBraced(ctx, i + 2, close - 1, q));
    return close;
  }
  if (n === '(') {
    const span = ctx.spans.get(i);
    if (span && span.kind === 'arith') {
      const word = scanWord(ctx, i + 3, span.end - 2, Mode.Arith);
      b.add({ k: P.Arith, expr: word, q });
      return span.end;
    }
    if (span && span.kind === 'cmd') {
      b.add({ k: P.CmdSub, body: span.script ? ctx.convertSub(span.script, i) : null, q });
      return span.end;
    }
    if (src[i + 2] === '(') {
      const close = findArithEnd(src, i + 3, end);
      b.add({ k: P.Arith, expr: scanWord(ctx, i + 3, close - 2, Mode.Arith), q });
      return close;
    }
    return i;
  }
  if (NAME_START.test(n)) {
    let j = i + 2;
    while (j < end && NAME_CHAR.test(src[j])) j++;
    b.add(param(src.slice(i + 1, j), '', false, null, q));
    return j;
  }
  if ((n >= '0' && n <= '9') || SPECIAL.includes(n)) {
    b.add(param(n, '', false, null, q));
    return i + 2;
  }
  return i;
}

function param(name: string, op: ParamPart['op'], colon: boolean, arg: Word | null, q: boolean): ParamPart {
  return { k: P.Param, name, op, colon, arg, q };
}

/** The index after the `}` closing `${` whose contents start at `i` (quotes and nesting skipped). */
function findBrace(src: string, i: number, end: number): number {
  let depth = 1;
  while (i < end) {
    const c = src[i];
    if (c === '\\') i += 2;
    else if (c === "'") i = closeSingle(src, i + 1, end) + 1;
    else if (c === '{') {
      depth++;
      i++;
    } else if (c === '}') {
      if (--depth === 0) return i + 1;
      i++;
    } else i++;
  }
  return end;
}

function findArithEnd(src: string, i: number, end: number): number {
  let depth = 0;
  while (i < end) {
    const c = src[i];
    if (c === '(') depth++;
    else if (c === ')') {
      if (depth === 0 && src[i + 1] === ')') return i + 2;
      depth--;
    }
    i++;
  }
  return end;
}

/** The length of a parameter name at `src[i]` (a name, digits, or one special character); 0 if none. */
function nameLength(src: string, i: number, end: number): number {
  if (i >= end) return 0;
  const c = src[i];
  if (NAME_START.test(c)) {
    let j = i + 1;
    while (j < end && NAME_CHAR.test(src[j])) j++;
    return j - i;
  }
  if (c >= '0' && c <= '9') {
    let j = i + 1;
    while (j < end && src[j] >= '0' && src[j] <= '9') j++;
    return j - i;
  }
  if (SPECIAL.includes(c)) return 1;
  return 0;
}

/** Parses the inside of `${…}` (`src[i, close)`). */
function parseBraced(ctx: WordCtx, i: number, close: number, q: boolean): ParamPart {
  const src = ctx.src;
  if (src[i] === '#' && i + 1 < close) {
    const len = nameLength(src, i + 1, close);
    if (len > 0 && i + 1 + len === close) return param(src.slice(i + 1, close), 'len', false, null, q);
  }
  const len = nameLength(src, i, close);
  if (len === 0) return param('', 'bad', false, null, q);
  const name = src.slice(i, i + len);
  let j = i + len;
  if (j >= close) return param(name, '', false, null, q);
  let colon = false;
  if (src[j] === ':') {
    colon = true;
    j++;
  }
  const c = src[j];
  let op: ParamPart['op'];
  if (c === '-' || c === '+' || c === '=' || c === '?') {
    op = c;
    j++;
  } else if (!colon && (c === '#' || c === '%')) {
    if (src[j + 1] === c) {
      op = c === '#' ? '##' : '%%';
      j += 2;
    } else {
      op = c;
      j++;
    }
  } else {
    return param(name, 'bad', false, null, q);
  }
  const pattern = op === '#' || op === '##' || op === '%' || op === '%%';
  const mode = q && !pattern ? Mode.DqOperand : q ? Mode.Dq : Mode.Word;
  const b = new Builder();
  if (mode === Mode.Dq) scanDqRegion(ctx, b, j, close);
  else scanInto(ctx, b, j, close, mode);
  return param(name, op, colon, makeWord(b.done(), src.slice(j, close)), q);
}

/** A pattern operand inside double quotes: dash reads it like an unquoted word whose quotes are honoured. */
function scanDqRegion(ctx: WordCtx, b: Builder, start: number, end: number): void {
  scanInto(ctx, b, start, end, Mode.Word);
}
