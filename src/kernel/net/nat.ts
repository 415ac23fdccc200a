/**
 * Netfilter's hooks on the IPv4 path (PREROUTING, INPUT, OUTPUT, POSTROUTING) where
 * connection tracking and the nat table act. Each hook returns the packet to go on
 * with (possibly rewritten) or null when it was dropped.
 *
 * Simplification (for now): the hooks pass every packet unchanged; the nat table,
 * conntrack and `iptables -t nat` are not built yet (`ctsim features` says so).
 */
import type { NetNamespace } from '../ns/net-ns.js';
import type { NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import type { IpPacket } from './packet.js';

export function natPrerouting(_stack: NetStack, _ns: NetNamespace, pkt: IpPacket, _in: NetDevice, _at: number): IpPacket | null {
  return pkt;
}

export function natInput(_stack: NetStack, _ns: NetNamespace, pkt: IpPacket, _at: number): IpPacket | null {
  return pkt;
}

export function natOutput(_stack: NetStack, _ns: NetNamespace, pkt: IpPacket, _at: number): IpPacket | null {
  return pkt;
}

export function natPostrouting(_stack: NetStack, _ns: NetNamespace, pkt: IpPacket, _out: NetDevice, _at: number): IpPacket | null {
  return pkt;
}
