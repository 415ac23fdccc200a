/**
 * A type 1 hypervisor schedules vCPUs on the physical CPUs itself (Xen's credit
 * scheduler: 30 ms slices, VIRT-FIGURES §7): two busy single-vCPU guests on one
 * physical CPU share it, each seeing the other's share as steal time.
 */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/sim/engine.js';
import { Type1Hypervisor } from '../../src/hypervisor/type1.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';
import { DEFAULT_BOOT_EPOCH_NS } from '../../src/host.js';

const cfg = (name: string) =>
  parseVmConfig({ 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' } }, `${name}.json`, { name, profile: 'esxi' });

describe('a type 1 hypervisor', () => {
  it('boots guests on the bare machine and round-robins their vCPUs', () => {
    const engine = new Engine(1);
    const hv = new Type1Hypervisor(engine, { cpus: 1, ramBytes: 1024 ** 3 });
    const a = hv.createVm(cfg('a'), { programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
    const b = hv.createVm(cfg('b'), { programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
    expect(a.sh('uname -n').stdout).toBe('a\n');
    expect(b.sh('uname -n').stdout).toBe('b\n');
    // Both booted at once on the one CPU: each 600 ms boot (esxi's profile) took about
    // twice as long in wall time, the rest being steal time.
    expect(a.machine.bootNs()).toBeGreaterThan(1_150_000_000);
    expect(a.machine.bootNs()).toBeLessThan(1_250_000_000);
    b.spawn(['stress', '--cpu', '1', '-q'], { path: '/usr/bin/stress' });
    const r = a.sh('stress --cpu 1 -t 1 -q; head -1 /proc/stat');
    const [, user, , system, , , , , steal] = r.stdout.trim().split(/\s+/).map(Number);
    expect(steal).toBeGreaterThan(35);
    expect(user + system).toBeLessThan(65);
    expect(hv.switches).toBeGreaterThan(20);
  });
});
