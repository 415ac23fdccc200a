import Table from 'cli-table3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderCompactTable, type CellAlign } from '../../src/report/compact-table.js';

/** What cli-table3 prints for the same cells in the compact style. */
function viaCliTable3(head: string[], rows: string[][], colAligns: CellAlign[]): string {
  const table = new Table({ head, colAligns, style: { head: [], border: [], compact: true } });
  for (const row of rows) table.push(row);
  return table.toString();
}

const cell = fc.oneof(
  fc.stringMatching(/^[\x20-\x7e]{0,12}$/),
  fc.constantFrom('', 'hit', 'miss', '-', 'LRU → MRU', 'first in → last in', '0,1,…', ' padded '),
);
const align = fc.constantFrom<CellAlign>('left', 'right', 'center');

describe('renderCompactTable', () => {
  it("prints cli-table3's bytes for one-line narrow cells, whatever the widths and alignments", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((cols) =>
          fc.tuple(fc.array(cell, { minLength: cols, maxLength: cols }), fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { maxLength: 8 }), fc.array(align, { maxLength: cols })),
        ),
        ([head, rows, colAligns]) => {
          expect(renderCompactTable(head, rows, colAligns)).toBe(viaCliTable3(head, rows, colAligns));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands other cells (wide characters, newlines, escapes, short rows) to cli-table3', () => {
    const cases: [string[], string[][]][] = [
      [['名前', 'x'], [['日本', '1']]],
      [['a', 'b'], [['two\nlines', '1']]],
      [['a', 'b'], [['\u001b[31mred\u001b[39m', '1']]],
      [['a', 'b', 'c'], [['1', '2']]],
    ];
    for (const [head, rows] of cases) expect(renderCompactTable(head, rows, ['left', 'right'])).toBe(viaCliTable3(head, rows, ['left', 'right']));
  });

  it('draws 10,000 rows in a fraction of a second (cli-table3 is quadratic in rows)', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [String(i), String(i * 7), 'hit']);
    const t0 = performance.now();
    const text = renderCompactTable(['#', 'Page', 'Hit/Miss'], rows, ['right', 'right', 'left']);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(text.split('\n')).toHaveLength(10_004);
  });
});
