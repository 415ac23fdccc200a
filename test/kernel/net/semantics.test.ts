/**
 * Linux behaviours of the stack that a second reading found wanting, each pinned
 * (sources: ip-neighbour(8)/neigh_add, netdev_upper_dev_link, sk_clone_lock,
 * iptables-extensions(8), ip_route_output ordering, ip_forward/ip_error, icmp_send).
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../src/index.js';

const sh = (script: string): { stdout: string; stderr: string; status: number } => createHost({ cpus: 1, seed: 1 }).sh(script);

describe('stack semantics', () => {
  test('ip neigh add without lladdr is refused; a permanent entry sends what waited', () => {
    const r = sh(`ip link add v0 type veth peer name v1
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip neigh add 10.0.0.2 dev v0; echo st=$?
ping -c 1 -W 1 10.0.0.2 >/dev/null &
sleep 0.5
ip neigh replace 10.0.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent
sleep 4
ip neigh show 10.0.0.2`);
    expect(r.stderr).toBe('Error: No link layer address given.\n');
    expect(r.stdout).toBe('st=2\n10.0.0.2 dev v0 lladdr 02:00:00:00:00:02 PERMANENT \n');
  });

  test('a VLAN of a bridge cannot become its port (EBUSY)', () => {
    const r = sh('ip link add br0 type bridge\nip link add link br0 name br0.10 type vlan id 10\nip link set br0.10 master br0; echo st=$?');
    expect(r).toMatchObject({ stdout: 'st=2\n', stderr: 'RTNETLINK answers: Device or resource busy\n' });
  });

  test('accepted connections keep SO_REUSEADDR: a server restarts while its connections sit in TIME_WAIT', () => {
    const r = sh(`mkdir /tmp/w; echo x > /tmp/w/index.html
httpd -p 8080 -h /tmp/w; sleep 0.1
wget -qO- http://127.0.0.1:8080/
kill $(pgrep httpd); sleep 0.1
ss -tan | grep -c TIME-WAIT
httpd -p 8080 -h /tmp/w; echo restart=$?`);
    expect(r.stdout).toBe('x\n1\nrestart=0\n');
  });

  test('a port a NATed connection took is remapped for the host own connections (null binding), and a later SYN reopens a pair in TIME_WAIT', () => {
    // Namespace c sits behind MASQUERADE; namespace s serves (and closes first, so its side waits in TIME_WAIT).
    const r = sh(`echo 1 > /proc/sys/net/ipv4/ip_forward
ip netns add c; ip netns add s
ip link add v0 type veth peer name e0 netns c
ip link add v1 type veth peer name e1 netns s
ip addr add 10.0.0.1/24 dev v0; ip link set v0 up
ip addr add 10.0.1.1/24 dev v1; ip link set v1 up
ip netns exec c sh -c 'ip link set e0 up; ip addr add 10.0.0.2/24 dev e0; ip route add default via 10.0.0.1'
ip netns exec s sh -c 'ip link set lo up; ip link set e1 up; ip addr add 10.0.1.2/24 dev e1; mkdir /tmp/w; echo x > /tmp/w/index.html; httpd -p 8080 -h /tmp/w'
iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o v1 -j MASQUERADE
ip netns exec c timeout 5 wget -qO- http://10.0.1.2:8080/
timeout 5 wget -qO- http://10.0.1.2:8080/
ip netns exec c timeout 5 wget -qO- http://10.0.1.2:8080/
timeout 5 wget -qO- http://10.0.1.2:8080/
ip netns exec s ss -tan | grep -c TIME-WAIT`);
    expect(r.stdout).toBe('x\nx\nx\nx\n4\n');
  });

  test('DNAT in OUTPUT then SNAT in POSTROUTING; locally made packets are tracked with their source address', () => {
    const r = sh(`ip addr add 192.168.1.11/24 dev eth0
iptables -t nat -A OUTPUT -d 192.168.1.99 -p tcp --dport 80 -j DNAT --to-destination 203.0.113.10:80
iptables -t nat -A POSTROUTING -o eth0 -j SNAT --to-source 192.168.1.11
wget -qO- http://192.168.1.99/ | grep -o 'Hello from outside'
iptables -t nat -L POSTROUTING -n -v | tail -1 | cut -c1-16
ping -c 1 -q 203.0.113.10 >/dev/null
conntrack -L 2>/dev/null | grep -c 'src=0.0.0.0'
conntrack -L -p icmp 2>/dev/null | grep -o 'dst=192.168.1.11'`);
    expect(r.stdout).toBe('Hello from outside\n    1    40 SNAT\n0\ndst=192.168.1.11\n');
  });

  test('forwarding: routing decides before the TTL; blackhole is silent, prohibit says filtered', () => {
    const r = sh(`echo 1 > /proc/sys/net/ipv4/ip_forward
ip netns add c
ip link add v0 type veth peer name e0 netns c
ip addr add 10.0.0.1/24 dev v0
ip link set v0 up
ip netns exec c sh -c 'ip link set e0 up; ip addr add 10.0.0.2/24 dev e0; ip route add default via 10.0.0.1'
ip route add blackhole 10.50.0.0/16
ip route add prohibit 10.60.0.0/16
ip netns exec c ping -c 1 -W 1 10.50.0.1 | grep -c From
ip netns exec c ping -c 1 -W 1 10.60.0.1 | grep -o 'From .*'
ip netns exec c ping -c 1 -W 1 -t 1 10.70.0.1 | grep -o 'From .*'`);
    expect(r.stdout).toBe('0\nFrom 10.0.0.1 icmp_seq=1 Packet filtered\nFrom 10.0.0.1 icmp_seq=1 Time to live exceeded\n');
  });
});
