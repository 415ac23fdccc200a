/**
 * The simulator's guard limits as flags (--max-events, --max-memory): what ends a run
 * that would go on for ever or exhaust this machine — a fork bomb, an endless loop —
 * with a clear message and status 124, instead of a hung terminal or node's heap
 * crash. They guard the simulator, not the simulated machine (whose kernel has pid_max,
 * the OOM killer and cgroups, and degrades under such a guest as Linux does).
 *
 * This is the CLI edge: the memory check reads this process's resident set and V8's
 * heap, which are the real machine's and so not deterministic; the event count is.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Flags } from '@oclif/core';
import { UsageError } from '../sim/input-error.js';
import { parseSize } from '../sim/units.js';
import type { Engine } from '../sim/engine.js';
import { GuardStop, type Guard, type GuardLimits } from '../sim/guard.js';

export type { GuardLimits } from '../sim/guard.js';

/** The status of a run a guard limit stopped (as timeout(1) and --time-limit). */
export const GUARD_STATUS = 124;

/** Default --max-events: 4 to 20 minutes of a busy simulation on a small machine (yes > /dev/null; a shell loop). */
export const DEFAULT_MAX_EVENTS = 1_000_000_000;

/** Default --max-memory: 2 GiB, or half this machine's memory when that is less. */
export function defaultMaxMemory(): number {
  return Math.min(2 * 1024 ** 3, Math.floor(totalmem() / 2));
}

export const guardFlags = {
  'max-events': Flags.string({
    description: `Stop the simulation (status ${GUARD_STATUS}) after this many events and simulated CPU actions — a guard against an endless loop; "none" for no limit. Default ${DEFAULT_MAX_EVENTS.toExponential().replace('e+', 'e')}.`,
    helpGroup: 'LIMIT',
  }),
  'max-memory': Flags.string({
    description: `Stop the simulation (status ${GUARD_STATUS}) when ctsim itself uses this much of this machine's memory, e.g. 1G — a guard against a fork bomb or a memory hog without limits. Default 2G, or half this machine's memory if that is less.`,
    helpGroup: 'LIMIT',
  }),
};

export interface GuardFlagValues {
  'max-events'?: string;
  'max-memory'?: string;
}

/** The limits the flags ask for, with clear usage errors. */
export function guardLimitsFrom(flags: GuardFlagValues): GuardLimits {
  let maxEvents = DEFAULT_MAX_EVENTS;
  const ev = flags['max-events'];
  if (ev !== undefined) {
    if (ev === 'none') maxEvents = Infinity;
    else {
      const n = /^\d+(?:\.\d+)?(?:e\d+)?$/i.test(ev) ? Number(ev) : NaN;
      if (!Number.isSafeInteger(n) || n < 1) throw new UsageError({ source: '--max-events', expected: 'a whole number of events like 1000000 or 5e8, or "none"', found: ev });
      maxEvents = n;
    }
  }
  let maxMemoryBytes = defaultMaxMemory();
  const mem = flags['max-memory'];
  if (mem !== undefined) {
    const n = parseSize(mem);
    if (n === null || n < 64 * 1024 ** 2) throw new UsageError({ source: '--max-memory', expected: 'a size of at least 64M, like 512M or 4G', found: mem });
    maxMemoryBytes = n;
  }
  return { maxEvents, maxMemoryBytes };
}

const mib = (n: number): string => `${Math.round(n / 1024 ** 2)} MiB`;

/** What the guard watches: a simulated host's engine, and its kernel's tasks for the message. */
export interface GuardedHost {
  engine: Engine;
  kernel: { tasks: { size: number } };
}

/**
 * The look at this machine's memory a guard makes: ctsim's resident set against
 * `maxMemoryBytes`, and V8's heap against node's own limit (past which node dies
 * without a word, and which may come first). In a worker thread the resident set is
 * the whole process's and the heap is the thread's.
 */
export function memoryCheck(limits: GuardLimits): NonNullable<Guard['check']> {
  return () => {
    const rss = process.memoryUsage.rss();
    if (rss >= limits.maxMemoryBytes) return { limit: 'memory', message: `ctsim used ${mib(rss)} of this machine's memory (the --max-memory limit is ${mib(limits.maxMemoryBytes)})` };
    const heap = getHeapStatistics();
    if (heap.used_heap_size >= 0.9 * heap.heap_size_limit) {
      return { limit: 'memory', message: `ctsim's heap reached ${mib(heap.used_heap_size)}, near node's limit of ${mib(heap.heap_size_limit)} (below the --max-memory limit of ${mib(limits.maxMemoryBytes)})` };
    }
    return null;
  };
}

/**
 * Sets the guard on `host`'s engine for the runs that follow: its event count starts
 * now, and a stop names the tasks on the host. `interactive`: a person is at the
 * terminal (and can press ^C), so only memory counts.
 */
export function installGuard(host: GuardedHost, limits: GuardLimits, interactive = false): void {
  host.engine.setGuard({
    maxEvents: interactive ? Infinity : limits.maxEvents,
    check: memoryCheck(limits),
    describe: () => `${host.kernel.tasks.size} tasks on the simulated host`,
  });
}

const simTime = (ns: number): string => (ns >= 1e9 ? `${(ns / 1e9).toFixed(3)} s` : `${(ns / 1e6).toFixed(3)} ms`);

/** The one line a command prints for a GuardStop (after "ctsim CMD: "). */
export function guardStopMessage(e: GuardStop): string {
  const what = e.detail ? `, with ${e.detail}` : '';
  const hint =
    e.hint ??
    (e.limit === 'memory'
      ? 'a fork bomb or a memory hog with nothing to limit it? Run it in a container with limits (ctsim run --pids-limit 100 --memory 256m …), or raise --max-memory'
      : 'an endless loop? Bound the run with --time-limit, or raise --max-events (or --max-events none)');
  const after = e.afterward ? `; ${e.afterward}` : '';
  return `stopped: ${e.message}, at ${simTime(e.atNs)} of simulated time${what}${after} — ${hint}`;
}
