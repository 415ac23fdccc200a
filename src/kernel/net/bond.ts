/**
 * The bonding driver (Documentation/networking/bonding.rst, drivers/net/bonding): one
 * logical device over several slaves. The bond sends each frame through one slave (or
 * all, in broadcast mode) and takes what arrives on its slaves as its own.
 *
 * Modes: balance-rr (round robin), active-backup (one slave at a time, the next on
 * failure), balance-xor (a hash of the frame picks the slave), broadcast, and 802.3ad
 * (the hash over the ports of the active LACP aggregator: bond-3ad.ts). The hash is the
 * one bonding.rst gives for each xmit_hash_policy, computed on the header bytes as an
 * x86 kernel reads them (little-endian words of big-endian fields).
 *
 * Link monitoring is MII polling: every `miimon` ms the bond looks at each slave's
 * carrier; a lost carrier takes the slave out (its link failure count goes up) after
 * `downdelay`, a regained one brings it back after `updelay`. The poll is a deferrable
 * timer: it runs as time passes and never keeps the simulation busy.
 *
 * Enslaving sets the slave's address to the bond's (the bond takes its first slave's
 * when its own is random), opens the slave, and keeps the slave's permanent address to
 * give back on release (which closes the slave again).
 *
 * Simplification: no balance-tlb/alb, no ARP monitoring, no primary/fail_over_mac
 * options, no gratuitous ARPs after a failover; the bond's counters are its own, not
 * the sum of its slaves' (so LACPDUs show only on the slaves).
 */
import type { NetNamespace } from '../ns/net-ns.js';
import type { SimEvent } from '../../sim/engine.js';
import { IFF_MASTER, NetDevice } from './netdev.js';
import type { NetStack } from './stack.js';
import type { Mac } from './inet.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, ICMP_ECHO, ICMP_ECHOREPLY, type Frame } from './packet.js';
import { AdState, PORT_SPEED_MBPS, render3adMaster, render3adSlave, type AdPort } from './bond-3ad.js';

/** The modes in their numeric order (BOND_MODE_*): `mode 4` is 802.3ad. */
export const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'] as const;
export type BondMode = (typeof BOND_MODES)[number];
/** The modes ctsim models. */
export const MODELLED_MODES: readonly BondMode[] = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad'];

/** xmit_hash_policy values in their numeric order (BOND_XMIT_POLICY_*). */
export const HASH_POLICIES = ['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac'] as const;
export type HashPolicy = (typeof HASH_POLICIES)[number];

/** The long names /proc/net/bonding prints (bond_mode_name). */
export const MODE_NAMES: Record<BondMode, string> = {
  'balance-rr': 'load balancing (round-robin)',
  'active-backup': 'fault-tolerance (active-backup)',
  'balance-xor': 'load balancing (xor)',
  broadcast: 'fault-tolerance (broadcast)',
  '802.3ad': 'IEEE 802.3ad Dynamic link aggregation',
  'balance-tlb': 'transmit load balancing',
  'balance-alb': 'adaptive load balancing',
};

/** BOND_DEFAULT_MIIMON: link monitoring every 100 ms unless told otherwise. */
export const BOND_DEFAULT_MIIMON = 100;
const NS_PER_MS = 1_000_000;

export class BondSlave {
  /** The MII link state as the bond last saw it. */
  link: 'up' | 'down' | 'going-down' | 'going-up' = 'down';
  /** Polls left before a going-up/going-down slave changes (updelay/downdelay in miimon units). */
  delay = 0;
  linkFailureCount = 0;
  /** The 802.3ad port, in that mode. */
  port: AdPort | null = null;

  constructor(
    readonly dev: NetDevice,
    /** The address the slave had before (given back on release). */
    readonly permMac: Mac,
    readonly permSource: NetDevice['macSource'],
    /** The slave's number in the bond (the LACP port number), from 1. */
    readonly id: number,
  ) {}

  get up(): boolean {
    return this.link === 'up' || this.link === 'going-down';
  }
}

export class BondDevice extends NetDevice {
  readonly kind = 'bond' as const;
  readonly hasIpv6 = true;
  mode: BondMode = 'balance-rr';
  xmitHashPolicy: HashPolicy = 'layer2';
  miimon = BOND_DEFAULT_MIIMON;
  /** In miimon units, as the driver keeps them. */
  updelay = 0;
  downdelay = 0;
  minLinks = 0;
  readonly slaves: BondSlave[] = [];
  /** active-backup: the slave that carries the traffic (curr_active_slave). */
  activeSlave: BondSlave | null = null;
  private rrNext = 0;
  private nextSlaveId = 1;
  private miiTimer: SimEvent | null = null;
  /** 802.3ad state (aggregators, LACP settings). */
  readonly ad: AdState;

  constructor(serial: number, netns: NetNamespace, ifindex: number, name: string, mac: Mac) {
    super(serial, netns, ifindex, name, mac, 1500);
    this.ad = new AdState(this);
  }

  /**
   * bond_set_carrier: in 802.3ad mode, on while the active aggregator has at least
   * min_links enabled ports; otherwise on while a slave's link is up.
   */
  override carrier(): boolean {
    if (this.mode === '802.3ad') return this.ad.carrier();
    return this.slaves.some((s) => s.up);
  }

  protected override baseFlags(): number {
    return super.baseFlags() | IFF_MASTER;
  }

  slaveOf(dev: NetDevice): BondSlave | undefined {
    return this.slaves.find((s) => s.dev === dev);
  }

  /** The slaves a frame may leave through now (bond_update_slave_arr), in slave order. */
  usable(): BondSlave[] {
    if (this.mode === '802.3ad') return this.ad.distributing();
    if (this.mode === 'active-backup') return this.activeSlave?.up ? [this.activeSlave] : [];
    return this.slaves.filter((s) => s.up);
  }

  /** May a frame that arrived on `s` go up to the bond (an inactive slave's are dropped)? */
  collects(s: BondSlave): boolean {
    if (!s.up) return false;
    if (this.mode === '802.3ad') return s.port?.enabled ?? false;
    if (this.mode === 'active-backup') return s === this.activeSlave;
    return true;
  }

  // ---- enslaving -----------------------------------------------------------

  enslave(stack: NetStack, dev: NetDevice): void {
    const s = new BondSlave(dev, dev.mac, dev.macSource, this.nextSlaveId++);
    if (this.slaves.length === 0 && this.macSource === 'random') {
      this.mac = dev.mac;
      this.macSource = 'stolen';
    }
    this.slaves.push(s);
    dev.master = this;
    dev.mac = this.mac;
    stack.macChanged(this);
    stack.setUp(dev, true);
    // Without link monitoring a slave is taken to be up, and stays so; with updelay a
    // slave with carrier comes up only after the delay (bond_enslave: BOND_LINK_BACK).
    if (this.miimon === 0) s.link = 'up';
    else if (!dev.carrier()) s.link = 'down';
    else if (this.updelay > 0) {
      s.link = 'going-up';
      s.delay = this.updelay;
    } else s.link = 'up';
    if (this.mode === '802.3ad') this.ad.bind(stack, s);
    this.linkChanged(stack);
    this.armMii(stack);
  }

  release(stack: NetStack, dev: NetDevice): void {
    const s = this.slaveOf(dev);
    if (!s) return;
    this.slaves.splice(this.slaves.indexOf(s), 1);
    if (this.mode === '802.3ad') this.ad.unbind(stack, s);
    if (this.activeSlave === s) this.activeSlave = null;
    dev.master = null;
    dev.mac = s.permMac;
    dev.macSource = s.permSource;
    stack.setUp(dev, false);
    stack.macChanged(dev);
    if (this.slaves.length === 0) {
      // __bond_release_one: the last slave gone, the bond makes itself a new random address.
      this.mac = stack.randomMac();
      this.macSource = 'random';
      this.nextSlaveId = 1;
      stack.macChanged(this);
    }
    this.linkChanged(stack);
  }

  /** `ip link set BOND address MAC`: every slave takes it too (bond_set_mac_address). */
  setMac(mac: Mac): void {
    for (const s of this.slaves) s.dev.mac = mac;
  }

  // ---- link monitoring ------------------------------------------------------

  /** Starts the MII poll when the bond is up with slaves and miimon is set (at once when the bond opens). */
  armMii(stack: NetStack, now = false): void {
    if (this.miiTimer?.fn || this.miimon === 0 || !this.adminUp || this.slaves.length === 0 || !this.registered) return;
    this.miiTimer = stack.engine.after(now ? 0 : this.miimon * NS_PER_MS, () => this.miiPoll(stack), true);
  }

  stopMii(stack: NetStack): void {
    stack.engine.cancel(this.miiTimer);
    this.miiTimer = null;
  }

  /** bond_mii_monitor: one poll of every slave's carrier. */
  private miiPoll(stack: NetStack): void {
    this.miiTimer = null;
    let changed = false;
    for (const s of this.slaves) {
      const carrier = s.dev.adminUp && s.dev.carrier();
      if (s.up && !carrier) {
        if (s.link === 'up') {
          s.link = 'going-down';
          s.delay = this.downdelay;
        }
        if (s.delay-- <= 0) {
          s.link = 'down';
          s.linkFailureCount++;
          changed = true;
          stack.trace('bond-link', { bond: this.name, slave: s.dev.name, link: 'down' });
        }
      } else if (!s.up && carrier) {
        if (s.link === 'down') {
          s.link = 'going-up';
          s.delay = this.updelay;
        }
        if (s.delay-- <= 0) {
          s.link = 'up';
          changed = true;
          stack.trace('bond-link', { bond: this.name, slave: s.dev.name, link: 'up' });
        }
      } else if (s.link === 'going-down') s.link = 'up';
      else if (s.link === 'going-up') s.link = 'down';
    }
    if (changed) this.linkChanged(stack);
    this.armMii(stack);
  }

  /** After a slave's link changed: pick the active slave or aggregator again, and tell the stack. */
  linkChanged(stack: NetStack): void {
    if (this.mode === 'active-backup' && !this.activeSlave?.up) this.activeSlave = this.slaves.find((s) => s.up) ?? null;
    if (this.mode === '802.3ad') this.ad.linkChanged(stack);
    stack.carrierChanged(this);
  }

  // ---- the data path --------------------------------------------------------

  /** The slave(s) a frame leaves through, or none (the bond has no usable slave). */
  pick(frame: Frame): BondSlave[] {
    const u = this.usable();
    if (u.length === 0) return [];
    switch (this.mode) {
      case 'broadcast':
        return u;
      case 'active-backup':
        return [u[0]];
      case 'balance-rr':
        return [u[this.rrNext++ % u.length]];
      default:
        return [u[bondXmitHash(this.xmitHashPolicy, frame) % u.length]];
    }
  }
}

/** The six bytes of a MAC address. */
function macBytes(m: Mac): number[] {
  return m.split(':').map((h) => parseInt(h, 16));
}

/** A big-endian 32-bit field as an x86 kernel reads it into a u32 (the bytes reversed). */
function le32(b0: number, b1: number, b2: number, b3: number): number {
  return (b0 | (b1 << 8) | (b2 << 16) | (b3 << 24)) >>> 0;
}

function leAddr(a: number): number {
  return le32((a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255);
}

/** The EtherType the frame carries (ETH_P_IP, ETH_P_ARP, ETH_P_SLOW). */
function ethertype(f: Frame): number {
  return f.ip ? 0x0800 : f.arp ? 0x0806 : f.lacp ? 0x8809 : 0;
}

/** bond_eth_hash: source MAC[5] XOR destination MAC[5] XOR packet type ID. */
function ethHash(f: Frame): number {
  return (macBytes(f.src)[5] ^ macBytes(f.dst)[5] ^ ethertype(f)) >>> 0;
}

/**
 * bond_xmit_hash for `policy` (bonding.rst, "xmit_hash_policy"): the slave is this
 * modulo the number of usable slaves. Non-IP frames hash as layer2 under every policy
 * but vlan+srcmac; layer3+4 starts from the ports (or an ICMP echo's type, code and id)
 * and drops the lowest bit at the end.
 */
export function bondXmitHash(policy: HashPolicy, f: Frame): number {
  if (policy === 'vlan+srcmac') {
    const b = macBytes(f.src);
    const vendor = (b[0] << 16) | (b[1] << 8) | b[2];
    const dev = (b[3] << 16) | (b[4] << 8) | b[5];
    return ((f.vlan ?? 0) ^ vendor ^ dev) >>> 0;
  }
  const ip = f.ip;
  if (policy === 'layer2' || !ip) return ethHash(f);
  let hash: number;
  if (policy === 'layer2+3' || policy === 'encap2+3') hash = ethHash(f);
  else if (ip.proto === IPPROTO_ICMP && ip.icmp && (ip.icmp.type === ICMP_ECHO || ip.icmp.type === ICMP_ECHOREPLY)) {
    hash = le32(ip.icmp.type, ip.icmp.code, (ip.icmp.id >>> 8) & 255, ip.icmp.id & 255);
  } else {
    const l4 = ip.proto === IPPROTO_TCP ? ip.tcp : ip.proto === IPPROTO_UDP ? ip.udp : undefined;
    hash = l4 ? le32((l4.sport >>> 8) & 255, l4.sport & 255, (l4.dport >>> 8) & 255, l4.dport & 255) : 0;
  }
  hash = (hash ^ leAddr(ip.dst) ^ leAddr(ip.src)) >>> 0;
  hash = (hash ^ (hash >>> 16)) >>> 0;
  hash = (hash ^ (hash >>> 8)) >>> 0;
  return policy === 'layer3+4' || policy === 'encap3+4' ? hash >>> 1 : hash;
}

/**
 * /proc/net/bonding/BOND (bond_procfs.c): the bond's mode, hash policy and MII
 * settings, its 802.3ad aggregator, then each slave.
 */
export function renderProcBonding(bond: BondDevice, release: string, now: number): string {
  let s = `Ethernet Channel Bonding Driver: v${release}\n\nBonding Mode: ${MODE_NAMES[bond.mode]}\n`;
  if (bond.mode === 'balance-xor' || bond.mode === '802.3ad') s += `Transmit Hash Policy: ${bond.xmitHashPolicy} (${HASH_POLICIES.indexOf(bond.xmitHashPolicy)})\n`;
  if (bond.mode === 'active-backup') s += `Primary Slave: None\nCurrently Active Slave: ${bond.activeSlave?.dev.name ?? 'None'}\n`;
  s += `MII Status: ${bond.adminUp && bond.carrier() ? 'up' : 'down'}\nMII Polling Interval (ms): ${bond.miimon}\n`;
  s += `Up Delay (ms): ${bond.updelay * bond.miimon}\nDown Delay (ms): ${bond.downdelay * bond.miimon}\nPeer Notification Delay (ms): 0\n`;
  if (bond.mode === '802.3ad') s += render3adMaster(bond);
  for (const sl of bond.slaves) {
    const mii = sl.up ? 'up' : 'down';
    s += `\nSlave Interface: ${sl.dev.name}\nMII Status: ${mii}\n`;
    s += sl.up ? `Speed: ${PORT_SPEED_MBPS} Mbps\nDuplex: full\n` : 'Speed: Unknown\nDuplex: Unknown\n';
    s += `Link Failure Count: ${sl.linkFailureCount}\nPermanent HW addr: ${sl.permMac}\nSlave queue ID: 0\n`;
    if (bond.mode === '802.3ad') s += render3adSlave(bond, sl, now);
  }
  return s;
}
