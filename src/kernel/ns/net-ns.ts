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
  /**
   * Devices by ifindex, in the order `ip link` lists them (registration order).
   * Change it only with addDevice, removeDevice and renameDevice, which keep `named`.
   */
  readonly devices = new Map<number, NetDevice>();
  /**
   * The devices of each name, in the order of `devices` (one, as rtnetlink refuses a
   * taken name): byName without scanning a docker0 host's thousands of veths.
   */
  private readonly named = new Map<string, NetDevice[]>();
  /** When each device entered `devices` (its place in that Map's order). */
  private readonly entered = new Map<NetDevice, number>();
  private nextEntered = 0;
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
  /**
   * IDs this namespace gave other namespaces (peernet2id: `link-netnsid N`). Change it
   * only with setNsid and dropNsid, which keep `usedNsids`.
   */
  readonly nsids = new Map<NetNamespace, number>();
  /** The ids in `nsids`. Invariant: every id below `freeNsidFrom` is in it. */
  private readonly usedNsids = new Set<number>();
  private freeNsidFrom = 0;
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
    this.addDevice(this.lo);
  }

  /** The device called `name` in this namespace (the first registered, were there two). */
  byName(name: string): NetDevice | undefined {
    return this.named.get(name)?.[0];
  }

  /** Registers `dev` at its ifindex (last in `devices` order). */
  addDevice(dev: NetDevice): void {
    this.devices.set(dev.ifindex, dev);
    this.entered.set(dev, this.nextEntered++);
    this.fileName(dev);
  }

  /** Takes `dev` out of the namespace. */
  removeDevice(dev: NetDevice): void {
    this.devices.delete(dev.ifindex);
    this.unfileName(dev);
    this.entered.delete(dev);
  }

  /** Gives `dev` (a device of this namespace) another name. */
  renameDevice(dev: NetDevice, name: string): void {
    this.unfileName(dev);
    dev.name = name;
    this.fileName(dev);
  }

  private fileName(dev: NetDevice): void {
    const list = this.named.get(dev.name);
    if (!list) {
      this.named.set(dev.name, [dev]);
      return;
    }
    const at = this.entered.get(dev)!;
    let i = list.length;
    while (i > 0 && this.entered.get(list[i - 1])! > at) i--;
    list.splice(i, 0, dev);
  }

  private unfileName(dev: NetDevice): void {
    const list = this.named.get(dev.name);
    const i = list ? list.indexOf(dev) : -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (list!.length === 0) this.named.delete(dev.name);
  }

  /** The id this namespace knows `other` by, allocating the next free one (as `ip link` does when it shows link-netnsid). */
  idOf(other: NetNamespace): number {
    let id = this.nsids.get(other);
    if (id === undefined) {
      // The lowest free id (idr_alloc), found from where the ids below are known to be taken.
      id = this.freeNsidFrom;
      while (this.usedNsids.has(id)) id++;
      this.freeNsidFrom = id + 1;
      this.setNsid(other, id);
    }
    return id;
  }

  /** Whether some namespace has id `id` here. */
  isNsidUsed(id: number): boolean {
    return this.usedNsids.has(id);
  }

  /** Gives `other` the id `id` (RTM_NEWNSID); precondition: neither has one yet. */
  setNsid(other: NetNamespace, id: number): void {
    this.nsids.set(other, id);
    this.usedNsids.add(id);
  }

  /** Forgets the id of `other` (it is gone); its id is free again. */
  dropNsid(other: NetNamespace): void {
    const id = this.nsids.get(other);
    if (id === undefined) return;
    this.nsids.delete(other);
    this.usedNsids.delete(id);
    if (id < this.freeNsidFrom) this.freeNsidFrom = id;
  }

  protected override teardown(): void {
    this.stack.destroyNamespace(this);
  }
}
