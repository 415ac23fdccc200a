/**
 * Load averages (/proc/loadavg, sysinfo(2)): exponentially decaying averages of the
 * number of runnable and uninterruptible tasks, sampled every 5 s (LOAD_FREQ) with
 * Linux's fixed-point constants (kernel/sched/loadavg.c: FSHIFT 11, EXP_1 1884,
 * EXP_5 2014, EXP_15 2037).
 *
 * Simplification: samples are taken lazily when the averages are read, using the
 * number of active tasks at that moment for every 5 s boundary crossed since the
 * last read; a real kernel samples at each boundary.
 */
import type { Kernel } from '../kernel.js';
import { TaskState } from '../proc/task.js';

const FSHIFT = 11;
const FIXED_1 = 1 << FSHIFT;
const EXP = [1884, 2014, 2037];
const LOAD_FREQ_NS = 5_000_000_000 + 10_000_000; // 5 s + 1 tick, as LOAD_FREQ = 5*HZ+1

interface LoadState {
  avenrun: [number, number, number];
  lastSampleNs: number;
}

const states = new WeakMap<Kernel, LoadState>();

function active(k: Kernel): number {
  let n = 0;
  for (const t of k.tasks.values()) if (t.state === TaskState.Running || t.state === TaskState.DiskSleep) n++;
  return n;
}

function calcLoad(load: number, exp: number, activeFixed: number): number {
  let newload = load * exp + activeFixed * (FIXED_1 - exp);
  if (activeFixed >= load) newload += FIXED_1 - 1;
  return Math.floor(newload / FIXED_1);
}

/** Brings the averages up to date and returns them as numbers (1, 5, 15 minutes). */
export function loadAverages(k: Kernel): [number, number, number] {
  let s = states.get(k);
  if (!s) {
    s = { avenrun: [0, 0, 0], lastSampleNs: 0 };
    states.set(k, s);
  }
  const n = active(k) * FIXED_1;
  while (s.lastSampleNs + LOAD_FREQ_NS <= k.now) {
    s.lastSampleNs += LOAD_FREQ_NS;
    for (let i = 0; i < 3; i++) s.avenrun[i] = calcLoad(s.avenrun[i], EXP[i], n);
  }
  return s.avenrun.map((v) => v / FIXED_1) as [number, number, number];
}

/** The /proc/loadavg text of a load value: two decimals, computed as the kernel does (LOAD_INT, LOAD_FRAC). */
export function formatLoad(v: number): string {
  const fixed = Math.round(v * FIXED_1);
  const int = fixed >> FSHIFT;
  const frac = Math.floor((((fixed & (FIXED_1 - 1)) * 100) + FIXED_1 / 200) / FIXED_1);
  return `${int}.${String(frac).padStart(2, '0')}`;
}
