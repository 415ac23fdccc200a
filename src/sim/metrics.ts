/**
 * The metrics registry: named counters per scope (the host, a process, later a
 * container or a VM). Hot counters live as plain fields on their owners (a task's
 * context-switch count, a CPU's busy time); the registry reads them through
 * providers when a report asks, so counting costs nothing extra on the hot path.
 */

/** A scope such as `host`, `pid:42`, `container:web`, `vm:db`. */
export type MetricScope = string;

/** A function that returns the current counters of one scope. */
export type MetricProvider = () => Record<string, number>;

export class Metrics {
  private readonly counters = new Map<MetricScope, Map<string, number>>();
  private readonly providers = new Map<MetricScope, MetricProvider[]>();

  /** Adds `delta` to counter `name` of `scope`. */
  add(scope: MetricScope, name: string, delta = 1): void {
    let m = this.counters.get(scope);
    if (!m) {
      m = new Map();
      this.counters.set(scope, m);
    }
    m.set(name, (m.get(name) ?? 0) + delta);
  }

  /** Registers a provider of counters for `scope`; its values are merged into snapshots. */
  provide(scope: MetricScope, provider: MetricProvider): void {
    let list = this.providers.get(scope);
    if (!list) {
      list = [];
      this.providers.set(scope, list);
    }
    list.push(provider);
  }

  /** Removes every provider and counter of `scope` (a process that was reaped). */
  drop(scope: MetricScope): void {
    this.providers.delete(scope);
    this.counters.delete(scope);
  }

  /** The counters of one scope, names sorted. */
  scope(scope: MetricScope): Record<string, number> {
    const out: Record<string, number> = {};
    const m = this.counters.get(scope);
    if (m) for (const [k, v] of m) out[k] = v;
    for (const p of this.providers.get(scope) ?? []) Object.assign(out, p());
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** Every scope's counters, scopes in first-registration order. */
  snapshot(): Record<MetricScope, Record<string, number>> {
    const scopes = new Set<string>([...this.counters.keys(), ...this.providers.keys()]);
    const out: Record<string, Record<string, number>> = {};
    for (const s of scopes) out[s] = this.scope(s);
    return out;
  }
}
