/**
 * ip(8) end to end on a booted host: the container-networking walkthrough (a named
 * namespace, a veth pair, a bridge, a default route), then link, address, route and
 * neighbour commands and the errors iproute2 6.1 reports. Expected texts follow what
 * the real ip printed for the same commands on Debian 12 (/tmp/rnet captures), with
 * random MAC addresses masked (run.ts).
 */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

/** "$ cmd" / output / "status=N" blocks, as transcript() prints them. */
const block = (cmd: string, out: string, status = 0): string => `$ ${cmd}\n${out}status=${status}\n`;

describe('the walkthrough: a namespace on a bridge', () => {
  const setup =
    `ip netns add netns0
ip link add veth0 type veth peer name ceth0
ip link set ceth0 netns netns0
ip link set veth0 up
ip -n netns0 link set lo up
ip -n netns0 link set ceth0 up
ip -n netns0 addr add 172.18.0.10/16 dev ceth0
ip link add br0 type bridge
ip link set br0 up
ip link set veth0 master br0
ip addr add 172.18.0.1/16 dev br0
ip -n netns0 route add default via 172.18.0.1`;
  const out = transcript(setup, [
    'ip link',
    'ip addr show dev br0',
    'ip route',
    'ip netns',
    'ip netns exec netns0 ip addr',
    'ip -n netns0 route',
    'ip netns exec netns0 ip route get 172.18.0.1',
    'ip link show master br0',
    'ip link show type bridge',
    'ip -br link',
    'ip -br addr',
    'ip -4 -o addr',
  ]);

  test('ip link: the veth end names its peer as @ifN and the namespace it is in', () => {
    expect(out).toContain(
      block(
        'ip link',
        `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff link-netns netns0
4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff
`,
      ),
    );
  });

  test('addresses, inside the namespace through ip netns exec', () => {
    expect(out).toContain(
      block(
        'ip addr show dev br0',
        `4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff
    inet 172.18.0.1/16 scope global br0
       valid_lft forever preferred_lft forever
    inet6 fe80::LL/64 scope link 
       valid_lft forever preferred_lft forever
`,
      ),
    );
    expect(out).toContain(
      block(
        'ip netns exec netns0 ip addr',
        `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000
    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
    inet 127.0.0.1/8 scope host lo
       valid_lft forever preferred_lft forever
    inet6 ::1/128 scope host 
       valid_lft forever preferred_lft forever
2: ceth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff link-netnsid 0
    inet 172.18.0.10/16 scope global ceth0
       valid_lft forever preferred_lft forever
    inet6 fe80::LL/64 scope link 
       valid_lft forever preferred_lft forever
`,
      ),
    );
  });

  test('routes, the nsid of the namespace, route get', () => {
    expect(out).toContain(block('ip route', '172.18.0.0/16 dev br0 proto kernel scope link src 172.18.0.1 \n'));
    expect(out).toContain(block('ip netns', 'netns0 (id: 0)\n'));
    expect(out).toContain(block('ip -n netns0 route', 'default via 172.18.0.1 dev ceth0 \n172.18.0.0/16 dev ceth0 proto kernel scope link src 172.18.0.10 \n'));
    expect(out).toContain(block('ip netns exec netns0 ip route get 172.18.0.1', '172.18.0.1 dev ceth0 src 172.18.0.10 uid 0 \n    cache \n'));
  });

  test('filters and the brief and one-line forms', () => {
    expect(out).toContain(
      block(
        'ip link show master br0',
        `3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
    link/ether MAC brd ff:ff:ff:ff:ff:ff link-netns netns0
`,
      ),
    );
    expect(out).toContain(block('ip link show type bridge', '4: br0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n    link/ether MAC brd ff:ff:ff:ff:ff:ff\n'));
    expect(out).toContain(
      block(
        'ip -br link',
        `lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> 
veth0@if2        UP             MAC <BROADCAST,MULTICAST,UP,LOWER_UP> 
br0              UP             MAC <BROADCAST,MULTICAST,UP,LOWER_UP> 
`,
      ),
    );
    expect(out).toContain(
      block(
        'ip -br addr',
        `lo               UNKNOWN        127.0.0.1/8 ::1/128 
veth0@if2        UP             fe80::LL/64 
br0              UP             172.18.0.1/16 fe80::LL/64 
`,
      ),
    );
    expect(out).toContain(
      block(
        'ip -4 -o addr',
        `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
4: br0    inet 172.18.0.1/16 scope global br0\\       valid_lft forever preferred_lft forever
`,
      ),
    );
  });
});

describe('links, addresses, neighbours and routes', () => {
  const out = transcript('ip link add va type veth peer name vb\nip addr add 10.0.0.1/24 dev va', [
    'ip link set vb name vbb',
    'ip link set vbb address 02:00:00:00:00:aa',
    'ip link set vbb mtu 9000',
    'ip link show vbb',
    'ip -j link show vbb',
    'ip -s link show vbb',
    'ip link set va up',
    'ip link set vbb up',
    'ip neigh add 10.0.0.50 lladdr 02:00:00:00:00:01 dev va',
    'ip neigh add 10.0.0.51 lladdr 02:00:00:00:00:02 dev va nud reachable',
    'ip neigh',
    'ip neigh show dev va',
    'ip neigh flush dev va',
    'ip neigh',
    'ip route add 10.9.0.0/16 via 10.0.0.5',
    'ip route add 10.10.0.0/16 dev va metric 100',
    'ip route add blackhole 10.11.0.0/16',
    'ip route add 10.14.0.0/16 dev va table 100',
    'ip route',
    'ip route show table 100',
    'ip route show dev va',
    'ip route show table local',
    'ip route get 10.9.1.1',
    'ip route replace 10.10.0.0/16 dev va metric 100 proto static',
    'ip route del 10.9.0.0/16',
    'ip r',
    'ip addr flush dev va',
    'ip -4 addr show va',
    'ip link del va',
    'ip -br link',
  ]);

  test('set name, address and mtu; -j and -s', () => {
    expect(out).toContain(block('ip link show vbb', '2: vbb@va: <BROADCAST,MULTICAST,M-DOWN> mtu 9000 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff\n'));
    expect(out).toContain(
      block(
        'ip -j link show vbb',
        '[{"ifindex":2,"link":"va","ifname":"vbb","flags":["BROADCAST","MULTICAST","M-DOWN"],"mtu":9000,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:00:00:00:00:aa","broadcast":"ff:ff:ff:ff:ff:ff"}]\n',
      ),
    );
    expect(out).toContain(
      block(
        'ip -s link show vbb',
        `2: vbb@va: <BROADCAST,MULTICAST,M-DOWN> mtu 9000 qdisc noop state DOWN mode DEFAULT group default qlen 1000
    link/ether 02:00:00:00:00:aa brd ff:ff:ff:ff:ff:ff
    RX:  bytes packets errors dropped  missed   mcast           
             0       0      0       0       0       0 
    TX:  bytes packets errors dropped carrier collsns           
             0       0      0       0       0       0 
`,
      ),
    );
  });

  test('neighbours: PERMANENT by default, flush keeps permanent entries', () => {
    expect(out).toContain(block('ip neigh', '10.0.0.50 dev va lladdr 02:00:00:00:00:01 PERMANENT \n10.0.0.51 dev va lladdr 02:00:00:00:00:02 REACHABLE \n'));
    expect(out).toContain(block('ip neigh show dev va', '10.0.0.50 lladdr 02:00:00:00:00:01 PERMANENT \n10.0.0.51 lladdr 02:00:00:00:00:02 REACHABLE \n'));
    expect(out).toContain(block('ip neigh flush dev va', '') + block('ip neigh', '10.0.0.50 dev va lladdr 02:00:00:00:00:01 PERMANENT \n'));
  });

  test('routes: scope link for device routes, other tables, dev filter, route get', () => {
    expect(out).toContain(
      block('ip route', '10.0.0.0/24 dev va proto kernel scope link src 10.0.0.1 \n10.9.0.0/16 via 10.0.0.5 dev va \n10.10.0.0/16 dev va scope link metric 100 \nblackhole 10.11.0.0/16 \n'),
    );
    expect(out).toContain(block('ip route show table 100', '10.14.0.0/16 dev va scope link \n'));
    expect(out).toContain(block('ip route show dev va', '10.0.0.0/24 proto kernel scope link src 10.0.0.1 \n10.9.0.0/16 via 10.0.0.5 \n10.10.0.0/16 scope link metric 100 \n'));
    expect(out).toContain(
      block(
        'ip route show table local',
        `local 10.0.0.1 dev va proto kernel scope host src 10.0.0.1 
broadcast 10.0.0.255 dev va proto kernel scope link src 10.0.0.1 
local 127.0.0.0/8 dev lo proto kernel scope host src 127.0.0.1 
local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 
broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 
`,
      ),
    );
    expect(out).toContain(block('ip route get 10.9.1.1', '10.9.1.1 via 10.0.0.5 dev va src 10.0.0.1 uid 0 \n    cache \n'));
    expect(out).toContain(block('ip r', '10.0.0.0/24 dev va proto kernel scope link src 10.0.0.1 \n10.10.0.0/16 dev va proto static scope link metric 100 \nblackhole 10.11.0.0/16 \n'));
  });

  test('flush and delete', () => {
    expect(out).toContain(block('ip -4 addr show va', ''));
    expect(out).toContain(block('ip -br link', 'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP> \n'));
  });
});

describe('errors, worded and numbered as iproute2 6.1', () => {
  const cases: [string, string, number][] = [
    ['ip bogus', 'Object "bogus" is unknown, try "ip help".\n', 1],
    ['ip link bogus', 'Command "bogus" is unknown, try "ip link help".\n', 255],
    ['ip addr bogus', 'Command "bogus" is unknown, try "ip address help".\n', 255],
    ['ip route bogus', 'Command "bogus" is unknown, try "ip route help".\n', 255],
    ['ip neigh bogus', 'Command "bogus" is unknown, try "ip neigh help".\n', 255],
    ['ip netns bogus', 'Command "bogus" is unknown, try "ip netns help".\n', 255],
    ['ip -bogus link', 'Option "-bogus" is unknown, try "ip -help".\n', 255],
    ['ip link show dev nosuch', 'Device "nosuch" does not exist.\n', 1],
    ['ip addr show nosuch', 'Device "nosuch" does not exist.\n', 1],
    ['ip link set nosuch up', 'Cannot find device "nosuch"\n', 1],
    ['ip link del nosuch', 'Cannot find device "nosuch"\n', 1],
    ['ip link add veth3', 'Not enough information: "type" argument is required\n', 1],
    ['ip link add veth3 type bogus', 'Error: Unknown device type.\n', 2],
    ['ip link add va type veth peer name vc', 'RTNETLINK answers: File exists\n', 2],
    ['ip link add m type veth', 'Error: argument "type" is wrong: Device does not exist\n\n', 255],
    ['ip link set va master nosuch', 'Error: argument "nosuch" is wrong: Device does not exist\n\n', 255],
    ['ip link set va netns nosuch', 'Error: argument "nosuch" is wrong: Invalid "netns" value\n\n', 255],
    ['ip link set va mtu abc', 'Error: argument "abc" is wrong: Invalid "mtu" value\n\n', 255],
    ['ip link set va address zz', '"zz" is invalid lladdr.\n', 1],
    ['ip addr add 10.0.0.1/33 dev va', 'Error: any valid prefix is expected rather than "10.0.0.1/33".\n', 1],
    ['ip addr add 10.0.0.300/24 dev va', 'Error: any valid prefix is expected rather than "10.0.0.300/24".\n', 1],
    ['ip -4 addr add bogus dev va', 'Error: inet prefix is expected rather than "bogus".\n', 1],
    ['ip addr add 10.0.0.2/24 dev nosuch', 'Cannot find device "nosuch"\n', 1],
    ['ip addr add 10.0.0.2/24', 'Not enough information: "dev" argument is required.\n', 255],
    ['ip addr add 10.0.0.1/24 dev va', 'Error: ipv4: Address already assigned.\n', 2],
    ['ip route add 10.9.0.0/16 via 10.5.5.5', 'Error: Nexthop has invalid gateway.\n', 2],
    ['ip route del 10.8.0.0/16', 'RTNETLINK answers: No such process\n', 2],
    ['ip route add 10.0.0.0/33 dev va', 'Error: any valid prefix is expected rather than "10.0.0.0/33".\n', 1],
    ['ip route add 10.1.0.0/16 dev nosuch', 'Cannot find device "nosuch"\n', 1],
    ['ip route get 8.8.8.8', 'RTNETLINK answers: Network is unreachable\n', 2],
    ['ip neigh add 10.0.0.9 dev nosuch', 'Cannot find device "nosuch"\n', 1],
    ['ip neigh add 10.0.0.9', 'Device and destination are required arguments.\n', 255],
    ['setpriv --reuid 1000 --regid 1000 --clear-groups ip link add z type bridge', 'RTNETLINK answers: Operation not permitted\n', 2],
  ];
  const out = transcript('ip link add va type veth peer name vb\nip addr add 10.0.0.1/24 dev va', cases.map(([c]) => c));
  test.each(cases)('%s', (cmd, text, status) => {
    expect(out).toContain(block(cmd, text, status));
  });
});

test("installed at Debian 12's paths: /usr/bin/ip, /usr/sbin/ip -> /bin/ip, /usr/sbin/bridge", () => {
  const out = transcript('', ['readlink /usr/sbin/ip', '/sbin/ip -V', '/usr/bin/ip -V', '/sbin/bridge -V']);
  expect(out).toBe(
    block('readlink /usr/sbin/ip', '/bin/ip\n') +
      block('/sbin/ip -V', 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n') +
      block('/usr/bin/ip -V', 'ip utility, iproute2-6.1.0, libbpf 1.1.2\n') +
      block('/sbin/bridge -V', 'bridge utility, 6.1.0\n'),
  );
});
