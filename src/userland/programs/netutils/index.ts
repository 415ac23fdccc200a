/**
 * Registers iproute2 6.1's `ip` and `bridge` at Debian 12's paths: /usr/bin/ip (with
 * /usr/sbin/ip a symbolic link to /bin/ip, placed by fixtures/rootfs.json) and
 * /usr/sbin/bridge.
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { ipMain } from './ip.js';
import { bridgeMain } from './bridge.js';

export function registerNetutils(t: ProgramTable): void {
  t.add({
    name: 'ip',
    main: ipMain,
    paths: ['/usr/bin/ip'],
    summary: 'iproute2 ip: link (veth, bridge, vlan), addr, route (get), neigh, netns (add, del, exec, identify, pids, set); -4 -6 -br -s -d -o -j -p -n NETNS, -batch FILE [-force]',
  });
  t.add({
    name: 'bridge',
    main: bridgeMain,
    paths: ['/usr/sbin/bridge'],
    summary: 'iproute2 bridge: fdb show/add/del, link show, vlan show/add/del; -s -d -j -p -n NETNS',
  });
}
