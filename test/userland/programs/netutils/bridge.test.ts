/**
 * bridge(8) end to end: the ports of a bridge, its forwarding database and VLANs,
 * and bridge's errors (which exit 255, kernel refusals included), in iproute2 6.1's
 * words.
 */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const block = (cmd: string, out: string, status = 0): string => `$ ${cmd}\n${out}status=${status}\n`;

const SETUP = `ip link add br0 type bridge
ip link set br0 up
ip link add v1 type veth peer name c1
ip link add v2 type veth peer name c2
ip link set v1 master br0
ip link set v2 master br0
ip link set v1 up
ip link set c1 up
ip link set v2 up`;

const PORT_V1 = '4: v1@c1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n';
const PORT_V2 = '6: v2@c2: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 master br0 state disabled priority 32 cost 2 \n';

describe('bridge', () => {
  const out = transcript(SETUP, [
    'bridge link',
    'bridge link show dev v1',
    'bridge -d link show dev v1',
    'bridge -j link show dev v1',
    'bridge fdb add 02:00:00:00:00:05 dev v1 master static',
    'bridge fdb add 02:00:00:00:00:06 dev v1 master',
    'bridge fdb show dev v1',
    'bridge -j fdb show dev v1',
    'bridge fdb del 02:00:00:00:00:05 dev v1 master',
    'bridge fdb del 02:00:00:00:00:05 dev v1 master',
    'bridge fdb add 02:00:00:00:00:07 dev nosuch master',
    'bridge fdb add zz dev v1',
    'bridge fdb show br nosuch',
    'ip link set br0 type bridge vlan_filtering 1',
    'bridge vlan add dev v1 vid 10 pvid untagged',
    'bridge vlan del dev v1 vid 1',
    'bridge vlan add dev v2 vid 20-21',
    'bridge vlan show',
    'bridge vlan show dev v1',
    'bridge vlan show vid 10',
    'bridge -j vlan show dev v1',
    'bridge vlan add dev v1 vid 5000',
    'bridge vlan add dev nosuch vid 10',
    'bridge vlan add dev v1',
    'bridge bogus',
    'bridge link bogus',
    'bridge fdb bogus',
    'bridge vlan bogus',
  ]);

  test('link: the ports, with their STP state', () => {
    expect(out).toContain(block('bridge link', PORT_V1 + PORT_V2));
    expect(out).toContain(block('bridge link show dev v1', PORT_V1));
    expect(out).toContain(
      block(
        'bridge -d link show dev v1',
        PORT_V1 +
          '    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off \n',
      ),
    );
    expect(out).toContain(
      block('bridge -j link show dev v1', '[{"ifindex":4,"link":"c1","ifname":"v1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"master":"br0","state":"forwarding","priority":32,"cost":2}]\n'),
    );
  });

  test('fdb: static and permanent entries, add and del', () => {
    // Entries the bridge holds for the port (static before the port's own permanent ones), then the port's own multicast ("self") addresses.
    const self = 'MAC self permanent\n'.repeat(3);
    expect(out).toContain(block('bridge fdb show dev v1', `02:00:00:00:00:05 master br0 static\nMAC master br0 permanent\n02:00:00:00:00:06 master br0 permanent\n${self}`));
    expect(out).toContain(
      block(
        'bridge -j fdb show dev v1',
        '[{"mac":"02:00:00:00:00:05","flags":[],"master":"br0","state":"static"},{"mac":"MAC","flags":[],"master":"br0","state":"permanent"},{"mac":"02:00:00:00:00:06","flags":[],"master":"br0","state":"permanent"},' +
          '{"mac":"MAC","flags":["self"],"state":"permanent"},{"mac":"MAC","flags":["self"],"state":"permanent"},{"mac":"MAC","flags":["self"],"state":"permanent"}]\n',
      ),
    );
    expect(out).toContain(block('bridge fdb del 02:00:00:00:00:05 dev v1 master', '') + block('bridge fdb del 02:00:00:00:00:05 dev v1 master', 'RTNETLINK answers: No such file or directory\n', 255));
    expect(out).toContain(block('bridge fdb add 02:00:00:00:00:07 dev nosuch master', 'Cannot find device "nosuch"\n', 255));
    expect(out).toContain(block('bridge fdb add zz dev v1', 'Invalid mac address zz\n', 255));
    expect(out).toContain(block('bridge fdb show br nosuch', 'Cannot find bridge device "nosuch"\n', 255));
  });

  test('vlan: per-port lists under one heading', () => {
    expect(out).toContain(
      block(
        'bridge vlan show',
        'port              vlan-id  \nbr0               1 PVID Egress Untagged\nv1                10 PVID Egress Untagged\nv2                1 PVID Egress Untagged\n                  20\n                  21\n',
      ),
    );
    expect(out).toContain(block('bridge vlan show dev v1', 'port              vlan-id  \nv1                10 PVID Egress Untagged\n'));
    expect(out).toContain(block('bridge vlan show vid 10', 'port              vlan-id  \nv1                10 PVID Egress Untagged\n'));
    expect(out).toContain(block('bridge -j vlan show dev v1', '[{"ifname":"v1","vlans":[{"vlan":10,"flags":["PVID","Egress Untagged"]}]}]\n'));
    expect(out).toContain(block('bridge vlan add dev v1 vid 5000', 'Invalid VLAN ID "5000"\n', 255));
    expect(out).toContain(block('bridge vlan add dev nosuch vid 10', 'Cannot find bridge device "nosuch"\n', 255));
    expect(out).toContain(block('bridge vlan add dev v1', 'Device and VLAN ID are required arguments.\n', 255));
  });

  test('unknown objects and commands', () => {
    expect(out).toContain(block('bridge bogus', 'Object "bogus" is unknown, try "bridge help".\n', 255));
    for (const o of ['link', 'fdb', 'vlan']) expect(out).toContain(block(`bridge ${o} bogus`, `Command "bogus" is unknown, try "bridge ${o} help".\n`, 255));
  });
});
