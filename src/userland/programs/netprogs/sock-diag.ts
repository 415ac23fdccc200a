/**
 * One sock_diag dump, as ss(8) asks for it (sock_diag(7)): open a
 * NETLINK_SOCK_DIAG socket, send the request, read the one reply, close
 * (lib/rtnl.ts's netlinkTalk).
 */
import type { SysError } from '../../../kernel/errno.js';
import type { Op } from '../../../kernel/proc/program.js';
import { netlinkTalk } from '../../lib/rtnl.js';
import { NETLINK_SOCK_DIAG, type DiagProto, type DiagReply, type DiagRequest } from '../../../kernel/net/diag-abi.js';

export type { DiagProto, SockDiag } from '../../../kernel/net/diag-abi.js';

/** The sockets of the caller's network namespace for `protos` (a SysError only when the netlink socket itself fails). */
export function sockDiagDump(protos: DiagProto[]): Generator<Op, DiagReply | SysError, unknown> {
  const req: DiagRequest = { op: 'dump', protos };
  return netlinkTalk<DiagReply>(NETLINK_SOCK_DIAG, req);
}
