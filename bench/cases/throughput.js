// Case 1 — kernel op throughput: simulated operations per host second on a CPU-bound
// multi-process workload, next to a bare generator loop doing the same yields.
import { createHost, defaultPrograms } from '../../dist/index.js';
import * as sys from '../../dist/userland/lib/sys.js';
import { bareLoop, median, now, worker } from '../lib.js';

const PROCS = 4;

function kernelRun(cpus, opsPerProc) {
  const programs = defaultPrograms();
  programs.add({
    name: 'bench',
    paths: ['/usr/bin/bench'],
    *main() {
      for (let i = 0; i < PROCS; i++) yield* sys.fork(() => worker(opsPerProc));
      for (let i = 0; i < PROCS; i++) yield* sys.wait4(-1);
      return 0;
    },
  });
  const host = createHost({ cpus, seed: 1, programs });
  const t0 = now();
  const r = host.run(['/usr/bin/bench']);
  const ms = now() - t0;
  if (r.status !== 0) throw new Error('bench workload failed');
  return ms;
}

export default function throughput({ smoke }) {
  const opsPerProc = smoke ? 50_000 : 250_000;
  const reps = smoke ? 3 : 5;
  const ops = PROCS * opsPerProc;
  const bare = [];
  const k1 = [];
  const k2 = [];
  for (let rep = 0; rep < reps; rep++) {
    const t0 = now();
    bareLoop(PROCS, opsPerProc);
    bare.push(now() - t0);
    k1.push(kernelRun(1, opsPerProc));
    k2.push(kernelRun(2, opsPerProc));
  }
  const bareOps = ops / (median(bare) / 1000);
  const k1Ops = ops / (median(k1) / 1000);
  const k2Ops = ops / (median(k2) / 1000);
  const common = { unit: 'ops/s', reference: bareOps, refLabel: 'bare generator loop, same yields', better: 'higher' };
  return [
    { id: 'throughput.1cpu', case: `1. kernel ops/s, 1 CPU, ${PROCS} CPU-bound processes`, value: k1Ops, ...common, ratio: k1Ops / bareOps, target: '>= 0.40 of the bare loop', ok: k1Ops / bareOps >= 0.4 },
    { id: 'throughput.2cpu', case: `1. kernel ops/s, 2 CPUs, ${PROCS} CPU-bound processes`, value: k2Ops, ...common, ratio: k2Ops / bareOps, target: 'reported', ok: true },
  ];
}
