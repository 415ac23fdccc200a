/**
 * `ctsim compare` on a terminal: per variant, one table row per metric and instance
 * (value with its unit, and the one-line "why" drawn from the counters), then the
 * scenario's claims, each marked as holding or not, with its source. When each variant
 * ran several times (`--repeat N`), one table per variant instead of one per run: the
 * mean ± the half-width of its 95 % confidence interval, the why of the first run, and
 * how many of the runs bore out each claim.
 */
import Table from 'cli-table3';
import type { CompareReport, VariantResult, VariantSummary } from '../compare/report.js';
import { formatQuantity, formatSpread } from './format-quantity.js';

/** Text width the table is laid out for when the output is not a terminal (a file, a pipe). */
export const DEFAULT_WIDTH = 140;

export function renderCompareText(report: CompareReport, width = DEFAULT_WIDTH): string {
  const head = `ctsim compare: ${report.scenario.name} (${report.scenario.source}, seed ${report.seed})\n`;
  const summary = report.summary;
  if (summary) return head + summary.variants.map((v) => renderSummary(v, report.variants.find((r) => r.label === v.label)!, width)).join('\n');
  return head + report.variants.map((v) => renderVariant(v, report.variants.length > 1, width)).join('\n');
}

interface Row {
  title: string;
  instance: string;
  value: string;
  why: string;
}

/** The metric table of a variant's instances: a title is written once, on the first of its rows. */
function metricTable(v: VariantResult, rows: Row[], valueWidth: number, width: number): string {
  const inst = Math.max(8, ...v.instances.map((i) => i.name.length)) + 2;
  const title = Math.min(34, Math.max(12, ...rows.map((r) => r.title.length)) + 2);
  const why = Math.max(30, width - inst - title - valueWidth - 5);
  const table = new Table({
    head: ['Metric', 'Instance', 'Value', 'Why'],
    colWidths: [title, inst, valueWidth, why],
    colAligns: ['left', 'left', 'right', 'left'],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  let previous = '';
  for (const r of rows) {
    const first = r.title !== previous;
    previous = r.title;
    table.push([first ? r.title : '', r.instance, r.value, r.why]);
  }
  return table.toString();
}

function instancesLine(v: VariantResult): string {
  return `\nInstances: ${v.instances.map((i) => `${i.name} (${i.detail})`).join('; ')}\n`;
}

function renderVariant(v: VariantResult, labelled: boolean, width: number): string {
  const out: string[] = [];
  if (labelled) out.push(`\n${v.label} (seed ${v.seed})`);
  out.push(instancesLine(v));
  out.push(metricTable(v, v.metrics.map((m) => ({ title: m.title, instance: m.instance, value: formatQuantity(m.value, m.unit), why: m.why })), 12, width));
  if (v.checks.length > 0) {
    const held = v.checks.filter((c) => c.holds).length;
    out.push(`\nPublished findings: ${held} of ${v.checks.length} hold`);
    for (const c of v.checks) out.push(`  ${c.holds ? '✓' : '✗'} ${c.claim}: ${c.detail}\n      (${c.source})`);
  }
  return out.join('\n') + '\n';
}

/** One variant over its runs: mean ± ci95 per metric, the why of `first` (its first run), claims counted over the runs. */
function renderSummary(v: VariantSummary, first: VariantResult, width: number): string {
  const n = v.seeds.length;
  const out = [`\n${v.label} (${n} runs, seeds ${v.seeds[0]}–${v.seeds[n - 1]}; mean ± 95% confidence interval)`, instancesLine(first)];
  const why = new Map(first.metrics.map((m) => [`${m.id}\u0000${m.instance}`, m.why]));
  const rows = v.metrics.map((m) => ({
    title: m.title,
    instance: m.instance,
    value: `${formatQuantity(m.mean, m.unit)} ± ${formatSpread(m.ci95, m.unit)}`,
    why: `${why.get(`${m.id}\u0000${m.instance}`) ?? ''}${m.min === m.max ? '' : ` (runs: ${formatQuantity(m.min, m.unit)} to ${formatQuantity(m.max, m.unit)})`}`,
  }));
  out.push(metricTable(first, rows, 22, width));
  if (v.checks.length > 0) {
    const always = v.checks.filter((c) => c.held === c.runs).length;
    out.push(`\nPublished findings, checked on every run: ${always} of ${v.checks.length} hold in all ${n} runs`);
    for (const c of v.checks) out.push(`  ${c.held === c.runs ? '✓' : '✗'} ${c.claim}: held in ${c.held} of ${c.runs} runs\n      (${c.source})`);
  }
  return out.join('\n') + '\n';
}
