/**
 * Network devices (struct net_device): a name and index in one network namespace,
 * a MAC address, administrative state (IFF_UP), carrier (IFF_LOWER_UP), counters,
 * IPv4 addresses, and a way to put a frame on its wire. The kinds: loopback, veth
 * (a pair of cross-connected ends, veth(4)), bridge (bridge.ts), bond (bond.ts), 802.1Q VLAN
 * sub-interfaces, and the physical NIC joined to the simulated outside network.
 * What happens to a frame a device sends is the stack's business (stack.ts).
 */
import type { Ipv4, Mac } from './inet.js';
import type { NetNamespace } from '../ns/net-ns.js';
import type { EmbeddedSwitch } from './sriov.js';

export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_LOOPBACK = 0x8;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_MASTER = 0x400;
export const IFF_SLAVE = 0x800;
export const IFF_MULTICAST = 0x1000;
export const IFF_LOWER_UP = 0x10000;

/** The longest interface name (IFNAMSIZ 16 with the NUL). */
export const IFNAMSIZ = 16;

export type DevKind = 'loopback' | 'veth' | 'bridge' | 'bond' | 'vlan' | 'ether';

/** The counters of /sys/class/net/DEV/statistics (rtnl_link_stats64), those ctsim moves. */
export interface DevStats {
  rx_packets: number;
  tx_packets: number;
  rx_bytes: number;
  tx_bytes: number;
  rx_errors: number;
  tx_errors: number;
  rx_dropped: number;
  tx_dropped: number;
  multicast: number;
}

export function zeroStats(): DevStats {
  return { rx_packets: 0, tx_packets: 0, rx_bytes: 0, tx_bytes: 0, rx_errors: 0, tx_errors: 0, rx_dropped: 0, tx_dropped: 0, multicast: 0 };
}

/** An IPv4 address on a device (struct in_ifaddr). */
export interface IfAddr {
  local: Ipv4;
  prefixlen: number;
  broadcast: Ipv4 | null;
  /** 'host' for 127/8 on lo, else 'global'. */
  scope: 'host' | 'link' | 'global';
  label: string;
  /** IFA_F_SECONDARY: another address of the same prefix was there first. */
  secondary: boolean;
}

/**
 * How many times the address of an existing device has changed, in this process: a
 * bridge compares it with the count at its last look to know whether its ports'
 * addresses may have changed (BridgeDevice). Only ever compared for equality.
 */
let macChanges = 0;
export const macChangeCount = (): number => macChanges;

export abstract class NetDevice {
  abstract readonly kind: DevKind;
  ifindex: number;
  name: string;
  private macAddr: Mac;

  /** The device's address; setting it counts as a change (macChangeCount). */
  get mac(): Mac {
    return this.macAddr;
  }

  set mac(m: Mac) {
    this.macAddr = m;
    macChanges++;
  }
  /** How the MAC was set: 'random' (generated), 'set' (by the user), 'stolen' (a bridge's from a port). */
  macSource: 'perm' | 'random' | 'set' | 'stolen' = 'random';
  /**
   * The MAC the IPv6 link-local address was made from, when the device first had
   * carrier while up (addrconf); null before that or after `ip addr flush`.
   */
  ll6Mac: Mac | null = null;
  /** `ip addr flush` removed the IPv6 address: it comes back only at the next up. */
  ll6Flushed = false;
  mtu: number;
  /** IFF_UP: set by `ip link set DEV up`. */
  adminUp = false;
  netns: NetNamespace;
  /** The bridge this device is a port of. */
  master: NetDevice | null = null;
  readonly stats: DevStats = zeroStats();
  readonly addrs: IfAddr[] = [];
  txqueuelen = 1000;
  /** Every device made gets a kernel-wide serial, for deterministic ordering. */
  readonly serial: number;
  /** False once unregistered. */
  registered = true;

  constructor(serial: number, netns: NetNamespace, ifindex: number, name: string, mac: Mac, mtu: number) {
    this.serial = serial;
    this.netns = netns;
    this.ifindex = ifindex;
    this.name = name;
    this.macAddr = mac;
    this.mtu = mtu;
  }

  /** The physical-layer state (IFF_LOWER_UP): a veth whose peer is up, a bridge with a forwarding port. */
  abstract carrier(): boolean;

  /** IFF_* flags as SIOCGIFFLAGS and rtnetlink report them. */
  flags(): number {
    let f = this.baseFlags();
    if (this.master?.kind === 'bond') f |= IFF_SLAVE;
    if (this.adminUp) {
      f |= IFF_UP;
      if (this.carrier()) f |= IFF_RUNNING | IFF_LOWER_UP;
    }
    return f;
  }

  protected baseFlags(): number {
    return IFF_BROADCAST | IFF_MULTICAST;
  }

  /** The device the link points at (IFLA_LINK): a veth's peer, a VLAN's lower device; null for none. */
  link(): NetDevice | null {
    return null;
  }

  /** The IPv6 link-local address is assigned at the first up (addrconf); ::1 on lo. */
  abstract readonly hasIpv6: boolean;

  /** `qdisc` as ip link prints it. */
  qdisc(): string {
    return this.adminUp ? 'noqueue' : 'noop';
  }

  /** The RFC 2863 operational state `ip link` prints after `state`. */
  operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (!this.adminUp) return 'DOWN';
    if (this.carrier()) return 'UP';
    // default_operstate(): without carrier, a device whose link device (looked up by
    // index in its own namespace) also lacks carrier is LOWERLAYERDOWN.
    const l = this.link();
    if (!l || l.ifindex === this.ifindex) return 'DOWN';
    const same = this.netns.devices.get(l.ifindex);
    return same && !(same.adminUp && same.carrier()) ? 'LOWERLAYERDOWN' : 'DOWN';
  }
}

export class LoopbackDevice extends NetDevice {
  readonly kind = 'loopback' as const;
  readonly hasIpv6 = true;
  override carrier(): boolean {
    return true;
  }

  protected override baseFlags(): number {
    return IFF_LOOPBACK;
  }

  override operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    return this.adminUp ? 'UNKNOWN' : 'DOWN';
  }
}

export class VethDevice extends NetDevice {
  readonly kind = 'veth' as const;
  readonly hasIpv6 = true;
  peer!: VethDevice;

  override carrier(): boolean {
    return this.adminUp && this.peer.adminUp;
  }

  override link(): NetDevice {
    return this.peer;
  }
}

/** An 802.1Q sub-interface: frames it sends get the tag and leave through the lower device. */
export class VlanDevice extends NetDevice {
  readonly kind = 'vlan' as const;
  readonly hasIpv6 = true;
  readonly lower: NetDevice;
  readonly vid: number;

  constructor(serial: number, netns: NetNamespace, ifindex: number, name: string, lower: NetDevice, vid: number) {
    super(serial, netns, ifindex, name, lower.mac, lower.mtu);
    this.lower = lower;
    this.vid = vid;
    this.macSource = 'stolen';
  }

  override carrier(): boolean {
    return this.lower.adminUp && this.lower.carrier();
  }

  override link(): NetDevice {
    return this.lower;
  }
}

/** The host's physical NIC, cabled to the simulated outside network (outside.ts). */
export class EtherDevice extends NetDevice {
  readonly kind = 'ether' as const;
  readonly hasIpv6 = true;
  /** The far end of the cable (a device of the outside network), or null when unplugged. */
  cable: NetDevice | null = null;
  /** Extra one-way delay of the cable (distance), beyond nicLatency and serialisation. */
  cableDelayNs = 0;
  /** When the transmitter finishes the frame it is sending (frames leave in order). */
  wireFreeAt = 0;
  /**
   * Set by the machine's NIC model (a VM's emulated or paravirtual NIC): told of every
   * frame sent and received, so that it can price the exits or notifications.
   */
  /** `queued`: the transmitter was still busy with earlier frames when this one came. */
  onTx: ((bytes: number, queued: boolean) => void) | null = null;
  onRx: ((bytes: number) => void) | null = null;
  /** A host's physical NIC, which can make SR-IOV virtual functions (taps and guests' NICs cannot). */
  sriovCapable = false;
  /** The NIC's embedded switch, for a PF with VFs and for each VF (sriov.ts). */
  eswitch: EmbeddedSwitch | null = null;

  override carrier(): boolean {
    // A VF's link follows its PF's physical link (link-state auto).
    if (this.eswitch && this.eswitch.pf !== this) return this.eswitch.linkUp();
    return this.cable !== null && this.cable.adminUp;
  }

  override qdisc(): string {
    return this.adminUp ? 'pfifo_fast' : 'noop';
  }
}
