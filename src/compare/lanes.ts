/**
 * The scheduling Gantt chart's data: what each CPU of each machine ran, sampled at a
 * fixed step of simulated time and merged into slices — the host's CPUs (where a VM
 * shows as its VMM's threads) and each VM's vCPUs (what the guest kernel ran on them).
 *
 * Simplification: a sample every SAMPLE_NS, so a task that ran for less than that
 * between two samples does not appear; the chart shows where time went, not every switch.
 */
import type { Kernel } from '../kernel/kernel.js';
import type { CpuLane } from './report.js';

/** The sampling step (simulated ns). */
export const SAMPLE_NS = 250_000;
/** At most this many slices per lane (the earliest are kept): enough for a chart, small for JSON. */
const MAX_SLICES = 400;

export interface LaneSampler {
  /** Adds a machine to sample from now on (a VM once it is started). */
  add(name: string, k: Kernel): void;
  stop(): void;
  lanes(): CpuLane[];
}

/** Samples the given machines' CPUs every SAMPLE_NS with a deferrable event (it never keeps the simulation busy). */
export function sampleLanes(machines: { name: string; kernel: Kernel }[]): LaneSampler {
  const lanes: (CpuLane & { k: Kernel; open: string | null })[] = [];
  const add = (name: string, k: Kernel): void => {
    k.percpu.forEach((_, cpu) => lanes.push({ machine: name, cpu, slices: [], k, open: null }));
  };
  for (const m of machines) add(m.name, m.kernel);
  const engine = machines[0].kernel.engine;
  let stopped = false;
  const tick = (): void => {
    if (stopped) return;
    const now = engine.now;
    for (const l of lanes) {
      const t = l.k.percpu[l.cpu].current;
      const label = t === null ? null : t.comm;
      const last = l.slices[l.slices.length - 1];
      if (label !== null && l.open === label && last) last.endNs = now + SAMPLE_NS;
      else if (label !== null && l.slices.length < MAX_SLICES) l.slices.push({ startNs: now, endNs: now + SAMPLE_NS, label });
      l.open = label;
    }
    engine.at(now + SAMPLE_NS, tick, true);
  };
  engine.at(engine.now, tick, true);
  return {
    add,
    stop: () => {
      stopped = true;
    },
    lanes: () => lanes.map(({ machine, cpu, slices }) => ({ machine, cpu, slices })),
  };
}
