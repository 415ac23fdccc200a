#!/usr/bin/env node
// ctsim benchmarks: `npm run bench` (the six cases of docs/PERFORMANCE.md and the
// figures kept from earlier issues) and `npm run bench -- --smoke` (reduced sizes, run
// by CI). Each case measures ctsim next to a reference in the same run and reports a
// ratio, so a noisy machine does not decide the verdict.
//
//   --smoke             reduced sizes; fails only when a ratio is 3x worse than the
//                       committed bench/smoke-baseline.json (never on a target or a time)
//   --only a,b          only these cases (also BENCH_ONLY=a,b); a partial run does not
//                       write bench/results.json
//   --update-baseline   with --smoke: write the ratios of this run as the new baseline
//
// A case that cannot run here (a reference program is missing) returns a row with
// `skipped: 'why'`: it is shown with its reason, never judged and never in the baseline.
//
// A full run writes bench/results.json and exits 1 when a target is missed.
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { calibrationMs } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const CASES = ['throughput', 'memory-path', 'scale', 'vm-scale', 'cli', 'ostep', 'extra'];
/** A smoke ratio this many times worse than the baseline fails CI. */
const REGRESSION = 3;

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { smoke: { type: 'boolean' }, only: { type: 'string' }, 'update-baseline': { type: 'boolean' } } }).values;
} catch (e) {
  fail(`${e.message}\nusage: node --expose-gc bench/run.js [--smoke] [--only ${CASES.join(',')}] [--update-baseline]`);
}
if (!globalThis.gc) fail('run with node --expose-gc (npm run bench does)');
const smoke = Boolean(args.smoke);
if (args['update-baseline'] && !smoke) fail('--update-baseline goes with --smoke (the baseline holds smoke ratios)');
const onlyText = args.only ?? process.env.BENCH_ONLY;
const only = onlyText ? onlyText.split(',').filter(Boolean) : undefined;
for (const c of only ?? []) if (!CASES.includes(c)) fail(`--only: no case "${c}" (cases: ${CASES.join(', ')})`);

const calib = calibrationMs();
const rows = [];
for (const name of CASES) {
  if (only && !only.includes(name)) continue;
  const mod = await import(`./cases/${name}.js`);
  const t0 = performance.now();
  const got = await mod.default({ smoke, calib });
  for (const r of got) rows.push({ ...r, group: name });
  if (process.env.BENCH_VERBOSE) console.error(`bench: ${name} took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const fmt = (v) => (typeof v !== 'number' ? String(v) : Math.abs(v) >= 1e5 ? v.toExponential(2) : v.toFixed(v >= 100 ? 0 : 2));
const table = new Table({ head: ['Case', 'ctsim', 'Reference', 'Ratio', smoke ? 'Baseline' : 'Target', 'OK'], style: { head: [], border: [] } });

function pushSkipped(r) {
  r.ok = true;
  table.push([r.case, '-', '-', '-', '-', `skipped: ${r.skipped}`]);
}

let failed = false;
if (smoke) {
  const baseFile = join(here, 'smoke-baseline.json');
  if (args['update-baseline']) {
    // With --only, the other cases keep their baseline.
    let kept = {};
    try {
      kept = JSON.parse(readFileSync(baseFile, 'utf8')).ratios;
    } catch {
      // none yet
    }
    const base = { ...kept, ...Object.fromEntries(rows.filter((r) => !r.skipped).map((r) => [r.id, { ratio: r.ratio, better: r.better }])) };
    writeFileSync(baseFile, JSON.stringify({ note: 'ratios of `npm run bench -- --smoke`; CI fails when one is 3x worse', node: process.version, ratios: base }, null, 2) + '\n');
  }
  let baseline = {};
  try {
    baseline = JSON.parse(readFileSync(baseFile, 'utf8')).ratios;
  } catch (e) {
    console.error(`bench: no baseline to judge by (${e.message}); write one with: npm run bench -- --smoke --update-baseline`);
  }
  for (const r of rows) {
    if (r.skipped) {
      pushSkipped(r);
      continue;
    }
    const b = baseline[r.id];
    // A ratio with no baseline yet is reported, not judged.
    const worse = !b ? 1 : r.better === 'higher' ? b.ratio / r.ratio : r.ratio / b.ratio;
    r.ok = worse < REGRESSION;
    r.baseline = b?.ratio;
    if (!r.ok) failed = true;
    table.push([r.case + (r.extra ? `\n(${r.extra})` : ''), `${fmt(r.value)} ${r.unit}`, `${fmt(r.reference)}\n(${r.refLabel})`, fmt(r.ratio), b ? `${fmt(b.ratio)} (${r.better} is better)` : 'none yet', r.ok ? 'yes' : `NO: ${worse.toFixed(1)}x worse`]);
  }
} else {
  for (const r of rows) {
    if (r.skipped) {
      pushSkipped(r);
      continue;
    }
    if (!r.ok) failed = true;
    table.push([r.case + (r.extra ? `\n(${r.extra})` : ''), `${fmt(r.value)} ${r.unit}`, `${fmt(r.reference)}\n(${r.refLabel})`, fmt(r.ratio), r.target, r.ok ? 'yes' : 'NO']);
  }
}
console.log(table.toString());
console.log(`calibration: a bare loop of 1,000,000 generator yields took ${calib.toFixed(1)} ms`);

if (!only && !smoke) {
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, memoryGiB: +(totalmem() / 1024 ** 3).toFixed(1), node: process.version, platform: `${process.platform}-${process.arch}` };
  writeFileSync(join(here, 'results.json'), JSON.stringify({ date: new Date().toISOString(), machine, calibrationMs: calib, rows }, null, 2) + '\n');
}
if (failed) {
  console.error(smoke ? `bench --smoke: a ratio is ${REGRESSION}x worse than bench/smoke-baseline.json (see NO above)` : 'bench: a target is missed (see NO above)');
  process.exitCode = 1;
}
