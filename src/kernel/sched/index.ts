/** The scheduler's public surface: the CFS/RT scheduler, tunables, nice weights, load averages. */
export { Scheduler, defaultTunables, isRt } from './scheduler.js';
export type { CpuRunState, SchedTunables } from './scheduler.js';
export { NICE_0_WEIGHT, niceToWeight } from './weights.js';
export { formatLoad, loadAverages } from './loadavg.js';
