/**
 * The `s` command's text work: finding the matches to replace and building the
 * replacement with its case conversions (GNU's `\U \L \E \u \l`).
 *
 * Matches are leftmost-longest (lib/posix-regex.ts), searched left to right; an empty
 * match right where the previous match ended does not count, so replacing `x*` by `-`
 * everywhere turns "abc" into "-a-b-c-", and `a*` by `x` turns "baaac" into "xbxcx". With a number N,
 * matches before the Nth are kept; with `g` too, every match from the Nth on is replaced.
 */
import type { PosixMatch } from '../../lib/posix-regex.js';
import type { ReplacementPart, SedPattern } from './sed-program.js';

/** The result of a substitution, or null when nothing was replaced. */
export interface Substituted {
  readonly text: string;
  /** Bytes the regex looked at (for charging CPU time). */
  readonly scanned: number;
}

export function substitute(
  text: string,
  pattern: SedPattern,
  replacement: readonly ReplacementPart[],
  occurrence: number,
  global: boolean,
): Substituted | null {
  let out = '';
  let copiedTo = 0;
  let from = 0;
  let count = 0;
  let previousEnd = -1;
  let replaced = false;
  while (from <= text.length) {
    const m = pattern.regex.exec(text, from);
    if (m === null) break;
    const empty = m.end === m.index;
    if (empty && m.index === previousEnd) {
      from = m.index + 1;
      continue;
    }
    count++;
    if (count >= occurrence) {
      out += text.slice(copiedTo, m.index) + expand(replacement, m);
      copiedTo = m.end;
      replaced = true;
      if (!global) break;
    }
    previousEnd = m.end;
    from = empty ? m.end + 1 : m.end;
  }
  if (!replaced) return null;
  return { text: out + text.slice(copiedTo), scanned: text.length };
}

type CaseMode = 'none' | 'upper' | 'lower';

/** The replacement for one match; case conversion starts afresh for each match. */
export function expand(parts: readonly ReplacementPart[], m: PosixMatch): string {
  let out = '';
  let mode: CaseMode = 'none';
  let next: CaseMode = 'none';
  for (const part of parts) {
    if (part.kind === 'case') {
      if (part.op === 'u') next = 'upper';
      else if (part.op === 'l') next = 'lower';
      else {
        mode = part.op === 'U' ? 'upper' : part.op === 'L' ? 'lower' : 'none';
        next = 'none';
      }
      continue;
    }
    const piece = part.kind === 'text' ? part.text : (m.groups[part.index] ?? '');
    if (piece === '') continue;
    if (next !== 'none') {
      out += convert(piece[0], next) + convert(piece.slice(1), mode);
      next = 'none';
    } else out += convert(piece, mode);
  }
  return out;
}

/** ASCII case conversion (the C locale's toupper/tolower). */
function convert(s: string, mode: CaseMode): string {
  if (mode === 'none') return s;
  return mode === 'upper' ? s.replace(/[a-z]+/g, (x) => x.toUpperCase()) : s.replace(/[A-Z]+/g, (x) => x.toLowerCase());
}
