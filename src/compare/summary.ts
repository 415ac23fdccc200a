/**
 * The summary of a sweep with `--repeat N`: per variant, metric and instance, the mean
 * of the N runs, their sample standard deviation and the half-width of the 95 %
 * confidence interval of the mean, t(0.975, n − 1) · sd / √n — and how many runs bore
 * out each claim of the scenario.
 *
 * The simulation is deterministic: runs of a variant differ only through their seeds
 * (MAC addresses, TCP initial sequence numbers, hash seeds, …), so an interval may be
 * tiny or zero. That is the honest answer: it measures the seed's effect, not noise.
 */
import type { CompareSummary, MetricSummary, VariantResult } from './report.js';

/**
 * Student's t quantile t(0.975, dof) for dof 1 … 30, from the standard table (e.g.
 * NIST/SEMATECH e-Handbook, table 1.3.6.7.2), to three decimals.
 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * t(0.975, dof): the table up to 30 degrees of freedom; beyond, the Cornish–Fisher
 * expansion of t around the normal quantile z = 1.959964 (Abramowitz & Stegun 26.7.5),
 * within 0.001 of the exact value from dof 30 on.
 */
export function studentT975(dof: number): number {
  if (dof < 1) return Number.NaN;
  if (dof <= T975.length) return T975[dof - 1];
  const z = 1.959964;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / dof + g2 / dof ** 2 + g3 / dof ** 3;
}

/** Rounds to 3 decimals: a summary of simulated ns or bytes has no use for more, and the JSON stays readable. */
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** n, mean, sample sd, ci95 half-width, min and max of `xs` (n ≥ 1; sd and ci95 are 0 for n = 1). */
export function describe(xs: number[]): Pick<MetricSummary, 'n' | 'mean' | 'sd' | 'ci95' | 'min' | 'max'> {
  const n = xs.length;
  const mean = xs.reduce((a, x) => a + x, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const ci95 = n < 2 ? 0 : (studentT975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean: round3(mean), sd: round3(sd), ci95: round3(ci95), min: Math.min(...xs), max: Math.max(...xs) };
}

/**
 * Summarises the runs of a sweep (in run order: a variant's runs one after another), by
 * variant label; metrics and claims in the order of the variant's first run.
 */
export function summarize(runs: VariantResult[], repeat: number): CompareSummary {
  const byLabel = new Map<string, VariantResult[]>();
  for (const r of runs) byLabel.set(r.label, [...(byLabel.get(r.label) ?? []), r]);
  const variants = [...byLabel.entries()].map(([label, rs]) => {
    const metrics: MetricSummary[] = rs[0].metrics.map((m) => {
      const xs = rs.flatMap((r) => r.metrics.filter((x) => x.id === m.id && x.instance === m.instance).map((x) => x.value));
      return { id: m.id, title: m.title, instance: m.instance, unit: m.unit, ...describe(xs) };
    });
    const checks = rs[0].checks.map((c, i) => ({ claim: c.claim, source: c.source, held: rs.filter((r) => r.checks[i]?.holds === true).length, runs: rs.length }));
    return { label, seeds: rs.map((r) => r.seed), metrics, checks };
  });
  return { repeat, variants };
}
