/**
 * The Linux bridge (bridge(8), net/bridge): a learning switch whose ports are other
 * devices. A frame arriving on a port teaches the forwarding database (fdb) that its
 * source MAC lives behind that port; it then goes to the port its destination was
 * learnt on, or — unknown, broadcast or multicast — is flooded to every other port.
 * Learnt entries age out after ageing_time (300 s). Frames for the bridge's own
 * address (or a port's) go up to the bridge device's IP stack.
 *
 * With vlan_filtering on, each port has a set of VLANs, a PVID that untagged frames
 * join, and an "untagged" mark for VLANs whose frames leave without a tag; a frame
 * only reaches ports that are members of its VLAN, and the fdb is per VLAN.
 *
 * The bridge takes the smallest MAC address among its ports unless one was set
 * (br_stp_recalculate_bridge_id). Its carrier is on while a port forwards.
 *
 * Simplification: no STP (ports forward as soon as they are up), no multicast
 * snooping (multicast floods), no hairpin mode.
 */
import type { NetNamespace } from '../ns/net-ns.js';
import { macChangeCount, NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import { compareMac, isGroupMac, MAC_ZERO, type Mac } from './inet.js';
import type { Frame } from './packet.js';

/** ageing_time default: 300 s (30000 centiseconds in sysfs). */
export const BR_AGEING_NS = 300_000_000_000;
export const BR_DEFAULT_PVID = 1;

export interface VlanEntry {
  pvid: boolean;
  untagged: boolean;
}

export interface FdbEntry {
  mac: Mac;
  /** 0 without vlan_filtering. */
  vid: number;
  port: NetDevice;
  /** Last time a frame from this MAC was seen (ns). */
  updated: number;
  /** The port's own address: frames to it are for the bridge ("permanent"). */
  local: boolean;
  /** Added by `bridge fdb add` (static). */
  isStatic: boolean;
}

export class BridgeDevice extends NetDevice {
  readonly kind = 'bridge' as const;
  readonly hasIpv6 = true;
  readonly ports: NetDevice[] = [];
  readonly fdb: FdbEntry[] = [];
  ageingNs = BR_AGEING_NS;
  vlanFiltering = false;
  /** VLAN membership per port, and of the bridge itself ("self"). */
  readonly vlans = new Map<NetDevice, Map<number, VlanEntry>>();
  /**
   * macChangeCount() when bridgePortsChanged last gave the local fdb entries their ports'
   * addresses (-1: since then an entry came from elsewhere): while it is unchanged no
   * address changed, and a docker0 with thousands of ports is not walked again.
   */
  localsSyncedAt = -1;
  /** The lowest port address, as of macChangeCount() `lowestAt`; null when it must be looked for again. */
  lowestPortMac: Mac | null = null;
  lowestAt = -1;

  constructor(serial: number, netns: NetNamespace, ifindex: number, name: string, mac: Mac) {
    super(serial, netns, ifindex, name, mac, 1500);
    this.vlans.set(this, defaultVlans());
  }

  /** A port was ever added: from then on port state selection decides the carrier. */
  hadPorts = false;

  /**
   * Carrier while a port forwards (br_port_state_selection). A bridge that never had
   * a port keeps the carrier it was opened with (operstate UNKNOWN); one whose last
   * port went loses it.
   */
  override carrier(): boolean {
    return this.ports.length === 0 ? !this.hadPorts : this.ports.some(portForwarding);
  }

  override operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    return this.adminUp && !this.hadPorts ? 'UNKNOWN' : super.operstate();
  }

  addPort(dev: NetDevice, now: number): void {
    this.hadPorts = true;
    this.ports.push(dev);
    if (this.lowestPortMac !== null && compareMac(dev.mac, this.lowestPortMac) < 0) this.lowestPortMac = dev.mac;
    this.vlans.set(dev, defaultVlans());
    this.fdb.push({ mac: dev.mac, vid: this.vlanFiltering ? BR_DEFAULT_PVID : 0, port: dev, updated: now, local: true, isStatic: false });
  }

  removePort(dev: NetDevice): void {
    this.ports.splice(this.ports.indexOf(dev), 1);
    this.lowestPortMac = null;
    this.vlans.delete(dev);
    for (let i = this.fdb.length - 1; i >= 0; i--) if (this.fdb[i].port === dev) this.fdb.splice(i, 1);
  }

  /** The live fdb entry for (mac, vid); learnt entries older than ageing_time are gone. */
  lookup(mac: Mac, vid: number, now: number): FdbEntry | undefined {
    const i = this.fdb.findIndex((e) => e.mac === mac && e.vid === vid);
    if (i < 0) return undefined;
    const e = this.fdb[i];
    if (this.expired(e, now)) {
      this.fdb.splice(i, 1);
      return undefined;
    }
    return e;
  }

  expired(e: FdbEntry, now: number): boolean {
    return !e.local && !e.isStatic && now - e.updated >= this.ageingNs;
  }

  /** The VLAN a frame arriving on `port` belongs to, or null when the port may not take it. */
  ingressVid(port: NetDevice, frame: Frame): number | null {
    if (!this.vlanFiltering) return 0;
    const v = this.vlans.get(port);
    if (!v) return null;
    if (frame.vlan === undefined || frame.vlan === 0) {
      for (const [vid, e] of v) if (e.pvid) return vid;
      return null;
    }
    return v.has(frame.vlan) ? frame.vlan : null;
  }

  /** The frame as it leaves `port` in VLAN `vid` (tagged or not), or null when the port is not a member. */
  egress(port: NetDevice, frame: Frame, vid: number): Frame | null {
    if (!this.vlanFiltering) return frame;
    const e = this.vlans.get(port)?.get(vid);
    if (!e) return null;
    return { ...frame, vlan: e.untagged ? undefined : vid };
  }
}

function defaultVlans(): Map<number, VlanEntry> {
  return new Map([[BR_DEFAULT_PVID, { pvid: true, untagged: true }]]);
}

/** A port forwards when it is up with carrier (no STP: no listening/learning delay). */
export function portForwarding(p: NetDevice): boolean {
  return p.adminUp && p.carrier();
}

/** The port state `bridge link` prints. */
export function portState(p: NetDevice): 'forwarding' | 'disabled' {
  return portForwarding(p) ? 'forwarding' : 'disabled';
}

/** After ports change: the bridge takes the smallest port MAC unless its address was set. */
export function bridgePortsChanged(stack: NetStack, br: BridgeDevice): void {
  if (br.localsSyncedAt !== macChangeCount()) {
    for (const e of br.fdb) if (e.local && e.mac !== e.port.mac) e.mac = e.port.mac;
    br.localsSyncedAt = macChangeCount();
  }
  if (br.macSource === 'set') return;
  if (br.ports.length === 0) {
    // br_stp_recalculate_bridge_id with no ports left: the address becomes all zeros.
    if (br.macSource === 'stolen' && br.mac !== MAC_ZERO) {
      br.mac = MAC_ZERO;
      stack.macChanged(br);
    }
    return;
  }
  // The lowest port address: kept as ports join, looked for again after an address
  // changed or a port left (a docker0 has a port per container).
  if (br.lowestPortMac === null || br.lowestAt !== macChangeCount()) {
    let low = br.ports[0].mac;
    for (const p of br.ports) if (compareMac(p.mac, low) < 0) low = p.mac;
    br.lowestPortMac = low;
    br.lowestAt = macChangeCount();
  }
  const min = br.lowestPortMac;
  if (min !== br.mac) {
    br.mac = min;
    br.macSource = 'stolen';
    stack.macChanged(br);
  }
}

/** br_handle_frame: a frame arriving on port `port` of `br`. */
export function bridgeInput(stack: NetStack, br: BridgeDevice, port: NetDevice, frame: Frame, at: number): void {
  if (!br.adminUp || !portForwarding(port)) return;
  // IEEE 802.1D reserved link-local group 01:80:c2:00:00:0X (LACP, STP, LLDP): never
  // forwarded nor learnt (group_fwd_mask 0); it is the port's own business.
  if (frame.dst.startsWith('01:80:c2:00:00:0')) return;
  const vid = br.ingressVid(port, frame);
  if (vid === null) {
    port.stats.rx_dropped++;
    stack.trace('drop', { dev: port.name, bridge: br.name, why: `VLAN ${frame.vlan ?? 'untagged'} not allowed on the port` });
    return;
  }
  // Learn where the sender is.
  if (!isGroupMac(frame.src)) {
    const e = br.lookup(frame.src, vid, at);
    if (!e) br.fdb.push({ mac: frame.src, vid, port, updated: at, local: false, isStatic: false });
    else if (!e.local && !e.isStatic) {
      e.port = port;
      e.updated = at;
    }
  }
  const inner: Frame = { ...frame, vlan: undefined };
  if (isGroupMac(frame.dst)) {
    flood(stack, br, port, inner, vid, at);
    deliverLocal(stack, br, inner, vid, at);
    return;
  }
  const dst = br.lookup(frame.dst, vid, at);
  if (dst?.local || frame.dst === br.mac) {
    deliverLocal(stack, br, inner, vid, at);
    return;
  }
  if (dst) {
    if (dst.port !== port) forward(stack, br, dst.port, inner, vid, at);
    return;
  }
  flood(stack, br, port, inner, vid, at);
}

/** The bridge device sending (its own IP stack's traffic): out of the learnt port, or flooded. */
export function bridgeXmit(stack: NetStack, br: BridgeDevice, frame: Frame, at: number): void {
  let vid = 0;
  if (br.vlanFiltering) {
    const self = br.ingressVid(br, frame);
    if (self === null) return;
    vid = self;
  }
  const inner: Frame = { ...frame, vlan: undefined };
  const dst = isGroupMac(frame.dst) ? undefined : br.lookup(frame.dst, vid, at);
  if (dst && !dst.local) forward(stack, br, dst.port, inner, vid, at);
  else if (!dst) flood(stack, br, null, inner, vid, at);
}

function forward(stack: NetStack, br: BridgeDevice, port: NetDevice, frame: Frame, vid: number, at: number): void {
  if (!portForwarding(port)) return;
  const out = br.egress(port, frame, vid);
  if (!out) return;
  stack.xmit(port, out, at + stack.costs.bridgeForward);
}

function flood(stack: NetStack, br: BridgeDevice, from: NetDevice | null, frame: Frame, vid: number, at: number): void {
  for (const p of br.ports) if (p !== from) forward(stack, br, p, frame, vid, at);
}

/** Up to the bridge device itself: it receives as any device (its VLAN as seen from "self"). */
function deliverLocal(stack: NetStack, br: BridgeDevice, frame: Frame, vid: number, at: number): void {
  if (br.vlanFiltering) {
    const self = br.egress(br, frame, vid);
    if (!self) return;
    frame = self;
  }
  stack.receive(br, frame, at);
}
