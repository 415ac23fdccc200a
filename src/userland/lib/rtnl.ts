/**
 * One netlink request and its answer, as iproute2's rtnl_talk does it: open a
 * socket(AF_NETLINK, SOCK_RAW, PROTOCOL), send the request, read the one reply,
 * close. rtnetlink (ip, bridge), netfilter (iptables, conntrack) and sock_diag (ss)
 * all go this way.
 */
import * as sys from './sys.js';
import { SysError } from '../../kernel/errno.js';
import type { Op } from '../../kernel/proc/program.js';
import { AF_NETLINK, SOCK_CLOEXEC, SOCK_RAW } from '../../kernel/net/sockets.js';
import { NETLINK_ROUTE, type RtnlReply, type RtnlRequest } from '../../kernel/net/rtnl-abi.js';

export type { RtnlReply, RtnlRequest };

/** Sends `req` on a new netlink socket of `protocol`; the reply, or a SysError when the socket itself fails. */
export function* netlinkTalk<Rep>(protocol: number, req: unknown): Generator<Op, Rep | SysError, unknown> {
  const fd = yield* sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
  if (fd instanceof SysError) return fd;
  const sent = yield* sys.sendto(fd, req);
  const r = sent instanceof SysError ? sent : yield* sys.recvfrom<Rep>(fd, 1 << 16);
  yield* sys.close(fd);
  if (r instanceof SysError) return r;
  return r.data;
}

/** An rtnetlink request (NETLINK_ROUTE). */
export function rtnl(req: RtnlRequest): Generator<Op, RtnlReply | SysError, unknown> {
  return netlinkTalk<RtnlReply>(NETLINK_ROUTE, req);
}
