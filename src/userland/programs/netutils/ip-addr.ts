/**
 * `ip address` (iproute2 6.1 ip/ipaddress.c): list addresses, add and delete them
 * (RTM_NEWADDR / RTM_DELADDR), flush a device's.
 *
 *   ip addr [show [dev] DEV]
 *   ip addr add|del A.B.C.D[/N] [brd +|-|ADDR] [scope S] [label L] dev DEV
 *   ip addr flush dev DEV
 *
 * Without /N an address is a /32; an address in 127/8 gets scope host, any other
 * scope global, unless `scope` says otherwise; `brd +` sets the host bits.
 *
 * Simplification: IPv4 addresses only are added or removed (IPv6 link-local addresses
 * are the kernel's own); no peer, anycast, lifetimes, metric or flags; flush only by
 * device.
 */
import { broadcastOf, formatIpv4, networkOf, parseIpv4 } from '../../../kernel/net/inet.js';
import type { AddrInfo } from '../../../kernel/net/rtnl-abi.js';
import { fail, invarg, loadLinks, matches, talk, type Gen, type GlobalOptions } from './common.js';
import { ipList } from './ip-list.js';

const ADDR_USAGE = `Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]
                                                      [ CONFFLAG-LIST ]
       ip address del IFADDR dev IFNAME [mngtmpaddr]
       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]
                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]
       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]
                         [ nomaster ]
                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]
                         [ label LABEL ] [up] [ vrf NAME ] ]
       ip address {showdump|restore}
`;

const INCOMPLETE = 'Command line is not complete. Try option "help"\n';

/** An IPv4 prefix "A.B.C.D[/N]" (get_prefix), or null. */
export function parsePrefix(text: string): { addr: number; len: number } | null {
  const slash = text.indexOf('/');
  const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
  if (addr === null) return null;
  if (slash < 0) return { addr, len: 32 };
  const len = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return null;
  return { addr, len: Number(len) };
}

/** get_prefix's complaint, naming the family asked for (-4: inet) or "any". */
export function* badPrefix(text: string, o: GlobalOptions): Gen<number> {
  const fam = o.family === 'inet' ? 'inet' : o.family === 'inet6' ? 'inet6' : 'any valid';
  return yield* fail(`Error: ${fam} prefix is expected rather than "${text}".\n`, 1);
}

const SCOPES = ['host', 'link', 'global'] as const;

/** ipaddr_modify for add and del. */
function* modify(cmd: 'newaddr' | 'deladdr', args: string[], o: GlobalOptions): Gen<number> {
  let local: { addr: number; len: number } | undefined;
  let dev: string | undefined;
  let label: string | undefined;
  let brd: string | undefined;
  let scope: AddrInfo['scope'] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (matches(a, 'broadcast') || a === 'brd') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      brd = v;
      i++;
    } else if (a === 'scope') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      const s = v === 'universe' ? 'global' : v;
      if (!(SCOPES as readonly string[]).includes(s)) return yield* invarg('invalid scope value.', v);
      scope = s as AddrInfo['scope'];
      i++;
    } else if (a === 'dev') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      dev = v;
      i++;
    } else if (a === 'label') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      label = v;
      i++;
    } else {
      let word = a;
      if (matches(a, 'local')) {
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        word = v;
        i++;
      }
      if (local !== undefined) return yield* fail(`Error: either "local" is duplicate, or "${word}" is a garbage.\n`, 255);
      const p = parsePrefix(word);
      if (p === null) return yield* badPrefix(word, o);
      local = p;
    }
  }
  if (dev === undefined) return yield* fail('Not enough information: "dev" argument is required.\n', 255);
  if (label !== undefined && !label.startsWith(dev)) return yield* fail(`"dev" (${dev}) must match "label" (${label}).\n`, 255);
  if (local === undefined) return yield* fail('Not enough information: address argument is required.\n', 255);
  let broadcast: string | undefined;
  if (brd === '+' || brd === '-') {
    if (local.len <= 30) broadcast = formatIpv4(brd === '+' ? broadcastOf(local.addr, local.len) : networkOf(local.addr, local.len));
  } else if (brd !== undefined) {
    const b = parseIpv4(brd);
    if (b === null) return yield* invarg('invalid broadcast', brd);
    broadcast = formatIpv4(b);
  }
  if (scope === undefined && cmd === 'newaddr') scope = local.addr >>> 24 === 127 ? 'host' : 'global';
  const links = yield* loadLinks(2, [dev]);
  if (typeof links === 'number') return links;
  if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
  const r = yield* talk({ op: cmd, dev, local: formatIpv4(local.addr), prefixlen: local.len, broadcast, scope, label });
  return typeof r === 'number' ? r : 0;
}

/** `ip addr flush dev DEV`. */
function* flush(args: string[]): Gen<number> {
  if (args.length === 0) return yield* fail('Flush requires arguments.\n', 1);
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') dev = args[++i];
    else if (dev === undefined) dev = args[i];
    else return yield* fail(`Error: either "dev" is duplicate, or "${args[i]}" is a garbage.\n`, 255);
  }
  if (dev === undefined) return yield* fail(INCOMPLETE, 255);
  const links = yield* loadLinks(2, [dev]);
  if (typeof links === 'number') return links;
  if (!links.named(dev)) return yield* fail(`Device "${dev}" does not exist.\n`, 1);
  const r = yield* talk({ op: 'flushaddr', dev });
  return typeof r === 'number' ? r : 0;
}

export function* ipAddr(args: string[], o: GlobalOptions): Gen<number> {
  const c = args[0];
  if (c === undefined) return yield* ipList([], o, false, ADDR_USAGE);
  if (matches(c, 'add')) return yield* modify('newaddr', args.slice(1), o);
  if (matches(c, 'delete')) return yield* modify('deladdr', args.slice(1), o);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return yield* ipList(args.slice(1), o, false, ADDR_USAGE);
  if (matches(c, 'flush')) return yield* flush(args.slice(1));
  if (matches(c, 'help')) return yield* fail(ADDR_USAGE, 255);
  return yield* fail(`Command "${c}" is unknown, try "ip address help".\n`, 255);
}
