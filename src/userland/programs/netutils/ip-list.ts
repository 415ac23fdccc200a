/**
 * `ip link show` and `ip addr show` — one lister, as iproute2's
 * ipaddr_list_flush_or_save serves both: dump the links (RTM_GETLINK) and, unless only
 * links were asked for, the addresses (RTM_GETADDR); drop links the filters reject;
 * print each link followed by its addresses, in full, `-br`, `-o` or `-j` form.
 *
 *   ip link show [dev] DEV | up | master BR | type KIND[_slave]
 *   ip addr show [dev] DEV | up | master BR | type KIND | label PATTERN | scope S
 *
 * A family filter (-4, -6) keeps only links that have an address of that family and
 * drops the link/ether line; with no filter a link without addresses is still shown.
 */
import type { AddrInfo, LinkInfo } from '../../../kernel/net/rtnl-abi.js';
import { IFF_UP } from '../../../kernel/net/netdev.js';
import { addrBrief, addrJson, addrOneline, addrText } from './format-addr.js';
import { linkBrief, linkFlagNames, linkJson, linkText, nameAndLink, statsText, type LinkView } from './format-link.js';
import { jsonText, type JsonValue } from './json.js';
import { fail, invarg, linkView, loadLinks, nsidNames, talk, writeOut, type Gen, type GlobalOptions, type Links } from './common.js';

interface ListFilter {
  dev?: string;
  up: boolean;
  master?: number;
  kind?: string;
  slaveKind?: string;
  label?: string;
  scope?: string;
}

/** Parses the filter words; returns an exit status on error. */
function* parseFilter(args: string[], links: Links, objectHelp: string): Gen<ListFilter | number> {
  const f: ListFilter = { up: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const next = (): string | undefined => args[++i];
    if (a === 'up') f.up = true;
    else if (a === 'master') {
      const m = next();
      if (m === undefined) return yield* fail('Command line is not complete. Try option "help"\n', 255);
      const l = links.named(m);
      if (!l) return yield* invarg('Device does not exist\n', m);
      f.master = l.ifindex;
    } else if (a === 'nomaster') f.master = -1;
    else if (a === 'type') {
      const t = next();
      if (t === undefined) return yield* fail('Command line is not complete. Try option "help"\n', 255);
      if (t.endsWith('_slave')) f.slaveKind = t.slice(0, -'_slave'.length);
      else f.kind = t;
    } else if (a === 'label') f.label = next();
    else if (a === 'scope') f.scope = next();
    else {
      let dev = a;
      if (a === 'dev') {
        const d = next();
        if (d === undefined) return yield* fail('Command line is not complete. Try option "help"\n', 255);
        dev = d;
      } else if ('help'.startsWith(a)) return yield* fail(objectHelp, 255);
      if (f.dev !== undefined) return yield* fail(`Either "dev" is duplicate, or "${dev}" is a garbage.\n`, 255);
      f.dev = dev;
    }
  }
  return f;
}

/** Whether a link passes the link filters (print_linkinfo's early returns). */
function linkPasses(l: LinkInfo, f: ListFilter, links: Links): boolean {
  if (f.up && !(l.flags & IFF_UP)) return false;
  if (f.master !== undefined) {
    if (f.master === -1 ? l.master !== undefined : l.master !== f.master) return false;
  }
  if (f.kind !== undefined && l.kind !== f.kind) return false;
  if (f.slaveKind !== undefined) {
    const m = l.master !== undefined ? links.byIndex.get(l.master) : undefined;
    if (m?.kind !== f.slaveKind) return false;
  }
  return true;
}

function addrPasses(a: AddrInfo, f: ListFilter, o: GlobalOptions): boolean {
  if (o.family !== undefined && o.family !== 'link' && a.family !== o.family) return false;
  if (f.scope !== undefined && f.scope !== 'all' && a.scope !== f.scope) return false;
  if (f.label !== undefined && (a.label ?? '') !== f.label) return false;
  return true;
}

/**
 * Whether the filter words name one device (parseFilter would set `dev`): the listing
 * then needs only that link, its master and link device, and the master a `master`
 * word names — unless details (-d) show a bridge port's number, which counts the
 * bridge's other ports.
 */
function namesOneDevice(args: string[], o: GlobalOptions): boolean {
  if (o.details) return false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'up' || a === 'nomaster') continue;
    if (a === 'master' || a === 'type' || a === 'label' || a === 'scope') i++;
    else return !'help'.startsWith(a);
  }
  return false;
}

/** `ip link show …` (doLink) or `ip addr show …`. */
export function* ipList(args: string[], o: GlobalOptions, doLink: boolean, objectHelp: string): Gen<number> {
  const links = yield* loadLinks(2, namesOneDevice(args, o) ? args : undefined);
  if (typeof links === 'number') return links;
  const f = yield* parseFilter(args, links, objectHelp);
  if (typeof f === 'number') return f;
  let shown = links.list;
  if (f.dev !== undefined) {
    const l = links.named(f.dev);
    if (!l) return yield* fail(`Device "${f.dev}" does not exist.\n`, 1);
    shown = [l];
  }
  const family = doLink ? 'link' : o.family;
  let addrs: AddrInfo[] = [];
  if (family !== 'link') {
    const r = yield* talk({ op: 'getaddr', dev: f.dev });
    if (typeof r === 'number') return r;
    addrs = r.addrs ?? [];
  }
  shown = shown.filter((l) => linkPasses(l, f, links));
  if (family !== 'link') {
    // ipaddr_filter: with a family or other address filter, a link needs a matching address.
    shown = shown.filter((l) => {
      const mine = addrs.filter((a) => a.ifindex === l.ifindex);
      if (mine.length === 0) return o.family === undefined;
      return mine.some((a) => addrPasses(a, f, o));
    });
  }
  const names = shown.some((l) => l.linkNetnsid !== undefined) ? yield* nsidNames() : new Map<number, string>();
  const view = linkView(links, names, o, family === undefined || family === 'link');
  const addrsOf = (l: LinkInfo): AddrInfo[] => (f.up && !(l.flags & IFF_UP) ? [] : addrs.filter((a) => a.ifindex === l.ifindex && addrPasses(a, f, o)));
  if (o.json) return yield* writeOut(jsonText(shown.map((l) => recordJson(l, view, doLink, o.brief, family === 'link' ? null : addrsOf(l))), o.pretty));
  let text = '';
  for (const l of shown) {
    if (o.brief) {
      text += linkBrief(l, view, family === 'link');
      if (family !== 'link') text += addrsOf(l).map(addrBrief).join('') + '\n';
      continue;
    }
    if (family !== 'link' && o.oneline) {
      text += addrsOf(l).map((a) => addrOneline(a, l.name)).join('');
      continue;
    }
    text += linkText(l, view, doLink) + '\n';
    if (family === 'link') continue;
    text += addrsOf(l).map((a) => addrText(a, l.name, '\n')).join('');
    if (o.stats) text += statsText(l, o.stats, '\n') + '\n';
  }
  return yield* writeOut(text);
}

/** One element of the -j array: the link, its addresses under addr_info (brief: just names and state). */
function recordJson(l: LinkInfo, view: LinkView, doLink: boolean, brief: boolean, addrs: AddrInfo[] | null): JsonValue {
  if (brief) {
    const { name, mdown } = nameAndLink(l, view);
    const o: Record<string, JsonValue> = { ifname: name, operstate: l.operstate };
    if (addrs === null) {
      o.address = l.address;
      o.flags = linkFlagNames(l.flags, mdown);
    } else o.addr_info = addrs.map((a) => ({ local: a.local, prefixlen: a.prefixlen }));
    return o;
  }
  const o = linkJson(l, view, doLink);
  if (addrs !== null) o.addr_info = addrs.map((a) => addrJson(a, l.name));
  return o;
}
