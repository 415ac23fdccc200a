/**
 * How iproute2 6.1's bridge(8) prints (bridge/fdb.c print_fdb, bridge/link.c
 * print_linkinfo, bridge/vlan.c print_vlan_info): pure functions from FdbInfo,
 * LinkInfo and VlanInfo to text or JSON.
 *
 *   7a:5e:bd:9d:a5:37 dev veth0 master br0
 *   aa:83:4a:45:cb:81 dev veth0 master br0 permanent
 *   33:33:00:00:00:01 dev br0 self permanent
 *   3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state forwarding priority 32 cost 2
 *   port              vlan-id
 *   veth0             10 PVID Egress Untagged
 *
 * Simplification: every port has priority 32 and cost 2 (a 10 Gb/s veth's STP cost)
 * and iproute2's default per-port options under -d.
 */
import type { FdbInfo, LinkInfo, VlanInfo } from '../../../kernel/net/rtnl-abi.js';
import { linkFlagNames, nameAndLink, type LinkView } from './format-link.js';
import type { JsonValue } from './json.js';

/** One fdb entry; `devFiltered` leaves out "dev NAME" (bridge fdb show dev DEV). */
export function fdbText(f: FdbInfo, nameOf: (ifindex: number) => string, devFiltered: boolean): string {
  let s = `${f.mac} `;
  if (!devFiltered) s += `dev ${nameOf(f.ifindex)} `;
  if (f.vlan) s += `vlan ${f.vlan} `;
  if (f.self) s += 'self ';
  if (f.master !== undefined) s += `master ${nameOf(f.master)} `;
  return s + f.state + '\n';
}

export function fdbJson(f: FdbInfo, nameOf: (ifindex: number) => string, devFiltered: boolean): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { mac: f.mac };
  if (!devFiltered) o.ifname = nameOf(f.ifindex);
  if (f.vlan) o.vlan = f.vlan;
  o.flags = f.self ? ['self'] : [];
  if (f.master !== undefined) o.master = nameOf(f.master);
  o.state = f.state;
  return o;
}

/** iproute2's per-port options as `bridge -d link` prints them for a port left at its defaults. */
const PORT_DETAILS =
  'hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on bcast_flood on mcast_router 1 ' +
  'mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off locked off ';

/** One port of `bridge link`. */
export function bridgeLinkText(l: LinkInfo, view: LinkView): string {
  const { name, mdown } = nameAndLink(l, view);
  const sl = view.oneline ? '\\' : '\n';
  let s = `${l.ifindex}: ${name}: <${linkFlagNames(l.flags, mdown).join(',')}> mtu ${l.mtu} `;
  if (l.master !== undefined) s += `master ${view.byIndex.get(l.master)?.name ?? `if${l.master}`} `;
  s += `state ${l.portState ?? 'disabled'} priority 32 cost 2 `;
  if (view.details) s += `${sl}    ${PORT_DETAILS}`;
  return s + '\n';
}

export function bridgeLinkJson(l: LinkInfo, view: LinkView): Record<string, JsonValue> {
  const { mdown, json } = nameAndLink(l, view);
  const o: Record<string, JsonValue> = { ifindex: l.ifindex, ...json, ifname: l.name, flags: linkFlagNames(l.flags, mdown), mtu: l.mtu };
  if (l.master !== undefined) o.master = view.byIndex.get(l.master)?.name ?? `if${l.master}`;
  o.state = l.portState ?? 'disabled';
  o.priority = 32;
  o.cost = 2;
  if (view.details) {
    for (const [k, v] of PORT_DETAILS.trim().match(/\S+ \S+/g)?.map((p) => p.split(' ')) ?? []) o[k] = v === 'on' ? true : v === 'off' ? false : Number(v);
  }
  return o;
}

/** The heading of `bridge vlan show`: "port" and "vlan-id" padded to IFNAMSIZ and VLAN_ID_LEN. */
export const VLAN_HEADING = `${'port'.padEnd(16)}  ${'vlan-id'.padEnd(9)}\n`;

/** A port's VLANs: the name on the first line, the others under it; " PVID", " Egress Untagged". */
export function vlanText(v: VlanInfo, name: string, vid?: number): string {
  const vlans = v.vlans.filter((x) => vid === undefined || x.vid === vid);
  return vlans
    .map((x, i) => `${(i === 0 ? name : '').padEnd(16)}  ${x.vid}${x.pvid ? ' PVID' : ''}${x.untagged ? ' Egress Untagged' : ''}\n`)
    .join('');
}

export function vlanJson(v: VlanInfo, name: string, vid?: number): Record<string, JsonValue> | null {
  const vlans = v.vlans.filter((x) => vid === undefined || x.vid === vid);
  if (vlans.length === 0) return null;
  return {
    ifname: name,
    vlans: vlans.map((x) => {
      const flags = [...(x.pvid ? ['PVID'] : []), ...(x.untagged ? ['Egress Untagged'] : [])];
      return flags.length ? { vlan: x.vid, flags } : { vlan: x.vid };
    }),
  };
}
