/**
 * A network namespace (network_namespaces(7)): its own devices, addresses, routes
 * and ports. A new one holds only the loopback device, DOWN and without addresses
 * (NET-01).
 *
 * Simplification: this is the namespace object and its loopback device only; the
 * network issue adds the stack (addresses, routes, veth, sockets) on top.
 */
import { Namespace } from './namespace.js';
import type { UserNamespace } from './user-ns.js';

export interface NetDevice {
  ifindex: number;
  name: string;
  up: boolean;
  mtu: number;
}

export class NetNamespace extends Namespace {
  readonly nsType = 'net' as const;
  readonly devices: NetDevice[] = [{ ifindex: 1, name: 'lo', up: false, mtu: 65536 }];

  constructor(inum: number, owner: UserNamespace) {
    super(inum, owner);
  }
}
