/**
 * VM exits in the trace: every exit a `vmexit` record (VM, vCPU, reason, price), and in
 * explain mode the first exit of each reason on each vCPU in words with its price, so
 * that a running VM does not flood the explanation (issue 9). Guest kernels share the
 * host's trace: their explain records name their VM. Source: Intel SDM vol. 3C
 * appendix C (exit reasons); Documentation/virt/kvm/api.rst (KVM_RUN).
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { launchHostedVm } from '../../src/hypervisor/kvm-host.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';
import { EXIT_REASONS } from '../../src/hypervisor/cpu-virt.js';
import type { TraceRecord } from '../../src/sim/trace.js';
import { presentExplain } from '../../src/report/explain.js';

describe('VM exits in the trace and in explain mode', () => {
  it('each exit is a vmexit record; explain tells the first of each reason per vCPU with its price', () => {
    const recs: TraceRecord[] = [];
    const host = createHost({ cpus: 2, trace: { categories: ['vmexit', 'explain'], sink: (r) => recs.push(r) } });
    const cfg = parseVmConfig({ 'machine-config': { vcpu_count: 2, mem_size_mib: 128 }, 'boot-source': { kernel_image_path: 'vmlinux' } }, 'web.json', { name: 'web', profile: 'kvm' });
    const h = launchHostedVm(host, cfg, { programs: defaultPrograms() });
    expect(h.vm.sh('cat /nonexistent; true').status).toBe(0);
    const exits = recs.filter((r) => r.cat === 'vmexit');
    const counters = h.vm.machine.cpuVirt.counters;
    expect(exits.length).toBe(counters.totalExits());
    expect(exits[0]).toMatchObject({ ev: 'exit', vm: 'web' });
    const told = recs.filter((r) => r.cat === 'explain' && r.ev === 'vmexit');
    const pairs = new Set(exits.map((r) => `${String(r.vcpu)}:${String(r.reason)}`));
    // One explanation per (vCPU, reason) that occurred, far fewer than the exits.
    expect(told.map((r) => `${String(r.vcpu)}:${String(r.exit)}`).sort()).toEqual([...pairs].sort());
    expect(told.length).toBeLessThan(exits.length / 10);
    for (const r of told) {
      expect(EXIT_REASONS).toContain(r.exit);
      expect(r.reason).toMatch(/it costs \d+ ns \(\d+ ns of exit and re-entry/);
    }
    const ept = told.find((r) => r.exit === 'EPT violation')!;
    expect(presentExplain([ept])).toEqual([expect.stringMatching(/^explain: VM web vCPU \d exit EPT violation: the guest touched guest-physical memory that no host page backs yet/)]);
    // The guest kernel's own failed calls say which VM they come from.
    const cat = recs.find((r) => r.cat === 'explain' && r.comm === 'cat');
    expect(cat).toMatchObject({ vm: 'web', comm: 'cat', errno: 'ENOENT' });
  });
});
