/**
 * SR-IOV (Documentation/PCI/pci-iov-howto.rst; ip-link(8) "vf"): virtual functions of a
 * physical NIC, made through sriov_numvfs, configured from the PF, and switched by the
 * NIC's embedded switch. Not checked on a real NIC: the machine has none with SR-IOV.
 */
import { describe, expect, test } from 'vitest';
import { createHost, type Host } from '../../../src/host.js';
import { cabledHosts } from '../../helpers/cabled-hosts.js';

const rx = (h: Host, dev: string): number => Number(h.sh(`cat /sys/class/net/${dev}/statistics/rx_packets`).stdout);

describe('virtual functions', () => {
  test('sriov_numvfs makes them, refuses a change without going through 0, and removes them', () => {
    const h = createHost({ nics: 2 });
    const r = h.sh(`cat /sys/class/net/eth1/device/sriov_totalvfs
echo 2 > /sys/class/net/eth1/device/sriov_numvfs; ip -br link | cut -c1-16
echo 3 > /sys/class/net/eth1/device/sriov_numvfs || echo busy
echo 9 > /sys/class/net/eth1/device/sriov_numvfs || echo range
echo 0 > /sys/class/net/eth1/device/sriov_numvfs; cat /sys/class/net/eth1/device/sriov_numvfs; ip -br link | cut -c1-16`);
    expect(r.stdout).toBe('8\nlo              \neth0            \neth1            \neth1v0          \neth1v1          \nbusy\nrange\n0\nlo              \neth0            \neth1            \n');
  });

  test('the PF sets a VF\'s MAC and port VLAN; ip link lists them', () => {
    const h = createHost({ nics: 2 });
    const r = h.sh(`echo 2 > /sys/class/net/eth1/device/sriov_numvfs
ip link set eth1 vf 1 mac 02:00:00:00:0a:02 vlan 5
ip link show eth1 | tail -n 2; cat /sys/class/net/eth1v1/address
ip link set eth1 vf 2 mac 02:00:00:00:0a:03; ip link set eth0 vf 0 vlan 5`);
    expect(r.stdout).toBe(
      '    vf 0     link/ether 00:00:00:00:00:00 brd ff:ff:ff:ff:ff:ff, spoof checking on, link-state auto, trust off, query_rss off\n' +
        '    vf 1     link/ether 02:00:00:00:0a:02 brd ff:ff:ff:ff:ff:ff, vlan 5, spoof checking on, link-state auto, trust off, query_rss off\n' +
        '02:00:00:00:0a:02\n',
    );
    expect(r.stderr).toBe('RTNETLINK answers: Invalid argument\nRTNETLINK answers: Invalid argument\n');
  });

  test('the embedded switch: VF to wire, VF to PF inside the NIC, port VLAN tags, spoof checking, link follows the PF', () => {
    const { a, b } = cabledHosts();
    b.sh('ip link set eth1 up && ip addr add 10.8.0.2/24 dev eth1 && ip link add link eth1 name eth1.5 type vlan id 5 && ip link set eth1.5 up && ip addr add 10.5.0.2/24 dev eth1.5');
    expect(a.sh(`echo 2 > /sys/class/net/eth1/device/sriov_numvfs && ip link set eth1 vf 0 mac 02:00:00:00:0a:01
ip link set eth1 up && ip addr add 10.8.0.1/24 dev eth1
ip netns add c0 && ip link set eth1v0 netns c0 && ip -n c0 link set eth1v0 up && ip -n c0 addr add 10.8.0.10/24 dev eth1v0`).stderr).toBe('');
    // Out on the wire to the other host.
    expect(a.sh('ip netns exec c0 ping -c 2 -q 10.8.0.2').stdout).toContain('2 received');
    // To the PF: unicast turns around inside the NIC; the other host sees only the ARP broadcast.
    const before = rx(b, 'eth1');
    expect(a.sh('ip netns exec c0 ping -c 2 -q 10.8.0.1').stdout).toContain('2 received');
    expect(rx(b, 'eth1')).toBe(before + 1);
    // With a port VLAN the VF's frames reach the wire tagged: only eth1.5 on the other host answers.
    a.sh('ip link set eth1 vf 0 vlan 5 && ip -n c0 addr add 10.5.0.10/24 dev eth1v0');
    expect(a.sh('ip netns exec c0 ping -c 1 -q 10.5.0.2').stdout).toContain('1 received');
    expect(a.sh('ip netns exec c0 ping -c 1 -W 1 -q 10.8.0.2').stdout).toContain('0 received');
    // Spoof checking: a VF that changes its own address cannot send.
    a.sh('ip link set eth1 vf 0 vlan 0 && ip -n c0 link set eth1v0 address 02:00:00:00:0b:0b');
    expect(a.sh('ip netns exec c0 ping -c 1 -W 1 -q 10.8.0.2').stdout).toContain('0 received');
    // A VLAN device on a VF without a port VLAN sends and receives tagged frames.
    a.sh('ip -n c0 link add link eth1v0 name v5 type vlan id 5 && ip -n c0 link set v5 up && ip -n c0 addr add 10.5.0.11/24 dev v5');
    a.sh('ip -n c0 link set eth1v0 address 02:00:00:00:0a:01');
    expect(a.sh('ip netns exec c0 ping -c 1 -q 10.5.0.2').stdout).toContain('1 received');
    // Link-state auto: the PF down takes the VF's carrier.
    a.sh('ip link set eth1 down');
    expect(a.sh('ip -n c0 -br link show eth1v0').stdout).toMatch(/^eth1v0 +DOWN +\S+ <NO-CARRIER,BROADCAST,MULTICAST,UP> $/m);
  });
});
