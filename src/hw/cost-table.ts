/**
 * The cost table: what each simulated operation costs, in integer nanoseconds, as
 * data (DESIGN.md decision 8). The default table is `fixtures/costs/default.json`,
 * where every figure names its source; `--costs FILE` overrides some or all figures.
 */
import { InputError } from '../sim/input-error.js';
import { readFixtureJson } from '../sim/fixtures.js';

/** The names of the charged operations; a cost file may not use any other key. */
export const COST_KEYS = [
  'syscall',
  'contextSwitch',
  'fork',
  'exit',
  'exec',
  'pageFault',
  'ptRef',
  'timerProgram',
  'ipi',
  'idleExit',
  'signalDelivery',
  'vfsLookup',
  'fileOpen',
  'copyKiB',
  'pipeOp',
  'ttyWrite',
  'memKiB',
  'tlbFlush',
  'invlpg',
  'swapIn',
  'swapOut',
  'netTx',
  'netRx',
  'bridgeForward',
  'ipForward',
  'natPacket',
  'linkKiB',
  'nicLatency',
  'tlbEntries',
  'tlbWays',
  // Virtualization (src/hypervisor): what each technique's mechanism costs.
  'vmExit',
  'vmExitUser',
  'hypercall',
  'insnEmulate',
  'shadowPteUpdate',
  'shadowFill',
  'faultReflect',
  'btCallout',
  'btSyscall',
  'btTranslate',
  'btIndirect',
  'btBlockNs',
  'btCacheBlocks',
  'pvBatchEntry',
  'pvBatchMax',
  'vmSwitch',
  'eptBacking',
  'diskOp',
  'diskKiB',
] as const;
export type CostKey = (typeof COST_KEYS)[number];

/**
 * Keys that give a size rather than a time: the TLB's geometry, which a cost file
 * writes as `{"count": N, "source": …}`.
 */
export const COUNT_KEYS: readonly CostKey[] = ['tlbEntries', 'tlbWays', 'btBlockNs', 'btCacheBlocks', 'pvBatchMax'];

/** Nanoseconds per operation (or a count, for COUNT_KEYS). Invariant: every value is a non-negative safe integer. */
export type CostTable = Readonly<Record<CostKey, number>>;

/** Where each figure came from (kept beside the figures for reports). */
export type CostSources = Readonly<Record<CostKey, string>>;

export interface LoadedCosts {
  name: string;
  costs: CostTable;
  sources: CostSources;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Validates a parsed cost document. With `base`, the document may give a subset of
 * keys (an override file); without, it must give all of them. Unknown keys are errors.
 */
export function parseCostTable(doc: unknown, file: string, base?: LoadedCosts): LoadedCosts {
  const fail = (path: string, expected: string, found: unknown, fix?: string): never => {
    throw new InputError({ source: file, path, expected, found: JSON.stringify(found) ?? String(found), fix });
  };
  if (!isRecord(doc)) fail('$', 'a JSON object with a "costs" object', doc);
  const d = doc as Record<string, unknown>;
  for (const k of Object.keys(d)) {
    if (!['name', 'description', 'costs', '$schema'].includes(k)) {
      fail(`$.${k}`, 'one of the keys name, description, costs', k, `remove "${k}"`);
    }
  }
  if (d.name !== undefined && typeof d.name !== 'string') fail('$.name', 'a string', d.name);
  if (!isRecord(d.costs)) fail('$.costs', 'an object mapping operation names to nanoseconds', d.costs);
  const costs: Record<string, number> = base ? { ...base.costs } : {};
  const sources: Record<string, string> = base ? { ...base.sources } : {};
  for (const [key, raw] of Object.entries(d.costs as Record<string, unknown>)) {
    const path = `$.costs.${key}`;
    if (!(COST_KEYS as readonly string[]).includes(key)) {
      fail(path, `a known operation (${COST_KEYS.join(', ')})`, key, 'check the spelling or remove the key');
    }
    const unit = COUNT_KEYS.includes(key as CostKey) ? 'count' : 'ns';
    let ns: unknown = raw;
    let source = `${file}`;
    if (isRecord(raw)) {
      for (const k of Object.keys(raw)) if (k !== unit && k !== 'source') fail(`${path}.${k}`, `only "${unit}" and "source"`, k);
      ns = raw[unit];
      if (raw.source !== undefined) {
        if (typeof raw.source !== 'string') fail(`${path}.source`, 'a string', raw.source);
        source = raw.source as string;
      }
    }
    const what = unit === 'ns' ? 'a non-negative integer number of nanoseconds' : 'a positive whole number';
    if (typeof ns !== 'number' || !Number.isSafeInteger(ns) || ns < (unit === 'ns' ? 0 : 1)) {
      fail(isRecord(raw) ? `${path}.${unit}` : path, what, ns);
    }
    costs[key] = ns as number;
    sources[key] = source;
  }
  if (!base) {
    for (const k of COST_KEYS) {
      if (!(k in costs)) fail(`$.costs`, `a figure for "${k}"`, 'nothing', `add "${k}": {"${COUNT_KEYS.includes(k) ? 'count' : 'ns'}": N, "source": "…"}`);
    }
  }
  if (costs.tlbEntries % costs.tlbWays !== 0) {
    fail('$.costs.tlbWays', `a number of ways that divides tlbEntries (${costs.tlbEntries})`, costs.tlbWays, 'use a divisor such as 4 or 8');
  }
  return { name: (d.name as string | undefined) ?? base?.name ?? file, costs: costs as CostTable, sources: sources as CostSources };
}

/** Charge for copying `bytes` bytes (copy_to_user / copy_from_user), rounded up to whole ns. */
export function copyCost(costs: CostTable, bytes: number): number {
  return bytes <= 0 ? 0 : Math.ceil((bytes * costs.copyKiB) / 1024);
}

let defaultCosts: LoadedCosts | undefined;

/** The default cost table (fixtures/costs/default.json), loaded once. */
export function loadDefaultCosts(): LoadedCosts {
  defaultCosts ??= parseCostTable(readFixtureJson('costs/default.json'), 'fixtures/costs/default.json');
  return defaultCosts;
}
