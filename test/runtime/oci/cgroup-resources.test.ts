/** linux.resources → cgroup v2 files, as runc's fs2 driver writes them (CGROUP-V2-NOTES §8). */
import { describe, expect, test } from 'vitest';
import { resourcesToCgroupFiles, sharesToWeight, sharesToWeightLinear, type OciResources } from '../../../src/runtime/oci/index.js';

const files = (r: OciResources) => resourcesToCgroupFiles(r).files.map((w) => `${w.file}=${w.value}`);

describe('sharesToWeight', () => {
  test('the quadratic formula of runc ≥ 1.3.2 / opencontainers/cgroups ≥ 0.0.4 (check values from the notes)', () => {
    const table: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 1],
      [100, 17],
      [512, 59],
      [1024, 100],
      [2000, 170],
      [4096, 303],
      [10240, 639],
      [262144, 10000],
      [1_000_000, 10000],
    ];
    for (const [shares, weight] of table) expect([shares, sharesToWeight(shares)]).toEqual([shares, weight]);
  });
  test('is monotonic over the whole v1 range and stays in 1..10000', () => {
    let prev = 1;
    for (let s = 2; s <= 262144; s += 7) {
      const w = sharesToWeight(s);
      expect(w >= prev && w <= 10000).toBe(true);
      prev = w;
    }
  });
  test('the old linear formula, for comparison', () => {
    expect(sharesToWeightLinear(1024)).toBe(39);
    expect(sharesToWeightLinear(2000)).toBe(77);
    expect(sharesToWeightLinear(262144)).toBe(10000);
  });
});

describe('resourcesToCgroupFiles', () => {
  test("writes in runc's order: pids, memory (swap first), cpu", () => {
    const r: OciResources = {
      memory: { limit: 104857600, reservation: 52428800, swap: 209715200 },
      cpu: { shares: 1024, quota: 50000, period: 100000 },
      pids: { limit: 100 },
    };
    expect(files(r)).toEqual(['pids.max=100', 'memory.swap.max=104857600', 'memory.max=104857600', 'memory.low=52428800', 'cpu.weight=100', 'cpu.max=50000 100000']);
    expect(resourcesToCgroupFiles(r)).toEqual(expect.objectContaining({ errors: [], warnings: [] }));
  });
  test('pids.limit: -1 (any negative) is max, 0 is written as 1', () => {
    expect(files({ pids: { limit: -1 } })).toEqual(['pids.max=max']);
    expect(files({ pids: { limit: -5 } })).toEqual(['pids.max=max']);
    expect(files({ pids: { limit: 0 } })).toEqual(['pids.max=1']);
  });
  test('memory+swap → memory.swap.max = swap − limit, with the special cases', () => {
    expect(files({ memory: { limit: 100, swap: 100 } })).toEqual(['memory.swap.max=0', 'memory.max=100']);
    expect(files({ memory: { limit: 100, swap: -1 } })).toEqual(['memory.swap.max=max', 'memory.max=100']);
    expect(files({ memory: { limit: -1 } })).toEqual(['memory.swap.max=max', 'memory.max=max']);
    expect(files({ memory: { limit: -1, swap: 300 } })).toEqual(['memory.swap.max=300', 'memory.max=max']);
    expect(files({ memory: { limit: 100 } })).toEqual(['memory.max=100']);
    expect(files({ memory: { reservation: 10 } })).toEqual(['memory.low=10']);
    // 0 is "unset" in runc's config: nothing is written.
    expect(files({ memory: { limit: 0 } })).toEqual([]);
  });
  test('impossible memory combinations are errors with runc\'s words', () => {
    const under = resourcesToCgroupFiles({ memory: { limit: 200, swap: 100 } });
    expect(under.files).toEqual([]);
    expect(under.errors).toEqual([expect.objectContaining({ path: 'linux.resources.memory.swap', rule: 'oci:memory-swap' })]);
    expect(under.errors[0]!.message).toMatch(/^memory\+swap limit should be >= memory limit: swap 100 < limit 200/);
    expect(resourcesToCgroupFiles({ memory: { swap: 100 } }).errors[0]!.message).toMatch(/^unable to set swap limit without memory limit/);
    expect(resourcesToCgroupFiles({ memory: { limit: -2, swap: 100 } }).errors[0]).toEqual(expect.objectContaining({ path: 'linux.resources.memory.limit' }));
  });
  test('cpu.max: quota ≤ 0 is max, the period defaults to 100000', () => {
    expect(files({ cpu: { quota: 20000 } })).toEqual(['cpu.max=20000 100000']);
    expect(files({ cpu: { quota: -1, period: 50000 } })).toEqual(['cpu.max=max 50000']);
    expect(files({ cpu: { period: 50000 } })).toEqual(['cpu.max=max 50000']);
    expect(files({ cpu: { shares: 2 } })).toEqual(['cpu.weight=1']);
    expect(files({ cpu: { shares: 0 } })).toEqual([]);
  });
  test('cpu.idle, cpu.weight, then cpu.max.burst before cpu.max', () => {
    expect(files({ cpu: { idle: 1, shares: 512, burst: 1000, quota: 10000 } })).toEqual(['cpu.idle=1', 'cpu.weight=59', 'cpu.max.burst=1000', 'cpu.max=10000 100000']);
  });
  test('unified: last, in key order, one write per line; no slashes', () => {
    expect(files({ pids: { limit: 5 }, unified: { 'memory.high': '1000', 'cpu.weight': '7', 'io.max': '8:0 rbps=1\n8:16 wbps=2\n' } })).toEqual([
      'pids.max=5',
      'cpu.weight=7',
      'io.max=8:0 rbps=1\n',
      'io.max=8:16 wbps=2\n',
      'memory.high=1000',
    ]);
    expect(resourcesToCgroupFiles({ unified: { '../x': '1' } }).errors).toEqual([expect.objectContaining({ path: 'linux.resources.unified["../x"]', rule: 'oci:unified-file' })]);
  });
  test('what runc ignores on v2, and what ctsim does not model, are warnings', () => {
    const r = resourcesToCgroupFiles({
      memory: { limit: 100, kernel: -1, swappiness: 0, disableOOMKiller: false },
      cpu: { cpus: '0-1', realtimeRuntime: 1 },
      blockIO: { weight: 10 },
      hugepageLimits: [{ pageSize: '2MB', limit: 1 }],
      devices: [{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }],
    });
    expect(r.errors).toEqual([]);
    expect(r.files.map((w) => w.file)).toEqual(['memory.max']);
    expect(r.warnings.map((w) => `${w.path} ${w.rule}`)).toEqual([
      'linux.resources.memory.kernel oci:ignored-v2',
      'linux.resources.memory.swappiness oci:ignored-v2',
      'linux.resources.memory.disableOOMKiller oci:ignored-v2',
      'linux.resources.blockIO oci:not-modelled',
      'linux.resources.cpu.realtimeRuntime oci:ignored-v2',
      'linux.resources.cpu.cpus oci:not-modelled',
      'linux.resources.devices oci:not-modelled',
      'linux.resources.hugepageLimits oci:not-modelled',
    ]);
  });
  test("runc spec's deny-all device list is not worth a warning", () => {
    expect(resourcesToCgroupFiles({ devices: [{ allow: false, access: 'rwm' }] }).warnings).toEqual([]);
  });
});
