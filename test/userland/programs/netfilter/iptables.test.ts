/**
 * iptables 1.8.9 (nf_tables) and conntrack 1.4.7 as they print on Linux: the
 * expected lines were captured from the real tools on Linux 6.18 in an isolated
 * network namespace.
 */
import { describe, expect, test } from 'vitest';
import { createHost } from '../../../../src/index.js';

const sh = (script: string): { stdout: string; stderr: string; status: number } => createHost({ cpus: 1, seed: 1 }).sh(script);

const RULES = `iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
iptables -t nat -A POSTROUTING -s 10.0.0.0/8 -o eth1 -j SNAT --to-source 192.168.1.10-192.168.1.20
iptables -t nat -A PREROUTING -d 192.168.1.10 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.10:80
`;

describe('iptables', () => {
  test('-L -n -v --line-numbers: the column layout of the real tool', () => {
    const out = sh(RULES + 'iptables -t nat -L -n -v --line-numbers').stdout;
    expect(out).toContain('1        0     0 DNAT       6    --  *      *       0.0.0.0/0            192.168.1.10         tcp dpt:8080 to:172.18.0.10:80\n');
    expect(out).toContain('1        0     0 MASQUERADE  0    --  *      !br0    172.18.0.0/16        0.0.0.0/0           \n');
    expect(out).toContain('2        0     0 SNAT       0    --  *      eth1    10.0.0.0/8           0.0.0.0/0            to:192.168.1.10-192.168.1.20\n');
    expect(out).toContain('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)\nnum   pkts bytes target     prot opt in     out     source               destination         \n\n');
  });

  test('-L without -n names protocols and "anywhere"; -S prints the rules back', () => {
    const r = sh(RULES + 'iptables -t nat -L POSTROUTING\niptables -t nat -S');
    expect(r.stdout).toContain('Chain POSTROUTING (policy ACCEPT)\ntarget     prot opt source               destination         \nMASQUERADE  all  --  172.18.0.0/16        anywhere            \n');
    expect(r.stdout).toContain(
      '-P PREROUTING ACCEPT\n-P INPUT ACCEPT\n-P OUTPUT ACCEPT\n-P POSTROUTING ACCEPT\n' +
        '-A PREROUTING -d 192.168.1.10/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.18.0.10:80\n' +
        '-A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE\n-A POSTROUTING -s 10.0.0.0/8 -o eth1 -j SNAT --to-source 192.168.1.10-192.168.1.20\n',
    );
  });

  test('errors and exit statuses', () => {
    const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";
    expect(sh('iptables -t nat -A POSTROUTING -j FOO')).toMatchObject({ status: 2, stderr: `iptables v1.8.9 (nf_tables): Chain 'FOO' does not exist\n${TRY}` });
    expect(sh('iptables -t bogus -L')).toMatchObject({ status: 3, stderr: "iptables v1.8.9 (nf_tables): table 'bogus' does not exist\nPerhaps iptables or your kernel needs to be upgraded.\n" });
    expect(sh('iptables -t nat -A NOPE -j MASQUERADE')).toMatchObject({ status: 1, stderr: 'iptables: No chain/target/match by that name.\n' });
    expect(sh('iptables -t nat -D POSTROUTING -s 1.2.3.4 -j MASQUERADE')).toMatchObject({ status: 1, stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).\n' });
    expect(sh('iptables -t nat -D POSTROUTING 99')).toMatchObject({ status: 1, stderr: 'iptables: Index of deletion too big.\n' });
    expect(sh('iptables -t nat -A POSTROUTING -s 300.1.1.1 -j MASQUERADE')).toMatchObject({ status: 2, stderr: `iptables v1.8.9 (nf_tables): host/network \`300.1.1.1' not found\n${TRY}` });
    expect(sh('iptables -t nat -A PREROUTING --dport 80 -j DNAT --to-destination 1.2.3.4')).toMatchObject({ status: 2, stderr: `iptables v1.8.9 (nf_tables): unknown option "--dport"\n${TRY}` });
    expect(sh('iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT')).toMatchObject({ status: 2, stderr: `iptables v1.8.9 (nf_tables): DNAT: option "--to-destination" must be specified\n${TRY}` });
    expect(sh('setpriv --reuid 1000 --regid 1000 --clear-groups iptables -t nat -L -n')).toMatchObject({
      status: 4,
      stderr: 'iptables v1.8.9 (nf_tables): Could not fetch rule set generation id: Permission denied (you must be root)\n',
    });
  });
});

describe('conntrack', () => {
  test('an ICMP flow through MASQUERADE, with the count on standard error', () => {
    const r = sh('iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE\nping -c 1 -q 203.0.113.10 >/dev/null\nconntrack -L\nconntrack -C\nconntrack -F');
    expect(r.stdout).toMatch(/^icmp {5}1 29 src=192\.168\.1\.10 dst=203\.0\.113\.10 type=8 code=0 id=\d+ src=203\.0\.113\.10 dst=192\.168\.1\.10 type=0 code=0 id=\d+ mark=0 use=1\n1\n$/);
    expect(r.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\nconntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n');
  });
});
