/**
 * `ctsim compare` sweeps from the command line: --param, --repeat, --seed-from, --jobs
 * (the built CLI, whose worker threads run from dist/), --shard I/N and
 * `ctsim compare merge`, whose output is the single run's byte for byte; flag and part
 * errors are one line with the project's exit codes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import Compare from '../../src/commands/compare.js';
import CompareMerge from '../../src/commands/compare/merge.js';
import { runBuiltCli, runCli } from '../helpers/cli.js';
import { SMALL_SCENARIO } from '../helpers/compare-scenario.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-sweep-'));
const scenario = path.join(dir, 'small.yaml');
writeFileSync(scenario, SMALL_SCENARIO);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SWEEP = ['--param', 'c1.network=bridge,none', '--repeat', '2', '--seed-from', '11'];

describe('ctsim compare sweeps (the built CLI)', () => {
  const single = runBuiltCli(['compare', scenario, ...SWEEP, '--json', '--jobs', '1']);

  it('expands --param into variants and runs each with seeds S, S+1', () => {
    expect(single.stderr).toBe('');
    expect(single.status).toBe(0);
    const doc = JSON.parse(single.stdout) as { seed: number; variants: { label: string; seed: number }[]; summary: { repeat: number; variants: { metrics: { n: number; mean: number; ci95: number }[] }[] } };
    expect(doc.seed).toBe(11);
    expect(doc.variants.map((v) => `${v.label}@${v.seed}`)).toEqual(['c1.network=bridge@11', 'c1.network=bridge@12', 'c1.network=none@11', 'c1.network=none@12']);
    expect(doc.summary.repeat).toBe(2);
    expect(doc.summary.variants[0].metrics[0]).toMatchObject({ n: 2 });
    expect(doc.summary.variants[0].metrics[0].ci95).toBeGreaterThanOrEqual(0);
  });

  it('prints the same JSON with --jobs 2 (worker threads) as with --jobs 1', () => {
    const two = runBuiltCli(['compare', scenario, ...SWEEP, '--json', '--jobs', '2']);
    expect(two.stderr).toBe('');
    expect(two.stdout).toBe(single.stdout);
  });

  it('merges the parts of --shard 1/2 and 2/2 into the single run’s JSON, byte for byte', () => {
    const parts = [1, 2].map((i) => {
      const r = runBuiltCli(['compare', scenario, ...SWEEP, '--shard', `${i}/2`, '--jobs', '1']);
      expect(r.status).toBe(0);
      const file = path.join(dir, `part-${i}.json`);
      writeFileSync(file, r.stdout);
      return file;
    });
    // The second part comes on standard input.
    const merged = runBuiltCli(['compare', 'merge', parts[0], '-', '--json'], readFileSync(parts[1], 'utf8'));
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    expect(merged.stdout).toBe(single.stdout);
  });
});

describe('ctsim compare sweeps (in-process, one thread)', () => {
  const compare = (...argv: string[]) => runCli(Compare, argv, 'compare');
  const merge = (...argv: string[]) => runCli(CompareMerge, argv, 'compare:merge');

  it('prints the same table from a merge as from the single run, with mean ± ci95 and the claims over the runs', async () => {
    const files: string[] = [];
    // One at a time: runCli captures this process's stdout.
    for (const i of [1, 2, 3]) {
      const r = await compare(scenario, '--repeat', '2', '--shard', `${i}/3`, '--jobs', '1');
      expect(r.exitCode).toBe(0);
      files.push(path.join(dir, `table-part-${i}.json`));
      writeFileSync(files[i - 1], r.stdout);
    }
    const single = await compare(scenario, '--repeat', '2', '--jobs', '1');
    const merged = await merge(...files);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toBe(single.stdout);
    expect(single.stdout).toContain('held in 2 of 2 runs');
    expect(single.stdout).toMatch(/c1 +│ +[0-9.]+ [µm]?s ± /);
    const missing = await merge(files[0], files[2]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toBe(`ctsim compare merge: ${files[0]}, ${files[2]}: expected all 3 shards, found no part of shard 2/3 (fix: add the part of ctsim compare … --shard 2/3)\n`);
  });

  it('refuses a malformed --param (exit 2) and one naming nothing (exit 3), in one line naming --param', async () => {
    const malformed = await compare(scenario, '--param', 'c1.network');
    expect(malformed.exitCode).toBe(2);
    expect(malformed.stderr).toMatch(/^ctsim compare: --param: expected KEY=v1,v2,… .*, found "c1\.network" \(no "="\) \(fix: e\.g\. --param vm\.cpuVirt=bt,pv,hw\)\n$/);
    const nothing = await compare(scenario, '--param', 'web.network=host');
    expect(nothing.exitCode).toBe(3);
    expect(nothing.stderr).toBe('ctsim compare: --param web.network: expected a key INSTANCE.FIELD naming an instance, a kind (native, container, vm) or host.NAME, found "web.network"\n');
  });

  it('refuses --html and --check with --shard (exit 2, one line)', async () => {
    for (const [flag, ...rest] of [['--html', path.join(dir, 'x.html')], ['--check']]) {
      const r = await compare(scenario, '--shard', '1/2', flag, ...rest);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`ctsim compare: --shard: expected no ${flag} with --shard (a shard prints a JSON part, not a report), found ${flag} (fix: give ${flag} to ctsim compare merge PARTS…)\n`);
    }
  });
});
