/** The hardware model's public surface. */
export { Cpu } from './cpu.js';
export type { Machine, PrivilegedOp } from './machine.js';
export type { SerialPort } from './serial.js';
export { PhysicalMachine } from './physical-machine.js';
export type { PhysicalMachineConfig } from './physical-machine.js';
export { COST_KEYS, copyCost, loadDefaultCosts, parseCostTable } from './cost-table.js';
export type { CostKey, CostSources, CostTable, LoadedCosts } from './cost-table.js';
export type { ScsiHost, ScsiUnit, ScsiCommandResult } from './scsi.js';
export { ScsiDisk, deviceLatencyNs } from './scsi-disk.js';
export type { DiskMedium, ScsiTargetInfo } from './scsi-disk.js';
export { PhysicalScsiHba } from './physical-scsi.js';
export { MemoryMedium } from './memory-medium.js';
