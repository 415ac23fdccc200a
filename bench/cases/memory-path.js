// Case 2 — the memory path: simulated memory accesses per host second on the TLB-hit
// path and on the miss path, natively and under nested paging; and while swapping.
import { createHost, defaultPrograms } from '../../dist/index.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, touch } from '../../dist/userland/lib/mem.js';
import { median, now } from '../lib.js';

const TLB_PAGES = 64;

/** A host whose program maps `pages`, writes them once, then reads them `passes` times. */
function accessHost(pages, passes, opts = {}) {
  const programs = defaultPrograms();
  programs.add({
    name: 'toucher',
    paths: ['/usr/bin/toucher'],
    *main() {
      const len = pages * 4096;
      const p = yield* mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
      if (typeof p !== 'number') return 1;
      yield* touch(p, len, true);
      for (let i = 0; i < passes; i++) yield* touch(p, len, false);
      return 0;
    },
  });
  return createHost({ cpus: 1, seed: 1, programs, ...opts });
}

export default function memoryPath({ smoke }) {
  const passes = smoke ? 8_000 : 40_000;
  const reps = 3;
  const runs = [];
  let hitRate = 0;
  for (let rep = 0; rep < reps; rep++) {
    const host = accessHost(TLB_PAGES, passes);
    const t0 = now();
    const r = host.run(['/usr/bin/toucher']);
    runs.push(now() - t0);
    if (r.status !== 0) throw new Error('toucher failed');
    const tlb = host.machine.cpus[0].tlb;
    hitRate = (100 * tlb.hits) / (tlb.hits + tlb.misses);
  }
  const accesses = TLB_PAGES * (passes + 1);
  const perSec = accesses / (median(runs) / 1000);
  // Swapping: a program writing and reading 2x RAM (64 MiB of 32 MiB), pages per host second.
  const swapPages = smoke ? 4_096 : 16_384;
  const swapRuns = [];
  let swapped = 0;
  for (let rep = 0; rep < reps; rep++) {
    const host = accessHost(swapPages, 1, { memoryBytes: (swapPages * 4096) / 2, swapBytes: swapPages * 4096 * 2 });
    const t0 = now();
    const r = host.run(['/usr/bin/toucher']);
    swapRuns.push(now() - t0);
    if (r.status !== 0) throw new Error('swapping toucher failed');
    swapped = host.kernel.mem.events.pswpout;
  }
  const swapPerSec = (swapPages * 2) / (median(swapRuns) / 1000);
  return [
    {
      id: 'mem.tlb-hit',
      case: `2. memory accesses/s, TLB-hit path (${TLB_PAGES} pages read ${passes.toLocaleString('en')} times)`,
      value: perSec,
      unit: 'accesses/s',
      reference: 5e6,
      refLabel: 'the target, 5 M/s',
      ratio: perSec / 5e6,
      better: 'higher',
      target: '>= 5 M/s (ratio >= 1)',
      ok: perSec >= 5e6,
      extra: `TLB hit rate ${hitRate.toFixed(2)}%`,
    },
    {
      id: 'mem.swapping',
      case: `2. page accesses/s while swapping (${(swapPages / 256).toFixed(0)} MiB touched twice in half as much RAM)`,
      value: swapPerSec,
      unit: 'accesses/s',
      reference: perSec,
      refLabel: 'TLB-hit accesses/s',
      ratio: swapPerSec / perSec,
      better: 'higher',
      target: 'reported',
      ok: true,
      extra: `${swapped.toLocaleString('en')} pages swapped out`,
    },
  ];
}
