/**
 * A box-drawn table in cli-table3's compact style (`style: { head: [], border: [],
 * compact: true }`): a rule under the head and none between rows. Pure: cells in,
 * text out.
 *
 * cli-table3 lays a table out in time quadratic in its rows (its layout pass looks
 * for spanning cells above every cell), so `ctsim sched` on 10,000 jobs spent 5 s
 * drawing its table and `ctsim mem replay` without --summary 50 s on 20,000 accesses.
 * This renderer draws the same bytes in one pass for the tables the teaching reports
 * make: one line per cell, no spans, every cell of a width its length says. For
 * anything else (a cell with a newline, an escape sequence or a character whose
 * display width is not 1) it hands the cells to cli-table3, so the output never
 * depends on which path drew it.
 *
 *   ┌─────────┬────────┐
 *   │ Job     │ Length │   head, aligned as its column
 *   ├─────────┼────────┤
 *   │ 0       │     10 │   one line per row
 *   └─────────┴────────┘
 */
import Table from 'cli-table3';

export type CellAlign = 'left' | 'right' | 'center';

/**
 * Characters whose display width is 1 as cli-table3 measures it (string-width): printable
 * ASCII, and the arrow and ellipsis the teaching reports use in heads.
 */
const NARROW_TEXT = /^[\x20-\x7e→…]*$/;

/**
 * The text of a compact table with `head` and `rows` (each row one string per column),
 * column `i` aligned as `colAligns[i]` (default left), byte for byte what cli-table3
 * prints for the same cells with `style: { head: [], border: [], compact: true }`.
 */
export function renderCompactTable(head: readonly string[], rows: readonly (readonly string[])[], colAligns: readonly CellAlign[] = []): string {
  if (!isSimpleTable(head, rows)) return renderWithCliTable3(head, rows, colAligns);
  // Column widths: the widest cell plus one space of padding on each side.
  const widths = head.map((h) => h.length);
  for (const row of rows) {
    for (let c = 0; c < row.length; c++) if (row[c].length > widths[c]) widths[c] = row[c].length;
  }
  const rule = (left: string, mid: string, right: string): string => left + widths.map((w) => '─'.repeat(w + 2)).join(mid) + right;
  const line = (cells: readonly string[]): string => {
    let text = '│';
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c];
      const pad = widths[c] - cell.length;
      const align = colAligns[c] ?? 'left';
      if (align === 'right') text += ' ' + ' '.repeat(pad) + cell + ' │';
      else if (align === 'center') text += ' ' + ' '.repeat(pad - Math.ceil(pad / 2)) + cell + ' '.repeat(Math.ceil(pad / 2)) + ' │';
      else text += ' ' + cell + ' '.repeat(pad) + ' │';
    }
    return text;
  };
  const lines = [rule('┌', '┬', '┐'), line(head)];
  if (rows.length > 0) lines.push(rule('├', '┼', '┤'));
  for (const row of rows) lines.push(line(row));
  lines.push(rule('└', '┴', '┘'));
  return lines.join('\n');
}

/** True when every row has a cell per column and every cell is one line of narrow text. */
function isSimpleTable(head: readonly string[], rows: readonly (readonly string[])[]): boolean {
  if (head.length === 0) return false;
  for (const cell of head) if (!NARROW_TEXT.test(cell)) return false;
  for (const row of rows) {
    if (row.length !== head.length) return false;
    for (const cell of row) if (!NARROW_TEXT.test(cell)) return false;
  }
  return true;
}

function renderWithCliTable3(head: readonly string[], rows: readonly (readonly string[])[], colAligns: readonly CellAlign[]): string {
  const table = new Table({ head: [...head], colAligns: [...colAligns], style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push([...row]);
  return table.toString();
}
