/**
 * The four charts of the compare page, as inline SVG: the start-up timeline (one bar per
 * instance, a segment per start-up step), memory per idle instance (stacked by kind),
 * CPU time by where it went (stacked per instance, one group per workload) and the
 * scheduling Gantt chart (one row per CPU). Data in, SVG text out.
 */
import type { CompareReport, CpuSplit, MemoryParts, VariantResult } from '../compare/report.js';
import { formatBytes, formatNs, timeAxisScale } from './format-quantity.js';
import { assignColors, renderBarChart, type BarBlock, type BarRow, type BarSegment, type LegendItem } from './svg-chart.js';

/** Colours shared by every variant of a report, so a step or a program keeps its colour across variants. */
export interface ChartColors {
  steps: Map<string, string>;
  slices: Map<string, string>;
}

export function chartColorsOf(report: CompareReport): ChartColors {
  const variants = report.variants;
  return {
    steps: assignColors(variants.flatMap((v) => v.instances.flatMap((i) => i.startup.steps.map((s) => s.name)))),
    slices: assignColors(variants.flatMap((v) => v.schedule.flatMap((lane) => lane.slices.map((s) => s.label)))),
  };
}

/** The kinds of MemoryParts in the order they are stacked, with their legend names and colours. */
const MEMORY_KINDS: readonly { key: keyof MemoryParts; label: string; color: string }[] = [
  { key: 'guestKernel', label: 'guest kernel', color: '#4e79a7' },
  { key: 'pageTables', label: 'page tables', color: '#f28e2b' },
  { key: 'pageCache', label: 'page cache', color: '#76b7b2' },
  { key: 'application', label: 'application', color: '#59a14f' },
  { key: 'vmm', label: 'VMM', color: '#b07aa1' },
  { key: 'untouched', label: 'reserved, untouched', color: '#bab0ac' },
];

/** The kinds of CpuSplit in the order they are stacked. */
const CPU_KINDS: readonly { key: keyof CpuSplit; label: string; color: string }[] = [
  { key: 'user', label: 'user', color: '#59a14f' },
  { key: 'kernel', label: 'kernel', color: '#4e79a7' },
  { key: 'vmm', label: 'VMM', color: '#b07aa1' },
  { key: 'translation', label: 'translation', color: '#e15759' },
];

function legendOf(names: Iterable<string>, colors: Map<string, string>): LegendItem[] {
  return [...new Set(names)].map((label) => ({ label, color: colors.get(label) ?? '#bab0ac' }));
}

/** Parts laid end to end from 0, zero parts left out. */
function stacked(parts: { label: string; color: string; value: number }[], format: (v: number) => string): BarSegment[] {
  const segments: BarSegment[] = [];
  let at = 0;
  for (const p of parts) {
    if (p.value <= 0) continue;
    segments.push({ start: at, end: at + p.value, color: p.color, label: p.label, tooltip: `${p.label}: ${format(p.value)}` });
    at += p.value;
  }
  return segments;
}

const MS = { unit: 'ms', divisor: 1e6 };
const MIB = { unit: 'MiB', divisor: 1024 ** 2 };

export function renderStartupChart(variant: VariantResult, id: string, colors: ChartColors): string {
  const rows: BarRow[] = variant.instances.map((inst) => ({
    label: inst.name,
    note: inst.kind,
    endLabel: formatNs(inst.startup.ns),
    segments: inst.startup.steps.map((s) => ({
      start: s.startNs,
      end: s.endNs,
      color: colors.steps.get(s.name) ?? '#bab0ac',
      label: s.name,
      tooltip: `${inst.name} ${s.name}: ${formatNs(s.endNs - s.startNs)} (from ${formatNs(s.startNs)} to ${formatNs(s.endNs)})`,
    })),
  }));
  const steps = variant.instances.flatMap((i) => i.startup.steps.map((s) => s.name));
  return renderBarChart({
    id,
    title: 'Start-up timeline',
    desc: `Simulated time from asking each instance to start to its first instruction, by step: ${variant.instances.map((i) => `${i.name} ${formatNs(i.startup.ns)}`).join(', ')}.`,
    legend: legendOf(steps, colors.steps),
    blocks: [{ heading: '', rows, axis: { ...MS, caption: 'time since the instance was asked to start', lo: 0 } }],
  });
}

export function renderMemoryChart(variant: VariantResult, id: string): string {
  const rows: BarRow[] = variant.instances.map((inst) => ({
    label: inst.name,
    note: inst.kind,
    endLabel: formatBytes(inst.memory.bytes),
    segments: stacked(
      MEMORY_KINDS.map((k) => ({ label: k.label, color: k.color, value: inst.memory.parts[k.key] })),
      formatBytes,
    ),
  }));
  return renderBarChart({
    id,
    title: 'Memory per idle instance',
    desc: `Host memory each idle instance costs, by kind: ${variant.instances.map((i) => `${i.name} ${formatBytes(i.memory.bytes)}`).join(', ')}.`,
    legend: MEMORY_KINDS.map((k) => ({ label: k.label, color: k.color })),
    blocks: [{ heading: '', rows, axis: { ...MIB, caption: 'host memory', lo: 0 } }],
  });
}

function cpuTotal(cpu: CpuSplit): number {
  return cpu.user + cpu.kernel + cpu.vmm + cpu.translation;
}

function cpuBlock(variant: VariantResult, workload: string): BarBlock {
  const rows: BarRow[] = [];
  let kind = '';
  for (const inst of variant.instances) {
    const w = inst.workloads.find((x) => x.name === workload);
    if (!w) continue;
    kind = w.kind;
    rows.push({
      label: inst.name,
      note: w.status === 0 ? inst.kind : `${inst.kind}, exit ${w.status}`,
      endLabel: formatNs(cpuTotal(w.cpu)),
      segments: stacked(
        CPU_KINDS.map((k) => ({ label: k.label, color: k.color, value: w.cpu[k.key] })),
        formatNs,
      ),
    });
  }
  const max = Math.max(0, ...rows.flatMap((r) => r.segments.map((s) => s.end)));
  const scale = timeAxisScale(max);
  return {
    heading: kind && kind !== workload ? `${workload} (${kind})` : workload,
    rows,
    axis: { unit: scale.unit, divisor: scale.divisor, caption: 'CPU time', lo: 0 },
  };
}

/** Workload names in order of first appearance over the variant's instances. */
export function workloadNamesOf(variant: VariantResult): string[] {
  return [...new Set(variant.instances.flatMap((i) => i.workloads.map((w) => w.name)))];
}

export function renderCpuChart(variant: VariantResult, id: string): string {
  const names = workloadNamesOf(variant);
  return renderBarChart({
    id,
    title: 'CPU time by where it went',
    desc: `For each workload (${names.join(', ')}), the CPU time of each instance split into user, kernel, VMM and binary-translation time.`,
    legend: CPU_KINDS.map((k) => ({ label: k.label, color: k.color })),
    blocks: names.map((name) => cpuBlock(variant, name)),
  });
}

export function renderScheduleChart(variant: VariantResult, id: string, colors: ChartColors): string {
  const slices = variant.schedule.flatMap((lane) => lane.slices);
  const t0 = Math.min(...slices.map((s) => s.startNs), Infinity);
  const origin = Number.isFinite(t0) ? t0 : 0;
  const span = Math.max(0, ...slices.map((s) => s.endNs - origin));
  const scale = timeAxisScale(span);
  const rows: BarRow[] = variant.schedule.map((lane) => ({
    label: lane.machine,
    note: `cpu${lane.cpu}`,
    endLabel: '',
    segments: lane.slices.map((s) => ({
      start: s.startNs - origin,
      end: s.endNs - origin,
      color: colors.slices.get(s.label) ?? '#bab0ac',
      label: s.label,
      tooltip: `${lane.machine} cpu${lane.cpu}: ${s.label}, ${formatNs(s.endNs - s.startNs)} (from ${formatNs(s.startNs)} to ${formatNs(s.endNs)})`,
    })),
  }));
  const caption = origin === 0 ? 'simulated time' : `simulated time since ${formatNs(origin)}`;
  return renderBarChart({
    id,
    title: 'Scheduling',
    desc: `What each CPU ran over the window, one row per machine and CPU (${variant.schedule.length} CPUs, ${slices.length} slices); idle time is left blank.`,
    legend: legendOf(slices.map((s) => s.label), colors.slices),
    blocks: [{ heading: '', rows, axis: { unit: scale.unit, divisor: scale.divisor, caption, lo: 0 } }],
  });
}
