/**
 * The -C layout of GNU ls 9.1: entries run down the columns, and ls uses as many
 * columns as fit the line. Pinned down against the real `ls -C -w N` (LC_ALL=C):
 *
 *  - With c columns there are ceil(n / c) rows; entry i sits in row i mod rows,
 *    column floor(i / rows). ls tries at most ceil(lineLength / 3) columns and takes
 *    the most that fit.
 *  - ls reckons a column as its longest entry plus a gap of two (none for column c-1,
 *    even if the entries end before reaching it), but never less than 3. The layout
 *    fits when that sum is less than the line length — or when no column needed more
 *    than 3, whatever the sum (so `ls -C -w 4` prints "a  b" for two one-letter
 *    names).
 *  - The space before the next column is filled from position p on: a tab (stops
 *    every 8) whenever a tab stop lies in (p + 1, next column], else a space.
 *  - A line length of 0 means no limit: one line, entries two spaces apart.
 *
 *     line length 30:   debian_version<TAB>mtab
 *                       group<TAB><TAB>os-release
 */

/** Tab stops of the terminal ls writes for (its default --tabsize). */
const TAB_STOP = 8;
/** Blanks between columns. */
const GAP = 2;
/** The narrowest column ls reckons with: one character and the gap. */
const MIN_WIDTH = 3;

/** What fills the line from column `from` to column `to`: tabs then spaces. */
export function columnGap(from: number, to: number, tabStop = TAB_STOP): string {
  let fill = '';
  let at = from;
  while (at < to) {
    const nextStop = (Math.floor(at / tabStop) + 1) * tabStop;
    if (tabStop > 0 && Math.floor(to / tabStop) > Math.floor((at + 1) / tabStop)) {
      fill += '\t';
      at = nextStop;
    } else {
      fill += ' ';
      at++;
    }
  }
  return fill;
}

/**
 * The widths ls reckons for `cols` columns: each column at least MIN_WIDTH, else its
 * longest entry plus the gap — no gap for column cols-1, even when the entries run out
 * before it. Also tells whether any column needed more than MIN_WIDTH.
 */
function reckonColumns(lengths: readonly number[], cols: number): { widths: number[]; grew: boolean } {
  const rows = Math.ceil(lengths.length / cols);
  const widths = new Array<number>(cols).fill(MIN_WIDTH);
  let grew = false;
  lengths.forEach((len, i) => {
    const col = Math.floor(i / rows);
    const need = len + (col === cols - 1 ? 0 : GAP);
    if (need > widths[col]) {
      widths[col] = need;
      grew = true;
    }
  });
  return { widths, grew };
}

/** The number of columns for -C: the most, up to ceil(lineLength / MIN_WIDTH), that fit. */
function columnCount(lengths: readonly number[], lineLength: number): number {
  const most = Math.min(lengths.length, Math.ceil(lineLength / MIN_WIDTH));
  for (let cols = most; cols > 1; cols--) {
    const { widths, grew } = reckonColumns(lengths, cols);
    if (!grew || widths.reduce((a, b) => a + b, 0) < lineLength) return cols;
  }
  return 1;
}

/** `ls -C`: the entries (already sorted and decorated) as lines of columns. */
export function manyPerLine(entries: readonly string[], lineLength: number, tabStop = TAB_STOP): string {
  if (entries.length === 0) return '';
  if (lineLength === 0) return entries.join(' '.repeat(GAP)) + '\n';
  const lengths = entries.map((e) => e.length);
  const cols = columnCount(lengths, lineLength);
  const rows = Math.ceil(entries.length / cols);
  const { widths } = reckonColumns(lengths, cols);
  let out = '';
  for (let r = 0; r < rows; r++) {
    let at = 0;
    let start = 0;
    for (let col = 0; col < widths.length; col++) {
      const i = col * rows + r;
      if (i >= entries.length) break;
      if (col > 0) out += columnGap(at, start, tabStop);
      out += entries[i];
      at = start + lengths[i];
      start += widths[col];
    }
    out += '\n';
  }
  return out;
}
