/**
 * rtnetlink as ctsim's programs speak it (rtnetlink(7)): `ip` and `bridge` open a
 * socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE), send one request with sendto(2) and
 * read the answer with recvfrom(2). A request names the operation as rtnetlink
 * does (RTM_NEWLINK, RTM_GETADDR, …); the answer is either a list of objects
 * (a dump or a single get) or an error carrying the errno and, where Linux sends
 * one, the extended-ack message iproute2 prints as "Error: MSG.".
 *
 * Simplification: messages are objects rather than nlmsghdr + rtattr bytes; one
 * request gets one answer (no multipart dumps, no multicast groups, no `ip monitor`).
 *
 * This file is part of the kernel ABI: userland imports its types.
 */

export const NETLINK_ROUTE = 0;

/** A link as RTM_GETLINK reports it (struct ifinfomsg + the IFLA_* attributes iproute2 prints). */
export interface LinkInfo {
  ifindex: number;
  name: string;
  /** IFF_* flags (netdev.ts). */
  flags: number;
  mtu: number;
  qdisc: string;
  operstate: 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN';
  /** 'loopback' or 'ether' (link/TYPE). */
  linkType: 'loopback' | 'ether';
  address: string;
  broadcast: string;
  txqlen: number;
  /** IFLA_INFO_KIND: veth, bridge, bond, vlan; absent for lo and physical NICs. */
  kind?: 'veth' | 'bridge' | 'bond' | 'vlan';
  /** IFLA_LINK: the peer (veth) or lower device (vlan) ifindex. */
  link?: number;
  /** IFLA_LINK_NETNSID: set when the IFLA_LINK device is in another namespace. */
  linkNetnsid?: number;
  /** IFLA_MASTER. */
  master?: number;
  /** For `bridge link`: the port's STP state. */
  portState?: 'forwarding' | 'disabled';
  vlanId?: number;
  bridge?: { vlanFiltering: boolean; ageingTime: number };
  /** IFLA_BOND_*: a bond's options and, in 802.3ad mode, its active aggregator. */
  bond?: BondInfo;
  /** IFLA_BOND_SLAVE_*: a bond slave's state. */
  bondSlave?: BondSlaveInfo;
  /** IFLA_VFINFO_LIST: a PF's virtual functions. */
  vfs?: { index: number; mac: string; vlan: number }[];
  stats: {
    rx_bytes: number;
    rx_packets: number;
    rx_errors: number;
    rx_dropped: number;
    multicast: number;
    tx_bytes: number;
    tx_packets: number;
    tx_errors: number;
    tx_dropped: number;
  };
}

export interface BondInfo {
  mode: string;
  miimon: number;
  /** In ms. */
  updelay: number;
  downdelay: number;
  xmitHashPolicy: string;
  minLinks: number;
  lacpRate: 'slow' | 'fast';
  /** The active aggregator (802.3ad). */
  ad?: { aggregator: number; numPorts: number; actorKey: number; partnerKey: number; partnerMac: string };
}

export interface BondSlaveInfo {
  state: 'ACTIVE' | 'BACKUP';
  miiStatus: 'UP' | 'DOWN' | 'GOING_DOWN' | 'GOING_BACK';
  linkFailureCount: number;
  permHwaddr: string;
  aggregatorId?: number;
  actorState?: number;
  partnerState?: number;
}

/** Bond options of `ip link add|set … type bond …` (IFLA_BOND_*), as typed: the kernel parses the names. */
export interface BondOptions {
  mode?: string;
  xmitHashPolicy?: string;
  miimon?: number;
  updelay?: number;
  downdelay?: number;
  lacpRate?: string;
  minLinks?: number;
  adSelect?: string;
}

export interface AddrInfo {
  ifindex: number;
  family: 'inet' | 'inet6';
  /** Dotted quad or IPv6 text. */
  local: string;
  prefixlen: number;
  broadcast?: string;
  scope: 'host' | 'link' | 'global';
  label?: string;
  /** IPv6 duplicate address detection not finished yet. */
  tentative?: boolean;
  /** IFA_F_SECONDARY. */
  secondary?: boolean;
}

export interface RouteInfo {
  table: number;
  type: 'unicast' | 'local' | 'broadcast' | 'unreachable' | 'blackhole' | 'prohibit';
  /** Dotted quad of the destination network; 'default' is 0.0.0.0/0. */
  dst: string;
  len: number;
  gateway?: string;
  dev?: string;
  proto: 'kernel' | 'boot' | 'static';
  scope: 'host' | 'link' | 'global';
  prefsrc?: string;
  metric: number;
  /** The device has no carrier (RTNH_F_LINKDOWN). */
  linkdown: boolean;
}

export interface NeighInfo {
  ifindex: number;
  dst: string;
  lladdr?: string;
  state: string;
  router?: boolean;
}

export interface FdbInfo {
  mac: string;
  ifindex: number;
  master?: number;
  vlan?: number;
  /** 'permanent' for local and self entries, 'static' for `bridge fdb add … static`, '' for learnt. */
  state: 'permanent' | 'static' | '';
  self: boolean;
  /** Seconds since last seen, for `bridge -s fdb`. */
  used?: number;
}

export interface VlanInfo {
  ifindex: number;
  vlans: { vid: number; pvid: boolean; untagged: boolean }[];
}

/** Requests. Devices are named as the user typed them; the kernel resolves them in the socket's namespace. */
export type RtnlRequest =
  | {
      op: 'getlink';
      dev?: string;
      kind?: string;
      master?: string;
      /**
       * Only the links with these names and the links they point to in this namespace
       * (master, link): what a command needs to resolve the names on its command line.
       * Simplification: iproute2 6.1 asks for each name on its own (ll_name_to_index →
       * RTM_GETLINK with IFLA_IFNAME); ctsim asks once, in the one request its ip
       * always made (a dump), so the cost stays one round trip while a host with
       * thousands of veths is not listed whole for each command.
       */
      names?: string[];
    }
  | {
      op: 'newlink';
      name: string;
      kind: string;
      address?: string;
      mtu?: number;
      /** veth: the other end. */
      peer?: { name?: string; address?: string; netnsFd?: number; netnsPid?: number };
      /** vlan: the lower device and the VLAN ID. */
      link?: string;
      vlanId?: number;
      /** bridge options. */
      vlanFiltering?: boolean;
      ageingTime?: number;
      bond?: BondOptions;
      netnsFd?: number;
      netnsPid?: number;
    }
  | {
      op: 'setlink';
      dev: string;
      up?: boolean;
      /** A bridge or bond to enslave to, or null for `nomaster`. */
      master?: string | null;
      bond?: BondOptions;
      /** IFLA_VF_MAC / IFLA_VF_VLAN for virtual function `index` of this PF. */
      vf?: { index: number; mac?: string; vlan?: number };
      netnsFd?: number;
      netnsPid?: number;
      name?: string;
      address?: string;
      mtu?: number;
      vlanFiltering?: boolean;
      ageingTime?: number;
    }
  | { op: 'dellink'; dev: string }
  | { op: 'getaddr'; dev?: string }
  | { op: 'newaddr' | 'deladdr'; dev: string; local: string; prefixlen: number; broadcast?: string; scope?: 'host' | 'link' | 'global'; label?: string }
  | { op: 'flushaddr'; dev: string }
  | { op: 'getroute'; table?: number | 'all' }
  | { op: 'getroute1'; dst: string; from?: string; oif?: string }
  | {
      op: 'newroute' | 'delroute';
      dst: string;
      len: number;
      gateway?: string;
      dev?: string;
      table?: number;
      metric?: number;
      type?: RouteInfo['type'];
      src?: string;
      scope?: RouteInfo['scope'];
      proto?: RouteInfo['proto'];
      /** NLM_F_REPLACE (ip route replace) / NLM_F_EXCL (ip route add). */
      mode?: 'add' | 'replace' | 'change' | 'append';
    }
  | { op: 'getneigh'; dev?: string }
  | { op: 'newneigh' | 'delneigh'; dst: string; dev: string; lladdr?: string; state?: string; mode?: 'add' | 'replace' | 'change' }
  | { op: 'flushneigh'; dev?: string }
  | { op: 'getnsid'; netnsFd: number }
  | { op: 'setnsid'; netnsFd: number; nsid: number }
  | { op: 'getfdb'; br?: string; dev?: string }
  | { op: 'newfdb' | 'delfdb'; mac: string; dev: string; vlan?: number; static?: boolean; self?: boolean; master?: boolean }
  | { op: 'getvlan'; dev?: string }
  | { op: 'newvlan' | 'delvlan'; dev: string; vid: number; pvid?: boolean; untagged?: boolean; self?: boolean };

/** An answer: the objects asked for, or an error. */
export type RtnlReply =
  | { ok: true; links?: LinkInfo[]; addrs?: AddrInfo[]; routes?: RouteInfo[]; neigh?: NeighInfo[]; fdb?: FdbInfo[]; vlans?: VlanInfo[]; nsid?: number; route?: RouteInfo & { src?: string } }
  | { ok: false; errno: string; extack?: string };
