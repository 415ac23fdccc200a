/**
 * The scheduler (sched(7)): CFS-like fair sharing weighted by nice values
 * (sched_prio_to_weight), real-time FIFO/RR above it, time slices ending in timer
 * preemption, and the work-conserving use of every CPU.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import type { Host } from '../../../src/index.js';
import { niceToWeight } from '../../../src/kernel/sched/weights.js';
import { SchedPolicy } from '../../../src/kernel/proc/task.js';
import { taskTimes } from '../../../src/kernel/cpu-loop.js';

const MS = 1_000_000;

/** A CPU hog: bursts of 100 µs forever. */
function* hog(): Program {
  for (;;) yield 100_000;
}

function startHogs(host: Host, n: number, setup?: (i: number) => Program): number[] {
  const pids: number[] = [];
  for (let i = 0; i < n; i++) {
    const { task } = host.spawn([`/usr/bin/${setup ? `h${i}` : 'hog'}`]);
    pids.push(task.tid);
  }
  return pids;
}

function cpuOf(host: Host, pid: number): number {
  const t = taskTimes(host.kernel, host.kernel.tasks.get(pid)!);
  return t.utimeNs + t.stimeNs;
}

describe('fair scheduling', () => {
  test('two equal hogs on one CPU share it equally, switching at slice ends', () => {
    const host = hostWith({ hog }, { cpus: 1 });
    const [a, b] = startHogs(host, 2);
    host.engine.run({ until: host.now + 1000 * MS });
    const ca = cpuOf(host, a);
    const cb = cpuOf(host, b);
    expect(ca + cb).toBeGreaterThan(950 * MS);
    expect(Math.abs(ca - cb) / (ca + cb)).toBeLessThan(0.02);
    const t = host.kernel.tasks.get(a)!;
    expect(t.nivcsw).toBeGreaterThan(50);
  });

  test('nice 0 vs nice 5 share CPU in the ratio of their weights (1024:335)', () => {
    const host = hostWith(
      {
        h0: hog,
        *h1() {
          yield* sys.setpriority(0, 0, 5);
          yield* hog();
        },
      },
      { cpus: 1 },
    );
    const [a, b] = startHogs(host, 2, () => hog());
    host.engine.run({ until: host.now + 3000 * MS });
    const ratio = cpuOf(host, a) / cpuOf(host, b);
    expect(ratio).toBeGreaterThan((1024 / 335) * 0.95);
    expect(ratio).toBeLessThan((1024 / 335) * 1.05);
  });

  test('property: N hogs on C CPUs each get about C/N of a CPU (work-conserving)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 8 }), (cpus, n) => {
        const host = hostWith({ hog }, { cpus });
        const pids = startHogs(host, n);
        host.engine.run({ until: host.now + 600 * MS });
        const shares = pids.map((p) => cpuOf(host, p) / (600 * MS));
        const expected = Math.min(1, cpus / n);
        for (const s of shares) expect(Math.abs(s - expected)).toBeLessThan(0.06);
      }),
      { numRuns: 20 },
    );
  });

  test('a sleeper that wakes up gets the CPU quickly (wake-up preemption)', () => {
    const host = hostWith(
      {
        hog,
        *sleeper() {
          let worst = 0;
          for (let i = 0; i < 20; i++) {
            const before = Number(yield* sys.clockGettime(1));
            yield* sys.nanosleep(10 * MS);
            const after = Number(yield* sys.clockGettime(1));
            worst = Math.max(worst, after - before - 10 * MS);
          }
          return worst > 2 * MS ? 1 : 0;
        },
      },
      { cpus: 1 },
    );
    host.spawn(['/usr/bin/hog']);
    const r = host.run(['/usr/bin/sleeper']);
    expect(r.status).toBe(0);
  });
});

describe('real-time scheduling', () => {
  test('a SCHED_FIFO task runs to completion before any SCHED_OTHER task', () => {
    const host = hostWith(
      {
        hog,
        *rt() {
          yield* sys.schedSetscheduler(0, SchedPolicy.Fifo, 50);
          for (let i = 0; i < 100; i++) yield 1 * MS;
          return 0;
        },
      },
      { cpus: 1 },
    );
    const [h] = startHogs(host, 1);
    host.engine.run({ until: host.now + 10 * MS });
    const hogBefore = cpuOf(host, h);
    const r = host.run(['/usr/bin/rt']);
    expect(r.status).toBe(0);
    // The hog got (almost) nothing while the FIFO task ran 100 ms.
    expect(cpuOf(host, h) - hogBefore).toBeLessThan(2 * MS);
    expect(r.elapsedNs).toBeLessThan(102 * MS);
  });

  test('a non-root process may not become real-time (EPERM)', () => {
    const host = hostWith({
      *t() {
        yield* sys.setuid(1000);
        const r = yield* sys.schedSetscheduler(0, SchedPolicy.Fifo, 10);
        return r instanceof Object && 'errno' in r && r.errno === 'EPERM' ? 0 : 1;
      },
    });
    expect(host.run(['/usr/bin/t']).status).toBe(0);
  });
});

test('nice values map to Linux weights', () => {
  expect(niceToWeight(0)).toBe(1024);
  expect(niceToWeight(-20)).toBe(88761);
  expect(niceToWeight(19)).toBe(15);
  expect(niceToWeight(5)).toBe(335);
});

describe('the policy every process inherits (--sched)', () => {
  test('with rr, two hogs alternate in 100 ms quanta (SCHED_RR)', () => {
    const host = hostWith({ hog }, { cpus: 1, schedPolicy: 'rr' });
    const [a, b] = startHogs(host, 2);
    host.engine.run({ until: host.now + 250 * MS });
    const t = host.kernel.tasks.get(a)!;
    expect(t.policy).toBe(SchedPolicy.RR);
    // 250 ms: a ran [0,100) and [200,250), b ran [100,200).
    expect(cpuOf(host, a)).toBeGreaterThan(140 * MS);
    expect(cpuOf(host, b)).toBeGreaterThan(95 * MS);
    expect(cpuOf(host, b)).toBeLessThan(105 * MS);
  });

  test('with fifo, the first hog keeps the CPU until it blocks', () => {
    const host = hostWith({ hog }, { cpus: 1, schedPolicy: 'fifo' });
    const [a, b] = startHogs(host, 2);
    host.engine.run({ until: host.now + 500 * MS });
    expect(cpuOf(host, a)).toBeGreaterThan(495 * MS);
    expect(cpuOf(host, b)).toBe(0);
  });
});
