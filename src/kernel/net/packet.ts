/**
 * What travels: Ethernet frames carrying ARP, IPv4 or LACP, and IPv4 carrying ICMP,
 * UDP or TCP. Headers are fields, not bytes; the sizes are the real ones so counters
 * and link costs see what Linux would (an echo request of 56 data bytes is an 84-byte
 * IP packet in a 98-byte frame).
 *
 * Simplification: no IP options, fragments or checksums; payloads are text.
 */
import { formatIpv4, type Ipv4, type Mac } from './inet.js';

export const ETH_HLEN = 14;
export const VLAN_HLEN = 4;
export const IP_HLEN = 20;
export const ICMP_HLEN = 8;
export const UDP_HLEN = 8;
export const TCP_HLEN = 20;
export const ARP_LEN = 28;

export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
/** Codes of ICMP_DEST_UNREACH. */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PORT_UNREACH = 3;
/** Communication administratively prohibited (a prohibit route). */
export const ICMP_PKT_FILTERED = 13;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

export interface ArpPacket {
  /** 1 request, 2 reply. */
  op: 1 | 2;
  sha: Mac;
  spa: Ipv4;
  tha: Mac;
  tpa: Ipv4;
}

export interface IcmpMessage {
  type: number;
  code: number;
  /** Echo identifier and sequence number (0 for errors). */
  id: number;
  seq: number;
  /** Bytes after the 8-byte header (the echo data, or the quoted packet of an error). */
  dataLen: number;
  /** For echo: the sender's timestamp and pattern, echoed back. For errors: the offending packet. */
  data?: string;
  quoted?: IpPacket;
}

export interface UdpDatagram {
  sport: number;
  dport: number;
  data: string;
}

export interface TcpSegment {
  sport: number;
  dport: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  data: string;
}

export interface IpPacket {
  src: Ipv4;
  dst: Ipv4;
  ttl: number;
  proto: number;
  id: number;
  icmp?: IcmpMessage;
  udp?: UdpDatagram;
  tcp?: TcpSegment;
}

/** One side's information in an LACPDU (IEEE 802.1AX: actor or partner). */
export interface LacpInfo {
  systemPriority: number;
  system: Mac;
  key: number;
  portPriority: number;
  port: number;
  /** The AD_STATE_* bits (bond-3ad.ts). */
  state: number;
}

/** A Link Aggregation Control PDU (slow protocols, EtherType 0x8809, subtype 1). */
export interface Lacpdu {
  actor: LacpInfo;
  partner: LacpInfo;
}

/** The slow-protocols payload of an LACPDU: 110 bytes (IEEE 802.1AX, struct lacpdu). */
export const LACPDU_LEN = 110;

export interface Frame {
  src: Mac;
  dst: Mac;
  /** An 802.1Q tag's VLAN ID, when the frame carries one. */
  vlan?: number;
  arp?: ArpPacket;
  ip?: IpPacket;
  lacp?: Lacpdu;
}

/** The IP packet's total length in bytes. */
export function ipLength(p: IpPacket): number {
  if (p.icmp) return IP_HLEN + ICMP_HLEN + p.icmp.dataLen;
  if (p.udp) return IP_HLEN + UDP_HLEN + p.udp.data.length;
  if (p.tcp) return IP_HLEN + TCP_HLEN + p.tcp.data.length;
  return IP_HLEN;
}

/** The frame's length as the driver counts it (no preamble, no FCS, no padding). */
export function frameLength(f: Frame): number {
  return ETH_HLEN + (f.vlan !== undefined ? VLAN_HLEN : 0) + (f.arp ? ARP_LEN : f.ip ? ipLength(f.ip) : f.lacp ? LACPDU_LEN : 0);
}

/** A copy of an IP packet, as NAT rewrites a packet in flight (the protocol header too). */
export function clonePacket(p: IpPacket): IpPacket {
  return {
    ...p,
    icmp: p.icmp && { ...p.icmp },
    udp: p.udp && { ...p.udp },
    tcp: p.tcp && { ...p.tcp },
  };
}

/** A packet's addresses, ports and protocol, as explain and net records give them. */
export function packetFacts(pkt: IpPacket): Record<string, string | number> {
  const ports = pkt.tcp ?? pkt.udp;
  const proto = pkt.proto === IPPROTO_TCP ? 'TCP' : pkt.proto === IPPROTO_UDP ? 'UDP' : pkt.proto === IPPROTO_ICMP ? 'ICMP' : `protocol ${pkt.proto}`;
  return { src: formatIpv4(pkt.src), dst: formatIpv4(pkt.dst), proto, ...(ports ? { sport: ports.sport, dport: ports.dport } : {}) };
}
