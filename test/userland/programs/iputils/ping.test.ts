/**
 * ping as iputils 20221126 prints it, with round-trip times that come from the
 * cost table (the loopback path is netTx + netRx each way plus the wake-up).
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../../src/index.js';
import { loadDefaultCosts, parseCostTable } from '../../../../src/hw/cost-table.js';

function ping(script: string, costs = loadDefaultCosts()): { stdout: string; stderr: string; status: number } {
  const h = createHost({ cpus: 1, seed: 1, costs });
  return h.sh(script);
}

describe('ping', () => {
  test('on loopback: replies, statistics and exit status 0', () => {
    const r = ping('ping -c 3 127.0.0.1');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(
      /^PING 127\.0\.0\.1 \(127\.0\.0\.1\) 56\(84\) bytes of data\.\n(64 bytes from 127\.0\.0\.1: icmp_seq=[123] ttl=64 time=0\.0\d\d ms\n){3}\n--- 127\.0\.0\.1 ping statistics ---\n3 packets transmitted, 3 received, 0% packet loss, time 2000ms\nrtt min\/avg\/max\/mdev = 0\.0\d\d\/0\.0\d\d\/0\.0\d\d\/0\.00\d ms\n$/,
    );
  });

  test('the rtt follows the cost table', () => {
    const rtt = (out: string): number => Number(/time=([0-9.]+) ms/.exec(out)![1]);
    const base = rtt(ping('ping -c 1 127.0.0.1').stdout);
    const slow = parseCostTable({ costs: { netRx: 50_000 } }, 'slow.json', loadDefaultCosts());
    const slower = rtt(ping('ping -c 1 127.0.0.1', slow).stdout);
    // Two receive paths per round trip (request and reply): +2 × 47.5 µs.
    expect(slower - base).toBeCloseTo(0.095, 2);
  });

  test('between two namespaces on a bridge the rtt follows the cost table too', () => {
    const script = `
ip link add br0 type bridge
ip link set br0 up
for n in a b; do
  ip netns add $n
  ip link add v$n type veth peer name eth0 netns $n
  ip link set v$n master br0
  ip link set v$n up
  ip netns exec $n ip link set eth0 up
done
ip netns exec a ip addr add 10.0.0.1/24 dev eth0
ip netns exec b ip addr add 10.0.0.2/24 dev eth0
ip netns exec a ping -c 2 10.0.0.2 | grep icmp_seq=2`;
    const rtt = (out: string): number => Number(/time=([0-9.]+) ms/.exec(out)![1]);
    const base = rtt(ping(script).stdout);
    const slowBridge = parseCostTable({ costs: { bridgeForward: 20_000 } }, 'slow.json', loadDefaultCosts());
    // One bridge hop each way: +2 × 19.1 µs.
    expect(rtt(ping(script, slowBridge).stdout) - base).toBeCloseTo(0.038, 2);
  });

  test('no route: connect fails before anything is sent (exit 2)', () => {
    const r = ping('unshare -n ping -c 1 10.99.0.1');
    expect(r).toMatchObject({ status: 2, stdout: '', stderr: 'ping: connect: Network is unreachable\n' });
  });

  test('usage errors as iputils words them', () => {
    expect(ping('ping')).toMatchObject({ status: 1, stderr: 'ping: usage error: Destination address required\n' });
    expect(ping('ping -c 0 127.0.0.1')).toMatchObject({ status: 1, stderr: "ping: invalid argument: '0': out of range: 1 <= value <= 9223372036854775807\n" });
    expect(ping('ping -c abc 127.0.0.1')).toMatchObject({ status: 1, stderr: "ping: invalid argument: 'abc'\n" });
    expect(ping('ping -W -1 -c 1 127.0.0.1')).toMatchObject({ status: 2, stderr: 'ping: bad linger time: -1\n' });
    expect(ping('ping nosuchhost')).toMatchObject({ status: 2, stderr: 'ping: nosuchhost: Temporary failure in name resolution\n' });
  });

  test('-q prints only the summary; -s changes the sizes', () => {
    const q = ping('ping -c 2 -q 127.0.0.1');
    expect(q.stdout).not.toContain('bytes from');
    expect(q.stdout).toContain('2 packets transmitted, 2 received, 0% packet loss, time 1000ms\n');
    const s = ping('ping -c 1 -s 1000 127.0.0.1');
    expect(s.stdout).toContain('PING 127.0.0.1 (127.0.0.1) 1000(1028) bytes of data.\n1008 bytes from 127.0.0.1: icmp_seq=1');
  });
});

describe('ping without privileges', () => {
  test('a user pings through a ping socket (net.ipv4.ping_group_range is "0 2147483647" on the host, as systemd sets it)', () => {
    const r = ping('cat /proc/sys/net/ipv4/ping_group_range; setpriv --reuid 1000 --regid 1000 --clear-groups ping -c 1 192.168.1.1 | grep -o "1 received"');
    expect(r.stdout).toBe('0\t2147483647\n1 received\n');
  });

  test('in a new network namespace the kernel default "1 0" allows no group: a raw socket needs CAP_NET_RAW, which root of a user namespace has there', () => {
    const r = ping(`unshare -n cat /proc/sys/net/ipv4/ping_group_range
setpriv --reuid 1000 --regid 1000 --clear-groups unshare -Urn sh -c 'ip link set lo up; ping -c 1 127.0.0.1 | grep -o "1 received"'`);
    expect(r.stdout).toBe('1\t0\n1 received\n');
  });
});
