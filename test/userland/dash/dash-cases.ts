/**
 * Runs the captured black-box cases of fixtures/*.json (made by
 * fixtures/capture-dash.mjs from /usr/bin/dash) through ctsim's sh, wrapped the
 * same way: each case's script in a subshell with stderr on stdout, followed by
 * `echo "@@case-end@@ $?"`; line numbers in messages become N.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh } from '../../helpers/host.js';

export interface CapturedCase {
  script: string;
  out: string;
  status?: number;
}

/** The cases of a fixture file and their scripts. */
export function loadCases(name: string): { cases: CapturedCase[]; lines: string[] } {
  const file = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
  const cases = (JSON.parse(readFileSync(file, 'latin1')) as { cases: CapturedCase[] }).cases;
  return { cases, lines: cases.map((c) => c.script) };
}

/** Cases per simulated run (one host boot each). */
const BATCH = 250;

/** Runs each script line as capture-dash.mjs does; returns each one's output and status. */
export function runCases(lines: readonly string[]): { out: string; status: number }[] {
  const results: { out: string; status: number }[] = [];
  for (let from = 0; from < lines.length; from += BATCH) {
    const batch = lines.slice(from, from + BATCH);
    const script = batch.map((l) => `( ${l}\n) 2>&1; echo "@@case-end@@ $?"`).join('\n') + '\n';
    const r = sh(script, { maxSteps: 200_000_000 });
    const re = /@@case-end@@ (\d+)\n/g;
    let at = 0;
    for (let m = re.exec(r.stdout); m !== null; m = re.exec(r.stdout)) {
      results.push({ out: r.stdout.slice(at, m.index).replace(/^sh: \d+: /gm, 'sh: N: '), status: Number(m[1]) });
      at = re.lastIndex;
    }
    while (results.length < from + batch.length) results.push({ out: `(no result; sh status ${r.status}, stderr ${JSON.stringify(r.stderr.slice(0, 200))})`, status: -1 });
  }
  return results;
}
