/**
 * Shards: `--shard I/N` takes the runs r with r mod N = I − 1, so the N shards hold
 * every run exactly once; a merge of the parts checks they belong together and gives
 * the single-machine report byte for byte, each problem one line naming the file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare } from '../../src/compare/runner.js';
import { makePart, mergeParts, parseShardFlag, shardRuns, type ComparePart, type PartFile } from '../../src/compare/shard.js';
import { planRuns, reportHead } from '../../src/compare/sweep.js';
import { InputError } from '../../src/sim/input-error.js';
import { SMALL_SCENARIO } from '../helpers/compare-scenario.js';

describe('shard slicing', () => {
  it('gives every run to exactly one shard, in run order within each, for any number of runs and shards', () => {
    fc.assert(
      fc.property(fc.nat(300), fc.integer({ min: 1, max: 40 }), (runs, count) => {
        const all = Array.from({ length: runs }, (_, r) => r);
        const slices = Array.from({ length: count }, (_, i) => shardRuns(all, { index: i + 1, count }));
        expect(slices.flat().sort((a, b) => a - b)).toEqual(all);
        for (const [i, s] of slices.entries()) {
          expect(s).toEqual([...s].sort((a, b) => a - b));
          expect(s.every((r) => r % count === i)).toBe(true);
        }
        // Shards are as even as can be: sizes differ by one at most.
        const sizes = slices.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('reads I/N with 1 ≤ I ≤ N and refuses anything else as a usage error', () => {
    expect(parseShardFlag('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/3', '4/3', '1/0', '1', 'a/b', '1/3/5', '-1/3']) {
      expect(() => parseShardFlag(bad), bad).toThrow(InputError);
      try {
        parseShardFlag(bad);
      } catch (e) {
        expect((e as InputError).exitCode).toBe(2);
        expect((e as Error).message).toMatch(/^--shard: expected I\/N with 1 ≤ I ≤ N/);
      }
    }
  });
});

describe('mergeParts', () => {
  const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
  const source = { name: 'small.yaml', text: SMALL_SCENARIO };
  const report = runCompare(scenario, source, { ctsim: 'ctsim test', repeat: 2 });
  const plan = planRuns(scenario, { repeat: 2 });
  const head = reportHead(scenario, source, 'ctsim test', plan);
  /** The parts of `count` shards, cut from the single run's results (the runs are deterministic). */
  const parts = (count: number): ComparePart[] =>
    Array.from({ length: count }, (_, i) => {
      const shard = { index: i + 1, count };
      const runs = shardRuns(plan.runs, shard);
      return makePart(head, plan, shard, runs, runs.map((r) => report.variants[r.index]));
    });
  const files = (ps: unknown[]): PartFile[] => ps.map((doc, i) => ({ file: `part-${i + 1}.json`, doc: JSON.parse(JSON.stringify(doc)) as unknown }));
  const mergeError = (ps: unknown[]): string => {
    try {
      mergeParts(files(ps));
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).exitCode).toBe(3);
      return (e as Error).message;
    }
    return 'no error';
  };

  it('holds the plan and only its own runs in a part, and no summary', () => {
    const [p] = parts(3);
    expect(p.plan.runs).toHaveLength(4);
    expect(p.runs.map((r) => r.index)).toEqual([0, 3]);
    expect(p).not.toHaveProperty('summary');
  });

  it('gives the single run’s report byte for byte, in any order of the parts and for any shard count (also more shards than runs)', () => {
    const want = JSON.stringify(report);
    for (const count of [1, 2, 3, 4, 6]) expect(JSON.stringify(mergeParts(files(parts(count).reverse())))).toBe(want);
  });

  it('names the file and what is wrong when the parts do not belong together', () => {
    const [a, b, c] = parts(3);
    expect(mergeError([a, c])).toBe('part-1.json, part-2.json: expected all 3 shards, found no part of shard 2/3 (fix: add the part of ctsim compare … --shard 2/3)');
    expect(mergeError([a, b, b, c])).toBe('part-3.json at $.shard: expected each shard once, found shard 2/3 again (also in part-2.json)');
    expect(mergeError([a, { ...b, scenario: { ...b.scenario, sha256: 'f'.repeat(64) } }, c])).toBe(`part-2.json at $.scenario.sha256: expected the same scenario (its text hashed) as in part-1.json, found "${'f'.repeat(64)}"`);
    // Parts run with another cost table or bundle (the same scenario text) do not merge either.
    expect(mergeError([a, { ...b, scenario: { ...b.scenario, inputs: '0'.repeat(64) } }, c])).toBe(`part-2.json at $.scenario.inputs: expected the same cost tables and bundles (hashed) as in part-1.json, found "${'0'.repeat(64)}"`);
    expect(mergeError([a, { ...b, ctsim: 'ctsim 9' }, c])).toBe('part-2.json at $.ctsim: expected the same ctsim version as in part-1.json, found "ctsim 9"');
    expect(mergeError([a, parts(2)[1], c])).toMatch(/^part-2\.json at \$\.shard\.count: expected the same shard count as in part-1\.json, found 2$/);
    expect(mergeError([a, { ...b, plan: { ...b.plan, repeat: 3 } }, c])).toBe('part-2.json at $.plan.repeat: expected the same --repeat as in part-1.json, found 3');
    expect(mergeError([a, { ...b, runs: b.runs.slice(1) }, c])).toBe('part-2.json at $.runs: expected the runs of shard 2/3 once each, in order (1), found none');
    expect(mergeError([a, { ...b, runs: [{ index: 1, run: a.runs[0].run }] }, c])).toBe('part-2.json at $.runs[0].run: expected run 1 of the plan, "c1.network=bridge" with seed 8, found "c1.network=bridge" with seed 7');
    expect(mergeError([a, report, c])).toBe('part-2.json at $.format: expected "ctsim-compare-part/1" (a part written by ctsim compare --shard I/N), found a whole report (ctsim compare --json), which needs no merge');
    expect(mergeError([a, [1], c])).toMatch(/^part-2\.json at \$: expected a part written by ctsim compare --shard I\/N/);
  });
});
