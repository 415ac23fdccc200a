/**
 * iproute2 6.1's output formats, checked on hand-made rtnetlink objects against what
 * the real ip and bridge printed on a Debian 12 host (6.18 kernel) for the same
 * devices — the lines below are copied from those captures.
 */
import { describe, expect, test } from 'vitest';
import type { AddrInfo, FdbInfo, LinkInfo, NeighInfo, RouteInfo, VlanInfo } from '../../../../src/kernel/net/rtnl-abi.js';
import { IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MULTICAST, IFF_RUNNING, IFF_UP } from '../../../../src/kernel/net/netdev.js';
import { linkBrief, linkFlagNames, linkJson, linkText, statsText, type LinkView } from '../../../../src/userland/programs/netutils/format-link.js';
import { addrBrief, addrJson, addrOneline, addrText } from '../../../../src/userland/programs/netutils/format-addr.js';
import { neighText, routeGetText, routeText } from '../../../../src/userland/programs/netutils/format-route.js';
import { bridgeLinkText, fdbJson, fdbText, VLAN_HEADING, vlanJson, vlanText } from '../../../../src/userland/programs/netutils/bridge-format.js';
import { jsonText } from '../../../../src/userland/programs/netutils/json.js';
import { rtnlErrorText } from '../../../../src/userland/programs/netutils/rtnl-error.js';

const zero = { rx_bytes: 0, rx_packets: 0, rx_errors: 0, rx_dropped: 0, multicast: 0, tx_bytes: 0, tx_packets: 0, tx_errors: 0, tx_dropped: 0 };
const ETHER_UP = IFF_BROADCAST | IFF_MULTICAST | IFF_UP | IFF_RUNNING | IFF_LOWER_UP;

function link(p: Partial<LinkInfo> & { ifindex: number; name: string }): LinkInfo {
  return {
    flags: ETHER_UP,
    mtu: 1500,
    qdisc: 'noqueue',
    operstate: 'UP',
    linkType: 'ether',
    address: '72:be:52:0d:6f:cd',
    broadcast: 'ff:ff:ff:ff:ff:ff',
    txqlen: 1000,
    stats: zero,
    ...p,
  };
}

const lo = link({ ifindex: 1, name: 'lo', flags: IFF_LOOPBACK | IFF_UP | IFF_RUNNING | IFF_LOWER_UP, mtu: 65536, operstate: 'UNKNOWN', linkType: 'loopback', address: '00:00:00:00:00:00', broadcast: '00:00:00:00:00:00' });
const br0 = link({ ifindex: 2, name: 'br0', kind: 'bridge', bridge: { vlanFiltering: false, ageingTime: 30000 } });
const v1 = link({ ifindex: 4, name: 'v1', kind: 'veth', link: 3, linkNetnsid: 0, master: 2, portState: 'forwarding' });

function view(links: LinkInfo[], o: Partial<LinkView> = {}): LinkView {
  return { byIndex: new Map(links.map((l) => [l.ifindex, l])), nsName: (id) => (id === 0 ? 'ns1' : undefined), details: 0, stats: 0, oneline: false, showLinkLayer: true, ...o };
}

describe('ip link', () => {
  const v = view([lo, br0, v1]);

  test('loopback, and a veth whose peer is in a named namespace', () => {
    expect(linkText(lo, v, true) + '\n').toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n' +
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n',
    );
    expect(linkText(v1, v, true) + '\n').toBe(
      '4: v1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 72:be:52:0d:6f:cd brd ff:ff:ff:ff:ff:ff link-netns ns1\n',
    );
  });

  test('an nsid without a /run/netns name is printed as a number', () => {
    const c1 = link({ ifindex: 3, name: 'c1', kind: 'veth', link: 4, linkNetnsid: 0, address: '26:16:5b:64:67:43' });
    expect(linkText(c1, view([c1], { nsName: () => undefined }), true)).toBe(
      '3: c1@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n' +
        '    link/ether 26:16:5b:64:67:43 brd ff:ff:ff:ff:ff:ff link-netnsid 0',
    );
  });

  test('a peer in the same namespace by name, M-DOWN while it is down; NO-CARRIER first', () => {
    const vb = link({ ifindex: 10, name: 'vb', kind: 'veth', link: 11, flags: IFF_BROADCAST | IFF_MULTICAST, operstate: 'DOWN', qdisc: 'noop' });
    const va = link({ ifindex: 11, name: 'va', kind: 'veth', link: 10, master: 9, flags: IFF_BROADCAST | IFF_MULTICAST | IFF_UP, operstate: 'LOWERLAYERDOWN', address: '02:00:00:00:00:0a' });
    const br9 = link({ ifindex: 9, name: 'br9', kind: 'bridge' });
    expect(linkText(va, view([vb, va, br9]), true)).toBe(
      '11: va@vb: <NO-CARRIER,BROADCAST,MULTICAST,UP,M-DOWN> mtu 1500 qdisc noqueue master br9 state LOWERLAYERDOWN mode DEFAULT group default qlen 1000\n' +
        '    link/ether 02:00:00:00:00:0a brd ff:ff:ff:ff:ff:ff',
    );
    expect(linkFlagNames(IFF_BROADCAST | IFF_MULTICAST, false)).toEqual(['BROADCAST', 'MULTICAST']);
  });

  test('-o joins the lines with a backslash; -br pads name and state', () => {
    expect(linkText(lo, view([lo], { oneline: true }), true)).toBe(
      '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
    );
    expect(linkBrief(v1, v, true)).toBe('v1@if3           UP             72:be:52:0d:6f:cd <BROADCAST,MULTICAST,UP,LOWER_UP> \n');
    expect(linkBrief(lo, v, false)).toBe('lo               UNKNOWN        ');
  });

  test('-s and -s -s size their columns', () => {
    const s = { ...zero, rx_bytes: 1258, rx_packets: 15, tx_bytes: 3086, tx_packets: 37 };
    expect(statsText(link({ ifindex: 4, name: 'v1', stats: s }), 1, '\n')).toBe(
      '    RX:  bytes packets errors dropped  missed   mcast           \n' +
        '          1258      15      0       0       0       0 \n' +
        '    TX:  bytes packets errors dropped carrier collsns           \n' +
        '          3086      37      0       0       0       0 ',
    );
    expect(statsText(link({ ifindex: 4, name: 'v1', stats: s }), 2, '\n').split('\n')[2]).toBe('    RX errors:  length    crc   frame    fifo overrun');
  });

  test('-d for a bridge port', () => {
    const text = linkText(v1, view([lo, br0, v1], { details: 1 }), true);
    expect(text.split('\n')[1]).toBe('    link/ether 72:be:52:0d:6f:cd brd ff:ff:ff:ff:ff:ff link-netns ns1 promiscuity 1  allmulti 1 minmtu 68 maxmtu 65535 ');
    expect(text.split('\n')[2]).toBe('    veth ');
    expect(text.split('\n')[3]).toMatch(/^ {4}bridge_slave state forwarding priority 32 cost 2 hairpin off .* designated_bridge 8000\.72:be:52:d:6f:cd /);
  });

  test('-j, compact and pretty', () => {
    const v1mac = { ...v1, address: '72:be:52:0d:6f:cd' };
    expect(jsonText([linkJson(v1mac, v, true)], false)).toBe(
      '[{"ifindex":4,"link_index":3,"ifname":"v1","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1500,"qdisc":"noqueue","master":"br0","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"72:be:52:0d:6f:cd","broadcast":"ff:ff:ff:ff:ff:ff","link_netnsid":0}]\n',
    );
    expect(jsonText([linkJson(v1mac, v, true)], true)).toBe(
      '[ {\n' +
        '        "ifindex": 4,\n' +
        '        "link_index": 3,\n' +
        '        "ifname": "v1",\n' +
        '        "flags": [ "BROADCAST","MULTICAST","UP","LOWER_UP" ],\n' +
        '        "mtu": 1500,\n' +
        '        "qdisc": "noqueue",\n' +
        '        "master": "br0",\n' +
        '        "operstate": "UP",\n' +
        '        "linkmode": "DEFAULT",\n' +
        '        "group": "default",\n' +
        '        "txqlen": 1000,\n' +
        '        "link_type": "ether",\n' +
        '        "address": "72:be:52:0d:6f:cd",\n' +
        '        "broadcast": "ff:ff:ff:ff:ff:ff",\n' +
        '        "link_netnsid": 0\n' +
        '    } ]\n',
    );
    expect(jsonText([], false)).toBe('[]\n');
  });
});

describe('ip addr', () => {
  const inet: AddrInfo = { ifindex: 3, family: 'inet', local: '10.0.0.1', prefixlen: 24, scope: 'global', label: 'c1' };
  const inet6: AddrInfo = { ifindex: 3, family: 'inet6', local: 'fe80::2416:5bff:fe64:6743', prefixlen: 64, scope: 'link' };

  test('inet with its label, inet6 with a trailing space after the scope', () => {
    expect(addrText(inet, 'c1', '\n')).toBe('    inet 10.0.0.1/24 scope global c1\n       valid_lft forever preferred_lft forever\n');
    expect(addrText(inet6, 'c1', '\n')).toBe('    inet6 fe80::2416:5bff:fe64:6743/64 scope link \n       valid_lft forever preferred_lft forever\n');
    expect(addrText({ ...inet6, tentative: true }, 'c1', '\n')).toContain('scope link tentative \n');
    expect(addrText({ ...inet, broadcast: '10.0.0.255', label: 'lo:1' }, 'lo', '\n')).toContain('inet 10.0.0.1/24 brd 10.0.0.255 scope global lo:1\n');
    expect(addrText({ ...inet, label: undefined }, 'c1', '\n')).toContain('scope global c1\n');
  });

  test('-o and -br', () => {
    expect(addrOneline(inet, 'c1')).toBe('3: c1    inet 10.0.0.1/24 scope global c1\\       valid_lft forever preferred_lft forever\n');
    expect(addrBrief(inet) + addrBrief(inet6)).toBe('10.0.0.1/24 fe80::2416:5bff:fe64:6743/64 ');
  });

  test('-j lifetimes are INFINITY_LIFE_TIME', () => {
    expect(jsonText([addrJson(inet, 'c1'), addrJson(inet6, 'c1')], false)).toBe(
      '[{"family":"inet","local":"10.0.0.1","prefixlen":24,"scope":"global","label":"c1","valid_life_time":4294967295,"preferred_life_time":4294967295},' +
        '{"family":"inet6","local":"fe80::2416:5bff:fe64:6743","prefixlen":64,"scope":"link","valid_life_time":4294967295,"preferred_life_time":4294967295}]\n',
    );
  });
});

describe('ip route and ip neigh', () => {
  const show = { details: 0, tableGiven: false, devGiven: false };
  const base: RouteInfo = { table: 254, type: 'unicast', dst: '0.0.0.0', len: 0, proto: 'boot', scope: 'global', metric: 0, linkdown: false };

  test('main table lines end in a space; defaults are left out', () => {
    expect(routeText({ ...base, gateway: '172.18.0.1', dev: 'ceth0' }, show)).toBe('default via 172.18.0.1 dev ceth0 \n');
    expect(routeText({ ...base, dst: '172.18.0.0', len: 16, dev: 'ceth0', proto: 'kernel', scope: 'link', prefsrc: '172.18.0.10' }, show)).toBe(
      '172.18.0.0/16 dev ceth0 proto kernel scope link src 172.18.0.10 \n',
    );
    expect(routeText({ ...base, dst: '10.6.0.0', len: 24, dev: 'd6', proto: 'kernel', scope: 'link', prefsrc: '10.6.0.1', linkdown: true }, { ...show, devGiven: true })).toBe(
      '10.6.0.0/24 proto kernel scope link src 10.6.0.1 linkdown \n',
    );
    expect(routeText({ ...base, dst: '10.10.0.0', len: 16, dev: 'lo', scope: 'link', metric: 100 }, show)).toBe('10.10.0.0/16 dev lo scope link metric 100 \n');
    expect(routeText({ ...base, type: 'blackhole', dst: '10.11.0.0', len: 16 }, show)).toBe('blackhole 10.11.0.0/16 \n');
  });

  test('the local table', () => {
    const local: RouteInfo = { ...base, table: 255, type: 'local', dst: '127.0.0.1', len: 32, dev: 'lo', proto: 'kernel', scope: 'host', prefsrc: '127.0.0.1' };
    expect(routeText(local, { ...show, tableGiven: true })).toBe('local 127.0.0.1 dev lo proto kernel scope host src 127.0.0.1 \n');
    expect(routeText(local, show)).toBe('local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 \n');
    const brd: RouteInfo = { ...local, type: 'broadcast', dst: '127.255.255.255', scope: 'link' };
    expect(routeText(brd, { ...show, tableGiven: true })).toBe('broadcast 127.255.255.255 dev lo proto kernel scope link src 127.0.0.1 \n');
  });

  test('ip route get', () => {
    expect(routeGetText({ ...base, dst: '10.0.0.2', len: 32, dev: 'c1', src: '10.0.0.1' }, 0)).toBe('10.0.0.2 dev c1 src 10.0.0.1 uid 0 \n    cache \n');
    expect(routeGetText({ ...base, dst: '10.9.1.1', len: 32, gateway: '10.0.0.5', dev: 'lo', src: '10.0.0.1' }, 0)).toBe('10.9.1.1 via 10.0.0.5 dev lo src 10.0.0.1 uid 0 \n    cache \n');
    expect(routeGetText({ ...base, type: 'local', dst: '10.0.0.1', len: 32, dev: 'lo', src: '10.0.0.1' }, 1000)).toBe('local 10.0.0.1 dev lo src 10.0.0.1 uid 1000 \n    cache <local> \n');
  });

  test('neighbours', () => {
    const n: NeighInfo = { ifindex: 3, dst: '172.18.0.10', lladdr: '7a:5e:bd:9d:a5:37', state: 'DELAY' };
    expect(neighText(n, 'br0')).toBe('172.18.0.10 dev br0 lladdr 7a:5e:bd:9d:a5:37 DELAY \n');
    expect(neighText({ ...n, state: 'reachable' }, null)).toBe('172.18.0.10 lladdr 7a:5e:bd:9d:a5:37 REACHABLE \n');
    expect(neighText({ ifindex: 3, dst: '10.1.0.2', state: 'INCOMPLETE' }, 'veth0')).toBe('10.1.0.2 dev veth0 INCOMPLETE \n');
  });
});

describe('bridge', () => {
  const names = (i: number): string => ({ 2: 'br0', 4: 'v1' })[i] ?? `if${i}`;

  test('fdb: learnt entries end in a space, local ones in their state', () => {
    const learnt: FdbInfo = { mac: '26:16:5b:64:67:43', ifindex: 4, master: 2, state: '', self: false };
    const local: FdbInfo = { mac: '72:be:52:0d:6f:cd', ifindex: 4, master: 2, state: 'permanent', self: false };
    const self: FdbInfo = { mac: '33:33:00:00:00:01', ifindex: 2, state: 'permanent', self: true };
    expect(fdbText(learnt, names, false)).toBe('26:16:5b:64:67:43 dev v1 master br0 \n');
    expect(fdbText(local, names, false)).toBe('72:be:52:0d:6f:cd dev v1 master br0 permanent\n');
    expect(fdbText(self, names, false)).toBe('33:33:00:00:00:01 dev br0 self permanent\n');
    expect(fdbText({ ...local, vlan: 10 }, names, true)).toBe('72:be:52:0d:6f:cd vlan 10 master br0 permanent\n');
    expect(jsonText([fdbJson(local, names, true), fdbJson(self, names, true)], false)).toBe(
      '[{"mac":"72:be:52:0d:6f:cd","flags":[],"master":"br0","state":"permanent"},{"mac":"33:33:00:00:00:01","flags":["self"],"state":"permanent"}]\n',
    );
  });

  test('link: a port with its STP state', () => {
    expect(bridgeLinkText(v1, view([lo, br0, v1]))).toBe('4: v1@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2 \n');
    expect(bridgeLinkText(v1, view([lo, br0, v1], { details: 1 })).split('\n')[1]).toBe(
      '    hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off ',
    );
  });

  test('vlan: the heading, one port per block, flags after the id', () => {
    const v: VlanInfo = { ifindex: 4, vlans: [{ vid: 1, pvid: false, untagged: true }, { vid: 10, pvid: true, untagged: true }] };
    expect(VLAN_HEADING).toBe('port              vlan-id  \n');
    expect(vlanText(v, 'v1')).toBe('v1                1 Egress Untagged\n                  10 PVID Egress Untagged\n');
    expect(vlanText(v, 'v1', 10)).toBe('v1                10 PVID Egress Untagged\n');
    expect(vlanText(v, 'v1', 99)).toBe('');
    expect(jsonText([vlanJson(v, 'v1', 10)], false)).toBe('[{"ifname":"v1","vlans":[{"vlan":10,"flags":["PVID","Egress Untagged"]}]}]\n');
  });
});

test('kernel errors: the extended ack with a period, else strerror', () => {
  expect(rtnlErrorText({ errno: 'EOPNOTSUPP', extack: 'Unknown device type' })).toBe('Error: Unknown device type.\n');
  expect(rtnlErrorText({ errno: 'EEXIST', extack: 'ipv4: Address already assigned.' })).toBe('Error: ipv4: Address already assigned.\n');
  expect(rtnlErrorText({ errno: 'EEXIST' })).toBe('RTNETLINK answers: File exists\n');
  expect(rtnlErrorText({ errno: 'EPERM' })).toBe('RTNETLINK answers: Operation not permitted\n');
});
