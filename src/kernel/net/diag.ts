/**
 * The kernel side of sock_diag (inet_diag): the TCP, UDP and raw sockets of one
 * network namespace as ss lists them.
 */
import type { NetNamespace } from '../ns/net-ns.js';
import { formatIpv4 } from './inet.js';
import type { InetSock } from './sockets.js';
import { TcpSock } from './tcp.js';
import type { DiagReply, DiagRequest, SockDiag } from './diag-abi.js';

/** ss's names for TCP states (tcp_states in ss.c). */
const SS_STATE: Record<string, string> = {
  ESTABLISHED: 'ESTAB',
  SYN_SENT: 'SYN-SENT',
  SYN_RECV: 'SYN-RECV',
  FIN_WAIT1: 'FIN-WAIT-1',
  FIN_WAIT2: 'FIN-WAIT-2',
  TIME_WAIT: 'TIME-WAIT',
  CLOSE: 'UNCONN',
  CLOSE_WAIT: 'CLOSE-WAIT',
  LAST_ACK: 'LAST-ACK',
  LISTEN: 'LISTEN',
  CLOSING: 'CLOSING',
};

function row(s: InetSock, proto: SockDiag['proto']): SockDiag {
  const tcp = s instanceof TcpSock ? s : null;
  return {
    proto,
    state: tcp ? SS_STATE[tcp.state] : s.remote ? 'ESTAB' : 'UNCONN',
    recvQ: tcp ? (tcp.state === 'LISTEN' ? tcp.acceptq.length : tcp.rcvBuf.length) : s.rcvBytes,
    sendQ: tcp ? (tcp.state === 'LISTEN' ? tcp.backlog : tcp.bytesInFlight + tcp.sndBuf.length) : 0,
    localAddr: formatIpv4(s.localAddr),
    // A raw socket's "port" is its protocol (ss shows *:1 for ICMP).
    localPort: proto === 'raw' ? s.proto : s.localPort,
    peerAddr: s.remote ? formatIpv4(s.remote.addr) : '0.0.0.0',
    peerPort: s.remote?.port ?? 0,
    inode: s.inode,
  };
}

export function sockDiag(ns: NetNamespace, req: DiagRequest): DiagReply {
  const socks: SockDiag[] = [];
  const t = ns.sockets;
  // inet_diag walks the listening and established hashes: a socket only bound (CLOSE) is in neither.
  if (req.protos.includes('tcp')) for (const s of t.tcp.all()) if (s.state !== 'CLOSE') socks.push(row(s, 'tcp'));
  if (req.protos.includes('udp')) for (const list of t.udp.values()) for (const s of list) socks.push(row(s, 'udp'));
  if (req.protos.includes('raw')) for (const s of t.raw) socks.push(row(s, 'raw'));
  return { ok: true, socks };
}
