/**
 * How ps(1) (procps-ng 4.0.2) turns a list of columns into lines, and how it reads
 * a user-defined list (`-o pid,user:12,comm=NAME`). Both were worked out by
 * running the real ps with chosen widths, headers and screen widths.
 *
 * Placement: every column has a nominal start — where it would begin if all the
 * columns before it were exactly their width, one space apart. Text is aimed at
 * its nominal position: left-aligned text at the start, right-aligned text so
 * that it ends at start + width (or at the start, when wider than the column).
 * When earlier text ran long the line is already past that point, and the text
 * follows after a single space instead; the padding of the later columns absorbs
 * the excess, so alignment recovers as soon as there is room. No run of padding
 * is longer than 144 spaces. Headers are placed the same way and not cut.
 *
 * Command text (comm, args, fname …) is cut at its width unless it is the last
 * column; forest pieces in front of it are kept only while they fit whole. The
 * last column, when it is command text, is cut to the room left on the screen
 * line, counted in whole screen widths: the line may run on to the first multiple
 * of the width that leaves at least three characters past the column's nominal
 * start. Text already pushed past that point is not cut at all.
 *
 *    nominal:  |PID..|_|TTY.....|_|COMMAND......   (widths 5, 8, 27)
 *    line:     "   42 pts/0    sleep 100"
 */
import { FORMAT_MACROS, SPECIFIERS, type Align, type Specifier } from './ps-format.js';

/** The most padding put before one column (procps's buffer of spaces). */
const MAX_PADDING = 144;
/** Characters of command text the last column is always granted on its screen line. */
const MIN_LAST_ROOM = 3;

/** One output column: a specifier with the header and width the user asked for. */
export interface Column {
  spec: Specifier;
  header: string;
  width: number;
}

/** A column with the specifier's own header and width (`pidWidth`: digits of pid_max). */
export function defaultColumn(spec: Specifier, pidWidth: number): Column {
  return { spec, header: spec.header, width: spec.pidWidth ? pidWidth : spec.width };
}

/** Columns for a comma-separated list of specifier names known to be valid. */
export function columnsOf(names: string, pidWidth: number): Column[] {
  return names.split(',').map((n) => defaultColumn(SPECIFIERS.get(n)!, pidWidth));
}

/** One item `name[:width][=header]` of a user-defined list. */
function readItem(item: string, pidWidth: number): Column[] | string {
  const m = /^([^:=]*)(?::([^=]*))?(?:=(.*))?$/s.exec(item)!;
  const [, name, widthText, header] = m;
  if (widthText !== undefined && !/^[1-9]\d*$/.test(widthText)) return 'column widths must be unsigned decimal numbers';
  const macro = FORMAT_MACROS.get(name);
  if (macro !== undefined) {
    if (widthText !== undefined) return 'can not set width for a macro (multi-column) format specifier';
    return columnsOf(macro, pidWidth).map((c) => (header === undefined ? c : { ...c, header, width: Math.max(c.width, header.length) }));
  }
  const spec = SPECIFIERS.get(name);
  if (!spec) return `unknown user-defined format specifier "${name}"`;
  const col = defaultColumn(spec, pidWidth);
  if (header !== undefined) col.header = header;
  if (widthText !== undefined) col.width = Number(widthText);
  else if (header !== undefined) col.width = Math.max(col.width, header.length);
  return [col];
}

/**
 * Reads a user-defined format list. Items are separated by one comma, space or
 * tab; one separator may end the list. Returns the columns or the error text.
 * A list that fails and contains `%` is taken for an AIX format, which ps
 * reports as such.
 */
export function parseFormatList(text: string, pidWidth: number): Column[] | string {
  const error = (msg: string): string => (text.includes('%') ? 'improper AIX field descriptor' : msg);
  const items = text.split(/[, \t]/);
  if (items.length > 1 && items[items.length - 1] === '') items.pop();
  if (items.some((i) => i === '')) return error('improper format list');
  const out: Column[] = [];
  for (const item of items) {
    const cols = readItem(item, pidWidth);
    if (typeof cols === 'string') return error(cols);
    out.push(...cols);
  }
  return out;
}

/** How one line is to be laid out. */
export interface LineStyle {
  /** Screen width in characters (huge when output is not a terminal). */
  screenCols: number;
  /** The header line: texts are not cut (but see fitLast). */
  isHeader: boolean;
  /** BSD `n`: name and wchan columns hold numbers, aligned right and never cut. */
  numericIds: boolean;
}

/** One cell: its text and, for command columns, the forest pieces to put in front. */
export interface Cell {
  text: string;
  chunks?: readonly string[];
}

function alignOf(col: Column, style: LineStyle): Align {
  const o = col.spec.overflow;
  return style.numericIds && (o === 'name' || o === 'wchan') ? 'right' : col.spec.align;
}

/**
 * Command text within `limit` characters: the tree pieces that fit whole (so a
 * narrow column shows "    " rather than half of " \_ "), then the text, cut.
 */
function commandText(cell: Cell, limit: number): string {
  let out = '';
  for (const piece of cell.chunks ?? []) {
    if (out.length + piece.length > limit) break;
    out += piece;
  }
  return (out + cell.text).slice(0, limit);
}

/** A non-last cell's text as it fits its column. */
function fitInner(cell: Cell, col: Column, style: LineStyle): string {
  const o = col.spec.overflow;
  if (style.isHeader) return cell.text;
  if (o === 'command' && col.spec.maxChars < Infinity) {
    // fname prints a fixed field: the name cut and padded to its own size.
    const size = Math.min(col.width, col.spec.maxChars);
    return commandText(cell, size).padEnd(size);
  }
  if (o === 'command') return commandText(cell, col.width);
  if (o === 'name' && !style.numericIds && cell.text.length > col.width) return cell.text.slice(0, col.width - 1) + '+';
  if (o === 'wchan' && !style.numericIds) return cell.text.slice(0, col.width);
  return cell.text;
}

/** Room for the last column's command text starting at `start`; null when unlimited. */
function lastColumnRoom(nominal: number, start: number, screenCols: number): number | null {
  const lineEnd = Math.ceil((nominal + MIN_LAST_ROOM) / screenCols) * screenCols;
  const room = lineEnd - start;
  return room < 0 ? null : room;
}

/** The last cell's text once its start is known. */
function fitLast(cell: Cell, col: Column, style: LineStyle, nominal: number, start: number): string {
  if (col.spec.overflow !== 'command') return cell.text;
  const room = lastColumnRoom(nominal, start, style.screenCols);
  // Observed quirk: a header is cut (to one character) only when its room is exactly 0.
  if (style.isHeader) return room === 0 ? cell.text.slice(0, 1) : cell.text;
  return commandText(cell, Math.min(room ?? Infinity, col.spec.maxChars));
}

/**
 * Lays out one line (without its newline).
 *
 * Observed quirk: in process rows, ps counts an fname cell (at most 8 characters)
 * as filling its whole width when the column is wider, so the columns after it sit
 * that much further left (`lost`); headers are not affected.
 */
export function layoutLine(columns: readonly Column[], cells: readonly Cell[], style: LineStyle): string {
  let line = '';
  let nominal = 0;
  let lost = 0;
  columns.forEach((col, i) => {
    const isLast = i === columns.length - 1;
    const inner = isLast ? null : fitInner(cells[i], col, style);
    // Where the text is aimed: right-aligned text that is too wide starts at the nominal start.
    const aimed = inner ?? cells[i].text;
    const target = (alignOf(col, style) === 'right' ? nominal + Math.max(0, col.width - aimed.length) : nominal) - lost;
    const gap = Math.min(MAX_PADDING, Math.max(i === 0 ? 0 : 1, target - line.length));
    const start = line.length + gap;
    const text = inner ?? fitLast(cells[i], col, style, nominal, start);
    line += ' '.repeat(gap) + text;
    if (!style.isHeader && !isLast) lost += Math.max(0, col.width - col.spec.maxChars);
    nominal += col.width + 1;
  });
  return line;
}
