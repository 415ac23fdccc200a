/**
 * The cost table decides: raising one cost moves the results the way the model says —
 * only for the instances whose path has that cost. (The costs and their sources are
 * in fixtures/costs/default.json.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare } from '../../src/compare/runner.js';

const SCENARIO = `version: 1
hosts: [{ name: h, cpus: 2, memory: 4GiB, costs: COSTS }]
instances:
  - { name: native, kind: native }
  - { name: docker, kind: container }
  - { name: qemu, kind: vm, profile: kvm, memory: 512MiB }
  - { name: qemu-shadow, kind: vm, profile: kvm, memory: 512MiB, memVirt: shadow }
workloads:
  - { name: rr, kind: net-rr, ops: 10 }
  - { name: disk, kind: disk, ops: 32 }
  - { name: forkwait, kind: pagetable, ops: 10, size: 1MiB }
  - { name: tlb, kind: memory, ops: 20, size: 1MiB }
measure: [time]
`;

type Times = Record<string, Record<string, number>>;

/** Workload times per instance with the default costs overridden by `costs` (ns each). */
function run(costs: Record<string, number>): Times {
  const text = SCENARIO.replace('COSTS', Object.keys(costs).length === 0 ? 'default' : 'changed');
  const doc = { name: 'changed', description: 'a test override', costs: Object.fromEntries(Object.entries(costs).map(([k, ns]) => [k, { ns, source: 'test' }])) };
  const r = runCompare(parseScenario(text, 'costs.yaml'), { name: 'costs.yaml', text }, { ctsim: 'ctsim test', readCosts: () => doc });
  return Object.fromEntries(r.variants[0].instances.map((i) => [i.name, Object.fromEntries(i.workloads.map((w) => [w.name, w.ns]))]));
}

let base: Times;

describe('changing one cost', () => {
  beforeAll(() => {
    base = run({});
  });

  it('a dearer exit to the user-space VMM slows VM I/O, and nothing else', () => {
    const t = run({ vmExitUser: 6000 });
    // virtio-scsi notifies the VMM once per request: 32 writes, 4 µs more each.
    expect(t.qemu.disk - base.qemu.disk).toBeGreaterThan(0.95 * 32 * 4000);
    expect(t.qemu.rr).toBeGreaterThan(base.qemu.rr);
    expect(t.native).toEqual(base.native);
    expect(t.docker).toEqual(base.docker);
  });

  it("a dearer NAT slows the bridged container's round trips only", () => {
    const t = run({ natPacket: 30000 });
    expect(t.docker.rr).toBeGreaterThan(base.docker.rr * 1.2);
    expect(t.native.rr).toBe(base.native.rr);
    expect(t.qemu.rr).toBe(base.qemu.rr);
  });

  it('a dearer shadow-entry update slows process creation under shadow paging, not under nested paging', () => {
    const t = run({ shadowPteUpdate: 3000 });
    expect(t['qemu-shadow'].forkwait).toBeGreaterThan(base['qemu-shadow'].forkwait * 1.2);
    expect(t.qemu.forkwait).toBe(base.qemu.forkwait);
  });

  it('a dearer page-table reference costs nested paging (24 per walk) more than shadow paging (4)', () => {
    const t = run({ ptRef: 40 });
    const nested = t.qemu.tlb - base.qemu.tlb;
    const shadow = t['qemu-shadow'].tlb - base['qemu-shadow'].tlb;
    expect(shadow).toBeGreaterThan(0);
    expect(nested).toBeGreaterThan(3 * shadow);
  });
});
