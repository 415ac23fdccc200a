/**
 * The runs of a sweep: every variant of the matrix (matrix.ts) run `repeat` times with
 * seeds S, S+1, …, S+repeat−1 — variant-major, seed-minor — numbered 0 … R−1. That
 * numbering is the run plan: in-process runs, worker threads (parallel.ts) and shards
 * (shard.ts) all put results back in its order, so the report is the same however the
 * runs were spread.
 *
 *   variants × seeds ──planRuns──▶ runs 0 … R−1 ──run anywhere──▶ results ──assembleReport──▶ CompareReport
 */
import { createHash } from 'node:crypto';
import { readFixtureJson } from '../sim/fixtures.js';
import { expandMatrix } from './matrix.js';
import type { BundleUpload } from './instances.js';
import type { CompareReport, VariantResult } from './report.js';
import type { Scenario, Variant } from './scenario.js';
import { summarize } from './summary.js';

/** How a scenario is swept: `--repeat N` and `--seed-from S`. */
export interface SweepOptions {
  /** Runs per variant (default 1). */
  repeat?: number;
  /** The first run's seed (default: the scenario's). */
  seedFrom?: number;
}

/** One run of the plan. Invariant: `index` is its position in RunPlan.runs. */
export interface PlannedRun {
  index: number;
  label: string;
  seed: number;
  variant: Variant;
}

export interface RunPlan {
  repeat: number;
  seedFrom: number;
  runs: PlannedRun[];
}

/** Every run of `s`, in run order. */
export function planRuns(s: Scenario, sweep: SweepOptions = {}): RunPlan {
  const repeat = sweep.repeat ?? 1;
  const seedFrom = sweep.seedFrom ?? s.seed;
  const runs = expandMatrix(s).flatMap((variant) => Array.from({ length: repeat }, (_, k) => ({ label: variant.label, seed: seedFrom + k, variant })));
  return { repeat, seedFrom, runs: runs.map((r, index) => ({ index, ...r })) };
}

/** What names a report apart from its runs: the ctsim version, the scenario (its text hashed) and the first seed. */
export type ReportHead = Pick<CompareReport, 'ctsim' | 'scenario' | 'seed'>;

export function reportHead(s: Scenario, source: { name: string; text: string }, ctsim: string, plan: RunPlan, read: { readCosts?: (name: string) => unknown; readBundle?: (path: string) => BundleUpload[] } = {}): ReportHead {
  const inputs = createHash('sha256').update(JSON.stringify({ costs: readRunCosts(plan.runs, read.readCosts), bundles: readRunBundles(plan.runs, read.readBundle) })).digest('hex');
  return { ctsim, scenario: { name: s.name, source: source.name, sha256: createHash('sha256').update(source.text).digest('hex'), inputs }, seed: plan.seedFrom };
}

/** The report of a finished plan: its runs in run order, and their summary when each variant ran more than once. */
export function assembleReport(head: ReportHead, results: VariantResult[], repeat: number): CompareReport {
  const report: CompareReport = { ...head, variants: results };
  if (repeat > 1) report.summary = summarize(results, repeat);
  return report;
}

/**
 * The cost tables the runs name (other than the built-in default), read once before any
 * run: `readCosts` when given (the CLI resolves paths against the scenario's directory),
 * else the fixture of that name. Worker threads get the documents, not the function.
 */
export function readRunCosts(runs: readonly PlannedRun[], readCosts?: (name: string) => unknown): Record<string, unknown> {
  const docs: Record<string, unknown> = {};
  for (const r of runs) {
    for (const h of r.variant.scenario.hosts) {
      if (h.costs === 'default' || h.costs in docs) continue;
      docs[h.costs] = readCosts ? readCosts(h.costs) : readFixtureJson(`costs/${h.costs}.json`);
    }
  }
  return docs;
}

/**
 * The OCI bundles the runs' containers name, read once before any run (`readBundle`
 * is the CLI's: it packs the directory beside the scenario). Worker threads get the
 * archives, not the function.
 */
export function readRunBundles(runs: readonly PlannedRun[], readBundle?: (path: string) => BundleUpload[]): Record<string, BundleUpload[]> {
  const out: Record<string, BundleUpload[]> = {};
  for (const r of runs) {
    for (const x of r.variant.scenario.instances) {
      const b = x.settings.bundle;
      if (typeof b !== 'string' || b in out || !readBundle) continue;
      out[b] = readBundle(b);
    }
  }
  return out;
}
