/**
 * One rtnetlink request and its answer, as iproute2's rtnl_talk does it: open a
 * NETLINK_ROUTE socket, send the request, read the reply, close.
 */
import * as sys from './sys.js';
import { SysError } from '../../kernel/errno.js';
import { AF_NETLINK, SOCK_CLOEXEC, SOCK_RAW } from '../../kernel/net/sockets.js';
import { NETLINK_ROUTE, type RtnlReply, type RtnlRequest } from '../../kernel/net/rtnl-abi.js';

export type { RtnlReply, RtnlRequest };

/** Sends `req` and returns the kernel's answer (a SysError only when the socket itself fails). */
export function* rtnl(req: RtnlRequest): Generator<import('../../kernel/proc/program.js').Op, RtnlReply | SysError, unknown> {
  const fd = yield* sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd instanceof SysError) return fd;
  const sent = yield* sys.sendto(fd, req);
  if (sent instanceof SysError) {
    yield* sys.close(fd);
    return sent;
  }
  const r = yield* sys.recvfrom<RtnlReply>(fd, 1 << 16);
  yield* sys.close(fd);
  if (r instanceof SysError) return r;
  return r.data;
}
