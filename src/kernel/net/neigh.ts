/**
 * The ARP neighbour table of a network namespace (arp(7), `ip neigh`): which MAC
 * address answers for an IPv4 address on a device, and how sure the kernel is.
 *
 * States as in neighbour.c: INCOMPLETE (asked, no answer yet; packets wait in a
 * short queue), REACHABLE (confirmed within reachable_time), STALE (older, still
 * used), DELAY (used while STALE: wait delay_first_probe_time for a confirmation),
 * PROBE (unicast requests), FAILED (no answer to the probes: queued packets are
 * dropped and the sender gets ICMP host unreachable), PERMANENT (`ip neigh add`).
 * An entry learnt from someone else's request starts STALE, which is why the host
 * side of a first ping shows DELAY while the asker shows REACHABLE.
 */
import type { Ipv4, Mac } from './inet.js';
import type { NetDevice } from './netdev.js';
import type { IpPacket } from './packet.js';

export type NudState = 'INCOMPLETE' | 'REACHABLE' | 'STALE' | 'DELAY' | 'PROBE' | 'FAILED' | 'PERMANENT' | 'NOARP';

/** Linux's neigh_parms defaults (ms). */
export const RETRANS_TIME_MS = 1000;
export const DELAY_FIRST_PROBE_MS = 5000;
export const BASE_REACHABLE_MS = 30000;
export const MCAST_SOLICIT = 3;
export const UCAST_SOLICIT = 3;
/** Packets kept while resolving (unres_qlen_bytes 212992 holds ~100 small packets; ctsim keeps 101). */
export const UNRES_QLEN = 101;

export interface Neighbour {
  dev: NetDevice;
  ip: Ipv4;
  mac: Mac | null;
  state: NudState;
  /** When the entry was last confirmed reachable, or entered its state (ns). */
  confirmed: number;
  updated: number;
  /** Probes sent in INCOMPLETE or PROBE. */
  probes: number;
  /** Packets waiting for the address (INCOMPLETE), with their source device path. */
  queue: IpPacket[];
  /** The pending state timer (engine event), if any. */
  timer: { cancel(): void } | null;
  /** An entry made by `ip neigh add` (router flag etc. not modelled). */
  permanent: boolean;
}

export class NeighTable {
  readonly entries: Neighbour[] = [];
  /** reachable_time: randomised once per table between half and one and a half base_reachable_time. */
  readonly reachableNs: number;

  constructor(reachableNs: number) {
    this.reachableNs = reachableNs;
  }

  get(dev: NetDevice, ip: Ipv4): Neighbour | undefined {
    return this.entries.find((n) => n.dev === dev && n.ip === ip);
  }

  create(dev: NetDevice, ip: Ipv4, now: number): Neighbour {
    const n: Neighbour = { dev, ip, mac: null, state: 'INCOMPLETE', confirmed: 0, updated: now, probes: 0, queue: [], timer: null, permanent: false };
    this.entries.push(n);
    return n;
  }

  remove(n: Neighbour): void {
    n.timer?.cancel();
    const i = this.entries.indexOf(n);
    if (i >= 0) this.entries.splice(i, 1);
  }

  flushDev(dev: NetDevice): void {
    for (const n of [...this.entries]) if (n.dev === dev) this.remove(n);
  }

  /** The state `ip neigh` shows at `now` (a REACHABLE entry past reachable_time is STALE). */
  stateAt(n: Neighbour, now: number): NudState {
    if (n.state === 'REACHABLE' && now - n.confirmed >= this.reachableNs) return 'STALE';
    return n.state;
  }
}
