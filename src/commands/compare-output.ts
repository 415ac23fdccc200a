/**
 * What `ctsim compare` and `ctsim compare merge` print from a report — the same code
 * for both, so that a merge of shards prints exactly what the single run prints: the
 * table (or `--json`), `--html FILE`, and exit 1 under `--check` when a claim fails.
 */
import { writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { InputError } from '../sim/index.js';
import type { CompareReport } from '../compare/report.js';
import { renderCompareText } from '../report/compare-table.js';
import { renderCompareHtml } from '../report/compare-html.js';
import { BaseCommand } from './base.js';

export abstract class CompareOutputCommand extends BaseCommand {
  /** The flags that choose the output, shared by compare and compare merge. */
  static outputFlags = {
    json: Flags.boolean({ description: 'Print the whole report as JSON (seed, ctsim version, scenario hash, every metric).' }),
    html: Flags.string({ description: 'Also write a self-contained HTML page with charts to FILE.', helpValue: 'FILE' }),
    check: Flags.boolean({ description: "Exit 1 when one of the scenario's claims (its expect list) does not hold (in any run)." }),
  };

  /** Prints `report` as the output flags ask. */
  protected printReport(report: CompareReport, flags: { json?: boolean; html?: string; check?: boolean }): void {
    if (flags.html) writeHtml(flags.html, report);
    if (flags.json) this.printJson(report);
    else this.out(renderCompareText(report, process.stdout.isTTY ? Math.max(100, process.stdout.columns ?? 140) : undefined));
    if (flags.check && report.variants.some((v) => v.checks.some((c) => !c.holds))) process.exitCode = 1;
  }
}

function writeHtml(file: string, report: CompareReport): void {
  try {
    writeFileSync(file, renderCompareHtml(report));
  } catch (e) {
    throw new InputError({ source: '--html', expected: 'a file that can be written', found: `${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, fix: 'give a path in a directory that exists and you can write' });
  }
}
