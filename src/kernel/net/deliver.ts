/**
 * Local delivery of IPv4 packets to sockets (ip_local_deliver's protocol step).
 * A raw socket sees a copy of every packet of its protocol delivered to the
 * namespace (ping reads echo replies and ICMP errors this way); a UDP socket gets
 * the datagrams for its address and port, and a connected one learns of an ICMP
 * error about a datagram it sent (ECONNREFUSED for port unreachable); TCP
 * segments go to tcp.ts, and ICMP errors about them too.
 */
import type { NetNamespace } from '../ns/net-ns.js';
import type { NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import { AF_INET, type SockAddrIn } from './sockets.js';
import { INADDR_ANY } from './inet.js';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_HOST_UNREACH, ICMP_NET_UNREACH, ICMP_PORT_UNREACH, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, type IpPacket } from './packet.js';
import { tcpIcmpError, tcpInput } from './tcp.js';

const ICMP_ERRNO: Record<number, string> = {
  [ICMP_NET_UNREACH]: 'ENETUNREACH',
  [ICMP_HOST_UNREACH]: 'EHOSTUNREACH',
  [ICMP_PORT_UNREACH]: 'ECONNREFUSED',
};

/**
 * Local delivery to sockets. Raw sockets get copies; UDP consumes its datagrams.
 * Returns true when the packet was consumed (no further kernel handling).
 */
export function socketDeliver(stack: NetStack, ns: NetNamespace, pkt: IpPacket, _dev: NetDevice, at: number): boolean {
  const tables = ns.sockets;
  for (const s of tables.raw) {
    if (s.proto !== pkt.proto) continue;
    if (s.localAddr !== INADDR_ANY && s.localAddr !== pkt.dst) continue;
    if (s.enqueue({ data: '', from: { family: AF_INET, addr: pkt.src, port: 0 }, packet: pkt })) stack.k.wakeAll(s.wait);
  }
  // Ping sockets get the echo replies carrying their identifier, and errors about their requests.
  if (pkt.proto === IPPROTO_ICMP && pkt.icmp) {
    const icmp = pkt.icmp;
    const id = icmp.type === ICMP_ECHOREPLY ? icmp.id : icmp.quoted?.icmp?.type === ICMP_ECHO ? icmp.quoted.icmp.id : -1;
    const s = id >= 0 ? tables.ping.find((x) => x.localPort === id) : undefined;
    if (s) {
      if (s.enqueue({ data: '', from: { family: AF_INET, addr: pkt.src, port: 0 }, packet: pkt })) stack.k.wakeAll(s.wait);
      if (icmp.type === ICMP_ECHOREPLY) return true;
    }
  }
  if (pkt.proto === IPPROTO_UDP && pkt.udp) {
    const from: SockAddrIn = { family: AF_INET, addr: pkt.src, port: pkt.udp.sport };
    const s = tables.udpLookup(pkt.dst, pkt.udp.dport, from);
    if (!s) return false;
    if (s.enqueue({ data: pkt.udp.data, from })) {
      stack.k.wakeAll(s.wait);
      s.onReadable?.();
    }
    return true;
  }
  if (pkt.proto === IPPROTO_TCP && pkt.tcp) {
    tcpInput(stack, ns, pkt, at);
    return true;
  }
  const quoted = pkt.icmp?.type === ICMP_DEST_UNREACH ? pkt.icmp.quoted : undefined;
  if (quoted?.tcp && ICMP_ERRNO[pkt.icmp!.code]) tcpIcmpError(stack, ns, quoted, ICMP_ERRNO[pkt.icmp!.code]);
  if (pkt.proto === IPPROTO_ICMP && pkt.icmp?.type === ICMP_DEST_UNREACH && pkt.icmp.quoted?.udp) {
    // __udp4_lib_err: a connected UDP socket learns of the failure.
    const q = pkt.icmp.quoted;
    const s = tables.udpLookup(q.src, q.udp!.sport, { family: AF_INET, addr: q.dst, port: q.udp!.dport });
    const e = ICMP_ERRNO[pkt.icmp.code];
    if (s && s.remote && e) {
      s.softErr = e;
      stack.k.wakeAll(s.wait);
    }
  }
  return false;
}
