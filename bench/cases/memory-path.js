// Case 2 — the memory path: simulated memory accesses per host second on the TLB-hit
// path and on the miss path, natively and under nested paging; and while swapping.
//
// A program maps `pages`, writes them once, then reads them `passes` times, one access
// per page. 64 pages fit the TLB (64 entries, 4-way: costs tlbEntries/tlbWays), so
// every read hits; 1,024 pages read in order evict each entry before it is used again
// (LRU in every set), so every read misses and walks page tables that are all present.
// The nested rows run the same program in a guest (kvm profile: hardware assist,
// nested paging) on a hosted VM; a miss there is a 2-D walk (24 references).
// Each row says its TLB hit rate, which shows it measures the path it names.
import { createHost, defaultPrograms } from '../../dist/index.js';
import { launchHostedVm } from '../../dist/hypervisor/kvm-host.js';
import { parseVmConfig } from '../../dist/hypervisor/vm-config.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, mmap, touch } from '../../dist/userland/lib/mem.js';
import { median, now } from '../lib.js';

const HIT_PAGES = 64;
const MISS_PAGES = 1024;
const REPS = 3;

/** The default programs and `toucher`, which maps `pages`, writes them once, then reads them `passes` times. */
function programsWithToucher(pages, passes) {
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
  return programs;
}

/** Runs `toucher` `REPS` times with `run`; accesses per host second (median) and the TLB's hit rate over the runs. */
function timeToucher(pages, passes, run, tlb, what) {
  const ms = [];
  const h0 = tlb().hits;
  const m0 = tlb().misses;
  for (let rep = 0; rep < REPS; rep++) {
    const t0 = now();
    const r = run(rep);
    ms.push(now() - t0);
    if (r.status !== 0) throw new Error(`${what}: toucher exited ${r.status}: ${r.stderr}`);
  }
  const hits = tlb().hits - h0;
  const misses = tlb().misses - m0;
  return { perSec: (pages * (passes + 1)) / (median(ms) / 1000), hitRate: (100 * hits) / (hits + misses) };
}

/** The toucher on a host of its own (a fresh one per run). */
function native(pages, passes) {
  let host;
  return timeToucher(
    pages,
    passes,
    () => {
      host = createHost({ cpus: 1, seed: 1, programs: programsWithToucher(pages, passes) });
      return host.run(['/usr/bin/toucher']);
    },
    () => host?.machine.cpus[0].tlb ?? { hits: 0, misses: 0 },
    'native',
  );
}

/** The toucher in a booted guest (hardware assist, nested paging) on a hosted VM; the boot is not timed. */
function nested(pages, passes) {
  const host = createHost({ cpus: 2, seed: 1 });
  const doc = { 'machine-config': { vcpu_count: 1, mem_size_mib: 256 }, 'boot-source': { kernel_image_path: 'vmlinux' }, 'cpu-virt': 'hw', 'mem-virt': 'nested' };
  const h = launchHostedVm(host, parseVmConfig(doc, 'bench-guest.json', { name: 'guest', profile: 'kvm' }), { programs: programsWithToucher(pages, passes) });
  if (h.vm.sh('true').status !== 0) throw new Error('the guest did not boot');
  const mv = h.vm.machine.memVirt.counters;
  const m0 = mv.tlbMisses;
  const r0 = mv.walkRefs;
  const out = timeToucher(pages, passes, () => h.vm.run(['/usr/bin/toucher']), () => h.vm.machine.cpus[0].tlb, 'nested');
  return { ...out, refsPerMiss: (mv.walkRefs - r0) / (mv.tlbMisses - m0) };
}

export default function memoryPath({ smoke, calib }) {
  // The machine's speed in this run: generator yields per second of the calibration loop.
  const bareYields = 1e6 / (calib / 1000);
  // Smoke sizes stay large enough for the code to be compiled well before the median run:
  // the other rows' ratios are to the hit row.
  const passes = smoke ? 20_000 : 40_000;
  const hit = native(HIT_PAGES, passes);
  const miss = native(MISS_PAGES, smoke ? 200 : 400);
  const nestedHit = nested(HIT_PAGES, smoke ? 10_000 : 20_000);
  const nestedMiss = nested(MISS_PAGES, smoke ? 60 : 150);
  // Swapping: a program writing and reading 2x RAM (64 MiB of 32 MiB), pages per host second.
  const swapPages = smoke ? 4_096 : 16_384;
  const swapRuns = [];
  let swapped = 0;
  for (let rep = 0; rep < REPS; rep++) {
    const host = createHost({ cpus: 1, seed: 1, programs: programsWithToucher(swapPages, 1), memoryBytes: (swapPages * 4096) / 2, swapBytes: swapPages * 4096 * 2 });
    const t0 = now();
    const r = host.run(['/usr/bin/toucher']);
    swapRuns.push(now() - t0);
    if (r.status !== 0) throw new Error('swapping toucher failed');
    swapped = host.kernel.mem.events.pswpout;
  }
  const swapPerSec = (swapPages * 2) / (median(swapRuns) / 1000);
  const vsHit = (id, title, m, extra) => ({
    id,
    case: `2. memory accesses/s, ${title}`,
    value: m.perSec,
    unit: 'accesses/s',
    reference: hit.perSec,
    refLabel: 'native TLB-hit accesses/s',
    ratio: m.perSec / hit.perSec,
    better: 'higher',
    target: 'reported',
    ok: true,
    extra: `TLB hit rate ${m.hitRate.toFixed(2)}%${extra ? `; ${extra}` : ''}`,
  });
  return [
    {
      id: 'mem.tlb-hit',
      case: `2. memory accesses/s, TLB-hit path (${HIT_PAGES} pages read ${passes.toLocaleString('en')} times)`,
      value: hit.perSec,
      unit: 'accesses/s',
      reference: bareYields,
      refLabel: 'bare-loop yields/s (the calibration)',
      ratio: hit.perSec / bareYields,
      better: 'higher',
      target: '>= 5 M/s',
      ok: hit.perSec >= 5e6,
      extra: `TLB hit rate ${hit.hitRate.toFixed(2)}%`,
    },
    vsHit('mem.tlb-miss', `TLB-miss path, page tables present (${MISS_PAGES} pages read in order)`, miss),
    vsHit('mem.nested-hit', `nested paging, TLB-hit path (a guest's ${HIT_PAGES} pages)`, nestedHit, `${nestedHit.refsPerMiss.toFixed(1)} references per miss`),
    vsHit('mem.nested-miss', `nested paging, TLB-miss path (a guest's ${MISS_PAGES} pages read in order)`, nestedMiss, `${nestedMiss.refsPerMiss.toFixed(1)} references per miss (a 2-D walk)`),
    {
      id: 'mem.swapping',
      case: `2. page accesses/s while swapping (${(swapPages / 256).toFixed(0)} MiB touched twice in half as much RAM)`,
      value: swapPerSec,
      unit: 'accesses/s',
      reference: hit.perSec,
      refLabel: 'native TLB-hit accesses/s',
      ratio: swapPerSec / hit.perSec,
      better: 'higher',
      target: 'reported',
      ok: true,
      extra: `${swapped.toLocaleString('en')} pages swapped out`,
    },
  ];
}
