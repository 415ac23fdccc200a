/** One netfilter request and its answer over a NETLINK_NETFILTER socket (as rtnl.ts does for rtnetlink). */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Op } from '../../../kernel/proc/program.js';
import { AF_NETLINK, SOCK_CLOEXEC, SOCK_RAW } from '../../../kernel/net/sockets.js';
import { NETLINK_NETFILTER, type NfReply, type NfRequest } from '../../../kernel/net/nf-abi.js';

export function* nfTalk(req: NfRequest): Generator<Op, NfReply | SysError, unknown> {
  const fd = yield* sys.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (fd instanceof SysError) return fd;
  const sent = yield* sys.sendto(fd, req);
  const r = sent instanceof SysError ? sent : yield* sys.recvfrom<NfReply>(fd, 1 << 16);
  yield* sys.close(fd);
  if (r instanceof SysError) return r;
  return r.data;
}
