/**
 * Horizontal bar charts as inline SVG: rows of coloured segments on a linear axis, with a
 * legend, grid lines and tick labels. One shape serves every chart of the compare page —
 * a start-up timeline and a Gantt chart place segments at [start, end), stacked bars
 * place them end to end. Pure and deterministic: text widths are estimated from the
 * character count (no font metrics), ids come from the caller.
 *
 * Simplification: a label is drawn inside its segment only when its estimated width
 * fits; otherwise the segment's tooltip (<title>) and the legend name it.
 *
 *   legend ■ a  ■ b  ■ c
 *   heading
 *   row label   [██a██|█b█|██████c██████]  total
 *               0       10       20      30
 *                       axis caption
 */
import { escapeHtml } from './escape-html.js';
import { formatCount } from './format-quantity.js';

/** Width of every chart, in CSS px; the page scales it down on narrower screens. */
export const CHART_WIDTH_PX = 1100;

/**
 * A fixed categorical palette (Tableau 10), readable on white, assigned in order of
 * first appearance so the same report always gets the same colours.
 */
export const PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

const PAD = 16;
const ROW_H = 22;
const ROW_GAP = 8;
const HEADING_H = 26;
const AXIS_H = 44;
const LEGEND_ROW_H = 20;

export interface LegendItem {
  label: string;
  color: string;
}

/** One coloured stretch of a row, in the axis's base unit (ns, bytes). Invariant: start <= end. */
export interface BarSegment {
  start: number;
  end: number;
  color: string;
  /** Drawn inside the segment when it fits. */
  label: string;
  /** Shown on hover, and read by screen readers. */
  tooltip: string;
}

export interface BarRow {
  label: string;
  /** Smaller grey text after the label, e.g. the instance's kind. */
  note: string;
  segments: BarSegment[];
  /** Drawn right of the row's last segment, e.g. the total. */
  endLabel: string;
}

/** How an axis shows base-unit values: `value / divisor` followed by `unit`. */
export interface AxisSpec {
  unit: string;
  divisor: number;
  /** What the axis measures, shown under it with the unit, e.g. "time since start". */
  caption: string;
  /** Lowest value to show, in the base unit (0 for bars from zero). */
  lo: number;
}

/** A group of rows sharing one axis; a chart has one or more (one per workload). */
export interface BarBlock {
  heading: string;
  rows: BarRow[];
  axis: AxisSpec;
}

export interface BarChartSpec {
  /** Unique in the page; prefixes the chart's element ids. */
  id: string;
  title: string;
  desc: string;
  legend: LegendItem[];
  blocks: BarBlock[];
}

/**
 * Advance widths of printable ASCII (space to `~`) in DejaVu Sans, in hundredths of an
 * em, as Chromium measures them. DejaVu Sans is the widest of the usual sans-serif
 * fonts, so an estimate from it is safe for the narrower ones (Segoe UI, Helvetica).
 */
const ASCII_WIDTHS = (
  '32 40 46 84 64 95 78 27 39 39 50 84 32 36 32 34 64 64 64 64 64 64 64 64 64 64 34 34 84 84 84 53 ' +
  '100 68 69 70 77 63 58 77 75 29 29 66 56 86 75 79 60 79 69 63 61 73 68 99 69 61 69 39 34 39 84 50 ' +
  '50 61 63 55 63 62 35 63 63 28 28 58 28 97 63 61 63 63 41 52 39 63 59 82 59 59 52 64 34 64 84'
)
  .split(' ')
  .map(Number);

/** Estimated width of `text` in px at `fontPx`; bold glyphs are about 10% wider. */
export function textWidthPx(text: string, fontPx: number, bold = false): number {
  let hundredths = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    hundredths += code >= 32 && code < 127 ? ASCII_WIDTHS[code - 32] : 70;
  }
  return (hundredths / 100) * fontPx * (bold ? 1.1 : 1);
}

/** `text`, shortened with an ellipsis so that its estimated width stays within `maxPx`. */
export function fitText(text: string, maxPx: number, fontPx: number, bold = false): string {
  if (textWidthPx(text, fontPx, bold) <= maxPx) return text;
  const chars = [...text];
  while (chars.length > 1 && textWidthPx(`${chars.join('')}…`, fontPx, bold) > maxPx) chars.pop();
  return `${chars.join('')}…`;
}

/** Dark or white text, whichever reads better on `fill` (#rrggbb), by relative luminance. */
export function inkOn(fill: string): string {
  const channel = (i: number): number => {
    const c = parseInt(fill.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.35 ? '#1f2328' : '#ffffff';
}

/** Colours for `names` in order of first appearance, cycling through the palette. */
export function assignColors(names: Iterable<string>): Map<string, string> {
  const colors = new Map<string, string>();
  for (const name of names) {
    if (!colors.has(name)) colors.set(name, PALETTE[colors.size % PALETTE.length]);
  }
  return colors;
}

export interface Ticks {
  lo: number;
  hi: number;
  values: number[];
}

/** Round tick values (1, 2 or 5 × 10^k apart) covering [lo, hi], about `target` of them. */
export function niceTicks(lo: number, hi: number, target = 8): Ticks {
  const span = hi > lo ? hi - lo : Math.max(Math.abs(lo), 1);
  const rough = span / target;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(lo / step) * step;
  const last = Math.max(Math.ceil(hi / step) * step, first + step);
  const values: number[] = [];
  for (let i = 0; first + i * step <= last + step / 1e6; i++) values.push(Number((first + i * step).toPrecision(12)));
  return { lo: first, hi: last, values };
}

/** A tick value without float noise: `0.30000000000000004` → `"0.3"`, `2048` → `"2,048"`. */
export function formatTick(v: number): string {
  return Number.isInteger(v) ? formatCount(v) : String(Number(v.toPrecision(6)));
}

/** The legend as a wrapped row of swatches; returns its SVG and height. */
function renderLegend(items: LegendItem[], width: number): { svg: string; height: number } {
  if (items.length === 0) return { svg: '', height: 0 };
  const parts: string[] = [];
  let x = PAD;
  let y = PAD;
  for (const item of items) {
    const w = 18 + textWidthPx(item.label, 12) + 22;
    if (x + w > width - PAD && x > PAD) {
      x = PAD;
      y += LEGEND_ROW_H;
    }
    parts.push(
      `<g class="legend-item"><rect x="${x}" y="${y}" width="12" height="12" rx="2" fill="${item.color}"/>` +
        `<text class="legend-label" x="${x + 18}" y="${y + 10}">${escapeHtml(item.label)}</text></g>`,
    );
    x += w;
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: y + LEGEND_ROW_H - PAD + 10 };
}

interface Layout {
  plotX: number;
  plotW: number;
  labelW: number;
}

function layoutOf(blocks: BarBlock[]): Layout {
  const rows = blocks.flatMap((b) => b.rows);
  const labelW = Math.min(
    300,
    Math.max(90, ...rows.map((r) => textWidthPx(r.label, 13, true) + (r.note ? 8 + textWidthPx(r.note, 12) : 0))),
  );
  const endW = Math.max(0, ...rows.map((r) => (r.endLabel ? textWidthPx(r.endLabel, 12) + 14 : 0)));
  const plotX = PAD + labelW + 14;
  return { plotX, plotW: CHART_WIDTH_PX - plotX - endW - PAD, labelW };
}

function renderRowLabel(row: BarRow, y: number, labelW: number): string {
  const name = fitText(row.label, labelW, 13, true);
  const noteRoom = labelW - textWidthPx(name, 13, true) - 8;
  const note = row.note && noteRoom > 24 ? fitText(row.note, noteRoom, 12) : '';
  const noteSpan = note ? `<tspan class="row-note" dx="8">${escapeHtml(note)}</tspan>` : '';
  return `<text class="row-label" x="${PAD}" y="${y + ROW_H / 2 + 5}"><title>${escapeHtml(`${row.label} ${row.note}`.trim())}</title>${escapeHtml(name)}${noteSpan}</text>`;
}

function renderSegment(seg: BarSegment, x: (v: number) => number, y: number): string {
  const x0 = x(seg.start);
  const w = Math.max(x(seg.end) - x0, seg.end > seg.start ? 1 : 0);
  if (w <= 0) return '';
  const rect = `<rect class="seg" x="${r2(x0)}" y="${y}" width="${r2(w)}" height="${ROW_H}" fill="${seg.color}"><title>${escapeHtml(seg.tooltip)}</title></rect>`;
  const fits = seg.label !== '' && textWidthPx(seg.label, 11) + 8 <= w;
  const text = fits
    ? `<text class="seg-label" x="${r2(x0 + w / 2)}" y="${y + ROW_H / 2 + 4}" fill="${inkOn(seg.color)}">${escapeHtml(seg.label)}</text>`
    : '';
  return rect + text;
}

function renderAxis(ticks: Ticks, axis: AxisSpec, x: (v: number) => number, top: number, bottom: number, layout: Layout): string {
  const parts: string[] = [`<line class="axis-line" x1="${layout.plotX}" x2="${layout.plotX + layout.plotW}" y1="${bottom}" y2="${bottom}"/>`];
  for (const v of ticks.values) {
    const tx = r2(x(v * axis.divisor));
    parts.push(
      `<line class="grid" x1="${tx}" x2="${tx}" y1="${top}" y2="${bottom}"/>`,
      `<line class="tick-mark" x1="${tx}" x2="${tx}" y1="${bottom}" y2="${bottom + 4}"/>`,
      `<text class="tick" x="${tx}" y="${bottom + 17}">${formatTick(v)}</text>`,
    );
  }
  const caption = `${axis.caption} (${axis.unit})`;
  parts.push(`<text class="axis-caption" x="${r2(layout.plotX + layout.plotW / 2)}" y="${bottom + 35}">${escapeHtml(caption)}</text>`);
  return `<g class="axis">${parts.join('')}</g>`;
}

/** One block: heading, rows and axis, starting at `top`; returns its SVG and height. */
function renderBlock(block: BarBlock, top: number, layout: Layout): { svg: string; height: number } {
  const parts: string[] = [];
  let y = top;
  if (block.heading) {
    parts.push(`<text class="block-heading" x="${PAD}" y="${y + 16}">${escapeHtml(block.heading)}</text>`);
    y += HEADING_H;
  }
  const ends = block.rows.flatMap((r) => r.segments.map((s) => s.end));
  const ticks = niceTicks(block.axis.lo / block.axis.divisor, Math.max(block.axis.lo, ...ends) / block.axis.divisor);
  const lo = ticks.lo * block.axis.divisor;
  const span = (ticks.hi - ticks.lo) * block.axis.divisor;
  const x = (v: number): number => layout.plotX + ((v - lo) / span) * layout.plotW;
  const rowsTop = y;
  const rowParts: string[] = [];
  for (const row of block.rows) {
    rowParts.push(renderRowLabel(row, y, layout.labelW));
    rowParts.push(`<g class="bar">${row.segments.map((s) => renderSegment(s, x, y)).join('')}</g>`);
    if (row.endLabel) {
      const end = Math.max(lo, ...row.segments.map((s) => s.end));
      rowParts.push(`<text class="end-label" x="${r2(x(end) + 6)}" y="${y + ROW_H / 2 + 4}">${escapeHtml(row.endLabel)}</text>`);
    }
    y += ROW_H + ROW_GAP;
  }
  const bottom = y - ROW_GAP / 2;
  parts.push(renderAxis(ticks, block.axis, x, rowsTop - 4, bottom, layout), ...rowParts);
  return { svg: `<g class="block">${parts.join('')}</g>`, height: bottom + AXIS_H - top };
}

/** The chart as an accessible `<svg role="img">` with a <title> and <desc>. */
export function renderBarChart(spec: BarChartSpec): string {
  const legend = renderLegend(spec.legend, CHART_WIDTH_PX);
  const layout = layoutOf(spec.blocks);
  const blocks: string[] = [];
  let y = PAD + legend.height;
  for (const [i, block] of spec.blocks.entries()) {
    const b = renderBlock(block, y, layout);
    blocks.push(b.svg);
    y += b.height + (i < spec.blocks.length - 1 ? 18 : 0);
  }
  const height = Math.ceil(y + PAD / 2);
  return (
    `<svg class="chart" id="${spec.id}" role="img" aria-labelledby="${spec.id}-title ${spec.id}-desc" ` +
    `viewBox="0 0 ${CHART_WIDTH_PX} ${height}" width="${CHART_WIDTH_PX}" height="${height}">` +
    `<title id="${spec.id}-title">${escapeHtml(spec.title)}</title><desc id="${spec.id}-desc">${escapeHtml(spec.desc)}</desc>` +
    `${legend.svg}${blocks.join('')}</svg>`
  );
}

/** `v` rounded to two decimals, so that coordinates print short and the same everywhere. */
function r2(v: number): number {
  return Math.round(v * 100) / 100;
}
