/**
 * A broken kernel invariant: a bug in ctsim, never a simulated failure (STYLE.md
 * "Errors"). Carries the facts that show what went wrong; tests fail on any.
 */
export class KernelPanic extends Error {
  readonly facts: Record<string, unknown>;

  constructor(message: string, facts: Record<string, unknown> = {}) {
    super(`Kernel panic - not syncing: ${message}${Object.keys(facts).length ? ' ' + JSON.stringify(facts) : ''}`);
    this.name = 'KernelPanic';
    this.facts = facts;
  }
}
