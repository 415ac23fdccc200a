/**
 * Where a sort -k key lies in a line (GNU sort 9.1, as POSIX sort describes -k and as
 * `sort --debug` shows the spans on the real tool).
 *
 * Fields: without -t, field n is a run of blanks followed by a run of non-blanks, so a
 * field carries the blanks before it; with -t C, fields lie between the C bytes. A key
 * runs from POS1 to POS2 inclusive:
 *
 *     "ab  cdef gh"      fields: [ab][  cdef][ gh]
 *     -k2,2   → "  cdef"    -k2b,2 → "cdef"    -k2.2,2.3 → " c"    -k1,1.6 → "ab  cd"
 *
 *  - POS1 F.C: the start of field F, past its blanks if 'b' applies to the start, then
 *    C-1 bytes further — the offset may run past the field, but not past the line.
 *  - POS2 F.C: with C, the start of field F (past its blanks if 'b' applies to the
 *    end), then C bytes further, again bounded only by the line; without C (or C = 0),
 *    the end of field F. A missing POS2 is the end of the line.
 *  - A key that ends before it starts is empty, at its start.
 */
import type { SortKey } from './sort-compare.js';

/** sort's blanks: space, tab and newline. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a;
}

/** The index of the first non-blank at or after `i`. */
function pastBlanks(line: string, i: number): number {
  while (i < line.length && isBlank(line.charCodeAt(i))) i++;
  return i;
}

/** The index where the field that begins at `i` ends (exclusive). */
function fieldEnd(line: string, i: number, tab: string | null): number {
  if (tab !== null) {
    const sep = line.indexOf(tab, i);
    return sep === -1 ? line.length : sep;
  }
  i = pastBlanks(line, i);
  while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
  return i;
}

/** The index where field `n` (0-based) begins, or the line's length if there are fewer fields. */
function fieldStart(line: string, n: number, tab: string | null): number {
  let i = 0;
  for (let f = 0; f < n && i < line.length; f++) {
    if (tab !== null) {
      const sep = line.indexOf(tab, i);
      if (sep === -1) return line.length;
      i = sep + 1;
    } else i = fieldEnd(line, i, null);
  }
  return i;
}

/** Where key `k` starts in `line` (without its terminator); `tab` is -t's byte or null. */
function keyStart(line: string, k: SortKey, tab: string | null): number {
  if (k.startField === -1) return k.startBlanks ? pastBlanks(line, 0) : 0;
  let i = fieldStart(line, k.startField, tab);
  if (k.startBlanks) i = pastBlanks(line, i);
  return Math.min(line.length, i + k.startChar);
}

/** Where key `k` ends in `line` (one past its last byte). */
function keyEnd(line: string, k: SortKey, tab: string | null): number {
  if (k.endField === -1) return line.length;
  const start = fieldStart(line, k.endField, tab);
  if (k.endChar === 0) return fieldEnd(line, start, tab);
  const from = k.endBlanks ? pastBlanks(line, start) : start;
  return Math.min(line.length, from + k.endChar);
}

/** The [start, end) of key `k` in `line`; empty at its start when POS2 comes before POS1. */
export function keySpan(line: string, k: SortKey, tab: string | null): [number, number] {
  const start = keyStart(line, k, tab);
  return [start, Math.max(start, keyEnd(line, k, tab))];
}
