/**
 * `ctsim compare [SCENARIO]`: runs a scenario — hosts, containers, VMs and the workloads
 * they run — on the simulator and prints what each instance cost and why: a table on
 * the terminal, `--json` for scripts, `--html FILE` for a page with charts. Without a
 * scenario it runs the built-in one (fixtures/scenarios/default.yaml): "containers or
 * VMs?" on one host, with the published findings it must reproduce.
 *
 * This file reads the scenario and the flags; src/compare runs it, src/report draws it.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { UsageError } from '../sim/index.js';
import { fixturePath } from '../sim/fixtures.js';
import { parseParamFlag } from '../compare/matrix.js';
import { parseScenario, type Scenario } from '../compare/scenario.js';
import { runCompareParallel, runSpread, type ParallelOptions } from '../compare/parallel.js';
import { makePart, parseShardFlag, shardRuns, type Shard } from '../compare/shard.js';
import { planRuns, reportHead, type SweepOptions } from '../compare/sweep.js';
import { CompareOutputCommand } from './compare-output.js';
import { GuardStop } from '../sim/guard.js';
import { guardFlags, guardLimitsFrom, memoryCheck } from '../cli/guard-limits.js';
import { readInputFile, readJsonFile } from './input-files.js';
import { commandNames, packBundle } from '../cli/rootfs-import.js';
import { defaultPrograms } from '../userland/index.js';
import type { BundleUpload } from '../compare/instances.js';

const DEFAULT_SCENARIO = 'scenarios/default.yaml';
const COMPARE_EVENTS_HINT = 'a workload that never ends? Make its script end, or raise --max-events (or --max-events none), which counts per run';
const COMPARE_MEMORY_HINT = "a workload that forks or allocates without end? Give its container limits in the scenario (limits: { pids: 100, memory: 256MiB }), or raise --max-memory";
/** The largest seed, as the scenario schema's. */
const MAX_SEED = 4294967295;

export default class Compare extends CompareOutputCommand {
  static override summary = 'Compare containers and VMs: run a scenario and report what each instance costs, and why.';

  static override description = `A scenario file (YAML or JSON; schema: fixtures/scenarios/scenario.schema.json) describes hosts, the instances on them — the host itself, containers, VMs — the workloads they run and the claims the results must bear out. Without SCENARIO, ctsim runs its built-in comparison, "containers or VMs?" (fixtures/scenarios/default.yaml): start-up, memory per idle instance, density, CPU, system calls, process creation, page faults, TLB misses, disk I/O and network round trips, on the host, in two containers and in four VMs, with the published findings each must reproduce. Everything is simulated: the same scenario and seed give the same numbers.`;

  static override examples = [
    { description: 'The built-in comparison, as a table:', command: '<%= config.bin %> compare' },
    { description: 'A page with charts, to open in a browser:', command: '<%= config.bin %> compare --html report.html' },
    { description: 'Your own scenario, as JSON for scripts:', command: '<%= config.bin %> compare my-scenario.yaml --json' },
    { description: 'Fail (exit 1) when a claim of the scenario does not hold:', command: '<%= config.bin %> compare --check' },
    { description: 'A sweep: three CPU virtualization modes, five seeds each, with means and 95% confidence intervals:', command: '<%= config.bin %> compare my-scenario.yaml --param vm.cpuVirt=bt,pv,hw --repeat 5' },
    { description: 'The second of four shards of a sweep, as a JSON part (see docs/compare-sweeps.md):', command: '<%= config.bin %> compare my-scenario.yaml --repeat 8 --shard 2/4 > part-2.json' },
  ];

  static override args = {
    scenario: Args.string({ description: 'The scenario file (YAML or JSON); default: the built-in "containers or VMs?".', required: false }),
  };

  static override flags = {
    ...CompareOutputCommand.outputFlags,
    param: Flags.string({
      description: "A matrix key and its values (repeatable): INSTANCE.FIELD, KIND.FIELD or host.NAME.FIELD, as in the scenario's matrix, whose key of that name it replaces. Values that look like numbers or booleans are taken as such.",
      helpValue: 'KEY=V1,V2,…',
      multiple: true,
    }),
    repeat: Flags.integer({ description: 'Run each variant N times, with seeds S, S+1, …, S+N−1; with N > 1 the report adds means and 95% confidence intervals.', helpValue: 'N', min: 1, default: 1 }),
    'seed-from': Flags.integer({ description: "The first seed S of the runs (default: the scenario's seed); S + N − 1 at most 4294967295, as a scenario's seed.", helpValue: 'S', min: 0, max: MAX_SEED }),
    jobs: Flags.integer({ description: 'Worker threads for independent runs (default: the CPUs available); 1 runs everything in this thread. The output is the same whatever N is.', helpValue: 'N', min: 1 }),
    shard: Flags.string({
      description: 'Run only shard I of N — the runs r (0-based, in run order) with r mod N = I−1 — and print a JSON part for `ctsim compare merge` (implies --json; not with --html or --check).',
      helpValue: 'I/N',
    }),
    ...guardFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Compare);
    const params = (flags.param ?? []).map(parseParamFlag);
    const shard = flags.shard === undefined ? null : parseShardFlag(flags.shard);
    if (shard) {
      const clash = flags.html !== undefined ? '--html' : flags.check ? '--check' : null;
      if (clash) throw new UsageError({ source: '--shard', expected: `no ${clash} with --shard (a shard prints a JSON part, not a report)`, found: clash, fix: `give ${clash} to ctsim compare merge PARTS…` });
    }
    const file = args.scenario ?? fixturePath(DEFAULT_SCENARIO);
    const shown = args.scenario ?? `built-in ${path.relative(path.resolve(fixturePath('.'), '..'), file)}`;
    const text = readInputFile(file, 'SCENARIO', 'a readable scenario file (YAML or JSON)');
    const scenario = parseScenario(text, args.scenario ?? file, params);
    const dir = path.dirname(file);
    const limits = guardLimitsFrom(flags);
    const opts = {
      guard: { limits, check: memoryCheck(limits) },
      ctsim: `ctsim ${this.config.version}`,
      readCosts: (name: string) => readCostTable(name, dir, args.scenario ?? file),
      readBundle: (bundle: string) => readBundle(bundle, dir),
      progress: progressBar(),
      jobs: flags.jobs ?? Math.max(1, availableParallelism()),
      repeat: flags.repeat,
      seedFrom: flags['seed-from'],
    };
    const last = (flags['seed-from'] ?? scenario.seed) + (flags.repeat ?? 1) - 1;
    if (last > MAX_SEED) throw new UsageError({ source: '--seed-from', expected: `seeds up to ${MAX_SEED} (as a scenario's seed)`, found: `seeds up to ${last}`, fix: 'give a smaller --seed-from or --repeat' });
    try {
      await this.runPlan(scenario, { name: shown, text }, opts, shard, flags);
    } catch (e) {
      // A run that failed (bad input, a guard limit) leaves no progress line under its message.
      if (opts.progress) process.stderr.write('\r\x1b[2K');
      if (e instanceof GuardStop) e.hint = e.limit === 'events' ? COMPARE_EVENTS_HINT : COMPARE_MEMORY_HINT;
      throw e;
    }
  }

  /** The scenario's runs (or a shard's part of them), printed as a report (or a JSON part). */
  private async runPlan(scenario: Scenario, source: { name: string; text: string }, opts: ParallelOptions & SweepOptions, shard: Shard | null, flags: { json?: boolean; html?: string; check?: boolean }): Promise<void> {
    if (shard) {
      const plan = planRuns(scenario, opts);
      const runs = shardRuns(plan.runs, shard);
      const results = await runSpread(runs, plan.repeat, opts);
      this.printJson(makePart(reportHead(scenario, source, opts.ctsim, plan, opts), plan, shard, runs, results));
      return;
    }
    this.printReport(await runCompareParallel(scenario, source, opts), flags);
  }
}

/** An OCI bundle a container names, beside the scenario: its config.json and root file system as archives for the host. */
function readBundle(bundle: string, dir: string): BundleUpload[] {
  const packed = packBundle(path.resolve(dir, bundle), commandNames(defaultPrograms()));
  for (const w of packed.warnings) process.stderr.write(`ctsim compare: ${w}\n`);
  return packed.uploads.map((u) => ({ dest: u.dest, tar: u.tar.toString('latin1') }));
}

/** A cost table a scenario names: a fixture (default, adams-agesen-2006) or a JSON file beside the scenario. */
function readCostTable(name: string, dir: string, scenario: string): unknown {
  if (/^[a-z0-9-]+$/.test(name)) {
    try {
      return readJsonFile(fixturePath(`costs/${name}.json`), 'costs', 'a cost table', 'see fixtures/costs/default.json');
    } catch {
      // Not a fixture: a file of that name beside the scenario.
    }
  }
  return readJsonFile(path.resolve(dir, name), `costs in ${scenario}`, 'a readable cost-table JSON file', 'see fixtures/costs/default.json for the format');
}

/** A progress bar on a terminal (stderr); nothing when stderr is not one. */
function progressBar(): ((done: number, total: number, what: string) => void) | undefined {
  const err = process.stderr;
  if (!err.isTTY) return undefined;
  return (done, total, what) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${what}`;
    err.write(`\r\x1b[2K${line.slice(0, (err.columns ?? 80) - 1)}`);
    if (done === total) err.write('\r\x1b[2K');
  };
}
