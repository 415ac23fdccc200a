/**
 * top's screen from two samples: procps-ng top's batch layout (header lines and task
 * columns), a CPU hog at ~100 % of a CPU over the interval, TIME+ as m:ss.hh, and
 * ctsim's THR column for a task held back by cpu.max.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/index.js';
import { renderTop, sampleTop, timePlus } from '../../../src/teach/views/index.js';

function screen(script: string, intervalNs = 1e9) {
  const host = createHost({ cpus: 2, seed: 1 });
  host.sh(script);
  const a = sampleTop(host.kernel);
  host.engine.runUntil(host.now + intervalNs);
  const b = sampleTop(host.kernel);
  return { host, a, b, lines: renderTop(a, b) };
}

describe('renderTop', () => {
  it("lays out the summary as procps-ng top's batch mode does", () => {
    const { lines } = screen('stress --cpu 1 &');
    expect(lines[0]).toMatch(/^top - 00:00:0\d up 0 min, {2}0 user, {2}load average: \d\.\d\d, \d\.\d\d, \d\.\d\d$/);
    expect(lines[1]).toMatch(/^Tasks: {3}\d total, {3}\d running, {3}\d sleeping, {3}0 stopped, {3}0 zombie$/);
    expect(lines[2]).toMatch(/^%Cpu\(s\):[ \d]{2}\d\.\d us,[ \d]{2}\d\.\d sy, {2}0\.0 ni,[ \d]{2}\d\.\d id, {2}0\.0 wa, {2}0\.0 hi, {2}0\.0 si, {2}0\.0 st $/);
    expect(lines[3]).toMatch(/^MiB Mem : {3}\d{4}\.\d total, {3}\d{4}\.\d free, +\d+\.\d used, +\d+\.\d buff\/cache {5}$/);
    expect(lines[4]).toMatch(/^MiB Swap: {6}0\.0 total, {6}0\.0 free, {6}0\.0 used\. {3}\d{4}\.\d avail Mem $/);
    expect(lines[5]).toBe('');
    expect(lines[6]).toBe('  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND         THR CGROUP');
  });

  it('puts a CPU hog first at ~100 % of one CPU, and half the machine busy', () => {
    const { lines } = screen('stress --cpu 1 &');
    expect(lines[7]).toMatch(/^ +\d+ root +20 +0 +\d+ +\d+ +\d+ R +(99\.\d|100\.0) +0\.0 +0:0\d\.\d\d stress +- +\/$/);
    const us = Number(/^%Cpu\(s\): *([\d.]+) us/.exec(lines[2])![1]);
    expect(us).toBeGreaterThan(49);
    expect(us).toBeLessThan(51);
  });

  it('shows a task held back by its cgroup cpu.max as thr, with its cgroup', () => {
    const script =
      'echo +cpu > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/slow; echo "1000 100000" > /sys/fs/cgroup/slow/cpu.max; stress --cpu 1 & echo $! > /sys/fs/cgroup/slow/cgroup.procs; sleep 0.5';
    const { b, lines } = screen(script, 50_000_000);
    const hogs = b.tasks.filter((t) => t.cgroup === '/slow');
    expect(hogs.length).toBeGreaterThan(0);
    expect(hogs.some((t) => t.held === 'thr')).toBe(true);
    expect(lines.some((l) => / thr \/slow$/.test(l))).toBe(true);
  });

  it('cuts the screen to a terminal of the given size', () => {
    const { a, b } = screen('stress --cpu 1 &');
    const lines = renderTop(a, b, { rows: 9, columns: 40 });
    expect(lines).toHaveLength(9);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40);
  });

  it('sorts by another field on request (-o PID: highest first)', () => {
    const { a, b } = screen('stress --cpu 1 &');
    const pids = renderTop(a, b, { sort: 'PID' }).slice(7).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(pids).toEqual([...pids].sort((x, y) => y - x));
  });
});

describe('timePlus', () => {
  it('prints CPU time as minutes:seconds.hundredths', () => {
    expect([timePlus(0), timePlus(1_234_000_000), timePlus(61_500_000_000), timePlus(6000e9)]).toEqual(['0:00.00', '0:01.23', '1:01.50', '100:00.00']);
  });
});
