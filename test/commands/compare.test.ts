/**
 * `ctsim compare` as a user runs it: the built-in comparison as a table, the same as
 * JSON (byte for byte the same on a second run), its HTML page in a real browser, and
 * bad input answered in one line with the file and what to fix.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Compare from '../../src/commands/compare.js';
import ImageExport from '../../src/commands/image/export.js';
import { formatRuncSpec, runcDefaultSpec } from '../../src/runtime/oci/index.js';
import type { CompareReport } from '../../src/compare/report.js';
import { runCli, type CliRun } from '../helpers/cli.js';
import { launchChromium, measureCharts, openPage } from '../helpers/browser.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ctsim-compare-'));
const html = path.join(dir, 'report.html');
let json: CliRun;
let browser: Browser | undefined;

describe('ctsim compare', () => {
  beforeAll(async () => {
    json = await runCli(Compare, ['--json', '--html', html, '--check']);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('runs the built-in comparison: every metric of every instance, the seed, version and scenario hash, and the claims hold', () => {
    expect(json.exitCode).toBe(0);
    const r = json.json<CompareReport>();
    expect(r.ctsim).toMatch(/^ctsim \d+\.\d+\.\d+$/);
    expect(r.scenario).toMatchObject({ name: 'containers or VMs?', source: 'built-in fixtures/scenarios/default.yaml' });
    expect(r.scenario.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.seed).toBe(1);
    const v = r.variants[0];
    expect(v.instances.map((i) => i.name)).toEqual(['native', 'docker', 'docker-host', 'firecracker', 'qemu', 'qemu-emulated', 'qemu-shadow']);
    expect(new Set(v.metrics.map((m) => m.id))).toEqual(
      new Set(['startup', 'memory', 'density', 'isolation', ...['cpu', 'syscall', 'fork', 'forkwait', 'pagefault', 'tlb', 'disk', 'rr'].map((w) => `workload:${w}`)]),
    );
    expect(v.checks.filter((c) => !c.holds)).toEqual([]);
  });

  it('gives the same bytes on a second run (same scenario, same seed)', async () => {
    const again = await runCli(Compare, ['--json']);
    expect(again.stdout).toBe(json.stdout);
  }, 120_000);

  it('prints a table with units and a why per row, then the published findings', async () => {
    const t = await runCli(Compare, []);
    expect(t.exitCode).toBe(0);
    expect(t.stdout).toMatch(/^ctsim compare: containers or VMs\? \(built-in fixtures\/scenarios\/default\.yaml, seed 1\)\n/);
    expect(t.stdout).toMatch(/│ start-up to first instruction +│ native +│ +[\d.]+ µs │ fork \+ exec/);
    expect(t.stdout).toMatch(/│ +│ qemu +│ +[\d.]+ ms │ vmm [\d.]+ ms \+ firmware 200 ms \+ kernel 300 ms \+ init 100 ms/);
    expect(t.stdout).toMatch(/Published findings: 17 of 17 hold\n {2}✓ CPU-bound work runs at native speed in a container: /);
    // Progress goes to a terminal only: nothing on a pipe.
    expect(t.stderr).toBe('');
  }, 120_000);

  it('writes an HTML page that a browser draws without errors or requests', async () => {
    browser = await launchChromium();
    const { page, problems } = await openPage(browser, html);
    const charts = await measureCharts(page);
    expect(charts.map((c) => c.id)).toEqual(['v0-startup', 'v0-memory', 'v0-cpu', 'v0-schedule']);
    for (const c of charts) {
      expect(c.drawnRects, c.id).toBeGreaterThan(3);
      expect(c.legendItems, c.id).toBeGreaterThan(1);
    }
    expect(await page.locator('td.holds').count()).toBe(17);
    const png = path.join(dir, 'report.png');
    await page.screenshot({ path: png, fullPage: true });
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('runs a container from an OCI bundle beside the scenario: its config.json decides the namespaces', async () => {
    const bundle = path.join(dir, 'mybundle');
    expect((await runCli(ImageExport, ['bench', path.join(bundle, 'rootfs')], 'image:export')).exitCode).toBe(0);
    // runc spec's starter config, without a network namespace: the container shares the host's.
    const spec = runcDefaultSpec({ rootless: false, uid: 0, gid: 0 });
    spec.linux!.namespaces = spec.linux!.namespaces!.filter((n) => n.type !== 'network');
    writeFileSync(path.join(bundle, 'config.json'), formatRuncSpec(spec));
    const file = path.join(dir, 'bundle.yaml');
    writeFileSync(file, 'version: 1\nhosts: [{ name: h }]\ninstances:\n  - { name: b, kind: container, bundle: mybundle }\nworkloads: [{ name: w, kind: fork, ops: 3 }]\n');
    const r = await runCli(Compare, [file, '--json']);
    expect(r.stderr).toBe('');
    const inst = r.json<CompareReport>().variants[0].instances[0];
    expect(inst.detail).toBe('runc, OCI bundle mybundle');
    expect(inst.isolation.ownNamespaces).toEqual(['pid', 'mnt', 'uts', 'ipc', 'cgroup']);
    expect(inst.workloads[0].status).toBe(0);
    writeFileSync(file, 'version: 1\nhosts: [{ name: h }]\ninstances:\n  - { name: b, kind: container, bundle: mybundle, image: alpine }\nworkloads: [{ name: w, kind: fork }]\n');
    expect((await runCli(Compare, [file])).stderr).toBe(`ctsim compare: ${file}:4:51 at $.instances[0].image: expected no image with a bundle (its config.json decides), found image and bundle\n`);
  }, 60_000);

  it('answers bad input in one line naming the file, and exits 3', async () => {
    const missing = await runCli(Compare, [path.join(dir, 'nosuch.yaml')]);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toMatch(/^ctsim compare: .*nosuch\.yaml: expected a readable scenario file \(YAML or JSON\), found ENOENT \(fix: check the path given to SCENARIO\)\n$/);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nhosts: [{ name: h }]\ninstances: [{ name: x, kind: lxc }]\nworkloads: [{ name: w, kind: cpu }]\n');
    const r = await runCli(Compare, [bad]);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe(`ctsim compare: ${bad}:3:24 at $.instances[0].kind: expected one of "native", "container", "vm", found the string "lxc"\n`);
    const tiny = path.join(dir, 'tiny.yaml');
    writeFileSync(tiny, 'version: 1\nhosts: [{ name: h }]\ninstances: [{ name: x, kind: native }]\nworkloads: [{ name: w, kind: cpu, ops: 10 }]\n');
    const unwritable = await runCli(Compare, [tiny, '--html', '/nonexistent/dir/r.html']);
    expect(unwritable.exitCode).toBe(3);
    expect(unwritable.stderr).toBe('ctsim compare: --html: expected a file that can be written, found /nonexistent/dir/r.html: ENOENT (fix: give a path in a directory that exists and you can write)\n');
  });
});
