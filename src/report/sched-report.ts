/**
 * Text rendering of a scheduling run (`ctsim sched`): the echo of the policy and its
 * parameters, a table of per-job metrics with their averages, and a Gantt chart with
 * one row per job. Pure: data in, text out; the same result always gives the same
 * bytes (no colour, no terminal width).
 */
import type { AnySchedResult, Slice } from '../teach/sched/index.js';
import { renderCompactTable } from './compact-table.js';

/** Width the Gantt chart's time axis is scaled to fit, in columns. */
export const GANTT_MAX_COLUMNS = 72;

/**
 * Formats `x` with two decimals as C's printf("%.2f") and Python's "%.2f" do: the
 * exact binary value is rounded, and an exact tie goes to the even digit (0.125 →
 * "0.12", where JavaScript's toFixed gives "0.13"). This is how OSTEP's scripts print
 * their averages, so ctsim's table reads the same.
 */
export function formatTwoDecimals(x: number): string {
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 3);
  if (/^50*$/.test(rest)) {
    // An exact tie: keep the truncated value if its last digit is even, else round up.
    const truncated = exact.slice(0, dot + 3);
    const lastDigit = Number(truncated[truncated.length - 1]);
    const magnitude = lastDigit % 2 === 0 ? Number(truncated) : Number(truncated) + 0.01;
    return (x < 0 ? '-' : '') + magnitude.toFixed(2);
  }
  return x.toFixed(2);
}

/** What the header echoes besides the result itself. */
export interface SchedRunInfo {
  /** ctsim's version, echoed so that a pasted output says what produced it. */
  version: string;
  /** The seed, when the run drew random numbers (lottery draws, random jobs). */
  seed?: number;
  /** True when the job list was drawn at random rather than given. */
  jobsRandom?: boolean;
}

const POLICY_TITLES: Record<AnySchedResult['policy'], string> = {
  fifo: 'first in, first out',
  sjf: 'shortest job first',
  rr: 'round robin',
  mlfq: 'multi-level feedback queue',
  lottery: 'lottery',
  cfs: 'Linux CFS model',
};

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** The parameters of `result` in words, e.g. `quantum 5 ticks`. */
export function describeSchedParams(result: AnySchedResult): string {
  switch (result.policy) {
    case 'fifo':
    case 'sjf':
      return 'no parameters';
    case 'rr':
      return `quantum ${plural(result.params.quantumTicks, 'tick')}`;
    case 'lottery':
      return `quantum ${plural(result.params.quantumTicks, 'tick')}, tickets ${result.params.tickets.join(',')}`;
    case 'cfs':
      return (
        `latency ${plural(result.params.latencyTicks, 'tick')}, ` +
        `min granularity ${plural(result.params.minGranularityTicks, 'tick')}, ` +
        `nice ${result.params.nice.join(',')} (1 tick = 1 ms)`
      );
    case 'mlfq': {
      const p = result.params;
      return (
        `${plural(p.queues, 'queue')}, quanta ${p.quantaTicks.join(',')} ticks and allotments ` +
        `${p.allotments.join(',')} (highest priority first), ` +
        `boost ${p.boostTicks > 0 ? `every ${plural(p.boostTicks, 'tick')}` : 'off'}, ` +
        `I/O time ${plural(p.ioTimeTicks, 'tick')}, ` +
        `stay-after-io ${p.stayAfterIo ? 'on' : 'off'}, io-bump ${p.ioBump ? 'on' : 'off'}`
      );
    }
  }
}

/** The job list as it would be typed to reproduce the run. */
export function describeSchedJobs(result: AnySchedResult): string {
  if (result.policy === 'mlfq') {
    return `jobs (start,run,ioFreq ticks): ${result.jobs.map((j) => `${j.start},${j.length},${j.ioFreq}`).join(':')}`;
  }
  return `jobs (ticks): ${result.jobs.map((j) => j.length).join(',')}`;
}

/** The echo of the run: policy, parameters, jobs and seed. Ends with a newline. */
export function renderSchedHeader(result: AnySchedResult, info: SchedRunInfo): string {
  let text = `ctsim ${info.version} sched: policy ${result.policy} (${POLICY_TITLES[result.policy]}), ${describeSchedParams(result)}\n`;
  text += describeSchedJobs(result);
  if (info.jobsRandom) text += ` (drawn at random: give --jobs to choose them)`;
  text += '\n';
  if (info.seed !== undefined) text += `seed: ${info.seed}\n`;
  return text;
}

/** The per-job metrics table with a final row of averages. Ends with a newline. */
export function renderSchedTable(result: AnySchedResult): string {
  const head = ['Job'];
  if (result.policy === 'mlfq') head.push('Start', 'Length', 'I/O every', 'First run', 'End', 'I/O ticks');
  else head.push('Length');
  if (result.policy === 'lottery') head.push('Tickets');
  if (result.policy === 'cfs') head.push('Nice', 'Weight');
  head.push('Response', 'Turnaround', 'Wait');

  const rows = tableRows(result);
  const a = result.averages;
  const blanks = head.length - 4;
  rows.push(['Average', ...new Array<string>(blanks).fill(''), formatTwoDecimals(a.response), formatTwoDecimals(a.turnaround), formatTwoDecimals(a.wait)]);
  return renderCompactTable(head, rows, head.map((_, i) => (i === 0 ? 'left' : 'right'))) + '\n';
}

function tableRows(result: AnySchedResult): string[][] {
  const metrics = (j: { response: number; turnaround: number; wait: number }): string[] => [
    String(j.response),
    String(j.turnaround),
    String(j.wait),
  ];
  switch (result.policy) {
    case 'mlfq':
      return result.jobs.map((j) => [
        String(j.job),
        String(j.start),
        String(j.length),
        j.ioFreq > 0 ? String(j.ioFreq) : 'never',
        String(j.firstRun),
        String(j.end),
        String(j.ioTicks),
        ...metrics(j),
      ]);
    case 'lottery':
      return result.jobs.map((j) => [String(j.job), String(j.length), String(j.tickets), ...metrics(j)]);
    case 'cfs':
      return result.jobs.map((j) => [String(j.job), String(j.length), String(j.nice), String(j.weight), ...metrics(j)]);
    default:
      return result.jobs.map((j) => [String(j.job), String(j.length), ...metrics(j)]);
  }
}

/** One row of the Gantt chart: a job and the interval in which it was in the system. */
export interface GanttRow {
  job: number;
  /** Tick at which the job arrived. */
  arrival: number;
  /** Tick at which the job completed. */
  end: number;
}

/** Everything the Gantt chart needs, independent of the policy. */
export interface GanttInput {
  /** Tick at which the last job completes; the axis runs from 0 to here. */
  makespan: number;
  rows: GanttRow[];
  slices: readonly Slice[];
  /** Intervals in which jobs were blocked in I/O (MLFQ only). */
  io?: readonly Slice[];
}

/** Ticks per column so that `makespan` ticks fit in `maxColumns` columns (at least 1). */
export function ganttScale(makespan: number, maxColumns = GANTT_MAX_COLUMNS): number {
  return Math.max(1, Math.ceil(makespan / maxColumns));
}

/** Adds, for each column, how many ticks of [start, start+duration) fall in it. */
function addCoverage(cover: number[], start: number, duration: number, scale: number): void {
  let t = start;
  const end = start + duration;
  while (t < end) {
    const col = Math.floor(t / scale);
    const colEnd = Math.min((col + 1) * scale, end);
    cover[col] += colEnd - t;
    t = colEnd;
  }
}

/**
 * The Gantt chart: a time axis scaled to fit `maxColumns` columns, one row per job,
 * and a legend of the scale and symbols. Ends with a newline.
 *
 *   time    0         10        20
 *           |---------|---------|----
 *   job 0   ##########..........
 */
export function renderGantt(input: GanttInput, maxColumns = GANTT_MAX_COLUMNS): string {
  const scale = ganttScale(input.makespan, maxColumns);
  const columns = Math.ceil(input.makespan / scale);
  const columnTicks = (col: number): number => Math.min((col + 1) * scale, input.makespan) - col * scale;
  const labels = input.rows.map((r) => `job ${r.job}`);
  const labelWidth = Math.max(4, ...labels.map((l) => l.length)) + 2;

  const run = new Map<number, number[]>();
  const blocked = new Map<number, number[]>();
  for (const r of input.rows) {
    run.set(r.job, new Array<number>(columns).fill(0));
    blocked.set(r.job, new Array<number>(columns).fill(0));
  }
  for (const s of input.slices) addCoverage(run.get(s.job)!, s.start, s.duration, scale);
  for (const s of input.io ?? []) addCoverage(blocked.get(s.job)!, s.start, s.duration, scale);

  let usedPartial = false;
  let usedIo = false;
  const lines: string[] = [];
  const unit = scale === 1 ? 'tick' : 'ticks';
  lines.push(`Gantt chart: 1 column = ${scale} ${unit}, makespan ${plural(input.makespan, 'tick')}`);

  let axisLabels = '';
  let ruler = '';
  for (let col = 0; col <= columns; col++) {
    if (col % 10 === 0) {
      const label = String(col * scale);
      axisLabels = axisLabels.padEnd(col) + label;
      ruler += '|';
    } else if (col === columns) {
      ruler += ruler.endsWith('|') ? '' : '|'; // the end of the run, unless a label mark is there
    } else {
      ruler += '-';
    }
  }
  lines.push('time'.padEnd(labelWidth) + axisLabels);
  lines.push(''.padEnd(labelWidth) + ruler);

  input.rows.forEach((r, i) => {
    const ran = run.get(r.job)!;
    const io = blocked.get(r.job)!;
    let cells = '';
    for (let col = 0; col < columns; col++) {
      const from = col * scale;
      const to = from + columnTicks(col);
      const present = r.arrival < to && r.end > from;
      if (ran[col] > 0 && ran[col] === columnTicks(col)) cells += '#';
      else if (ran[col] > 0) {
        cells += '+';
        usedPartial = true;
      } else if (io[col] > 0) {
        cells += '~';
        usedIo = true;
      } else cells += present ? '.' : ' ';
    }
    lines.push((labels[i].padEnd(labelWidth) + cells).trimEnd());
  });

  let legend = 'legend: # running';
  if (usedPartial) legend += ', + running part of the column';
  legend += ', . ready (waiting)';
  if (usedIo) legend += ', ~ blocked in I/O';
  legend += ', blank: not arrived or done';
  lines.push(legend);
  return lines.join('\n') + '\n';
}

/** The Gantt input of a scheduling result. */
export function ganttInputOf(result: AnySchedResult): GanttInput {
  const rows: GanttRow[] =
    result.policy === 'mlfq'
      ? result.jobs.map((j) => ({ job: j.job, arrival: j.start, end: j.end }))
      : result.jobs.map((j) => ({ job: j.job, arrival: 0, end: j.turnaround }));
  return {
    makespan: result.makespan,
    rows,
    slices: result.slices,
    io: result.policy === 'mlfq' ? result.io : undefined,
  };
}

/** The whole text report: header, metrics table and Gantt chart. */
export function renderSchedReport(result: AnySchedResult, info: SchedRunInfo): string {
  return [renderSchedHeader(result, info), renderSchedTable(result), renderGantt(ganttInputOf(result))].join('\n');
}
