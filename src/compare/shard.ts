/**
 * Shards of a sweep, for when one machine is not enough: `--shard I/N` runs the runs r
 * of the plan (sweep.ts) with r mod N = I − 1 and writes a part — JSON that holds what
 * a merge needs; `ctsim compare merge` checks that the parts belong together and
 * assembles the report the single-machine run would have given, byte for byte.
 *
 *   plan ──shard 1/N──▶ part 1 ┐
 *   plan ──shard 2/N──▶ part 2 ├──mergeParts──▶ runs in plan order ──assembleReport──▶ CompareReport
 *   plan ──shard N/N──▶ part N ┘
 *
 * A part's identity is the scenario's text (its sha256), the ctsim version, the seeds
 * and the run plan (every run's label and seed); the summary of repeated runs is
 * computed by the merge, never in a part.
 */
import { InputError, UsageError } from '../sim/input-error.js';
import type { CompareReport, VariantResult } from './report.js';
import { assembleReport, type PlannedRun, type ReportHead, type RunPlan } from './sweep.js';

/** The `format` of a part; a merge refuses any other. */
export const PART_FORMAT = 'ctsim-compare-part/1';

/** Shard `index` (1 … count) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** What `ctsim compare --shard I/N` prints. */
export interface ComparePart extends ReportHead {
  format: typeof PART_FORMAT;
  /** The whole sweep: runs per variant, and every run's label and seed in run order. */
  plan: { repeat: number; runs: { label: string; seed: number }[] };
  shard: Shard;
  /** This shard's runs, by their index in the plan (ascending). */
  runs: { index: number; run: VariantResult }[];
}

/** Reads `--shard I/N` (1 ≤ I ≤ N); anything else is a usage error (exit 2). */
export function parseShardFlag(flag: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(flag.trim());
  const index = m ? Number(m[1]) : 0;
  const count = m ? Number(m[2]) : 0;
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError({ source: '--shard', expected: 'I/N with 1 ≤ I ≤ N, e.g. 2/4 (the second of four shards)', found: JSON.stringify(flag) });
  return { index, count };
}

/** The runs of shard `shard`: those at positions r with r mod count = index − 1. */
export function shardRuns<T>(runs: readonly T[], shard: Shard): T[] {
  return runs.filter((_, r) => r % shard.count === shard.index - 1);
}

/** The part of `shard`, whose runs (shardRuns of the plan) gave `results`. */
export function makePart(head: ReportHead, plan: RunPlan, shard: Shard, runs: readonly PlannedRun[], results: VariantResult[]): ComparePart {
  return {
    format: PART_FORMAT,
    ...head,
    plan: { repeat: plan.repeat, runs: plan.runs.map((r) => ({ label: r.label, seed: r.seed })) },
    shard,
    runs: runs.map((r, i) => ({ index: r.index, run: results[i] })),
  };
}

/** A part as read from a file; `file` names it in errors ("-" is standard input). */
export interface PartFile {
  file: string;
  doc: unknown;
}

/**
 * Checks that `parts` are the parts of one sweep — same ctsim, scenario, seed, plan and
 * shard count, every shard once, every run of each shard once and as planned — and
 * assembles its report. Each problem is an InputError naming the file (exit 3).
 */
export function mergeParts(files: readonly PartFile[]): CompareReport {
  if (files.length === 0) throw new UsageError({ source: 'PARTS', expected: 'one or more part files written by ctsim compare --shard I/N', found: 'none' });
  const parts = files.map((f) => ({ file: f.file, part: checkShape(f) }));
  const ref = parts[0];
  const same = (file: string, path: string, a: unknown, b: unknown, what: string): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new InputError({ source: file, path, expected: `${what} as in ${ref.file}`, found: JSON.stringify(b) });
  };
  const byShard = new Map<number, { file: string; part: ComparePart }>();
  for (const { file, part } of parts) {
    same(file, '$.ctsim', ref.part.ctsim, part.ctsim, 'the same ctsim version');
    same(file, '$.scenario.sha256', ref.part.scenario.sha256, part.scenario.sha256, 'the same scenario (its text hashed)');
    same(file, '$.scenario.inputs', ref.part.scenario.inputs, part.scenario.inputs, 'the same cost tables and bundles (hashed)');
    same(file, '$.seed', ref.part.seed, part.seed, 'the same seed');
    same(file, '$.plan.repeat', ref.part.plan.repeat, part.plan.repeat, 'the same --repeat');
    same(file, '$.plan.runs', ref.part.plan.runs, part.plan.runs, 'the same runs (labels and seeds: the same --param and --seed-from)');
    same(file, '$.shard.count', ref.part.shard.count, part.shard.count, 'the same shard count');
    const seen = byShard.get(part.shard.index);
    if (seen) throw new InputError({ source: file, path: '$.shard', expected: 'each shard once', found: `shard ${part.shard.index}/${part.shard.count} again (also in ${seen.file})` });
    byShard.set(part.shard.index, { file, part });
  }
  const count = ref.part.shard.count;
  const plan = ref.part.plan.runs;
  for (let i = 1; i <= count; i++) {
    if (!byShard.has(i)) throw new InputError({ source: files.map((f) => f.file).join(', '), expected: `all ${count} shards`, found: `no part of shard ${i}/${count}`, fix: `add the part of ctsim compare … --shard ${i}/${count}` });
  }
  const results: VariantResult[] = new Array<VariantResult>(plan.length);
  for (const [index, { file, part }] of byShard) {
    const want = shardRuns(plan.map((_, r) => r), { index, count });
    const got = part.runs.map((r) => r.index);
    if (JSON.stringify(got) !== JSON.stringify(want)) throw new InputError({ source: file, path: '$.runs', expected: `the runs of shard ${index}/${count} once each, in order (${abbreviate(want)})`, found: got.length === 0 ? 'none' : `runs ${abbreviate(got)}` });
    part.runs.forEach(({ index: r, run }, j) => {
      if (run.label !== plan[r].label || run.seed !== plan[r].seed) throw new InputError({ source: file, path: `$.runs[${j}].run`, expected: `run ${r} of the plan, "${plan[r].label}" with seed ${plan[r].seed}`, found: `"${run.label}" with seed ${run.seed}` });
      results[r] = run;
    });
  }
  const first = byShard.get(1)!.part;
  return assembleReport({ ctsim: first.ctsim, scenario: first.scenario, seed: first.seed }, results, first.plan.repeat);
}

/** `0, 3, 6` — or the first few and a count when there are many. */
function abbreviate(xs: number[]): string {
  return xs.length <= 8 ? xs.join(', ') : `${xs.slice(0, 6).join(', ')}, … (${xs.length} runs)`;
}

/** The part in `f`, or an InputError saying what in it is not a part. */
function checkShape(f: PartFile): ComparePart {
  const d = f.doc as Partial<Record<keyof ComparePart, unknown>> & { variants?: unknown };
  const bad = (path: string, expected: string, found: string): never => {
    throw new InputError({ source: f.file, path, expected, found });
  };
  if (d === null || typeof d !== 'object' || Array.isArray(d)) bad('$', `a part written by ctsim compare --shard I/N (a JSON object with "format": "${PART_FORMAT}")`, Array.isArray(d) ? 'a list' : JSON.stringify(d));
  if (d.format !== PART_FORMAT) {
    bad('$.format', `"${PART_FORMAT}" (a part written by ctsim compare --shard I/N)`, d.variants !== undefined ? 'a whole report (ctsim compare --json), which needs no merge' : JSON.stringify(d.format) ?? 'nothing');
  }
  const isInt = (x: unknown): x is number => Number.isInteger(x);
  const scenario = d.scenario as Record<string, unknown> | undefined;
  if (typeof d.ctsim !== 'string') bad('$.ctsim', 'a string', JSON.stringify(d.ctsim) ?? 'nothing');
  if (!scenario || typeof scenario.sha256 !== 'string' || typeof scenario.inputs !== 'string' || typeof scenario.name !== 'string' || typeof scenario.source !== 'string') bad('$.scenario', 'name, source, sha256 and inputs', JSON.stringify(scenario) ?? 'nothing');
  if (!isInt(d.seed)) bad('$.seed', 'an integer', JSON.stringify(d.seed) ?? 'nothing');
  const plan = d.plan as { repeat?: unknown; runs?: { label?: unknown; seed?: unknown }[] } | undefined;
  if (!plan || !isInt(plan.repeat) || !Array.isArray(plan.runs) || !plan.runs.every((r) => typeof r?.label === 'string' && isInt(r.seed))) bad('$.plan', 'repeat and runs (label and seed of each)', 'something else');
  const shard = d.shard as Partial<Shard> | undefined;
  if (!shard || !isInt(shard.count) || !isInt(shard.index) || shard.index < 1 || shard.index > shard.count) bad('$.shard', 'index and count, 1 ≤ index ≤ count', JSON.stringify(shard) ?? 'nothing');
  const runs = d.runs as { index?: unknown; run?: { label?: unknown; seed?: unknown } }[] | undefined;
  if (!Array.isArray(runs)) bad('$.runs', 'a list of runs', JSON.stringify(runs) ?? 'nothing');
  runs!.forEach((r, j) => {
    if (!isInt(r?.index) || r.index < 0 || r.index >= plan!.runs!.length || typeof r.run?.label !== 'string' || !isInt(r.run.seed)) bad(`$.runs[${j}]`, `an index below ${plan!.runs!.length} and a run with its label and seed`, 'something else');
  });
  return d as ComparePart;
}
