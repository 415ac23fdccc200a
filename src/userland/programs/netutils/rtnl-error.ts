/**
 * How iproute2's rtnl_talk reports a request the kernel refused (lib/libnetlink.c):
 * the extended ack's message as "Error: MSG." (a period added unless the message has
 * one), else "RTNETLINK answers: " and strerror(errno).
 */
import { STRERROR, type Errno } from '../../../kernel/errno.js';

export function rtnlErrorText(e: { errno: string; extack?: string }): string {
  if (e.extack) return `Error: ${e.extack}${e.extack.endsWith('.') ? '' : '.'}\n`;
  return `RTNETLINK answers: ${STRERROR[e.errno as Errno] ?? e.errno}\n`;
}
