/**
 * Live migration by pre-copy (Clark et al., NSDI 2005): the guest runs on while its
 * memory is copied in rounds of dirtied pages; the downtime is the last round. The
 * destination has different physical hardware; the guest's program continues unchanged.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { createHost } from '../../src/host.js';
import { launchHostedVm } from '../../src/hypervisor/kvm-host.js';
import { migrateVm } from '../../src/hypervisor/migration.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';

const SCRIPT = 'i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; echo counted $i on $(uname -n) with $(nproc) vCPU';

function setup(mem: string) {
  const engine = new Engine(7);
  const a = createHost({ engine, cpus: 2, memoryBytes: 2 * 1024 ** 3, machineName: 'hostA', hostname: 'hosta' });
  const b = createHost({ engine, cpus: 4, memoryBytes: 8 * 1024 ** 3, machineName: 'hostB', hostname: 'hostb' });
  const cfg = parseVmConfig({ 'machine-config': { vcpu_count: 1, mem_size_mib: 128 }, 'boot-source': { kernel_image_path: 'vmlinux' }, 'mem-virt': mem }, 'm.json', { name: 'mover', profile: 'kvm' });
  const h = launchHostedVm(a, cfg, { programs: defaultPrograms() });
  expect(h.vm.sh('true').status).toBe(0);
  return { engine, a, b, h };
}

describe('live migration', () => {
  it('with the default 300 ms downtime limit it stops after the first round', () => {
    const { engine, a, b, h } = setup('nested');
    h.vm.spawn(['stress', '--vm', '1', '--vm-bytes', '1M', '--vm-keep', '-q'], { path: '/usr/bin/stress' });
    const step = engine.now + 20_000_000;
    engine.run({ until: step });
    engine.advanceTo(step);
    const report = migrateVm(a, h, b);
    expect(report.rounds.length).toBe(1);
    expect(report.converged).toBe(true);
    // 256 dirty pages of 4 KiB over 10 GbE (819 ns/KiB) plus 64 KiB of device state.
    expect(report.downtimeNs).toBe(report.finalPages * 4 * 819 + 64 * 819);
    expect(h.vm.sh('uname -n').stdout).toBe('mover\n');
  });

  for (const mem of ['nested', 'shadow']) {
    it(`moves a running guest (${mem} paging) to a host with other hardware; its program goes on`, () => {
      const { engine, a, b, h } = setup(mem);
      let out = '';
      const { task } = h.vm.spawn(['sh', '-c', `stress --vm 1 --vm-bytes 1M --vm-keep -q & sleep 0.06; kill %1; ${SCRIPT}`], { path: '/bin/sh', stdout: (s) => (out += s) });
      const step = engine.now + 20_000_000;
      engine.run({ until: step });
      engine.advanceTo(step);
      // A downtime limit of 0.1 ms: less than the guest's 256 busy pages take to send, so the rounds run out.
      const report = migrateVm(a, h, b, { maxDowntimeNs: 100_000, maxRounds: 5 });
      // The first round sends every page the guest had; later ones only what it dirtied.
      // Round 0 copies every page backed so far; the guest keeps dirtying its 1 MiB (256 pages).
      expect(report.rounds[0].pages).toBeGreaterThan(1000);
      expect(report.rounds[0].dirtied).toBeGreaterThan(200);
      expect(report.rounds.length).toBe(5);
      expect(report.converged).toBe(false);
      expect(report.rounds[1].pages).toBeLessThan(report.rounds[0].pages);
      expect(report.finalPages).toBe(report.rounds[4].dirtied);
      expect(report.downtimeNs).toBeLessThan(report.totalNs / 5);
      // The guest finishes its program on the new host, unchanged.
      let exited = false;
      h.vm.kernel.exitHooks.add((t) => {
        if (t === task) exited = true;
      });
      for (let i = 0; i < 200 && !exited; i++) {
        const u = engine.now + 50_000_000;
        engine.run({ until: u });
        engine.advanceTo(u);
      }
      expect(out).toBe('counted 2000 on mover with 1 vCPU\n');
      // The VMM left the old host and runs on the new one.
      expect(a.sh('ps -e -o comm= | grep -c qemu-system').stdout).toBe('0\n');
      expect(b.sh('ps -e -o comm= | grep -c qemu-system').stdout).toBe('1\n');
      expect(a.kernel.mem.pinnedPages).toBe(0);
      expect(b.kernel.mem.pinnedPages).toBeGreaterThan(0);
      expect(h.vm.sh('uname -n').stdout).toBe('mover\n');
    });
  }
});
