/**
 * bridge(8) from iproute2 6.1 (bridge/bridge.c, fdb.c, link.c, vlan.c): a Linux
 * bridge's forwarding database, its ports and their VLANs, over rtnetlink.
 *
 *   bridge [-s] [-d] [-j [-p]] [-o] [-n NETNS] OBJECT COMMAND …
 *   bridge fdb [show] [br BR] [dev DEV] [vlan N]
 *   bridge fdb add|append|replace|del MAC dev DEV [self|master] [static|permanent|dynamic] [vlan N]
 *   bridge link [show] [dev DEV]
 *   bridge vlan [show] [dev DEV] [vid N]
 *   bridge vlan add|del dev DEV vid N[-M] [pvid] [untagged] [self] [master]
 *
 * Unlike ip, bridge exits 255 for most failures, kernel refusals included (its
 * handlers return -1 and main returns that). An fdb entry added without `self` or
 * `master` goes to the port's own table (NTF_SELF), as iproute2 defaults.
 *
 * Simplification: no mdb, vni, monitor, `bridge link set`, `fdb get`, -s statistics
 * or the -d VLAN dump format; `fdb add` names no remote (dst, port, vni, via, nhid).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import type { RtnlRequest } from '../../../kernel/net/rtnl-abi.js';
import { parseMac } from '../../../kernel/net/inet.js';
import { fail, linkView, loadLinks, matches, netnsSwitch, nsidNames, talk, writeOut, type Gen, type GlobalOptions, type Links } from './common.js';
import { bridgeLinkJson, bridgeLinkText, fdbJson, fdbText, VLAN_HEADING, vlanJson, vlanText } from './bridge-format.js';
import { jsonText, type JsonValue } from './json.js';

const BRIDGE_NS = 30_000;

const USAGE = `Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }
       bridge [ -force ] -batch filename
where  OBJECT := { link | fdb | mdb | vlan | vni | monitor }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] |
                    -o[neline] | -t[imestamp] | -n[etns] name |
                    -com[pressvlans] -c[olor] -p[retty] -j[son] }
`;

const INCOMPLETE = 'Command line is not complete. Try option "help"\n';

/** `bridge fdb show`. */
function* fdbShow(args: string[], o: GlobalOptions, links: Links): Gen<number> {
  let dev: string | undefined;
  let br: string | undefined;
  let vlan: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'brport' || a === 'br' || a === 'vlan') {
      const v = args[++i];
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      if (a === 'br') br = v;
      else if (a === 'vlan') vlan = Number(v) || 0;
      else dev = v;
    } else if (matches(a, 'help')) return yield* fail('Usage: bridge fdb [ show [ br BRDEV ] [ brport DEV ] [ vlan VID ] [ state STATE ] [ dynamic ] ]\n', 255);
  }
  const brLink = br !== undefined ? links.named(br) : undefined;
  if (br !== undefined && !brLink) return yield* fail(`Cannot find bridge device "${br}"\n`, 255);
  const devLink = dev !== undefined ? links.named(dev) : undefined;
  if (dev !== undefined && !devLink) return yield* fail(`Cannot find device "${dev}"\n`, 255);
  const r = yield* talk({ op: 'getfdb', br, dev }, 255);
  if (typeof r === 'number') return r;
  const shown = (r.fdb ?? []).filter(
    (f) =>
      (devLink === undefined || f.ifindex === devLink.ifindex) &&
      (brLink === undefined || f.master === brLink.ifindex || f.ifindex === brLink.ifindex) &&
      (vlan === undefined || vlan === 0 || f.vlan === vlan),
  );
  const nameOf = (i: number): string => links.nameOf(i);
  if (o.json) return yield* writeOut(jsonText(shown.map((f) => fdbJson(f, nameOf, devLink !== undefined)), o.pretty));
  return yield* writeOut(shown.map((f) => fdbText(f, nameOf, devLink !== undefined)).join(''));
}

/** fdb_modify. */
function* fdbModify(op: 'newfdb' | 'delfdb', args: string[], links: Links): Gen<number> {
  let dev: string | undefined;
  let mac: string | undefined;
  let vlan: number | undefined;
  let self = false;
  let master = false;
  let isStatic: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || matches(a, 'vlan')) {
      const v = args[++i];
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      if (a === 'dev') dev = v;
      else vlan = Number(v);
    } else if (a === 'self') self = true;
    else if (matches(a, 'master')) master = true;
    else if (matches(a, 'local') || matches(a, 'permanent')) isStatic = undefined;
    else if (matches(a, 'temp') || matches(a, 'static')) isStatic = true;
    else if (matches(a, 'dynamic')) isStatic = false;
    else {
      const word = a === 'to' ? args[++i] : a;
      if (word === undefined) return yield* fail(INCOMPLETE, 255);
      if (matches(word, 'help')) return yield* fail('Usage: bridge fdb { add | append | del | replace } ADDR dev DEV\n', 255);
      if (mac !== undefined) return yield* fail(`Error: duplicate "to": "${word}" is the second value.\n`, 255);
      mac = word;
    }
  }
  if (dev === undefined || mac === undefined) return yield* fail('Device and address are required arguments.\n', 255);
  const parsed = parseMac(mac);
  if (parsed === null) return yield* fail(`Invalid mac address ${mac}\n`, 255);
  if (!links.named(dev)) return yield* fail(`Cannot find device "${dev}"\n`, 255);
  if (!self && !master) self = true;
  const req: RtnlRequest = { op, mac: parsed, dev, vlan, static: isStatic, self, master };
  const r = yield* talk(req, 255);
  return typeof r === 'number' ? r : 0;
}

/** `bridge link [show] [dev DEV]`: the ports of every bridge. */
function* linkShow(args: string[], o: GlobalOptions, links: Links): Gen<number> {
  let dev: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') dev = args[++i];
    else if (matches(args[i], 'help')) return yield* fail('Usage: bridge link show [dev DEV]\n', 255);
    else dev = args[i];
  }
  const devLink = dev !== undefined ? links.named(dev) : undefined;
  if (dev !== undefined && !devLink) return yield* fail(`Cannot find device "${dev}"\n`, 255);
  const ports = links.list.filter(
    (l) => l.master !== undefined && links.byIndex.get(l.master)?.kind === 'bridge' && (devLink === undefined || l.ifindex === devLink.ifindex),
  );
  const names = ports.some((l) => l.linkNetnsid !== undefined) ? yield* nsidNames() : new Map<number, string>();
  const view = linkView(links, names, o, true);
  if (o.json) return yield* writeOut(jsonText(ports.map((l) => bridgeLinkJson(l, view)), o.pretty));
  return yield* writeOut(ports.map((l) => bridgeLinkText(l, view)).join(''));
}

/** `bridge vlan show`. */
function* vlanShow(args: string[], o: GlobalOptions, links: Links): Gen<number> {
  let dev: string | undefined;
  let vid: number | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === 'dev') dev = args[++i];
    else if (args[i] === 'vid') vid = Number(args[++i]) || undefined;
  }
  const devLink = dev !== undefined ? links.named(dev) : undefined;
  if (dev !== undefined && !devLink) return yield* fail(`Cannot find device "${dev}"\n`, 255);
  const r = yield* talk({ op: 'getvlan', dev }, 255);
  if (typeof r === 'number') return r;
  const ports = (r.vlans ?? []).filter((v) => devLink === undefined || v.ifindex === devLink.ifindex);
  if (o.json) return yield* writeOut(jsonText(ports.map((v) => vlanJson(v, links.nameOf(v.ifindex), vid)).filter((x): x is Record<string, JsonValue> => x !== null), o.pretty));
  return yield* writeOut(VLAN_HEADING + ports.map((v) => vlanText(v, links.nameOf(v.ifindex), vid)).join(''));
}

/** vlan_modify: one request per VLAN of a range. */
function* vlanModify(op: 'newvlan' | 'delvlan', args: string[], links: Links): Gen<number> {
  let dev: string | undefined;
  let vid = -1;
  let vidEnd = -1;
  let pvid = false;
  let untagged = false;
  let self = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === 'dev' || a === 'vid') {
      const v = args[++i];
      if (v === undefined) return yield* fail(INCOMPLETE, 255);
      if (a === 'dev') dev = v;
      else {
        const [lo, hi] = v.split('-');
        vid = parseInt(lo, 10) || 0;
        if (hi !== undefined) {
          vidEnd = parseInt(hi, 10) || 0;
          if (vid >= vidEnd || vidEnd >= 4096) return yield* fail(`Invalid VLAN range "${vid}-${vidEnd}"\n`, 255);
        }
      }
    } else if (a === 'self') self = true;
    else if (a === 'master') self = false;
    else if (a === 'pvid') pvid = true;
    else if (a === 'untagged') untagged = true;
    else if (matches(a, 'help')) return yield* fail('Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ pvid ] [ untagged ] [ self ] [ master ]\n', 255);
  }
  if (dev === undefined || vid === -1) return yield* fail('Device and VLAN ID are required arguments.\n', 255);
  if (!links.named(dev)) return yield* fail(`Cannot find bridge device "${dev}"\n`, 255);
  if (vid >= 4096) return yield* fail(`Invalid VLAN ID "${vid}"\n`, 255);
  if (vidEnd !== -1 && pvid) return yield* fail('pvid cannot be configured for a vlan range\n', 255);
  for (let v = vid; v <= Math.max(vid, vidEnd); v++) {
    const r = yield* talk({ op, dev, vid: v, pvid: pvid || undefined, untagged: untagged || undefined, self: self || undefined }, 255);
    if (typeof r === 'number') return r;
  }
  return 0;
}

type Handler = (cmd: string | undefined, rest: string[], o: GlobalOptions, links: Links) => Gen<number>;

const OBJECTS: [string, Handler | null][] = [
  [
    'link',
    function* (c, rest, o, links) {
      if (c === undefined || matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return yield* linkShow(rest, o, links);
      if (matches(c, 'set') || matches(c, 'change')) return yield* fail('bridge: "link set" is not modelled by ctsim\n', 255);
      if (matches(c, 'help')) return yield* fail('Usage: bridge link set dev DEV [ cost COST ] [ priority PRIO ] [ state STATE ]\n', 255);
      return yield* fail(`Command "${c}" is unknown, try "bridge link help".\n`, 255);
    },
  ],
  [
    'fdb',
    function* (c, rest, o, links) {
      if (c === undefined || matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return yield* fdbShow(rest, o, links);
      if (matches(c, 'add') || matches(c, 'append') || matches(c, 'replace')) return yield* fdbModify('newfdb', rest, links);
      if (matches(c, 'delete')) return yield* fdbModify('delfdb', rest, links);
      if (matches(c, 'help')) return yield* fail('Usage: bridge fdb { add | append | del | replace } ADDR dev DEV\n', 255);
      return yield* fail(`Command "${c}" is unknown, try "bridge fdb help".\n`, 255);
    },
  ],
  ['mdb', null],
  [
    'vlan',
    function* (c, rest, o, links) {
      if (c === undefined || matches(c, 'show') || matches(c, 'lst') || matches(c, 'list')) return yield* vlanShow(rest, o, links);
      if (matches(c, 'add')) return yield* vlanModify('newvlan', rest, links);
      if (matches(c, 'delete')) return yield* vlanModify('delvlan', rest, links);
      if (matches(c, 'help')) return yield* fail('Usage: bridge vlan { add | del } vid VLAN_ID dev DEV [ pvid ] [ untagged ] [ self ] [ master ]\n', 255);
      return yield* fail(`Command "${c}" is unknown, try "bridge vlan help".\n`, 255);
    },
  ],
  ['vni', null],
  ['monitor', null],
  ['help', null],
];

export function* bridgeMain({ argv }: ProgramArgs): Program {
  yield BRIDGE_NS;
  const o: GlobalOptions = { brief: false, stats: 0, details: 0, oneline: false, json: false, pretty: false, all: false };
  let i = 1;
  for (; i < argv.length && argv[i].startsWith('-'); i++) {
    let opt = argv[i];
    if (opt === '--') {
      i++;
      break;
    }
    if (opt[1] === '-') opt = opt.slice(1);
    const m = (name: string): boolean => matches(opt, name);
    if (m('-help')) return yield* fail(USAGE, 255);
    else if (m('-Version')) return yield* writeOut('bridge utility, 6.1.0\n');
    else if (m('-stats') || m('-statistics')) o.stats++;
    else if (m('-details')) o.details++;
    else if (m('-oneline')) o.oneline = true;
    else if (m('-timestamp') || m('-compressvlans') || m('-force') || opt === '-4' || opt === '-6') continue;
    else if (m('-family')) i++;
    else if (m('-netns')) {
      const ns = argv[++i];
      if (ns === undefined) return yield* fail(INCOMPLETE, 255);
      if (!(yield* netnsSwitch(ns))) return 255;
    } else if (m('-json')) o.json = true;
    else if (m('-pretty')) o.pretty = true;
    else if (/^-c(o(l(o(r)?)?)?)?(=.*)?$/.test(opt)) continue;
    else return yield* fail(`Option "${opt}" is unknown, try "bridge help".\n`, 255);
  }
  const word = argv[i];
  if (word === undefined) return yield* fail(USAGE, 255);
  const hit = OBJECTS.find(([name]) => matches(word, name));
  if (!hit) return yield* fail(`Object "${word}" is unknown, try "bridge help".\n`, 255);
  const [name, handler] = hit;
  if (handler === null) return yield* fail(name === 'help' ? USAGE : `bridge: object "${name}" is not modelled by ctsim\n`, 255);
  const links = yield* loadLinks(255);
  if (typeof links === 'number') return links;
  return yield* handler(argv[i + 1], argv.slice(i + 2), o, links);
}
