/**
 * Scenario files of ctsim compare: YAML or JSON, checked by the shipped JSON Schema and
 * by the rules it cannot express; errors name the line, the key's path, what was
 * expected and what was found; a matrix expands to every combination.
 */
import { describe, expect, it } from 'vitest';
import { expandMatrix } from '../../src/compare/matrix.js';
import { parseScenario } from '../../src/compare/scenario.js';

const YAML = `version: 1
name: containers-vs-vms
hosts:
  - name: h
    cpus: 2
    memory: 4GiB
instances:
  - name: c1
    kind: container
    limits: { memory: 64MiB, pids: 100 }
  - name: v1
    kind: vm
    memory: 256MiB
workloads:
  - name: spin
    kind: cpu
    ops: 1000
  - name: hello
    kind: script
    script: echo hi
matrix:
  v1.cpuVirt: [bt, pv, hw]
  vm.memVirt: [nested, shadow]
`;

const errorOf = (text: string): string => {
  try {
    parseScenario(text, 'sc.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('scenario files', () => {
  it('reads YAML with defaults and sizes in bytes, and expands the matrix in order', () => {
    const s = parseScenario(YAML, 'sc.yaml');
    expect(s.hosts).toEqual([{ name: 'h', cpus: 2, memoryBytes: 4 * 1024 ** 3, nics: 1, disks: null, costs: 'default', hypervisor: 2 }]);
    expect(s.instances[0]).toEqual({ name: 'c1', kind: 'container', host: 'h', count: 1, settings: { limits: { memory: 64 * 1024 ** 2, pids: 100 } } });
    expect(s.phases.map((p) => [p.name, p.start, p.run])).toEqual([
      ['start', ['c1', 'v1'], []],
      ['run', [], ['spin', 'hello']],
    ]);
    const v = expandMatrix(s);
    expect(v.map((x) => x.label)).toEqual([
      'v1.cpuVirt=bt vm.memVirt=nested',
      'v1.cpuVirt=bt vm.memVirt=shadow',
      'v1.cpuVirt=pv vm.memVirt=nested',
      'v1.cpuVirt=pv vm.memVirt=shadow',
      'v1.cpuVirt=hw vm.memVirt=nested',
      'v1.cpuVirt=hw vm.memVirt=shadow',
    ]);
    expect(v[3].scenario.instances[1].settings).toEqual({ memory: 256 * 1024 ** 2, cpuVirt: 'pv', memVirt: 'shadow' });
    // The variants are copies: the parsed scenario is unchanged.
    expect(s.instances[1].settings).toEqual({ memory: 256 * 1024 ** 2 });
  });

  it('reads the same scenario as JSON', () => {
    const json = JSON.stringify({ version: 1, hosts: [{ name: 'h' }], instances: [{ name: 'n', kind: 'native' }], workloads: [{ name: 'w', kind: 'fork', ops: 10 }] });
    expect(parseScenario(json, 'sc.json').workloads).toEqual([{ name: 'w', kind: 'fork', script: null, ops: 10, sizeBytes: null }]);
  });

  it('names the line, the path, what was expected and what was found', () => {
    expect(errorOf(YAML.replace('    cpus: 2', '    cpu: 2'))).toBe('sc.yaml:5:5 at $.hosts[0].cpu: expected one of the keys name, cpus, memory, nics, disks, costs, hypervisor, found the unknown key "cpu"');
    expect(errorOf(YAML.replace('kind: vm', 'kind: lxc'))).toBe('sc.yaml:12:5 at $.instances[1].kind: expected one of "native", "container", "vm", found the string "lxc"');
    expect(errorOf(YAML.replace('memory: 256MiB', 'memory: 256MB'))).toBe('sc.yaml:13:5 at $.instances[1].memory: expected a size such as 256MiB (B, KiB, MiB, GiB, TiB) or a number of bytes, found the string "256MB"');
    expect(errorOf(YAML.replace('    script: echo hi\n', ''))).toBe('sc.yaml:18:5 at $.workloads[1].script: expected the key "script", found nothing');
    expect(errorOf(YAML.replace('v1.cpuVirt', 'v2.cpuVirt'))).toBe('sc.yaml:22:3 at $.matrix["v2.cpuVirt"]: expected a key INSTANCE.FIELD naming an instance, a kind (native, container, vm) or host.NAME, found "v2.cpuVirt"');
    expect(errorOf(YAML.replace('  - name: v1', '  - name: c1'))).toMatch(/^sc\.yaml:11:5 at \$\.instances\[1\]\.name: expected a name no other of the instances has, found "c1", already the name of \$\.instances\[0\]$/);
    expect(errorOf('version: 1\nhosts: [\n')).toMatch(/^sc\.yaml:\d+:\d+: expected valid YAML or JSON, found /);
    expect(errorOf(YAML.replace('version: 1', 'version: 2'))).toBe('sc.yaml:1:1 at $.version: expected 1, found the number 2');
    expect(errorOf(YAML.replace('    limits: { memory: 64MiB, pids: 100 }', '    limits: { memory: 64MiB, pids: 100 }\n    vcpus: 2'))).toBe('sc.yaml:11:5 at $.instances[0].vcpus: expected a setting of a container (image, network, limits, bundle), found "vcpus"');
    expect(errorOf(YAML.replace('    limits: { memory: 64MiB, pids: 100 }', '    image: ubuntu'))).toBe('sc.yaml:10:5 at $.instances[0].image: expected an image ctsim ships (alpine, bench, busybox), found "ubuntu"');
    // A type 1 host is accepted; a VM's profile must name a product of its host's hypervisor type.
    expect(parseScenario(YAML.replace('    cpus: 2', '    cpus: 2\n    hypervisor: 1'), 'sc.yaml').hosts[0].hypervisor).toBe(1);
    expect(errorOf(YAML.replace('    cpus: 2', '    cpus: 2\n    hypervisor: 1').replace('    memory: 256MiB', '    memory: 256MiB\n    profile: kvm'))).toBe(
      'sc.yaml:15:5 at $.instances[1].profile: expected a profile of a type 1 hypervisor (esxi, xen-pv, hyperv): host h has hypervisor 1, found "kvm", a type 2 hypervisor\'s',
    );
    expect(errorOf(YAML.replace('    memory: 256MiB', '    memory: 256MiB\n    profile: xen-pv'))).toMatch(/^sc\.yaml:14:5 at \$\.instances\[1\]\.profile: expected a profile of a type 2 hypervisor \(kvm, firecracker, vmware-2006, virtualbox\): host h has hypervisor 2, found "xen-pv"/);
  });

  it('reads claims to check (expect): an order with a factor, or nearness; each names a metric and instances that exist', () => {
    const claims = `expect:
  - { claim: VMs boot slower, source: VIRT-FIGURES §4, metric: startup, lower: c1, higher: v1, factor: 5 }
  - { claim: same CPU, source: §5, metric: spin, near: [c1, v1], within: 0.05 }
`;
    const s = parseScenario(YAML + claims, 'sc.yaml');
    expect(s.expect.map((e) => e.compare)).toEqual([
      { kind: 'order', lower: 'c1', higher: 'v1', factor: 5 },
      { kind: 'near', a: 'c1', b: 'v1', within: 0.05 },
    ]);
    expect(errorOf(YAML + claims.replace('metric: startup', 'metric: boot'))).toBe('sc.yaml:25:56 at $.expect[0].metric: expected startup, memory, density or a workload (spin, hello), found "boot"');
    expect(errorOf(YAML + claims.replace('higher: v1', 'higher: v9'))).toBe('sc.yaml:25:84 at $.expect[0].higher: expected an instance name (c1, v1), found "v9"');
    expect(errorOf(YAML + claims.replace(', lower: c1, higher: v1', ''))).toBe('sc.yaml:25:5 at $.expect[0]: expected either "lower" and "higher", or "near" and "within" (not both), found a mapping');
  });
});
