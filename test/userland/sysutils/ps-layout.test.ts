/**
 * ps-layout: the placement of ps(1) columns and the reading of -o lists, against
 * lines captured from procps-ng 4.0.2's ps (fixtures/ps-layout-real.json: each
 * column's text captured alone, then the whole line), and properties that hold
 * for any column list: text that fits sits at its nominal edge, and an overflow
 * is absorbed by the padding that follows it.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { layoutLine, parseFormatList, type Column } from '../../../src/userland/programs/sysutils/ps-layout.js';
import { SPECIFIERS } from '../../../src/userland/programs/sysutils/ps-format.js';
import { bootHost } from './sysutils-host.js';

interface Captured {
  layouts: { format: string; cells: string[]; real: string }[];
  screen: { format: string; cells: string[]; header: Record<string, string>; rowLength: Record<string, number> }[];
}
const captured: Captured = JSON.parse(readFileSync(new URL('./fixtures/ps-layout-real.json', import.meta.url), 'utf8'));
const PIPE_COLS = 131072;
const PID_WIDTH = 5;

function columns(format: string): Column[] {
  const cols = parseFormatList(format, PID_WIDTH);
  if (typeof cols === 'string') throw new Error(cols);
  return cols;
}

/** The header (when any header is non-empty) and one row, as ps prints them. */
function render(cols: Column[], cells: string[], screenCols = PIPE_COLS): string {
  const style = { screenCols, isHeader: true, numericIds: false };
  const header = cols.some((c) => c.header !== '') ? layoutLine(cols, cols.map((c) => ({ text: c.header })), style) + '\n' : '';
  return header + layoutLine(cols, cells.map((text) => ({ text })), { ...style, isHeader: false }) + '\n';
}

describe('lines captured from the real ps', () => {
  test.each(captured.layouts.map((c) => [c.format, c] as const))('-o %s', (_f, c) => {
    expect(render(columns(c.format), c.cells)).toBe(c.real);
  });

  test.each(captured.screen.map((s) => [s.format, s] as const))('--cols 1…45 -o %s: last-column room and header', (_f, s) => {
    const cols = columns(s.format);
    const full = render(cols, s.cells).split('\n')[1];
    for (const [n, header] of Object.entries(s.header)) {
      const [h, row] = render(cols, s.cells, Number(n)).split('\n');
      expect(h, `header at --cols ${n}`).toBe(header);
      expect(row.length, `row length at --cols ${n}`).toBe(s.rowLength[n]);
      expect(full.startsWith(row)).toBe(true);
    }
  });
});

describe('reading -o lists', () => {
  test.each([
    ['pid,,comm', 'improper format list'],
    [',pid', 'improper format list'],
    ['pid,,', 'improper format list'],
    ['foo', 'unknown user-defined format specifier "foo"'],
    ['=X', 'unknown user-defined format specifier ""'],
    ['pid:0', 'column widths must be unsigned decimal numbers'],
    ['pid:03', 'column widths must be unsigned decimal numbers'],
    ['foo:x', 'column widths must be unsigned decimal numbers'],
    ['DefBSD:3', 'can not set width for a macro (multi-column) format specifier'],
    ['%cpu,%CPU', 'improper AIX field descriptor'],
    ['foo,%X', 'improper AIX field descriptor'],
  ])('%s: %s', (list, message) => {
    expect(parseFormatList(list, PID_WIDTH)).toBe(message);
  });

  test('separators, widths, headers and macros', () => {
    const shape = (list: string): [string, string, number][] => columns(list).map((c) => [c.spec.name, c.header, c.width]);
    expect(shape('pid comm,')).toEqual([['pid', 'PID', 5], ['comm', 'COMMAND', 15]]);
    expect(shape('pid:3=X')).toEqual([['pid', 'X', 3]]);
    expect(shape('pid=X:3')).toEqual([['pid', 'X:3', 5]]);
    expect(shape('pid=PROCESS,user=')).toEqual([['pid', 'PROCESS', 7], ['user', '', 8]]);
    expect(shape('comm:5=LONGHEADER')).toEqual([['comm', 'LONGHEADER', 5]]);
    expect(shape('DefBSD=X').map(([n, h]) => `${n}=${h}`)).toEqual(['pid=X', 'tname=X', 'stat=X', 'bsdtime=X', 'args=X']);
  });
});

/** Specifiers whose text never carries its own padding or surprises (for the properties). */
const PLAIN = [...SPECIFIERS.values()].filter((s) => s.overflow !== 'command' || s.maxChars === Infinity).map((s) => s.name);

/** Specifiers whose too-wide text is printed whole (not cut, no `+`). */
const SPILL = PLAIN.filter((n) => SPECIFIERS.get(n)!.overflow === 'spill');

const columnArb = fc.record({ name: fc.constantFrom(...PLAIN), width: fc.integer({ min: 1, max: 20 }) });
const spillArb = fc.record({ name: fc.constantFrom(...SPILL), width: fc.integer({ min: 1, max: 20 }) });

describe('properties of the placement', () => {
  test('text that fits is aligned on its nominal edge, header and row alike', () => {
    fc.assert(
      fc.property(fc.array(columnArb, { minLength: 1, maxLength: 8 }), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }), (specs, fill) => {
        const cols: Column[] = specs.map(({ name, width }) => ({ spec: SPECIFIERS.get(name)!, header: 'H'.repeat(1 + (width % 3)).slice(0, width), width }));
        const texts = cols.map((c, i) => 'x'.repeat(Math.max(1, Math.floor(fill[i] * c.width))));
        for (const isHeader of [true, false]) {
          const cells = isHeader ? cols.map((c) => c.header) : texts;
          const line = layoutLine(cols, cells.map((text) => ({ text })), { screenCols: PIPE_COLS, isHeader, numericIds: false });
          let nominal = 0;
          cols.forEach((c, i) => {
            const start = c.spec.align === 'right' ? nominal + c.width - cells[i].length : nominal;
            expect(line.slice(start, start + cells[i].length)).toBe(cells[i]);
            nominal += c.width + 1;
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  test('one overflowing cell pushes the next ones right, and alignment recovers where there is room', () => {
    fc.assert(
      fc.property(fc.array(spillArb, { minLength: 2, maxLength: 8 }), fc.nat(), fc.integer({ min: 1, max: 12 }), (specs, which, extra) => {
        const cols: Column[] = specs.map(({ name, width }) => ({ spec: SPECIFIERS.get(name)!, header: 'H', width }));
        const k = which % (cols.length - 1);
        const texts = cols.map((c, i) => (i === k ? 'y'.repeat(c.width + extra) : 'x'));
        const line = layoutLine(cols, texts.map((text) => ({ text })), { screenCols: PIPE_COLS, isHeader: false, numericIds: false });
        // Every text appears, in order, separated by at least one space.
        let at = 0;
        let end = 0;
        let nominal = 0;
        cols.forEach((c, i) => {
          const found = line.indexOf(texts[i], at);
          expect(found).toBeGreaterThanOrEqual(i === 0 ? 0 : at + 1);
          const aimed = c.spec.align === 'right' ? nominal + Math.max(0, c.width - texts[i].length) : nominal;
          // Never left of where it is aimed; exactly there once the overflow has been absorbed.
          expect(found).toBeGreaterThanOrEqual(aimed);
          if (i > k && aimed >= end + 1) expect(found).toBe(aimed);
          at = found + texts[i].length;
          end = at;
          nominal += c.width + 1;
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('ps on a running system', () => {
  test('every -o list of default-width columns puts each header over its values', () => {
    const h = bootHost();
    h.start(['/usr/bin/stress', '--cpu', '1', '--fork', '1', '--timeout', '600s']);
    h.start(['/usr/bin/nice', '-n', '5', '/usr/bin/sleep', '500']);
    h.start(['/usr/bin/sleep', '500'], { uid: 1000, gid: 1000 });
    h.wait(2);
    // Columns whose values are one word that fits the default width on this host, and
    // whose header fits too (not addr_1: ADDR over one character).
    const multiWord = new Set(['args', 'cmd', 'command', 'lstart', 'start']);
    const names = [...SPECIFIERS.values()].filter((s) => !multiWord.has(s.name) && s.header.length <= (s.pidWidth ? 5 : s.width)).map((s) => s.name);
    const words = (line: string): [number, number][] => [...line.matchAll(/\S+/g)].map((m) => [m.index!, m.index! + m[0].length]);
    fc.assert(
      fc.property(fc.shuffledSubarray(names, { minLength: 1, maxLength: 8 }), (cols) => {
        const [header, ...rows] = h.run(['/usr/bin/ps', '-e', '-o', cols.join(',')]).stdout.trimEnd().split('\n');
        const heads = words(header);
        expect(heads).toHaveLength(cols.length);
        for (const row of rows) {
          const cells = words(row);
          expect(cells).toHaveLength(cols.length);
          cols.forEach((name, i) => {
            const edge = SPECIFIERS.get(name)!.align === 'right' ? 1 : 0;
            expect(cells[i][edge], `${name} in ${JSON.stringify(row)}`).toBe(heads[i][edge]);
          });
        }
      }),
      { numRuns: 40 },
    );
  });
});
