/** `runc events --stats` output on cgroup v2. */
import { describe, expect, test } from 'vitest';
import { formatEventsStats, formatOomEvent, type StatsInput } from '../../../src/runtime/oci/index.js';
import { fixtureText } from './fixture-files.js';

/** The cgroup files behind runc-events-stats-output.json. */
const example = (): StatsInput => ({
  cpu: { usageNs: 1523000000, userNs: 1300000000, kernelNs: 223000000, periods: 120, throttledPeriods: 37, throttledTimeNs: 4100000000 },
  memory: {
    current: 5242880,
    max: 104857600,
    peak: 6291456,
    swapCurrent: 0,
    swapMax: 104857600,
    stat: new Map([
      ['anon', 1052672],
      ['file', 4096],
      ['kernel', 4186112],
      ['sock', 0],
      ['shmem', 0],
      ['file_mapped', 0],
      ['active_anon', 1048576],
      ['inactive_anon', 4096],
      ['active_file', 4096],
      ['inactive_file', 0],
      ['slab', 1048576],
      ['pgfault', 1200],
      ['pgmajfault', 0],
    ]),
  },
  pids: { current: 3, limit: 100 },
});

describe('formatEventsStats', () => {
  test('matches runc-events-stats-output.json byte for byte', () => {
    expect(formatEventsStats('c1', example())).toBe(fixtureText('runc/runc-events-stats-output.json'));
  });
  test('memory.max "max" is 2^64-1; a finite swap.max then wraps in uint64 like runc', () => {
    const s = example();
    s.memory.max = null;
    const data = JSON.parse(formatEventsStats('c1', s).replace(/(\d{16,})/g, '"$1"')).data;
    expect(data.memory.usage.limit).toBe('18446744073709551615');
    expect(data.memory.swap.limit).toBe(104857599); // (2^20·100 + 2^64 − 1) mod 2^64
    s.memory.swapMax = null;
    expect(formatEventsStats('c1', s)).toContain('"swap":{"limit":18446744073709551615,"usage":5242880,"failcnt":0}');
  });
  test('no swap accounting: swap is the memory usage, limited by memory.max', () => {
    const s = example();
    delete s.memory.swapCurrent;
    delete s.memory.swapMax;
    expect(formatEventsStats('c1', s)).toContain('"swap":{"limit":104857600,"usage":5242880,"failcnt":0}');
  });
  test('omitempty and omitzero: idle cpu, no peak, unlimited pids, empty memory.stat', () => {
    const s: StatsInput = {
      cpu: { usageNs: 0, userNs: 0, kernelNs: 0, periods: 0, throttledPeriods: 0, throttledTimeNs: 0 },
      memory: { current: 0, max: null, stat: {} },
      pids: { current: 0, limit: 0 },
    };
    const line = formatEventsStats('x', s);
    expect(line).toMatch(/^\{"type":"stats","id":"x","data":\{"cpu":\{\},"cpuset":\{/);
    expect(line).toContain('"memory":{"usage":{"limit":18446744073709551615,"failcnt":0},"swap":{"limit":18446744073709551615,"failcnt":0}},"pids":{},');
    expect(line.endsWith('"blkio":{},"hugetlb":{},"intel_rdt":{},"network_interfaces":null}}\n')).toBe(true);
  });
  test('cpu usage keeps kernel and user even when zero, drops a zero total', () => {
    const s = example();
    s.cpu = { usageNs: 0, userNs: 5000, kernelNs: 0, periods: 0, throttledPeriods: 0, throttledTimeNs: 0 };
    expect(formatEventsStats('c1', s)).toContain('"cpu":{"usage":{"kernel":0,"user":5000}},');
  });
});

test('the oom event', () => {
  expect(formatOomEvent('c1')).toBe('{"type":"oom","id":"c1"}\n');
});
