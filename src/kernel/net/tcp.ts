/**
 * TCP (tcp(7), RFC 793/9293 with RFC 6298 timers), simple but honest: the
 * three-way handshake with a listen backlog, in-order byte streams with
 * cumulative acknowledgements, retransmission of what is not acknowledged within
 * the retransmission timeout (RTO from smoothed RTT samples, doubled on each
 * retry, 1 s before any sample), FIN/RST closing with TIME_WAIT, and the errors
 * a program sees: ECONNREFUSED (RST to a SYN), ETIMEDOUT (tcp_syn_retries 6, or
 * tcp_retries2 15 for data), EHOSTUNREACH/ENETUNREACH (ICMP during the handshake),
 * ECONNRESET, EPIPE.
 *
 * Simplification: no out-of-order queue (a segment beyond rcv_nxt is dropped and
 * re-acknowledged, so the sender retransmits), no SACK, fast retransmit or
 * congestion control (the window is the receiver's free buffer), no Nagle and no
 * delayed ACKs (every data segment is acknowledged at once), no urgent data, no
 * keepalive, no SYN cookies, no timestamps or window scaling; sequence numbers
 * start from a seeded counter.
 */
import type { NetNamespace } from '../ns/net-ns.js';
import type { NetStack } from './stack.js';
import { AF_INET, InetSock, SOCK_STREAM, type SockAddrIn } from './sockets.js';
import { formatIpv4, INADDR_ANY, type Ipv4 } from './inet.js';
import { IPPROTO_TCP, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, TCP_PSH, type IpPacket, type TcpSegment } from './packet.js';
import { DEFAULT_TTL, ipSend, neighConfirm, routeOutput } from './ipv4.js';

export type TcpState = 'CLOSE' | 'LISTEN' | 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT1' | 'FIN_WAIT2' | 'CLOSE_WAIT' | 'CLOSING' | 'LAST_ACK' | 'TIME_WAIT';

const MS = 1_000_000;
export const TCP_TIMEOUT_INIT_NS = 1000 * MS;
export const TCP_RTO_MIN_NS = 200 * MS;
export const TCP_RTO_MAX_NS = 120_000 * MS;
export const TCP_SYN_RETRIES = 6;
export const TCP_RETRIES2 = 15;
export const TCP_TIMEWAIT_NS = 60_000 * MS;
/** net.ipv4.tcp_fin_timeout: how long an orphan waits in FIN_WAIT2. */
export const TCP_FIN_TIMEOUT_NS = 60_000 * MS;
/** Receive and send buffers (tcp_rmem/tcp_wmem defaults: 131072 and 16384 bytes). */
export const TCP_RCVBUF = 131072;
export const TCP_SNDBUF = 16384;

/** One segment waiting for its acknowledgement. */
interface Unacked {
  seq: number;
  data: string;
  flags: number;
  sentAt: number;
  retransmitted: boolean;
}

const seqLt = (a: number, b: number): boolean => ((a - b) | 0) < 0;
const seqLe = (a: number, b: number): boolean => ((a - b) | 0) <= 0;
const add = (a: number, n: number): number => (a + n) >>> 0;

export class TcpSock extends InetSock {
  state: TcpState = 'CLOSE';
  /** Listening: the maximum of queued connections, and the queues. */
  backlog = 0;
  readonly acceptq: TcpSock[] = [];
  readonly synq: TcpSock[] = [];
  parent: TcpSock | null = null;
  iss = 0;
  sndUna = 0;
  sndNxt = 0;
  rcvNxt = 0;
  /** The peer's advertised window. */
  sndWnd = 65535;
  /** Bytes written but not yet sent. */
  sndBuf = '';
  readonly unacked: Unacked[] = [];
  rcvBuf = '';
  finReceived = false;
  /** shutdown(SHUT_RD): reads return end of file; arriving data is still acknowledged. */
  readShut = false;
  /** A FIN is due once sndBuf drains (close or shutdown(SHUT_WR)). */
  finPending = false;
  finSent = false;
  /** The hard error a blocked call reports (sk_err). */
  err: string | null = null;
  /** Closed by its last descriptor: the kernel finishes the connection alone. */
  orphan = false;
  srtt = 0;
  rttvar = 0;
  rto = TCP_TIMEOUT_INIT_NS;
  retries = 0;
  timer: { cancel(): void } | null = null;
  mss = 1460;
  /** A kernel-side listener's callback when a connection is ready to accept (data, state and errors use onReadable). */
  onAccept: (() => void) | null = null;

  constructor(ns: NetNamespace) {
    super(SOCK_STREAM, IPPROTO_TCP, ns);
  }

  get bytesInFlight(): number {
    return (this.sndNxt - this.sndUna) >>> 0;
  }

  /** Free room in the send buffer (write blocks at zero). */
  get sndSpace(): number {
    return Math.max(0, TCP_SNDBUF - this.sndBuf.length - this.bytesInFlight);
  }

  local(): SockAddrIn {
    return { family: AF_INET, addr: this.localAddr, port: this.localPort };
  }
}

/** The TCP sockets of one namespace, by local port. */
export class TcpTable {
  readonly byPort = new Map<number, TcpSock[]>();

  add(s: TcpSock): void {
    const l = this.byPort.get(s.localPort) ?? [];
    if (!l.includes(s)) l.push(s);
    this.byPort.set(s.localPort, l);
  }

  remove(s: TcpSock): void {
    const l = this.byPort.get(s.localPort);
    if (!l) return;
    const i = l.indexOf(s);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) this.byPort.delete(s.localPort);
  }

  /** inet_csk_bind_conflict: another socket on the port whose address overlaps, unless both allow reuse and it is not listening. */
  bindConflict(addr: Ipv4, port: number, reuse: boolean): boolean {
    return (this.byPort.get(port) ?? []).some(
      (o) => (o.localAddr === INADDR_ANY || addr === INADDR_ANY || o.localAddr === addr) && !(reuse && o.reuseAddr && o.state !== 'LISTEN'),
    );
  }

  /** The socket for a segment: an exact four-tuple match beats a listener on the address, which beats one on any address. */
  lookup(dst: Ipv4, dport: number, src: Ipv4, sport: number): TcpSock | undefined {
    let listener: TcpSock | undefined;
    for (const s of this.byPort.get(dport) ?? []) {
      if (s.remote) {
        if (s.remote.addr === src && s.remote.port === sport && (s.localAddr === dst || s.localAddr === INADDR_ANY)) return s;
        continue;
      }
      if (s.state !== 'LISTEN') continue;
      if (s.localAddr === dst) listener = s;
      else if (s.localAddr === INADDR_ANY && !listener) listener = s;
    }
    return listener;
  }

  all(): TcpSock[] {
    return [...this.byPort.values()].flat();
  }
}

/** Something a reader or writer may wait for happened: wake sleepers and tell a kernel-side owner. */
function wake(stack: NetStack, s: TcpSock): void {
  stack.k.wakeAll(s.wait);
  s.onReadable?.();
}

// ---- sending -----------------------------------------------------------------

function segment(s: TcpSock, seq: number, flags: number, data = ''): IpPacket {
  const tcp: TcpSegment = {
    sport: s.localPort,
    dport: s.remote!.port,
    seq,
    ack: flags & TCP_ACK ? s.rcvNxt : 0,
    flags,
    // Without window scaling the 16-bit field caps the advertised window.
    window: Math.min(65535, Math.max(0, TCP_RCVBUF - s.rcvBuf.length)),
    data,
  };
  return { src: s.localAddr, dst: s.remote!.addr, ttl: DEFAULT_TTL, proto: IPPROTO_TCP, id: 0, tcp };
}

function emit(stack: NetStack, s: TcpSock, pkt: IpPacket, at: number): void {
  pkt.id = stack.ipId++ & 0xffff;
  const e = ipSend(stack, s.ns, pkt, at);
  if (e) stack.trace('tcp-no-route', { port: s.localPort, errno: e });
}

/** Sends a segment that occupies sequence space and must be acknowledged (SYN, FIN, data). */
function sendReliable(stack: NetStack, s: TcpSock, flags: number, data: string, at: number): void {
  const seq = s.sndNxt;
  s.unacked.push({ seq, data, flags, sentAt: at, retransmitted: false });
  s.sndNxt = add(s.sndNxt, data.length + (flags & (TCP_SYN | TCP_FIN) ? 1 : 0));
  emit(stack, s, segment(s, seq, flags, data), at);
  if (!s.timer) armRto(stack, s, at);
}

function sendAck(stack: NetStack, s: TcpSock, at: number): void {
  emit(stack, s, segment(s, s.sndNxt, TCP_ACK), at);
}

/** Moves what the window allows from the send buffer to the wire, then a pending FIN. */
export function tcpPush(stack: NetStack, s: TcpSock, at: number): void {
  if (s.state !== 'ESTABLISHED' && s.state !== 'CLOSE_WAIT') return;
  while (s.sndBuf.length > 0) {
    const room = s.sndWnd - s.bytesInFlight;
    if (room <= 0) break;
    const n = Math.min(s.mss, room, s.sndBuf.length);
    const data = s.sndBuf.slice(0, n);
    s.sndBuf = s.sndBuf.slice(n);
    sendReliable(stack, s, TCP_ACK | (s.sndBuf.length === 0 ? TCP_PSH : 0), data, at);
  }
  if (s.finPending && !s.finSent && s.sndBuf.length === 0) {
    s.finSent = true;
    s.state = s.state === 'CLOSE_WAIT' ? 'LAST_ACK' : 'FIN_WAIT1';
    sendReliable(stack, s, TCP_FIN | TCP_ACK, '', at);
  }
}

function armRto(stack: NetStack, s: TcpSock, at: number): void {
  s.timer?.cancel();
  s.timer = stack.later(at + s.rto, () => rtoExpired(stack, s));
}

/** The retransmission timer: resend the oldest unacknowledged segment, back off, or give up. */
function rtoExpired(stack: NetStack, s: TcpSock): void {
  s.timer = null;
  const now = stack.k.now;
  const first = s.unacked[0];
  if (!first) return;
  const limit = s.state === 'SYN_SENT' || s.state === 'SYN_RECV' ? TCP_SYN_RETRIES : TCP_RETRIES2;
  if (s.retries >= limit) {
    stack.trace('tcp-timeout', { port: s.localPort, state: s.state, retries: s.retries });
    abort(stack, s, 'ETIMEDOUT', false);
    return;
  }
  s.retries++;
  s.rto = Math.min(s.rto * 2, TCP_RTO_MAX_NS);
  first.retransmitted = true;
  first.sentAt = now;
  stack.trace('tcp-retransmit', { port: s.localPort, seq: first.seq, rto: s.rto });
  emit(stack, s, segment(s, first.seq, first.flags, first.data), now + stack.costs.netTx);
  armRto(stack, s, now);
}

/** RFC 6298 on a fresh RTT sample. */
function rttSample(s: TcpSock, r: number): void {
  if (s.srtt === 0) {
    s.srtt = r;
    s.rttvar = r / 2;
  } else {
    s.rttvar = 0.75 * s.rttvar + 0.25 * Math.abs(s.srtt - r);
    s.srtt = 0.875 * s.srtt + 0.125 * r;
  }
  s.rto = Math.min(TCP_RTO_MAX_NS, Math.max(TCP_RTO_MIN_NS, Math.round(s.srtt + Math.max(1_000, 4 * s.rttvar))));
}

/** Tears the connection down with an error for whoever waits on it (tcp_done / tcp_reset). */
function abort(stack: NetStack, s: TcpSock, errno: string, sendRst: boolean): void {
  if (sendRst && s.remote) emit(stack, s, segment(s, s.sndNxt, TCP_RST | TCP_ACK), stack.k.now + stack.costs.netTx);
  s.err = errno;
  finish(stack, s);
}

/** The socket reaches CLOSE: timers stop and an orphan leaves the tables. */
function finish(stack: NetStack, s: TcpSock): void {
  s.state = 'CLOSE';
  s.timer?.cancel();
  s.timer = null;
  s.unacked.length = 0;
  if (s.parent) {
    const q = s.parent.synq.indexOf(s);
    if (q >= 0) s.parent.synq.splice(q, 1);
  }
  if (s.orphan || s.parent) s.ns.sockets.tcp.remove(s);
  wake(stack, s);
}

function enterTimeWait(stack: NetStack, s: TcpSock, at: number): void {
  s.state = 'TIME_WAIT';
  s.timer?.cancel();
  s.timer = stack.later(at + TCP_TIMEWAIT_NS, () => {
    s.timer = null;
    s.orphan = true;
    finish(stack, s);
  });
  wake(stack, s);
}

// ---- the socket calls ----------------------------------------------------------

/** connect(2): picks a source address and port, sends the SYN. Returns an errno name or null (in progress). */
export function tcpConnect(stack: NetStack, s: TcpSock, to: SockAddrIn, at: number): string | null {
  const ns = s.ns;
  const ro = routeOutput(ns, to.addr);
  if (typeof ro === 'string') return ro;
  if (s.localAddr === INADDR_ANY) s.localAddr = ro.src;
  if (s.localPort === 0) {
    const port = ns.sockets.ephemeral((p) => ns.sockets.tcp.bindConflict(s.localAddr, p, false));
    if (port === 0) return 'EADDRNOTAVAIL';
    s.localPort = port;
  }
  s.remote = { ...to };
  ns.sockets.tcp.add(s);
  s.mss = ro.route.dev ? ro.route.dev.mtu - 40 : 65483;
  s.iss = stack.nextIss(s.localAddr, s.localPort, to.addr, to.port);
  s.sndUna = s.sndNxt = s.iss;
  s.state = 'SYN_SENT';
  s.retries = 0;
  s.rto = TCP_TIMEOUT_INIT_NS;
  sendReliable(stack, s, TCP_SYN, '', at);
  return null;
}

export function tcpListen(s: TcpSock, backlog: number): void {
  s.backlog = Math.max(0, Math.min(backlog, 4096));
  if (s.state !== 'LISTEN') {
    s.state = 'LISTEN';
    s.ns.sockets.tcp.add(s);
  }
}

/** write(2) on a connection: takes what fits in the send buffer. */
export function tcpSend(stack: NetStack, s: TcpSock, data: string, at: number): number {
  const n = Math.min(data.length, s.sndSpace);
  s.sndBuf += data.slice(0, n);
  tcpPush(stack, s, at);
  return n;
}

/** read(2): up to `count` bytes; the window opening may be announced. */
export function tcpRecv(stack: NetStack, s: TcpSock, count: number, at: number): string {
  const wasFull = s.rcvBuf.length >= TCP_RCVBUF - s.mss;
  const out = s.rcvBuf.slice(0, count);
  s.rcvBuf = s.rcvBuf.slice(out.length);
  if (wasFull && s.remote && s.state !== 'CLOSE') sendAck(stack, s, at);
  return out;
}

/** shutdown(SHUT_WR) and the sending half of close(2): a FIN after the queued data. */
export function tcpShutdownWrite(stack: NetStack, s: TcpSock, at: number): void {
  if (s.finPending) return;
  if (s.state === 'SYN_SENT' || s.state === 'CLOSE') {
    finish(stack, s);
    return;
  }
  s.finPending = true;
  tcpPush(stack, s, at);
}

/** close(2) of the last descriptor. */
export function tcpClose(stack: NetStack, s: TcpSock, at: number): void {
  s.orphan = true;
  if (s.state === 'LISTEN') {
    // Connections nobody accepted are reset.
    for (const c of [...s.acceptq, ...s.synq]) abort(stack, c, 'ECONNRESET', true);
    s.acceptq.length = 0;
    finish(stack, s);
    return;
  }
  if (s.state === 'CLOSE' || s.state === 'SYN_SENT') {
    finish(stack, s);
    return;
  }
  if (s.rcvBuf.length > 0) {
    // Closing with unread data resets the connection (RFC 2525, tcp_close).
    abort(stack, s, 'ECONNRESET', true);
    return;
  }
  tcpShutdownWrite(stack, s, at);
}

// ---- receiving -----------------------------------------------------------------

/** A segment to a port without a socket (or a bad one): answer RST, unless it is one. */
function sendResetFor(stack: NetStack, ns: NetNamespace, pkt: IpPacket, at: number): void {
  const t = pkt.tcp!;
  if (t.flags & TCP_RST) return;
  const len = t.data.length + (t.flags & TCP_SYN ? 1 : 0) + (t.flags & TCP_FIN ? 1 : 0);
  const rst: TcpSegment =
    t.flags & TCP_ACK
      ? { sport: t.dport, dport: t.sport, seq: t.ack, ack: 0, flags: TCP_RST, window: 0, data: '' }
      : { sport: t.dport, dport: t.sport, seq: 0, ack: add(t.seq, len), flags: TCP_RST | TCP_ACK, window: 0, data: '' };
  ipSend(stack, ns, { src: pkt.dst, dst: pkt.src, ttl: DEFAULT_TTL, proto: IPPROTO_TCP, id: stack.ipId++ & 0xffff, tcp: rst }, at + stack.costs.netTx);
}

/** tcp_v4_rcv: a segment delivered to this namespace at `at`. */
export function tcpInput(stack: NetStack, ns: NetNamespace, pkt: IpPacket, at: number): void {
  const t = pkt.tcp!;
  const s = ns.sockets.tcp.lookup(pkt.dst, t.dport, pkt.src, t.sport);
  const replyAt = at + stack.costs.netTx;
  if (!s) {
    if (!(t.flags & TCP_RST)) stack.explainPacket('rst', ns, pkt, `no socket listens on TCP port ${t.dport} of ${formatIpv4(pkt.dst)} in this network namespace, so the kernel answers with RST and the connect fails with ECONNREFUSED`);
    sendResetFor(stack, ns, pkt, at);
    return;
  }
  if (s.state === 'LISTEN') {
    listenInput(stack, s, pkt, replyAt);
    return;
  }
  if (s.state === 'SYN_SENT') {
    if (t.flags & TCP_ACK && (seqLe(t.ack, s.iss) || seqLt(s.sndNxt, t.ack))) {
      sendResetFor(stack, ns, pkt, at);
      return;
    }
    if (t.flags & TCP_RST) {
      if (t.flags & TCP_ACK) abort(stack, s, 'ECONNREFUSED', false);
      return;
    }
    if (t.flags & TCP_SYN && t.flags & TCP_ACK) {
      s.rcvNxt = add(t.seq, 1);
      ackReceived(stack, s, t, at);
      s.sndWnd = t.window;
      s.state = 'ESTABLISHED';
      sendAck(stack, s, replyAt);
      wake(stack, s);
      tcpPush(stack, s, replyAt);
    }
    return;
  }
  if (t.flags & TCP_RST) {
    if (s.state === 'SYN_RECV' && s.parent) {
      finish(stack, s);
      return;
    }
    abort(stack, s, s.state === 'CLOSE_WAIT' ? 'EPIPE' : 'ECONNRESET', false);
    return;
  }
  if (s.state === 'TIME_WAIT') {
    // tcp_timewait_state_process: a SYN beyond the old connection's sequence space opens
    // a new one — the TIME-WAIT socket goes and the listener takes the SYN (RFC 1122 4.2.2.13).
    if (t.flags & TCP_SYN && !(t.flags & (TCP_ACK | TCP_RST)) && seqLt(s.rcvNxt, t.seq)) {
      s.orphan = true;
      finish(stack, s);
      tcpInput(stack, ns, pkt, at);
      return;
    }
    if (t.flags & TCP_FIN) sendAck(stack, s, replyAt);
    return;
  }
  if (t.flags & TCP_ACK) {
    ackReceived(stack, s, t, at);
    s.sndWnd = t.window;
    // An ACK proves the neighbour on the way is alive (dst_confirm).
    const ro = routeOutput(ns, pkt.src);
    if (typeof ro !== 'string' && ro.route.dev) neighConfirm(ns, ro.route.dev, ro.route.gw ?? pkt.src, at);
    if (s.state === 'SYN_RECV' && s.sndUna === s.sndNxt) {
      s.state = 'ESTABLISHED';
      const p = s.parent;
      if (p) {
        p.synq.splice(p.synq.indexOf(s), 1);
        p.acceptq.push(s);
        stack.k.wakeAll(p.wait);
        p.onAccept?.();
      }
    }
    if (s.finSent && s.sndUna === s.sndNxt) {
      if (s.state === 'FIN_WAIT1') {
        s.state = 'FIN_WAIT2';
        // An orphan does not wait for the peer's FIN forever: tcp_fin_timeout (60 s).
        if (s.orphan) {
          s.timer?.cancel();
          s.timer = stack.later(at + TCP_FIN_TIMEOUT_NS, () => {
            s.timer = null;
            if (s.state === 'FIN_WAIT2') finish(stack, s);
          });
        }
      }
      else if (s.state === 'CLOSING') enterTimeWait(stack, s, at);
      else if (s.state === 'LAST_ACK') {
        finish(stack, s);
        return;
      }
    }
  }
  // Data and FIN, in order only.
  const len = t.data.length;
  if (len > 0 || t.flags & TCP_FIN) {
    if (t.seq !== s.rcvNxt || s.finReceived) {
      sendAck(stack, s, replyAt);
      return;
    }
    const room = TCP_RCVBUF - s.rcvBuf.length;
    const take = t.data.slice(0, room);
    if (take.length > 0 && !(s.state === 'FIN_WAIT1' || s.state === 'FIN_WAIT2' || s.state === 'ESTABLISHED')) {
      sendAck(stack, s, replyAt);
      return;
    }
    s.rcvBuf += take;
    s.rcvNxt = add(s.rcvNxt, take.length);
    if (t.flags & TCP_FIN && take.length === len) {
      s.rcvNxt = add(s.rcvNxt, 1);
      s.finReceived = true;
      if (s.state === 'ESTABLISHED') s.state = 'CLOSE_WAIT';
      else if (s.state === 'FIN_WAIT1') s.state = s.sndUna === s.sndNxt ? 'TIME_WAIT' : 'CLOSING';
      else if (s.state === 'FIN_WAIT2') s.state = 'TIME_WAIT';
      if (s.state === 'TIME_WAIT') enterTimeWait(stack, s, at);
    }
    sendAck(stack, s, replyAt);
    if (s.orphan && take.length > 0 && !s.onReadable) {
      // Data for a socket nobody can read any more: reset.
      abort(stack, s, 'ECONNRESET', true);
      return;
    }
    wake(stack, s);
  }
  tcpPush(stack, s, replyAt);
}

/** A cumulative ACK: drop what it covers, take an RTT sample, restart or stop the timer. */
function ackReceived(stack: NetStack, s: TcpSock, t: TcpSegment, at: number): void {
  if (!seqLt(s.sndUna, t.ack) || seqLt(s.sndNxt, t.ack)) return;
  let sample = -1;
  while (s.unacked.length > 0) {
    const u = s.unacked[0];
    const end = add(u.seq, u.data.length + (u.flags & (TCP_SYN | TCP_FIN) ? 1 : 0));
    if (!seqLe(end, t.ack)) break;
    if (!u.retransmitted) sample = at - u.sentAt;
    s.unacked.shift();
  }
  s.sndUna = t.ack;
  s.retries = 0;
  if (sample >= 0) rttSample(s, sample);
  s.timer?.cancel();
  s.timer = null;
  if (s.unacked.length > 0) armRto(stack, s, at);
  wake(stack, s);
}

function listenInput(stack: NetStack, l: TcpSock, pkt: IpPacket, at: number): void {
  const t = pkt.tcp!;
  if (t.flags & TCP_RST) return;
  if (t.flags & TCP_ACK) {
    sendResetFor(stack, l.ns, pkt, at);
    return;
  }
  if (!(t.flags & TCP_SYN)) return;
  // A full accept queue drops the SYN; the client will retry.
  if (l.acceptq.length + l.synq.length > l.backlog) {
    stack.trace('tcp-drop', { port: l.localPort, why: `listen backlog ${l.backlog} full` });
    stack.explainPacket('drop', l.ns, pkt, `the listening socket on port ${l.localPort} has its backlog of ${l.backlog} full (${l.acceptq.length} connections not yet accepted, ${l.synq.length} half-open); the client will retransmit its SYN`);
    return;
  }
  const c = new TcpSock(l.ns);
  c.parent = l;
  // The child is a clone of the listener (sk_clone_lock): it keeps SO_REUSEADDR.
  c.reuseAddr = l.reuseAddr;
  c.localAddr = pkt.dst;
  c.localPort = l.localPort;
  c.remote = { family: AF_INET, addr: pkt.src, port: t.sport };
  c.state = 'SYN_RECV';
  c.rcvNxt = add(t.seq, 1);
  c.sndWnd = t.window;
  c.iss = stack.nextIss(pkt.dst, l.localPort, pkt.src, t.sport);
  c.sndUna = c.sndNxt = c.iss;
  const ro = routeOutput(l.ns, pkt.src);
  c.mss = typeof ro !== 'string' && ro.route.dev ? ro.route.dev.mtu - 40 : 1460;
  l.synq.push(c);
  l.ns.sockets.tcp.add(c);
  sendReliable(stack, c, TCP_SYN | TCP_ACK, '', at);
}

/** An ICMP error about a segment this namespace sent (tcp_v4_err). */
export function tcpIcmpError(stack: NetStack, ns: NetNamespace, quoted: IpPacket, errno: string): void {
  const t = quoted.tcp!;
  const s = ns.sockets.tcp.lookup(quoted.src, t.sport, quoted.dst, t.dport);
  if (!s || s.state === 'LISTEN') return;
  if (s.state === 'SYN_SENT' || s.state === 'SYN_RECV') {
    abort(stack, s, errno, false);
    return;
  }
  s.softErr = errno;
}
