/**
 * `ctsim compare [SCENARIO]`: runs a scenario — hosts, containers, VMs and the workloads
 * they run — on the simulator and prints what each instance cost and why: a table on
 * the terminal, `--json` for scripts, `--html FILE` for a page with charts. Without a
 * scenario it runs the built-in one (fixtures/scenarios/default.yaml): "containers or
 * VMs?" on one host, with the published findings it must reproduce.
 *
 * This file reads the scenario and the flags; src/compare runs it, src/report draws it.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Args, Flags } from '@oclif/core';
import { InputError } from '../sim/index.js';
import { fixturePath } from '../sim/fixtures.js';
import { parseScenario } from '../compare/scenario.js';
import { runCompare } from '../compare/runner.js';
import type { CompareReport } from '../compare/report.js';
import { renderCompareText } from '../report/compare-table.js';
import { renderCompareHtml } from '../report/compare-html.js';
import { BaseCommand } from './base.js';
import { readInputFile, readJsonFile } from './input-files.js';

const DEFAULT_SCENARIO = 'scenarios/default.yaml';

export default class Compare extends BaseCommand {
  static override summary = 'Compare containers and VMs: run a scenario and report what each instance costs, and why.';

  static override description = `A scenario file (YAML or JSON; schema: fixtures/scenarios/scenario.schema.json) describes hosts, the instances on them — the host itself, containers, VMs — the workloads they run and the claims the results must bear out. Without SCENARIO, ctsim runs its built-in comparison, "containers or VMs?" (fixtures/scenarios/default.yaml): start-up, memory per idle instance, density, CPU, system calls, process creation, page faults, TLB misses, disk I/O and network round trips, on the host, in two containers and in four VMs, with the published findings each must reproduce. Everything is simulated: the same scenario and seed give the same numbers.`;

  static override examples = [
    { description: 'The built-in comparison, as a table:', command: '<%= config.bin %> compare' },
    { description: 'A page with charts, to open in a browser:', command: '<%= config.bin %> compare --html report.html' },
    { description: 'Your own scenario, as JSON for scripts:', command: '<%= config.bin %> compare my-scenario.yaml --json' },
    { description: 'Fail (exit 1) when a claim of the scenario does not hold:', command: '<%= config.bin %> compare --check' },
  ];

  static override args = {
    scenario: Args.string({ description: 'The scenario file (YAML or JSON); default: the built-in "containers or VMs?".', required: false }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'Print the whole report as JSON (seed, ctsim version, scenario hash, every metric).' }),
    html: Flags.string({ description: 'Also write a self-contained HTML page with charts to FILE.', helpValue: 'FILE' }),
    check: Flags.boolean({ description: "Exit 1 when one of the scenario's claims (its expect list) does not hold." }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Compare);
    const file = args.scenario ?? fixturePath(DEFAULT_SCENARIO);
    const shown = args.scenario ?? `built-in ${path.relative(path.resolve(fixturePath('.'), '..'), file)}`;
    const text = readInputFile(file, 'SCENARIO', 'a readable scenario file (YAML or JSON)');
    const scenario = parseScenario(text, args.scenario ?? file);
    const dir = path.dirname(file);
    const report = runCompare(
      scenario,
      { name: shown, text },
      {
        ctsim: `ctsim ${this.config.version}`,
        readCosts: (name) => readCostTable(name, dir, args.scenario ?? file),
        progress: progressBar(),
      },
    );
    if (flags.html) writeHtml(flags.html, report);
    if (flags.json) this.printJson(report);
    else this.out(renderCompareText(report, process.stdout.isTTY ? Math.max(100, process.stdout.columns ?? 140) : undefined));
    if (flags.check && report.variants.some((v) => v.checks.some((c) => !c.holds))) process.exitCode = 1;
  }
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
  const file = path.resolve(dir, name);
  const text = readInputFile(file, `costs in ${scenario}`, 'a readable cost-table JSON file');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError({ source: file, expected: 'valid JSON', found: (e as Error).message, fix: 'see fixtures/costs/default.json for the format' });
  }
}

function writeHtml(file: string, report: CompareReport): void {
  try {
    writeFileSync(file, renderCompareHtml(report));
  } catch (e) {
    throw new InputError({ source: '--html', expected: 'a file that can be written', found: `${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, fix: 'give a path in a directory that exists and you can write' });
  }
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
