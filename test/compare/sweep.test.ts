/**
 * Sweeps: every variant run `repeat` times with seeds S … S+N−1, variant-major; a
 * summary (n, mean, sample sd, 95% CI half-width from Student's t) only when N > 1;
 * the same report whether the runs share this thread or spread over worker threads,
 * and the same one-line error when a run fails.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare, type CompareOptions } from '../../src/compare/runner.js';
import { GuardStop, guardStopFacts } from '../../src/sim/guard.js';
import { runCompareParallel } from '../../src/compare/parallel.js';
import { describe as describeSample, studentT975 } from '../../src/compare/summary.js';
import { InputError } from '../../src/sim/input-error.js';
import { renderCompareText } from '../../src/report/compare-table.js';
import { renderCompareHtml } from '../../src/report/compare-html.js';
import { BUILT_WORKER_URL, SMALL_SCENARIO } from '../helpers/compare-scenario.js';

const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
const source = { name: 'small.yaml', text: SMALL_SCENARIO };

describe('the summary statistics', () => {
  it('gives n, mean, sample sd, the t-based 95% half-width, min and max', () => {
    expect(describeSample([1, 2, 3])).toEqual({ n: 3, mean: 2, sd: 1, ci95: Math.round((4.303 / Math.sqrt(3)) * 1000) / 1000, min: 1, max: 3 });
    expect(describeSample([5, 5])).toEqual({ n: 2, mean: 5, sd: 0, ci95: 0, min: 5, max: 5 });
  });

  it('takes t from the table up to 30 degrees of freedom and from the expansion beyond, meeting smoothly', () => {
    expect(studentT975(1)).toBe(12.706);
    expect(studentT975(30)).toBe(2.042);
    expect(Math.abs(studentT975(31) - 2.04)).toBeLessThan(0.001);
    expect(Math.abs(studentT975(120) - 1.98)).toBeLessThan(0.001);
    for (let dof = 1; dof < 200; dof++) expect(studentT975(dof + 1)).toBeLessThan(studentT975(dof));
  });
});

describe('runCompare with --repeat and --seed-from', () => {
  const report = runCompare(scenario, source, { ctsim: 'ctsim test', repeat: 2, seedFrom: 40 });

  it('runs each variant N times with seeds S, S+1, …, variant-major', () => {
    expect(report.seed).toBe(40);
    expect(report.variants.map((v) => [v.label, v.seed])).toEqual([
      ['c1.network=bridge', 40],
      ['c1.network=bridge', 41],
      ['c1.network=host', 40],
      ['c1.network=host', 41],
    ]);
  });

  it('summarises each variant, metric and instance over its runs, and counts the claims that held', () => {
    const s = report.summary!;
    expect(s.repeat).toBe(2);
    expect(s.variants.map((v) => [v.label, v.seeds])).toEqual([
      ['c1.network=bridge', [40, 41]],
      ['c1.network=host', [40, 41]],
    ]);
    const spin = s.variants[0].metrics.find((m) => m.id === 'workload:spin' && m.instance === 'c1')!;
    const values = report.variants.slice(0, 2).map((v) => v.metrics.find((m) => m.id === 'workload:spin' && m.instance === 'c1')!.value);
    expect(spin).toMatchObject({ n: 2, unit: 'ns', min: Math.min(...values), max: Math.max(...values) });
    expect(spin.mean).toBeCloseTo((values[0] + values[1]) / 2, 3);
    expect(spin.ci95).toBeGreaterThanOrEqual(0);
    expect(s.variants[0].metrics).toHaveLength(report.variants[0].metrics.length);
    expect(s.variants[0].checks).toEqual([{ claim: report.variants[0].checks[0].claim, source: 'test', held: 2, runs: 2 }]);
  });

  it('has no summary for a single run per variant', () => {
    const once = runCompare(parseScenario(SMALL_SCENARIO.replace('[bridge, host]', '[host]'), 'small.yaml'), source, { ctsim: 'ctsim test' });
    expect(once.summary).toBeUndefined();
    expect(Object.keys(once)).toEqual(['ctsim', 'scenario', 'seed', 'variants']);
  });

  it('shows mean ± ci95 per variant and the claims over the runs, in the table and the page', () => {
    const text = renderCompareText(report);
    expect(text).toContain('c1.network=bridge (2 runs, seeds 40–41; mean ± 95% confidence interval)');
    expect(text).toMatch(/ ± /);
    expect(text).toContain('held in 2 of 2 runs');
    const html = renderCompareHtml(report);
    expect(html).toContain('Summary over 2 runs per variant');
    expect(html).toContain('c1.network=host · seed 41');
  });
});

describe('runCompareParallel', () => {
  it('gives the report of runCompare, byte for byte, on one thread or on worker threads', async () => {
    const opts = { ctsim: 'ctsim test', repeat: 2, seedFrom: 3 };
    const inThread = JSON.stringify(runCompare(scenario, source, opts));
    expect(JSON.stringify(await runCompareParallel(scenario, source, { ...opts, jobs: 1 }))).toBe(inThread);
    expect(JSON.stringify(await runCompareParallel(scenario, source, { ...opts, jobs: 2, workerUrl: BUILT_WORKER_URL }))).toBe(inThread);
  });

  /** What runCompare and runCompareParallel (two workers) throw for `script` as the second workload. */
  const errors = async (script: string, more: Pick<CompareOptions, 'guard'> = {}): Promise<[Error, Error]> => {
    const failing = parseScenario(SMALL_SCENARIO.replace('    kind: fork\n    ops: 5', `    kind: script\n    script: ${script}`), 'small.yaml');
    let inThread: unknown;
    try {
      runCompare(failing, source, { ctsim: 'ctsim test', ...more });
    } catch (e) {
      inThread = e;
    }
    const parallel = await runCompareParallel(failing, source, { ctsim: 'ctsim test', jobs: 2, workerUrl: BUILT_WORKER_URL, ...more }).catch((e: unknown) => e);
    return [inThread as Error, parallel as Error];
  };

  it('throws the InputError of the earliest failed run, as the in-process run does', async () => {
    const [inThread, parallel] = await errors('"false"');
    expect(inThread).toBeInstanceOf(InputError);
    expect(inThread.message).toMatch(/^workload forks at on host: expected the workload to exit 0, found status 1/);
    expect(parallel).toBeInstanceOf(InputError);
    expect(parallel.message).toBe(inThread.message);
    expect((parallel as InputError).exitCode).toBe(3);
  });

  it('a script that exits ends only itself: its status is the error, in threads as in-process', async () => {
    const [inThread, parallel] = await errors('exit 3');
    expect(inThread).toBeInstanceOf(InputError);
    expect(inThread.message).toMatch(/^workload forks at on host: expected the workload to exit 0, found status 3/);
    expect(parallel.message).toBe(inThread.message);
  });

  it('a workload that never ends stops at the guard: the same GuardStop, at the same count, in threads as in-process', async () => {
    const [inThread, parallel] = await errors("'while :; do :; done'", { guard: { limits: { maxEvents: 500_000, maxMemoryBytes: Infinity } } });
    expect(inThread).toBeInstanceOf(GuardStop);
    expect(inThread.message).toBe('the simulation ran 500000 events and CPU actions (the --max-events limit)');
    expect((inThread as GuardStop).detail).toMatch(/^\d+ tasks on the simulated machines, in run "c1.network=bridge" \(seed 7\)$/);
    expect(parallel).toBeInstanceOf(GuardStop);
    expect(guardStopFacts(parallel as GuardStop)).toEqual(guardStopFacts(inThread as GuardStop));
  });

  it("a worker looks at this machine's memory itself (the check cannot cross a thread): a limit below what node uses stops the run", async () => {
    const [inThread, parallel] = await errors("'true'", { guard: { limits: { maxEvents: Infinity, maxMemoryBytes: 1 }, check: () => ({ limit: 'memory', message: 'over' }) } });
    expect((inThread as GuardStop).limit).toBe('memory');
    expect(inThread.message).toBe('over');
    expect(parallel).toBeInstanceOf(GuardStop);
    expect((parallel as GuardStop).limit).toBe('memory');
    expect(parallel.message).toMatch(/^ctsim used \d+ MiB of this machine's memory \(the --max-memory limit is 0 MiB\)$/);
  });
});
