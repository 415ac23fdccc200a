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

const cfg = (name: string, more: Record<string, unknown> = {}) =>
  parseVmConfig({ 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' }, ...more }, `${name}.json`, { name, profile: 'esxi' });

describe('a type 1 hypervisor', () => {
  it('boots guests on the bare machine and round-robins their vCPUs', () => {
    const engine = new Engine(1);
    const hv = new Type1Hypervisor(engine, { cpus: 1, ramBytes: 1024 ** 3, programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
    const a = hv.createVm(cfg('a'));
    const b = hv.createVm(cfg('b'));
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

  it('has a management VM (Domain-0) that drives the physical NIC and holds the guests\' disks and NIC back ends', () => {
    const engine = new Engine(1);
    const hv = new Type1Hypervisor(engine, { cpus: 2, ramBytes: 2 * 1024 ** 3, programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
    const dom0 = hv.dom0;
    // Dom0 owns eth0 and the network beyond it; as on a Xen host, its address moves to the bridge.
    const setup = dom0.sh(`ip link add xenbr0 type bridge && ip link set xenbr0 up && ip addr flush dev eth0 && ip link set eth0 master xenbr0
ip addr add 192.168.1.10/24 dev xenbr0 && ip route add default via 192.168.1.1
mkdir -p /var/lib/ctsim/images && dd if=/dev/zero of=/var/lib/ctsim/images/web.img bs=1M count=16 2>/dev/null`);
    expect(setup.stderr).toBe('');
    const web = hv.createVm(cfg('web', {
      drives: [{ drive_id: 'data', path_on_host: 'web.img', is_root_device: false }],
      'network-interfaces': [{ iface_id: 'eth0', guest_mac: '00:16:3e:00:00:01', switch: 'xenbr0' }],
    }));
    expect(hv.list().map((d) => `${d.name} ${d.id} ${d.state}`)).toEqual(['Domain-0 0 running', 'web 1 running']);
    // The guest's back end is vif1.0 in dom0, on its bridge.
    expect(dom0.sh('ip -br link show master xenbr0 | cut -d" " -f1').stdout).toBe('eth0\nvif1.0\n');
    // Frames of the guest cross dom0 on their way to the outside world.
    const r = web.sh('ip link set eth0 up && ip addr add 192.168.1.20/24 dev eth0 && ip route add default via 192.168.1.1 && ping -c 2 -q 203.0.113.10');
    expect(r.stdout).toContain('2 received');
    expect(Number(dom0.sh('cat /sys/class/net/vif1.0/statistics/rx_packets').stdout)).toBeGreaterThanOrEqual(2);
    // Its disk is dom0's file: what the guest writes is there.
    web.sh('echo written-by-domU | dd of=/dev/sda bs=512 conv=sync 2>/dev/null; sync');
    expect(dom0.sh('head -c 15 /var/lib/ctsim/images/web.img').stdout).toBe('written-by-domU');
    // xl destroy: the guest goes, and its back end with it.
    hv.destroyVm(web);
    expect(hv.list().map((d) => d.name)).toEqual(['Domain-0']);
    expect(dom0.sh('ip -br link show vif1.0').stderr).toBe('Device "vif1.0" does not exist.\n');
    // A guest whose image dom0 does not have is refused, in xl's name.
    expect(() => hv.createVm(cfg('db', { drives: [{ drive_id: 'd', path_on_host: 'db.img', is_root_device: false }] }))).toThrow(/^xl: -drive file=db\.img: /);
  });

  it("reserves a domain's whole memory when it is created (Xen's domain builder), and takes it back on xl destroy", () => {
    const engine = new Engine(1);
    const hv = new Type1Hypervisor(engine, { cpus: 1, ramBytes: 1024 ** 3, programs: defaultPrograms(), bootEpochNs: DEFAULT_BOOT_EPOCH_NS });
    const mem = hv.machine.memory;
    // Domain-0's 512 MiB are gone from the machine before anything runs in it.
    expect(hv.memoryGiven(hv.dom0)).toBe(512 * 1024 ** 2);
    const free = mem.freeFrames;
    const a = hv.createVm(cfg('a'));
    // All 64 MiB at once (plus the frames of its nested tables), though the guest has
    // touched far less (a hosted VMM backs pages as they are touched).
    const given = (free - mem.freeFrames) * 4096;
    expect(given - 64 * 1024 ** 2).toBeGreaterThan(0);
    expect(given - 64 * 1024 ** 2).toBe(a.machine.memVirt.counters.vmmTablePages * 4096);
    expect(hv.memoryGiven(a)).toBe(given);
    expect(a.machine.memVirt.counters.backedPages * 4096).toBeLessThan(64 * 1024 ** 2);
    hv.waitForBoot(a);
    expect(a.machine.bootNs()).toBeGreaterThan(0);
    expect(() => hv.createVm(cfg('b', { 'machine-config': { vcpu_count: 1, mem_size_mib: 1024 } }))).toThrow('xl: failed to create domain b: it needs 1024 MiB and the machine has 447 MiB free');
    hv.destroyVm(a);
    expect(mem.freeFrames).toBe(free);
  });
});
