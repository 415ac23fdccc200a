/**
 * rtnetlink for bridges (PF_BRIDGE, net/bridge/br_netlink.c and br_fdb.c): the
 * forwarding database as `bridge fdb` shows and changes it, and per-port VLANs as
 * `bridge vlan` does.
 */
import type { Kernel } from '../kernel.js';
import type { NetNamespace } from '../ns/net-ns.js';
import { LoopbackDevice, NetDevice } from './netdev.js';
import { BridgeDevice, BR_DEFAULT_PVID } from './bridge.js';
import { parseMac } from './inet.js';
import type { FdbInfo, RtnlReply, RtnlRequest, VlanInfo } from './rtnl-abi.js';
import { fail, OK, type Fail } from './netlink.js';

/** Finds a device of the request's namespace by name (ENODEV otherwise). */
type DevLookup = (name: string | undefined) => NetDevice | Fail;

/**
 * The fdb dump: device by device in ifindex order, each with the entries its
 * bridge holds for it (learnt, then its own address as permanent) and then its
 * own multicast addresses ("self": all-nodes and all-hosts, and the solicited-node
 * group of its IPv6 link-local address; a bridge adds the MLD/IGMP router groups).
 */
export function getFdb(k: Kernel, dev: DevLookup, ns: NetNamespace, brName?: string, devName?: string): RtnlReply {
  const now = k.now;
  let onlyBr: BridgeDevice | null = null;
  if (brName !== undefined) {
    const b = dev(brName);
    if (!(b instanceof NetDevice)) return b;
    if (!(b instanceof BridgeDevice)) return fail('EINVAL');
    onlyBr = b;
  }
  let onlyDev: NetDevice | null = null;
  if (devName !== undefined) {
    const d = dev(devName);
    if (!(d instanceof NetDevice)) return d;
    onlyDev = d;
  }
  const fdb: FdbInfo[] = [];
  const devs = [...ns.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
  for (const d of devs) {
    if (d instanceof LoopbackDevice || (onlyDev && d !== onlyDev)) continue;
    const br = d instanceof BridgeDevice ? d : d.master instanceof BridgeDevice ? d.master : null;
    if (onlyBr && br !== onlyBr) continue;
    if (br && d !== br) {
      const mine = br.fdb.filter((e) => e.port === d && !br.expired(e, now));
      for (const e of [...mine.filter((x) => !x.local), ...mine.filter((x) => x.local)]) {
        fdb.push({
          mac: e.mac,
          ifindex: d.ifindex,
          master: br.ifindex,
          ...(br.vlanFiltering && e.vid ? { vlan: e.vid } : {}),
          state: e.local ? 'permanent' : e.isStatic ? 'static' : '',
          self: false,
          used: Math.floor((now - e.updated) / 1e9),
        });
      }
    }
    if (d instanceof BridgeDevice && !d.ports.some((p) => p.mac === d.mac)) {
      fdb.push({ mac: d.mac, ifindex: d.ifindex, master: d.ifindex, state: 'permanent', self: false });
    }
    if (d.ll6Mac) {
      const tail = d.ll6Mac.slice(9);
      const groups = d instanceof BridgeDevice
        ? ['33:33:00:00:00:01', '01:00:5e:00:00:6a', '33:33:00:00:00:6a', '01:00:5e:00:00:01', `33:33:ff:${tail}`]
        : ['33:33:00:00:00:01', '01:00:5e:00:00:01', `33:33:ff:${tail}`];
      for (const mac of groups) fdb.push({ mac, ifindex: d.ifindex, state: 'permanent', self: true });
    }
  }
  return { ok: true, fdb };
}

export function changeFdb(k: Kernel, dev: DevLookup, req: Extract<RtnlRequest, { op: 'newfdb' | 'delfdb' }>): RtnlReply {
  const d = dev(req.dev);
  if (!(d instanceof NetDevice)) return d;
  const br = d.master;
  if (!(br instanceof BridgeDevice)) return fail('EINVAL');
  const mac = parseMac(req.mac);
  if (!mac) return fail('EINVAL');
  const vid = req.vlan ?? (br.vlanFiltering ? BR_DEFAULT_PVID : 0);
  const i = br.fdb.findIndex((e) => e.mac === mac && e.vid === vid);
  if (req.op === 'delfdb') {
    if (i < 0) return fail('ENOENT');
    br.fdb.splice(i, 1);
    return OK;
  }
  if (i >= 0) return fail('EEXIST');
  br.fdb.push({ mac, vid, port: d, updated: k.now, local: !req.static, isStatic: !!req.static });
  // A local entry of another address: bridgePortsChanged's next look gives it its port's.
  if (!req.static) br.localsSyncedAt = -1;
  return OK;
}

export function getVlans(ns: NetNamespace, dev?: string): RtnlReply {
  const vlans: VlanInfo[] = [];
  for (const br of [...ns.devices.values()].filter((d): d is BridgeDevice => d instanceof BridgeDevice)) {
    for (const [port, map] of [...br.vlans].sort((a, b) => a[0].ifindex - b[0].ifindex)) {
      if (dev !== undefined && port.name !== dev) continue;
      vlans.push({ ifindex: port.ifindex, vlans: [...map].sort((a, b) => a[0] - b[0]).map(([vid, e]) => ({ vid, pvid: e.pvid, untagged: e.untagged })) });
    }
  }
  return { ok: true, vlans };
}

export function changeVlan(dev: DevLookup, req: Extract<RtnlRequest, { op: 'newvlan' | 'delvlan' }>): RtnlReply {
  const d = dev(req.dev);
  if (!(d instanceof NetDevice)) return d;
  const br = d instanceof BridgeDevice ? d : d.master;
  if (!(br instanceof BridgeDevice)) return fail('EOPNOTSUPP');
  if (req.vid < 1 || req.vid > 4094) return fail('EINVAL', 'bridge: Vlan id is invalid');
  const map = br.vlans.get(d)!;
  if (req.op === 'delvlan') {
    if (!map.delete(req.vid)) return fail('ENOENT');
    return OK;
  }
  if (req.pvid) for (const e of map.values()) e.pvid = false;
  map.set(req.vid, { pvid: !!req.pvid, untagged: !!req.untagged });
  return OK;
}
