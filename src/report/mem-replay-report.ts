/**
 * Text rendering of a page-replacement replay (`ctsim mem replay`): the echo of the
 * policy, frames and trace, a table with one row per access (hit or miss, the page
 * evicted, the resident pages in the policy's order) and the totals. Pure: data in,
 * text out; the same result always gives the same bytes.
 */
import type { PageTrace, ReplacementPolicy, ReplayResult, ReplayTotals } from '../teach/mem/index.js';
import { renderCompactTable } from './compact-table.js';
import { formatTwoDecimals } from './sched-report.js';

/** What the header echoes besides the result itself. */
export interface ReplayRunInfo {
  version: string;
  /** The trace, to echo it (at most TRACE_ECHO_MAX entries are printed). */
  trace: PageTrace;
  /** The seed, when the run drew random numbers (RAND victims, a random trace). */
  seed?: number;
  /** True when the trace was drawn at random rather than given. */
  traceRandom?: boolean;
  /** The file the trace came from, if any. */
  traceFile?: string;
}

/** Trace entries echoed in the header at most. */
export const TRACE_ECHO_MAX = 40;

const POLICY_TITLES: Record<ReplacementPolicy, string> = {
  fifo: 'first in, first out',
  lru: 'least recently used',
  opt: "optimal: Belady's MIN, evicts the page used furthest in the future",
  unopt: 'the opposite of optimal: evicts the page used soonest',
  mru: 'most recently used',
  clock: 'clock: second chance with a sweeping hand',
  rand: 'random',
};

/** How each policy orders its resident pages, for the table's column head. */
const RESIDENT_ORDER: Record<ReplacementPolicy, string> = {
  fifo: 'first in → last in',
  lru: 'LRU → MRU',
  mru: 'LRU → MRU',
  opt: 'load order',
  unopt: 'load order',
  rand: 'load order',
  clock: 'by frame, page(use)',
};

function plural(n: number, unit: string, units = `${unit}s`): string {
  return `${n} ${n === 1 ? unit : units}`;
}

/** The echo of the run: policy, frames, trace and seed. Ends with a newline. */
export function renderReplayHeader(result: ReplayTotals, info: ReplayRunInfo): string {
  let text = `ctsim ${info.version} mem replay: policy ${result.policy} (${POLICY_TITLES[result.policy]}), ${plural(result.frames, 'frame')}`;
  if (result.clockBits !== undefined) text += `, use counter up to ${result.clockBits}`;
  text += '\n';
  const shown = info.trace.slice(0, TRACE_ECHO_MAX).join(',');
  const n = info.trace.length;
  text += `trace (${plural(n, 'access', 'accesses')}`;
  if (info.traceFile !== undefined) text += ` from ${info.traceFile}`;
  text += `): ${shown}${n > TRACE_ECHO_MAX ? `,… (the first ${TRACE_ECHO_MAX} shown)` : ''}`;
  if (info.traceRandom) text += ' (drawn at random: give --trace to choose them)';
  text += '\n';
  if (info.seed !== undefined) text += `seed: ${info.seed}\n`;
  return text;
}

/** One row per access: index, page, hit/miss, evicted page, resident pages. Ends with a newline. */
export function renderReplayTable(result: ReplayResult): string {
  const clock = result.policy === 'clock';
  const head = ['#', 'Page', 'Hit/Miss', 'Evicted', `Resident (${RESIDENT_ORDER[result.policy]})`];
  if (clock) head.push('Hand');
  const rows = result.accesses.map((a, i) => {
    const resident = clock ? a.resident.map((p, f) => `${p}(${a.use![f]})`).join(' ') : a.resident.join(' ');
    const row = [String(i), String(a.page), a.hit ? 'hit' : 'miss', a.evicted === null ? '-' : String(a.evicted), resident];
    if (clock) row.push(`frame ${a.hand}`);
    return row;
  });
  return renderCompactTable(head, rows, ['right', 'right', 'left', 'right', 'left', 'right']) + '\n';
}

/** The totals line: hits, misses (cold ones among them) and the hit rate. Ends with a newline. */
export function renderReplayTotals(result: ReplayTotals): string {
  return (
    `hits ${result.hits}, misses ${result.misses} (${result.coldMisses} cold, on a page's first access), ` +
    `hit rate ${formatTwoDecimals(result.hitRatePercent)}% of ${plural(result.accesses, 'access', 'accesses')}\n`
  );
}

/** True when `result` lists every access (replay), false for totals only (replayTotals). */
export function isDetailedReplay(result: ReplayResult | ReplayTotals): result is ReplayResult {
  return Array.isArray(result.accesses);
}

/** The whole report: header, per-access table (when `result` has the accesses) and totals. */
export function renderReplayReport(result: ReplayResult | ReplayTotals, info: ReplayRunInfo): string {
  if (!isDetailedReplay(result)) return [renderReplayHeader(result, info), renderReplayTotals(result)].join('\n');
  const totals: ReplayTotals = { ...result, accesses: result.accesses.length };
  return [renderReplayHeader(totals, info), renderReplayTable(result) + renderReplayTotals(totals)].join('\n');
}
