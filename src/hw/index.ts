/** The hardware model's public surface. */
export { Cpu } from './cpu.js';
export type { Machine, PrivilegedOp } from './machine.js';
export type { SerialPort } from './serial.js';
export { PhysicalMachine } from './physical-machine.js';
export type { PhysicalMachineConfig } from './physical-machine.js';
export { COST_KEYS, copyCost, loadDefaultCosts, parseCostTable } from './cost-table.js';
export type { CostKey, CostSources, CostTable, LoadedCosts } from './cost-table.js';
