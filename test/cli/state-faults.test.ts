/**
 * A kept host (--root) survives faults (issue 11): ctsim killed with SIGKILL at a random
 * moment of a command that writes the state — a container started, a VM created and
 * booted — leaves a state the next command loads (the killed command recorded whole or
 * not at all; its lock taken over), and several invocations at once on one --root all
 * land, one after the other. Runs the built CLI, each command its own process.
 * FUZZ_RUNS raises the number of kills.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/cli.js';
import { fuzzRuns } from '../fuzz/mutate.js';

const BIN = path.join(REPO_ROOT, 'bin', 'run.js');
const work = mkdtempSync(path.join(tmpdir(), 'ctsim-faults-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Out {
  stdout: string;
  stderr: string;
  status: number | null;
  ms: number;
}

const ctsim = (args: string[]): Out => {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input: '' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, ms: performance.now() - t0 };
};

/** Starts ctsim and kills it (SIGKILL) after `afterMs`, or lets it finish first. */
const ctsimKilled = (args: string[], afterMs: number): Promise<Out> =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), afterMs);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, ms: performance.now() - t0 });
    });
  });

const entries = (root: string): string[][] => (JSON.parse(readFileSync(path.join(root, 'host.json'), 'utf8')) as { entries: { argv: string[] }[] }).entries.map((e) => e.argv);
/** The recorded container starts (ctsim run's host-side script). */
const runs = (root: string): number => entries(root).filter((a) => a[0] === 'sh' && a[2]?.startsWith('# ctsim run ')).length;

/** What a kill may leave behind besides the state: nothing but host.json, blobs/ and (for a moment) the lock. */
const litter = (root: string): string[] => readdirSync(root).filter((f) => !['host.json', 'blobs'].includes(f));

describe('a kept host under faults', () => {
  it('ctsim run killed at any moment leaves a state the next command loads', { timeout: 900_000 }, async () => {
    const root = path.join(work, 'run');
    const first = ctsim(['run', '--root', root, '-d', '--name', 'first', '--', 'sleep', '3600']);
    expect(first.status).toBe(0);
    // How long a start takes whole: kills fall anywhere in it.
    const whole = ctsim(['run', '--root', root, '-d', '--', 'sleep', '3600']);
    expect(whole.status).toBe(0);
    let before = runs(root);
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1.2, noNaN: true }), async (at) => {
        const killed = await ctsimKilled(['run', '--root', root, '-d', '--', 'sh', '-c', 'echo started; sleep 3600'], at * whole.ms);
        const after = ctsim(['oci', '--root', root, 'list', '-q']);
        expect(after.stderr, `killed at ${Math.round(at * whole.ms)} ms (status ${killed.status})`).toBe('');
        expect(after.status).toBe(0);
        // The killed start is recorded whole or not at all: whole when it finished, either
        // when the kill came after it saved the state but before it exited.
        const now = runs(root);
        expect([0, 1]).toContain(now - before);
        if (killed.status === 0) expect(now - before).toBe(1);
        before = now;
        expect(after.stdout.split('\n')).toContain('first');
        expect(litter(root)).toEqual([]);
      }),
      { numRuns: Math.max(6, Math.ceil(fuzzRuns(0) / 200)) },
    );
  });

  it('ctsim vm create and start killed at any moment leave a state the next command loads', { timeout: 900_000 }, async () => {
    const root = path.join(work, 'vm');
    const config = path.join(REPO_ROOT, 'fixtures/vm/examples/kvm-microvm.json');
    const made = ctsim(['vm', 'create', '--root', root, '--config', config, 'base']);
    expect(made.stderr).toBe('');
    const started = ctsim(['vm', 'start', '--root', root, 'base']);
    expect(started.status).toBe(0);
    let i = 0;
    await fc.assert(
      fc.asyncProperty(fc.double({ min: 0, max: 1.2, noNaN: true }), async (at) => {
        const name = `vm${i++}`;
        const c = await ctsimKilled(['vm', 'create', '--root', root, '--config', config, name], at * made.ms);
        if (c.status === 0) await ctsimKilled(['vm', 'start', '--root', root, name], at * started.ms);
        const list = ctsim(['vm', 'list', '--root', root]);
        expect(list.stderr, `killed at ${at.toFixed(2)} of a create (status ${c.status})`).toBe('');
        expect(list.status).toBe(0);
        expect(list.stdout).toMatch(/base\s+│\s+running/);
        expect(litter(root)).toEqual([]);
      }),
      { numRuns: Math.max(4, Math.ceil(fuzzRuns(0) / 400)) },
    );
  });

  it('four invocations at once on one --root all land, one after the other, with four containers', { timeout: 300_000 }, async () => {
    const root = path.join(work, 'busy');
    expect(ctsim(['sh', '--root', root, '-c', 'true']).status).toBe(0);
    const four = await Promise.all([0, 1, 2, 3].map((n) => ctsimKilled(['run', '--root', root, '-d', '--name', `c${n}`, '--', 'sleep', '3600'], 600_000)));
    expect(four.map((r) => r.status)).toEqual([0, 0, 0, 0]);
    const list = ctsim(['oci', '--root', root, 'list', '-q']);
    expect(list.stdout.trim().split('\n').sort()).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(runs(root)).toBe(4);
    expect(entries(root).map((a) => a[0])).toEqual(['sh', 'sh', 'sh', 'sh', 'sh', 'runc']);
    expect(existsSync(path.join(root, 'lock'))).toBe(false);
  });
});
