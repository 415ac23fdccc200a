/**
 * sock_diag as ss(8) uses it (sock_diag(7)): a request over a
 * socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG) for the sockets of the caller's
 * network namespace, answered with one object per socket.
 *
 * Simplification: objects rather than inet_diag_msg bytes; no per-socket memory
 * or TCP info extensions; processes are not reported (ss -p).
 *
 * This file is part of the kernel ABI: userland imports its types.
 */

export const NETLINK_SOCK_DIAG = 4;

export type DiagProto = 'tcp' | 'udp' | 'raw';

export interface DiagRequest {
  op: 'dump';
  protos: DiagProto[];
}

export interface SockDiag {
  proto: DiagProto;
  /** TCP's state as ss names it (ESTAB, LISTEN, TIME-WAIT, …); UNCONN for unconnected datagram sockets, ESTAB for connected ones. */
  state: string;
  /** Bytes waiting to be read (for a listener: connections waiting to be accepted). */
  recvQ: number;
  /** Bytes not yet acknowledged (for a listener: the backlog). */
  sendQ: number;
  localAddr: string;
  localPort: number;
  peerAddr: string;
  peerPort: number;
  /** The inode of the socket file (socket:[N]), 0 for kernel-owned sockets. */
  inode: number;
}

export type DiagReply = { ok: true; socks: SockDiag[] } | { ok: false; errno: string };
