// The simulator's guard limits (src/sim/guard.ts): an endless loop inside one CPU's step
// is stopped at its event budget, a guard's check can stop a run, and a guard that is
// not reached changes nothing in what the simulation does.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHost } from '../../src/index.js';
import { GUARD_EVERY, GuardStop } from '../../src/sim/guard.js';

describe('guard limits', () => {
  it('stops a shell loop that never leaves its CPU, at the event budget, with a GuardStop', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.engine.setGuard({ maxEvents: 200_000, describe: () => `${host.kernel.tasks.size} tasks` });
    let stop: unknown;
    try {
      host.sh('while :; do :; done');
    } catch (e) {
      stop = e;
    }
    expect(stop).toBeInstanceOf(GuardStop);
    const g = stop as GuardStop;
    expect(g.limit).toBe('events');
    expect(g.events).toBe(200_000);
    expect(g.atNs).toBeGreaterThan(0);
    expect(g.detail).toMatch(/^\d+ tasks$/);
    expect(g.message).toContain('--max-events');
  });

  it('counts from when the guard is set, not from boot', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.sh('i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done');
    // More actions ran before the guard than it allows: counted from boot, echo would be stopped.
    expect(host.engine.actions).toBeGreaterThan(1_000);
    host.engine.setGuard({ maxEvents: 1_000 });
    expect(host.sh('echo fine').stdout).toBe('fine\n');
  });

  it("stops a run when the guard's check says so, within GUARD_EVERY actions", () => {
    const host = createHost({ cpus: 2, seed: 1 });
    let looks = 0;
    host.engine.setGuard({ maxEvents: Infinity, check: () => (++looks === 3 ? { limit: 'memory', message: 'too big' } : null) });
    const a0 = host.engine.actions;
    expect(() => host.sh('while :; do :; done')).toThrow('too big');
    expect(looks).toBe(3);
    expect(host.engine.actions - a0).toBeLessThanOrEqual(3 * GUARD_EVERY + 1);
  });

  it('changes nothing in a run it does not stop: same output, same simulated time (property)', () => {
    const scripts = [
      'for i in 1 2 3; do echo $i; sleep 0.01; done',
      'sh -c "echo child; exit 3"; echo $?',
      'stress --cpu 2 --timeout 0.2s; cat /proc/loadavg',
      'sleep 0.1 & sleep 0.05 & wait; echo done; ps -e -o pid=,comm=',
      'i=0; while [ $i -lt 300 ]; do i=$((i+1)); done; echo $i',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...scripts), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 1000 }), (script, every, seed) => {
        const plain = createHost({ cpus: 2, seed });
        const a = plain.sh(script);
        const guarded = createHost({ cpus: 2, seed });
        // Each CPU ends its step every `every` actions for the engine to look at the guard.
        let looks = 0;
        guarded.engine.setGuard({ maxEvents: Number.MAX_SAFE_INTEGER, every, check: () => (looks++, null) });
        const b = guarded.sh(script);
        expect(looks).toBeGreaterThan(0);
        expect(b.stdout).toBe(a.stdout);
        expect(b.stderr).toBe(a.stderr);
        expect(b.status).toBe(a.status);
        expect(guarded.now).toBe(plain.now);
      }),
      { numRuns: 15 },
    );
  });
});
