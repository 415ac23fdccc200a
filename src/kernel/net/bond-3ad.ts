/**
 * 802.3ad link aggregation (IEEE 802.1AX LACP; drivers/net/bonding/bond_3ad.c) for a
 * bond in mode 802.3ad. Each slave is a port that tells its partner, in LACPDUs sent
 * to the slow-protocols address 01:80:c2:00:00:02, who it is (system MAC, key, port
 * number) and its state; ports whose partners are the same system with the same key
 * join one aggregator, and one aggregator is active: its ports carry the bond's
 * traffic, the others stand by. A port without an answering partner is "individual"
 * (defaulted): it gets an aggregator of its own, so against a switch that does not
 * speak LACP only one link is used.
 *
 * The key is the port's speed and duplex (bits 1-5: AD_LINK_SPEED_*, bit 0: full
 * duplex), 15 for 10 Gbit/s full duplex; a port whose link is down has key 0.
 * LACPDUs go out when something changes and then periodically (every second when the
 * partner asked for the short timeout, every 30 s otherwise) on a deferrable timer; a
 * partner silent for three of our periods (3 s with lacp_rate fast, 90 s slow) is
 * forgotten and the port becomes defaulted.
 *
 * Simplification: the receive, mux and selection machines are collapsed into one
 * update after each event (no aggregate wait of 2 s, no EXPIRED state before
 * DEFAULTED); ad_select is always "stable"; churn is judged once, 60 s after the port
 * started (the counts stay 0 or 1).
 */
import type { SimEvent } from '../../sim/engine.js';
import type { NetStack } from './stack.js';
import { MAC_ZERO, type Mac } from './inet.js';
import type { Frame, LacpInfo, Lacpdu } from './packet.js';
import type { BondDevice, BondSlave } from './bond.js';

export const AD_STATE_LACP_ACTIVITY = 0x1;
export const AD_STATE_LACP_TIMEOUT = 0x2;
export const AD_STATE_AGGREGATION = 0x4;
export const AD_STATE_SYNCHRONIZATION = 0x8;
export const AD_STATE_COLLECTING = 0x10;
export const AD_STATE_DISTRIBUTING = 0x20;
export const AD_STATE_DEFAULTED = 0x40;

/** The slow-protocols multicast address LACPDUs are sent to. */
export const LACP_MAC = '01:80:c2:00:00:02';
const NS_PER_SEC = 1_000_000_000;
const FAST_PERIODIC_NS = 1 * NS_PER_SEC;
const SLOW_PERIODIC_NS = 30 * NS_PER_SEC;
const SHORT_TIMEOUT_NS = 3 * NS_PER_SEC;
const LONG_TIMEOUT_NS = 90 * NS_PER_SEC;
const CHURN_DETECTION_NS = 60 * NS_PER_SEC;
/** ad_actor_sys_prio and the port priority's defaults. */
const SYSTEM_PRIORITY = 65535;
const PORT_PRIORITY = 255;
/** AD_LINK_SPEED_10000MBPS: every simulated NIC and veth runs at 10 Gbit/s full duplex. */
const SPEED_10000 = 7;
export const PORT_SPEED_MBPS = 10000;

/** What a port knows of its partner before (or without) a partner's LACPDU. */
function defaultPartner(): LacpInfo {
  return { systemPriority: SYSTEM_PRIORITY, system: MAC_ZERO, key: 1, portPriority: PORT_PRIORITY, port: 1, state: AD_STATE_LACP_ACTIVITY };
}

export interface AdPort {
  readonly slave: BondSlave;
  /** The aggregator the port is attached to (an aggregator's id is that of the slave that owns it). */
  aggregator: number;
  partner: LacpInfo;
  /** No partner's LACPDU is current: the partner information is the default. */
  defaulted: boolean;
  /** Attached to the active aggregator with its link up (actor SYNCHRONIZATION). */
  selected: boolean;
  /** The mux machine reached COLLECTING_DISTRIBUTING: the partner is in sync with us. */
  collDist: boolean;
  /** The port carries the bond's traffic (collecting and distributing, or the active individual port). */
  enabled: boolean;
  /** The actor state last sent, to send again only on a change. */
  sentState: number;
  sentKey: number;
  periodic: SimEvent | null;
  expiry: SimEvent | null;
  /** When the churn machines (re)started monitoring: the port was bound or its link came up. */
  monitorSince: number;
  /** The link as the last update saw it. */
  linkUp: boolean;
}

export class AdState {
  lacpRate: 'slow' | 'fast' = 'slow';
  /** The aggregator whose ports carry the traffic, or null. */
  active: number | null = null;

  constructor(private readonly bond: BondDevice) {}

  private ports(): AdPort[] {
    return this.bond.slaves.flatMap((s) => (s.port ? [s.port] : []));
  }

  /** The actor's operational key: speed and duplex, 0 while the link is down. */
  key(p: AdPort): number {
    return p.slave.up ? (SPEED_10000 << 1) | 1 : 0;
  }

  actorState(p: AdPort): number {
    let st = AD_STATE_LACP_ACTIVITY | AD_STATE_AGGREGATION;
    if (this.lacpRate === 'fast') st |= AD_STATE_LACP_TIMEOUT;
    if (p.selected) st |= AD_STATE_SYNCHRONIZATION;
    if (p.collDist) st |= AD_STATE_COLLECTING | AD_STATE_DISTRIBUTING;
    if (p.defaulted) st |= AD_STATE_DEFAULTED;
    return st;
  }

  actorInfo(p: AdPort): LacpInfo {
    return { systemPriority: SYSTEM_PRIORITY, system: this.bond.mac, key: this.key(p), portPriority: PORT_PRIORITY, port: p.slave.id, state: this.actorState(p) };
  }

  /**
   * ad_churn_machine: "monitoring" for the first 60 s after the port starts, then "none"
   * if the side (actor: our sync bit; partner: its sync bit) is in sync, else "churned".
   */
  churn(p: AdPort, now: number, side: 'actor' | 'partner'): 'monitoring' | 'none' | 'churned' {
    if (now - p.monitorSince < CHURN_DETECTION_NS) return 'monitoring';
    const state = side === 'actor' ? this.actorState(p) : p.partner.state;
    return (state & AD_STATE_SYNCHRONIZATION) !== 0 ? 'none' : 'churned';
  }

  bind(stack: NetStack, s: BondSlave): void {
    s.port = {
      slave: s,
      aggregator: s.id,
      partner: defaultPartner(),
      defaulted: true,
      selected: false,
      collDist: false,
      enabled: false,
      sentState: -1,
      sentKey: -1,
      periodic: null,
      expiry: null,
      monitorSince: stack.now,
      linkUp: s.up,
    };
  }

  unbind(stack: NetStack, s: BondSlave): void {
    const p = s.port;
    if (!p) return;
    stack.engine.cancel(p.periodic);
    stack.engine.cancel(p.expiry);
    s.port = null;
    if (this.active === p.aggregator && !this.ports().some((q) => q.aggregator === p.aggregator)) this.active = null;
  }

  /** Every port's periodic and expiry timers stop (the bond went down or left 802.3ad). */
  stop(stack: NetStack): void {
    for (const p of this.ports()) {
      stack.engine.cancel(p.periodic);
      stack.engine.cancel(p.expiry);
      p.periodic = p.expiry = null;
    }
  }

  carrier(): boolean {
    const n = this.ports().filter((p) => p.enabled).length;
    return n > 0 && n >= this.bond.minLinks;
  }

  /** The slaves frames may leave through: the enabled ports of the active aggregator, in slave order. */
  distributing(): BondSlave[] {
    return this.ports()
      .filter((p) => p.enabled)
      .map((p) => p.slave);
  }

  /** Ports attached to aggregator `id` whose link is up. */
  members(id: number): AdPort[] {
    return this.ports().filter((p) => p.aggregator === id && p.slave.up);
  }

  /** An LACPDU arrived on slave `s`. */
  receive(stack: NetStack, s: BondSlave, pdu: Lacpdu): void {
    const p = s.port;
    if (!p || !this.bond.adminUp) return;
    p.partner = { ...pdu.actor };
    p.defaulted = false;
    stack.engine.cancel(p.expiry);
    p.expiry = stack.engine.after(this.lacpRate === 'fast' ? SHORT_TIMEOUT_NS : LONG_TIMEOUT_NS, () => this.expire(stack, p), true);
    this.update(stack);
    // __update_ntt: the partner's view of us is out of date: tell it now.
    const me = this.actorInfo(p);
    const view = pdu.partner;
    if (view.system !== me.system || view.key !== me.key || view.port !== me.port || view.state !== me.state) this.send(stack, p);
  }

  /** The current_while timer ran out: the partner went silent. */
  private expire(stack: NetStack, p: AdPort): void {
    p.expiry = null;
    p.partner = defaultPartner();
    p.defaulted = true;
    stack.trace('lacp-expired', { bond: this.bond.name, slave: p.slave.dev.name });
    this.update(stack);
  }

  linkChanged(stack: NetStack): void {
    for (const p of this.ports()) {
      if (p.slave.up) {
        if (!p.linkUp) p.monitorSince = stack.now;
        p.linkUp = true;
        continue;
      }
      p.linkUp = false;
      // A port whose link went down forgets its partner (ad_rx_machine: PORT_DISABLED).
      stack.engine.cancel(p.expiry);
      p.expiry = null;
      p.partner = defaultPartner();
      p.defaulted = true;
    }
    this.update(stack);
  }

  /** Aggregation key of a port: ports join one aggregator only when these agree (and none is individual). */
  private lagId(p: AdPort): string {
    return `${this.key(p)}/${p.partner.system}/${p.partner.key}`;
  }

  /** ad_port_selection_logic and ad_agg_selection_logic (stable), then the mux outcome, then LACPDUs for what changed. */
  update(stack: NetStack): void {
    const ports = this.ports();
    const up = ports.filter((p) => p.slave.up);
    // A port stays with compatible mates; a port alone joins the lowest compatible aggregator;
    // a port that no longer fits its mates takes a free aggregator (its own when it can).
    const fits = (p: AdPort, q: AdPort): boolean => !p.defaulted && !q.defaulted && this.lagId(q) === this.lagId(p);
    for (const p of up) {
      const mates = up.filter((q) => q !== p && q.aggregator === p.aggregator);
      if (mates.length > 0 && mates.every((q) => fits(p, q))) continue;
      const join = up.filter((q) => q !== p && fits(p, q) && q.aggregator < p.aggregator).sort((a, b) => a.aggregator - b.aggregator)[0];
      if (join) p.aggregator = join.aggregator;
      else if (mates.length > 0) {
        const taken = new Set(up.filter((q) => q !== p).map((q) => q.aggregator));
        p.aggregator = [p.slave.id, ...ports.map((q) => q.slave.id)].find((id) => !taken.has(id)) ?? p.slave.id;
      }
    }
    this.active = this.selectActive(up);
    for (const p of ports) {
      p.selected = p.slave.up && p.aggregator === this.active;
      const partnerSync = (p.partner.state & AD_STATE_SYNCHRONIZATION) !== 0;
      p.collDist = p.selected && !p.defaulted && partnerSync;
      p.enabled = p.collDist || (p.selected && p.defaulted);
      if (p.slave.up) {
        const st = this.actorState(p);
        if (st !== p.sentState || this.key(p) !== p.sentKey) this.send(stack, p);
        this.armPeriodic(stack, p);
      } else {
        stack.engine.cancel(p.periodic);
        p.periodic = null;
      }
    }
  }

  /** The best aggregator among those with a port up; the current one stays while it still has a partner or neither has. */
  private selectActive(up: AdPort[]): number | null {
    const ids = [...new Set(up.map((p) => p.aggregator))].sort((a, b) => a - b);
    const partnered = (id: number): boolean => this.members(id).some((p) => !p.defaulted);
    let best: number | null = null;
    for (const id of ids) {
      if (best === null) best = id;
      else if (partnered(id) !== partnered(best)) best = partnered(id) ? id : best;
      else if (this.members(id).length > this.members(best).length) best = id;
    }
    const cur = this.active;
    if (best !== null && cur !== null && ids.includes(cur) && (partnered(cur) || !partnered(best))) return cur;
    return best;
  }

  private armPeriodic(stack: NetStack, p: AdPort): void {
    if (p.periodic?.fn) return;
    // The partner's timeout bit sets the pace; a defaulted partner (state 1) asks for the slow one.
    const fast = (p.partner.state & AD_STATE_LACP_TIMEOUT) !== 0;
    p.periodic = stack.engine.after(
      fast ? FAST_PERIODIC_NS : SLOW_PERIODIC_NS,
      () => {
        p.periodic = null;
        if (!p.slave.up || !this.bond.adminUp || p.slave.port !== p) return;
        this.send(stack, p);
        this.armPeriodic(stack, p);
      },
      true,
    );
  }

  /** Puts an LACPDU for port `p` on its slave's wire (from the slave's permanent address, as ad_lacpdu_send does). */
  private send(stack: NetStack, p: AdPort): void {
    const dev = p.slave.dev;
    p.sentState = this.actorState(p);
    p.sentKey = this.key(p);
    if (!dev.adminUp || !this.bond.adminUp) return;
    const frame: Frame = { src: p.slave.permMac, dst: LACP_MAC, lacp: { actor: this.actorInfo(p), partner: { ...p.partner } } };
    stack.xmit(dev, frame, stack.now);
  }
}

/** /proc/net/bonding/BOND's 802.3ad part for the bond (bond_info_show_master). */
export function render3adMaster(bond: BondDevice): string {
  const ad = bond.ad;
  let s = '\n802.3ad info\nLACP active: on\n';
  s += `LACP rate: ${ad.lacpRate}\nMin links: ${bond.minLinks}\nAggregator selection policy (ad_select): stable\n`;
  s += `System priority: ${SYSTEM_PRIORITY}\nSystem MAC address: ${bond.mac}\n`;
  const id = ad.active;
  const members = id === null ? [] : ad.members(id);
  if (id === null || members.length === 0) return s + `bond ${bond.name} has no active aggregator\n`;
  const p = members[0];
  s += `Active Aggregator Info:\n\tAggregator ID: ${id}\n\tNumber of ports: ${members.length}\n`;
  s += `\tActor Key: ${ad.key(p)}\n\tPartner Key: ${p.partner.key}\n\tPartner Mac Address: ${p.partner.system}\n`;
  return s;
}

/** A slave's 802.3ad lines (bond_info_show_slave). */
export function render3adSlave(bond: BondDevice, s: BondSlave, now: number): string {
  const p = s.port;
  if (!p) return 'Aggregator ID: N/A\n';
  const ad = bond.ad;
  const actor = ad.churn(p, now, 'actor');
  const partner = ad.churn(p, now, 'partner');
  const me = ad.actorInfo(p);
  const info = (i: LacpInfo, keyWord: string): string =>
    `    system priority: ${i.systemPriority}\n    system mac address: ${i.system}\n    ${keyWord}: ${i.key}\n` +
    `    port priority: ${i.portPriority}\n    port number: ${i.port}\n    port state: ${i.state}\n`;
  return (
    `Aggregator ID: ${p.aggregator}\nActor Churn State: ${actor}\nPartner Churn State: ${partner}\n` +
    `Actor Churned Count: ${actor === 'churned' ? 1 : 0}\nPartner Churned Count: ${partner === 'churned' ? 1 : 0}\n` +
    `details actor lacp pdu:\n${info(me, 'port key')}details partner lacp pdu:\n${info(p.partner, 'oper key')}`
  );
}

/** Is `m` the LACP address (frames to it are the bond's own business, never bridged)? */
export function isSlowProtocols(m: Mac): boolean {
  return m === LACP_MAC;
}
