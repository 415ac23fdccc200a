/**
 * `ctsim compare --html FILE`: the report as one self-contained HTML page — inline CSS and
 * inline SVG, no script, nothing fetched from the network — so it can be mailed, archived
 * or opened from a CI artifact as it is. Every text from the report is escaped. Pure and
 * deterministic: the same report gives the same bytes (no dates, ids from positions).
 *
 *   header (scenario, source, sha256, seed, ctsim)
 *   [variant tabs]          one radio button per variant; CSS shows the checked one
 *   per variant: instances · metrics · start-up · memory · CPU · scheduling ·
 *                isolation facts · namespace and cgroup trees
 */
import type { CompareReport, CompareSummary, InstanceKind, InstanceResult, Metric, TreeNode, VariantResult } from '../compare/report.js';
import {
  chartColorsOf,
  renderCpuChart,
  renderMemoryChart,
  renderScheduleChart,
  renderStartupChart,
  workloadNamesOf,
  type ChartColors,
} from './compare-charts.js';
import { COMPARE_PAGE_CSS, variantTabRules } from './compare-html-style.js';
import { escapeHtml as esc } from './escape-html.js';
import { formatBytes, formatCount, formatNs, formatQuantity, formatSpread } from './format-quantity.js';

function kindBadge(kind: InstanceKind): string {
  return `<span class="kind kind-${kind}">${esc(kind)}</span>`;
}

function table(head: string[], numeric: boolean[], rows: string[]): string {
  const ths = head.map((h, i) => `<th${numeric[i] ? ' class="num"' : ''} scope="col">${esc(h)}</th>`).join('');
  return `<table><thead><tr>${ths}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function card(title: string, hint: string, body: string): string {
  const h = hint ? `<p class="hint">${esc(hint)}</p>` : '';
  return `<section class="card"><h3>${esc(title)}</h3>${h}${body}</section>`;
}

function renderHeader(report: CompareReport): string {
  const s = report.scenario;
  const facts: [string, string][] = [
    ['Source', `<code>${esc(s.source)}</code>`],
    ['sha256', `<code>${esc(s.sha256)}</code>`],
    ['Seed', esc(String(report.seed))],
    ['Version', esc(report.ctsim)],
    [report.summary ? 'Runs' : 'Variants', esc(String(report.variants.length))],
  ];
  const dl = facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${v}</dd>`).join('');
  return (
    `<header class="page-header"><h1><span class="tool">ctsim compare:</span> ${esc(s.name)}</h1>` +
    `<dl class="meta">${dl}</dl></header>`
  );
}

function renderInstances(variant: VariantResult): string {
  const rows = variant.instances.map(
    (i) =>
      `<tr><td><strong>${esc(i.name)}</strong></td><td>${kindBadge(i.kind)}</td><td>${esc(i.host)}</td><td>${esc(i.detail)}</td>` +
      `<td class="num">${esc(formatNs(i.startup.ns))}</td><td class="num">${esc(formatBytes(i.memory.bytes))}</td>` +
      `<td class="num">${esc(formatCount(i.density))}</td></tr>`,
  );
  return card(
    'Instances',
    '',
    table(['Instance', 'Kind', 'Host', 'Detail', 'Start-up', 'Memory (idle)', 'Density'], [false, false, false, false, true, true, true], rows),
  );
}

/** The metrics table; a metric's title is written once, on the first of its rows. */
function renderMetrics(metrics: Metric[]): string {
  let previous = '';
  const rows = metrics.map((m) => {
    const key = `${m.id}\u0000${m.title}`;
    const first = key !== previous;
    previous = key;
    return (
      `<tr${first ? ' class="group-start"' : ''}><td class="metric-title">${first ? esc(m.title) : ''}</td>` +
      `<td>${esc(m.instance)}</td><td class="num">${esc(formatQuantity(m.value, m.unit))}</td><td class="why">${esc(m.why)}</td></tr>`
    );
  });
  return card(
    'Metrics',
    'Every number is simulated; "why" names the counters it comes from.',
    table(['Metric', 'Instance', 'Value', 'Why'], [false, false, true, false], rows),
  );
}

/** The scenario's claims and whether this run bears each out. */
function renderChecks(checks: VariantResult['checks']): string {
  if (checks.length === 0) return '';
  const rows = checks.map(
    (c) =>
      `<tr><td class="${c.holds ? 'holds' : 'fails'}">${c.holds ? '✓ holds' : '✗ fails'}</td><td>${esc(c.claim)}</td><td>${esc(c.detail)}</td><td class="why">${esc(c.source)}</td></tr>`,
  );
  const failed = checks.filter((c) => !c.holds).length;
  return card(
    'Published findings',
    failed === 0 ? `All ${checks.length} claims of the scenario hold in this run.` : `${failed} of ${checks.length} claims do not hold in this run.`,
    table(['', 'Claim', 'Measured', 'Source'], [false, false, false, false], rows),
  );
}

function chartCard(title: string, hint: string, svg: string): string {
  return `<figure class="card chart-card"><h3>${esc(title)}</h3>${hint ? `<p class="hint">${esc(hint)}</p>` : ''}${svg}</figure>`;
}

function renderCharts(variant: VariantResult, prefix: string, colors: ChartColors): string {
  const parts = [
    chartCard('Start-up timeline', 'From asking the instance to start to its first instruction, by step.', renderStartupChart(variant, `${prefix}-startup`, colors)),
    chartCard('Memory per idle instance', 'What one idle instance costs its host, by kind.', renderMemoryChart(variant, `${prefix}-memory`)),
  ];
  parts.push(
    workloadNamesOf(variant).length > 0
      ? chartCard('CPU time by where it went', 'Per workload: user, kernel, VMM and binary-translation time of each instance.', renderCpuChart(variant, `${prefix}-cpu`))
      : card('CPU time by where it went', 'No workload ran in this variant.', ''),
  );
  parts.push(
    variant.schedule.some((lane) => lane.slices.length > 0)
      ? chartCard('Scheduling', 'What each CPU ran; idle time is left blank.', renderScheduleChart(variant, `${prefix}-schedule`, colors))
      : card('Scheduling', 'No CPU ran anything in the recorded window.', ''),
  );
  return parts.join('');
}

function renderIsolation(instances: InstanceResult[]): string {
  const rows = instances.map((i) => {
    const f = i.isolation;
    return (
      `<tr><td><strong>${esc(i.name)}</strong></td><td>${kindBadge(i.kind)}</td><td class="num">${esc(formatCount(f.processes))}</td>` +
      `<td><code>${esc(f.hostname)}</code></td><td>${esc(f.netDevices.join(', ') || '—')}</td><td class="num">${esc(formatCount(f.mounts))}</td>` +
      `<td>${f.sharedKernel ? 'shared with the host' : 'its own'}</td><td>${esc(f.ownNamespaces.join(', ') || 'none (the host’s)')}</td></tr>`
    );
  });
  return card(
    'Isolation',
    'What a process inside each instance can see of the machine.',
    table(
      ['Instance', 'Kind', 'Processes', 'Hostname', 'Network devices', 'Mounts', 'Kernel', 'Own namespaces'],
      [false, false, true, false, false, true, false, false],
      rows,
    ),
  );
}

function renderTreeNode(node: TreeNode): string {
  const children = node.children.length > 0 ? `<ul>${node.children.map(renderTreeNode).join('')}</ul>` : '';
  return `<li><code>${esc(node.label)}</code>${children}</li>`;
}

function renderTrees(trees: VariantResult['trees']): string {
  const tree = (title: string, root: TreeNode): string =>
    `<div><h3>${esc(title)}</h3><ul class="tree">${renderTreeNode(root)}</ul></div>`;
  return `<section class="card trees">${tree('Namespaces', trees.namespaces)}${tree('Cgroups', trees.cgroups)}</section>`;
}

function renderVariant(variant: VariantResult, index: number, only: boolean, colors: ChartColors): string {
  const prefix = `v${index}`;
  return (
    `<section class="variant${only ? ' only' : ''}" id="variant-${index}" aria-labelledby="variant-${index}-h">` +
    `<div class="variant-head"><h2 id="variant-${index}-h">${esc(variant.label)}</h2><span class="seed">seed ${esc(String(variant.seed))}</span></div>` +
    renderInstances(variant) +
    renderMetrics(variant.metrics) +
    renderChecks(variant.checks) +
    renderCharts(variant, prefix, colors) +
    renderIsolation(variant.instances) +
    renderTrees(variant.trees) +
    `</section>`
  );
}

/** One radio button per variant (per run when repeated: its label and seed), then the tab strip; the first is shown. */
function renderVariantTabs(variants: VariantResult[], repeated: boolean): string {
  const name = (v: VariantResult): string => (repeated ? `${v.label} · seed ${v.seed}` : v.label);
  const radios = variants
    .map((v, i) => `<input type="radio" class="variant-radio" name="variant" id="variant-radio-${i}" aria-label="${esc(`${repeated ? 'run' : 'variant'} ${name(v)}`)}"${i === 0 ? ' checked' : ''}>`)
    .join('');
  const labels = variants.map((v, i) => `<label for="variant-radio-${i}">${esc(name(v))}</label>`).join('');
  return `${radios}<nav class="variant-tabs" aria-label="${repeated ? 'Runs' : 'Variants'}"><span class="tabs-title">${repeated ? 'Run' : 'Variant'}</span>${labels}</nav>`;
}

/** With `--repeat N`: per variant, metric and instance, the mean ± 95% confidence interval over its runs. */
function renderSummary(summary: CompareSummary): string {
  const rows = summary.variants.flatMap((v) =>
    v.metrics.map(
      (m, i) =>
        `<tr${i === 0 ? ' class="group-start"' : ''}><td>${i === 0 ? esc(v.label) : ''}</td><td class="metric-title">${esc(m.title)}</td><td>${esc(m.instance)}</td>` +
        `<td class="num">${esc(`${formatQuantity(m.mean, m.unit)} ± ${formatSpread(m.ci95, m.unit)}`)}</td>` +
        `<td class="num">${esc(`${formatQuantity(m.min, m.unit)} – ${formatQuantity(m.max, m.unit)}`)}</td><td class="num">${esc(String(m.n))}</td></tr>`,
    ),
  );
  return card(
    `Summary over ${summary.repeat} runs per variant`,
    'Mean ± half-width of the 95% confidence interval (Student t, n − 1 degrees of freedom). The simulation is deterministic: runs differ only through their seeds.',
    table(['Variant', 'Metric', 'Instance', 'Mean ± 95% CI', 'Min – max', 'Runs'], [false, false, false, true, true, true], rows),
  );
}

/** The whole page for `report`: a complete HTML document, UTF-8, with no external resources. */
export function renderCompareHtml(report: CompareReport): string {
  const colors = chartColorsOf(report);
  const several = report.variants.length > 1;
  const tabs = several ? renderVariantTabs(report.variants, report.summary !== undefined) : '';
  const variants = report.variants.map((v, i) => renderVariant(v, i, !several, colors)).join('\n');
  const css = several ? `${COMPARE_PAGE_CSS}${variantTabRules(report.variants.length)}\n` : COMPARE_PAGE_CSS;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${esc(report.ctsim)}">`,
    `<title>ctsim compare: ${esc(report.scenario.name)}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    renderHeader(report),
    `<main>${report.summary ? renderSummary(report.summary) : ''}${tabs}${variants}</main>`,
    `<footer>${esc(report.ctsim)} · scenario ${esc(report.scenario.name)} · seed ${esc(String(report.seed))} · every number is simulated</footer>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
