/** Registers the netfilter tools at Debian 12's paths: iptables (nf_tables variant) and conntrack. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { iptablesMain } from './iptables.js';
import { conntrackMain } from './conntrack.js';

export function registerNetfilter(t: ProgramTable): void {
  t.add({ name: 'iptables', main: iptablesMain, paths: ['/usr/sbin/iptables'], summary: 'iptables 1.8.9 (nf_tables), nat table: -A -I -D -C -L -S -F -Z -P, -n -v -x --line-numbers, -s -d -p --sport --dport -i -o [!], -j MASQUERADE|SNAT|DNAT|RETURN|ACCEPT' });
  t.add({ name: 'conntrack', main: conntrackMain, paths: ['/usr/sbin/conntrack'], summary: 'conntrack-tools 1.4.7: -L [-p PROTO] [-o extended], -C, -F' });
}
