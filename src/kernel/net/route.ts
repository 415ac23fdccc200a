/**
 * The IPv4 routing tables of a network namespace (the FIB): `local` (255) holds the
 * namespace's own and broadcast addresses, `main` (254) everything else. A lookup
 * tries local first, then main, each by longest prefix and then lowest metric, as
 * fib_lookup does without policy rules.
 *
 * Simplification: only the local and main tables and the default rules; no
 * multipath, no route cache, no policy routing (`ip rule`).
 */
import { inPrefix, networkOf, type Ipv4 } from './inet.js';
import type { NetDevice } from './netdev.js';

export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'unreachable' | 'blackhole' | 'prohibit';
export type RouteScope = 'host' | 'link' | 'global';
export type RouteProto = 'kernel' | 'boot' | 'static';

export interface Route {
  table: number;
  type: RouteType;
  dst: Ipv4;
  len: number;
  gw: Ipv4 | null;
  dev: NetDevice | null;
  proto: RouteProto;
  scope: RouteScope;
  prefsrc: Ipv4 | null;
  metric: number;
}

export class Fib {
  readonly routes: Route[] = [];

  /** Adds a route, or returns 'EEXIST' when one with the same key is there (NLM_F_EXCL). */
  add(r: Route): 'EEXIST' | null {
    if (this.find(r.table, r.dst, r.len, r.metric, r.type === 'local' || r.type === 'broadcast' ? r.dev : null)) return 'EEXIST';
    this.routes.push({ ...r, dst: networkOf(r.dst, r.len) });
    return null;
  }

  /** The route of `table` with exactly this destination (and metric, and device for local entries). */
  find(table: number, dst: Ipv4, len: number, metric: number, dev: NetDevice | null = null): Route | undefined {
    const net = networkOf(dst, len);
    return this.routes.find((r) => r.table === table && r.dst === net && r.len === len && r.metric === metric && (dev === null || r.dev === dev));
  }

  remove(r: Route): void {
    const i = this.routes.indexOf(r);
    if (i >= 0) this.routes.splice(i, 1);
  }

  /** Drops every route through `dev` (a device going down or away: fib_disable_ip). */
  flushDev(dev: NetDevice): void {
    for (let i = this.routes.length - 1; i >= 0; i--) if (this.routes[i].dev === dev) this.routes.splice(i, 1);
  }

  /** The best route to `dst`: local table first, then main; longest prefix, then lowest metric. */
  lookup(dst: Ipv4): Route | null {
    for (const table of [RT_TABLE_LOCAL, RT_TABLE_MAIN]) {
      let best: Route | null = null;
      for (const r of this.routes) {
        if (r.table !== table || !inPrefix(dst, r.dst, r.len)) continue;
        // A down device's routes are not used, except its own addresses (the local table keeps them reachable).
        if (r.dev && !r.dev.adminUp && r.type !== 'local') continue;
        if (!best || r.len > best.len || (r.len === best.len && r.metric < best.metric)) best = r;
      }
      if (best) return best;
    }
    return null;
  }

  /** Routes of a table in the trie's order: by destination, then longer prefix first, then metric. */
  list(table: number): Route[] {
    return this.routes.filter((r) => r.table === table).sort((a, b) => a.dst - b.dst || b.len - a.len || a.metric - b.metric);
  }
}
