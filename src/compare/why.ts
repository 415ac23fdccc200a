/**
 * The rows of the comparison table — one per metric and instance — each with a
 * one-line reason drawn from the counters: where a VM's time went (its costliest exit
 * reason, callouts, hypercalls, trapped page-table writes), how a start-up divides,
 * what an idle instance's memory is made of. On a type 1 host "the host" is Domain-0,
 * and a VM is a domain whose memory is what the hypervisor gave it (no VMM process).
 */
import type { CheckResult, InstanceResult, Metric, WorkloadResult } from './report.js';
import type { Scenario } from './scenario.js';
import { formatBytes, formatCount, formatNs } from '../report/format-quantity.js';

const count = formatCount;

/** Every metric of every instance, in the order of the scenario's `measure` list. */
export function buildMetrics(instances: InstanceResult[], s: Scenario): Metric[] {
  const out: Metric[] = [];
  const want = new Set(s.measure);
  if (want.has('startup')) for (const i of instances) out.push({ id: 'startup', title: 'start-up to first instruction', instance: i.name, value: i.startup.ns, unit: 'ns', why: startupWhy(i) });
  if (want.has('memory')) for (const i of instances) if (i.kind !== 'native') out.push({ id: 'memory', title: 'memory per idle instance', instance: i.name, value: i.memory.bytes, unit: 'bytes', why: memoryWhy(i) });
  if (want.has('density')) for (const i of instances) if (i.kind !== 'native') out.push({ id: 'density', title: 'instances that fit in the host', instance: i.name, value: i.density, unit: 'count', why: `${formatBytes(i.memory.hostFreeBytes)} of ${freeOf(i)} memory free before any instance started ÷ ${formatBytes(i.memory.bytes)} each` });
  if (want.has('time') || want.has('exits')) {
    // "× native" is against the native instance of the same host (the bare host, or Domain-0), else the first one.
    const nativeOf = (i: InstanceResult): InstanceResult | undefined => instances.find((x) => x.kind === 'native' && x.host === i.host) ?? instances.find((x) => x.kind === 'native');
    for (const w of s.workloads) {
      for (const i of instances) {
        const r = i.workloads.find((x) => x.name === w.name);
        if (!r) continue;
        const native = nativeOf(i);
        const base = native?.workloads.find((x) => x.name === w.name);
        out.push({ id: `workload:${w.name}`, title: `${w.name} (${count(r.ops)} ${opsUnit(r.kind)})`, instance: i.name, value: r.ns, unit: 'ns', why: workloadWhy(i, r, base && i !== native ? base.ns : null) });
      }
    }
  }
  if (want.has('isolation')) for (const i of instances) out.push({ id: 'isolation', title: 'processes it can see', instance: i.name, value: i.isolation.processes, unit: 'count', why: isolationWhy(i) });
  return out;
}

function opsUnit(kind: string): string {
  return { cpu: 'loop iterations', memory: 'passes over the buffer', pagefault: 'fresh buffers', fork: 'fork+exec', pagetable: 'forkwait children', syscall: '1-byte copies', disk: '4 KiB writes', 'net-rr': 'requests', 'net-bulk': 'transfers', script: 'runs' }[kind] ?? 'ops';
}

/** Whose free memory an instance's density divides: a type 1 host's domains share the machine's (the hypervisor's), the rest the host's (Domain-0's). */
function freeOf(i: InstanceResult): string {
  if (i.hypervisor === 2) return "the host's";
  return i.kind === 'vm' ? "the machine's (the hypervisor's)" : "Domain-0's";
}

function startupWhy(i: InstanceResult): string {
  if (i.kind === 'native') return `fork + exec of the first command on the running ${i.hypervisor === 1 ? 'Domain-0' : 'host'}`;
  if (i.kind === 'container') return `runc${i.hypervisor === 1 ? " in Domain-0's kernel" : ''}: namespaces, cgroup, overlay mount, pivot_root, exec — no kernel to boot`;
  return i.startup.steps.map((s) => `${s.name} ${formatNs(s.endNs - s.startNs)}`).join(' + ');
}

function memoryWhy(i: InstanceResult): string {
  const p = i.memory.parts;
  const parts: [string, number][] = [['VMM', p.vmm], ['guest kernel', p.guestKernel], ['page tables', p.pageTables], ['page cache', p.pageCache], ['application', p.application], ['reserved but untouched', p.untouched]];
  const shown = parts.filter(([, b]) => b > 0).sort((a, b) => b[1] - a[1]).slice(0, 3);
  const note = i.kind === 'container' ? ' (no kernel of its own)' : i.kind === 'vm' && i.hypervisor === 1 ? ' (no VMM process: what the hypervisor gave the domain, its whole RAM from creation)' : '';
  return shown.map(([n, b]) => `${n} ${formatBytes(b)}`).join(' + ') + note;
}

/** The costliest thing the VMM did, or where native time went. */
function workloadWhy(i: InstanceResult, r: WorkloadResult, baseNs: number | null): string {
  const p = r.perOpNs;
  const per = p === null || p <= 0 ? '' : r.kind === 'disk' ? `${count(Math.round(1e9 / p))} IOPS (${formatNs(p)} per write); ` : `${formatNs(p)} per request; `;
  const vs = per + (baseNs !== null && baseNs > 0 ? `${(r.ns / baseNs).toFixed(2)}× native; ` : '');
  const c = r.counters;
  if (i.kind === 'vm') {
    const sumOf = (prefix: string): number => Object.keys(c).filter((k) => k.startsWith(prefix)).reduce((a, k) => a + c[k], 0);
    const items: [number, string][] = [];
    const top = Object.keys(c).filter((k) => k.startsWith('exitNs:')).sort((a, b) => c[b] - c[a])[0];
    if (top && c[top] > 0) {
      const reason = top.slice(7);
      const n = c[`exit:${reason}`] ?? 0;
      // Under hardware assist a trapped page-table write is an exit: say how many there were.
      const traps = c['mmu:ptWriteTraps'] ?? 0;
      items.push([c[top], `${count(n)} ${reason} exits × ${formatNs(c[top] / Math.max(1, n))}${traps > 0 ? ` (${count(traps)} trapped page-table writes)` : ''}`]);
    }
    const misses = c['mmu:tlbMisses'] ?? 0;
    if ((c['ns:nestedWalk'] ?? 0) > 0) items.push([c['ns:nestedWalk'], `${count(misses)} TLB misses walking nested tables too (${count(c['mmu:hostRefs'] ?? 0)} extra references, ${formatNs(c['ns:nestedWalk'])})`]);
    if ((c['ns:callouts'] ?? 0) > 0) items.push([c['ns:callouts'], `${count(sumOf('callout:'))} binary-translation callouts`]);
    if ((c['ns:translation'] ?? 0) > 0) items.push([c['ns:translation'], `${count(c.translations ?? 0)} blocks translated`]);
    if ((c['ns:hypercalls'] ?? 0) > 0) items.push([c['ns:hypercalls'], `${count(sumOf('hypercall:'))} hypercalls`]);
    if (items.length === 0) return `${vs}no VM exits: it ran in guest mode (user ${formatNs(r.cpu.user)}, guest kernel ${formatNs(r.cpu.kernel)})`;
    return vs + items.sort((a, b) => b[0] - a[0]).slice(0, 2).map((x) => x[1]).join('; ');
  }
  return `${vs}user ${formatNs(r.cpu.user)}, kernel ${formatNs(r.cpu.kernel)}${i.kind === 'container' ? ` (${i.hypervisor === 1 ? "Domain-0's kernel" : 'the host kernel'})` : ''}`;
}

function isolationWhy(i: InstanceResult): string {
  const f = i.isolation;
  const own = i.kind === 'vm' ? 'its own kernel' : f.ownNamespaces.length > 0 ? `own ${f.ownNamespaces.join(', ')} namespaces` : `${i.hypervisor === 1 ? "Domain-0's" : "the host's"} namespaces`;
  return `${own}; hostname ${f.hostname}; interfaces ${f.netDevices.join(' ') || 'none'}; ${f.mounts} mounts`;
}

/** An instance's value of `metric` (startup, memory, density, or a workload's time), or null if it has none. */
export function metricValue(i: InstanceResult, metric: string): number | null {
  if (metric === 'startup') return i.startup.ns;
  if (metric === 'memory') return i.memory.bytes;
  if (metric === 'density') return i.density;
  return i.workloads.find((w) => w.name === metric)?.ns ?? null;
}

function formatMetric(metric: string, v: number): string {
  return metric === 'memory' ? formatBytes(v) : metric === 'density' ? count(v) : formatNs(v);
}

/** Checks each expectation against the instances' results. */
export function checkExpectations(instances: InstanceResult[], s: Scenario): CheckResult[] {
  const value = (name: string, metric: string): number | null => {
    // An instance with a count runs as name-1 … name-N: a claim about it speaks of the first.
    const i = instances.find((x) => x.name === name) ?? instances.find((x) => x.name === `${name}-1`);
    return i ? metricValue(i, metric) : null;
  };
  return s.expect.map((e) => {
    const c = e.compare;
    const [a, b] = c.kind === 'order' ? [c.lower, c.higher] : [c.a, c.b];
    const va = value(a, e.metric);
    const vb = value(b, e.metric);
    if (va === null || vb === null) return { claim: e.claim, source: e.source, holds: false, detail: `no ${e.metric} result for ${va === null ? a : b}` };
    if (c.kind === 'order') {
      const holds = vb > va * c.factor;
      return { claim: e.claim, source: e.source, holds, detail: `${b} ${formatMetric(e.metric, vb)} ${holds ? '>' : '≤'} ${a} ${formatMetric(e.metric, va)}${c.factor === 1 ? '' : ` × ${c.factor}`}` };
    }
    const off = Math.abs(va / vb - 1);
    return { claim: e.claim, source: e.source, holds: off <= c.within, detail: `${a} ${formatMetric(e.metric, va)} is ${(off * 100).toFixed(1)}% from ${b} ${formatMetric(e.metric, vb)} (allowed ${(c.within * 100).toFixed(0)}%)` };
  });
}
