// Case 1 — kernel op throughput: simulated operations per host second on a CPU-bound
// multi-process workload, next to a bare generator loop doing the same yields.
import { createHost, defaultPrograms } from '../../dist/index.js';
import * as sys from '../../dist/userland/lib/sys.js';
import { bareLoop, best, gcMsBetween, gcSettled, now, trackGc, worker } from '../lib.js';

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

/**
 * Wall ms for `procs` CPU-bound processes doing `totalOps` yields between them on 1 CPU,
 * with `sleepers` processes asleep (nanosleep of an hour) the whole time. Only the
 * CPU-bound phase is timed: the workers are forked first and wait at a pipe (the
 * barrier) until the parent closes its end; the clock stops when the last one is done,
 * and they exit only after that (a second barrier); the sleepers are children of
 * another process. So neither
 * fork and exit costs nor the parent's wait over its children are counted.
 */
export function phaseRun(procs, totalOps, sleepers, stayAsleep = true) {
  let t0 = 0;
  let last = 0;
  let done = 0;
  const programs = defaultPrograms();
  programs.add({
    name: 'bench',
    paths: ['/usr/bin/bench'],
    *main() {
      const spawner = yield* sys.fork(function* () {
        for (let i = 0; i < sleepers; i++) {
          const pid = yield* sys.fork(function* () {
            if (stayAsleep) yield* sys.nanosleep(3600e9);
            return 0;
          });
          if (typeof pid !== 'number') return 1;
        }
        if (!stayAsleep) for (let i = 0; i < sleepers; i++) yield* sys.wait4(-1);
        yield* sys.nanosleep(3600e9);
        return 0;
      });
      if (typeof spawner !== 'number') return 1;
      const [rd, wr] = yield* sys.pipe2();
      const [doneRd, doneWr] = yield* sys.pipe2();
      for (let i = 0; i < procs; i++) {
        yield* sys.fork(function* () {
          yield* sys.close(wr);
          yield* sys.close(doneWr);
          yield* sys.read(rd, 1); // end of file when the parent closes its end
          yield* worker(totalOps / procs);
          last = now();
          done++;
          yield* sys.read(doneRd, 1); // exits wait until the clock has stopped
          return 0;
        });
      }
      yield* sys.close(rd);
      yield* sys.close(doneRd);
      yield* sys.nanosleep(1e9); // every child forked and waiting
      t0 = now();
      yield* sys.close(wr);
      while (done < procs) yield* sys.nanosleep(1e6);
      yield* sys.close(doneWr);
      for (let i = 0; i < procs; i++) yield* sys.wait4(-1);
      return 0;
    },
  });
  const host = createHost({ cpus: 1, seed: 1, programs, memoryBytes: 16 * 1024 ** 3 });
  host.kernel.initPidNs.pidMax = 4_194_304;
  const r = host.run(['/usr/bin/bench']);
  if (r.status !== 0) throw new Error(`bench workload failed: ${r.stderr}`);
  return { t0, t1: last };
}

/** The best of `reps` phase runs: wall ms, and wall ms less the garbage collector's time in the phase. */
async function phaseMs(reps, procs, totalOps, sleepers, stayAsleep = true) {
  const spans = Array.from({ length: reps }, () => phaseRun(procs, totalOps, sleepers, stayAsleep));
  await gcSettled();
  return { wall: best(spans.map((s) => s.t1 - s.t0)), mutator: best(spans.map((s) => s.t1 - s.t0 - gcMsBetween(s.t0, s.t1))) };
}

/**
 * The scheduler's costs as the runnable and the sleeping populations grow (picks in
 * O(log n), no per-tick work per sleeper). The verdict leaves out the garbage
 * collector's time: a heap holding 100,000 processes makes every collection slower,
 * which is the host's memory, not the scheduler's work (the wall-time ratio is shown too).
 */
async function schedulerScaling(smoke) {
  await trackGc();
  const total = smoke ? 200_000 : 1_000_000;
  const many = smoke ? 1_000 : 4_000;
  const sleepers = smoke ? 10_000 : 100_000;
  const reps = 3;
  const few = await phaseMs(reps, 4, total, 0);
  const crowd = await phaseMs(reps, many, total, 0);
  // The reference for sleepers forks as many processes and reaps them before the phase:
  // a host process that made 100,000 simulated ones runs the same code slower whatever
  // they do next (V8's type feedback and heap after it; 2.3x here), which is not the
  // cost of their sleeping.
  const exited = await phaseMs(reps, 4, total, sleepers, false);
  const asleep = await phaseMs(reps, 4, total, sleepers, true);
  const row = (id, text, m, ref, refLabel, target, extra = '') => ({
    id,
    case: text,
    value: total / (m.mutator / 1000),
    unit: 'ops/s',
    reference: total / (ref.mutator / 1000),
    refLabel,
    ratio: ref.mutator / m.mutator,
    better: 'higher',
    target: `>= ${target.toFixed(2)}, garbage collection left out`,
    ok: ref.mutator / m.mutator >= target,
    extra: `wall-time ratio with garbage collection ${(ref.wall / m.wall).toFixed(2)}${extra}`,
  });
  const n = sleepers.toLocaleString('en');
  return [
    row('sched.runnable', `1. ops/s with ${many.toLocaleString('en')} runnable processes vs 4 (same total work, 1 CPU)`, crowd, few, 'ops/s with 4 processes and no others', 0.33),
    row(
      'sched.sleepers',
      `1. ops/s of 4 CPU-bound processes with ${n} sleeping ones vs ${n} forked and reaped before`,
      asleep,
      exited,
      `ops/s after ${n} processes were forked and reaped`,
      0.8,
      `; against a host that never forked them ${(few.mutator / asleep.mutator).toFixed(2)}`,
    ),
  ];
}

export default async function throughput({ smoke }) {
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
  const bareOps = ops / (best(bare) / 1000);
  const k1Ops = ops / (best(k1) / 1000);
  const k2Ops = ops / (best(k2) / 1000);
  const common = { unit: 'ops/s', reference: bareOps, refLabel: 'bare generator loop, same yields', better: 'higher' };
  return [
    { id: 'throughput.1cpu', case: `1. kernel ops/s, 1 CPU, ${PROCS} CPU-bound processes`, value: k1Ops, ...common, ratio: k1Ops / bareOps, target: '>= 0.40 of the bare loop', ok: k1Ops / bareOps >= 0.4 },
    { id: 'throughput.2cpu', case: `1. kernel ops/s, 2 CPUs, ${PROCS} CPU-bound processes`, value: k2Ops, ...common, ratio: k2Ops / bareOps, target: 'reported', ok: true },
    ...(await schedulerScaling(smoke)),
  ];
}
