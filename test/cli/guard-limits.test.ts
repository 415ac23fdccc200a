/**
 * The simulator's guard limits as a user meets them (issue 11): an endless loop and a
 * fork bomb end with one clear line and status 124 instead of a hung terminal or
 * node's heap crash; the same bomb in a container with --pids-limit is contained by
 * the pids controller and the host's shell keeps working; bad limit values are usage
 * errors. Runs the built CLI (npm test builds it first), each command its own process,
 * so that --max-memory measures that process alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBuiltCli } from '../helpers/cli.js';

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

describe('guard limits', () => {
  it('stops an endless loop at --max-events with status 124 and says which limit and how to raise it', () => {
    const r = runBuiltCli(['sh', '--max-events', '200000', '-c', 'while :; do :; done']);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/^ctsim sh: stopped: the simulation ran 200000 events and CPU actions \(the --max-events limit\), at [\d.]+ m?s of simulated time, with \d+ tasks on the simulated host — an endless loop\? .*--max-events/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('stops a fork bomb at --max-memory with status 124, naming the tasks it made', { timeout: 180_000 }, () => {
    // dash's own spelling of the bomb (a function named ":" is bash's: dash says "Bad function name").
    const r = runBuiltCli(['sh', '--max-memory', '400M', '-c', 'f(){ f|f; }; f']);
    expect(r.status).toBe(124);
    const last = r.stderr.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^ctsim sh: stopped: ctsim used \d+ MiB of this machine's memory \(the --max-memory limit is 400 MiB\), at [\d.]+ m?s of simulated time, with \d+ tasks on the simulated host — a fork bomb/);
    expect(Number(/with (\d+) tasks/.exec(last)![1])).toBeGreaterThan(1000);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('runs the classic bomb through dash, which refuses the function name ":" as Debian\'s sh does', () => {
    const r = runBuiltCli(['sh', '-c', ':(){ :|:& };:']);
    expect(r.stderr).toBe('sh: 1: Syntax error: Bad function name\n');
    expect(r.status).toBe(2);
  });

  it('contains a fork bomb in a container with --pids-limit; the host shell keeps working', { timeout: 120_000 }, () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-guard-'));
    roots.push(root);
    const run = runBuiltCli(['run', '--root', root, '-d', '--name', 'bomb', '--pids-limit', '20', '--', 'sh', '-c', 'f(){ f|f& }; f; sleep 3600']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cg = `/sys/fs/cgroup/ctsim/${run.stdout.trim()}`;
    const host = runBuiltCli(['sh', '--root', root, '-c', `echo host ok; cat ${cg}/pids.max; grep max ${cg}/pids.events; [ $(cat ${cg}/pids.current) -le 20 ] && echo contained`]);
    expect(host.status).toBe(0);
    expect(host.stdout).toMatch(/^host ok\n20\nmax [1-9]\d*\ncontained\n$/);
  });

  it('refuses limit values that are not ones, as usage errors (status 2)', () => {
    for (const [flag, value, want] of [
      ['--max-events', 'lots', /--max-events: expected a whole number of events like 1000000 or 5e8, or "none", found lots/],
      ['--max-events', '0', /--max-events: expected .*found 0/],
      ['--max-memory', '1k', /--max-memory: expected a size of at least 64M, like 512M or 4G, found 1k/],
    ] as const) {
      const r = runBuiltCli(['sh', flag, value, '-c', 'true']);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(want);
    }
    const oci = runBuiltCli(['oci', '--max-memory', 'x', 'list']);
    expect(oci.status).toBe(2);
    expect(oci.stderr).toMatch(/--max-memory: expected a size of at least 64M/);
  });

  it('stops a script at its default time limit of 1 h of simulated time, and says so', () => {
    const r = runBuiltCli(['sh', '-c', 'while :; do sleep 1; done']);
    expect(r.status).toBe(124);
    expect(r.stderr).toBe('ctsim sh: stopped: the script was still running after 1 h of simulated time (the default --time-limit); give a longer one, e.g. --time-limit 10h\n');
    const longer = runBuiltCli(['sh', '--time-limit', '2h', '-c', 'sleep 4000; echo slept']);
    expect(longer.stdout).toBe('slept\n');
    expect(longer.status).toBe(0);
  });

  it('takes --max-events none for no limit on events', () => {
    const r = runBuiltCli(['sh', '--max-events', 'none', '--time-limit', '50ms', '-c', 'while :; do :; done']);
    expect(r.status).toBe(124);
    expect(r.stderr).toBe('');
  });

  it('stops a compare whose script workload never ends, on worker threads too, with a hint for scenarios', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-guard-'));
    roots.push(dir);
    const file = path.join(dir, 'spin.yaml');
    writeFileSync(file, ['version: 1', 'hosts: [{ name: h }]', 'instances:', '  - { name: c, kind: container, host: h }', 'workloads:', "  - { name: spin, kind: script, script: 'while :; do :; done' }", 'phases:', '  - { name: go, start: [c], run: [spin] }', ''].join('\n'));
    for (const jobs of ['1', '2']) {
      const r = runBuiltCli(['compare', file, '--repeat', '2', '--jobs', jobs, '--max-events', '1e6']);
      expect(r.status).toBe(124);
      expect(r.stderr).toMatch(/^ctsim compare: stopped: the simulation ran 1000000 events and CPU actions \(the --max-events limit\), at [\d.]+ m?s of simulated time, with \d+ tasks on the simulated machines, in run "spin" \(seed 1\) — a workload that never ends\? Make its script end, or raise --max-events .*per run\n$/);
      expect(r.stdout).toBe('');
    }
  });

  it('a command without --time-limit does not suggest it: ctsim oci', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ctsim-guard-'));
    roots.push(root);
    const r = runBuiltCli(['oci', '--root', root, '--max-events', '2', 'list']);
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/ — an endless loop\? Raise --max-events \(or --max-events none\)\n$/);
  });
});
