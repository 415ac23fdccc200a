/**
 * SR-IOV (Documentation/PCI/pci-iov-howto.rst, ip-link(8) "vf"): a physical NIC (the
 * physical function, PF) that also presents virtual functions (VFs) — light PCI
 * functions with their own MAC and queues, each a network device of its own, which a
 * hypervisor can assign to a guest so that the guest drives the hardware directly.
 *
 * `echo N > /sys/class/net/PF/device/sriov_numvfs` makes N VFs (PFv0, PFv1, … in the
 * host, the VF driver bound); `ip link set PF vf I mac M | vlan V` sets a VF's address
 * and port VLAN from the PF. Between the PF, its VFs and the wire sits the NIC's
 * embedded switch (a VEB): a frame from the wire goes to the function whose MAC it is
 * addressed to (the PF otherwise; broadcast and multicast to every function of its
 * VLAN); a frame a function sends to another function's MAC turns around inside the
 * NIC, the rest goes out on the wire, tagged with the sender's port VLAN. A VF whose
 * MAC was set by the PF may send only from that MAC (spoof checking on). Its link
 * follows the PF's (link-state auto): down while the PF is down or unplugged.
 *
 * Simplification: the switch forwards by the functions' MAC addresses only (no
 * learning; a function without a port VLAN takes every VLAN's tagged frames, as if its
 * driver had registered every VID; no rate limits or trust setting); a turn inside the
 * NIC costs one nicLatency.
 */
import { isGroupMac, MAC_ZERO, parseMac, type Mac } from './inet.js';
import type { EtherDevice } from './netdev.js';
import { frameLength, type Frame } from './packet.js';
import type { NetStack } from './stack.js';

/** sriov_totalvfs of every simulated NIC (a design choice; an 82599 port has 63, an X710 port up to 64). */
export const SRIOV_TOTAL_VFS = 8;

export interface VirtualFunction {
  readonly index: number;
  /** The address the PF gave it (`ip link set PF vf I mac`), or 00:00:00:00:00:00. */
  adminMac: Mac;
  /** The port VLAN (`ip link set PF vf I vlan V`), 0 for none. */
  vlan: number;
  /** The VF's network device: the host's (PFvI) or, assigned, the guest's. */
  dev: EtherDevice;
  /** The VM the VF is assigned to (vfio-pci), or null. */
  assignedTo: string | null;
}

export class EmbeddedSwitch {
  readonly vfs: VirtualFunction[] = [];

  constructor(
    readonly pf: EtherDevice,
    /** The PF's kernel's stack: the wire and the NIC's timing are its. */
    private readonly stack: NetStack,
  ) {}

  /** Link-state auto: a VF has carrier while its PF is up with a link. */
  linkUp(): boolean {
    return this.pf.adminUp && this.pf.cable !== null && this.pf.cable.adminUp;
  }

  private vfOf(dev: EtherDevice): VirtualFunction | undefined {
    return this.vfs.find((v) => v.dev === dev);
  }

  /**
   * The functions a frame in VLAN `vlan` (0: untagged) with destination `dst` reaches,
   * but `from`, each with the tag it gets there: a function with a port VLAN takes its
   * VLAN's frames untagged; one without takes untagged frames, and tagged ones tagged
   * (for the VLAN devices its driver made).
   */
  private targets(dst: Mac, vlan: number, from: EtherDevice | null): { dev: EtherDevice; tag: number }[] {
    const fns: { dev: EtherDevice; vlan: number }[] = [{ dev: this.pf, vlan: 0 }, ...this.vfs.map((v) => ({ dev: v.dev, vlan: v.vlan }))];
    const inVlan = fns.filter((f) => f.dev !== from && (f.vlan === vlan || f.vlan === 0)).map((f) => ({ dev: f.dev, tag: f.vlan === 0 ? vlan : 0 }));
    if (isGroupMac(dst)) return inVlan;
    const hit = inVlan.find((f) => f.dev !== this.pf && f.dev.mac === dst) ?? inVlan.find((f) => f.dev === this.pf && f.dev.mac === dst);
    return hit ? [hit] : [];
  }

  private deliver(dev: EtherDevice, frame: Frame, tag: number, at: number): void {
    const out: Frame = { ...frame, vlan: tag !== 0 ? tag : undefined };
    // The function may be a guest's: its own kernel's stack receives.
    const to = dev.netns.stack;
    this.stack.later(at + this.stack.costs.nicLatency, () => to.receive(dev, out, this.stack.now, true));
  }

  /** A frame the PF or one of its VFs sends. */
  transmit(from: EtherDevice, frame: Frame, at: number): void {
    const vf = this.vfOf(from);
    if (vf) from.onTx?.(frameLength(frame), false);
    if (vf && !this.linkUp()) {
      from.stats.tx_dropped++;
      return;
    }
    if (vf && vf.adminMac !== MAC_ZERO && frame.src !== vf.adminMac) {
      from.stats.tx_dropped++;
      return;
    }
    const vlan = vf && vf.vlan !== 0 ? vf.vlan : (frame.vlan ?? 0);
    const local = this.targets(frame.dst, vlan, from);
    for (const d of local) this.deliver(d.dev, frame, d.tag, at);
    // Unicast to a local function stays in the NIC; the rest also goes out on the wire.
    if (local.length > 0 && !isGroupMac(frame.dst)) return;
    const wire: Frame = vlan !== 0 ? { ...frame, vlan } : { ...frame, vlan: undefined };
    this.stack.wire(this.pf, wire, at);
  }

  /** A frame from the wire, arriving at the PF's port. */
  fromWire(frame: Frame, at: number): void {
    if (!this.pf.adminUp) return;
    const vlan = frame.vlan ?? 0;
    const hits = this.targets(frame.dst, vlan, null);
    // A unicast frame for no function's address is the PF's (its stack decides, as for any NIC).
    for (const d of hits.length > 0 ? hits : [{ dev: this.pf, tag: vlan }]) this.deliver(d.dev, frame, d.tag, at);
  }
}

/**
 * `echo N > sriov_numvfs`: N VFs with host devices PFv0…; 0 removes them. Changing a
 * non-zero number needs 0 first (EBUSY); VFs assigned to guests stay (EPERM).
 */
export function setNumVfs(stack: NetStack, pf: EtherDevice, n: number): 'EBUSY' | 'EPERM' | 'ERANGE' | 'EINVAL' | null {
  if (!pf.sriovCapable) return 'EINVAL';
  if (n < 0 || n > SRIOV_TOTAL_VFS) return 'ERANGE';
  const sw = pf.eswitch;
  const cur = sw?.vfs.length ?? 0;
  if (n === cur) return null;
  if (cur !== 0 && n !== 0) return 'EBUSY';
  // ixgbe_pci_sriov_disable: VFs assigned to guests cannot go.
  if (sw && sw.vfs.some((v) => v.assignedTo !== null)) return 'EPERM';
  if (n === 0) {
    for (const v of sw!.vfs) stack.deleteDevice(v.dev);
    pf.eswitch = null;
    return null;
  }
  const s = new EmbeddedSwitch(pf, stack);
  pf.eswitch = s;
  for (let i = 0; i < n; i++) {
    const dev = stack.createEther(pf.netns, `${pf.name}v${i}`, stack.randomMac());
    dev.eswitch = s;
    s.vfs.push({ index: i, adminMac: MAC_ZERO, vlan: 0, dev, assignedTo: null });
  }
  stack.trace('sriov', { pf: pf.name, numvfs: n });
  return null;
}

/** `ip link set PF vf I mac M`: the VF's device takes the address at once (its driver's next reset). */
export function setVfMac(vf: VirtualFunction, mac: Mac): void {
  vf.adminMac = mac;
  vf.dev.mac = mac;
}

/** `ip link set PF vf I [mac M] [vlan V]` (IFLA_VF_MAC, IFLA_VF_VLAN): EINVAL for no such VF, a multicast MAC or a VLAN past 4095. */
export function setVf(pf: EtherDevice, req: { index: number; mac?: string; vlan?: number }): 'EINVAL' | null {
  const vf = pf.eswitch?.pf === pf ? pf.eswitch.vfs[req.index] : undefined;
  if (!vf) return 'EINVAL';
  let mac: Mac | null = null;
  if (req.mac !== undefined) {
    mac = parseMac(req.mac);
    if (!mac || (parseInt(mac.slice(0, 2), 16) & 1) === 1) return 'EINVAL';
  }
  if (req.vlan !== undefined && req.vlan > 4095) return 'EINVAL';
  if (mac) setVfMac(vf, mac);
  if (req.vlan !== undefined) vf.vlan = req.vlan;
  return null;
}
