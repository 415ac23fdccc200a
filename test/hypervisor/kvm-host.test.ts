/**
 * A type 2 hypervisor: the VMM is a host process (qemu-system-x86_64), its vCPUs run
 * only when the host kernel runs its threads (KVM_RUN), and guest RAM is the VMM's
 * memory. Sources: Documentation/virt/kvm/api.rst (the ioctls, KVM_RUN), proc(5)
 * (/proc/stat steal and guest columns).
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { launchHostedVm } from '../../src/hypervisor/kvm-host.js';
import { parseVmConfig } from '../../src/hypervisor/vm-config.js';
import { defaultPrograms } from '../../src/userland/index.js';

function config(name: string, vcpus = 1, extra: Record<string, unknown> = {}) {
  return parseVmConfig({ 'machine-config': { vcpu_count: vcpus, mem_size_mib: 128 }, 'boot-source': { kernel_image_path: 'vmlinux' }, ...extra }, `${name}.json`, { name, profile: 'kvm' });
}

describe('a hosted VM (type 2)', () => {
  it('runs its guest through a VMM process the host schedules', () => {
    const host = createHost({ cpus: 2 });
    const h = launchHostedVm(host, config('web'), { programs: defaultPrograms() });
    const r = h.vm.sh('echo hello from $(uname -n)');
    expect(r.stdout).toBe('hello from web\n');
    expect(h.vm.machine.bootPhases.map((p) => p.phase)).toEqual(['firmware', 'kernel', 'init']);
    // The host sees the VMM: its command, and guest RAM the guest touched in its RSS.
    const ps = host.sh(`ps -o comm=,rss= -p ${h.vmm!.tgid}`).stdout.trim().split(/\s+/);
    expect(ps[0]).toBe('qemu-system-x86');
    expect(Number(ps[1]) * 1024).toBeGreaterThan(h.vm.machine.memVirt.counters.backedPages * 4096);
    // The host's CPUs spent time in guest mode (the guest column of /proc/stat).
    const cpu = host.sh('head -1 /proc/stat').stdout.trim().split(/\s+/);
    expect(Number(cpu[9])).toBeGreaterThan(0);
    expect(host.kernel.mem.pinnedPages).toBe(h.vm.machine.memVirt.counters.backedPages);
  });

  it('host load becomes guest steal time', () => {
    const host = createHost({ cpus: 1 });
    const h = launchHostedVm(host, config('busy'), { programs: defaultPrograms() });
    expect(h.vm.sh('true').status).toBe(0);
    // A CPU hog on the host competes with the vCPU thread for the only CPU.
    host.spawn(['stress', '--cpu', '1', '-q'], { path: '/usr/bin/stress' });
    const r = h.vm.sh('stress --cpu 1 -t 1 -q; head -1 /proc/stat');
    const [, user, , system, , , , , steal] = r.stdout.trim().split(/\s+/).map(Number);
    // Of the guest's second, about half went to the host's hog: steal, not user time.
    expect(steal).toBeGreaterThan(35);
    expect(user + system).toBeLessThan(65);
    expect(h.vm.machine.stealNs()).toBeGreaterThan(350_000_000);
  });

  it("the VMM's cgroup limits the guest: cpu.max on the host is steal time in the guest", () => {
    const host = createHost({ cpus: 1 });
    const h = launchHostedVm(host, config('capped'), { programs: defaultPrograms() });
    expect(h.vm.sh('true').status).toBe(0);
    const set = host.sh(`echo +cpu > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/vm && echo '20000 100000' > /sys/fs/cgroup/vm/cpu.max && echo ${h.vmm!.tgid} > /sys/fs/cgroup/vm/cgroup.procs`);
    expect(set.stderr).toBe('');
    const r = h.vm.sh('stress --cpu 1 -t 1 -q; head -1 /proc/stat');
    const [, user, , system, , , , , steal] = r.stdout.trim().split(/\s+/).map(Number);
    expect(steal).toBeGreaterThan(70);
    expect(user + system).toBeLessThan(30);
    expect(host.sh('grep throttled_usec /sys/fs/cgroup/vm/cpu.stat').stdout).toMatch(/throttled_usec [1-9]/);
  });

  it('the guest stops when its VMM is killed', () => {
    const host = createHost({ cpus: 2 });
    const h = launchHostedVm(host, config('victim'), { programs: defaultPrograms() });
    expect(h.vm.sh('true').status).toBe(0);
    host.sh(`kill -9 ${h.vmm!.tgid}`);
    host.engine.run({ maxSteps: 10_000 });
    expect(h.vm.machine.state).toBe('stopped');
    expect(h.vm.machine.stopReason).toBe('the VMM process exited');
  });

  it('several vCPUs are several host tasks sharing the VMM memory', () => {
    const host = createHost({ cpus: 2 });
    const h = launchHostedVm(host, config('smp', 2), { programs: defaultPrograms() });
    expect(h.vm.sh('nproc').stdout).toBe('2\n');
    const ps = host.sh('ps -e -o comm= | grep -c qemu').stdout;
    expect(ps).toBe('2\n');
  });

  it('a guest started later keeps the host\'s wall clock and counts its uptime from its own boot; start returns as the boot ends', () => {
    const host = createHost({ cpus: 2 });
    host.sh('sleep 5');
    const h = host.vms.start((host.vms.create('late', { 'machine-config': { vcpu_count: 1, mem_size_mib: 128 }, 'boot-source': { kernel_image_path: 'vmlinux' } }), 'late'));
    const phases = h.vm.machine.bootPhases;
    expect(host.now).toBe(phases[phases.length - 1].endNs);
    const r = h.vm.sh('date +%s; cat /proc/uptime');
    const [guestSec, uptime] = r.stdout.trim().split('\n');
    expect(Math.abs(Number(guestSec) - Math.floor(host.kernel.realtimeNs / 1e9))).toBeLessThanOrEqual(1);
    // Booted about 0.6 s ago (the kvm profile's boot), not at the host's boot 5 s earlier.
    expect(Number(uptime.split(' ')[0])).toBeLessThan(1);
  });
});
