import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareReport, CpuSplit, InstanceResult, Metric, VariantResult } from '../../src/compare/report.js';
import { renderCompareHtml } from '../../src/report/compare-html.js';
import { formatQuantity } from '../../src/report/format-quantity.js';
import { launchChromium, measureCharts, openPage, type DomElement } from '../helpers/browser.js';

/** The page's document, as the functions run in the browser use it (tsconfig has no DOM lib). */
declare const document: DomElement & { documentElement: { scrollWidth: number } };

const MiB = 1024 * 1024;
const KiB = 1024;
const ms = 1e6;

function cpu(user: number, kernel: number, vmm = 0, translation = 0): CpuSplit {
  return { user, kernel, vmm, translation };
}

/** Three instances as `ctsim compare` would report them: the host itself, a runc container and a Firecracker VM. */
function instances(ctrName: string, vmCpuScale: number): InstanceResult[] {
  const workloads = (scale: number, vmm: number, translation: number): InstanceResult['workloads'] => [
    { name: 'cpu', kind: 'loop', ops: 20_000, ns: 41 * ms * scale, status: 0, perOpNs: null, cpu: cpu(38 * ms * scale, 2.1 * ms, vmm, translation), counters: {} },
    { name: 'fork', kind: 'forkwait', ops: 500, ns: 120 * ms * scale, status: 0, perOpNs: null, cpu: cpu(9 * ms, 95 * ms * scale, vmm * 4, translation * 3), counters: {} },
  ];
  const isolation = (processes: number, hostname: string, netDevices: string[], mounts: number, shared: boolean, own: string[]) => ({
    processes, hostname, netDevices, mounts, sharedKernel: shared, ownNamespaces: own,
  });
  return [
    {
      name: 'native', kind: 'native', host: 'h1', hypervisor: 2, detail: 'the host itself',
      startup: { ns: 0.82 * ms, steps: [{ name: 'exec', startNs: 0, endNs: 0.82 * ms }] },
      memory: { bytes: 3 * MiB + 64 * KiB, parts: { guestKernel: 0, pageTables: 64 * KiB, pageCache: 1 * MiB, application: 2 * MiB, vmm: 0, untouched: 0 }, hostFreeBytes: 4000 * MiB },
      density: 1910, workloads: workloads(1, 0, 0),
      isolation: isolation(42, 'h1', ['lo', 'eth0', 'br0'], 24, true, []),
    },
    {
      name: ctrName, kind: 'container', host: 'h1', hypervisor: 2, detail: 'runc, bridge + NAT',
      startup: {
        ns: 47.5 * ms,
        steps: [
          { name: 'runtime', startNs: 0, endNs: 31 * ms },
          { name: 'init', startNs: 31 * ms, endNs: 45 * ms },
          { name: 'exec', startNs: 45 * ms, endNs: 47.5 * ms },
        ],
      },
      memory: { bytes: 6 * MiB + 80 * KiB, parts: { guestKernel: 0, pageTables: 80 * KiB, pageCache: 4 * MiB, application: 2 * MiB, vmm: 0, untouched: 0 }, hostFreeBytes: 4000 * MiB },
      density: 980, workloads: workloads(1.02, 0, 0),
      isolation: isolation(2, ctrName, ['lo', 'eth0'], 11, true, ['pid', 'mnt', 'net', 'uts', 'ipc', 'cgroup']),
    },
    {
      name: 'fc', kind: 'vm', host: 'h1', hypervisor: 2, detail: 'firecracker: hw + nested, virtio-net',
      startup: {
        ns: 125 * ms,
        steps: [
          { name: 'vmm', startNs: 0, endNs: 6 * ms },
          { name: 'kernel', startNs: 6 * ms, endNs: 96 * ms },
          { name: 'init', startNs: 96 * ms, endNs: 121 * ms },
          { name: 'exec', startNs: 121 * ms, endNs: 125 * ms },
        ],
      },
      memory: {
        bytes: 36 * MiB + 200 * KiB,
        parts: { guestKernel: 22 * MiB, pageTables: 1 * MiB + 200 * KiB, pageCache: 8 * MiB, application: 2 * MiB, vmm: 3 * MiB, untouched: 0 },
        hostFreeBytes: 4000 * MiB,
      },
      density: 170, workloads: workloads(vmCpuScale, 3.5 * ms, vmCpuScale > 1 ? 6 * ms : 0),
      isolation: isolation(3, 'fc', ['lo', 'eth0'], 14, false, ['pid', 'mnt', 'net', 'uts', 'ipc', 'user', 'cgroup']),
    },
  ];
}

function metricsOf(insts: InstanceResult[]): Metric[] {
  const rows: Metric[] = [];
  for (const i of insts) rows.push({ id: 'startup', title: 'start-up to first instruction', instance: i.name, value: i.startup.ns, unit: 'ns', why: `${i.startup.steps.length} steps; longest ${i.startup.steps.at(-1)?.name}` });
  for (const i of insts) rows.push({ id: 'memory', title: 'memory of an idle instance', instance: i.name, value: i.memory.bytes, unit: 'bytes', why: i.kind === 'vm' ? 'VM: guest kernel 22 MiB + VMM 3 MiB' : 'shared kernel: only its processes' });
  for (const i of insts) rows.push({ id: 'density', title: 'instances that fit', instance: i.name, value: i.density, unit: 'count', why: `host RAM left after boot ÷ ${i.name}'s memory` });
  for (const name of ['cpu', 'fork']) {
    for (const i of insts) {
      const w = i.workloads.find((x) => x.name === name)!;
      rows.push({ id: `workload:${w.name}`, title: `${w.name} (${w.ops.toLocaleString('en-US')} ops)`, instance: i.name, value: w.ns / w.ops, unit: 'ns/op', why: i.kind === 'vm' ? 'VM: 41,000 EPT-violation exits × 0.45 µs' : 'no exits' });
    }
  }
  return rows;
}

function variant(label: string, seed: number, ctrName: string, vmCpuScale: number): VariantResult {
  const insts = instances(ctrName, vmCpuScale);
  const slices = (cpuNo: number) =>
    Array.from({ length: 24 }, (_, k) => {
      const labels = cpuNo === 0 ? ['firecracker', 'sh', 'kworker/0:1', 'firecracker'] : ['runc', 'sh', 'dash', 'firecracker'];
      return { startNs: 200 * ms + k * 5 * ms, endNs: 200 * ms + k * 5 * ms + (k % 3 === 2 ? 1.5 : 4) * ms, label: labels[k % 4] };
    });
  return {
    label, seed, instances: insts, metrics: metricsOf(insts),
    checks: [
      { claim: 'container start ≪ microVM boot', source: 'VIRT-FIGURES §4, §6', holds: true, detail: 'fc 136 ms > ctr 10.9 ms × 5' },
      { claim: 'a <b>bold</b> claim that fails', source: 'nowhere', holds: false, detail: 'ctr 1 ms ≤ fc 2 ms' },
    ],
    trees: {
      namespaces: { label: 'host (pid:[4026531836] mnt:[4026531841])', children: [
        { label: `${ctrName}: pid:[4026532201] mnt:[4026532199] net:[4026532204]`, children: [{ label: 'uts:[4026532200]', children: [] }] },
        { label: 'fc (VMM process; guest has its own kernel)', children: [] },
      ] },
      cgroups: { label: '/sys/fs/cgroup', children: [
        { label: 'system.slice', children: [{ label: `docker-${ctrName}.scope (pids.max=100, memory.max=256M)`, children: [] }] },
        { label: 'fc.slice', children: [{ label: 'firecracker-fc.scope', children: [] }] },
      ] },
    },
    schedule: [{ machine: 'h1', cpu: 0, slices: slices(0) }, { machine: 'h1', cpu: 1, slices: slices(1) }],
  };
}

function sampleReport(ctrName = 'ctr', variants: [string, number][] = [['default', 1]]): CompareReport {
  return {
    ctsim: 'ctsim 0.1.0',
    scenario: { name: 'containers-vs-vms', source: 'fixtures/scenarios/default.yaml', sha256: 'ab'.repeat(32), inputs: 'cd'.repeat(32) },
    seed: 42,
    variants: variants.map(([label, scale], i) => variant(label, 42 + i, ctrName, scale)),
  };
}

const CHART_IDS = ['v0-startup', 'v0-memory', 'v0-cpu', 'v0-schedule'];
const CHART_TITLES = ['Start-up timeline', 'Memory per idle instance', 'CPU time by where it went', 'Scheduling'];

describe('formatQuantity', () => {
  it('shows ns with three significant digits, bytes in powers of 1024, counts with separators', () => {
    expect(formatQuantity(450, 'ns')).toBe('450 ns');
    expect(formatQuantity(12_345, 'ns')).toBe('12.3 µs');
    expect(formatQuantity(999_999, 'ns')).toBe('1.00 ms');
    expect(formatQuantity(2.5e9, 'ns')).toBe('2.50 s');
    expect(formatQuantity(2_050, 'ns/op')).toBe('2.05 µs/op');
    expect(formatQuantity(512, 'bytes')).toBe('512 B');
    expect(formatQuantity(36 * MiB + 200 * KiB, 'bytes')).toBe('36.2 MiB');
    expect(formatQuantity(1.5 * 1024 * MiB, 'bytes')).toBe('1.50 GiB');
    expect(formatQuantity(1_234_567, 'count')).toBe('1,234,567');
  });
});

describe('renderCompareHtml', () => {
  it('gives the same bytes for the same report', () => {
    expect(renderCompareHtml(sampleReport())).toBe(renderCompareHtml(sampleReport()));
  });

  it('escapes every text from the report', () => {
    const report = sampleReport('<b>x</b>');
    report.scenario.name = '<script>alert(1)</script>';
    report.variants[0].metrics[0].why = '"quoted" & <i>why</i>';
    const html = renderCompareHtml(report);
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<i>why</i>');
    expect(html).toContain('&quot;quoted&quot; &amp; &lt;i&gt;why&lt;/i&gt;');
  });

  it('references nothing on the network', () => {
    const html = renderCompareHtml(sampleReport());
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('has every chart, with an accessible title and a legend, and the header facts', () => {
    const html = renderCompareHtml(sampleReport());
    for (const [i, id] of CHART_IDS.entries()) {
      expect(html).toContain(`<svg class="chart" id="${id}" role="img" aria-labelledby="${id}-title ${id}-desc"`);
      expect(html).toContain(`<title id="${id}-title">${CHART_TITLES[i]}</title>`);
    }
    expect(html.match(/<g class="legend">/g)).toHaveLength(4);
    for (const fact of ['containers-vs-vms', 'fixtures/scenarios/default.yaml', 'ab'.repeat(32), 'ctsim 0.1.0', '42']) expect(html).toContain(fact);
    expect(html).toContain('125 ms'); // fc's start-up
    expect(html).toContain('36.2 MiB'); // fc's idle memory
    expect(html).toContain('<ul class="tree">');
  });
});

describe('renderCompareHtml in a real browser (Debian chromium)', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'ctsim-compare-html-'));
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens `report`'s page from a file; collects console errors, page errors and any request that is not the file. */
  async function open(report: CompareReport, name: string): Promise<{ page: Page; problems: string[] }> {
    const file = join(dir, `${name}.html`);
    await writeFile(file, renderCompareHtml(report));
    return openPage(browser, file);
  }

  it('draws every chart, without errors or requests, and screenshots as a PNG', async () => {
    const { page, problems } = await open(sampleReport('<b>x</b>'), 'one');
    const charts = await measureCharts(page);
    expect(charts.map((c) => c.id)).toEqual(CHART_IDS);
    for (const [i, c] of charts.entries()) {
      expect(c.title).toBe(CHART_TITLES[i]);
      expect(c.width).toBeGreaterThan(1000);
      expect(c.height).toBeGreaterThan(80);
      expect(c.drawnRects).toBeGreaterThan(2);
      expect(c.legendItems).toBeGreaterThan(1);
      expect(c.overflowingLabels).toEqual([]);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    expect(await page.locator('td', { hasText: '<b>x</b>' }).count()).toBeGreaterThan(0);
    const png = join(dir, 'one.png');
    await page.screenshot({ path: png, fullPage: true });
    const bytes = await readFile(png);
    expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(bytes.readUInt32BE(16)).toBe(1280); // IHDR width
    expect(bytes.readUInt32BE(20)).toBeGreaterThan(2000); // IHDR height: the whole page
    expect((await stat(png)).size).toBeGreaterThan(50_000);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches variants with the selector', async () => {
    const { page, problems } = await open(sampleReport('ctr', [['vm.cpuVirt=hw', 1], ['vm.cpuVirt=bt', 1.8]]), 'two');
    const visible = () => page.evaluate(() => [...document.querySelectorAll('section.variant')].map((s) => s.getBoundingClientRect().height > 0));
    expect(await visible()).toEqual([true, false]);
    expect((await measureCharts(page)).map((c) => c.id)).toEqual(CHART_IDS);
    await page.locator('label[for="variant-radio-1"]').click();
    expect(await visible()).toEqual([false, true]);
    const charts = await measureCharts(page);
    expect(charts.map((c) => c.id)).toEqual(CHART_IDS.map((id) => id.replace('v0', 'v1')));
    for (const c of charts) expect(c.drawnRects).toBeGreaterThan(2);
    await page.locator('label[for="variant-radio-0"]').click();
    expect(await visible()).toEqual([true, false]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
