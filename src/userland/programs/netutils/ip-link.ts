/**
 * `ip link` (iproute2 6.1 ip/iplink.c, link_veth.c, iplink_bridge.c, iplink_vlan.c):
 * show links, and create, change and delete them with RTM_NEWLINK / RTM_SETLINK /
 * RTM_DELLINK.
 *
 *   ip link add [name] NAME [address MAC] [mtu N] [netns NS] type veth [peer [name] PEER [netns NS] …]
 *   ip link add NAME type bridge [vlan_filtering 0|1] [ageing_time CS]
 *   ip link add link DEV name NAME type vlan id N
 *   ip link add NAME type bond [mode M] [miimon MS] [updelay MS] [downdelay MS] [xmit_hash_policy P] [lacp_rate slow|fast] [min_links N] [ad_select stable]
 *   ip link set [dev] DEV up|down|master BR|nomaster|netns NS|name NEW|address MAC|mtu N|vf N [mac M] [vlan V] [type bridge|bond …]
 *   ip link del [dev] DEV
 *
 * As iproute2 does, names are resolved here against a link dump first, so an unknown
 * device is "Cannot find device" (exit 1) before the kernel is asked; `netns NAME`
 * opens /run/netns/NAME and hands the kernel the descriptor (IFLA_NET_NS_FD), a number
 * is a PID (IFLA_NET_NS_PID).
 *
 * Simplification: no group, alias, txqueuelen, arp/multicast/promisc toggles, VF or XDP
 * options; help texts are shortened to their first lines.
 */
import type { RtnlRequest } from '../../../kernel/net/rtnl-abi.js';
import { parseMac } from '../../../kernel/net/inet.js';
import { IFNAMSIZ } from '../../../kernel/net/netdev.js';
import { SysError } from '../../../kernel/errno.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import * as sys from '../../lib/sys.js';
import { fail, invarg, loadLinks, matches, NETNS_RUN_DIR, talk, type Gen, type GlobalOptions, type Links } from './common.js';
import { ipList } from './ip-list.js';

const LINK_USAGE = `Usage: ip link add [link DEV | parentdev NAME] [ name ] NAME
		    [ txqueuelen PACKETS ]
		    [ address LLADDR ]
		    [ broadcast LLADDR ]
		    [ mtu MTU ] [index IDX ]
		    [ numtxqueues QUEUE_COUNT ]
		    [ numrxqueues QUEUE_COUNT ]
		    [ netns { PID | NAME } ]
		    type TYPE [ ARGS ]

	ip link delete { DEVICE | dev DEVICE | group DEVGROUP } type TYPE [ ARGS ]

	ip link set { DEVICE | dev DEVICE | group DEVGROUP }
			[ { up | down } ]
			[ type TYPE ARGS ]
`;

const INCOMPLETE = 'Command line is not complete. Try option "help"\n';

/** What iplink_parse gathers from the words before `type`. */
interface LinkArgs {
  name?: string;
  dev?: string;
  up?: boolean;
  link?: string;
  address?: string;
  mtu?: number;
  netnsFd?: number;
  netnsPid?: number;
  master?: string | null;
  /** `vf NUM [mac LLADDR] [vlan VLANID]`: a virtual function of this PF. */
  vf?: { index: number; mac?: string; vlan?: number };
  type?: string;
  /** The words after `type KIND`. */
  typeArgs: string[];
}

/** check_ifname: 1-15 bytes, no '/', no white space. */
function validIfname(n: string): boolean {
  return n.length > 0 && n.length < IFNAMSIZ && !/[/\s]/.test(n);
}

/**
 * iplink_parse(); `links` resolves master names. Descriptors opened for `netns NAME`
 * are added to `fds`, to be closed once the request has been sent. Returns an exit
 * status on error.
 */
function* parseLinkArgs(args: string[], links: Links, fds: number[]): Gen<LinkArgs | number> {
  const r: LinkArgs = { typeArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === 'up') r.up = true;
    else if (a === 'down') r.up = false;
    else if (a === 'name') {
      const n = next();
      if (n === undefined) return yield* fail(INCOMPLETE, 255);
      if (r.name !== undefined) return yield* fail(`Error: duplicate "name": "${n}" is the second value.\n`, 255);
      if (!validIfname(n)) return yield* invarg('"name" not a valid ifname', n);
      r.name = n;
    } else if (matches(a, 'link')) {
      r.link = next();
      if (r.link === undefined) return yield* fail(INCOMPLETE, 255);
    } else if (matches(a, 'address')) {
      const m = next();
      if (m === undefined) return yield* fail(INCOMPLETE, 255);
      const mac = parseMac(m);
      if (mac === null) return yield* fail(`"${m}" is invalid lladdr.\n`, 1);
      r.address = mac;
    } else if (a === 'mtu') {
      const m = next();
      if (m === undefined) return yield* fail(INCOMPLETE, 255);
      if (!/^\d+$/.test(m)) return yield* invarg('Invalid "mtu" value\n', m);
      r.mtu = Number(m);
    } else if (a === 'netns') {
      const ns = next();
      if (ns === undefined) return yield* fail(INCOMPLETE, 255);
      const fd = yield* sys.open(ns.includes('/') ? ns : `${NETNS_RUN_DIR}/${ns}`, O_RDONLY);
      if (!(fd instanceof SysError)) {
        fds.push(fd);
        r.netnsFd = fd;
      } else if (/^\d+$/.test(ns)) r.netnsPid = Number(ns);
      else return yield* invarg('Invalid "netns" value\n', ns);
    } else if (matches(a, 'master')) {
      const m = next();
      if (m === undefined) return yield* fail(INCOMPLETE, 255);
      if (!links.named(m)) return yield* invarg('Device does not exist\n', m);
      r.master = m;
    } else if (matches(a, 'nomaster')) r.master = null;
    else if (a === 'vf') {
      // iplink_parse_vf: the VF's options follow its number.
      const n = next();
      if (n === undefined) return yield* fail(INCOMPLETE, 255);
      if (!/^\d+$/.test(n)) return yield* invarg('Invalid "vf" value\n', n);
      const vf: NonNullable<LinkArgs['vf']> = { index: Number(n) };
      while (i + 1 < args.length && ['mac', 'vlan', 'qos', 'rate', 'max_tx_rate', 'min_tx_rate', 'spoofchk', 'query_rss', 'state', 'trust', 'node_guid', 'port_guid'].includes(args[i + 1])) {
        const opt = next()!;
        const v = next();
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        if (opt === 'mac') {
          const mac = parseMac(v);
          if (mac === null) return yield* fail(`"${v}" is invalid lladdr.\n`, 1);
          vf.mac = mac;
        } else if (opt === 'vlan') {
          if (!/^\d+$/.test(v) || Number(v) > 4095) return yield* invarg('Invalid "vlan" value\n', v);
          vf.vlan = Number(v);
        } else return yield* fail(`vf: ctsim does not model "${opt}" (it has mac and vlan)\n`, 1);
      }
      r.vf = vf;
    } else if (matches(a, 'type')) {
      r.type = next();
      if (r.type === undefined) return yield* fail(INCOMPLETE, 255);
      r.typeArgs = args.slice(i + 1);
      break;
    } else {
      if (matches(a, 'help')) return yield* fail(LINK_USAGE, 255);
      let d = a;
      if (a === 'dev') {
        const n = next();
        if (n === undefined) return yield* fail(INCOMPLETE, 255);
        d = n;
      }
      if (r.dev !== undefined) return yield* fail(`Error: either "dev" is duplicate, or "${d}" is a garbage.\n`, 255);
      r.dev = d;
    }
  }
  return r;
}

/** The type's own words: veth's peer, bridge options, vlan's id. */
function* parseTypeArgs(kind: string, words: string[], links: Links, fds: number[], into: Record<string, unknown>): Gen<number | null> {
  if (words.length === 0) return null;
  if (kind === 'veth') {
    if (words[0] !== 'peer') return yield* fail('Usage: ip link <options> type veth [peer <options>]\nTo get <options> type \'ip link add help\'\n', 255);
    const p = yield* parseLinkArgs(words.slice(1), links, fds);
    if (typeof p === 'number') return p;
    if (p.type !== undefined) return yield* fail(`Error: duplicate "type": "${p.type}" is the second value.\n`, 255);
    into.peer = { name: p.name ?? p.dev, address: p.address, netnsFd: p.netnsFd, netnsPid: p.netnsPid };
    return null;
  }
  if (kind === 'bridge') {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const v = words[i + 1];
      if (w === 'vlan_filtering' || w === 'ageing_time') {
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        if (!/^\d+$/.test(v) || (w === 'vlan_filtering' && Number(v) > 255)) return yield* invarg(`invalid ${w}`, v);
        if (w === 'vlan_filtering') into.vlanFiltering = Number(v) !== 0;
        else into.ageingTime = Number(v);
        i++;
      } else if (w === 'help') return yield* fail('Usage: ... bridge [ ageing_time AGEING_TIME ] [ vlan_filtering VLAN_FILTERING ]\n', 255);
      else return yield* fail(`bridge: unknown command "${w}"?\n`, 1);
    }
    return null;
  }
  if (kind === 'vlan') {
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const v = words[i + 1];
      if (w === 'id') {
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        if (!/^\d+$/.test(v) || Number(v) > 0xffff) return yield* invarg('id is invalid', v);
        into.vlanId = Number(v);
        i++;
      } else if (w === 'protocol' || w === 'proto') {
        if (v !== '802.1q' && v !== '802.1Q') return yield* invarg('protocol is invalid', v ?? '');
        i++;
      } else return yield* fail(`vlan: unknown command "${w}"?\n`, 1);
    }
    return null;
  }
  if (kind === 'bond') return yield* parseBondArgs(words, into);
  if (matches(words[0], 'help')) return yield* fail(LINK_USAGE, 255);
  return yield* fail(`Garbage instead of arguments "${words[0]} ...". Try "ip link help".\n`, 1);
}

const BOND_MODE_NAMES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];
const BOND_HASH_NAMES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'];
/** iplink_bond.c's options that ctsim does not model: refused by name rather than ignored. */
const BOND_UNMODELLED = new Set(['active_slave', 'clear_active_slave', 'peer_notify_delay', 'use_carrier', 'arp_interval', 'arp_ip_target', 'arp_validate', 'arp_all_targets', 'arp_missed_max', 'primary', 'primary_reselect', 'fail_over_mac', 'resend_igmp', 'num_grat_arp', 'num_unsol_na', 'all_slaves_active', 'lp_interval', 'packets_per_slave', 'tlb_dynamic_lb', 'lacp_active', 'ad_user_port_key', 'ad_actor_sys_prio', 'ad_actor_system', 'coupled_control', 'ns_ip6_target']);

/** iplink_bond.c bond_parse_opt: names from its tables (or their numbers), numbers as get_u32 takes them. */
function* parseBondArgs(words: string[], into: Record<string, unknown>): Gen<number | null> {
  const bond: Record<string, string | number> = {};
  const table = (names: string[], v: string): string | null => (/^\d+$/.test(v) ? (names[Number(v)] ?? null) : names.includes(v) ? v : null);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const v = words[i + 1];
    if (w === 'help') return yield* fail('Usage: ... bond [ mode BONDMODE ] [ miimon MIIMON ] [ updelay UPDELAY ] [ downdelay DOWNDELAY ]\n                [ xmit_hash_policy HASH_POLICY ] [ lacp_rate LACP_RATE ] [ min_links MIN_LINKS ] [ ad_select AD_SELECT ]\n', 255);
    if (BOND_UNMODELLED.has(w)) return yield* fail(`bond: ctsim does not model "${w}" (the options it has: mode, miimon, updelay, downdelay, xmit_hash_policy, lacp_rate, min_links, ad_select)\n`, 1);
    if (!['mode', 'miimon', 'updelay', 'downdelay', 'xmit_hash_policy', 'lacp_rate', 'min_links', 'ad_select'].includes(w)) return yield* fail(`bond: unknown command "${w}"?\n`, 1);
    if (v === undefined) return yield* fail(INCOMPLETE, 255);
    i++;
    if (w === 'mode') {
      const m = table(BOND_MODE_NAMES, v);
      if (m === null) return yield* invarg('invalid mode', v);
      bond.mode = m;
    } else if (w === 'xmit_hash_policy') {
      const p = table(BOND_HASH_NAMES, v);
      if (p === null) return yield* invarg('invalid xmit_hash_policy', v);
      bond.xmitHashPolicy = p;
    } else if (w === 'lacp_rate') {
      const r = table(['slow', 'fast'], v);
      if (r === null) return yield* invarg('invalid lacp_rate', v);
      bond.lacpRate = r;
    } else if (w === 'ad_select') {
      const a = table(['stable', 'bandwidth', 'count'], v);
      if (a === null) return yield* invarg('invalid ad_select', v);
      bond.adSelect = a;
    } else {
      if (!/^\d+$/.test(v) || Number(v) > 0xffffffff) return yield* invarg(`invalid ${w}`, v);
      const key = { miimon: 'miimon', updelay: 'updelay', downdelay: 'downdelay', min_links: 'minLinks' }[w]!;
      bond[key] = Number(v);
    }
  }
  into.bond = bond;
  return null;
}

/** ip link add / set / delete: one request built from the arguments. */
function* modify(cmd: 'add' | 'set' | 'delete', args: string[]): Gen<number> {
  // Every device name the command looks up is one of its words.
  const links = yield* loadLinks(2, args);
  if (typeof links === 'number') return links;
  const fds: number[] = [];
  const status = yield* modifyWith(cmd, args, links, fds);
  for (const fd of fds) yield* sys.close(fd);
  return status;
}

function* modifyWith(cmd: 'add' | 'set' | 'delete', args: string[], links: Links, fds: number[]): Gen<number> {
  const p = yield* parseLinkArgs(args, links, fds);
  if (typeof p === 'number') return p;
  const name = p.name ?? p.dev;
  const dev = p.dev ?? p.name;
  let req: RtnlRequest;
  const extra: Record<string, unknown> = {};
  if (cmd === 'add') {
    if (p.type === undefined) return yield* fail('Not enough information: "type" argument is required\n', 1);
    if (p.name !== undefined && p.dev !== undefined && p.name !== p.dev) return yield* fail('both "name" and "dev" cannot be used when creating devices.\n', 255);
    if (p.link !== undefined && !links.named(p.link)) return yield* fail(`Cannot find device "${p.link}"\n`, 1);
    const t = yield* parseTypeArgs(p.type, p.typeArgs, links, fds, extra);
    if (t !== null) return t;
    req = { op: 'newlink', name: name ?? '', kind: p.type, address: p.address, mtu: p.mtu, link: p.link, netnsFd: p.netnsFd, netnsPid: p.netnsPid, ...extra };
  } else {
    if (dev === undefined) return yield* fail('Not enough information: "dev" argument is required.\n', 255);
    if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
    if (p.type !== undefined) {
      const t = yield* parseTypeArgs(p.type, p.typeArgs, links, fds, extra);
      if (t !== null) return t;
    }
    if (cmd === 'delete') req = { op: 'dellink', dev };
    else {
      const rename = p.name !== undefined && p.dev !== undefined && p.name !== p.dev ? p.name : undefined;
      req = { op: 'setlink', dev, up: p.up, master: p.master, vf: p.vf, netnsFd: p.netnsFd, netnsPid: p.netnsPid, name: rename, address: p.address, mtu: p.mtu, ...extra };
    }
  }
  const r = yield* talk(req);
  return typeof r === 'number' ? r : 0;
}

export function* ipLink(args: string[], o: GlobalOptions): Gen<number> {
  const c = args[0];
  if (c === undefined) return yield* ipList([], o, true, LINK_USAGE);
  if (matches(c, 'add')) return yield* modify('add', args.slice(1));
  if (matches(c, 'set') || matches(c, 'change')) return yield* modify('set', args.slice(1));
  if (matches(c, 'delete')) return yield* modify('delete', args.slice(1));
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return yield* ipList(args.slice(1), o, true, LINK_USAGE);
  if (matches(c, 'help')) return yield* fail(LINK_USAGE, 255);
  return yield* fail(`Command "${c}" is unknown, try "ip link help".\n`, 255);
}
