/**
 * The flags every command that boots a simulated host shares (--cpus, --memory,
 * --seed, --costs), and their translation into HostOptions with clear errors.
 */
import { Flags } from '@oclif/core';
import { UsageError } from '../sim/input-error.js';
import { parseSize } from '../sim/units.js';
import { loadDefaultCosts, parseCostTable, type LoadedCosts } from '../hw/cost-table.js';
import type { HostOptions } from '../host.js';
import { readJsonFile } from './input-files.js';

export const hostFlags = {
  cpus: Flags.integer({ description: 'Number of simulated CPUs.', default: 2, helpGroup: 'HOST' }),
  memory: Flags.string({ description: 'Simulated RAM, e.g. 4G, 512M.', default: '4G', helpGroup: 'HOST' }),
  seed: Flags.integer({ description: 'Seed of every random choice; the same seed gives the same run.', default: 1, helpGroup: 'HOST' }),
  costs: Flags.string({ description: 'A cost-table JSON file overriding some or all of fixtures/costs/default.json.', helpGroup: 'HOST' }),
  sched: Flags.string({
    description: 'The scheduling policy every process inherits: cfs (Linux\'s default, SCHED_OTHER), rr (SCHED_RR) or fifo (SCHED_FIFO), both at priority 1.',
    options: ['cfs', 'rr', 'fifo'],
    default: 'cfs',
    helpGroup: 'HOST',
  }),
};

/** Reads and validates a --costs file on top of the defaults. */
export function loadCostsFile(path: string): LoadedCosts {
  const doc = readJsonFile(path, '--costs', 'a readable cost-table JSON file', 'see fixtures/costs/default.json for the format');
  return parseCostTable(doc, path, loadDefaultCosts());
}

export function hostOptionsFrom(flags: { cpus: number; memory: string; seed: number; costs?: string; sched?: string }): HostOptions {
  if (!Number.isInteger(flags.cpus) || flags.cpus < 1 || flags.cpus > 1024) {
    throw new UsageError({ source: '--cpus', expected: 'a whole number of CPUs from 1 to 1024', found: String(flags.cpus) });
  }
  const memoryBytes = parseSize(flags.memory);
  if (memoryBytes === null || memoryBytes < 16 * 1024 * 1024) {
    throw new UsageError({ source: '--memory', expected: 'a size of at least 16M, like 512M or 4G', found: flags.memory });
  }
  if (flags.seed < 0) throw new UsageError({ source: '--seed', expected: 'a non-negative whole number', found: String(flags.seed) });
  return {
    cpus: flags.cpus,
    memoryBytes,
    seed: flags.seed,
    costs: flags.costs ? loadCostsFile(flags.costs) : undefined,
    schedPolicy: (flags.sched ?? 'cfs') as 'cfs' | 'rr' | 'fifo',
  };
}
