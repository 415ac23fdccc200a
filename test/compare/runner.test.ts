/**
 * The runner: one small scenario with the host itself, a container and a microVM —
 * each started as its users start it, the same scripts timed inside each, and what
 * each costs gathered with its reasons. Sources for what is expected: runc's
 * namespaces (runtime-spec config-linux.md), Firecracker's boot without firmware and
 * its 5 MiB VMM overhead (VIRT-FIGURES §4), Felter et al. 2015 (§5).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/compare/scenario.js';
import { runCompare, runVariant } from '../../src/compare/runner.js';
import { expandMatrix } from '../../src/compare/matrix.js';
import type { CompareReport, InstanceResult, VariantResult } from '../../src/compare/report.js';

const MIB = 1024 * 1024;
const SCENARIO = `version: 1
name: small
hosts: [{ name: box, cpus: 2, memory: 2GiB }]
instances:
  - { name: host, kind: native }
  - { name: ctr, kind: container }
  - { name: fc, kind: vm, profile: firecracker, memory: 128MiB }
workloads:
  - { name: spin, kind: cpu, ops: 2000 }
  - { name: forks, kind: fork, ops: 5 }
  - { name: io, kind: disk, ops: 16 }
  - { name: rr, kind: net-rr, ops: 5 }
  - { name: hello, kind: script, script: "echo hello > /tmp/x; cat /tmp/x" }
expect:
  - { claim: the microVM boots slower, source: VIRT-FIGURES §4, metric: startup, lower: ctr, higher: fc, factor: 5 }
  - { claim: an impossible one, source: nowhere, metric: spin, lower: fc, higher: host, factor: 100 }
`;

let report: CompareReport;
let v: VariantResult;
const inst = (name: string): InstanceResult => v.instances.find((i) => i.name === name)!;

describe('the compare runner', () => {
  beforeAll(() => {
    report = runCompare(parseScenario(SCENARIO, 'small.yaml'), { name: 'small.yaml', text: SCENARIO }, { ctsim: 'ctsim test' });
    v = report.variants[0];
  });

  it('starts each kind as its users do and times the first instruction', () => {
    expect(v.instances.map((i) => [i.name, i.kind])).toEqual([['host', 'native'], ['ctr', 'container'], ['fc', 'vm']]);
    expect(inst('ctr').detail).toBe('runc, bench image, bridge + NAT');
    expect(inst('fc').detail).toBe('firecracker: hw + nested, virtio-net');
    // Firecracker loads the kernel itself: no firmware step; its kernel step is the profile's 125 ms.
    const steps = inst('fc').startup.steps;
    expect(steps.map((s) => s.name)).toEqual(['vmm', 'kernel', 'exec']);
    expect(Math.abs(steps[1].endNs - steps[1].startNs - 125_000_000)).toBeLessThan(1000);
    expect(steps[steps.length - 1].endNs).toBe(inst('fc').startup.ns);
    expect(inst('host').startup.ns).toBeLessThan(inst('ctr').startup.ns);
    expect(inst('ctr').startup.ns).toBeLessThan(inst('fc').startup.ns);
  });

  it("charges memory by kind: a microVM's guest kernel and VMM, a container's processes", () => {
    for (const i of v.instances) expect(Object.values(i.memory.parts).reduce((a, b) => a + b, 0)).toBe(i.memory.bytes);
    const fc = inst('fc').memory.parts;
    expect(fc.vmm).toBeGreaterThanOrEqual(5 * MIB);
    expect(fc.guestKernel).toBeGreaterThan(MIB);
    expect(inst('ctr').memory.parts.vmm + inst('ctr').memory.parts.guestKernel).toBe(0);
    expect(inst('fc').density).toBeLessThan(inst('ctr').density);
  });

  it('runs every workload in every instance; a VM run counts its exits, and CPU time is split by where it went', () => {
    for (const i of v.instances) expect(i.workloads.map((w) => [w.name, w.status])).toEqual([['spin', 0], ['forks', 0], ['io', 0], ['rr', 0], ['hello', 0]]);
    const rr = inst('fc').workloads.find((w) => w.name === 'rr')!;
    expect(rr.counters['exit:I/O instruction']).toBeGreaterThan(5);
    expect(rr.cpu.vmm).toBeGreaterThan(0);
    // A write's own cost (the run with one write taken off) is at least the device's, 24.5 µs for 4 KiB.
    const io = inst('host').workloads.find((w) => w.name === 'io')!;
    expect(io.perOpNs).toBeGreaterThanOrEqual(20_000 + 4 * 250);
    expect(io.perOpNs! * io.ops).toBeLessThan(io.ns);
    expect(inst('host').workloads.find((w) => w.name === 'spin')!.perOpNs).toBeNull();
    const spin = inst('host').workloads.find((w) => w.name === 'spin')!;
    expect(spin.cpu.user).toBeGreaterThan(0.9 * spin.ns);
    expect(spin.counters).toEqual({});
  });

  it('says what each instance can see', () => {
    expect(inst('ctr').isolation.ownNamespaces).toEqual(['pid', 'mnt', 'net', 'uts', 'ipc', 'cgroup']);
    expect(inst('ctr').isolation.netDevices).toEqual(['lo', expect.stringMatching(/^eth0@if\d+$/)]);
    expect(inst('host').isolation.ownNamespaces).toEqual([]);
    expect(inst('fc').isolation).toMatchObject({ sharedKernel: false, hostname: 'fc', netDevices: ['lo', 'eth0'] });
    expect(inst('host').isolation.processes).toBeGreaterThan(inst('ctr').isolation.processes);
  });

  it('every row has a unit and a reason; claims are checked, and one that does not hold says so', () => {
    expect(v.metrics.every((m) => m.why.length > 0)).toBe(true);
    expect(v.metrics.find((m) => m.id === 'workload:io' && m.instance === 'host')!.why).toMatch(/^[\d,]+ IOPS \([\d.]+ µs per write\); user /);
    expect(v.metrics.find((m) => m.id === 'workload:rr' && m.instance === 'fc')!.why).toMatch(/per request; [\d.]+× native; [\d,]+ I\/O instruction exits ×/);
    expect(v.checks.map((c) => c.holds)).toEqual([true, false]);
    expect(v.checks[1].detail).toMatch(/^host [\d.]+ ms ≤ fc [\d.]+ ms × 100$/);
  });

  it('draws the trees and the CPU lanes: the host sees the VMM, the VM lane what the guest ran', () => {
    const ns = v.trees.namespaces.children[0];
    expect(ns.children.map((c) => c.label)).toEqual([
      "host: the host's own (no new namespaces)",
      expect.stringMatching(/^ctr: new pid, mnt, net, uts, ipc, cgroup namespaces \(init is host PID \d+\)$/),
      expect.stringMatching(/^fc: VMM process \d+ in the host's namespaces$/),
    ]);
    expect(JSON.stringify(v.trees.cgroups)).toContain('memory.current');
    const hostLabels = new Set(v.schedule.filter((l) => l.machine === 'box').flatMap((l) => l.slices.map((s) => s.label)));
    expect(hostLabels).toContain('firecracker');
    expect(v.schedule.some((l) => l.machine === 'fc' && l.slices.length > 0)).toBe(true);
  });

  it('is deterministic: the same scenario and seed give the same report', () => {
    const again = runVariant(expandMatrix(parseScenario(SCENARIO, 'small.yaml'))[0], 1, { ctsim: 'ctsim test' });
    expect(JSON.stringify(again)).toBe(JSON.stringify(v));
    expect(report.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('lets a phase idle for any duration the schema allows, fractions too', () => {
    const text = 'version: 1\nhosts: [{ name: h }]\ninstances: [{ name: n, kind: native }]\nworkloads: [{ name: w, kind: cpu, ops: 10 }]\nphases: [{ name: p, start: [n], idle: 1.5ms, run: [w] }]\n';
    const r = runCompare(parseScenario(text, 'idle.yaml'), { name: 'idle.yaml', text }, { ctsim: 'ctsim test' });
    expect(r.variants[0].instances[0].workloads[0].status).toBe(0);
  });
});
