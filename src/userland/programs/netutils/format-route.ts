/**
 * How iproute2 6.1 prints routes and neighbours (ip/iproute.c print_route,
 * ip/ipneigh.c print_neigh): pure functions from RouteInfo / NeighInfo to text.
 *
 *   default via 172.18.0.1 dev ceth0
 *   172.18.0.0/16 dev ceth0 proto kernel scope link src 172.18.0.10
 *   172.18.0.10 dev br0 lladdr 7a:5e:bd:9d:a5:37 DELAY
 *
 * (each item is followed by a space, so every line ends in one). What is the default
 * is left out: the unicast type, the main table, proto boot, scope global, metric 0.
 *
 * Simplification: IPv4 only — the ABI has no IPv6 routes (no "local ::1 … pref medium").
 */
import type { NeighInfo, RouteInfo } from '../../../kernel/net/rtnl-abi.js';
import type { JsonValue } from './json.js';

export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

/** rtnl_rttable_n2a: the names of /etc/iproute2/rt_tables, else the number. */
export function tableName(t: number): string {
  return t === RT_TABLE_LOCAL ? 'local' : t === RT_TABLE_MAIN ? 'main' : t === 253 ? 'default' : t === 0 ? 'unspec' : String(t);
}

/** rtnl_rttable_a2n: a table name or number, or null. */
export function parseTable(s: string): number | null {
  const named: Record<string, number> = { local: RT_TABLE_LOCAL, main: RT_TABLE_MAIN, default: 253, unspec: 0 };
  if (s in named) return named[s];
  return /^\d+$/.test(s) && Number(s) <= 0xffffffff ? Number(s) : null;
}

/** What `ip route show` was filtered on: such columns are left out of each line. */
export interface RouteShow {
  details: number;
  /** A table was named (not "all"): the table is not printed. */
  tableGiven: boolean;
  /** `dev DEV` was given: "dev DEV" is not printed. */
  devGiven: boolean;
}

/** "A.B.C.D/N", a host address without /32, or "default". */
function dstText(r: RouteInfo): string {
  if (r.len === 0) return 'default';
  return r.len === 32 ? r.dst : `${r.dst}/${r.len}`;
}

/** One line of `ip route show`, newline included. */
export function routeText(r: RouteInfo, o: RouteShow): string {
  let s = r.type !== 'unicast' || o.details ? `${r.type} ` : '';
  s += `${dstText(r)} `;
  if (r.gateway !== undefined) s += `via ${r.gateway} `;
  if (r.dev !== undefined && !o.devGiven) s += `dev ${r.dev} `;
  if ((r.table !== RT_TABLE_MAIN || o.details) && !o.tableGiven) s += `table ${tableName(r.table)} `;
  if (r.proto !== 'boot' || o.details) s += `proto ${r.proto} `;
  if (r.scope !== 'global' || o.details) s += `scope ${r.scope} `;
  if (r.prefsrc !== undefined) s += `src ${r.prefsrc} `;
  if (r.metric) s += `metric ${r.metric} `;
  if (r.linkdown) s += 'linkdown ';
  return s + '\n';
}

export function routeJson(r: RouteInfo, o: RouteShow): Record<string, JsonValue> {
  const j: Record<string, JsonValue> = {};
  if (r.type !== 'unicast' || o.details) j.type = r.type;
  j.dst = dstText(r);
  if (r.gateway !== undefined) j.gateway = r.gateway;
  if (r.dev !== undefined && !o.devGiven) j.dev = r.dev;
  if ((r.table !== RT_TABLE_MAIN || o.details) && !o.tableGiven) j.table = tableName(r.table);
  if (r.proto !== 'boot' || o.details) j.protocol = r.proto;
  if (r.scope !== 'global' || o.details) j.scope = r.scope;
  if (r.prefsrc !== undefined) j.prefsrc = r.prefsrc;
  if (r.metric) j.metric = r.metric;
  j.flags = r.linkdown ? ['linkdown'] : [];
  return j;
}

/**
 * `ip route get`: the resolved (cloned) route — no table, proto or scope — with the
 * source address the kernel would pick and the asking user's uid, then the cache line.
 */
export function routeGetText(r: RouteInfo & { src?: string }, uid: number): string {
  let s = r.type !== 'unicast' ? `${r.type} ` : '';
  s += `${r.dst} `;
  if (r.gateway !== undefined) s += `via ${r.gateway} `;
  if (r.dev !== undefined) s += `dev ${r.dev} `;
  const src = r.src ?? r.prefsrc;
  if (src !== undefined) s += `src ${src} `;
  if (r.linkdown) s += 'linkdown ';
  s += `uid ${uid} \n    cache `;
  if (r.type === 'local') s += '<local> ';
  return s + '\n';
}

/** The NUD state names as ip prints them (the ABI may hand them in any case). */
function stateText(state: string): string {
  const up = state.toUpperCase();
  return up === '' || up === 'NONE' ? '' : `${up} `;
}

/** One line of `ip neigh show`; `devName` is omitted when the listing was filtered on a device. */
export function neighText(n: NeighInfo, devName: string | null): string {
  let s = `${n.dst} `;
  if (devName !== null) s += `dev ${devName} `;
  if (n.lladdr !== undefined) s += `lladdr ${n.lladdr} `;
  if (n.router) s += 'router ';
  return s + stateText(n.state) + '\n';
}

export function neighJson(n: NeighInfo, devName: string | null): Record<string, JsonValue> {
  const j: Record<string, JsonValue> = { dst: n.dst };
  if (devName !== null) j.dev = devName;
  if (n.lladdr !== undefined) j.lladdr = n.lladdr;
  if (n.router) j.router = null;
  const st = stateText(n.state).trim();
  if (st) j.state = [st];
  return j;
}
