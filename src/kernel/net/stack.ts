/**
 * The kernel's network stack: the devices of every network namespace and what
 * happens to a frame between them. One object per kernel (`k.net`); the state of
 * each namespace (devices, routes, neighbours, sockets) lives in its NetNamespace.
 *
 * Time: a frame is an engine event. Each hop adds its cost from the cost table —
 * the receive path (netRx) where a packet reaches a local socket or the ICMP
 * responder, bridgeForward per frame a bridge forwards, ipForward per routed packet,
 * natPacket where NAT rewrites, and for the physical NIC nicLatency plus linkKiB per
 * KiB on the wire. The sender's transmit path (netTx) is charged to the sending task
 * as system-call time, or added to the time of a packet the kernel itself sends.
 *
 * Simplification: softirq work is latency on the packet, not CPU time taken from
 * the receiving CPU; queues never fill (no qdisc drops, no backlog limit).
 */
import type { Kernel } from '../kernel.js';
import type { Rng } from '../../sim/rng.js';
import type { NetNamespace, NetStackHooks } from '../ns/net-ns.js';
import { EtherDevice, LoopbackDevice, NetDevice, VethDevice, VlanDevice, type IfAddr } from './netdev.js';
import { BridgeDevice, bridgeInput, bridgeXmit, bridgePortsChanged } from './bridge.js';
import { BondDevice } from './bond.js';
import { broadcastOf, isGroupMac, MAC_BROADCAST, MAC_ZERO, macFromBytes, networkOf, type Mac } from './inet.js';
import { frameLength, packetFacts, type Frame, type IpPacket } from './packet.js';
import { BASE_REACHABLE_MS } from './neigh.js';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN, type Route } from './route.js';
import { ipv4Input } from './ipv4.js';
import { SocketTables } from './sockets.js';
import { TcpTable } from './tcp.js';

export class NetStack implements NetStackHooks {
  readonly k: Kernel;
  private serial = 0;
  private readonly macRng: Rng;
  private readonly reachRng: Rng;
  private readonly issRng: Rng;
  /** Every network namespace alive (each registers when its loopback device is made). */
  private readonly namespaces = new Set<NetNamespace>();
  /** Every VLAN device alive, for finding the VLANs of a lower device across namespaces. */
  private readonly vlanDevs = new Set<VlanDevice>();
  /** The IPv4 identification counter (one for the machine, which is enough for a simulator). */
  ipId = 0;

  constructor(k: Kernel) {
    this.k = k;
    // Each machine of a simulation draws its own streams (two hosts, or a host and its
    // guests, must not make the same "random" MACs); "host" keeps the historical names.
    const tag = k.machine.name === 'host' ? 'net' : `net:${k.machine.name}`;
    this.macRng = k.engine.rng.fork(`${tag}:mac`);
    this.reachRng = k.engine.rng.fork(`${tag}:reachable`);
    this.issRng = k.engine.rng.fork(`${tag}:isn`);
  }

  get costs(): Kernel['costs'] {
    return this.k.costs;
  }

  get engine(): Kernel['engine'] {
    return this.k.engine;
  }

  get now(): number {
    return this.k.now;
  }

  /** Runs `fn` at simulated time `at` (never before now). */
  later(at: number, fn: () => void): { cancel(): void } {
    const ev = this.k.engine.at(Math.max(at, this.k.now), fn);
    return { cancel: () => this.k.engine.cancel(ev) };
  }

  /** The secret secure_tcp_seq keys its hash with (net_secret), drawn once. */
  private issSecret: number | null = null;

  /**
   * A TCP initial sequence number as secure_tcp_seq makes it: a keyed hash of the
   * four-tuple plus the clock in 64 ns ticks, so a later connection of the same
   * four-tuple starts beyond an earlier one (which lets a SYN reopen a pair still in
   * TIME-WAIT, RFC 6528, RFC 1122 4.2.2.13).
   * Simplification: FNV-1a over the tuple and the secret stands for siphash.
   */
  nextIss(saddr: number, sport: number, daddr: number, dport: number): number {
    this.issSecret ??= this.issRng.int(0, 0xffffffff);
    let h = 0x811c9dc5 ^ this.issSecret;
    for (const v of [saddr >>> 0, daddr >>> 0, ((sport & 0xffff) << 16) | (dport & 0xffff)]) {
      for (let i = 0; i < 4; i++) h = Math.imul(h ^ ((v >>> (i * 8)) & 0xff), 0x01000193);
    }
    return ((h >>> 0) + Math.floor(this.k.realtimeNs / 64)) % 0x100000000;
  }

  /** Set while the outside network is built: its setup is not part of any timeline a user asked for. */
  quiet = false;

  /** True when `net` records are kept (test before building a record's fields). */
  tracing(): boolean {
    return !this.quiet && this.k.engine.trace.on('net');
  }

  trace(ev: string, fields: Record<string, unknown>): void {
    if (this.quiet) return;
    const tr = this.k.engine.trace;
    if (tr.on('net')) tr.emit('net', ev, fields);
  }

  /**
   * A packet the kernel did not deliver, or answered with a refusal: a `net` record
   * (`drop`, `rst`, `unreachable`) and, in explain mode, the same in words with the
   * packet's addresses, ports and protocol (ev packet-drop, packet-reset, packet-unreachable).
   */
  explainPacket(ev: 'drop' | 'rst' | 'unreachable', ns: NetNamespace, pkt: IpPacket, why: string, fields: Record<string, unknown> = {}): void {
    if (this.quiet) return;
    const tr = this.k.engine.trace;
    if (!tr.on('net') && !tr.on('explain')) return;
    const facts = packetFacts(pkt);
    // The outside network's namespaces have no inode a student could look up: they are named by what they are.
    const where = ns.outsideLabel !== null ? { netns: null, outside: ns.outsideLabel } : { netns: ns.inum, outside: null };
    if (tr.on('net')) tr.emit('net', ev, { ...facts, ...fields, ...where, why });
    const vm = this.k.machine.kind === 'virtual' ? { vm: this.k.machine.name } : {};
    if (tr.on('explain')) tr.emit('explain', ev === 'drop' ? 'packet-drop' : ev === 'rst' ? 'packet-reset' : 'packet-unreachable', { ...vm, ...facts, ...fields, ...where, reason: why });
  }

  // ---- namespaces --------------------------------------------------------

  newLoopback(ns: NetNamespace): LoopbackDevice {
    this.namespaces.add(ns);
    const lo = new LoopbackDevice(this.serial++, ns, 1, 'lo', MAC_ZERO, 65536);
    lo.macSource = 'perm';
    ns.sockets = new SocketTables(new TcpTable());
    return lo;
  }

  reachableNs(): number {
    // neigh_rand_reach_time: uniform in [base/2, 3·base/2).
    return this.reachRng.int(BASE_REACHABLE_MS / 2, (BASE_REACHABLE_MS * 3) / 2 - 1) * 1_000_000;
  }

  /** cleanup_net: virtual devices go (with their veth peers), physical ones return to the initial namespace. */
  destroyNamespace(ns: NetNamespace): void {
    const init = this.k.initNsproxy.net;
    for (const dev of [...ns.devices.values()]) {
      if (!dev.registered || dev === ns.lo) continue;
      if (dev instanceof EtherDevice && ns !== init) {
        const name = init.byName(dev.name) ? `dev${dev.ifindex}` : dev.name;
        this.moveDevice(dev, init, name);
      } else {
        this.deleteDevice(dev);
      }
    }
    ns.lo.registered = false;
    this.namespaces.delete(ns);
    for (const other of this.namespaces) other.dropNsid(ns);
    this.trace('netns-destroy', { inum: ns.inum });
  }

  // ---- devices -----------------------------------------------------------

  /** eth_random_addr: a random unicast, locally administered address. */
  randomMac(): Mac {
    const b = [0, 0, 0, 0, 0, 0].map(() => this.macRng.byte());
    b[0] = (b[0] & 0xfe) | 0x02;
    return macFromBytes(b);
  }

  /** The ifindex for a device entering `ns`: `want` if free, else the next free one (dev_index_reserve). */
  private allocIfindex(ns: NetNamespace, want = 0): number {
    if (want > 0 && !ns.devices.has(want)) return want;
    let i = ns.nextIfindex;
    while (ns.devices.has(i)) i++;
    ns.nextIfindex = i + 1;
    return i;
  }

  private register<T extends NetDevice>(ns: NetNamespace, make: (serial: number, ifindex: number) => T): T {
    const dev = make(this.serial++, this.allocIfindex(ns));
    ns.addDevice(dev);
    this.trace('dev-add', { dev: dev.name, kind: dev.kind, ifindex: dev.ifindex, netns: ns.inum });
    return dev;
  }

  /** A veth pair: the peer is registered first (it gets the lower index, as veth_newlink does). */
  createVeth(ns: NetNamespace, name: string, peerNs: NetNamespace, peerName: string, mac?: Mac, peerMac?: Mac): VethDevice {
    const peer = this.register(peerNs, (s, i) => new VethDevice(s, peerNs, i, peerName, peerMac ?? this.randomMac(), 1500));
    const dev = this.register(ns, (s, i) => new VethDevice(s, ns, i, name, mac ?? this.randomMac(), 1500));
    if (mac) dev.macSource = 'set';
    if (peerMac) peer.macSource = 'set';
    dev.peer = peer;
    peer.peer = dev;
    this.linkNamespaces(ns, peerNs);
    return dev;
  }

  createBridge(ns: NetNamespace, name: string, mac?: Mac): BridgeDevice {
    const br = this.register(ns, (s, i) => new BridgeDevice(s, ns, i, name, mac ?? this.randomMac()));
    if (mac) br.macSource = 'set';
    return br;
  }

  /** A bond (bonding driver) with a random address until its first slave lends it one. */
  createBond(ns: NetNamespace, name: string, mac?: Mac): BondDevice {
    const b = this.register(ns, (s, i) => new BondDevice(s, ns, i, name, mac ?? this.randomMac()));
    if (mac) b.macSource = 'set';
    return b;
  }

  createVlan(ns: NetNamespace, name: string, lower: NetDevice, vid: number): VlanDevice {
    const v = this.register(ns, (s, i) => new VlanDevice(s, ns, i, name, lower, vid));
    this.vlanDevs.add(v);
    return v;
  }

  /** A physical NIC with a fixed (burnt-in) address. */
  createEther(ns: NetNamespace, name: string, mac: Mac): EtherDevice {
    const dev = this.register(ns, (s, i) => new EtherDevice(s, ns, i, name, mac, 1500));
    dev.macSource = 'perm';
    return dev;
  }

  /**
   * A link now spans two namespaces: each gets an id for the other, as the
   * RTM_NEWLINK notification with IFLA_LINK_NETNSID allocates (peernet2id_alloc).
   */
  private linkNamespaces(a: NetNamespace, b: NetNamespace): void {
    if (a === b) return;
    a.idOf(b);
    b.idOf(a);
  }

  /** VLAN devices stacked on `dev`, in whatever namespace they are now (a VLAN may be moved away from its lower device). */
  vlansOn(dev: NetDevice): VlanDevice[] {
    return [...this.vlanDevs].filter((v) => v.lower === dev);
  }

  /** unregister_netdevice: down, off its bridge, its VLANs and veth peer with it. */
  deleteDevice(dev: NetDevice): void {
    if (!dev.registered) return;
    // VLANs on top go with their lower device; a namespace move leaves them be (vlan_device_event).
    for (const v of this.vlansOn(dev)) this.deleteDevice(v);
    this.detach(dev);
    dev.registered = false;
    if (dev instanceof VlanDevice) this.vlanDevs.delete(dev);
    dev.netns.removeDevice(dev);
    this.trace('dev-del', { dev: dev.name, ifindex: dev.ifindex, netns: dev.netns.inum });
    if (dev instanceof VethDevice) this.deleteDevice(dev.peer);
  }

  /** What leaving a namespace and being deleted have in common: down, no addresses, no master, no uppers. */
  private detach(dev: NetDevice): void {
    if (dev instanceof BridgeDevice) for (const p of [...dev.ports]) this.setMaster(p, null);
    if (dev instanceof BondDevice) for (const sl of [...dev.slaves]) this.setMaster(sl.dev, null);
    if (dev.master) this.setMaster(dev, null);
    this.setUp(dev, false);
    dev.addrs.length = 0;
    dev.netns.fib.flushDev(dev);
    dev.netns.neigh.flushDev(dev);
  }

  /** dev_change_net_namespace: the device leaves its namespace down and bare, keeping its ifindex if free. */
  moveDevice(dev: NetDevice, to: NetNamespace, newName = dev.name): void {
    const from = dev.netns;
    this.detach(dev);
    from.removeDevice(dev);
    dev.netns = to;
    dev.name = newName;
    dev.ifindex = this.allocIfindex(to, dev.ifindex);
    to.addDevice(dev);
    const l = dev.link();
    if (l) this.linkNamespaces(to, l.netns);
    this.trace('dev-move', { dev: dev.name, from: from.inum, to: to.inum, ifindex: dev.ifindex });
  }

  /** `ip link set DEV up|down`: routes of its addresses come and go with it (fib_add_ifaddr / fib_disable_ip). */
  setUp(dev: NetDevice, up: boolean): void {
    if (dev.adminUp === up) return;
    const ns = dev.netns;
    dev.adminUp = up;
    if (up) {
      dev.ll6Flushed = false;
      // The loopback device gets 127.0.0.1/8 when it comes up without an address (inetdev_event).
      if (dev === ns.lo && dev.addrs.length === 0) {
        dev.addrs.push({ local: 0x7f000001, prefixlen: 8, broadcast: null, scope: 'host', label: 'lo', secondary: false });
      }
      for (const a of dev.addrs) this.addAddrRoutes(dev, a);
    } else {
      for (const r of [...ns.fib.routes]) if (r.dev === dev && r.type !== 'local') ns.fib.remove(r);
      ns.neigh.flushDev(dev);
    }
    if (dev.master instanceof BridgeDevice) bridgePortsChanged(this, dev.master);
    if (dev instanceof BondDevice) {
      if (up) {
        // bond_open queues the MII poll at once.
        dev.armMii(this, true);
        dev.linkChanged(this);
      } else {
        dev.stopMii(this);
        dev.ad.stop(this);
      }
    }
    this.carrierChanged(dev);
    // The far end of a cable loses (or regains) its carrier with this end.
    if (dev instanceof EtherDevice && dev.cable) dev.cable.netns.stack.carrierChanged(dev.cable);
    this.trace(up ? 'dev-up' : 'dev-down', { dev: dev.name, netns: ns.inum });
  }

  /**
   * addrconf: a device that is up with carrier gets its IPv6 link-local address
   * from its MAC at that moment (a bridge from the port MAC it took). Called when
   * carrier may have changed: the device, its veth peer, its bridge, its VLANs.
   */
  carrierChanged(dev: NetDevice): void {
    const touched = new Set<NetDevice>([dev]);
    if (dev instanceof VethDevice) touched.add(dev.peer);
    for (const d of [...touched]) {
      if (d.master) touched.add(d.master);
      for (const v of this.vlansOn(d)) touched.add(v);
    }
    for (const d of touched) {
      if (!d.adminUp) d.ll6Mac = null;
      // A bond's slaves get no address of their own (IFF_SLAVE is set before they open).
      else if (d.ll6Mac === null && !d.ll6Flushed && d.carrier() && !(d instanceof LoopbackDevice) && !(d.master instanceof BondDevice)) d.ll6Mac = d.mac;
    }
  }

  /** Enslaves `dev` to bridge or bond `master` (or frees it with null). */
  setMaster(dev: NetDevice, master: BridgeDevice | BondDevice | null): void {
    const old = dev.master;
    if (old === master) return;
    if (old instanceof BridgeDevice) {
      old.removePort(dev);
      dev.master = null;
      bridgePortsChanged(this, old);
    } else if (old instanceof BondDevice) {
      old.release(this, dev);
    }
    if (master instanceof BridgeDevice) {
      dev.master = master;
      master.addPort(dev, this.k.now);
      bridgePortsChanged(this, master);
    } else if (master instanceof BondDevice) {
      master.enslave(this, dev);
    }
    this.carrierChanged(dev);
    if (old) this.carrierChanged(old);
  }

  /** Sets a device's MAC address (`ip link set DEV address MAC`). */
  setMac(dev: NetDevice, mac: Mac): void {
    dev.mac = mac;
    dev.macSource = 'set';
    if (dev instanceof BondDevice) dev.setMac(mac);
    this.macChanged(dev);
  }

  /**
   * NETDEV_CHANGEADDR: a bridge port's change may change the bridge's address, and
   * VLANs that took their lower device's address follow it (vlan_sync_address with
   * vlan_dev_inherit_address, since Linux 4.9).
   * Simplification: a VLAN whose address was set apart keeps it, and its lower device
   * does not start accepting frames for it (Linux adds it to the lower's unicast list).
   */
  macChanged(dev: NetDevice): void {
    if (dev.master instanceof BridgeDevice) bridgePortsChanged(this, dev.master);
    for (const v of this.vlansOn(dev)) {
      if (v.macSource !== 'stolen' || v.mac === dev.mac) continue;
      v.mac = dev.mac;
      this.macChanged(v);
    }
  }

  // ---- addresses ---------------------------------------------------------

  /** Adds an IPv4 address; 'EEXIST' when the device has it already. */
  addAddr(dev: NetDevice, a: IfAddr): 'EEXIST' | null {
    if (dev.addrs.some((x) => x.local === a.local && x.prefixlen === a.prefixlen)) return 'EEXIST';
    // A second address in a prefix the device already has is secondary (__inet_insert_ifa).
    a.secondary = dev.addrs.some((x) => x.prefixlen === a.prefixlen && networkOf(x.local, x.prefixlen) === networkOf(a.local, a.prefixlen));
    dev.addrs.push(a);
    this.addAddrRoutes(dev, a);
    return null;
  }

  /** Removes an IPv4 address and the routes made for it; false when the device has no such address. */
  delAddr(dev: NetDevice, local: number, prefixlen: number): boolean {
    const i = dev.addrs.findIndex((x) => x.local === local && x.prefixlen === prefixlen);
    if (i < 0) return false;
    const [gone] = dev.addrs.splice(i, 1);
    const fib = dev.netns.fib;
    const mine = (r: Route): boolean => r.prefsrc === local || (r.type === 'local' && r.dst === local && r.len === 32);
    for (const r of [...fib.routes]) if (r.dev === dev && r.proto === 'kernel' && mine(r)) fib.remove(r);
    // Deleting a primary deletes its secondaries too (promote_secondaries is off by default).
    if (!gone.secondary) {
      for (const x of [...dev.addrs]) {
        if (x.secondary && x.prefixlen === gone.prefixlen && networkOf(x.local, x.prefixlen) === networkOf(local, prefixlen)) this.delAddr(dev, x.local, x.prefixlen);
      }
    }
    // The last address gone disables IP on the device (fib_disable_ip): every route
    // through it goes, a default route too, and its neighbours.
    if (dev.addrs.length === 0) {
      for (const r of [...fib.routes]) if (r.dev === dev) fib.remove(r);
      dev.netns.neigh.flushDev(dev);
    }
    return true;
  }

  /**
   * fib_add_ifaddr: the local route always; with the device up, the broadcast and
   * prefix routes. A secondary address's routes take the primary's as source, and it
   * adds no prefix route of its own.
   */
  private addAddrRoutes(dev: NetDevice, a: IfAddr): void {
    const fib = dev.netns.fib;
    const prim = a.secondary
      ? (dev.addrs.find((x) => !x.secondary && x.prefixlen === a.prefixlen && networkOf(x.local, x.prefixlen) === networkOf(a.local, a.prefixlen))?.local ?? a.local)
      : a.local;
    const base = { gw: null, dev, proto: 'kernel' as const, prefsrc: prim, metric: 0 };
    fib.add({ ...base, table: RT_TABLE_LOCAL, type: 'local', dst: a.local, len: 32, scope: 'host' });
    if (!dev.adminUp || a.secondary) return;
    if (a.broadcast !== null && a.broadcast !== 0xffffffff) {
      fib.add({ ...base, table: RT_TABLE_LOCAL, type: 'broadcast', dst: a.broadcast, len: 32, scope: 'link' });
    }
    const prefix = networkOf(a.local, a.prefixlen);
    if (prefix !== 0 && (prefix !== a.local || a.prefixlen < 32)) {
      const loopback = dev instanceof LoopbackDevice;
      fib.add({
        ...base,
        table: loopback ? RT_TABLE_LOCAL : RT_TABLE_MAIN,
        type: loopback ? 'local' : 'unicast',
        dst: prefix,
        len: a.prefixlen,
        scope: loopback ? 'host' : 'link',
      });
      if (a.prefixlen < 31) {
        fib.add({ ...base, table: RT_TABLE_LOCAL, type: 'broadcast', dst: broadcastOf(a.local, a.prefixlen), len: 32, scope: 'link' });
      }
    }
  }

  // ---- the data path -----------------------------------------------------

  /** dev_queue_xmit: counts the frame on `dev` and puts it on that device's wire at `at`. */
  xmit(dev: NetDevice, frame: Frame, at: number): void {
    if (!dev.registered || !dev.adminUp) {
      if (frame.ip) this.explainPacket('drop', dev.netns, frame.ip, `interface ${dev.name} is ${dev.registered ? 'down (ip link set ' + dev.name + ' up)' : 'gone'}`, { dev: dev.name });
      return;
    }
    const len = frameLength(frame);
    if (dev instanceof VethDevice && !dev.peer.adminUp) {
      dev.stats.tx_dropped++;
      if (frame.ip) this.explainPacket('drop', dev.netns, frame.ip, `the peer of veth ${dev.name}, ${dev.peer.name}, is down, so nothing arrives at the other end`, { dev: dev.name });
      else this.trace('drop', { dev: dev.name, why: 'veth peer down' });
      return;
    }
    dev.stats.tx_packets++;
    dev.stats.tx_bytes += len;
    if (dev instanceof LoopbackDevice) {
      this.later(at, () => this.receive(dev, frame, this.k.now));
    } else if (dev instanceof VethDevice) {
      const peer = dev.peer;
      this.later(at, () => this.receive(peer, frame, this.k.now));
    } else if (dev instanceof BridgeDevice) {
      bridgeXmit(this, dev, frame, at);
    } else if (dev instanceof VlanDevice) {
      this.xmit(dev.lower, { ...frame, vlan: dev.vid }, at);
    } else if (dev instanceof BondDevice) {
      const out = dev.pick(frame);
      if (out.length === 0) {
        dev.stats.tx_dropped++;
        this.trace('drop', { dev: dev.name, why: 'no usable slave' });
      }
      for (const s of out) this.xmit(s.dev, frame, at);
    } else if (dev instanceof EtherDevice) {
      if (dev.eswitch) dev.eswitch.transmit(dev, frame, at);
      else this.wire(dev, frame, at);
    }
  }

  /** A physical NIC puts a frame on its cable: the far end's stack receives it after serialisation and latency. */
  wire(dev: EtherDevice, frame: Frame, at: number): void {
    const far = dev.cable;
    if (!far) return;
    const len = frameLength(frame);
    // The wire is FIFO: a frame starts after the previous one finished serialising.
    const queued = dev.wireFreeAt > at;
    const start = Math.max(at, dev.wireFreeAt);
    dev.wireFreeAt = start + Math.ceil((len * this.costs.linkKiB) / 1024);
    const arrive = dev.wireFreeAt + this.costs.nicLatency + dev.cableDelayNs;
    dev.onTx?.(len, queued);
    // The far end may be another machine's NIC (a VM's vNIC and its tap on the host): its own stack receives.
    const stack = far.netns.stack;
    this.later(arrive, () => stack.receive(far, frame, this.k.now));
  }

  /** netif_receive_skb: a frame arriving on `dev` at `at` (`fromSwitch`: handed on by the NIC's embedded switch). */
  receive(dev: NetDevice, frame: Frame, at: number, fromSwitch = false): void {
    // A PF with VFs: the embedded switch decides which function the frame is for.
    if (!fromSwitch && dev instanceof EtherDevice && dev.eswitch?.pf === dev) {
      dev.eswitch.fromWire(frame, at);
      return;
    }
    if (!dev.registered || !dev.adminUp) return;
    if (dev instanceof EtherDevice) dev.onRx?.(frameLength(frame));
    dev.stats.rx_packets++;
    dev.stats.rx_bytes += frameLength(frame);
    if (frame.dst !== MAC_BROADCAST && isGroupMac(frame.dst)) dev.stats.multicast++;
    // vlan_do_receive comes before the rx handler: a tagged frame for one of the device's
    // VLAN devices goes there even when the device is a bridge port or a bond's slave.
    const vlanDev = frame.vlan !== undefined ? this.vlansOn(dev).find((d) => d.vid === frame.vlan) : undefined;
    if (vlanDev) {
      this.receive(vlanDev, { ...frame, vlan: undefined }, at);
      return;
    }
    if (dev.master instanceof BridgeDevice) {
      bridgeInput(this, dev.master, dev, frame, at);
      return;
    }
    if (dev.master instanceof BondDevice) {
      this.bondInput(dev.master, dev, frame, at);
      return;
    }
    if (frame.vlan !== undefined) {
      dev.stats.rx_dropped++;
      return;
    }
    // PACKET_OTHERHOST: a frame for another station is not for the IP layer.
    if (!isGroupMac(frame.dst) && frame.dst !== dev.mac) return;
    ipv4Input(this, dev, frame, at);
  }

  /** bond_handle_frame: LACPDUs to the 802.3ad machinery, the rest up to the bond from the slaves that collect. */
  private bondInput(bond: BondDevice, dev: NetDevice, frame: Frame, at: number): void {
    const s = bond.slaveOf(dev);
    if (!s) return;
    if (frame.lacp) {
      if (bond.mode === '802.3ad') bond.ad.receive(this, s, frame.lacp);
      return;
    }
    if (!bond.collects(s)) {
      dev.stats.rx_dropped++;
      return;
    }
    this.receive(bond, frame, at);
  }
}
