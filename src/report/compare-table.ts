/**
 * `ctsim compare` on a terminal: per variant, one table row per metric and instance
 * (value with its unit, and the one-line "why" drawn from the counters), then the
 * scenario's claims, each marked as holding or not, with its source.
 */
import Table from 'cli-table3';
import type { CompareReport, VariantResult } from '../compare/report.js';
import { formatQuantity } from './format-quantity.js';

/** Text width the table is laid out for when the output is not a terminal (a file, a pipe). */
export const DEFAULT_WIDTH = 140;

export function renderCompareText(report: CompareReport, width = DEFAULT_WIDTH): string {
  const head = `ctsim compare: ${report.scenario.name} (${report.scenario.source}, seed ${report.seed})\n`;
  return head + report.variants.map((v) => renderVariant(v, report.variants.length > 1, width)).join('\n');
}

function renderVariant(v: VariantResult, labelled: boolean, width: number): string {
  const inst = Math.max(8, ...v.instances.map((i) => i.name.length)) + 2;
  const title = Math.min(34, Math.max(12, ...v.metrics.map((m) => m.title.length)) + 2);
  const value = 12;
  const why = Math.max(30, width - inst - title - value - 5);
  const table = new Table({
    head: ['Metric', 'Instance', 'Value', 'Why'],
    colWidths: [title, inst, value, why],
    colAligns: ['left', 'left', 'right', 'left'],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  let previous = '';
  for (const m of v.metrics) {
    const first = m.title !== previous;
    previous = m.title;
    table.push([first ? m.title : '', m.instance, formatQuantity(m.value, m.unit), m.why]);
  }
  const out: string[] = [];
  if (labelled) out.push(`\n${v.label} (seed ${v.seed})`);
  out.push(`\nInstances: ${v.instances.map((i) => `${i.name} (${i.detail})`).join('; ')}\n`);
  out.push(table.toString());
  if (v.checks.length > 0) {
    const held = v.checks.filter((c) => c.holds).length;
    out.push(`\nPublished findings: ${held} of ${v.checks.length} hold`);
    for (const c of v.checks) out.push(`  ${c.holds ? '✓' : '✗'} ${c.claim}: ${c.detail}\n      (${c.source})`);
  }
  return out.join('\n') + '\n';
}
