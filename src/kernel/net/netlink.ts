/**
 * The kernel side of rtnetlink (rtnetlink(7), net/core/rtnetlink.c,
 * net/ipv4/devinet.c, fib_frontend.c, neighbour.c; the bridge's fdb and VLANs
 * are in netlink-bridge.ts): each request is
 * handled in the namespace of the socket it came on, with the sender's
 * credentials; changes need CAP_NET_ADMIN in the user namespace that owns that
 * network namespace (netlink_ns_capable, NET-08). Errors carry the errno and the
 * extack text Linux sends where it sends one.
 */
import type { Kernel } from '../kernel.js';
import type { Task } from '../proc/task.js';
import type { NetNamespace } from '../ns/net-ns.js';
import { nsOfFile } from '../ns/nsfs.js';
import { CAP, nsCapable } from '../ns/capabilities.js';
import { NetDevice, EtherDevice, IFNAMSIZ, LoopbackDevice, VethDevice, VlanDevice, type IfAddr } from './netdev.js';
import { BridgeDevice, portState } from './bridge.js';
import { changeFdb, changeVlan, getFdb, getVlans } from './netlink-bridge.js';
import { BondDevice } from './bond.js';
import { applyBondOptions, bondInfo, bondSlaveInfo, enslaveCheck } from './netlink-bond.js';
import { setVf } from './sriov.js';
import { broadcastOf, formatIpv4, linkLocal6, networkOf, parseIpv4, parseMac, MAC_BROADCAST, MAC_ZERO } from './inet.js';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN, type Route } from './route.js';
import { flushNeighQueue, isLocalAddr, routeOutput } from './ipv4.js';
import type { AddrInfo, LinkInfo, NeighInfo, RouteInfo, RtnlReply, RtnlRequest } from './rtnl-abi.js';

export type Fail = { ok: false; errno: string; extack?: string };
export const fail = (errno: string, extack?: string): Fail => (extack ? { ok: false, errno, extack } : { ok: false, errno });
export const OK: RtnlReply = { ok: true };

/** Handles one request from task `t` on a socket of namespace `ns`. */
export function rtnlHandle(k: Kernel, t: Task, ns: NetNamespace, req: RtnlRequest): RtnlReply {
  const getOp = req.op.startsWith('get');
  if (!getOp && !nsCapable(t.creds, ns.owner!, CAP.NET_ADMIN)) return fail('EPERM');
  const r = new Rtnl(k, t, ns);
  switch (req.op) {
    case 'getlink':
      return r.getLink(req);
    case 'newlink':
      return r.newLink(req);
    case 'setlink':
      return r.setLink(req);
    case 'dellink':
      return r.delLink(req.dev);
    case 'getaddr':
      return r.getAddr(req.dev);
    case 'newaddr':
    case 'deladdr':
      return r.changeAddr(req);
    case 'flushaddr':
      return r.flushAddr(req.dev);
    case 'getroute':
      return r.getRoutes(req.table);
    case 'getroute1':
      return r.getRoute1(req.dst);
    case 'newroute':
    case 'delroute':
      return r.changeRoute(req);
    case 'getneigh':
      return r.getNeigh(req.dev);
    case 'newneigh':
    case 'delneigh':
      return r.changeNeigh(req);
    case 'flushneigh':
      return r.flushNeigh(req.dev);
    case 'getnsid':
      return r.getNsid(req.netnsFd);
    case 'setnsid':
      return r.setNsid(req.netnsFd, req.nsid);
    case 'getfdb':
      return getFdb(k, r.dev, ns, req.br, req.dev);
    case 'newfdb':
    case 'delfdb':
      return changeFdb(k, r.dev, req);
    case 'getvlan':
      return getVlans(ns, req.dev);
    case 'newvlan':
    case 'delvlan':
      return changeVlan(r.dev, req);
  }
}

/** Is `d` stacked (as a VLAN, at any depth) on `lower`? */
function stackedOn(d: NetDevice, lower: NetDevice): boolean {
  for (let x: NetDevice | null = d; x instanceof VlanDevice; x = x.lower) if (x.lower === lower) return true;
  return false;
}

class Rtnl {
  constructor(
    private readonly k: Kernel,
    private readonly t: Task,
    private readonly ns: NetNamespace,
  ) {}

  private get stack() {
    return this.k.net;
  }

  /** The device called `name` in the socket's namespace, or ENODEV. */
  readonly dev = (name: string | undefined): NetDevice | Fail => {
    const d = name === undefined ? undefined : this.ns.byName(name);
    return d ?? fail('ENODEV');
  };

  /** A namespace given by an open /run/netns file or /proc/PID/ns/net (IFLA_NET_NS_FD), or a PID (IFLA_NET_NS_PID). */
  private targetNs(fd?: number, pid?: number): NetNamespace | Fail | null {
    if (fd !== undefined) {
      const f = this.t.files.get(fd);
      const ns = f ? nsOfFile(f) : null;
      if (!ns || ns.nsType !== 'net') return fail('EINVAL');
      return ns as NetNamespace;
    }
    if (pid !== undefined) {
      const task = this.k.taskByPid(this.t.pidNs, pid);
      if (!task) return fail('ESRCH');
      return task.nsproxy.net;
    }
    return null;
  }

  /** Moving into or creating in another namespace also needs CAP_NET_ADMIN over that one. */
  private mayAdmin(ns: NetNamespace): boolean {
    return nsCapable(this.t.creds, ns.owner!, CAP.NET_ADMIN);
  }

  // ---- links ---------------------------------------------------------------

  linkInfo(d: NetDevice): LinkInfo {
    const info: LinkInfo = {
      ifindex: d.ifindex,
      name: d.name,
      flags: d.flags(),
      mtu: d.mtu,
      qdisc: d.qdisc(),
      operstate: d.operstate(),
      linkType: d instanceof LoopbackDevice ? 'loopback' : 'ether',
      address: d.mac,
      broadcast: d instanceof LoopbackDevice ? MAC_ZERO : MAC_BROADCAST,
      txqlen: d.txqueuelen,
      stats: { ...d.stats },
    };
    if (d instanceof VethDevice || d instanceof VlanDevice || d instanceof BridgeDevice || d instanceof BondDevice) info.kind = d.kind;
    const l = d.link();
    if (l) {
      info.link = l.ifindex;
      if (l.netns !== d.netns) info.linkNetnsid = d.netns.idOf(l.netns);
    }
    if (d.master) {
      info.master = d.master.ifindex;
      if (d.master instanceof BridgeDevice) info.portState = portState(d);
      if (d.master instanceof BondDevice) info.bondSlave = bondSlaveInfo(d.master, d);
    }
    if (d instanceof BondDevice) info.bond = bondInfo(d);
    if (d instanceof EtherDevice && d.eswitch?.pf === d) info.vfs = d.eswitch.vfs.map((v) => ({ index: v.index, mac: v.adminMac, vlan: v.vlan }));
    if (d instanceof VlanDevice) info.vlanId = d.vid;
    if (d instanceof BridgeDevice) info.bridge = { vlanFiltering: d.vlanFiltering, ageingTime: Math.round(d.ageingNs / 10_000_000) };
    return info;
  }

  getLink(req: Extract<RtnlRequest, { op: 'getlink' }>): RtnlReply {
    let devs: NetDevice[];
    if (req.names) {
      const set = new Set<NetDevice>();
      for (const name of req.names) {
        const d = this.ns.byName(name);
        if (!d) continue;
        set.add(d);
        const l = d.link();
        for (const ref of [d.master, l]) if (ref && ref.netns === this.ns) set.add(ref);
      }
      devs = [...set];
    } else devs = [...this.ns.devices.values()];
    if (req.dev !== undefined) {
      const d = this.dev(req.dev);
      if (!(d instanceof NetDevice)) return d;
      devs = [d];
    }
    if (req.kind) devs = devs.filter((d) => (d instanceof LoopbackDevice || d instanceof EtherDevice ? '' : d.kind) === req.kind);
    if (req.master) {
      const m = this.ns.byName(req.master);
      if (!m) return fail('ENODEV');
      devs = devs.filter((d) => d.master === m);
    }
    // rtnl_dump_ifinfo walks the namespace's devices by ifindex.
    return { ok: true, links: devs.sort((a, b) => a.ifindex - b.ifindex).map((d) => this.linkInfo(d)) };
  }

  private validName(name: string): Fail | null {
    if (name.length >= IFNAMSIZ) return fail('EINVAL', 'Attribute failed policy validation');
    if (name === '' || name === '.' || name === '..' || /[/:\s]/.test(name)) return fail('EINVAL');
    return null;
  }

  newLink(req: Extract<RtnlRequest, { op: 'newlink' }>): RtnlReply {
    const bad = this.validName(req.name);
    if (bad) return bad;
    const target = this.targetNs(req.netnsFd, req.netnsPid) ?? this.ns;
    if ('ok' in target) return target;
    if (target !== this.ns && !this.mayAdmin(target)) return fail('EPERM');
    if (target.byName(req.name)) return fail('EEXIST');
    let mac: string | undefined;
    if (req.address !== undefined) {
      const m = parseMac(req.address);
      if (!m) return fail('EINVAL');
      mac = m;
    }
    switch (req.kind) {
      case 'veth': {
        const peerNs = this.targetNs(req.peer?.netnsFd, req.peer?.netnsPid) ?? target;
        if ('ok' in peerNs) return peerNs;
        if (peerNs !== this.ns && !this.mayAdmin(peerNs)) return fail('EPERM');
        // veth_newlink names an unnamed peer vethN with the lowest free N.
        let peerName = req.peer?.name;
        if (peerName === undefined) {
          let i = 0;
          while (peerNs.byName(`veth${i}`) || (peerNs === target && req.name === `veth${i}`)) i++;
          peerName = `veth${i}`;
        }
        const badPeer = this.validName(peerName);
        if (badPeer) return badPeer;
        if (peerNs.byName(peerName) || (peerNs === target && peerName === req.name)) return fail('EEXIST');
        const peerMac = req.peer?.address !== undefined ? parseMac(req.peer.address) : undefined;
        if (peerMac === null) return fail('EINVAL');
        this.stack.createVeth(target, req.name, peerNs, peerName, mac, peerMac);
        return OK;
      }
      case 'bridge': {
        const br = this.stack.createBridge(target, req.name, mac);
        if (req.vlanFiltering !== undefined) br.vlanFiltering = req.vlanFiltering;
        if (req.ageingTime !== undefined) br.ageingNs = req.ageingTime * 10_000_000;
        return OK;
      }
      case 'bond': {
        const b = this.stack.createBond(target, req.name, mac);
        const bad = req.bond ? applyBondOptions(this.stack, b, req.bond) : null;
        if (bad) this.stack.deleteDevice(b);
        return bad ?? OK;
      }
      case 'vlan': {
        if (req.link === undefined) return fail('EINVAL');
        const lower = this.dev(req.link);
        if (!(lower instanceof NetDevice)) return lower;
        const vid = req.vlanId;
        if (vid === undefined) return fail('EINVAL', 'VLAN id not specified');
        if (vid < 0 || vid >= 4095) return fail('ERANGE', 'VLAN id out of range');
        if (this.stack.vlansOn(lower).some((v) => v.vid === vid)) return fail('EEXIST', 'VLAN device already exists');
        const v = this.stack.createVlan(target, req.name, lower, vid);
        if (mac) this.stack.setMac(v, mac);
        return OK;
      }
      default:
        return fail('EOPNOTSUPP', 'Unknown device type');
    }
  }

  setLink(req: Extract<RtnlRequest, { op: 'setlink' }>): RtnlReply {
    const d = this.dev(req.dev);
    if (!(d instanceof NetDevice)) return d;
    const target = this.targetNs(req.netnsFd, req.netnsPid);
    if (target && 'ok' in target) return target;
    if (target && target !== d.netns) {
      // Loopback, bridge and bond devices are NETIF_F_NETNS_LOCAL.
      if (d instanceof LoopbackDevice || d instanceof BridgeDevice || d instanceof BondDevice) return fail('EINVAL');
      if (!this.mayAdmin(target)) return fail('EPERM');
      const name = req.name ?? d.name;
      if (target.byName(name)) return fail('EEXIST');
      this.stack.moveDevice(d, target, name);
      return OK;
    }
    if (req.name !== undefined && req.name !== d.name) {
      const bad = this.validName(req.name);
      if (bad) return bad;
      if (d.adminUp) return fail('EBUSY');
      if (this.ns.byName(req.name)) return fail('EEXIST');
      this.ns.renameDevice(d, req.name);
    }
    if (req.address !== undefined) {
      const m = parseMac(req.address);
      if (!m || (parseInt(m.slice(0, 2), 16) & 1) === 1) return fail('EADDRNOTAVAIL');
      if (d instanceof LoopbackDevice) return fail('EOPNOTSUPP');
      this.stack.setMac(d, m);
    }
    if (req.mtu !== undefined) {
      const max = d instanceof LoopbackDevice ? 2147483647 : d instanceof BridgeDevice || d instanceof VethDevice ? 65535 : 1500;
      if (req.mtu < 68) return fail('EINVAL', `mtu less than device minimum`);
      if (req.mtu > max) return fail('EINVAL', `mtu greater than device maximum`);
      d.mtu = req.mtu;
    }
    if (req.vlanFiltering !== undefined || req.ageingTime !== undefined) {
      if (!(d instanceof BridgeDevice)) return fail('EOPNOTSUPP');
      if (req.vlanFiltering !== undefined) d.vlanFiltering = req.vlanFiltering;
      if (req.ageingTime !== undefined) d.ageingNs = req.ageingTime * 10_000_000;
    }
    if (req.vf) {
      // do_setvfinfo: the PF's driver sets a VF's address or port VLAN.
      const e = d instanceof EtherDevice ? setVf(d, req.vf) : 'EINVAL';
      if (e) return fail(e);
    }
    if (req.bond) {
      if (!(d instanceof BondDevice)) return fail('EOPNOTSUPP');
      const bad = applyBondOptions(this.stack, d, req.bond);
      if (bad) return bad;
    }
    if (req.master !== undefined) {
      if (req.master === null) this.stack.setMaster(d, null);
      else {
        const m = this.dev(req.master);
        if (!(m instanceof NetDevice)) return m;
        // do_set_master: the old master lets go first (a bond's release closes the device).
        if (d.master && d.master !== m) this.stack.setMaster(d, null);
        if (m instanceof BondDevice) {
          if (stackedOn(d, m)) return fail('EBUSY');
          const bad = enslaveCheck(d, m);
          if (bad) return bad;
          this.stack.setMaster(d, m);
          if (req.up !== undefined) this.stack.setUp(d, req.up);
          return OK;
        }
        if (!(m instanceof BridgeDevice)) return fail('EOPNOTSUPP');
        if (m === d) return fail('ELOOP');
        if (d instanceof LoopbackDevice) return fail('EINVAL', 'Can not enslave loopback device');
        if (d instanceof BridgeDevice) return fail('ELOOP');
        // A device stacked on the bridge (a VLAN of it) cannot become its port: that would be a loop (netdev_upper_dev_link).
        if (stackedOn(d, m)) return fail('EBUSY');
        this.stack.setMaster(d, m);
      }
    }
    if (req.up !== undefined) this.stack.setUp(d, req.up);
    return OK;
  }

  delLink(name: string): RtnlReply {
    const d = this.dev(name);
    if (!(d instanceof NetDevice)) return d;
    if (d instanceof LoopbackDevice || d instanceof EtherDevice) return fail('EOPNOTSUPP');
    this.stack.deleteDevice(d);
    return OK;
  }

  // ---- addresses -----------------------------------------------------------

  getAddr(dev?: string): RtnlReply {
    let devs = [...this.ns.devices.values()].sort((a, b) => a.ifindex - b.ifindex);
    if (dev !== undefined) {
      const d = this.dev(dev);
      if (!(d instanceof NetDevice)) return d;
      devs = [d];
    }
    const addrs: AddrInfo[] = [];
    for (const d of devs) {
      for (const a of d.addrs) {
        addrs.push({
          ifindex: d.ifindex,
          family: 'inet',
          local: formatIpv4(a.local),
          prefixlen: a.prefixlen,
          ...(a.broadcast !== null ? { broadcast: formatIpv4(a.broadcast) } : {}),
          scope: a.scope,
          label: a.label,
          ...(a.secondary ? { secondary: true } : {}),
        });
      }
    }
    // IPv6 (shown, not modelled): ::1 on lo, a link-local EUI-64 address on the others once they were up.
    for (const d of devs) {
      if (!d.adminUp) continue;
      if (d instanceof LoopbackDevice) addrs.push({ ifindex: d.ifindex, family: 'inet6', local: '::1', prefixlen: 128, scope: 'host' });
      else if (d.ll6Mac) {
        addrs.push({ ifindex: d.ifindex, family: 'inet6', local: linkLocal6(d.ll6Mac), prefixlen: 64, scope: 'link' });
      }
    }
    return { ok: true, addrs };
  }

  changeAddr(req: Extract<RtnlRequest, { op: 'newaddr' | 'deladdr' }>): RtnlReply {
    const d = this.dev(req.dev);
    if (!(d instanceof NetDevice)) return d;
    const local = parseIpv4(req.local);
    if (local === null || req.prefixlen < 0 || req.prefixlen > 32) return fail('EINVAL');
    if (req.op === 'deladdr') {
      return this.stack.delAddr(d, local, req.prefixlen) ? OK : fail('EADDRNOTAVAIL', 'ipv4: Address not found');
    }
    let broadcast: number | null = null;
    if (req.broadcast === '+') broadcast = broadcastOf(local, req.prefixlen);
    else if (req.broadcast !== undefined) {
      broadcast = parseIpv4(req.broadcast);
      if (broadcast === null) return fail('EINVAL');
    }
    const ifa: IfAddr = {
      local,
      prefixlen: req.prefixlen,
      broadcast,
      scope: req.scope ?? (local >>> 24 === 127 ? 'host' : 'global'),
      label: req.label ?? d.name,
      secondary: false,
    };
    return this.stack.addAddr(d, ifa) === 'EEXIST' ? fail('EEXIST', 'ipv4: Address already assigned') : OK;
  }

  flushAddr(dev: string): RtnlReply {
    const d = this.dev(dev);
    if (!(d instanceof NetDevice)) return d;
    for (const a of [...d.addrs]) this.stack.delAddr(d, a.local, a.prefixlen);
    // ip addr flush removes the IPv6 link-local address too, until the next up.
    if (d.ll6Mac) {
      d.ll6Mac = null;
      d.ll6Flushed = true;
    }
    return OK;
  }

  // ---- routes ----------------------------------------------------------------

  routeInfo(r: Route): RouteInfo {
    return {
      table: r.table,
      type: r.type,
      dst: formatIpv4(r.dst),
      len: r.len,
      ...(r.gw !== null ? { gateway: formatIpv4(r.gw) } : {}),
      ...(r.dev ? { dev: r.dev.name } : {}),
      proto: r.proto,
      scope: r.scope,
      ...(r.prefsrc !== null ? { prefsrc: formatIpv4(r.prefsrc) } : {}),
      metric: r.metric,
      linkdown: r.dev !== null && r.type === 'unicast' && !r.dev.carrier(),
    };
  }

  getRoutes(table: number | 'all' = RT_TABLE_MAIN): RtnlReply {
    // `table all` lists every table, ordered by number with main before local as the dump does.
    const tables = table === 'all' ? [...new Set(this.ns.fib.routes.map((r) => r.table))].sort((a, b) => a - b) : [table];
    return { ok: true, routes: tables.flatMap((tb) => this.ns.fib.list(tb).map((r) => this.routeInfo(r))) };
  }

  getRoute1(dst: string): RtnlReply {
    const a = parseIpv4(dst);
    if (a === null) return fail('EINVAL');
    const ro = routeOutput(this.ns, a);
    if (typeof ro === 'string') return fail(ro);
    const info = this.routeInfo(ro.route);
    // Local destinations go out through lo, whichever device holds the address.
    if (ro.route.type === 'local') info.dev = 'lo';
    return { ok: true, route: { ...info, dst, len: 32, src: formatIpv4(ro.src) } };
  }

  changeRoute(req: Extract<RtnlRequest, { op: 'newroute' | 'delroute' }>): RtnlReply {
    const dst = parseIpv4(req.dst);
    if (dst === null || req.len < 0 || req.len > 32) return fail('EINVAL');
    const table = req.table ?? (req.type === 'local' || req.type === 'broadcast' ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
    const metric = req.metric ?? 0;
    const fib = this.ns.fib;
    let dev: NetDevice | null = null;
    if (req.dev !== undefined) {
      const d = this.dev(req.dev);
      if (!(d instanceof NetDevice)) return d;
      dev = d;
    }
    let gw: number | null = null;
    if (req.gateway !== undefined) {
      gw = parseIpv4(req.gateway);
      if (gw === null) return fail('EINVAL');
    }
    if (req.op === 'delroute') {
      const r = fib.routes.find(
        (x) =>
          x.table === table &&
          x.dst === networkOf(dst, req.len) &&
          x.len === req.len &&
          (req.metric === undefined || x.metric === metric) &&
          (dev === null || x.dev === dev) &&
          (gw === null || x.gw === gw),
      );
      if (!r) return fail('ESRCH');
      fib.remove(r);
      return OK;
    }
    const type = req.type ?? 'unicast';
    if (type === 'unicast' || type === 'local' || type === 'broadcast') {
      if (gw !== null) {
        // fib_check_nh: the gateway must be reachable on a link (a connected route), through `dev` if given.
        const via = fib.lookup(gw);
        if (!via || via.gw !== null || (via.type !== 'unicast' && via.type !== 'local') || (dev && via.dev !== dev)) {
          return fail('ENETUNREACH', 'Nexthop has invalid gateway');
        }
        dev ??= via.dev;
      }
      if (!dev) return fail('ENODEV');
      if (!dev.adminUp) return fail('ENETDOWN', 'Nexthop device is not up');
    }
    let prefsrc: number | null = null;
    if (req.src !== undefined) {
      prefsrc = parseIpv4(req.src);
      // fib_check_nh / fib_create_info: the preferred source must be one of the namespace's addresses.
      if (prefsrc === null || !isLocalAddr(this.ns, prefsrc)) return fail('EINVAL', 'Invalid prefsrc address');
    }
    const route: Route = {
      table,
      type,
      dst,
      len: req.len,
      gw,
      dev,
      proto: req.proto ?? 'boot',
      scope: req.scope ?? (type === 'local' ? 'host' : gw === null && type === 'unicast' ? 'link' : 'global'),
      prefsrc,
      metric,
    };
    const existing = fib.find(table, dst, req.len, metric);
    const mode = req.mode ?? 'add';
    if (existing) {
      if (mode === 'add') return fail('EEXIST');
      if (mode === 'replace' || mode === 'change') fib.remove(existing);
    } else if (mode === 'change') return fail('ESRCH');
    fib.routes.push({ ...route, dst: networkOf(dst, req.len) });
    return OK;
  }

  // ---- neighbours ----------------------------------------------------------

  getNeigh(dev?: string): RtnlReply {
    let entries = this.ns.neigh.entries;
    if (dev !== undefined) {
      const d = this.dev(dev);
      if (!(d instanceof NetDevice)) return d;
      entries = entries.filter((n) => n.dev === d);
    }
    const now = this.k.now;
    const neigh: NeighInfo[] = entries.map((n) => ({
      ifindex: n.dev.ifindex,
      dst: formatIpv4(n.ip),
      ...(n.mac && n.state !== 'INCOMPLETE' && n.state !== 'FAILED' ? { lladdr: n.mac } : {}),
      state: this.ns.neigh.stateAt(n, now),
    }));
    return { ok: true, neigh };
  }

  changeNeigh(req: Extract<RtnlRequest, { op: 'newneigh' | 'delneigh' }>): RtnlReply {
    const d = this.dev(req.dev);
    if (!(d instanceof NetDevice)) return d;
    const ip = parseIpv4(req.dst);
    if (ip === null) return fail('EINVAL');
    const tbl = this.ns.neigh;
    const n = tbl.get(d, ip);
    if (req.op === 'delneigh') {
      if (!n) return fail('ENOENT');
      tbl.remove(n);
      return OK;
    }
    let mac: string | null = null;
    if (req.lladdr !== undefined) {
      mac = parseMac(req.lladdr);
      if (!mac) return fail('EINVAL');
    }
    if (n && req.mode !== 'replace' && req.mode !== 'change') return fail('EEXIST');
    if (!n && req.mode === 'change') return fail('ENOENT');
    const state = (req.state ?? 'PERMANENT').toUpperCase();
    // A valid (connected) state needs an address to send to (neigh_add).
    if (mac === null && !n?.mac && state !== 'INCOMPLETE' && state !== 'FAILED' && state !== 'NOARP') return fail('EINVAL', 'No link layer address given');
    const e = n ?? tbl.create(d, ip, this.k.now);
    e.timer?.cancel();
    e.timer = null;
    e.mac = mac ?? e.mac;
    e.state = state as typeof e.state;
    e.permanent = state === 'PERMANENT' || state === 'NOARP';
    e.confirmed = this.k.now;
    e.updated = this.k.now;
    // Packets that waited for the address go now (neigh_update).
    if (e.mac) flushNeighQueue(this.stack, e, this.k.now);
    return OK;
  }

  flushNeigh(dev?: string): RtnlReply {
    let entries = [...this.ns.neigh.entries];
    if (dev !== undefined) {
      const d = this.dev(dev);
      if (!(d instanceof NetDevice)) return d;
      entries = entries.filter((n) => n.dev === d);
    }
    for (const n of entries) if (!n.permanent) this.ns.neigh.remove(n);
    return OK;
  }

  // ---- namespace ids ---------------------------------------------------------

  getNsid(fd: number): RtnlReply {
    const other = this.targetNs(fd);
    if (!other) return fail('EINVAL');
    if ('ok' in other) return other;
    const id = other === this.ns ? -1 : this.ns.nsids.get(other);
    return { ok: true, nsid: id ?? -1 };
  }

  setNsid(fd: number, nsid: number): RtnlReply {
    const other = this.targetNs(fd);
    if (!other) return fail('EINVAL');
    if ('ok' in other) return other;
    if (this.ns.nsids.has(other)) return fail('EEXIST', 'Peer netns already has a nsid assigned');
    if (this.ns.isNsidUsed(nsid)) return fail('EEXIST', 'The specified nsid is already used');
    this.ns.setNsid(other, nsid);
    return OK;
  }
}
