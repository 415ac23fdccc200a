/**
 * Device assignment (VFIO): a whole host NIC, or an SR-IOV virtual function of one,
 * given to a guest. The guest drives the hardware: no VM exit per frame, where an
 * emulated e1000 traps on every register access. The NIC leaves the host while the VM
 * runs and comes back when it stops; a VM holding one can be neither saved nor migrated.
 */
import { describe, expect, it } from 'vitest';
import { cabledHosts } from '../helpers/cabled-hosts.js';
import { createHost } from '../../src/host.js';

const base = { 'machine-config': { vcpu_count: 1, mem_size_mib: 64 }, 'boot-source': { kernel_image_path: 'vmlinux' } };
type NicStats = { id: string; model: string; mac: string; host: string; framesTx: number; traps: number };
const nicsOf = (doc: Record<string, unknown>): NicStats[] => (doc.devices as { nics: NicStats[] }).nics;

describe('NIC passthrough and SR-IOV virtual functions', () => {
  it('a whole NIC: the host loses it, the guest drives it with no exit per frame, and gets it back', () => {
    const { a, b } = cabledHosts();
    b.sh('ip link set eth1 up && ip addr add 10.8.0.2/24 dev eth1');
    const nicMac = a.sh('cat /sys/class/net/eth1/address').stdout.trim();
    a.vms.create('pt', { ...base, 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, host_dev_name: 'eth1' }] });
    a.vms.create('emu', { ...base, 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '52:54:00:00:0e:01', model: 'e1000', switch: 'br0' }] });
    a.sh('ip link add br0 type bridge && ip link set br0 up && ip link set eth2 master br0 && ip link set eth2 up');
    b.sh('ip link set eth2 up && ip addr add 10.6.0.2/24 dev eth2');
    const pt = a.vms.start('pt').vm;
    const emu = a.vms.start('emu').vm;
    expect(a.sh('ip link show eth1').stderr).toBe('Device "eth1" does not exist.\n');
    expect(pt.sh('dmesg | grep -c ixgbe; cat /sys/class/net/eth0/address').stdout).toBe(`2\n${nicMac}\n`);
    expect(pt.sh('ip link set eth0 up && ip addr add 10.8.0.5/24 dev eth0 && ping -c 5 -q 10.8.0.2').stdout).toContain('5 received');
    expect(emu.sh('ip link set eth0 up && ip addr add 10.6.0.5/24 dev eth0 && ping -c 5 -q 10.6.0.2').stdout).toContain('5 received');
    const [p] = nicsOf(a.vms.inspect('pt'));
    const [e] = nicsOf(a.vms.inspect('emu'));
    expect(p).toMatchObject({ model: 'ixgbe', mac: nicMac, host: 'eth1 (assigned)', traps: 0 });
    expect(p.framesTx).toBeGreaterThanOrEqual(6);
    // The emulated NIC: four register accesses per frame sent, and one per frame received.
    expect(e.model).toBe('e1000');
    expect(e.traps).toBeGreaterThanOrEqual(4 * e.framesTx);
    expect(() => a.vms.save('pt')).toThrow(/VM "pt" cannot be saved: its interface eth0 is an assigned host device \(eth1\), and VFIO devices are not migratable/);
    a.vms.stop('pt');
    // Back with the host's driver: a fresh device, down and unaddressed.
    expect(a.sh('ip -br link show eth1').stdout).toBe(`eth1             DOWN           ${nicMac} <BROADCAST,MULTICAST> \n`);
    expect(a.sh('ip link set eth1 up && ip addr add 10.8.0.1/24 dev eth1 && ping -c 1 -q 10.8.0.2').stdout).toContain('1 received');
  });

  it('a virtual function: the PF gives it the configured MAC and port VLAN, and the host has it back after', () => {
    const { a, b } = cabledHosts();
    b.sh('ip link set eth1 up && ip link add link eth1 name eth1.7 type vlan id 7 && ip link set eth1.7 up && ip addr add 10.7.0.2/24 dev eth1.7');
    a.sh('echo 2 > /sys/class/net/eth1/device/sriov_numvfs && ip link set eth1 up');
    a.vms.create('vf', { ...base, 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '52:54:00:00:0f:01', passthrough: true, sriov_vf: true, host_dev_name: 'eth1', vlan: 7 }] });
    const vm = a.vms.start('vf').vm;
    expect(a.sh('ip link show eth1 | grep "vf 0"; ip -br link show eth1v0').stdout).toBe(
      '    vf 0     link/ether 52:54:00:00:0f:01 brd ff:ff:ff:ff:ff:ff, vlan 7, spoof checking on, link-state auto, trust off, query_rss off\n',
    );
    expect(vm.sh('dmesg | grep ixgbevf | head -n 1').stdout).toMatch(/\] ixgbevf 0000:00:03.0: 52:54:00:00:0f:01\n$/);
    // The guest sends untagged; the NIC tags its frames with the port VLAN on the wire.
    expect(vm.sh('ip link set eth0 up && ip addr add 10.7.0.5/24 dev eth0 && ping -c 3 -q 10.7.0.2').stdout).toContain('3 received');
    expect(nicsOf(a.vms.inspect('vf'))[0]).toMatchObject({ model: 'ixgbevf', host: 'a virtual function of eth1 (assigned)', traps: 0 });
    a.vms.stop('vf');
    // Given back, the VF has its earlier settings again (none) and the host's driver has it.
    expect(a.sh('ip link show eth1 | grep "vf 0"; ip -br link show eth1v0 | cut -c1-16').stdout).toBe(
      '    vf 0     link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off, query_rss off\neth1v0          \n',
    );
  });

  it('refuses what cannot be assigned, naming the fix', () => {
    const h = createHost({ nics: 2 });
    h.vms.create('x', { ...base, 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, host_dev_name: 'eth9' }] });
    expect(() => h.vms.start('x')).toThrow(/-device vfio-pci,host=eth9: no such physical NIC on the host/);
    h.vms.create('y', { ...base, 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, sriov_vf: true, host_dev_name: 'eth1' }] });
    expect(() => h.vms.start('y')).toThrow(/eth1 has no free virtual function \(echo N > \/sys\/class\/net\/eth1\/device\/sriov_numvfs makes N\)/);
    // A start that fails half-way gives back what it had taken: eth1 stays the host's.
    h.vms.create('v', { ...base, 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, host_dev_name: 'eth1' }, { iface_id: 'eth1', passthrough: true, sriov_vf: true, host_dev_name: 'eth0' }] });
    expect(() => h.vms.start('v')).toThrow(/eth0 has no free virtual function/);
    expect(h.sh('ip -br link show eth1').stdout).toMatch(/^eth1 /);
    expect(() => h.vms.start('v')).toThrow(/eth0 has no free virtual function/);
    expect(() => h.vms.create('z', { ...base, 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, host_dev_name: 'eth1', guest_mac: '52:54:00:00:00:01' }] })).toThrow(
      /\$\.network-interfaces\[0\]\.guest_mac: expected no guest_mac on a passed-through NIC/,
    );
    expect(() => h.vms.create('w', { ...base, 'cpu-virt': 'bt', 'mem-virt': 'shadow', 'network-interfaces': [{ iface_id: 'eth0', passthrough: true, host_dev_name: 'eth1' }] })).toThrow(
      /needs an IOMMU/,
    );
  });
});
