/**
 * A network namespace (network_namespaces(7)): its own devices, addresses, routes,
 * neighbour table, sockets and port numbers, netfilter rules and connection
 * tracking, and /proc/sys/net settings. A new one holds only the loopback device,
 * DOWN and without addresses (NET-01). The stack that moves packets between
 * namespaces is the kernel's NetStack (net/stack.ts); this object is the state.
 *
 * When the namespace goes, its virtual devices are destroyed (a veth takes its peer
 * with it, NET-07) and physical devices return to the initial namespace (NET-09).
 */
import { Namespace } from './namespace.js';
import type { Frame } from '../net/packet.js';
import type { UserNamespace } from './user-ns.js';
import type { LoopbackDevice, NetDevice } from '../net/netdev.js';
import { Fib } from '../net/route.js';
import { NeighTable } from '../net/neigh.js';
import type { SocketTables } from '../net/sockets.js';
import type { Netfilter } from '../net/nat.js';

/** What a namespace needs from the kernel's network stack (net/stack.ts). */
export interface NetStackHooks {
  newLoopback(ns: NetNamespace): LoopbackDevice;
  /** A reachable_time for a new neighbour table (randomised as neigh_rand_reach_time). */
  reachableNs(): number;
  destroyNamespace(ns: NetNamespace): void;
  /**
   * A frame arriving on `dev` (a device of this stack) at `at` — what a cable from another
   * machine delivers, or (`fromSwitch`) a NIC's embedded switch hands to one of its functions.
   */
  receive(dev: NetDevice, frame: Frame, at: number, fromSwitch?: boolean): void;
  /** `dev`'s carrier may have changed (the far end of its cable went down or up). */
  carrierChanged(dev: NetDevice): void;
}

export class NetNamespace extends Namespace {
  readonly nsType = 'net' as const;
  /** Devices by ifindex, in the order `ip link` lists them (registration order). */
  readonly devices = new Map<number, NetDevice>();
  readonly lo: LoopbackDevice;
  /** The next ifindex to try (dev_new_index). */
  nextIfindex = 2;
  readonly fib = new Fib();
  readonly neigh: NeighTable;
  /** /proc/sys/net/ipv4/ip_forward. */
  ipForward = false;
  /** What a namespace of the simulated outside network is (the router, the remote host): no process is in it, so no inode names it. */
  outsideLabel: string | null = null;
  /** /proc/sys/net/ipv4/ping_group_range (the kernel default lets no group use ping sockets). */
  pingGroupRange: [number, number] = [1, 0];
  /** IDs this namespace gave other namespaces (peernet2id: `link-netnsid N`). */
  readonly nsids = new Map<NetNamespace, number>();
  /** The nat table and connection tracking, once iptables or conntrack first used them (net/nat.ts). */
  netfilter: Netfilter | null = null;
  /** Sockets bound or connected in this namespace (net/sockets.ts). */
  sockets!: SocketTables;
  /** The network stack (of its kernel) the namespace belongs to. */
  readonly stack: NetStackHooks;

  constructor(inum: number, owner: UserNamespace, stack: NetStackHooks) {
    super(inum, owner);
    this.stack = stack;
    this.neigh = new NeighTable(stack.reachableNs());
    this.lo = stack.newLoopback(this);
    this.devices.set(1, this.lo);
  }

  /** The device called `name` in this namespace. */
  byName(name: string): NetDevice | undefined {
    for (const d of this.devices.values()) if (d.name === name) return d;
    return undefined;
  }

  /** The id this namespace knows `other` by, allocating the next free one (as `ip link` does when it shows link-netnsid). */
  idOf(other: NetNamespace): number {
    let id = this.nsids.get(other);
    if (id === undefined) {
      id = 0;
      const used = new Set(this.nsids.values());
      while (used.has(id)) id++;
      this.nsids.set(other, id);
    }
    return id;
  }

  protected override teardown(): void {
    this.stack.destroyNamespace(this);
  }
}
