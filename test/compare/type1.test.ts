/**
 * `ctsim compare` on a type 1 host: the hypervisor owns the machine and Domain-0 — the
 * only general-purpose OS there — owns the NICs and disks. `native` is Domain-0 itself,
 * a container runs in Domain-0's kernel (docker on a Xen dom0), a VM is a guest domain
 * (`xl create`) whose whole memory is reserved when it is created (Barham et al. 2003
 * §4.5, VIRT-FIGURES §4: a domain gives memory back only through its balloon driver),
 * whose disk is a file in Domain-0 and whose NIC's back end is a vif on Domain-0's bridge.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare } from '../../src/compare/runner.js';
import type { InstanceResult, VariantResult } from '../../src/compare/report.js';

const MIB = 1024 * 1024;
const SCENARIO = `version: 1
name: xen
hosts: [{ name: xen, hypervisor: 1, cpus: 2, memory: 2GiB }]
instances:
  - { name: dom0, kind: native }
  - { name: ctr, kind: container }
  - { name: domu, kind: vm, memory: 128MiB }
workloads:
  - { name: spin, kind: cpu, ops: 2000 }
  - { name: io, kind: disk, ops: 16 }
  - { name: rr, kind: net-rr, ops: 5 }
  - { name: hello, kind: script, script: "echo hello > /tmp/x; cat /tmp/x" }
`;

let v: VariantResult;
const inst = (name: string): InstanceResult => v.instances.find((i) => i.name === name)!;
const run = (text: string): VariantResult => runCompare(parseScenario(text, 'xen.yaml'), { name: 'xen.yaml', text }, { ctsim: 'ctsim test' }).variants[0];
const errorOf = (text: string): string => {
  try {
    run(text);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('compare on a type 1 host', () => {
  beforeAll(() => {
    v = run(SCENARIO);
  });

  it('makes native Domain-0 itself, runs the container in Domain-0 and the VM as a guest domain', () => {
    expect(v.instances.map((i) => [i.name, i.kind, i.hypervisor])).toEqual([['dom0', 'native', 1], ['ctr', 'container', 1], ['domu', 'vm', 1]]);
    expect(inst('dom0').detail).toMatch(/^Domain-0 itself: the only general-purpose OS/);
    expect(inst('domu').detail).toBe('domain 1 (xl create), xen-pv: pv + shadow, virtio-net');
    expect(inst('dom0').isolation.hostname).toBe('Domain-0');
    // Domain-0 holds the domain's back end (vif1.0, on the LAN bridge) and docker's veth.
    expect(inst('dom0').isolation.netDevices).toEqual(expect.arrayContaining(['eth1', 'br-lan', 'vif1.0']));
    expect(inst('ctr').isolation.ownNamespaces).toEqual(expect.arrayContaining(['pid', 'mnt', 'net', 'uts']));
    expect(inst('ctr').isolation.sharedKernel).toBe(true);
    expect(inst('domu').isolation).toMatchObject({ sharedKernel: false, hostname: 'domu', ownNamespaces: [] });
    const xen = v.trees.namespaces.children[0];
    expect(xen.label).toBe("xen: Domain-0's kernel's initial namespaces");
    expect(xen.children[2].label).toMatch(/^domu: domain 1 beside Domain-0 \(no process in it/);
    expect(v.trees.cgroups.children[0].label).toMatch(/^xen \(Domain-0\): \/sys\/fs\/cgroup/);
  });

  it('times a domain from xl create to its first command, with its boot phases as steps', () => {
    // xen-pv: no firmware (the domain builder loads the kernel), kernel 300 ms, init 100 ms
    // (a few µs more: its vCPU now and then waits for a physical CPU Domain-0's vCPU holds).
    const steps = inst('domu').startup.steps;
    expect(steps.map((s) => s.name)).toEqual(['kernel', 'init', 'exec']);
    expect(Math.abs(steps[0].endNs - steps[0].startNs - 300_000_000)).toBeLessThan(10_000);
    expect(steps[steps.length - 1].endNs).toBe(inst('domu').startup.ns);
    expect(inst('dom0').startup.ns).toBeLessThan(inst('ctr').startup.ns);
    expect(inst('ctr').startup.ns * 5).toBeLessThan(inst('domu').startup.ns);
    expect(v.metrics.find((m) => m.id === 'startup' && m.instance === 'ctr')!.why).toMatch(/^runc in Domain-0's kernel/);
  });

  it("charges a domain what the hypervisor gave it — its whole RAM from creation, no VMM process", () => {
    for (const i of v.instances) expect(Object.values(i.memory.parts).reduce((a, b) => a + b, 0)).toBe(i.memory.bytes);
    const d = inst('domu').memory;
    // PV direct paging: the domain's page tables are its own frames, so it costs exactly its RAM.
    expect(d.bytes).toBe(128 * MIB);
    expect(d.parts.vmm).toBe(0);
    expect(d.parts.untouched).toBeGreaterThan(64 * MIB);
    expect(d.parts.guestKernel).toBeGreaterThan(MIB);
    expect(inst('ctr').memory.parts.guestKernel + inst('ctr').memory.parts.untouched).toBe(0);
    expect(v.metrics.find((m) => m.id === 'memory' && m.instance === 'domu')!.why).toMatch(/no VMM process: what the hypervisor gave the domain/);
    // Domains fit in the machine's free memory (2 GiB less Domain-0's 512 MiB), containers in Domain-0's.
    expect(inst('domu').density).toBe(12);
    expect(v.metrics.find((m) => m.id === 'density' && m.instance === 'ctr')!.why).toMatch(/of Domain-0's memory free before any instance started/);
  });

  it('runs every workload inside each, the disk on Domain-0\'s drive or the domain\'s file in Domain-0, the network through its bridge', () => {
    for (const i of v.instances) {
      expect(i.workloads.map((w) => [w.name, w.status])).toEqual([['spin', 0], ['io', 0], ['rr', 0], ['hello', 0]]);
      for (const w of i.workloads) expect(w.ns).toBeGreaterThan(0);
    }
    // A PV domain's I/O and page-table work are hypercalls; Domain-0 is counted as the host.
    const io = inst('domu').workloads.find((w) => w.name === 'io')!;
    expect(Object.keys(io.counters).some((k) => k.startsWith('hypercall:'))).toBe(true);
    expect(inst('dom0').workloads[0].counters).toEqual({});
    // CPU lanes: Domain-0's vCPU and the domain's (the machine's CPUs run only vCPUs).
    expect([...new Set(v.schedule.map((l) => l.machine))]).toEqual(['xen: Domain-0', 'domu']);
  });

  it('refuses a hosted profile and a domain larger than the free memory, naming the instance and why', () => {
    expect(() => parseScenario(SCENARIO.replace('memory: 128MiB }', 'memory: 128MiB, profile: firecracker }'), 'xen.yaml')).toThrow(
      /^xen\.yaml:\d+:\d+ at \$\.instances\[2\]\.profile: expected a profile of a type 1 hypervisor \(esxi, xen-pv, hyperv\): host xen has hypervisor 1, found "firecracker"/,
    );
    const big = SCENARIO.replace('memory: 128MiB', 'memory: 2GiB').replace(/workloads:[\s\S]*$/, 'workloads:\n  - { name: hello, kind: script, script: "true" }\n');
    expect(errorOf(big)).toBe(
      "instance domu at memory: expected a domain that fits in host xen's free memory (Xen reserves a domain's whole memory when it creates it), found xl: failed to create domain domu: it needs 2048 MiB and the machine has 1536 MiB free",
    );
  });
});
