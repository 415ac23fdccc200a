/**
 * Bonding (Documentation/networking/bonding.rst; drivers/net/bonding): two hosts of one
 * simulation cabled twice (eth1–eth1, eth2–eth2), each with a bond over the two links.
 *
 * Expectations come from bonding.rst (the xmit_hash_policy formulas, the
 * /proc/net/bonding layout), bond_procfs.c, bond_3ad.c (port states: 63 = activity,
 * short timeout, aggregation, sync, collecting, distributing; 77 = an individual port
 * that carries traffic, 69 = one that stands by) and bond_main.c ("Device can not be
 * enslaved while up"). The machine these tests were written on has no bonding module,
 * so they were not checked against a real run.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createHost, type Host } from '../../../src/host.js';
import type { Engine } from '../../../src/sim/engine.js';
import { cabledHosts } from '../../helpers/cabled-hosts.js';
import { bondXmitHash, type HashPolicy } from '../../../src/kernel/net/bond.js';
import type { Frame } from '../../../src/kernel/net/packet.js';
import { parseIpv4 } from '../../../src/kernel/net/inet.js';

const bondUp = (ip: string, opts = 'mode 802.3ad lacp_rate fast xmit_hash_policy layer3+4'): string => `ip link add bond0 type bond ${opts}
ip link set eth1 master bond0 && ip link set eth2 master bond0 && ip link set bond0 up && ip addr add ${ip}/24 dev bond0`;

function twoHosts(partnerBonds = true): { a: Host; b: Host; engine: Engine } {
  const { a, b, engine } = cabledHosts();
  expect(a.sh(bondUp('10.9.0.1')).stderr).toBe('');
  const rb = partnerBonds ? b.sh(bondUp('10.9.0.2')) : b.sh('ip link set eth1 up && ip link set eth2 up && ip addr add 10.9.0.2/24 dev eth1');
  expect(rb.stderr).toBe('');
  // The bonds see their links' carrier at the next MII poll (100 ms), then LACP converges.
  a.sh('sleep 1');
  return { a, b, engine };
}

const txPackets = (h: Host, dev: string): number => Number(h.sh(`cat /sys/class/net/${dev}/statistics/tx_packets`).stdout);
const grep = (h: Host, pattern: string): string => h.sh(`grep -E '${pattern}' /proc/net/bonding/bond0`).stdout;

describe('xmit_hash_policy, as bonding.rst gives the formulas', () => {
  const frame = (over: Partial<Frame> = {}): Frame => ({
    src: '02:00:00:00:00:01',
    dst: '02:00:00:00:00:02',
    ip: { src: parseIpv4('10.0.0.1')!, dst: parseIpv4('10.0.0.2')!, ttl: 64, proto: 6, id: 0, tcp: { sport: 40000, dport: 80, seq: 0, ack: 0, flags: 2, window: 0, data: '' } },
    ...over,
  });

  test('layer2: source MAC[5] XOR destination MAC[5] XOR the packet type', () => {
    expect(bondXmitHash('layer2', frame())).toBe(0x01 ^ 0x02 ^ 0x0800);
    expect(bondXmitHash('layer2', { src: '02:00:00:00:00:07', dst: 'ff:ff:ff:ff:ff:ff', arp: { op: 1, sha: '02:00:00:00:00:07', spa: 0, tha: '00:00:00:00:00:00', tpa: 0 } })).toBe(0x07 ^ 0xff ^ 0x0806);
  });

  test('layer2+3 and layer3+4 fold the addresses as an x86 kernel reads them; layer3+4 starts from the ports and drops a bit', () => {
    // 10.0.0.1 and 10.0.0.2 read as little-endian words: 0x0100000a, 0x0200000a.
    let h = (0x01 ^ 0x02 ^ 0x0800 ^ 0x0100000a ^ 0x0200000a) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
    h = (h ^ (h >>> 8)) >>> 0;
    expect(bondXmitHash('layer2+3', frame())).toBe(h);
    // Ports 40000 (0x9c40) and 80 (0x0050) as they sit in the header: bytes 9c 40 00 50.
    expect(bondXmitHash('layer3+4', frame())).toBe(0x29a989c7);
    // Non-IP traffic hashes as layer2 under every IP policy.
    const arp: Frame = { src: '02:00:00:00:00:07', dst: 'ff:ff:ff:ff:ff:ff', arp: { op: 1, sha: '02:00:00:00:00:07', spa: 0, tha: '00:00:00:00:00:00', tpa: 0 } };
    for (const p of ['layer2+3', 'layer3+4'] as HashPolicy[]) expect(bondXmitHash(p, arp)).toBe(bondXmitHash('layer2', arp));
  });

  test('layer3+4 keeps one flow on one slave and ignores the MACs; layer2 ignores everything but the MACs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 255 }), (sport, dport, m) => {
        const f = frame({ ip: { ...frame().ip!, tcp: { ...frame().ip!.tcp!, sport, dport } } });
        const mac = `02:00:00:00:00:${m.toString(16).padStart(2, '0')}`;
        expect(bondXmitHash('layer3+4', { ...f, src: mac })).toBe(bondXmitHash('layer3+4', f));
        expect(bondXmitHash('layer2', f)).toBe(bondXmitHash('layer2', frame()));
      }),
    );
  });
});

describe('802.3ad between two hosts', () => {
  test('LACP puts both links in one aggregator with the partner, and traffic flows', () => {
    const { a, b } = twoHosts();
    const bMac = b.sh('cat /sys/class/net/bond0/address').stdout.trim();
    expect(grep(a, 'Aggregator ID|Number of ports|Actor Key|Partner Key|Partner Mac')).toBe(
      `\tAggregator ID: 1\n\tNumber of ports: 2\n\tActor Key: 15\n\tPartner Key: 15\n\tPartner Mac Address: ${bMac}\nAggregator ID: 1\nAggregator ID: 1\n`,
    );
    expect(grep(a, 'port state')).toBe('    port state: 63\n'.repeat(4));
    expect(a.sh('ping -c 2 -q 10.9.0.2').stdout).toContain('2 packets transmitted, 2 received, 0% packet loss');
    // The slaves carry the bond's address, and keep their own as the permanent one.
    expect(a.sh('cat /sys/class/net/eth2/address /sys/class/net/eth2/bonding_slave/perm_hwaddr').stdout).toBe(`${a.sh('cat /sys/class/net/bond0/address').stdout}52:54:00:29:2c:58\n`);
  });

  test('layer3+4 spreads TCP connections over both links', () => {
    const { a, b } = twoHosts();
    b.sh('mkdir -p /www && echo hi > /www/index.html && httpd -p 8080 -h /www');
    const before = [txPackets(a, 'eth1'), txPackets(a, 'eth2')];
    expect(a.sh('ab -n 40 -c 8 http://10.9.0.2:8080/index.html | grep "Failed requests"').stdout).toMatch(/Failed requests:\s+0/);
    const sent = [txPackets(a, 'eth1') - before[0], txPackets(a, 'eth2') - before[1]];
    // Both links carried connections (LACPDUs alone are a handful of frames).
    expect(sent[0]).toBeGreaterThan(40);
    expect(sent[1]).toBeGreaterThan(40);
  });

  test('pulling the link that carries a flow keeps it flowing on the other', () => {
    const { a, engine } = twoHosts();
    const before = [txPackets(a, 'eth1'), txPackets(a, 'eth2')];
    a.sh('ping -c 3 -i 0.2 -q 10.9.0.2');
    const busy = txPackets(a, 'eth1') - before[0] > txPackets(a, 'eth2') - before[1] ? 'eth1' : 'eth2';
    // Pull it half a second into a ping every 0.2 s (miimon notices within 100 ms).
    engine.at(engine.now + 500_000_000, () => a.unplug(busy));
    const r = a.sh('ping -c 10 -i 0.2 -q 10.9.0.2');
    expect(r.stdout).toMatch(/10 packets transmitted, (9|10) received/);
    expect(grep(a, 'Number of ports|MII Status|Link Failure')).toBe(
      busy === 'eth1'
        ? 'MII Status: up\n\tNumber of ports: 1\nMII Status: down\nLink Failure Count: 1\nMII Status: up\nLink Failure Count: 0\n'
        : 'MII Status: up\n\tNumber of ports: 1\nMII Status: up\nLink Failure Count: 0\nMII Status: down\nLink Failure Count: 1\n',
    );
    expect(a.sh(`ip -br link show ${busy}`).stdout).toMatch(/DOWN .*NO-CARRIER,BROADCAST,MULTICAST,SLAVE,UP/);
  });

  test('a partner without LACP: each link is an individual aggregator and only one carries traffic', () => {
    const { a } = twoHosts(false);
    expect(grep(a, 'Aggregator ID|Number of ports|Partner Mac|port state')).toBe(
      '\tAggregator ID: 1\n\tNumber of ports: 1\n\tPartner Mac Address: 00:00:00:00:00:00\n' +
        'Aggregator ID: 1\n    port state: 79\n    port state: 1\nAggregator ID: 2\n    port state: 71\n    port state: 1\n',
    );
    const before = txPackets(a, 'eth2');
    expect(a.sh('ping -c 3 -q 10.9.0.2').stdout).toContain('3 received');
    // eth2 stands by: a defaulted partner asks for the slow rate (an LACPDU every 30 s).
    expect(txPackets(a, 'eth2') - before).toBeLessThanOrEqual(1);
  });
});

describe('enslaving and options, as the driver refuses them', () => {
  test('errors name the rule', () => {
    const h = createHost({ nics: 3 });
    const r = h.sh(`ip link add bond0 type bond mode 802.3ad
ip link set eth1 up; ip link set eth1 master bond0
ip link set eth1 down; ip link set eth1 master bond0; ip link set bond0 type bond mode active-backup
ip link set lo master bond0
ip link add bond1 type bond mode balance-alb
ip link add bond1 type bond lacp_rate fast
ip link add bond1 type bond mode nine
ip link add bond1 type bond arp_interval 100
ip link set eth1 nomaster; cat /sys/class/net/eth1/address; ip -br link show eth1`);
    expect(r.stderr).toBe(
      'Error: Device can not be enslaved while up.\n' +
        'Error: unable to set option because the bond device has slaves.\n' +
        'Error: Can not enslave loopback device.\n' +
        'Error: ctsim does not model bonding mode balance-alb.\n' +
        'Error: option not supported in mode.\n' +
        'Error: argument "nine" is wrong: invalid mode\n' +
        'bond: ctsim does not model "arp_interval" (the options it has: mode, miimon, updelay, downdelay, xmit_hash_policy, lacp_rate, min_links, ad_select)\n',
    );
    // Released, the slave has its own address back and is closed again (__bond_release_one).
    expect(r.stdout).toBe('52:54:00:12:34:57\neth1             DOWN           52:54:00:12:34:57 <BROADCAST,MULTICAST> \n');
  });

  test('a bond stays in its namespace; a slave moves to another bond in one step; delays need MII monitoring', () => {
    const h = createHost({ nics: 3 });
    const r = h.sh(`ip netns add x; ip link add bond0 type bond miimon 100 updelay 200 downdelay 300; ip link add bond1 type bond
ip link set eth1 master bond0; ip link set eth1 master bond1; cat /sys/class/net/bond1/bonding/slaves /sys/class/net/bond0/bonding/slaves
ip link set bond0 netns x
ip link set bond0 type bond miimon 50; cat /sys/class/net/bond0/bonding/updelay /sys/class/net/bond0/bonding/downdelay
ip link set bond0 type bond miimon 0; ip link set bond0 type bond updelay 100`);
    // Linux keeps the delays as a number of polls: they follow miimon.
    expect(r.stdout).toBe('eth1\n\n100\n150\n');
    expect(r.stderr).toBe('RTNETLINK answers: Invalid argument\nError: unable to set updelay as MII monitoring is disabled.\n');
  });

  test('a VLAN device on a slave takes its tagged frames before the bond does (vlan_do_receive)', () => {
    const { a, b } = cabledHosts();
    a.sh('ip link add bond0 type bond mode active-backup && ip link set eth2 master bond0 && ip link add link eth1 name eth1.5 type vlan id 5 && ip link set eth1 master bond0 && ip link set bond0 up && ip link set eth1.5 up && ip addr add 10.5.0.1/24 dev eth1.5');
    b.sh('ip link set eth1 up && ip link add link eth1 name eth1.5 type vlan id 5 && ip link set eth1.5 up && ip addr add 10.5.0.2/24 dev eth1.5');
    expect(a.sh('sleep 0.2; ping -c 2 -q 10.5.0.2').stdout).toContain('2 received');
  });

  test('a bond\'s periodic timers never keep a command with a time limit from ending as idle', () => {
    const { a } = twoHosts();
    // Opening a FIFO nobody will write blocks for ever: the host is idle but for the bond's timers.
    const r = a.sh('mkfifo /tmp/f; cat /tmp/f', { timeLimitNs: 20_000_000_000 });
    expect(r.ended).toBe('idle');
    expect(r.elapsedNs).toBeLessThan(100_000_000);
  });

  test('after 60 s in sync the churn machines say none', () => {
    const { a } = twoHosts();
    expect(grep(a, 'Churn State').split('\n')[0]).toBe('Actor Churn State: monitoring');
    a.sh('sleep 70');
    expect(grep(a, 'Churn State|Churned Count')).toBe('Actor Churn State: none\nPartner Churn State: none\nActor Churned Count: 0\nPartner Churned Count: 0\n'.repeat(2));
  });

  test('active-backup: one slave carries the traffic, the other takes over when it fails', () => {
    const { a, b } = cabledHosts();
    a.sh(bondUp('10.9.0.1', 'mode active-backup'));
    b.sh(bondUp('10.9.0.2', 'mode active-backup'));
    // Until the first MII poll sees the carrier, no slave is active (the file is empty).
    expect(a.sh('cat /sys/class/net/bond0/bonding/active_slave').stdout).toBe('');
    a.sh('sleep 0.2');
    expect(a.sh("grep -E 'Bonding Mode|Currently Active' /proc/net/bonding/bond0").stdout).toBe('Bonding Mode: fault-tolerance (active-backup)\nCurrently Active Slave: eth1\n');
    a.unplug('eth1');
    expect(a.sh('sleep 0.2; ping -c 2 -q 10.9.0.2').stdout).toContain('2 received');
    expect(a.sh('cat /sys/class/net/bond0/bonding/active_slave').stdout).toBe('eth2\n');
  });
});
