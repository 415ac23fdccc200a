/**
 * The netfilter interface ctsim's iptables and conntrack speak: a request over a
 * socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER), answered like rtnetlink (see
 * rtnl-abi.ts).
 *
 * Simplification: rules travel as objects (real iptables replaces whole tables
 * with setsockopt or nftables batches); only the nat table holds rules, the filter
 * table's chains exist with policy ACCEPT so that listings look as on a fresh host.
 *
 * This file is part of the kernel ABI: userland imports its types.
 */

export const NETLINK_NETFILTER = 12;

export type NfTable = 'nat' | 'filter';
export type NfTarget = 'MASQUERADE' | 'SNAT' | 'DNAT' | 'ACCEPT' | 'RETURN';

/** An address match: `[!] ADDR[/LEN]`. */
export interface NfAddrMatch {
  addr: string;
  len: number;
  neg: boolean;
}

/** An interface match: `[!] NAME` (a trailing + matches a prefix). */
export interface NfIfMatch {
  name: string;
  neg: boolean;
}

/** A NAT range: first[-last] address and an optional port[-port]. */
export interface NfRange {
  addr: string;
  addrTo?: string;
  port?: number;
  portTo?: number;
}

export interface NfRule {
  src?: NfAddrMatch;
  dst?: NfAddrMatch;
  /** 0 (all), 1 icmp, 6 tcp, 17 udp. */
  proto: number;
  protoNeg?: boolean;
  sport?: number;
  dport?: number;
  inIf?: NfIfMatch;
  outIf?: NfIfMatch;
  target: NfTarget;
  /** SNAT --to-source, DNAT --to-destination, MASQUERADE --to-ports (port only). */
  to?: NfRange;
  /** Counters (ignored in requests). */
  pkts?: number;
  bytes?: number;
}

export interface NfChainInfo {
  name: string;
  policy: 'ACCEPT' | 'DROP';
  pkts: number;
  bytes: number;
  rules: NfRule[];
}

/** A tracked connection, as conntrack -L prints it. */
export interface ConnInfo {
  protoName: 'icmp' | 'tcp' | 'udp';
  proto: number;
  /** Seconds until it expires. */
  timeout: number;
  /** TCP's conntrack state (ESTABLISHED, TIME_WAIT, …). */
  state?: string;
  orig: { src: string; dst: string; sport: number; dport: number; type?: number; code?: number; id?: number };
  reply: { src: string; dst: string; sport: number; dport: number; type?: number; code?: number; id?: number };
  unreplied: boolean;
  assured: boolean;
}

export type NfRequest =
  | { op: 'list'; table: NfTable; chain?: string }
  | { op: 'append' | 'check'; table: NfTable; chain: string; rule: NfRule }
  | { op: 'insert'; table: NfTable; chain: string; rule: NfRule; pos: number }
  | { op: 'delete'; table: NfTable; chain: string; rule: NfRule }
  | { op: 'delete-num'; table: NfTable; chain: string; num: number }
  | { op: 'flush' | 'zero'; table: NfTable; chain?: string }
  | { op: 'policy'; table: NfTable; chain: string; policy: 'ACCEPT' | 'DROP' }
  | { op: 'ct-list' }
  | { op: 'ct-flush' };

export type NfReply = { ok: true; chains?: NfChainInfo[]; conns?: ConnInfo[]; count?: number } | { ok: false; errno: string; msg?: string };

/** One entry as conntrack -L prints it. */
export function formatConn(c: ConnInfo): string {
  const side = (s: ConnInfo['orig']): string =>
    c.protoName === 'icmp' ? `src=${s.src} dst=${s.dst} type=${s.type} code=${s.code} id=${s.id}` : `src=${s.src} dst=${s.dst} sport=${s.sport} dport=${s.dport}`;
  let out = `${c.protoName.padEnd(8)} ${c.proto} ${c.timeout} `;
  if (c.state) out += `${c.state} `;
  out += side(c.orig);
  if (c.unreplied) out += ' [UNREPLIED]';
  out += ` ${side(c.reply)}`;
  if (c.assured) out += ' [ASSURED]';
  return `${out} mark=0 use=1`;
}
