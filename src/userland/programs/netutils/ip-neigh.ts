/**
 * `ip neigh` (iproute2 6.1 ip/ipneigh.c): the ARP table — list it, add, replace and
 * delete entries (RTM_NEWNEIGH / RTM_DELNEIGH), flush a device's.
 *
 *   ip neigh [show] [dev DEV] [nud STATE]
 *   ip neigh add|replace|change|del ADDR [lladdr MAC] [nud STATE] dev DEV
 *   ip neigh flush dev DEV
 *
 * A listing leaves out NOARP and NONE entries unless a `nud` filter asks for them;
 * an entry added without `nud` is PERMANENT (iproute2's default for ndm_state).
 *
 * Simplification: IPv4 only; no proxy entries, `router`/`extern_learn` flags or -s
 * cache times.
 */
import { formatIpv4, parseIpv4, parseMac } from '../../../kernel/net/inet.js';
import { fail, invarg, loadLinks, matches, talk, writeOut, type Gen, type GlobalOptions } from './common.js';
import { neighJson, neighText } from './format-route.js';
import { jsonText } from './json.js';

const NEIGH_USAGE = `Usage: ip neigh { add | del | change | replace }
                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }
                [ dev DEV ] [ router ] [ use ] [ managed ] [ extern_learn ]
                [ protocol PROTO ]

	ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]
				  [ vrf NAME ] [ nomaster ]
	ip neigh get { ADDR | proxy ADDR } dev DEV

STATE := { delay | failed | incomplete | noarp | none |
           permanent | probe | reachable | stale }
`;

const INCOMPLETE = 'Command line is not complete. Try option "help"\n';
const NUD_STATES = ['permanent', 'reachable', 'stale', 'noarp', 'none', 'incomplete', 'delay', 'probe', 'failed'];

/** ipneigh_modify. */
function* modify(mode: 'add' | 'replace' | 'change' | 'delete', args: string[]): Gen<number> {
  let dst: string | undefined;
  let dev: string | undefined;
  let lladdr: string | undefined;
  let state = 'PERMANENT';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const v = args[i + 1];
    if (matches(a, 'lladdr') || a === 'dev' || a === 'nud') {
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      i++;
      if (a === 'dev') dev = v;
      else if (a === 'nud') {
        if (!NUD_STATES.includes(v)) return yield* invarg('nud state is bad', v);
        state = v.toUpperCase();
      } else {
        if (lladdr !== undefined) return yield* fail(`Error: duplicate "lladdr": "${v}" is the second value.\n`, 255);
        const mac = parseMac(v);
        if (mac === null) return yield* fail(`"${v}" is invalid lladdr.\n`, 1);
        lladdr = mac;
      }
    } else {
      const word = a === 'to' ? args[++i] : a;
      if (word === undefined) return yield* fail(INCOMPLETE, 255);
      if (dst !== undefined) return yield* fail(`Error: either "to" is duplicate, or "${word}" is a garbage.\n`, 255);
      const d = parseIpv4(word);
      if (d === null) return yield* fail(`Error: any valid address is expected rather than "${word}".\n`, 1);
      dst = formatIpv4(d);
    }
  }
  if (dev === undefined || dst === undefined) return yield* fail('Device and destination are required arguments.\n', 255);
  const links = yield* loadLinks(2, [dev]);
  if (typeof links === 'number') return links;
  if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
  const r =
    mode === 'delete'
      ? yield* talk({ op: 'delneigh', dst, dev })
      : yield* talk({ op: 'newneigh', dst, dev, lladdr, state, mode });
  return typeof r === 'number' ? r : 0;
}

/** do_show_or_flush. */
function* showOrFlush(args: string[], o: GlobalOptions, flush: boolean): Gen<number> {
  if (flush && args.length === 0) return yield* fail('Flush requires arguments.\n', 1);
  let dev: string | undefined;
  const states = new Set<string>();
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'nud') {
      const v = args[++i];
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      if (a === 'dev') dev = v;
      else if (v === 'all') all = true;
      else if (!NUD_STATES.includes(v)) return yield* invarg('nud state is bad', v);
      else states.add(v.toUpperCase());
    } else if (matches(a, 'help')) return yield* fail(NEIGH_USAGE, 255);
    else if (a === 'all') all = true;
    else if (dev === undefined && flush) dev = a;
  }
  const links = yield* loadLinks();
  if (typeof links === 'number') return links;
  if (dev !== undefined && !links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 1);
  if (flush) {
    const r = yield* talk({ op: 'flushneigh', dev });
    return typeof r === 'number' ? r : 0;
  }
  const r = yield* talk({ op: 'getneigh', dev });
  if (typeof r === 'number') return r;
  const shown = (r.neigh ?? []).filter((n) => {
    const st = n.state.toUpperCase();
    if (dev !== undefined && links.nameOf(n.ifindex) !== dev) return false;
    if (all) return true;
    if (states.size > 0) return states.has(st);
    return st !== 'NOARP' && st !== 'NONE' && st !== '';
  });
  const devName = (ifindex: number): string | null => (dev !== undefined ? null : links.nameOf(ifindex));
  if (o.json) return yield* writeOut(jsonText(shown.map((n) => neighJson(n, devName(n.ifindex))), o.pretty));
  return yield* writeOut(shown.map((n) => neighText(n, devName(n.ifindex))).join(''));
}

export function* ipNeigh(args: string[], o: GlobalOptions): Gen<number> {
  const c = args[0];
  if (c === undefined) return yield* showOrFlush([], o, false);
  const rest = args.slice(1);
  if (matches(c, 'add')) return yield* modify('add', rest);
  if (matches(c, 'change') || c === 'chg') return yield* modify('change', rest);
  if (matches(c, 'replace')) return yield* modify('replace', rest);
  if (matches(c, 'delete')) return yield* modify('delete', rest);
  if (matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return yield* showOrFlush(rest, o, false);
  if (matches(c, 'flush')) return yield* showOrFlush(rest, o, true);
  if (matches(c, 'help')) return yield* fail(NEIGH_USAGE, 255);
  return yield* fail(`Command "${c}" is unknown, try "ip neigh help".\n`, 255);
}
