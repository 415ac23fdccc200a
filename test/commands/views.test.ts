/**
 * The views as a user runs them: `ctsim ns tree`, `cgroup tree`, `top` and `mem walk`
 * on a fresh host set up by -c, or on a kept host (--root) that they leave as it was;
 * bad flags get one line and exit 2 or 3.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import NsTree from '../../src/commands/ns/tree.js';
import CgroupTree from '../../src/commands/cgroup/tree.js';
import MemWalk from '../../src/commands/mem/walk.js';
import Top from '../../src/commands/top.js';
import { runBuiltCli, runCli } from '../helpers/cli.js';

describe('ctsim ns tree', () => {
  it('draws a PID namespace made by the -c script below the initial one', async () => {
    const r = await runCli(NsTree, ['-c', 'unshare -p -f sleep 100 &', '--type', 'pid'], 'ns:tree');
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('pid namespaces');
    expect(lines).toContain('|-1 init');
    expect(r.stdout).toMatch(/\n`-\d+ pid {2}nprocs 1 {2}owner user 4026531837\n {2}`-1 sleep {2}\(PID \d+ in the initial PID namespace\)\n$/);
  });

  it('refuses an unknown type with a usage error', async () => {
    const r = await runCli(NsTree, ['--type', 'pid,bogus'], 'ns:tree');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^ctsim ns tree: --type: .*bogus/);
  });
});

describe('ctsim cgroup tree', () => {
  it('reports limits and usage as JSON, "max" as null', async () => {
    const r = await runCli(CgroupTree, ['--json', '-c', 'echo +pids +memory > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/a; echo 5 > /sys/fs/cgroup/a/pids.max; sleep 100 & echo $! > /sys/fs/cgroup/a/cgroup.procs'], 'cgroup:tree');
    expect(r.exitCode).toBe(0);
    const doc = r.json<{ cgroups: { children: { name: string; pids: unknown; memory: { maxBytes: number | null }; processes: { comm: string }[] }[] } }>();
    const a = doc.cgroups.children[0];
    expect(a.name).toBe('a');
    expect(a.pids).toEqual({ current: 1, max: 5 });
    expect(a.memory.maxBytes).toBeNull();
    expect(a.processes.map((p) => p.comm)).toEqual(['sleep']);
  });

  it('says which directory holds no kept host (exit 3)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-views-'));
    const r = await runCli(CgroupTree, ['--root', dir], 'cgroup:tree');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^ctsim cgroup tree: --root: .*host\.json/);
  });

  it('refuses -c together with --root (exit 2)', async () => {
    const r = await runCli(CgroupTree, ['--root', '/tmp', '-c', 'true'], 'cgroup:tree');
    expect(r.exitCode).toBe(2);
  });
});

describe('ctsim mem walk', () => {
  it("walks an address of init's program image", async () => {
    const r = await runCli(MemWalk, ['0x555555554000', '--pid', '1', '--json'], 'mem:walk');
    expect(r.exitCode).toBe(0);
    const w = r.json<{ walk: { comm: string; area: string; levels: { index: number }[] } }>().walk;
    expect(w.comm).toBe('init');
    expect(w.area).toBe('555555554000-555555555000 r--p /usr/sbin/init');
    // 0x555555554000: indices 170, 341, 170, 340 (bits 47..39, 38..30, 29..21, 20..12).
    expect(w.levels.map((l) => l.index)).toEqual([170, 341, 170, 340]);
  });

  it('names the processes there are when --pid is not one (exit 3), and a bad address (exit 2)', async () => {
    const r = await runCli(MemWalk, ['0x1000', '--pid', '99'], 'mem:walk');
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^ctsim mem walk: --pid: .*there are 1\b/);
    const bad = await runCli(MemWalk, ['0xZZ', '--pid', '1'], 'mem:walk');
    expect(bad.exitCode).toBe(2);
  });
});

describe('ctsim top', () => {
  it('piped, prints exactly one snapshot in batch format and exits', () => {
    const r = runBuiltCli(['top', '-c', 'stress --cpu 1 &']);
    expect(r.status).toBe(0);
    expect(r.stdout.match(/^top - /gm)).toHaveLength(1);
    expect(r.stdout.match(/^ {2}PID USER/gm)).toHaveLength(1);
    expect(r.stdout).toMatch(/\n +\d+ root +20 +0 .* R +(9\d\.\d|100\.0) .* 0:0[01]\.\d\d stress/);
  });

  it('with -n 2 prints two frames a blank line apart, the second a delay later', async () => {
    const r = await runCli(Top, ['-b', '-n', '2', '-d', '0.5', '-c', 'stress --cpu 1 &'], 'top');
    expect(r.exitCode).toBe(0);
    const frames = r.stdout.split(/\n\n(?=top - )/);
    expect(frames).toHaveLength(2);
    // TIME+ in hundredths: the second frame half a second of CPU later.
    const times = frames.map((f) => Number(/\d+:(\d\d\.\d\d) stress/.exec(f)![1]));
    expect(times[0]).toBeGreaterThanOrEqual(0.45);
    expect(times[1] - times[0]).toBeCloseTo(0.5, 1);
  });

  it('refuses a delay that is not a positive number of seconds', async () => {
    const r = await runCli(Top, ['-d', '0'], 'top');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^ctsim top: -d: /);
  });
});

describe('views of a kept host', () => {
  it('show what the kept host runs and leave its state file as it was', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-views-root-'));
    expect(runBuiltCli(['sh', '--root', dir, '-c', 'unshare -p -f sleep 1000 &']).status).toBe(0);
    const before = readFileSync(path.join(dir, 'host.json'), 'utf8');
    const r = runBuiltCli(['ns', 'tree', '--root', dir, '--type', 'pid']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/`-1 sleep/);
    const t = runBuiltCli(['top', '--root', dir]);
    expect(t.status).toBe(0);
    expect(t.stdout).toMatch(/ sleep /);
    expect(readFileSync(path.join(dir, 'host.json'), 'utf8')).toBe(before);
  });
});
