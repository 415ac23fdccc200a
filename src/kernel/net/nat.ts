/**
 * Netfilter's nat table with connection tracking (iptables-extensions(8) SNAT,
 * DNAT, MASQUERADE; conntrack(8)), at the hooks where Linux has them:
 * PREROUTING and OUTPUT before the routing decision (DNAT, and undoing NAT on
 * replies), INPUT for packets to this host, POSTROUTING as a packet leaves (SNAT,
 * MASQUERADE with the outgoing device's address).
 *
 * Only the first packet of a connection walks the nat chains; the decision is
 * kept in the conntrack entry, and every later packet in either direction is
 * rewritten from it — which is why `iptables -t nat -L -v` counts one packet for a
 * whole ping run. A rewritten packet costs natPacket more. Nothing is tracked
 * until the namespace's netfilter is first used (the module is loaded), as on a
 * fresh Linux host where /proc/net/nf_conntrack does not exist.
 *
 * Simplification: ICMP echo, TCP and UDP are tracked (no RELATED ICMP errors, so
 * an error about a NATed packet is not translated back); SNAT keeps the source
 * port unless it clashes; a range's first address is used. The filter table has
 * its chains' policies only (no rules): a chain with policy DROP drops every packet
 * that passes its hook (INPUT for this host, FORWARD for routed ones, OUTPUT for
 * locally made ones — whose sender then gets EPERM, as ip_local_out returns it).
 */
import type { NetNamespace } from '../ns/net-ns.js';
import type { NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import { formatIpv4, inPrefix, parseIpv4, type Ipv4 } from './inet.js';
import { clonePacket, ipLength, ICMP_ECHO, ICMP_ECHOREPLY, IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type IpPacket } from './packet.js';
import { primaryAddr } from './ipv4.js';
import { formatConn, type ConnInfo, type NfChainInfo, type NfReply, type NfRequest, type NfRule } from './nf-abi.js';

const SEC = 1_000_000_000;

export const NAT_CHAINS = ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'] as const;
export const FILTER_CHAINS = ['INPUT', 'FORWARD', 'OUTPUT'] as const;

interface Chain {
  name: string;
  policy: 'ACCEPT' | 'DROP';
  pkts: number;
  bytes: number;
  rules: NfRule[];
}

interface Tuple {
  proto: number;
  src: Ipv4;
  dst: Ipv4;
  /** Source port, or the ICMP echo identifier. */
  sport: number;
  /** Destination port, or the ICMP echo identifier again. */
  dport: number;
}

interface Conn {
  orig: Tuple;
  reply: Tuple;
  snat: boolean;
  dnat: boolean;
  /** The POSTROUTING decision was taken. */
  postDone: boolean;
  seenReply: boolean;
  assured: boolean;
  tcpState: string;
  expires: number;
}

/** Per-namespace netfilter state. */
export class Netfilter {
  readonly nat = new Map<string, Chain>(NAT_CHAINS.map((n) => [n, { name: n, policy: 'ACCEPT', pkts: 0, bytes: 0, rules: [] }]));
  readonly filter = new Map<string, Chain>(FILTER_CHAINS.map((n) => [n, { name: n, policy: 'ACCEPT', pkts: 0, bytes: 0, rules: [] }]));
  readonly conns: Conn[] = [];
}

const TCP_TIMEOUTS: Record<string, number> = {
  SYN_SENT: 120,
  SYN_RECV: 60,
  ESTABLISHED: 432000,
  FIN_WAIT: 120,
  CLOSE_WAIT: 60,
  LAST_ACK: 30,
  TIME_WAIT: 120,
  CLOSE: 10,
};

function tupleOf(p: IpPacket): Tuple | null {
  if (p.tcp) return { proto: IPPROTO_TCP, src: p.src, dst: p.dst, sport: p.tcp.sport, dport: p.tcp.dport };
  if (p.udp) return { proto: IPPROTO_UDP, src: p.src, dst: p.dst, sport: p.udp.sport, dport: p.udp.dport };
  // ICMP echo has one identifier for both directions: it stands in both port fields.
  if (p.icmp && (p.icmp.type === ICMP_ECHO || p.icmp.type === ICMP_ECHOREPLY)) return { proto: IPPROTO_ICMP, src: p.src, dst: p.dst, sport: p.icmp.id, dport: p.icmp.id };
  return null;
}

const sameTuple = (a: Tuple, b: Tuple): boolean => a.proto === b.proto && a.src === b.src && a.dst === b.dst && a.sport === b.sport && a.dport === b.dport;

/** A copy of `p` with its addresses and ports set to `t`'s. */
function rewrite(p: IpPacket, t: Tuple): IpPacket {
  const q = clonePacket(p);
  q.src = t.src;
  q.dst = t.dst;
  if (q.tcp) {
    q.tcp.sport = t.sport;
    q.tcp.dport = t.dport;
  } else if (q.udp) {
    q.udp.sport = t.sport;
    q.udp.dport = t.dport;
  } else if (q.icmp) q.icmp.id = t.sport;
  return q;
}

function live(nf: Netfilter, now: number): Conn[] {
  for (let i = nf.conns.length - 1; i >= 0; i--) if (nf.conns[i].expires <= now) nf.conns.splice(i, 1);
  return nf.conns;
}

function find(nf: Netfilter, t: Tuple, now: number): { c: Conn; reply: boolean } | null {
  for (const c of live(nf, now)) {
    if (sameTuple(c.orig, t)) return { c, reply: false };
    // After DNAT (at PREROUTING/OUTPUT) the original direction carries the new destination.
    if (c.dnat && sameTuple(afterDnat(c), t)) return { c, reply: false };
    if (sameTuple(c.reply, t)) return { c, reply: true };
  }
  return null;
}

/** The original direction's tuple once DNAT rewrote its destination. */
function afterDnat(c: Conn): Tuple {
  return { ...c.orig, dst: c.reply.src, dport: c.reply.sport };
}

function refresh(c: Conn, p: IpPacket, reply: boolean, now: number): void {
  if (reply && !c.seenReply) c.seenReply = true;
  let timeout: number;
  if (c.orig.proto === IPPROTO_TCP && p.tcp) {
    const f = p.tcp.flags;
    if (f & TCP_RST) c.tcpState = 'CLOSE';
    else if (f & TCP_SYN && !(f & TCP_ACK)) c.tcpState = 'SYN_SENT';
    else if (f & TCP_SYN && reply) c.tcpState = 'SYN_RECV';
    else if (f & TCP_FIN) c.tcpState = c.tcpState === 'FIN_WAIT' || c.tcpState === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT';
    else if (f & TCP_ACK) {
      if (c.tcpState === 'SYN_RECV') {
        c.tcpState = 'ESTABLISHED';
        c.assured = true;
      } else if (c.tcpState === 'LAST_ACK') c.tcpState = 'TIME_WAIT';
    }
    timeout = TCP_TIMEOUTS[c.tcpState] ?? 120;
  } else if (c.orig.proto === IPPROTO_UDP) {
    if (c.seenReply) c.assured = true;
    timeout = c.seenReply ? 120 : 30;
  } else timeout = 30;
  c.expires = now + timeout * SEC;
}

function ruleMatches(r: NfRule, p: IpPacket, inDev: NetDevice | null, outDev: NetDevice | null): boolean {
  const addr = (m: NfRule['src'], a: Ipv4): boolean => !m || inPrefix(a, parseIpv4(m.addr)!, m.len) !== m.neg;
  const iface = (m: NfRule['inIf'], d: NetDevice | null): boolean => {
    if (!m) return true;
    const name = d?.name ?? '';
    const hit = m.name.endsWith('+') ? name.startsWith(m.name.slice(0, -1)) : name === m.name;
    return hit !== m.neg;
  };
  if (!addr(r.src, p.src) || !addr(r.dst, p.dst)) return false;
  if (r.proto !== 0 && (r.proto === p.proto) === !!r.protoNeg) return false;
  const ports = p.tcp ?? p.udp;
  if (r.sport !== undefined && ports?.sport !== r.sport) return false;
  if (r.dport !== undefined && ports?.dport !== r.dport) return false;
  return iface(r.inIf, inDev) && iface(r.outIf, outDev);
}

/** Walks a nat chain for a new connection's first packet; returns the rule that decided, if any. */
function walk(chain: Chain, p: IpPacket, inDev: NetDevice | null, outDev: NetDevice | null): NfRule | null {
  const len = ipLength(p);
  for (const r of chain.rules) {
    if (!ruleMatches(r, p, inDev, outDev)) continue;
    r.pkts = (r.pkts ?? 0) + 1;
    r.bytes = (r.bytes ?? 0) + len;
    if (r.target === 'RETURN') break;
    return r;
  }
  chain.pkts++;
  chain.bytes += len;
  return null;
}

/**
 * A free reply tuple for SNAT: the original source port if free, else the next one.
 * Simplification: Linux's nf_nat_l4proto_unique_tuple starts its search at a
 * hash-derived offset (on a real kernel a clashing port 40000 became 32353); ctsim
 * takes the next port up.
 */
function uniqueReply(nf: Netfilter, want: Tuple, now: number, self?: Conn): Tuple {
  const t = { ...want };
  const taken = (x: Tuple): boolean => live(nf, now).some((c) => c !== self && sameTuple(c.reply, x));
  const [lo, hi] = t.proto === IPPROTO_ICMP ? [0, 65535] : [1024, 65535];
  for (let i = 0; taken(t) && i <= hi - lo; i++) {
    t.dport = t.dport >= hi ? lo : t.dport + 1;
    if (t.proto === IPPROTO_ICMP) t.sport = t.dport;
  }
  return t;
}

/** Before routing (PREROUTING for arriving packets, OUTPUT for local ones): undo NAT on replies, apply DNAT. */
function preRoute(stack: NetStack, ns: NetNamespace, pkt: IpPacket, chain: 'PREROUTING' | 'OUTPUT', inDev: NetDevice | null, at: number): IpPacket {
  const nf = ns.netfilter;
  const t = nf && tupleOf(pkt);
  if (!nf || !t) return pkt;
  const hit = find(nf, t, at);
  if (hit) {
    refresh(hit.c, pkt, hit.reply, at);
    if (hit.reply && (hit.c.snat || hit.c.dnat)) {
      const o = hit.c.orig;
      return rewrite(pkt, { proto: t.proto, src: o.dst, dst: o.src, sport: o.dport, dport: o.sport });
    }
    if (!hit.reply && hit.c.dnat) return rewrite(pkt, { ...t, dst: hit.c.reply.src, dport: hit.c.reply.sport });
    return pkt;
  }
  const c: Conn = { orig: t, reply: { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport }, snat: false, dnat: false, postDone: false, seenReply: false, assured: false, tcpState: 'NONE', expires: 0 };
  refresh(c, pkt, false, at);
  nf.conns.push(c);
  const r = walk(nf.nat.get(chain)!, pkt, inDev, null);
  if (r?.target === 'DNAT' && r.to) {
    c.dnat = true;
    c.reply.src = parseIpv4(r.to.addr)!;
    if (r.to.port !== undefined && t.proto !== IPPROTO_ICMP) c.reply.sport = r.to.port;
    stack.trace('nat', { hook: chain, kind: 'DNAT', to: `${r.to.addr}${r.to.port ? `:${r.to.port}` : ''}` });
    return rewrite(pkt, { ...t, dst: c.reply.src, dport: c.reply.sport });
  }
  return pkt;
}

export function natPrerouting(stack: NetStack, ns: NetNamespace, pkt: IpPacket, inDev: NetDevice, at: number): IpPacket | null {
  return preRoute(stack, ns, pkt, 'PREROUTING', inDev, at);
}

export function natOutput(stack: NetStack, ns: NetNamespace, pkt: IpPacket, at: number): IpPacket | null {
  return preRoute(stack, ns, pkt, 'OUTPUT', null, at);
}

/** INPUT: a packet for this host that arrived; its connection was made at PREROUTING. */
export function natInput(_stack: NetStack, _ns: NetNamespace, pkt: IpPacket, _at: number): IpPacket | null {
  return pkt;
}

/** POSTROUTING: the first packet of a connection decides SNAT/MASQUERADE; later ones are rewritten. */
export function natPostrouting(stack: NetStack, ns: NetNamespace, pkt: IpPacket, outDev: NetDevice, at: number): IpPacket | null {
  const nf = ns.netfilter;
  const t = nf && tupleOf(pkt);
  if (!nf || !t) return pkt;
  const hit = find(nf, t, at);
  if (!hit) return pkt;
  const c = hit.c;
  if (hit.reply) return pkt;
  if (!c.postDone) {
    c.postDone = true;
    const r = walk(nf.nat.get('POSTROUTING')!, pkt, null, outDev);
    let src: Ipv4 | null = null;
    if (r?.target === 'MASQUERADE') src = primaryAddr(outDev, pkt.dst);
    else if (r?.target === 'SNAT' && r.to) src = parseIpv4(r.to.addr);
    if (src !== null && src !== t.src) {
      c.snat = true;
      const port = t.proto === IPPROTO_ICMP ? c.reply.dport : (r?.to?.port ?? c.reply.dport);
      const want = { ...c.reply, dst: src, dport: port };
      c.reply = uniqueReply(nf, want, at);
      stack.trace('nat', { hook: 'POSTROUTING', kind: r!.target, src: formatIpv4(src), dev: outDev.name });
    } else {
      // No rule, but the connection still needs a reply tuple of its own (nf_nat's null
      // binding, get_unique_tuple): when a NATed connection already answers to this one's,
      // the source port is remapped ("implicit source port reassignment").
      const reply = uniqueReply(nf, c.reply, at, c);
      if (reply.dport !== c.reply.dport) {
        c.reply = reply;
        c.snat = true;
        stack.trace('nat', { hook: 'POSTROUTING', kind: 'null binding', sport: reply.dport, dev: outDev.name });
      }
    }
  }
  if (!c.snat) return pkt;
  return rewrite(pkt, { ...t, src: c.reply.dst, sport: c.reply.dport });
}

// ---- the control interface (iptables, conntrack) ---------------------------------

function chainsOf(nf: Netfilter, table: string): Map<string, Chain> | null {
  return table === 'nat' ? nf.nat : table === 'filter' ? nf.filter : null;
}

const sameRule = (a: NfRule, b: NfRule): boolean => {
  const strip = ({ pkts: _p, bytes: _b, ...r }: NfRule): string => JSON.stringify(r, Object.keys(r).sort());
  return strip(a) === strip(b);
};

function connInfo(c: Conn, now: number): ConnInfo {
  const name = c.orig.proto === IPPROTO_TCP ? 'tcp' : c.orig.proto === IPPROTO_UDP ? 'udp' : 'icmp';
  const side = (t: Tuple, type: number) =>
    name === 'icmp'
      ? { src: formatIpv4(t.src), dst: formatIpv4(t.dst), sport: 0, dport: 0, type, code: 0, id: t.sport }
      : { src: formatIpv4(t.src), dst: formatIpv4(t.dst), sport: t.sport, dport: t.dport };
  return {
    protoName: name,
    proto: c.orig.proto,
    timeout: Math.max(0, Math.floor((c.expires - now) / SEC)),
    ...(name === 'tcp' ? { state: c.tcpState } : {}),
    orig: side(c.orig, ICMP_ECHO),
    reply: side(c.reply, ICMP_ECHOREPLY),
    unreplied: !c.seenReply,
    assured: c.assured,
  };
}

/** Handles one iptables/conntrack request in namespace `ns` (CAP_NET_ADMIN checked by the caller). */
export function nfHandle(ns: NetNamespace, req: NfRequest, now: number): NfReply {
  const nf = (ns.netfilter ??= new Netfilter());
  if (req.op === 'ct-list') return { ok: true, conns: live(nf, now).map((c) => connInfo(c, now)) };
  if (req.op === 'ct-flush') {
    nf.conns.length = 0;
    return { ok: true };
  }
  const chains = chainsOf(nf, req.table);
  if (!chains) return { ok: false, errno: 'ENOENT', msg: `can't initialize iptables table \`${req.table}': Table does not exist (do you need to insmod?)` };
  const chain = 'chain' in req && req.chain !== undefined ? chains.get(req.chain) : undefined;
  if ('chain' in req && req.chain !== undefined && !chain) return { ok: false, errno: 'ENOENT', msg: 'No chain/target/match by that name.' };
  const list = (): NfChainInfo[] => [...chains.values()].filter((c) => !chain || c === chain).map((c) => ({ name: c.name, policy: c.policy, pkts: c.pkts, bytes: c.bytes, rules: c.rules.map((r) => ({ ...r, pkts: r.pkts ?? 0, bytes: r.bytes ?? 0 })) }));
  switch (req.op) {
    case 'list':
      return { ok: true, chains: list() };
    case 'append':
    case 'insert': {
      if (req.table !== 'nat') return { ok: false, errno: 'EOPNOTSUPP', msg: 'ctsim models rules in the nat table only' };
      const bad = checkRule(req.chain, req.rule);
      if (bad) return { ok: false, errno: 'EINVAL', msg: bad };
      const r = { ...req.rule, pkts: 0, bytes: 0 };
      if (req.op !== 'insert') chain!.rules.push(r);
      else {
        if (req.pos < 1 || req.pos > chain!.rules.length + 1) return { ok: false, errno: 'E2BIG', msg: 'Index of insertion too big.' };
        chain!.rules.splice(req.pos - 1, 0, r);
      }
      return { ok: true };
    }
    case 'check':
      return chain!.rules.some((r) => sameRule(r, req.rule)) ? { ok: true } : { ok: false, errno: 'ENOENT', msg: 'Bad rule (does a matching rule exist in that chain?).' };
    case 'delete': {
      const i = chain!.rules.findIndex((r) => sameRule(r, req.rule));
      if (i < 0) return { ok: false, errno: 'ENOENT', msg: 'Bad rule (does a matching rule exist in that chain?).' };
      chain!.rules.splice(i, 1);
      return { ok: true };
    }
    case 'delete-num':
      if (req.num < 1 || req.num > chain!.rules.length) return { ok: false, errno: 'E2BIG', msg: 'Index of deletion too big.' };
      chain!.rules.splice(req.num - 1, 1);
      return { ok: true };
    case 'flush':
      for (const c of chains.values()) if (!chain || c === chain) c.rules.length = 0;
      return { ok: true };
    case 'zero':
      for (const c of chains.values()) {
        if (chain && c !== chain) continue;
        c.pkts = c.bytes = 0;
        for (const r of c.rules) r.pkts = r.bytes = 0;
      }
      return { ok: true };
    case 'policy':
      if (req.table === 'nat' && req.policy !== 'ACCEPT') return { ok: false, errno: 'EINVAL', msg: 'the nat table\'s chains accept only ACCEPT as policy' };
      chain!.policy = req.policy;
      return { ok: true };
  }
}

/** The targets' chain restrictions (x_tables checkentry). */
function checkRule(chain: string, r: NfRule): string | null {
  if ((r.target === 'MASQUERADE' || r.target === 'SNAT') && chain !== 'POSTROUTING' && chain !== 'INPUT') return `${r.target} target: only valid in nat table, POSTROUTING and INPUT chains`;
  if (r.target === 'DNAT' && chain !== 'PREROUTING' && chain !== 'OUTPUT') return 'DNAT target: only valid in nat table, PREROUTING and OUTPUT chains';
  if (r.inIf && (chain === 'POSTROUTING' || chain === 'OUTPUT')) return `Can't use -i with ${chain}`;
  if (r.outIf && (chain === 'PREROUTING' || chain === 'INPUT')) return `Can't use -o with ${chain}`;
  return null;
}

/** /proc/net/nf_conntrack (only once netfilter is in use in the namespace). */
export function renderNfConntrack(ns: NetNamespace, now: number): string | null {
  if (!ns.netfilter) return null;
  return [...live(ns.netfilter, now)]
    .reverse()
    .map((c) => `ipv4     2 ${formatConn(connInfo(c, now)).replace(/ mark=0 use=1$/, ' mark=0 zone=0 use=2')}\n`)
    .join('');
}

/**
 * The filter table at `hook`: the chain's policy decides (no rules are modelled), and
 * counts the packet as `iptables -L -v` shows it ("policy DROP 3 packets, 149 bytes").
 * Returns null to accept, or why the packet was dropped. Nothing is filtered until
 * the namespace's netfilter is in use (the table does not exist before).
 */
export function filterHook(ns: NetNamespace, pkt: IpPacket, hook: (typeof FILTER_CHAINS)[number]): string | null {
  const chain = ns.netfilter?.filter.get(hook);
  if (!chain) return null;
  chain.pkts++;
  chain.bytes += ipLength(pkt);
  return chain.policy === 'DROP' ? `chain ${hook} policy DROP in the filter table (iptables -P ${hook} DROP; ${chain.pkts} packet${chain.pkts === 1 ? '' : 's'} so far)` : null;
}
