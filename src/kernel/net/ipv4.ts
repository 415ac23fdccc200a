/**
 * IPv4 for one network namespace: ARP (arp.c and neighbour.c's state machine),
 * input (local delivery or forwarding, ip_rcv / ip_forward), output (route, source
 * address, neighbour, ip_output) and ICMP (echo replies and the errors the stack
 * itself sends: host unreachable when ARP fails, net unreachable and TTL exceeded
 * when forwarding, port unreachable for a UDP port nobody listens on).
 *
 * Netfilter's hooks sit where Linux has them: PREROUTING before the routing
 * decision, OUTPUT for locally made packets, POSTROUTING just before a packet
 * leaves (nat.ts).
 *
 * Simplification: no IP options, fragmentation or PMTU discovery; no ICMP rate
 * limiting; no redirects; a packet to any local address is accepted on any device
 * (the weak host model Linux uses with rp_filter off).
 */
import type { NetNamespace } from '../ns/net-ns.js';
import { LoopbackDevice, type NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import { broadcastOf, formatIpv4, inPrefix, isMulticast, MAC_BROADCAST, MAC_ZERO, type Ipv4 } from './inet.js';
import {
  ICMP_DEST_UNREACH,
  ICMP_ECHO,
  ICMP_ECHOREPLY,
  ICMP_HLEN,
  ICMP_HOST_UNREACH,
  ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED,
  ICMP_PORT_UNREACH,
  ICMP_TIME_EXCEEDED,
  IP_HLEN,
  IPPROTO_ICMP,
  IPPROTO_UDP,
  clonePacket,
  packetFacts,
  type ArpPacket,
  type Frame,
  type IpPacket,
} from './packet.js';
import { DELAY_FIRST_PROBE_MS, MCAST_SOLICIT, RETRANS_TIME_MS, UCAST_SOLICIT, UNRES_QLEN, type Neighbour } from './neigh.js';
import type { Route } from './route.js';
import { filterHook, natOutput, natPostrouting, natPrerouting, natInput } from './nat.js';
import { socketDeliver } from './deliver.js';

const MS = 1_000_000;
export const DEFAULT_TTL = 64;

/** Frames arriving for this host's IP layer: ARP or IPv4. */
export function ipv4Input(stack: NetStack, dev: NetDevice, frame: Frame, at: number): void {
  if (frame.arp) arpInput(stack, dev, frame.arp, frame.dst === dev.mac, at);
  else if (frame.ip) ipRcv(stack, dev, frame.ip, at);
}

/** Is `a` one of the namespace's own addresses (any device, weak host model)? */
export function isLocalAddr(ns: NetNamespace, a: Ipv4): boolean {
  for (const d of ns.devices.values()) for (const x of d.addrs) if (x.local === a) return true;
  return false;
}

// ---- ARP ---------------------------------------------------------------------

function arpInput(stack: NetStack, dev: NetDevice, arp: ArpPacket, toUs: boolean, at: number): void {
  const ns = dev.netns;
  if (dev instanceof LoopbackDevice) return;
  const done = at + stack.costs.netRx;
  if (arp.op === 1) {
    // arp_ignore=0: answer for any local address.
    if (!isLocalAddr(ns, arp.tpa)) return;
    // The asker is learnt STALE (neigh_event_ns): it will be verified when used.
    let n = ns.neigh.get(dev, arp.spa);
    if (!n) {
      n = ns.neigh.create(dev, arp.spa, at);
      n.mac = arp.sha;
      n.state = 'STALE';
      n.updated = at;
    } else if (!n.permanent && (n.mac !== arp.sha || n.state === 'INCOMPLETE' || n.state === 'FAILED')) {
      n.mac = arp.sha;
      n.state = 'STALE';
      n.updated = at;
      n.timer?.cancel();
      n.timer = null;
    }
    const reply: Frame = { src: dev.mac, dst: arp.sha, arp: { op: 2, sha: dev.mac, spa: arp.tpa, tha: arp.sha, tpa: arp.spa } };
    stack.xmit(dev, reply, done + stack.costs.netTx);
    flushNeighQueue(stack, n, done);
    return;
  }
  const n = ns.neigh.get(dev, arp.spa);
  if (!n || n.permanent) return; // arp_accept=0: unsolicited replies make no entry.
  n.mac = arp.sha;
  // A reply sent to our address confirms the neighbour; a broadcast one only makes it STALE (arp_process).
  n.state = toUs ? 'REACHABLE' : 'STALE';
  if (toUs) n.confirmed = at;
  n.updated = at;
  n.probes = 0;
  n.timer?.cancel();
  n.timer = null;
  stack.trace('arp-resolved', { dev: dev.name, ip: formatIpv4(arp.spa), mac: arp.sha });
  flushNeighQueue(stack, n, done);
}

/** Sends what waited for the address. */
export function flushNeighQueue(stack: NetStack, n: Neighbour, at: number): void {
  const q = n.queue.splice(0);
  for (const p of q) neighOutput(stack, n.dev, n.ip, p, at);
}

function arpRequest(stack: NetStack, dev: NetDevice, target: Ipv4, unicast: string | null, at: number): void {
  const src = primaryAddr(dev, target) ?? 0;
  stack.xmit(dev, { src: dev.mac, dst: unicast ?? MAC_BROADCAST, arp: { op: 1, sha: dev.mac, spa: src, tha: MAC_ZERO, tpa: target } }, at);
}

/** neigh_resolve_output: sends `pkt` to `nexthop` on `dev`, resolving its MAC first if needed. */
export function neighOutput(stack: NetStack, dev: NetDevice, nexthop: Ipv4, pkt: IpPacket, at: number): void {
  if (dev instanceof LoopbackDevice) {
    stack.xmit(dev, { src: MAC_ZERO, dst: MAC_ZERO, ip: pkt }, at);
    return;
  }
  if (nexthop === 0xffffffff || dev.addrs.some((a) => a.broadcast === nexthop || (a.prefixlen < 31 && broadcastOf(a.local, a.prefixlen) === nexthop))) {
    stack.xmit(dev, { src: dev.mac, dst: MAC_BROADCAST, ip: pkt }, at);
    return;
  }
  const ns = dev.netns;
  let n = ns.neigh.get(dev, nexthop);
  if (!n || n.state === 'FAILED') {
    n ??= ns.neigh.create(dev, nexthop, at);
    n.state = 'INCOMPLETE';
    n.mac = null;
    n.probes = 1;
    n.updated = at;
    n.queue = [pkt];
    arpRequest(stack, dev, nexthop, null, at);
    armResolve(stack, n, at);
    return;
  }
  if (n.state === 'INCOMPLETE') {
    n.queue.push(pkt);
    if (n.queue.length > UNRES_QLEN) n.queue.shift();
    return;
  }
  if (ns.neigh.stateAt(n, at) === 'STALE' && !n.permanent) {
    // Used while stale: wait delay_first_probe_time for a confirmation, then probe.
    n.state = 'DELAY';
    n.updated = at;
    n.timer?.cancel();
    const entry = n;
    n.timer = stack.later(at + DELAY_FIRST_PROBE_MS * MS, () => delayExpired(stack, entry));
  }
  if (!n.mac) {
    n.queue.push(pkt);
    return;
  }
  stack.xmit(dev, { src: dev.mac, dst: n.mac, ip: pkt }, at);
}

function armResolve(stack: NetStack, n: Neighbour, at: number): void {
  n.timer?.cancel();
  n.timer = stack.later(at + RETRANS_TIME_MS * MS, () => resolveTimer(stack, n));
}

/** INCOMPLETE or PROBE with no answer for retrans_time: ask again, or give up (FAILED). */
function resolveTimer(stack: NetStack, n: Neighbour): void {
  n.timer = null;
  const now = stack.k.now;
  // The entry may have been answered or replaced (ip neigh replace) meanwhile.
  if ((n.state !== 'INCOMPLETE' && n.state !== 'PROBE') || !n.dev.registered) return;
  const limit = n.state === 'PROBE' ? UCAST_SOLICIT : MCAST_SOLICIT;
  if (n.probes < limit) {
    n.probes++;
    arpRequest(stack, n.dev, n.ip, n.state === 'PROBE' ? n.mac : null, now);
    armResolve(stack, n, now);
    return;
  }
  n.state = 'FAILED';
  n.updated = now;
  stack.trace('arp-failed', { dev: n.dev.name, ip: formatIpv4(n.ip), why: `no ARP reply after ${MCAST_SOLICIT} requests` });
  // neigh_invalidate: every queued packet's sender learns the host is unreachable.
  for (const p of n.queue.splice(0)) {
    stack.explainPacket('drop', n.dev.netns, p, `the next hop ${formatIpv4(n.ip)} on ${n.dev.name} did not answer ${limit} ARP requests (no such host on the link, or it is down); an ICMP host unreachable goes back to the sender`, { dev: n.dev.name });
    icmpSend(stack, n.dev.netns, p, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, now, n.dev);
  }
}

function delayExpired(stack: NetStack, n: Neighbour): void {
  n.timer = null;
  const now = stack.k.now;
  if (n.state !== 'DELAY') return;
  if (n.confirmed >= n.updated) {
    n.state = 'REACHABLE';
    return;
  }
  n.state = 'PROBE';
  n.updated = now;
  n.probes = 1;
  arpRequest(stack, n.dev, n.ip, n.mac, now);
  armResolve(stack, n, now);
}

/** Upper layers saying the neighbour answered (dst_confirm: a TCP ACK). */
export function neighConfirm(ns: NetNamespace, dev: NetDevice, nexthop: Ipv4, at: number): void {
  const n = ns.neigh.get(dev, nexthop);
  if (n && n.mac && !n.permanent) n.confirmed = at;
}

// ---- IP input ----------------------------------------------------------------

function ipRcv(stack: NetStack, dev: NetDevice, pkt: IpPacket, at: number): void {
  const ns = dev.netns;
  const p = natPrerouting(stack, ns, pkt, dev, at);
  if (!p) return;
  if (p !== pkt) at += stack.costs.natPacket;
  const r = ns.fib.lookup(p.dst);
  if (r && (r.type === 'local' || r.type === 'broadcast')) {
    // The receive path takes netRx before a socket (or the ICMP responder) sees the packet.
    const done = at + stack.costs.netRx;
    stack.later(done, () => ipLocalDeliver(stack, ns, p, dev, done));
    return;
  }
  if (!ns.ipForward) {
    stack.explainPacket('drop', ns, p, `${formatIpv4(p.dst)} is not an address of this network namespace and net.ipv4.ip_forward=0, so it does not route packets on`, { dev: dev.name });
    return;
  }
  ipForward(stack, ns, p, dev, r, at + stack.costs.netRx);
}

function ipForward(stack: NetStack, ns: NetNamespace, pkt: IpPacket, inDev: NetDevice, r: Route | null, at: number): void {
  // Routing comes first (ip_route_input, then ip_error for a route that is not a
  // way out); only a packet with somewhere to go has its TTL checked (ip_forward).
  if (!r || r.type !== 'unicast' || !r.dev) {
    const answer = r?.type === 'blackhole' ? 'nothing is sent back' : `an ICMP ${r?.type === 'unreachable' ? 'host unreachable' : r?.type === 'prohibit' ? 'administratively prohibited' : 'network unreachable'} goes back to the sender`;
    stack.explainPacket('drop', ns, pkt, `${routeFailure(r ? (r.type === 'unreachable' ? 'EHOSTUNREACH' : r.type === 'prohibit' ? 'EACCES' : r.type === 'blackhole' ? 'EINVAL' : 'ENETUNREACH') : 'ENETUNREACH', pkt.dst)} while forwarding; ${answer}`, { dev: inDev.name });
    if (r?.type === 'blackhole') return;
    const code = r?.type === 'unreachable' ? ICMP_HOST_UNREACH : r?.type === 'prohibit' ? ICMP_PKT_FILTERED : ICMP_NET_UNREACH;
    icmpSend(stack, ns, pkt, ICMP_DEST_UNREACH, code, at, inDev);
    return;
  }
  if (pkt.ttl <= 1) {
    stack.explainPacket('drop', ns, pkt, `its TTL ran out (${pkt.ttl}) at this router; an ICMP time exceeded goes back to the sender`, { dev: inDev.name });
    icmpSend(stack, ns, pkt, ICMP_TIME_EXCEEDED, 0, at, inDev);
    return;
  }
  const dropped = filterHook(ns, pkt, 'FORWARD');
  if (dropped) {
    stack.explainPacket('drop', ns, pkt, dropped, { dev: inDev.name });
    return;
  }
  if (stack.tracing()) stack.trace('forward', { ...packetFacts(pkt), in: inDev.name, out: r.dev.name, via: r.gw !== null ? formatIpv4(r.gw) : 'direct' });
  const fwd = clonePacket(pkt);
  fwd.ttl--;
  const out = natPostrouting(stack, ns, fwd, r.dev, at);
  if (!out) return;
  if (out !== fwd) at += stack.costs.natPacket;
  neighOutput(stack, r.dev, r.gw ?? out.dst, out, at + stack.costs.ipForward);
}

function ipLocalDeliver(stack: NetStack, ns: NetNamespace, pkt: IpPacket, dev: NetDevice, at: number): void {
  const dropped = filterHook(ns, pkt, 'INPUT');
  if (dropped) {
    stack.explainPacket('drop', ns, pkt, dropped, { dev: dev.name });
    return;
  }
  const p = natInput(stack, ns, pkt, at);
  if (!p) return;
  if (socketDeliver(stack, ns, p, dev, at)) return;
  const toBroadcast = ns.fib.lookup(p.dst)?.type === 'broadcast' || p.dst === 0xffffffff || isMulticast(p.dst);
  // icmp_echo_ignore_broadcasts=1: echo requests to a broadcast or multicast address get no answer.
  if (p.proto === IPPROTO_ICMP && p.icmp?.type === ICMP_ECHO && !toBroadcast) {
    // icmp_echo: the kernel answers, from the address that was asked.
    const reply: IpPacket = {
      src: p.dst,
      dst: p.src,
      ttl: DEFAULT_TTL,
      proto: IPPROTO_ICMP,
      id: stack.ipId++ & 0xffff,
      icmp: { ...p.icmp, type: ICMP_ECHOREPLY },
    };
    ipSend(stack, ns, reply, at + stack.costs.netTx);
    return;
  }
  if (p.proto === IPPROTO_UDP && !toBroadcast) {
    stack.explainPacket('unreachable', ns, p, `no socket is bound to UDP port ${p.udp?.dport ?? 0} on ${formatIpv4(p.dst)} in this network namespace; the sender's next call on a connected socket fails with ECONNREFUSED`, { icmp: 'port unreachable' });
    icmpSend(stack, ns, p, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, at, dev);
  }
}

// ---- IP output ---------------------------------------------------------------

/** The address a packet to `dst` leaving `dev` gets as its source (inet_select_addr). */
export function primaryAddr(dev: NetDevice, dst: Ipv4): Ipv4 | null {
  const same = dev.addrs.find((a) => inPrefix(dst, a.local, a.prefixlen));
  return (same ?? dev.addrs[0])?.local ?? null;
}

/** Why sending to `dst` failed with `errno` (routeOutput's and ipSend's errnos), for explain mode. */
export function routeFailure(errno: string, dst: Ipv4): string {
  const ip = formatIpv4(dst);
  switch (errno) {
    case 'ENETUNREACH':
      return `no route to ${ip}: no entry of this network namespace's routing table matches it and there is no default route (ip route)`;
    case 'EHOSTUNREACH':
      return `the route to ${ip} is an unreachable route (ip route add unreachable …)`;
    case 'EACCES':
      return `the route to ${ip} is a prohibit route (ip route add prohibit …)`;
    case 'EINVAL':
      return `the route to ${ip} is a blackhole route (ip route add blackhole …)`;
    case 'EPERM':
      return `the filter table's OUTPUT chain dropped the packet to ${ip} (policy DROP)`;
    case 'EADDRNOTAVAIL':
      return `no local port is free for a connection to ${ip} (net.ipv4.ip_local_port_range is used up)`;
    default:
      return `sending to ${ip} failed with ${errno}`;
  }
}

/** The source address and route for a packet to `dst`, or the errno a connect(2) would see. */
export function routeOutput(ns: NetNamespace, dst: Ipv4): { route: Route; src: Ipv4 } | 'ENETUNREACH' | 'EHOSTUNREACH' | 'EACCES' | 'EINVAL' {
  const r = ns.fib.lookup(dst);
  if (!r) return 'ENETUNREACH';
  if (r.type === 'unreachable') return 'EHOSTUNREACH';
  if (r.type === 'prohibit') return 'EACCES';
  if (r.type === 'blackhole') return 'EINVAL';
  let src = r.prefsrc;
  if (src === null && r.dev) src = primaryAddr(r.dev, r.gw ?? dst);
  if (src === null) {
    for (const d of ns.devices.values()) {
      const a = d.addrs.find((x) => x.scope === 'global');
      if (a) {
        src = a.local;
        break;
      }
    }
  }
  return { route: r, src: src ?? 0 };
}

/**
 * ip_queue_xmit for a packet made in this namespace (by a socket or by the kernel):
 * route it, fill in its source, pass OUTPUT and POSTROUTING, and send it — to the
 * loopback device when the destination is local. Returns an errno name when there
 * is no route.
 */
export function ipSend(stack: NetStack, ns: NetNamespace, pkt: IpPacket, at: number): string | null {
  // The route (and with it the source address) is chosen before LOCAL_OUT, as ip_route_output does.
  let ro = routeOutput(ns, pkt.dst);
  if (typeof ro === 'string') return ro;
  const routed = pkt.src === 0 ? { ...pkt, src: ro.src } : pkt;
  const p = natOutput(stack, ns, routed, at);
  if (!p) return null;
  if (p !== routed) {
    at += stack.costs.natPacket;
    // DNAT in OUTPUT changed the destination: route again.
    ro = routeOutput(ns, p.dst);
    if (typeof ro === 'string') return ro;
  }
  const r = ro.route;
  // NF_INET_LOCAL_OUT: a drop there is the sender's EPERM (ip_local_out, __ip_local_out).
  const dropped = filterHook(ns, p, 'OUTPUT');
  if (dropped) {
    stack.explainPacket('drop', ns, p, `${dropped}; the sending call fails with EPERM`);
    return 'EPERM';
  }
  if (stack.tracing()) stack.trace('route', { ...packetFacts(p), type: r.type, dev: r.dev?.name ?? 'lo', via: r.gw !== null ? formatIpv4(r.gw) : 'direct' });
  if (r.type === 'local' || (r.type === 'broadcast' && !r.dev)) {
    stack.xmit(ns.lo, { src: MAC_ZERO, dst: MAC_ZERO, ip: p }, at);
    return null;
  }
  if (!r.dev) return 'ENETUNREACH';
  const out = natPostrouting(stack, ns, p, r.dev, at);
  if (!out) return null;
  if (out !== p) at += stack.costs.natPacket;
  neighOutput(stack, r.dev, r.gw ?? out.dst, out, at);
  return null;
}

// ---- ICMP errors -------------------------------------------------------------

/** icmp_send: tells the sender of `orig` what went wrong (never about an ICMP error itself). */
export function icmpSend(stack: NetStack, ns: NetNamespace, orig: IpPacket, type: number, code: number, at: number, dev: NetDevice): void {
  if (orig.proto === IPPROTO_ICMP && orig.icmp && orig.icmp.type !== ICMP_ECHO && orig.icmp.type !== ICMP_ECHOREPLY) return;
  // Never about a packet to a broadcast or multicast address, or from no one (icmp_send's checks).
  if (orig.src === 0 || isMulticast(orig.src) || orig.dst === 0xffffffff || isMulticast(orig.dst) || ns.fib.lookup(orig.dst)?.type === 'broadcast') return;
  const src = primaryAddr(dev, orig.src) ?? (isLocalAddr(ns, orig.dst) ? orig.dst : 0);
  const err: IpPacket = {
    src,
    dst: orig.src,
    ttl: DEFAULT_TTL,
    proto: IPPROTO_ICMP,
    id: stack.ipId++ & 0xffff,
    // The error quotes the IP header and the first 8 bytes of the offending packet.
    icmp: { type, code, id: 0, seq: 0, dataLen: IP_HLEN + ICMP_HLEN, quoted: orig },
  };
  stack.trace('icmp-error', { type, code, to: formatIpv4(orig.src) });
  ipSend(stack, ns, err, at + stack.costs.netTx);
}
