/**
 * ss's table layout (iproute2 6.1 ss.c: columns[], render_calc_width, render):
 * every column is as wide as its widest field, the header included, plus its
 * left delimiter (one space for all but Netid, the two Port columns and
 * Process, which is why the header reads "Address:PortProcess"); the address
 * columns are right-aligned, the rest left-aligned, and a row is padded to the
 * full width (so rows end in spaces where Process is empty). A column that is
 * disabled (Netid with one protocol, State with one state) takes no room.
 *
 * Pure: rows in, text out.
 */

export type Column = 'netid' | 'state' | 'recvq' | 'sendq' | 'local' | 'lport' | 'peer' | 'pport' | 'process';

interface ColumnSpec {
  key: Column;
  header: string;
  ldelim: string;
  right: boolean;
}

const COLUMNS: ColumnSpec[] = [
  { key: 'netid', header: 'Netid', ldelim: '', right: false },
  { key: 'state', header: 'State', ldelim: ' ', right: false },
  { key: 'recvq', header: 'Recv-Q', ldelim: ' ', right: false },
  { key: 'sendq', header: 'Send-Q', ldelim: ' ', right: false },
  { key: 'local', header: 'Local Address:', ldelim: ' ', right: true },
  { key: 'lport', header: 'Port', ldelim: '', right: false },
  { key: 'peer', header: 'Peer Address:', ldelim: ' ', right: true },
  { key: 'pport', header: 'Port', ldelim: '', right: false },
  { key: 'process', header: 'Process', ldelim: '', right: false },
];

export type Row = Record<Column, string>;

/** The table as ss prints it; `disabled` columns are left out, `header` false is -H. */
export function renderTable(rows: Row[], disabled: ReadonlySet<Column>, header: boolean): string {
  const cols = COLUMNS.filter((c) => !disabled.has(c.key));
  const lines: Row[] = header ? [Object.fromEntries(COLUMNS.map((c) => [c.key, c.header])) as Row, ...rows] : rows;
  // First pass of render_calc_width: content width, plus the delimiter for all but the first non-empty column.
  const widths: number[] = [];
  let first = true;
  for (const c of cols) {
    const maxLen = Math.max(0, ...lines.map((r) => r[c.key].length));
    widths.push(!first && maxLen ? maxLen + c.ldelim.length : maxLen);
    if (maxLen) first = false;
  }
  let text = '';
  for (const r of lines) {
    let line = '';
    let started = false;
    cols.forEach((c, i) => {
      const w = widths[i];
      if (w === 0) return;
      let printed = 0;
      if (started) {
        line += c.ldelim;
        printed = c.ldelim.length;
      }
      started = true;
      const v = r[c.key];
      if (c.right) line += ' '.repeat(Math.max(0, w - printed - v.length)) + v;
      else line += v + ' '.repeat(Math.max(0, w - printed - v.length));
    });
    text += line + '\n';
  }
  return text;
}
