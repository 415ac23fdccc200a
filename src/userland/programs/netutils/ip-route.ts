/**
 * `ip route` (iproute2 6.1 ip/iproute.c): list the routing tables, add, change and
 * delete routes (RTM_NEWROUTE / RTM_DELROUTE), ask which route a destination takes
 * (RTM_GETROUTE for one address).
 *
 *   ip route [show] [table main|local|all|N] [dev DEV] [proto P] [scope S] [type T] [[to|root|match] PREFIX]
 *   ip route add|replace|change|append|del [TYPE] PREFIX|default [via GW] [dev DEV] [src A] [metric N] [table T] [proto P] [scope S]
 *   ip route get ADDR [from A] [oif DEV]
 *
 * As iproute2 does, `ip route add` sends proto boot and works out the scope itself:
 * host for local routes, link for broadcast ones and for unicast routes without a
 * gateway, global otherwise. A listing shows the main table unless told otherwise.
 *
 * Simplification: IPv4 only; no multipath, realms, route metrics (mtu, window…),
 * `ip route flush`, `save`/`restore` or the route cache.
 */
import { formatIpv4, inPrefix, parseIpv4 } from '../../../kernel/net/inet.js';
import type { RouteInfo, RtnlRequest } from '../../../kernel/net/rtnl-abi.js';
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import { fail, invarg, loadLinks, matches, talk, writeOut, type Gen, type GlobalOptions } from './common.js';
import { RT_TABLE_MAIN, parseTable, routeGetText, routeJson, routeText } from './format-route.js';
import { jsonText } from './json.js';
import { badPrefix, parsePrefix } from './ip-addr.js';

const ROUTE_USAGE = `Usage: ip route { list | flush } SELECTOR
       ip route save SELECTOR
       ip route restore
       ip route showdump
       ip route get [ ROUTE_GET_FLAGS ] ADDRESS
                            [ from ADDRESS iif STRING ]
                            [ oif STRING ] [ tos TOS ]
                            [ mark NUMBER ] [ vrf NAME ]
                            [ uid NUMBER ] [ ipproto PROTOCOL ]
                            [ sport NUMBER ] [ dport NUMBER ]
                            [ as ADDRESS ]
       ip route { add | del | change | append | replace } ROUTE
`;

const INCOMPLETE = 'Command line is not complete. Try option "help"\n';
const TYPES: RouteInfo['type'][] = ['unicast', 'local', 'broadcast', 'unreachable', 'blackhole', 'prohibit'];
const PROTOS: RouteInfo['proto'][] = ['kernel', 'boot', 'static'];
/** The words of a route that take a value. */
const VALUE_WORDS = new Set(['via', 'src', 'metric', 'priority', 'preference', 'table', 'dev', 'oif', 'proto', 'protocol', 'scope']);
const SCOPES: Record<string, RouteInfo['scope']> = { host: 'host', link: 'link', global: 'global', universe: 'global' };

/** A destination: a prefix, or "default" / "all" / "any" (0/0). */
function parseDst(word: string): { addr: number; len: number } | null {
  if (word === 'default' || word === 'all' || word === 'any') return { addr: 0, len: 0 };
  return parsePrefix(word);
}

/** iproute_modify. */
function* modify(mode: 'add' | 'replace' | 'change' | 'append' | 'delete', args: string[], o: GlobalOptions): Gen<number> {
  const del = mode === 'delete';
  let dst: { addr: number; len: number } | undefined;
  let type: RouteInfo['type'] = 'unicast';
  let gateway: string | undefined;
  let dev: string | undefined;
  let src: string | undefined;
  let metric: number | undefined;
  let table = RT_TABLE_MAIN;
  let proto: RouteInfo['proto'] | undefined = del ? undefined : 'boot';
  let scope: RouteInfo['scope'] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (VALUE_WORDS.has(a) && v === undefined) return yield* fail(INCOMPLETE, 255);
    if (a === 'via') {
      const g = parseIpv4(v);
      if (g === null) return yield* fail(`Error: any valid address is expected rather than "${v}".\n`, 1);
      gateway = formatIpv4(g);
      i++;
    } else if (a === 'src') {
      const s = parseIpv4(v);
      if (s === null) return yield* fail(`Error: any valid address is expected rather than "${v}".\n`, 1);
      src = formatIpv4(s);
      i++;
    } else if (a === 'metric' || a === 'priority' || a === 'preference') {
      if (!/^\d+$/.test(v)) return yield* invarg('"metric" value is invalid\n', v);
      metric = Number(v);
      i++;
    } else if (a === 'table') {
      const t = parseTable(v);
      if (t === null) return yield* invarg('"table" value is invalid\n', v);
      table = t;
      i++;
    } else if (a === 'dev' || a === 'oif') {
      dev = v;
      i++;
    } else if (a === 'proto' || a === 'protocol') {
      if (!(PROTOS as string[]).includes(v)) return yield* invarg('"protocol" value is invalid\n', v);
      proto = v as RouteInfo['proto'];
      i++;
    } else if (a === 'scope') {
      if (!(v in SCOPES)) return yield* invarg('invalid "scope" value\n', v);
      scope = SCOPES[v];
      i++;
    } else if ((TYPES as string[]).includes(a) && dst === undefined) type = a as RouteInfo['type'];
    else {
      let word = a;
      if (a === 'to') {
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        word = v;
        i++;
      }
      if (matches(word, 'help') && word.length > 0) return yield* fail(ROUTE_USAGE, 255);
      if (dst !== undefined) return yield* fail(`Error: either "to" is duplicate, or "${word}" is a garbage.\n`, 255);
      const d = parseDst(word);
      if (d === null) return yield* badPrefix(word, o);
      dst = d;
    }
  }
  if (dst === undefined) return yield* fail(ROUTE_USAGE, 255);
  if (scope === undefined && !del) {
    if (type === 'local') scope = 'host';
    else if (type === 'broadcast') scope = 'link';
    else scope = type === 'unicast' && gateway === undefined ? 'link' : 'global';
  }
  if (dev !== undefined) {
    const links = yield* loadLinks(2, [dev]);
    if (typeof links === 'number') return links;
    if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
  }
  const req: RtnlRequest = {
    op: del ? 'delroute' : 'newroute',
    dst: formatIpv4(dst.addr),
    len: dst.len,
    gateway,
    dev,
    table,
    metric,
    type,
    src,
    scope,
    proto,
    mode: mode === 'delete' ? undefined : mode,
  };
  const r = yield* talk(req);
  return typeof r === 'number' ? r : 0;
}

/** `ip route show`: the filters of iproute_list_flush_or_save. */
function* list(args: string[], o: GlobalOptions): Gen<number> {
  let table: number | 'all' = RT_TABLE_MAIN;
  let tableGiven = false;
  let dev: string | undefined;
  let proto: string | undefined;
  let scope: RouteInfo['scope'] | undefined;
  let type: string | undefined;
  let prefix: { addr: number; len: number; how: 'exact' | 'root' | 'match' } | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === 'table') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      const t = v === 'all' ? 'all' : parseTable(v);
      if (t === null) return yield* invarg('table id value is invalid\n', v);
      table = t;
      tableGiven = t !== 'all';
      i++;
    } else if (a === 'dev' || a === 'oif') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      dev = v;
      i++;
    } else if (a === 'proto' || a === 'protocol') {
      proto = v;
      i++;
    } else if (a === 'scope') {
      if (v === undefined || !(v in SCOPES)) return yield* invarg('invalid "scope" value\n', v ?? '');
      scope = SCOPES[v];
      i++;
    } else if (a === 'type') {
      type = v;
      i++;
    } else {
      let how: 'exact' | 'root' | 'match' = 'exact';
      let word = a;
      if (a === 'to' || matches(a, 'root') || matches(a, 'match') || matches(a, 'exact')) {
        if (a !== 'to' && a.length > 1) how = matches(a, 'root') ? 'root' : matches(a, 'match') ? 'match' : 'exact';
        if (v === undefined) return yield* fail(INCOMPLETE, 255);
        word = v;
        i++;
      } else if (matches(a, 'help')) return yield* fail(ROUTE_USAGE, 255);
      const d = parseDst(word);
      if (d === null) return yield* badPrefix(word, o);
      prefix = { ...d, how };
    }
  }
  if (dev !== undefined) {
    const links = yield* loadLinks(2, [dev]);
    if (typeof links === 'number') return links;
    if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
  }
  const r = yield* talk({ op: 'getroute', table });
  if (typeof r === 'number') return r;
  const shown = (r.routes ?? []).filter((rt) => {
    if (table !== 'all' && rt.table !== table) return false;
    if (dev !== undefined && rt.dev !== dev) return false;
    if (proto !== undefined && rt.proto !== proto) return false;
    if (scope !== undefined && rt.scope !== scope) return false;
    if (type !== undefined && rt.type !== type) return false;
    if (prefix !== undefined) {
      const net = parseIpv4(rt.dst) ?? 0;
      if (prefix.how === 'exact' && (rt.len !== prefix.len || !inPrefix(net, prefix.addr, prefix.len))) return false;
      if (prefix.how === 'root' && (rt.len < prefix.len || !inPrefix(net, prefix.addr, prefix.len))) return false;
      if (prefix.how === 'match' && (rt.len > prefix.len || !inPrefix(prefix.addr, net, rt.len))) return false;
    }
    return true;
  });
  const show = { details: o.details, tableGiven, devGiven: dev !== undefined };
  if (o.json) return yield* writeOut(jsonText(shown.map((rt) => routeJson(rt, show)), o.pretty));
  return yield* writeOut(shown.map((rt) => routeText(rt, show)).join(''));
}

/** `ip route get ADDR [from A] [oif DEV]`. */
function* get(args: string[], o: GlobalOptions): Gen<number> {
  let dst: string | undefined;
  let from: string | undefined;
  let oif: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (a === 'from' || a === 'oif' || a === 'iif' || a === 'mark' || a === 'uid' || a === 'tos') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      if (a === 'from') from = v;
      if (a === 'oif') oif = v;
      i++;
    } else {
      const word = a === 'to' ? args[++i] : a;
      if (word === undefined) return yield* fail(INCOMPLETE, 255);
      const p = parsePrefix(word);
      if (p === null) return yield* badPrefix(word, o);
      dst = formatIpv4(p.addr);
    }
  }
  if (dst === undefined) return yield* fail(ROUTE_USAGE, 255);
  const r = yield* talk({ op: 'getroute1', dst, from, oif });
  if (typeof r === 'number') return r;
  if (!r.route) return yield* fail('RTNETLINK answers: Network is unreachable\n', 2);
  const uid = yield* sys.getuid();
  return yield* writeOut(routeGetText(r.route, uid instanceof SysError ? 0 : uid));
}

export function* ipRoute(args: string[], o: GlobalOptions): Gen<number> {
  const c = args[0];
  if (c === undefined) return yield* list([], o);
  const rest = args.slice(1);
  if (matches(c, 'add')) return yield* modify('add', rest, o);
  if (matches(c, 'change') || c === 'chg') return yield* modify('change', rest, o);
  if (matches(c, 'replace')) return yield* modify('replace', rest, o);
  if (matches(c, 'append')) return yield* modify('append', rest, o);
  if (matches(c, 'delete')) return yield* modify('delete', rest, o);
  if (matches(c, 'list') || matches(c, 'show') || matches(c, 'lst')) return yield* list(rest, o);
  if (matches(c, 'get')) return yield* get(rest, o);
  if (matches(c, 'help')) return yield* fail(ROUTE_USAGE, 255);
  return yield* fail(`Command "${c}" is unknown, try "ip route help".\n`, 255);
}
