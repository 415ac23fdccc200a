/**
 * Go's `text/tabwriter` (elastic tabstops), for left-aligned text padded with a
 * non-tab character and no flags — the configuration runc's `list` and `ps` use:
 * `tabwriter.NewWriter(os.Stdout, 12, 1, 3, ' ', 0)`.
 *
 * The model: input lines are split into cells at each `\t`; a cell is tab-terminated,
 * so the text after a line's last tab is not part of any column and is printed as
 * is. A column is a run of consecutive lines that all have a cell at that index (a
 * line with fewer cells ends the run — a new "column block" starts after it). Every
 * cell of a block is padded to the block's width = max(minwidth, widest cell +
 * padding), counting width in code points (Go counts UTF-8 runes).
 *
 *   "ID\tPID\tSTATUS\n"        ID          PID         STATUS
 *   "c1\t4422\trunning\n"  ─▶  c1          4422        running
 *
 * Simplification: `\v`, `\f`, the Escape byte and HTML filtering are not handled
 * (runc never writes them); a cell containing one is measured as plain text.
 */

/** tabwriter parameters (padchar must not be `\t`; tabwidth only matters for tabs). */
export interface TabwriterOptions {
  minwidth: number;
  padding: number;
  padchar: string;
}

/** runc list/ps: minwidth 12, tabwidth 1, padding 3, padchar ' ', flags 0. */
export const RUNC_TABWRITER: TabwriterOptions = { minwidth: 12, padding: 3, padchar: ' ' };

function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Formats `text` (lines ending in `\n`; cells separated by `\t`) as Writer.Write +
 * Flush would. Text after the last newline is emitted unpadded, as Flush does.
 */
export function tabwrite(text: string, opts: TabwriterOptions = RUNC_TABWRITER): string {
  const rawLines = text.split('\n');
  // Every element but the last was newline-terminated.
  const lines = rawLines.map((l) => l.split('\t'));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (from: number, to: number): void => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      let s = '';
      cells.forEach((c, j) => {
        s += c;
        // Only tab-terminated cells (all but the last) belong to a column.
        if (j < cells.length - 1 && j < widths.length) s += opts.padchar.repeat(Math.max(0, widths[j]! - width(c)));
      });
      out.push(i + 1 === lines.length ? s : `${s}\n`);
    }
  };

  // Go's Writer.format: recursive over columns, block by block.
  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    let start = line0;
    for (let cur = line0; cur < line1; cur++) {
      if (column >= lines[cur]!.length - 1) continue;
      writeLines(start, cur);
      start = cur;
      let w = opts.minwidth;
      for (; cur < line1; cur++) {
        const cells = lines[cur]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(cells[column]!) + opts.padding);
      }
      widths.push(w);
      format(start, cur);
      widths.pop();
      // As in Go, the loop's increment then skips the line that ended the block: it
      // has no cell in this column, so it cannot start one.
      start = cur;
    }
    writeLines(start, line1);
  };

  format(0, lines.length);
  return out.join('');
}
