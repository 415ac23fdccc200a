/**
 * The flags every command that boots a simulated host shares (--cpus, --memory,
 * --seed, --costs), and their translation into HostOptions with clear errors.
 */
import { Flags } from '@oclif/core';
import { UsageError } from '../sim/input-error.js';
import { MAX_HOST_MEMORY_BYTES, parseDurationNs, parseSize } from '../sim/units.js';
import { loadDefaultCosts, parseCostTable, type LoadedCosts } from '../hw/cost-table.js';
import type { HostOptions } from '../host.js';
import { readJsonFile } from './input-files.js';
import { SWAP_POLICIES, type SwapPolicy } from '../kernel/mm/memory.js';

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
  swap: Flags.string({
    description: 'Size of the swap device, e.g. 1G; 0 means no swap (the default, as on most cloud VMs and Kubernetes nodes).',
    default: '0',
    helpGroup: 'HOST',
  }),
  'swap-policy': Flags.string({
    description: 'Which page the kernel evicts to swap when RAM runs out: clock (second chance, the default), lru, fifo or rand.',
    options: [...SWAP_POLICIES],
    default: 'clock',
    helpGroup: 'HOST',
  }),
};

/** A --seed value the simulation can take (a non-negative safe integer), or a usage error. */
/** A simulated host's CPUs from a flag: a whole number from 1 to 1024. */
export function hostCpusFrom(flag: string, value: number | string): number {
  const n = typeof value === 'number' || /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 1024) throw new UsageError({ source: flag, expected: 'a whole number of CPUs from 1 to 1024', found: String(value) });
  return n;
}

/** A simulated host's RAM from a flag: 16M to 1T (a larger host would exhaust this machine). */
export function hostMemoryFrom(flag: string, value: string): number {
  const n = parseSize(value);
  if (n === null || n < 16 * 1024 * 1024 || n > MAX_HOST_MEMORY_BYTES) throw new UsageError({ source: flag, expected: 'a size from 16M to 1T, like 512M or 4G', found: value });
  return n;
}

/** A simulated host's swap from a flag: 0 (none), or 40K (mkswap's least) to 1T. */
export function hostSwapFrom(flag: string, value: string): number {
  const n = parseSize(value);
  if (n === null || (n > 0 && n < 40 * 1024) || n > MAX_HOST_MEMORY_BYTES) throw new UsageError({ source: flag, expected: 'a size of 0 (no swap) or from 40K to 1T, like 512M or 2G', found: value });
  return n;
}

/** --time-limit: a simulated duration greater than 0. */
export function timeLimitFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ns = parseDurationNs(value);
  if (ns === null || ns <= 0) throw new UsageError({ source: '--time-limit', expected: 'a duration greater than 0, like 10s or 500ms', found: value });
  return ns;
}

export function checkSeed(seed: number, flag = '--seed'): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError({ source: flag, expected: `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`, found: String(seed) });
  return seed;
}

/** Reads and validates a --costs file on top of the defaults. */
export function loadCostsFile(path: string): LoadedCosts {
  const doc = readJsonFile(path, '--costs', 'a readable cost-table JSON file', 'see fixtures/costs/default.json for the format');
  return parseCostTable(doc, path, loadDefaultCosts());
}

export function hostOptionsFrom(flags: {
  cpus: number;
  memory: string;
  seed: number;
  costs?: string;
  sched?: string;
  swap?: string;
  'swap-policy'?: string;
}): HostOptions {
  const cpus = hostCpusFrom('--cpus', flags.cpus);
  const memoryBytes = hostMemoryFrom('--memory', flags.memory);
  const swapBytes = hostSwapFrom('--swap', flags.swap ?? '0');
  checkSeed(flags.seed);
  return {
    cpus,
    memoryBytes,
    seed: flags.seed,
    costs: flags.costs ? loadCostsFile(flags.costs) : undefined,
    schedPolicy: (flags.sched ?? 'cfs') as 'cfs' | 'rr' | 'fifo',
    swapBytes,
    swapPolicy: (flags['swap-policy'] ?? 'clock') as SwapPolicy,
  };
}
