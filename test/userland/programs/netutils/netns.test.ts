/**
 * `ip netns` end to end: named namespaces as bind mounts under /run/netns, their
 * nsids, running commands inside them, and the errors of iproute2 6.1 (the texts of
 * the real ip on Debian 12).
 */
import { describe, expect, test } from 'vitest';
import { transcript } from './run.js';

const block = (cmd: string, out: string, status = 0): string => `$ ${cmd}\n${out}status=${status}\n`;

describe('ip netns', () => {
  const out = transcript('ip netns add a\nip netns add b', [
    'ip netns add a',
    'ls -l /run/netns',
    'ip netns',
    'ip -j netns',
    'ip netns exec a ip link',
    'ip netns exec a ip netns identify',
    'ip netns identify',
    'ip netns exec a nosuchcmd',
    'ip netns exec a false',
    'ip netns exec a',
    'ip netns exec nosuch true',
    'ip -n nosuch link',
    'ip netns set a 7',
    'ip netns set a -1',
    "sh -c 'ip netns exec b sleep 1 & sleep 0.1; ip netns pids b; ip netns identify $!; wait'",
    'ip link add vx type veth peer name vy netns b',
    'ip link show vx',
    'ip -n b link show vy',
    'ip netns',
    'ip netns del a',
    'ip netns del a',
    'ip netns add a/b',
    'ip -all netns del',
    'ip netns',
    'findmnt -n -o TARGET,PROPAGATION /run/netns',
  ]);

  test('add: a read-only file bound to the new namespace; a second add fails', () => {
    expect(out).toContain(block('ip netns add a', 'Cannot create namespace file "/run/netns/a": File exists\n', 1));
    expect(out).toMatch(/\$ ls -l \/run\/netns\ntotal 0\n-r--r--r-- 1 root root 0 .* a\n-r--r--r-- 1 root root 0 .* b\nstatus=0\n/);
    expect(out).toContain(block('findmnt -n -o TARGET,PROPAGATION /run/netns', '/run/netns shared\n'));
  });

  test('list: newest first, with the nsid once this namespace has one', () => {
    expect(out).toContain(block('ip netns', 'b\na\n'));
    expect(out).toContain(block('ip -j netns', '[{"name":"b"},{"name":"a"}]\n'));
    expect(out).toContain(block('ip netns set a 7', '') + block('ip netns set a -1', 'Error: argument "-1" is wrong: "netnsid" value should be >= 0\n', 255));
    expect(out).toContain(block('ip netns', 'b (id: 0)\na (id: 7)\n'));
  });

  test('exec: a fresh namespace has only a down lo; exec failures', () => {
    expect(out).toContain(
      block('ip netns exec a ip link', '1: lo: <LOOPBACK> mtu 65536 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'),
    );
    expect(out).toContain(block('ip netns exec a nosuchcmd', 'exec of "nosuchcmd" failed: No such file or directory\n', 1));
    expect(out).toContain(block('ip netns exec a false', '', 1));
    expect(out).toContain(block('ip netns exec a', 'No command specified\n', 1));
    expect(out).toContain(block('ip netns exec nosuch true', 'Cannot open network namespace "nosuch": No such file or directory\n', 255));
    expect(out).toContain(block('ip -n nosuch link', 'Cannot open network namespace "nosuch": No such file or directory\n', 255));
  });

  test('identify and pids compare namespace inodes', () => {
    expect(out).toContain(block('ip netns exec a ip netns identify', 'a\n'));
    expect(out).toContain(block('ip netns identify', '\n'));
    expect(out).toMatch(/ip netns identify \$!; wait'\n\d+\nb\nstatus=0\n/);
  });

  test('a veth end created straight in another namespace', () => {
    expect(out).toContain(
      block('ip link show vx', '2: vx@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether MAC brd ff:ff:ff:ff:ff:ff link-netns b\n'),
    );
    expect(out).toContain(
      block('ip -n b link show vy', '2: vy@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 1000\n    link/ether MAC brd ff:ff:ff:ff:ff:ff link-netnsid 0\n'),
    );
  });

  test('del, and -all', () => {
    expect(out).toContain(block('ip netns del a', '') + block('ip netns del a', 'Cannot remove namespace file "/run/netns/a": No such file or directory\n', 1));
    expect(out).toContain(block('ip netns add a/b', 'Invalid netns name "a/b"\n', 255));
    expect(out).toContain(block('ip -all netns del', '') + block('ip netns', ''));
  });

  // On a fresh host ip binds /run/netns onto itself first (a bind of a shared mount onto itself).
  test('the first ip netns add on a fresh host makes /run/netns a shared mount point', () => {
    const fresh = transcript('', ['ip netns add a', 'ip netns', 'findmnt -n -o TARGET,PROPAGATION /run/netns']);
    expect(fresh).toBe(block('ip netns add a', '') + block('ip netns', 'a\n') + block('findmnt -n -o TARGET,PROPAGATION /run/netns', '/run/netns shared\n'));
  });
});
