/**
 * The cgroup tree with usage against limits: the numbers are those the group's files
 * show (memory.current, memory.max, pids.current, pids.max, cpu.max, cpu.stat), and a
 * group under cpu.max is seen throttled.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../../src/index.js';
import { cgroupView, humanBytes, renderCgroupTree } from '../../../src/teach/views/index.js';

const SETUP = [
  'echo +cpu +memory +pids > /sys/fs/cgroup/cgroup.subtree_control',
  'mkdir /sys/fs/cgroup/web',
  'echo "20000 100000" > /sys/fs/cgroup/web/cpu.max',
  'echo 64M > /sys/fs/cgroup/web/memory.max',
  'echo 20 > /sys/fs/cgroup/web/pids.max',
  'stress --cpu 1 --vm 1 --vm-bytes 4M --vm-hang 100 & echo $! > /sys/fs/cgroup/web/cgroup.procs',
  'sleep 1',
].join('; ');

describe('cgroupView', () => {
  it("reads usage and limits as the group's files give them", () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.sh(SETUP);
    const files = host.sh('cd /sys/fs/cgroup/web; cat memory.current memory.max pids.current pids.max cpu.max; grep nr_throttled cpu.stat').stdout.split('\n');
    const web = cgroupView(host.kernel).children.find((c) => c.name === 'web')!;
    // The shell that read the files ran in the root group: web's numbers did not move meanwhile except CPU time.
    expect(web.memory).toMatchObject({ currentBytes: Number(files[0]), maxBytes: 64 * 1024 * 1024 });
    expect(files[1]).toBe(String(64 * 1024 * 1024));
    expect(web.pids).toEqual({ current: Number(files[2]), max: 20 });
    expect(files[4]).toBe('20000 100000');
    expect(web.cpu.limit).toMatchObject({ quotaUs: 20000, periodUs: 100000 });
    expect(web.cpu.limit!.nrThrottled).toBeGreaterThan(0);
    expect(web.processes.map((p) => p.comm)).toEqual(['stress', 'stress', 'stress']);
  });

  it('shows "max" where there is no limit and no controller figures where the controller is off', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.sh('echo +pids > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/a');
    const a = cgroupView(host.kernel).children[0];
    expect(a.pids).toEqual({ current: 0, max: null });
    expect(a.memory).toBeNull();
    expect(a.cpu.limit).toBeNull();
  });

  it('draws the root as /sys/fs/cgroup, each group with its usage, processes before child groups', () => {
    const host = createHost({ cpus: 2, seed: 1 });
    host.sh(SETUP);
    const lines = renderCgroupTree(cgroupView(host.kernel));
    expect(lines[0]).toMatch(/^\/sys\/fs\/cgroup {2}cpu usage \d+\.\d\ds$/);
    expect(lines[1]).toBe('|-1 init');
    expect(lines[2]).toMatch(/^`-web {2}memory [\d.]+[KM]\/64\.0M {2}pids 3\/20 {2}cpu 20000\/100000 usage [\d.]+s throttled \d+x [\d.]+s/);
    expect(lines.slice(3)).toEqual([expect.stringMatching(/^ {2}\|-\d+ stress$/), expect.stringMatching(/^ {2}\|-\d+ stress$/), expect.stringMatching(/^ {2}`-\d+ stress$/)]);
  });
});

describe('humanBytes', () => {
  it('prints powers of 1024 with one decimal, as numfmt --to=iec', () => {
    expect([humanBytes(0), humanBytes(1023), humanBytes(1024), humanBytes(1536), humanBytes(64 * 1024 ** 2), humanBytes(3 * 1024 ** 3)]).toEqual(['0B', '1023B', '1.0K', '1.5K', '64.0M', '3.0G']);
  });
});
