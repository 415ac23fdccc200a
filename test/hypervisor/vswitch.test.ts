/**
 * The virtual switch (a VEB): a host bridge with vlan_filtering that VMs' taps join as
 * access ports of their VLAN (or trunks), knowing each VM's MAC from its configuration.
 * IEEE 802.1Q: frames of one VLAN never reach a port of another; a router with a leg
 * in each (here the host, on the switch's own port as a trunk: "router on a stick")
 * passes traffic between them.
 */
import { describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { cabledHosts } from '../helpers/cabled-hosts.js';

const vm = (mac: string, nic: Record<string, unknown>) => ({
  'machine-config': { vcpu_count: 1, mem_size_mib: 64 },
  'boot-source': { kernel_image_path: 'vmlinux' },
  'network-interfaces': [{ iface_id: 'eth0', guest_mac: mac, model: 'virtio', switch: 'vsw0', ...nic }],
});

function setup() {
  const host = createHost();
  expect(host.sh('ip link add vsw0 type bridge vlan_filtering 1 && ip link set vsw0 up').stderr).toBe('');
  host.vms.create('red', vm('52:54:00:00:00:10', { vlan: 10 }));
  host.vms.create('blue', vm('52:54:00:00:00:20', { vlan: 20 }));
  const red = host.vms.start('red').vm;
  const blue = host.vms.start('blue').vm;
  return { host, red, blue };
}

describe('a virtual switch with VLANs', () => {
  it('knows its VMs from their configuration: access ports of their VLANs, static entries for their MACs', () => {
    const { host } = setup();
    const r = host.sh('bridge vlan show; bridge fdb show br vsw0 | grep static');
    expect(r.stdout).toMatch(/vnet0\s+10 PVID Egress Untagged/);
    expect(r.stdout).toMatch(/vnet1\s+20 PVID Egress Untagged/);
    expect(r.stdout).toContain('52:54:00:00:00:10 dev vnet0 vlan 10 master vsw0 static');
    expect(r.stdout).toContain('52:54:00:00:00:20 dev vnet1 vlan 20 master vsw0 static');
  });

  it('VMs on different VLANs of one switch do not reach each other, even in one subnet', () => {
    const { red, blue } = setup();
    red.sh('ip addr add 10.0.0.1/24 dev eth0; ip link set eth0 up');
    blue.sh('ip addr add 10.0.0.2/24 dev eth0; ip link set eth0 up');
    const r = red.sh('ping -c 2 -W 1 -q 10.0.0.2');
    expect(r.stdout).toContain('2 packets transmitted, 0 received, 100% packet loss');
  });

  it('with a trunk to a router (the host on the switch\'s own port), they do', () => {
    const { host, red, blue } = setup();
    const rt = host.sh(`bridge vlan add dev vsw0 vid 10 self && bridge vlan add dev vsw0 vid 20 self
ip link add link vsw0 name vsw0.10 type vlan id 10 && ip link add link vsw0 name vsw0.20 type vlan id 20
ip addr add 10.0.10.1/24 dev vsw0.10 && ip addr add 10.0.20.1/24 dev vsw0.20
ip link set vsw0.10 up && ip link set vsw0.20 up && echo 1 > /proc/sys/net/ipv4/ip_forward`);
    expect(rt.stderr).toBe('');
    red.sh('ip addr add 10.0.10.2/24 dev eth0; ip link set eth0 up; ip route add default via 10.0.10.1');
    blue.sh('ip addr add 10.0.20.2/24 dev eth0; ip link set eth0 up; ip route add default via 10.0.20.1');
    expect(red.sh('ping -c 2 -q 10.0.20.2').stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
  });

  it('a trunk port carries the VLANs the interface lists, tagged, to the switch\'s own VLAN device', () => {
    const host = createHost();
    // The host's leg in VLAN 30 exists before the VM: the switch's address changes when the
    // tap joins, and vsw0.30 follows it (vlan_sync_address).
    host.sh('ip link add vsw0 type bridge vlan_filtering 1 && ip link set vsw0 up && bridge vlan add dev vsw0 vid 30 self');
    host.sh('ip link add link vsw0 name vsw0.30 type vlan id 30 && ip addr add 10.0.30.1/24 dev vsw0.30 && ip link set vsw0.30 up');
    host.vms.create('t', vm('52:54:00:00:00:30', { trunk_vlans: [30, 40] }));
    const t = host.vms.start('t').vm;
    // Members of 30 and 40, with no PVID and no "Egress Untagged": frames leave tagged.
    expect(host.sh('bridge vlan show dev vnet0').stdout).toBe('port              vlan-id  \nvnet0             30\n                  40\n');
    const r = t.sh('ip link set eth0 up && ip link add link eth0 name eth0.30 type vlan id 30 && ip addr add 10.0.30.2/24 dev eth0.30 && ip link set eth0.30 up && ping -c 2 -q 10.0.30.1');
    expect(r.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    // Untagged frames have no VLAN on a trunk without a PVID: they go nowhere.
    t.sh('ip addr add 10.0.0.2/24 dev eth0');
    expect(t.sh('ping -c 1 -W 1 -q 10.0.0.1').stdout).toContain('1 packets transmitted, 0 received');
  });

  it('refuses a port that is both an access port and a trunk, and a switch that does not exist', () => {
    const host = createHost();
    expect(() => host.vms.create('x', vm('52:54:00:00:00:40', { vlan: 10, trunk_vlans: [20] }))).toThrow(/\$\.network-interfaces\[0\]\.trunk_vlans: expected either vlan \(an access port\) or trunk_vlans \(a trunk\), not both/);
    host.vms.create('y', vm('52:54:00:00:00:50', { vlan: 10 }));
    expect(() => host.vms.start('y')).toThrow(/bridge vsw0 does not exist on the host \(make it: ip link add vsw0 type bridge vlan_filtering 1\)/);
  });

  it('teamed uplinks (802.3ad): pulling the uplink that carries a VM\'s traffic keeps it flowing', () => {
    const { a: host, b: peer, engine } = cabledHosts('esx', 'tor');
    const team = 'ip link add bond0 type bond mode 802.3ad lacp_rate fast xmit_hash_policy layer2+3 && ip link set eth1 master bond0 && ip link set eth2 master bond0 && ip link set bond0 up';
    // The switch's uplink is the team; the other end (a top-of-rack switch, here a host) teams too.
    expect(host.sh(`ip link add vsw0 type bridge && ip link set vsw0 up && ${team} && ip link set bond0 master vsw0`).stderr).toBe('');
    expect(peer.sh(`${team} && ip addr add 10.7.0.1/24 dev bond0`).stderr).toBe('');
    host.vms.create('web', { ...vm('52:54:00:00:00:70', {}), 'network-interfaces': [{ iface_id: 'eth0', guest_mac: '52:54:00:00:00:70', model: 'virtio', switch: 'vsw0' }] });
    const web = host.vms.start('web').vm;
    web.sh('ip addr add 10.7.0.10/24 dev eth0 && ip link set eth0 up');
    expect(web.sh('ping -c 2 -q 10.7.0.1').stdout).toContain('2 received');
    expect(host.sh("grep -E 'Number of ports' /proc/net/bonding/bond0").stdout).toBe('\tNumber of ports: 2\n');
    const tx = (): number[] => ['eth1', 'eth2'].map((d) => Number(host.sh(`cat /sys/class/net/${d}/statistics/tx_packets`).stdout));
    const before = tx();
    web.sh('ping -c 3 -i 0.2 -q 10.7.0.1');
    const after = tx();
    const busy = after[0] - before[0] > after[1] - before[1] ? 'eth1' : 'eth2';
    engine.at(engine.now + 500_000_000, () => host.unplug(busy));
    expect(web.sh('ping -c 10 -i 0.2 -q 10.7.0.1').stdout).toMatch(/10 packets transmitted, (9|10) received/);
    expect(host.sh("grep -E 'Number of ports' /proc/net/bonding/bond0").stdout).toBe('\tNumber of ports: 1\n');
  });
});
