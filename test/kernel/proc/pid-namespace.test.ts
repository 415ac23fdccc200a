// PID allocation (kernel/pid.c alloc_pid: idr_alloc_cyclic from the last PID handed
// out, wrapping at pid_max to RESERVED_PIDS = 300): the bitmap PidTable must hand out
// exactly what probing every number does.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PidNamespace } from '../../../src/kernel/proc/pid-namespace.js';
import type { Task } from '../../../src/kernel/proc/task.js';
import type { UserNamespace } from '../../../src/kernel/ns/user-ns.js';

const owner = { refs: 1 } as unknown as UserNamespace;
const task = {} as Task;

/** The plain probe the bitmap replaces: every number from the last PID on. */
function probe(inUse: Set<number>, last: number, pidMax: number, wrapTo: number): number {
  for (let i = 0; i < pidMax; i++) {
    let pid = last + 1 + i;
    if (pid >= pidMax) pid = wrapTo + ((pid - pidMax) % pidMax);
    if (pid > 0 && !inUse.has(pid)) return pid;
  }
  return 0;
}

describe('PID namespace allocation', () => {
  it('hands out 1, 2, 3 … and wraps to 300 in the initial namespace once pid_max is reached', () => {
    const ns = new PidNamespace(null, 1, owner);
    ns.pidMax = 310;
    const got: number[] = [];
    for (let i = 0; i < 309; i++) {
      const pid = ns.allocate();
      got.push(pid);
      ns.tasks.set(pid, task);
    }
    expect(got.slice(0, 3)).toEqual([1, 2, 3]);
    expect(got.at(-1)).toBe(309);
    expect(ns.allocate()).toBe(0);
    ns.tasks.delete(5);
    ns.tasks.delete(305);
    // After the wrap the search starts at 300: 5 stays free, as on Linux.
    expect(ns.allocate()).toBe(305);
  });

  it('agrees with probing every PID over random forks and exits (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 3000 }),
        fc.boolean(),
        fc.array(fc.oneof(fc.constant(-1), fc.nat()), { maxLength: 4000 }),
        (pidMax, nested, ops) => {
          const parent = nested ? new PidNamespace(null, 1, owner) : null;
          const ns = new PidNamespace(parent, 2, owner);
          ns.pidMax = pidMax;
          const wrapTo = nested ? 2 : 300;
          const inUse = new Set<number>();
          let last = 0;
          for (const op of ops) {
            if (op === -1 || inUse.size === 0) {
              const want = probe(inUse, last, pidMax, wrapTo);
              const pid = ns.allocate();
              if (pid !== want) return false;
              if (pid !== 0) {
                last = pid;
                inUse.add(pid);
                ns.tasks.set(pid, task);
              }
            } else {
              const pid = [...inUse][op % inUse.size];
              inUse.delete(pid);
              ns.tasks.delete(pid);
            }
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the one free PID of a full table of 4,194,304', () => {
    const ns = new PidNamespace(null, 1, owner);
    ns.pidMax = 4_194_304;
    for (let pid = 1; pid < ns.pidMax; pid++) ns.tasks.set(pid, task);
    ns.tasks.delete(4_000_001);
    expect(ns.allocate()).toBe(4_000_001);
    ns.tasks.set(4_000_001, task);
    expect(ns.allocate()).toBe(0);
  });
});
