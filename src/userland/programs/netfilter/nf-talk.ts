/** One netfilter request and its answer over a NETLINK_NETFILTER socket. */
import type { SysError } from '../../../kernel/errno.js';
import type { Op } from '../../../kernel/proc/program.js';
import { NETLINK_NETFILTER, type NfReply, type NfRequest } from '../../../kernel/net/nf-abi.js';
import { netlinkTalk } from '../../lib/rtnl.js';

export function nfTalk(req: NfRequest): Generator<Op, NfReply | SysError, unknown> {
  return netlinkTalk<NfReply>(NETLINK_NETFILTER, req);
}
