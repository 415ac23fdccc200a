/**
 * The event trace: a timeline of what the simulation decided, by category
 * (sched, syscall, proc, signal, vfs, …), written as text lines or JSON Lines.
 *
 * Tracing is off unless a category is enabled; callers test `trace.on(cat)` before
 * building a record so a disabled trace costs one bit test. Records carry the
 * engine time; two runs with the same inputs and seed give identical traces.
 */
import type { Ns } from './engine.js';

/** Trace categories (issue 9 grows this list: mm, ns, cgroup, net, vmexit). */
export const TRACE_CATEGORIES = ['sched', 'syscall', 'proc', 'signal', 'vfs', 'mm', 'ns', 'cgroup', 'net', 'vmexit', 'explain'] as const;
export type TraceCategory = (typeof TRACE_CATEGORIES)[number];

const BIT: Record<TraceCategory, number> = Object.fromEntries(TRACE_CATEGORIES.map((c, i) => [c, 1 << i])) as Record<
  TraceCategory,
  number
>;

/** One trace record: a time, a category, a short event name and its facts. */
export interface TraceRecord {
  t: Ns;
  cat: TraceCategory;
  ev: string;
  [field: string]: unknown;
}

export type TraceSink = (rec: TraceRecord) => void;

export class Trace {
  private mask = 0;
  private sinks: TraceSink[] = [];
  private readonly clock: { now: Ns };

  constructor(clock: { now: Ns }) {
    this.clock = clock;
  }

  /** Enables categories (all when `cats` is 'all'). */
  enable(cats: readonly TraceCategory[] | 'all'): void {
    for (const c of cats === 'all' ? TRACE_CATEGORIES : cats) this.mask |= BIT[c];
  }

  /** Stops recording categories (a live session's monitor turns off what it turned on). */
  disable(cats: readonly TraceCategory[]): void {
    for (const c of cats) this.mask &= ~BIT[c];
  }

  /** True when `cat` is enabled, whether or not a sink consumes it. */
  isEnabled(cat: TraceCategory): boolean {
    return (this.mask & BIT[cat]) !== 0;
  }

  /** Adds a consumer of records. */
  addSink(sink: TraceSink): void {
    this.sinks.push(sink);
  }

  /** Removes a consumer added with addSink. */
  removeSink(sink: TraceSink): void {
    const i = this.sinks.indexOf(sink);
    if (i >= 0) this.sinks.splice(i, 1);
  }

  /** True when records of `cat` are being kept. */
  on(cat: TraceCategory): boolean {
    return (this.mask & BIT[cat]) !== 0 && this.sinks.length > 0;
  }

  /** Records an event now. Callers should test `on(cat)` first when building `fields` costs. */
  emit(cat: TraceCategory, ev: string, fields?: Record<string, unknown>): void {
    if ((this.mask & BIT[cat]) === 0) return;
    const rec: TraceRecord = { t: this.clock.now, cat, ev, ...fields };
    for (const s of this.sinks) s(rec);
  }
}

/** Parses a `--trace` list such as `sched,syscall` or `all`. Returns the bad name on error. */
export function parseTraceCategories(text: string): TraceCategory[] | { bad: string } {
  if (text === 'all') return [...TRACE_CATEGORIES];
  const out: TraceCategory[] = [];
  for (const part of text.split(',')) {
    const c = part.trim();
    if (c === '') continue;
    if (!(TRACE_CATEGORIES as readonly string[]).includes(c)) return { bad: c };
    out.push(c as TraceCategory);
  }
  return out;
}

/** Seconds with 9 decimals, right-aligned like dmesg's timestamps: `[    1.000250000]`. */
export function formatTraceTime(t: Ns): string {
  const s = Math.floor(t / 1e9);
  const frac = String(t % 1e9).padStart(9, '0');
  return `[${String(s).padStart(5, ' ')}.${frac}]`;
}

/** The text form of a record: `[    0.000123000] sched switch cpu=0 prev=1 next=2`. */
export function formatTraceText(rec: TraceRecord): string {
  let line = `${formatTraceTime(rec.t)} ${rec.cat} ${rec.ev}`;
  for (const k of Object.keys(rec)) {
    if (k === 't' || k === 'cat' || k === 'ev') continue;
    const v = rec[k];
    // A fact that does not apply (JSON keeps it as null, so every record of an event has the same keys) is left out of the text.
    if (v === null || v === undefined) continue;
    line += ` ${k}=${typeof v === 'string' ? (/[\s"=]/.test(v) || v === '' ? JSON.stringify(v) : v) : JSON.stringify(v)}`;
  }
  return line;
}

/** The JSON Lines form of a record (keys in insertion order: t, cat, ev, then facts). */
export function formatTraceJson(rec: TraceRecord): string {
  return JSON.stringify(rec);
}
