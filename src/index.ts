/**
 * ctsim's library API: boot a simulated host and run commands in it.
 * The CLI (src/commands/) is a thin layer over this.
 */
export { Host, createHost, ROOT_ENV, DEFAULT_BOOT_EPOCH_NS } from './host.js';
export type { HostOptions, RunOptions, RunResult } from './host.js';
export { Engine } from './sim/engine.js';
export { InputError, UsageError } from './sim/input-error.js';
export { loadDefaultCosts, parseCostTable } from './hw/cost-table.js';
export { defaultPrograms } from './userland/index.js';
