/**
 * How iproute2 6.1 prints a link (ip/ipaddress.c print_linkinfo, lib/utils.c
 * print_name_and_link): pure functions from the kernel's LinkInfo to text or JSON.
 *
 *   3: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue master br0 state UP mode DEFAULT group default qlen 1000
 *       link/ether aa:83:4a:45:cb:81 brd ff:ff:ff:ff:ff:ff link-netns netns0
 *
 * The name gets "@PEER" when the IFLA_LINK device is in the same namespace (and the
 * flag M-DOWN when that device is down), "@ifN" when it is in another one — whose name
 * comes from /run/netns when its nsid maps to a file there.
 *
 * Simplification: `-d` prints iproute2's fixed defaults for what the ABI does not
 * carry (promiscuity follows bridge membership, queues are 1, bridge timers 0.00,
 * no vlan_protocol line).
 */
import type { LinkInfo } from '../../../kernel/net/rtnl-abi.js';
import { IFF_BROADCAST, IFF_LOOPBACK, IFF_LOWER_UP, IFF_MASTER, IFF_MULTICAST, IFF_NOARP, IFF_PROMISC, IFF_RUNNING, IFF_SLAVE, IFF_UP } from '../../../kernel/net/netdev.js';
import type { JsonValue } from './json.js';

// The <linux/if.h> flags netdev.ts does not name (ctsim's devices never set them, but a
// flag word with them prints as iproute2 prints it).
const IFF_DEBUG = 0x4;
const IFF_POINTOPOINT = 0x10;
const IFF_NOTRAILERS = 0x20;
const IFF_ALLMULTI = 0x200;
const IFF_PORTSEL = 0x2000;
const IFF_AUTOMEDIA = 0x4000;
const IFF_DYNAMIC = 0x8000;
const IFF_DORMANT = 0x20000;
const IFF_ECHO = 0x40000;

/** print_link_flags' order. */
const FLAG_NAMES: [number, string][] = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [IFF_ECHO, 'ECHO'],
];

/** What a link's record needs besides the link: the other links and the names of nsids. */
export interface LinkView {
  byIndex: ReadonlyMap<number, LinkInfo>;
  /** The /run/netns name of a peer namespace id, if any. */
  nsName: (nsid: number) => string | undefined;
  details: number;
  stats: number;
  /** -o: records on one line, "\" where a line would break. */
  oneline: boolean;
  /** The link/ether line is printed unless an address family other than link is asked for. */
  showLinkLayer: boolean;
}

/** The flags between < and >: NO-CARRIER first when up without carrier, M-DOWN last. */
export function linkFlagNames(flags: number, mdown: boolean): string[] {
  const out: string[] = [];
  if (flags & IFF_UP && !(flags & IFF_RUNNING)) out.push('NO-CARRIER');
  let rest = flags & ~IFF_RUNNING;
  for (const [bit, name] of FLAG_NAMES) {
    if (rest & bit) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest) out.push(rest.toString(16));
  if (mdown) out.push('M-DOWN');
  return out;
}

/** The printed name ("veth0@veth1", "v1@if3"), whether the link device is down, and the JSON members it adds. */
export function nameAndLink(l: LinkInfo, view: LinkView): { name: string; mdown: boolean; json: Record<string, JsonValue> } {
  if (l.link === undefined) return { name: l.name, mdown: false, json: {} };
  if (l.link === 0) return { name: `${l.name}@NONE`, mdown: false, json: { link: null } };
  if (l.linkNetnsid !== undefined) return { name: `${l.name}@if${l.link}`, mdown: false, json: { link_index: l.link } };
  const peer = view.byIndex.get(l.link);
  const peerName = peer?.name ?? `if${l.link}`;
  return { name: `${l.name}@${peerName}`, mdown: !((peer?.flags ?? 0) & IFF_UP), json: { link: peerName } };
}

/** " link-netns NAME" or " link-netnsid N" (only when the link device is in another namespace). */
function netnsSuffix(l: LinkInfo, view: LinkView): string {
  if (l.linkNetnsid === undefined) return '';
  if (l.linkNetnsid < 0) return ' link-netnsid unknown';
  const name = view.nsName(l.linkNetnsid);
  return name !== undefined ? ` link-netns ${name}` : ` link-netnsid ${l.linkNetnsid}`;
}

/** The first line of a link's record up to the end of "qlen N" (`mode` only for `ip link`). */
export function linkHeadline(l: LinkInfo, view: LinkView, doLink: boolean): string {
  const { name, mdown } = nameAndLink(l, view);
  const master = l.master !== undefined ? `master ${view.byIndex.get(l.master)?.name ?? `if${l.master}`} ` : '';
  const qlen = l.txqlen ? `qlen ${l.txqlen}` : '';
  return (
    `${l.ifindex}: ${name}: <${linkFlagNames(l.flags, mdown).join(',')}> mtu ${l.mtu} qdisc ${l.qdisc} ${master}` +
    `state ${l.operstate} ${doLink ? 'mode DEFAULT ' : ''}group default ${qlen}`
  );
}

/** A whole link record for `ip link` / `ip addr` (without the addresses), ending in SL unless `open`. */
export function linkText(l: LinkInfo, view: LinkView, doLink: boolean): string {
  const sl = view.oneline ? '\\' : '\n';
  let s = linkHeadline(l, view, doLink);
  if (view.showLinkLayer || view.details) s += `${sl}    link/${l.linkType} ${l.address} brd ${l.broadcast}`;
  s += netnsSuffix(l, view);
  if (view.details) s += detailsText(l, view, sl);
  if (doLink && view.stats) s += sl + statsText(l, view.stats, sl);
  // print_vfinfo, after the statistics: a PF's virtual functions.
  if (view.showLinkLayer || view.details) {
    for (const v of l.vfs ?? []) s += `${sl}    vf ${v.index}     link/ether ${v.mac} brd ff:ff:ff:ff:ff:ff${v.vlan ? `, vlan ${v.vlan}` : ''}, spoof checking on, link-state auto, trust off, query_rss off`;
  }
  return s;
}

/** `-d`: promiscuity, MTU limits, the kind's own line(s) and the generic tail (ip -d link). */
function detailsText(l: LinkInfo, view: LinkView, sl: string): string {
  // A bridge port is promiscuous; a bond's slave is not (unless the bond is).
  const port = l.master !== undefined && view.byIndex.get(l.master)?.kind === 'bridge' ? 1 : 0;
  const lo = l.linkType === 'loopback';
  let s = ` promiscuity ${port}  allmulti ${port} minmtu ${lo ? 0 : 68} maxmtu ${lo ? 0 : 65535} `;
  if (l.kind) {
    s += `${sl}    ${l.kind} `;
    if (l.kind === 'bridge') s += bridgeDetails(l);
    if (l.kind === 'vlan') s += `protocol 802.1Q id ${l.vlanId ?? 0} <REORDER_HDR> `;
    if (l.kind === 'bond' && l.bond) s += bondDetails(l.bond);
  }
  const master = l.master !== undefined ? view.byIndex.get(l.master) : undefined;
  if (master?.kind === 'bridge') s += `${sl}    bridge_slave ${bridgeSlaveDetails(l, master, view)}`;
  if (master?.kind === 'bond' && l.bondSlave) s += `${sl}    bond_slave ${bondSlaveDetails(l.bondSlave)}`;
  return s + 'addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ';
}

/** iplink_bond.c bond_print_opt, for the options ctsim has (the others at their defaults). */
function bondDetails(b: NonNullable<LinkInfo['bond']>): string {
  let s = `mode ${b.mode} miimon ${b.miimon} updelay ${b.updelay} downdelay ${b.downdelay} peer_notify_delay 0 use_carrier 1 arp_interval 0 `;
  s += 'arp_missed_max 2 arp_validate none arp_all_targets any primary_reselect always fail_over_mac none ';
  s += `xmit_hash_policy ${b.xmitHashPolicy} resend_igmp 1 num_grat_arp 1 all_slaves_active 0 min_links ${b.minLinks} lp_interval 1 packets_per_slave 1 `;
  if (b.mode === '802.3ad') {
    s += `lacp_active on lacp_rate ${b.lacpRate} ad_select stable `;
    if (b.ad) s += `ad_aggregator ${b.ad.aggregator} ad_num_ports ${b.ad.numPorts} ad_actor_key ${b.ad.actorKey} ad_partner_key ${b.ad.partnerKey} ad_partner_mac ${b.ad.partnerMac} `;
    s += 'ad_actor_sys_prio 65535 ad_user_port_key 0 ad_actor_system 00:00:00:00:00:00 ';
  }
  return s + 'tlb_dynamic_lb 1 ';
}

/** iplink_bond_slave.c bond_slave_print_opt. */
function bondSlaveDetails(b: NonNullable<LinkInfo['bondSlave']>): string {
  let s = `state ${b.state} mii_status ${b.miiStatus} link_failure_count ${b.linkFailureCount} perm_hwaddr ${b.permHwaddr} queue_id 0 prio 0 `;
  if (b.aggregatorId !== undefined) s += `ad_aggregator_id ${b.aggregatorId} ad_actor_oper_port_state ${b.actorState} ad_partner_oper_port_state ${b.partnerState} `;
  return s;
}

/** A bridge ID as iproute2 prints it: priority in hex, then the MAC's bytes in %x (no zero padding). */
function bridgeId(mac: string): string {
  return '8000.' + mac.split(':').map((b) => parseInt(b, 16).toString(16)).join(':');
}

function bridgeDetails(l: LinkInfo): string {
  const id = bridgeId(l.address);
  const br = l.bridge ?? { vlanFiltering: false, ageingTime: 30000 };
  return (
    `forward_delay 1500 hello_time 200 max_age 2000 ageing_time ${br.ageingTime} stp_state 0 priority 32768 ` +
    `vlan_filtering ${br.vlanFiltering ? 1 : 0} bridge_id ${id} designated_root ${id} root_port 0 root_path_cost 0 ` +
    'topology_change 0 topology_change_detected 0 hello_timer    0.00 tcn_timer    0.00 topology_change_timer    0.00 ' +
    'gc_timer    0.00 group_fwd_mask 0 group_address 01:80:c2:00:00:00 mcast_snooping 1 no_linklocal_learn 0 ' +
    'mcast_vlan_snooping 0 mcast_router 1 mcast_query_use_ifaddr 0 mcast_querier 0 mcast_hash_elasticity 16 ' +
    'mcast_hash_max 4096 mcast_last_member_count 2 mcast_startup_query_count 2 mcast_last_member_interval 100 ' +
    'mcast_membership_interval 26000 mcast_querier_interval 25500 mcast_query_interval 12500 ' +
    'mcast_query_response_interval 1000 mcast_startup_query_interval 3124 mcast_stats_enabled 0 ' +
    'mcast_igmp_version 2 mcast_mld_version 1 nf_call_iptables 0 nf_call_ip6tables 0 nf_call_arptables 0 '
  );
}

/** Port numbers are handed out in the order ports join; ctsim approximates them by ifindex order. */
function bridgeSlaveDetails(l: LinkInfo, master: LinkInfo, view: LinkView): string {
  const ports = [...view.byIndex.values()].filter((p) => p.master === master.ifindex).map((p) => p.ifindex).sort((a, b) => a - b);
  const portNo = ports.indexOf(l.ifindex) + 1;
  const id = bridgeId(master.address);
  return (
    `state ${l.portState ?? 'disabled'} priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on ` +
    `port_id 0x${(0x8000 + portNo).toString(16)} port_no 0x${portNo.toString(16)} designated_port ${0x8000 + portNo} designated_cost 0 ` +
    `designated_bridge ${id} designated_root ${id} hold_timer    0.00 message_age_timer    0.00 forward_delay_timer    0.00 ` +
    'topology_change_ack 0 config_pending 0 proxy_arp off proxy_arp_wifi off mcast_router 1 mcast_fast_leave off ' +
    'mcast_flood on bcast_flood on mcast_to_unicast off neigh_suppress off group_fwd_mask 0 group_fwd_mask_str 0x0 ' +
    'vlan_tunnel off isolated off locked off '
  );
}

/** Width of a decimal number (size_columns). */
const digits = (n: number): number => String(n).length;

/**
 * `-s` / `-s -s`: the RX and TX tables of print_stats64, columns as wide as their widest
 * number or heading. Simplification: the ABI has no error breakdown or carrier changes,
 * so those columns are 0.
 */
export function statsText(l: LinkInfo, level: number, sl: string): string {
  const s = l.stats;
  const cols = [10, 7, 6, 7, 7, 7, 10, 9];
  const widen = (vals: number[]): void => vals.forEach((v, i) => (cols[i] = Math.max(cols[i], digits(v))));
  widen([s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, 0, s.multicast, 0, 0]);
  widen([s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, 0, 0, 0, 0]);
  const num = (w: number, v: number): string => String(v).padStart(w) + ' ';
  const pad = (w: number, t: string): string => t.padStart(w);
  let out = `    RX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} ${pad(cols[4], 'missed')} ${pad(cols[5], 'mcast')} ${pad(cols[6], '')}${sl}`;
  out += '    ' + [s.rx_bytes, s.rx_packets, s.rx_errors, s.rx_dropped, 0, s.multicast].map((v, i) => num(cols[i], v)).join('');
  if (level > 1) {
    out += `${sl}    RX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'length')} ${pad(cols[2], 'crc')} ${pad(cols[3], 'frame')} ${pad(cols[4], 'fifo')} ${pad(cols[5], 'overrun')}${sl}`;
    out += ' '.repeat(cols[0] + 5) + [0, 0, 0, 0, 0].map((v, i) => num(cols[i + 1], v)).join('');
  }
  out += sl;
  out += `    TX: ${pad(cols[0] - 4, 'bytes')} ${pad(cols[1], 'packets')} ${pad(cols[2], 'errors')} ${pad(cols[3], 'dropped')} ${pad(cols[4], 'carrier')} ${pad(cols[5], 'collsns')} ${pad(cols[6], '')}${sl}`;
  out += '    ' + [s.tx_bytes, s.tx_packets, s.tx_errors, s.tx_dropped, 0, 0].map((v, i) => num(cols[i], v)).join('');
  if (level > 1) {
    out += `${sl}    TX errors:${pad(cols[0] - 10, '')} ${pad(cols[1], 'aborted')} ${pad(cols[2], 'fifo')} ${pad(cols[3], 'window')} ${pad(cols[4], 'heartbt')} ${pad(cols[5], 'transns')}${sl}`;
    out += ' '.repeat(cols[0] + 5) + [0, 0, 0, 0, 0].map((v, i) => num(cols[i + 1], v)).join('');
  }
  return out;
}

/** `-br`: "NAME  STATE  MAC <FLAGS> " for links (the name and state columns padded to 16 and 14). */
export function linkBrief(l: LinkInfo, view: LinkView, withAddress: boolean): string {
  const { name, mdown } = nameAndLink(l, view);
  let s = `${name.padEnd(16)} ${l.operstate.padEnd(14)} `;
  if (withAddress) s += `${l.address} <${linkFlagNames(l.flags, mdown).join(',')}> \n`;
  return s;
}

/** The JSON object of a link (`ip -j link` / the head of `ip -j addr`'s entries). */
export function linkJson(l: LinkInfo, view: LinkView, doLink: boolean): Record<string, JsonValue> {
  const { mdown, json } = nameAndLink(l, view);
  const o: Record<string, JsonValue> = { ifindex: l.ifindex, ...json, ifname: l.name, flags: linkFlagNames(l.flags, mdown), mtu: l.mtu, qdisc: l.qdisc };
  if (l.master !== undefined) o.master = view.byIndex.get(l.master)?.name ?? `if${l.master}`;
  o.operstate = l.operstate;
  if (doLink) o.linkmode = 'DEFAULT';
  o.group = 'default';
  if (l.txqlen) o.txqlen = l.txqlen;
  if (view.showLinkLayer || view.details) {
    o.link_type = l.linkType;
    o.address = l.address;
    o.broadcast = l.broadcast;
  }
  if (l.linkNetnsid !== undefined) o.link_netnsid = l.linkNetnsid;
  if (doLink && view.stats) {
    const s = l.stats;
    o.stats64 = {
      rx: { bytes: s.rx_bytes, packets: s.rx_packets, errors: s.rx_errors, dropped: s.rx_dropped, over_errors: 0, multicast: s.multicast },
      tx: { bytes: s.tx_bytes, packets: s.tx_packets, errors: s.tx_errors, dropped: s.tx_dropped, carrier_errors: 0, collisions: 0 },
    };
  }
  return o;
}
