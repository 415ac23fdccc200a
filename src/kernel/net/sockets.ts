/**
 * Internet sockets (socket(7), ip(7), raw(7), udp(7)): the kernel side of a socket
 * descriptor. Port numbers belong to the socket's network namespace (NET-06).
 *
 * Delivery of arriving packets to these sockets is in deliver.ts; TCP's state
 * machine in tcp.ts.
 *
 * Simplification: addresses are objects, not struct sockaddr bytes; a raw socket
 * reads and writes IpPacket objects rather than header bytes.
 */
import { WaitQueue } from '../proc/wait-queue.js';
import type { TcpTable } from './tcp.js';
import type { NetNamespace } from '../ns/net-ns.js';
import { INADDR_ANY, type Ipv4 } from './inet.js';
import { IPPROTO_UDP, type IpPacket } from './packet.js';

export const AF_UNIX = 1;
export const AF_INET = 2;
export const AF_NETLINK = 16;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
export const SOCK_NONBLOCK = 0o4000;
export const SOCK_CLOEXEC = 0o2000000;

/** An IPv4 socket address (struct sockaddr_in). */
export interface SockAddrIn {
  family: typeof AF_INET;
  addr: Ipv4;
  port: number;
}

/** One received datagram (or, for raw sockets, packet). */
export interface Datagram {
  data: string;
  from: SockAddrIn;
  packet?: IpPacket;
}

/** The ephemeral port range (net.ipv4.ip_local_port_range). */
export const EPHEMERAL_LOW = 32768;
export const EPHEMERAL_HIGH = 60999;
/** Default receive buffer (net.core.rmem_default 212992), in bytes of payload. */
export const RCVBUF = 212992;

export class InetSock {
  readonly type: number;
  readonly proto: number;
  readonly ns: NetNamespace;
  localAddr: Ipv4 = INADDR_ANY;
  localPort = 0;
  remote: SockAddrIn | null = null;
  readonly rcvq: Datagram[] = [];
  rcvBytes = 0;
  readonly wait = new WaitQueue();
  /** The pending error (SO_ERROR), as an errno name. */
  softErr: string | null = null;
  /** SO_RCVTIMEO / SO_SNDTIMEO in ns (0: none). */
  rcvTimeoNs = 0;
  sndTimeoNs = 0;
  /** SO_REUSEADDR. */
  reuseAddr = false;
  /** The socket file's inode number (socket:[N]); 0 for sockets only the kernel holds. */
  inode = 0;
  /** A kernel-side owner's callback when data arrives (the outside network's services). */
  onReadable: (() => void) | null = null;

  constructor(type: number, proto: number, ns: NetNamespace) {
    this.type = type;
    this.proto = proto;
    this.ns = ns;
  }

  get bound(): boolean {
    return this.localPort !== 0 || (this.type === SOCK_RAW && this.localAddr !== INADDR_ANY);
  }

  enqueue(d: Datagram): boolean {
    if (this.rcvBytes + d.data.length > RCVBUF) return false;
    this.rcvq.push(d);
    this.rcvBytes += d.data.length;
    return true;
  }

  dequeue(): Datagram | undefined {
    const d = this.rcvq.shift();
    if (d) this.rcvBytes -= d.data.length;
    return d;
  }
}

/** The sockets of one network namespace. */
export class SocketTables {
  readonly raw: InetSock[] = [];
  /** ICMP datagram ("ping") sockets, by identifier in localPort. */
  readonly ping: InetSock[] = [];
  readonly tcp: TcpTable;
  /** UDP sockets by local port. */
  readonly udp = new Map<number, InetSock[]>();
  private nextEphemeral = EPHEMERAL_LOW;

  constructor(tcp: TcpTable) {
    this.tcp = tcp;
  }

  /**
   * Whether (addr, port) is taken for a new UDP bind: same port, and either address
   * is the wildcard or they are equal — unless both sockets set SO_REUSEADDR.
   */
  udpInUse(addr: Ipv4, port: number, reuse = false): boolean {
    return (this.udp.get(port) ?? []).some((s) => (s.localAddr === INADDR_ANY || addr === INADDR_ANY || s.localAddr === addr) && !(reuse && s.reuseAddr));
  }

  bindUdp(s: InetSock, addr: Ipv4, port: number): void {
    s.localAddr = addr;
    s.localPort = port;
    const l = this.udp.get(port) ?? [];
    l.push(s);
    this.udp.set(port, l);
  }

  /** A free ephemeral port for `inUse`, or 0 when the range is exhausted. */
  ephemeral(inUse: (port: number) => boolean): number {
    const span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
    for (let i = 0; i < span; i++) {
      const p = this.nextEphemeral;
      this.nextEphemeral = p >= EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
      if (!inUse(p)) return p;
    }
    return 0;
  }

  unhash(s: InetSock): void {
    for (const list of [this.raw, this.ping]) {
      const i = list.indexOf(s);
      if (i >= 0) list.splice(i, 1);
    }
    if (s.proto === IPPROTO_UDP && s.localPort) {
      const l = this.udp.get(s.localPort);
      if (l) {
        const j = l.indexOf(s);
        if (j >= 0) l.splice(j, 1);
        if (l.length === 0) this.udp.delete(s.localPort);
      }
    }
  }

  /** The UDP socket for a datagram to (addr, port) from `from`: connected and exact matches beat wildcards. */
  udpLookup(addr: Ipv4, port: number, from: SockAddrIn): InetSock | undefined {
    let best: InetSock | undefined;
    let bestScore = -1;
    for (const s of this.udp.get(port) ?? []) {
      if (s.localAddr !== INADDR_ANY && s.localAddr !== addr) continue;
      if (s.remote && (s.remote.addr !== from.addr || s.remote.port !== from.port)) continue;
      const score = (s.localAddr !== INADDR_ANY ? 2 : 0) + (s.remote ? 4 : 0);
      if (score > bestScore) {
        best = s;
        bestScore = score;
      }
    }
    return best;
  }
}

