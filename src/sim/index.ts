/** The simulation engine's public surface: clock, events, processors, RNG, trace, metrics. */
export { Engine, NS_PER_MS, NS_PER_SEC, NS_PER_US } from './engine.js';
export type { Ns, Processor, RunLimits, SimEvent, StopReason } from './engine.js';
export { Rng, hashSeed } from './rng.js';
export { Trace, TRACE_CATEGORIES, formatTraceJson, formatTraceText, formatTraceTime, parseTraceCategories } from './trace.js';
export type { TraceCategory, TraceRecord, TraceSink } from './trace.js';
export { Metrics } from './metrics.js';
export type { MetricProvider, MetricScope } from './metrics.js';
export { InputError, UsageError, formatInputError } from './input-error.js';
export type { InputErrorFacts } from './input-error.js';
