/**
 * How iproute2 6.1 prints addresses (ip/ipaddress.c print_addrinfo): pure functions
 * from the kernel's AddrInfo to text or JSON.
 *
 *       inet 172.18.0.10/16 brd 172.18.255.255 scope global ceth0
 *          valid_lft forever preferred_lft forever
 *       inet6 fe80::785e:bdff:fe9d:a537/64 scope link
 *          valid_lft forever preferred_lft forever
 *
 * Simplification: every address is permanent with infinite lifetimes (no DHCP, no
 * SLAAC), so "dynamic" and finite lifetimes never appear; the ABI has no
 * IFA_F_SECONDARY, so a second address in a subnet is not marked "secondary".
 */
import type { AddrInfo } from '../../../kernel/net/rtnl-abi.js';
import type { JsonValue } from './json.js';

/** INFINITY_LIFE_TIME: what -j prints for "forever". */
const FOREVER = 4294967295;

/** One address: "    inet A/N [brd B] scope S [flags] [label]" SL "       valid_lft …". */
export function addrText(a: AddrInfo, devName: string, sl: string): string {
  let s = `    ${a.family} ${a.local}/${a.prefixlen} `;
  if (a.broadcast !== undefined) s += `brd ${a.broadcast} `;
  s += `scope ${a.scope} `;
  // IFA flags in iproute2's order (secondary comes before tentative).
  if (a.secondary) s += 'secondary ';
  if (a.tentative) s += 'tentative ';
  // IPv4 addresses carry a label (IFA_LABEL: the device name unless given); IPv6 ones have none.
  if (a.family === 'inet') s += a.label ?? devName;
  return s + `${sl}       valid_lft forever preferred_lft forever\n`;
}

/** `-o`: "IDX: DEV    inet …\       valid_lft …" — one line per address. */
export function addrOneline(a: AddrInfo, devName: string): string {
  return `${a.ifindex}: ${devName}` + addrText(a, devName, '\\');
}

/** `-br`: "A/N " per address (after the link's brief columns). */
export function addrBrief(a: AddrInfo): string {
  return `${a.local}/${a.prefixlen} `;
}

export function addrJson(a: AddrInfo, devName: string): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { family: a.family, local: a.local, prefixlen: a.prefixlen };
  if (a.broadcast !== undefined) o.broadcast = a.broadcast;
  o.scope = a.scope;
  if (a.secondary) o.secondary = true;
  if (a.tentative) o.tentative = true;
  if (a.family === 'inet') o.label = a.label ?? devName;
  o.valid_life_time = FOREVER;
  o.preferred_life_time = FOREVER;
  return o;
}
