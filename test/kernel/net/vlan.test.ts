/**
 * 802.1Q on a Linux bridge with vlan_filtering (bridge(8) "bridge vlan"): ports in
 * different VLANs cannot reach each other; a trunk port carries tagged frames to a
 * VLAN sub-interface (ip-link(8) "type vlan").
 *
 * Simplification note: the machine these tests were written on has no 8021q
 * module, so the expectations come from bridge(8), ip-link(8) and IEEE 802.1Q
 * rather than a real run.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

const port = (ns: string, addr: string, vid: number): string => `
ip netns add ${ns}
ip link add v${ns} type veth peer name eth0 netns ${ns}
ip link set v${ns} master br0
ip link set v${ns} up
bridge vlan del dev v${ns} vid 1
bridge vlan add dev v${ns} vid ${vid} pvid untagged
ip netns exec ${ns} ip link set eth0 up
ip netns exec ${ns} ip addr add ${addr}/24 dev eth0
`;

/** Namespace d on a trunk port of br0 carrying VLAN 10, with eth0.10 = 10.0.0.4 (`opts` for the veth). */
const trunk = (opts: string): string => `
ip netns add d
ip link add vd ${opts}type veth peer name eth0 netns d
ip link set vd master br0
ip link set vd up
bridge vlan add dev vd vid 10
ip netns exec d ip link set eth0 up
ip netns exec d ip link add link eth0 name eth0.10 type vlan id 10
ip netns exec d ip link set eth0.10 up
ip netns exec d ip addr add 10.0.0.4/24 dev eth0.10
`;

const SETUP = `
ip link add br0 type bridge vlan_filtering 1
ip link set br0 up
${port('a', '10.0.0.1', 10)}${port('b', '10.0.0.2', 10)}${port('c', '10.0.0.3', 20)}
${trunk('')}`;

const received = (to: string, from: string): string => `ip netns exec ${from} ping -c 1 -W 1 ${to} | grep -o '[0-9]* received'\n`;

describe('VLANs on a filtering bridge', () => {
  test('same-VLAN ports talk, different-VLAN ports do not, a trunk carries tagged frames', () => {
    const h = createHost({ cpus: 1, seed: 3 });
    const r = h.sh(SETUP + received('10.0.0.2', 'a') + received('10.0.0.3', 'a') + received('10.0.0.4', 'a') + 'bridge vlan show\nip netns exec d ip -d link show eth0.10 | grep -o "vlan protocol 802.1Q id 10"\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '1 received\n0 received\n1 received\n' +
        'port              vlan-id  \nbr0               1 PVID Egress Untagged\nva                10 PVID Egress Untagged\nvb                10 PVID Egress Untagged\nvc                20 PVID Egress Untagged\nvd                1 PVID Egress Untagged\n                  10\n' +
        'vlan protocol 802.1Q id 10\n',
    );
  });

  test("a VLAN on the bridge follows the bridge's address when a port changes it, and the trunk reaches it", () => {
    // vlan_sync_address (net/8021q/vlan.c): a VLAN that took its lower device's address
    // keeps taking it (Linux >= 4.9); the bridge takes its smallest port's address.
    const h = createHost({ cpus: 1, seed: 3 });
    const r = h.sh(`ip link add br0 type bridge vlan_filtering 1
ip link set br0 up
bridge vlan add dev br0 vid 10 self
ip link add link br0 name br0.10 type vlan id 10
ip addr add 10.0.0.254/24 dev br0.10
ip link set br0.10 up
${trunk('address 02:00:00:00:00:01 ')}ip -br link show br0.10
${received('10.0.0.254', 'd')}`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('br0.10@br0       UP             02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> \n1 received\n');
  });
});
