// Case 3 of the performance issue, "Scale": N containers of 3 processes each, started
// the way `ctsim run -d` starts them (through the runtime: overlay root file system over
// the shared busybox layer, bridge network, runc with its own pid, mount, uts, ipc, net
// and cgroup namespaces), then one simulated second of running. Each size runs in a
// child process of its own (bench/cases/scale-child.js), so that its peak RSS is its own.
//
// Rows: the wall time of each size (ratio: ms per container in machine-speed units), the
// peak RSS of the largest size, and the linearity time(large) / time(small).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET_MS = 20_000;
const TARGET_RSS_MIB = 2048;
const TARGET_LINEARITY = 12;

/** Runs one size in a child process; its JSON line. */
function runSize(n) {
  // Heap room beyond the RSS target, so that a miss is measured rather than a crash.
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', join(here, 'scale-child.js'), String(n)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`scale-child ${n} failed with status ${r.status ?? r.signal}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

export default function scale({ smoke, calib }) {
  const sizes = smoke ? [100, 300] : [100, 1_000, 10_000];
  const big = sizes.at(-1);
  const runs = new Map(sizes.map((n) => [n, runSize(n)]));
  const rows = sizes.map((n) => {
    const s = runs.get(n);
    const perMs = s.totalMs / n;
    return {
      id: `scale.${n}`,
      case: `3. ${n.toLocaleString('en')} containers (3 processes each, ctsim run -d) started and run 1 simulated second`,
      value: s.totalMs,
      unit: 'ms',
      reference: calib,
      refLabel: 'the machine-speed unit (bare loop, ms)',
      ratio: perMs / calib,
      better: 'lower',
      target: n === 10_000 ? '<= 20 s for 10,000' : 'reported',
      ok: n === 10_000 ? s.totalMs <= TARGET_MS : true,
      extra: `${perMs.toFixed(1)} ms per container; boot CPU ${(s.bootCpuMs / 1000).toFixed(1)} s; peak RSS ${(s.maxRssKiB / 1024).toFixed(0)} MiB; ${s.tasks} tasks`,
    };
  });
  const rssMiB = runs.get(big).maxRssKiB / 1024;
  rows.push({
    id: 'scale.rss',
    case: `3. ${big.toLocaleString('en')} containers: peak RSS of the process`,
    value: rssMiB,
    unit: 'MiB',
    reference: TARGET_RSS_MIB,
    refLabel: 'the target, 2 GiB',
    ratio: rssMiB / TARGET_RSS_MIB,
    better: 'lower',
    target: '<= 2 GiB for 10,000',
    ok: big === 10_000 ? rssMiB <= TARGET_RSS_MIB : true,
    extra: `${((runs.get(big).maxRssKiB - runs.get(sizes[0]).maxRssKiB) / (big - sizes[0])).toFixed(0)} KiB more per container than at ${sizes[0]}`,
  });
  const small = sizes.at(-2);
  const linearity = runs.get(big).totalMs / runs.get(small).totalMs;
  rows.push({
    id: 'scale.linearity',
    case: `3. time(${big.toLocaleString('en')}) / time(${small.toLocaleString('en')})`,
    value: linearity,
    unit: 'x',
    reference: big / small,
    refLabel: 'the ratio of the sizes (linear)',
    ratio: linearity,
    better: 'lower',
    target: smoke ? 'reported' : '<= 12 (linear, not quadratic)',
    ok: smoke ? true : linearity <= TARGET_LINEARITY,
    extra: `boot CPU time ratio ${(runs.get(big).bootCpuMs / runs.get(small).bootCpuMs).toFixed(2)}`,
  });
  return rows;
}
