/**
 * Socket system calls (socket(2), bind(2), connect(2), sendto(2), recvfrom(2),
 * getsockname(2), setsockopt(2)) and poll(2). A socket is an open file whose
 * private state is a kernel socket: an AF_INET raw or UDP socket (net/sockets.ts)
 * or an AF_NETLINK NETLINK_ROUTE socket (net/netlink.ts), each in the network
 * namespace of its creator (NET-06).
 *
 * Simplification: addresses are objects, not sockaddr bytes; SO_RCVTIMEO takes
 * microseconds rather than a struct timeval; no AF_UNIX, no sendmsg/recvmsg
 * ancillary data, no MSG_PEEK/MSG_OOB.
 */
import type { Kernel } from '../kernel.js';
import { err, ERRNO, SysError, type Errno } from '../errno.js';
import type { Task } from '../proc/task.js';
import { OpenFile, type Block, type FileOps } from '../vfs/file.js';
import { pipeOfFile } from '../fs/fifo.js';
import { O_NONBLOCK, O_RDWR } from '../vfs/types.js';
import { installFile } from './sys-file.js';
import type { HandlerTable } from './handler.js';
import { nsGet, nsPut } from '../ns/namespace.js';
import type { NetNamespace } from '../ns/net-ns.js';
import { CAP, nsCapable, capMissing } from '../ns/capabilities.js';
import { AF_INET, AF_NETLINK, InetSock, SOCK_CLOEXEC, SOCK_DGRAM, SOCK_NONBLOCK, SOCK_RAW, SOCK_STREAM, type SockAddrIn } from '../net/sockets.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, ICMP_HLEN, type IcmpMessage, type IpPacket } from '../net/packet.js';
import { DEFAULT_TTL, ipSend, isLocalAddr, routeFailure, routeOutput } from '../net/ipv4.js';
import { formatIpv4, INADDR_ANY } from '../net/inet.js';
import { NETLINK_ROUTE, type RtnlReply, type RtnlRequest } from '../net/rtnl-abi.js';
import { rtnlHandle } from '../net/netlink.js';
import { NETLINK_NETFILTER, type NfReply, type NfRequest } from '../net/nf-abi.js';
import { nfHandle } from '../net/nat.js';
import { NETLINK_SOCK_DIAG, type DiagReply, type DiagRequest } from '../net/diag-abi.js';
import { sockDiag } from '../net/diag.js';
import { TcpSock, tcpClose, tcpConnect, tcpListen, tcpRecv, tcpSend, tcpShutdownWrite } from '../net/tcp.js';
import { sendSignal } from '../proc/task-signal.js';
import { SIG } from '../proc/signals.js';
import { WaitQueue } from '../proc/wait-queue.js';
import { copyCost } from '../../hw/cost-table.js';

export const SOL_SOCKET = 1;
export const SO_REUSEADDR = 2;
export const SO_ERROR = 4;
export const SO_BROADCAST = 6;
export const SO_RCVTIMEO = 20;
export const SOL_IP = 0;
export const IP_TTL = 2;
export const POLLIN = 0x1;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;

/** An AF_INET socket's extra per-socket options. */
interface InetPriv {
  kind: 'inet';
  sock: InetSock;
  ttl: number;
  ino: number;
}

interface NetlinkPriv {
  kind: 'netlink';
  /** NETLINK_ROUTE or NETLINK_NETFILTER. */
  protocol: number;
  ns: NetNamespace;
  replies: (RtnlReply | NfReply | DiagReply)[];
  wait: WaitQueue;
  ino: number;
}

type SockPriv = InetPriv | NetlinkPriv;

function sockOf(t: Task, fd: number): { f: OpenFile; p: SockPriv } | SysError {
  const f = t.files.get(fd);
  if (!f) return err('EBADF', `descriptor ${fd} is not open`);
  if (f.ops !== socketOps) return err('ENOTSOCK', `descriptor ${fd} is not a socket`);
  return { f, p: f.priv as SockPriv };
}

function inetOf(t: Task, fd: number): { f: OpenFile; p: InetPriv } | SysError {
  const s = sockOf(t, fd);
  if (s instanceof SysError) return s;
  if (s.p.kind !== 'inet') return err('EOPNOTSUPP', 'not an internet socket');
  return s as { f: OpenFile; p: InetPriv };
}

// ---- data --------------------------------------------------------------------

function sendInet(k: Kernel, t: Task, p: InetPriv, data: unknown, addr: SockAddrIn | undefined): number | SysError {
  const s = p.sock;
  const to = addr ?? s.remote;
  if (!to) return err('EDESTADDRREQ', 'the socket is not connected and no address was given');
  if (to.family !== AF_INET) return err('EAFNOSUPPORT', `address family ${to.family} is not AF_INET`);
  const ns = s.ns;
  const stack = k.net;
  let pkt: IpPacket;
  let len: number;
  if (s.proto === IPPROTO_ICMP) {
    const icmp = { ...(data as IcmpMessage) };
    if (s.type === SOCK_DGRAM) {
      // A ping socket's identifier is its "port", which the kernel picks (ping_get_port).
      if (s.localPort === 0) s.localPort = ns.sockets.ephemeral((q) => ns.sockets.ping.some((o) => o.localPort === q));
      icmp.id = s.localPort;
    }
    len = ICMP_HLEN + icmp.dataLen;
    pkt = { src: s.localAddr, dst: to.addr, ttl: p.ttl, proto: IPPROTO_ICMP, id: stack.ipId++ & 0xffff, icmp };
  } else {
    const text = String(data);
    if (s.localPort === 0) {
      const port = ns.sockets.ephemeral((q) => ns.sockets.udpInUse(INADDR_ANY, q));
      if (port === 0) return err('EAGAIN', 'no free ephemeral port');
      ns.sockets.bindUdp(s, INADDR_ANY, port);
    }
    len = text.length;
    if (len > 65507) return err('EMSGSIZE', `a UDP datagram holds at most 65507 bytes, this one has ${len}`);
    pkt = { src: s.localAddr, dst: to.addr, ttl: p.ttl, proto: IPPROTO_UDP, id: stack.ipId++ & 0xffff, udp: { sport: s.localPort, dport: to.port, data: text } };
  }
  k.charge(k.costs.netTx + copyCost(k.costs, len));
  const e = ipSend(stack, ns, pkt, k.now + k.pendingCost);
  if (e) return err(e as Errno, routeFailure(e, to.addr));
  return len;
}

interface RecvState {
  deadline: number;
}

/** Nothing to read yet: EAGAIN when non-blocking or past SO_RCVTIMEO, else sleep until data (or the timeout). */
function waitForData(k: Kernel, t: Task, f: OpenFile, s: InetSock, nonblock: boolean): SysError | Block {
  if (nonblock || f.flags & O_NONBLOCK) return err('EAGAIN', 'no data waiting');
  if (s.rcvTimeoNs > 0) {
    const st = (t.syscallState as RecvState | undefined) ?? { deadline: k.now + s.rcvTimeoNs };
    if (k.now >= st.deadline) {
      t.syscallState = undefined;
      return err('EAGAIN', 'SO_RCVTIMEO expired');
    }
    t.syscallState = st;
    return k.sleepUntil(t, st.deadline, s.wait);
  }
  return k.sleepOn(t, s.wait);
}

function recvInet(k: Kernel, t: Task, f: OpenFile, p: InetPriv, count: number, nonblock: boolean): { data: unknown; from: SockAddrIn | null } | SysError | Block {
  const s = p.sock;
  if (s.softErr) {
    const e = s.softErr;
    s.softErr = null;
    return err(e as 'ECONNREFUSED', 'an ICMP destination-unreachable answered an earlier datagram; the error is reported once');
  }
  const d = s.dequeue();
  if (d) {
    t.syscallState = undefined;
    if (s.proto === IPPROTO_ICMP) return { data: d.packet, from: d.from };
    k.charge(copyCost(k.costs, Math.min(count, d.data.length)));
    return { data: d.data.slice(0, count), from: d.from };
  }
  return waitForData(k, t, f, s, nonblock);
}


// ---- TCP -----------------------------------------------------------------------

const E = (name: string, why: string): SysError => err(name as Errno, why);

/** Why a TCP connection failed, from the errno the stack recorded on it. */
function tcpFailure(e: string): string {
  if (e === 'ECONNRESET') return 'the peer reset the connection';
  if (e === 'ECONNREFUSED') return 'the peer refused the connection: nothing listens on that port';
  if (e === 'ETIMEDOUT') return 'the peer stopped answering and retransmission gave up';
  if (e === 'EPIPE') return 'the peer closed its end, then reset the connection';
  return 'an ICMP destination-unreachable from the network aborted the connection';
}

interface WriteProgress {
  written: number;
}

function tcpWrite(k: Kernel, t: Task, f: OpenFile, s: TcpSock, data: string): number | SysError | Block {
  const prog = (t.syscallState as WriteProgress | undefined) ?? { written: 0 };
  const done = (): number | SysError => {
    t.syscallState = undefined;
    return prog.written;
  };
  if (s.err) {
    // The pending error is reported once, without a signal (sock_error); the next write gets EPIPE and SIGPIPE.
    const e = s.err;
    if (prog.written > 0) return done();
    s.err = null;
    return E(e, e === 'ECONNRESET' ? 'the peer reset the connection' : tcpFailure(e));
  }
  if (s.finPending) {
    sendSignal(k, t, SIG.SIGPIPE);
    return prog.written > 0 ? done() : err('EPIPE', 'this end was shut down for writing');
  }
  if (s.state === 'SYN_SENT' || s.state === 'SYN_RECV') {
    if (f.flags & O_NONBLOCK) return err('EAGAIN', `the connection is still in ${s.state} and the socket is non-blocking`);
    t.syscallState = prog;
    return k.sleepOn(t, s.wait);
  }
  if (s.state !== 'ESTABLISHED' && s.state !== 'CLOSE_WAIT') {
    if (s.state === 'CLOSE' && !s.remote) return err('ENOTCONN', 'the socket was never connected to a peer');
    sendSignal(k, t, SIG.SIGPIPE);
    return prog.written > 0 ? done() : err('EPIPE', `the connection is ${s.state}`);
  }
  const chunk = data.slice(prog.written);
  k.charge(k.costs.netTx + copyCost(k.costs, chunk.length));
  prog.written += tcpSend(k.net, s, chunk, k.now + k.pendingCost);
  if (prog.written >= data.length || f.flags & O_NONBLOCK) {
    if (prog.written === 0) return err('EAGAIN', 'the send buffer is full');
    return done();
  }
  t.syscallState = prog;
  return k.sleepOn(t, s.wait);
}

function tcpRead(k: Kernel, t: Task, f: OpenFile, s: TcpSock, count: number, nonblock: boolean): string | SysError | Block {
  if (s.rcvBuf.length > 0) {
    t.syscallState = undefined;
    const out = tcpRecv(k.net, s, count, k.now + k.pendingCost);
    k.charge(copyCost(k.costs, out.length));
    return out;
  }
  if (s.finReceived || s.readShut) return '';
  if (s.err) {
    const e = s.err;
    s.err = null;
    return E(e, tcpFailure(e));
  }
  if (s.state === 'CLOSE' || s.state === 'LISTEN') return s.remote ? '' : err('ENOTCONN', `the socket is ${s.state} and has no peer`);
  return waitForData(k, t, f, s, nonblock);
}

/** Readiness of a TCP socket for poll(2). */
function tcpPoll(s: TcpSock): number {
  let m = 0;
  if (s.state === 'LISTEN') return s.acceptq.length ? POLLIN : 0;
  if (s.rcvBuf.length || s.finReceived || s.readShut || s.err) m |= POLLIN;
  if (((s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT') && s.sndSpace > 0) || s.err) m |= POLLOUT;
  if (s.err) m |= POLLERR;
  if (s.state === 'CLOSE' && s.remote) m |= POLLHUP;
  return m;
}

function newSockFile(k: Kernel, priv: SockPriv, flags: number): OpenFile {
  return new OpenFile(socketOps, O_RDWR | (flags & SOCK_NONBLOCK ? O_NONBLOCK : 0), null, null, `socket:[${priv.ino}]`, priv);
}

export const socketOps: FileOps = {
  read(k, t, f, count) {
    const p = f.priv as SockPriv;
    if (p.kind !== 'inet') return err('EOPNOTSUPP', 'ctsim reads a netlink socket only with recvfrom(2), not read(2)');
    if (p.sock instanceof TcpSock) return tcpRead(k, t, f, p.sock, count, false);
    const r = recvInet(k, t, f, p, count, false);
    if (r instanceof SysError || typeof r === 'symbol') return r;
    return typeof r.data === 'string' ? r.data : '';
  },
  write(k, t, f, data) {
    const p = f.priv as SockPriv;
    if (p.kind !== 'inet') return err('EOPNOTSUPP', 'ctsim writes a netlink socket only with sendto(2), not write(2)');
    if (p.sock instanceof TcpSock) return tcpWrite(k, t, f, p.sock, data);
    return sendInet(k, t, p, data, undefined);
  },
  seekable: () => err('ESPIPE', 'a socket has no file offset to seek'),
  poll(_k, f) {
    const p = f.priv as SockPriv;
    if (p.kind === 'netlink') return (p.replies.length ? POLLIN : 0) | POLLOUT;
    if (p.sock instanceof TcpSock) return tcpPoll(p.sock);
    return (p.sock.rcvq.length || p.sock.softErr ? POLLIN : 0) | (p.sock.softErr ? POLLERR : 0) | POLLOUT;
  },
  release(k, f) {
    const p = f.priv as SockPriv;
    if (p.kind === 'inet') {
      if (p.sock instanceof TcpSock) tcpClose(k.net, p.sock, k.now + k.pendingCost);
      else p.sock.ns.sockets.unhash(p.sock);
      nsPut(p.sock.ns);
    } else nsPut(p.ns);
  },
  describe(f) {
    return `socket:[${(f.priv as SockPriv).ino}]`;
  },
};

/** The wait queues poll(2) sleeps on for a file (a socket's, a pipe's or FIFO's two). */
function pollQueues(f: OpenFile): WaitQueue[] {
  const pipe = pipeOfFile(f);
  if (pipe) return [pipe.readWait, pipe.writeWait];
  if (f.ops !== socketOps) return [];
  const p = f.priv as SockPriv;
  return [p.kind === 'inet' ? p.sock.wait : p.wait];
}


interface ConnectState {
  started: true;
}

/** connect(2) on a stream socket: SYN, then wait for the handshake (or EINPROGRESS). */
function tcpConnectCall(k: Kernel, t: Task, f: OpenFile, s: TcpSock, to: SockAddrIn): number | SysError | Block {
  const st = t.syscallState as ConnectState | undefined;
  if (!st) {
    if (s.state === 'ESTABLISHED' || s.state === 'CLOSE_WAIT') return err('EISCONN', `the socket is already connected (${s.state})`);
    if (s.state === 'SYN_SENT') return err('EALREADY', 'an earlier connect is still waiting for the handshake (SYN_SENT)');
    if (s.state === 'LISTEN') return err('EINVAL', 'a listening socket cannot connect');
    if (to.family !== AF_INET) return err('EAFNOSUPPORT', `address family ${to.family} is not AF_INET`);
    k.charge(k.costs.netTx);
    const e = tcpConnect(k.net, s, to, k.now + k.pendingCost);
    if (e) return E(e, routeFailure(e, to.addr));
    if (f.flags & O_NONBLOCK) return err('EINPROGRESS', 'the SYN is sent but the socket is non-blocking: poll for POLLOUT, then read SO_ERROR');
    t.syscallState = { started: true };
    return k.sleepOn(t, s.wait);
  }
  if (s.state === 'SYN_SENT') return k.sleepOn(t, s.wait);
  t.syscallState = undefined;
  if (s.err) {
    const e = s.err;
    s.err = null;
    return E(e, e === 'ECONNREFUSED' ? 'the peer answered the SYN with RST: nothing listens on that port' : tcpFailure(e));
  }
  return 0;
}

function doAccept(k: Kernel, t: Task, fd: number, flags: number): { fd: number; addr: SockAddrIn } | SysError | Block {
  const s = inetOf(t, fd);
  if (s instanceof SysError) return s;
  const l = s.p.sock;
  if (!(l instanceof TcpSock)) return err('EOPNOTSUPP', `descriptor ${fd} is not a stream socket: only stream sockets accept connections`);
  if (l.state !== 'LISTEN') return err('EINVAL', 'the socket is not listening');
  const c = l.acceptq.shift();
  if (!c) {
    if (s.f.flags & O_NONBLOCK) return err('EAGAIN', `no connection is waiting on descriptor ${fd} and it is non-blocking`);
    return k.sleepOn(t, l.wait);
  }
  c.parent = null;
  const priv: InetPriv = { kind: 'inet', sock: c, ttl: DEFAULT_TTL, ino: k.allocAnonIno() };
  c.inode = priv.ino;
  nsGet(c.ns);
  const nf = newSockFile(k, priv, flags);
  const nfd = installFile(t, nf, (flags & SOCK_CLOEXEC) !== 0);
  if (nfd instanceof SysError) {
    socketOps.release!(k, nf);
    return nfd;
  }
  return { fd: nfd, addr: { ...c.remote! } };
}

export const netSyscalls: HandlerTable = {
  /** socket({domain, type, protocol}). */
  socket(k, t, r: { domain: number; type: number; protocol: number }) {
    const base = r.type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    const ns = t.nsproxy.net;
    let priv: SockPriv;
    if (r.domain === AF_NETLINK) {
      if (base !== SOCK_RAW && base !== SOCK_DGRAM) return err('ESOCKTNOSUPPORT', `netlink sockets are SOCK_RAW or SOCK_DGRAM, not type ${base}`);
      if (r.protocol !== NETLINK_ROUTE && r.protocol !== NETLINK_NETFILTER && r.protocol !== NETLINK_SOCK_DIAG) {
        return err('EPROTONOSUPPORT', 'only NETLINK_ROUTE, NETLINK_SOCK_DIAG and NETLINK_NETFILTER are modelled');
      }
      priv = { kind: 'netlink', protocol: r.protocol, ns: nsGet(ns), replies: [], wait: new WaitQueue(), ino: k.allocAnonIno() };
    } else if (r.domain === AF_INET) {
      let proto = r.protocol;
      if (base === SOCK_DGRAM) {
        if (proto === 0) proto = IPPROTO_UDP;
        if (proto === IPPROTO_ICMP) {
          // Ping sockets (ping_init_sock): only for groups in net.ipv4.ping_group_range.
          const [lo, hi] = ns.pingGroupRange;
          const groups = [t.creds.egid, ...t.creds.groups];
          if (!groups.some((g) => g >= lo && g <= hi)) return err('EACCES', `no group of the caller is in net.ipv4.ping_group_range (${lo} ${hi})`);
        } else if (proto !== IPPROTO_UDP) return err('EPROTONOSUPPORT', `a SOCK_DGRAM internet socket is UDP or ICMP (ping), not protocol ${proto}`);
      } else if (base === SOCK_RAW) {
        if (proto !== IPPROTO_ICMP) return err('EPROTONOSUPPORT', 'only IPPROTO_ICMP raw sockets are modelled');
        if (!nsCapable(t.creds, ns.owner!, CAP.NET_RAW)) return err('EPERM', 'raw sockets need CAP_NET_RAW in the user namespace that owns the network namespace' + '; ' + capMissing(t.creds, ns.owner!, CAP.NET_RAW));
      } else if (base === SOCK_STREAM) {
        if (proto !== 0 && proto !== IPPROTO_TCP) return err('EPROTONOSUPPORT', `a SOCK_STREAM internet socket is TCP, not protocol ${proto}`);
      } else return err('ESOCKTNOSUPPORT', `socket type ${base} is not modelled for AF_INET (SOCK_STREAM, SOCK_DGRAM and SOCK_RAW are)`);
      const sock = base === SOCK_STREAM ? new TcpSock(nsGet(ns)) : new InetSock(base, proto, nsGet(ns));
      if (base === SOCK_RAW) ns.sockets.raw.push(sock);
      if (base === SOCK_DGRAM && proto === IPPROTO_ICMP) ns.sockets.ping.push(sock);
      priv = { kind: 'inet', sock, ttl: DEFAULT_TTL, ino: k.allocAnonIno() };
      sock.inode = priv.ino;
    } else return err('EAFNOSUPPORT', `address family ${r.domain} is not modelled`);
    const f = newSockFile(k, priv, r.type);
    const fd = installFile(t, f, (r.type & SOCK_CLOEXEC) !== 0);
    if (fd instanceof SysError) socketOps.release!(k, f);
    return fd;
  },

  bind(_k, t, r: { fd: number; addr: SockAddrIn }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    const sock = s.p.sock;
    if (r.addr.family !== AF_INET) return err('EAFNOSUPPORT', `address family ${r.addr.family} is not AF_INET`);
    if (sock.bound) return err('EINVAL', 'the socket is already bound');
    const ns = sock.ns;
    if (r.addr.addr !== INADDR_ANY && !isLocalAddr(ns, r.addr.addr) && r.addr.addr >>> 24 !== 127) return err('EADDRNOTAVAIL', `${formatIpv4(r.addr.addr)} is not an address of this network namespace`);
    if (sock.type === SOCK_RAW) {
      sock.localAddr = r.addr.addr;
      return 0;
    }
    let port = r.addr.port;
    if (port !== 0 && port < 1024 && !nsCapable(t.creds, ns.owner!, CAP.NET_BIND_SERVICE)) return err('EACCES', `port ${port} is privileged (CAP_NET_BIND_SERVICE)` + '; ' + capMissing(t.creds, ns.owner!, CAP.NET_BIND_SERVICE));
    if (sock instanceof TcpSock) {
      const tcp = ns.sockets.tcp;
      if (port === 0) port = ns.sockets.ephemeral((q) => tcp.bindConflict(r.addr.addr, q, sock.reuseAddr));
      else if (tcp.bindConflict(r.addr.addr, port, sock.reuseAddr)) return err('EADDRINUSE', `TCP port ${port} is taken in this network namespace`);
      sock.localAddr = r.addr.addr;
      sock.localPort = port;
      tcp.add(sock);
      return 0;
    }
    if (port === 0) port = ns.sockets.ephemeral((q) => ns.sockets.udpInUse(r.addr.addr, q));
    else if (ns.sockets.udpInUse(r.addr.addr, port, sock.reuseAddr)) return err('EADDRINUSE', `UDP port ${port} is taken in this network namespace`);
    ns.sockets.bindUdp(sock, r.addr.addr, port);
    return 0;
  },

  connect(k, t, r: { fd: number; addr: SockAddrIn }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    const sock = s.p.sock;
    if (r.addr.family !== AF_INET) return err('EAFNOSUPPORT', `address family ${r.addr.family} is not AF_INET`);
    if (sock instanceof TcpSock) return tcpConnectCall(k, t, s.f, sock, r.addr);
    const ro = routeOutput(sock.ns, r.addr.addr);
    if (typeof ro === 'string') return err(ro, routeFailure(ro, r.addr.addr));
    if (sock.type === SOCK_DGRAM && sock.localPort === 0) {
      const ns = sock.ns;
      ns.sockets.bindUdp(sock, INADDR_ANY, ns.sockets.ephemeral((q) => ns.sockets.udpInUse(INADDR_ANY, q)));
    }
    if (sock.localAddr === INADDR_ANY) sock.localAddr = ro.src;
    sock.remote = { ...r.addr };
    k.charge(k.costs.netTx);
    return 0;
  },

  sendto(k, t, r: { fd: number; data: unknown; flags: number; addr?: SockAddrIn }) {
    const s = sockOf(t, r.fd);
    if (s instanceof SysError) return s;
    if (s.p.kind === 'netlink') {
      const p = s.p;
      const reply =
        p.protocol === NETLINK_SOCK_DIAG
          ? sockDiag(p.ns, r.data as DiagRequest)
          : p.protocol === NETLINK_NETFILTER
          ? nsCapable(t.creds, p.ns.owner!, CAP.NET_ADMIN)
            ? nfHandle(p.ns, r.data as NfRequest, k.now)
            : ({ ok: false, errno: 'EPERM' } as NfReply)
          : rtnlHandle(k, t, p.ns, r.data as RtnlRequest);
      s.p.replies.push(reply);
      k.wakeAll(s.p.wait);
      return 1;
    }
    if (s.p.sock instanceof TcpSock) return tcpWrite(k, t, s.f, s.p.sock, String(r.data));
    return sendInet(k, t, s.p, r.data, r.addr);
  },

  recvfrom(k, t, r: { fd: number; count: number; flags: number }) {
    const s = sockOf(t, r.fd);
    if (s instanceof SysError) return s;
    if (s.p.kind === 'netlink') {
      const reply = s.p.replies.shift();
      if (reply) return { data: reply, from: null };
      if (s.f.flags & O_NONBLOCK) return err('EAGAIN', 'no netlink reply is waiting and the socket is non-blocking');
      return k.sleepOn(t, s.p.wait);
    }
    const MSG_DONTWAIT = 0x40;
    const sock = s.p.sock;
    if (sock instanceof TcpSock) {
      const d = tcpRead(k, t, s.f, sock, r.count, (r.flags & MSG_DONTWAIT) !== 0);
      return typeof d === 'string' ? { data: d, from: sock.remote ? { ...sock.remote } : null } : d;
    }
    return recvInet(k, t, s.f, s.p, r.count, (r.flags & MSG_DONTWAIT) !== 0);
  },

  getsockname(_k, t, r: { fd: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    return { family: AF_INET, addr: s.p.sock.localAddr, port: s.p.sock.localPort };
  },

  getpeername(_k, t, r: { fd: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    return s.p.sock.remote ? { ...s.p.sock.remote } : err('ENOTCONN', `descriptor ${r.fd} has no peer: it was never connected`);
  },

  setsockopt(_k, t, r: { fd: number; level: number; name: number; value: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    if (r.level === SOL_SOCKET && r.name === SO_RCVTIMEO) s.p.sock.rcvTimeoNs = r.value * 1000;
    else if (r.level === SOL_IP && r.name === IP_TTL) {
      if (r.value < -1 || r.value === 0 || r.value > 255) return err('EINVAL', `IP_TTL ${r.value} is out of range: it must be 1 to 255, or -1 for the default`);
      s.p.ttl = r.value === -1 ? DEFAULT_TTL : r.value;
    } else if (r.level === SOL_SOCKET && r.name === SO_REUSEADDR) {
      s.p.sock.reuseAddr = r.value !== 0;
    } else if (r.level === SOL_SOCKET && r.name === SO_BROADCAST) return 0;
    else return err('ENOPROTOOPT', `option ${r.name} at level ${r.level} is not modelled`);
    return 0;
  },

  getsockopt(_k, t, r: { fd: number; level: number; name: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    if (r.level === SOL_SOCKET && r.name === SO_ERROR) {
      const sock = s.p.sock;
      const e = (sock instanceof TcpSock ? sock.err : null) ?? sock.softErr;
      if (sock instanceof TcpSock) sock.err = null;
      sock.softErr = null;
      return e ? ERRNO[e as Errno] : 0;
    }
    if (r.level === SOL_IP && r.name === IP_TTL) return s.p.ttl;
    return err('ENOPROTOOPT', `option ${r.name} at level ${r.level} is not modelled`);
  },


  listen(_k, t, r: { fd: number; backlog: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    const sock = s.p.sock;
    if (!(sock instanceof TcpSock)) return err('EOPNOTSUPP', 'only stream sockets listen');
    if (sock.state !== 'CLOSE' && sock.state !== 'LISTEN') return err('EINVAL', `the socket is ${sock.state}`);
    if (sock.localPort === 0) {
      // Listening on an unbound socket binds it to an ephemeral port (inet_autobind).
      const tcp = sock.ns.sockets.tcp;
      sock.localPort = sock.ns.sockets.ephemeral((q) => tcp.bindConflict(INADDR_ANY, q, false));
      tcp.add(sock);
    } else if (sock.ns.sockets.tcp.byPort.get(sock.localPort)?.some((o) => o !== sock && o.state === 'LISTEN' && (o.localAddr === INADDR_ANY || sock.localAddr === INADDR_ANY || o.localAddr === sock.localAddr))) {
      return err('EADDRINUSE', `another socket already listens on TCP port ${sock.localPort}`);
    }
    tcpListen(sock, r.backlog);
    return 0;
  },

  accept: (k, t, r: { fd: number }) => doAccept(k, t, r.fd, 0),
  accept4: (k, t, r: { fd: number; flags: number }) => doAccept(k, t, r.fd, r.flags ?? 0),

  shutdown(k, t, r: { fd: number; how: number }) {
    const s = inetOf(t, r.fd);
    if (s instanceof SysError) return s;
    const sock = s.p.sock;
    if (!(sock instanceof TcpSock)) return err('EOPNOTSUPP', 'ctsim models shutdown(2) only on stream sockets');
    if (r.how < 0 || r.how > 2) return err('EINVAL', `how ${r.how} is not SHUT_RD (0), SHUT_WR (1) or SHUT_RDWR (2)`);
    if (!sock.remote || sock.state === 'CLOSE' || sock.state === 'LISTEN') return err('ENOTCONN', `the socket is ${sock.state}${sock.remote ? '' : ' and has no peer'}`);
    if (r.how === 1 || r.how === 2) tcpShutdownWrite(k.net, sock, k.now + k.pendingCost);
    if (r.how === 0 || r.how === 2) {
      sock.readShut = true;
      k.wakeAll(sock.wait);
    }
    return 0;
  },

  /** poll({fds: [{fd, events}], timeoutMs}) → revents per entry; sleeps until one is ready or the timeout. */
  poll(k, t, r: { fds: { fd: number; events: number }[]; timeoutMs: number }) {
    const revents = r.fds.map(({ fd, events }) => {
      if (fd < 0) return 0;
      const f = t.files.get(fd);
      if (!f) return POLLNVAL;
      const ready = f.ops.poll ? f.ops.poll(k, f) : POLLIN | POLLOUT;
      return ready & (events | POLLERR | POLLHUP);
    });
    const st = t.syscallState as RecvState | undefined;
    if (revents.some((x) => x !== 0) || r.timeoutMs === 0 || (st && k.now >= st.deadline)) {
      t.syscallState = undefined;
      return revents;
    }
    const queues = r.fds.flatMap(({ fd }) => {
      const f = t.files.get(fd);
      return f ? pollQueues(f) : [];
    });
    for (const q of queues.slice(1)) {
      q.add(t);
      t.waitingOn.push(q);
    }
    if (r.timeoutMs < 0) return k.sleepOn(t, queues[0] ?? null);
    const deadline = st?.deadline ?? k.now + r.timeoutMs * 1_000_000;
    t.syscallState = { deadline };
    return k.sleepUntil(t, deadline, queues[0] ?? null);
  },
};
