/**
 * Device assignment (VFIO, Documentation/driver-api/vfio.rst): a host NIC given to a
 * guest, which drives the hardware itself through the IOMMU — either a whole physical
 * NIC or an SR-IOV virtual function of one (kernel/net/sriov.ts). The host's driver
 * lets go of the device (vfio-pci takes it), so its network device leaves the host
 * while the VM runs and comes back, fresh, when the VM stops. Frames the guest sends
 * and receives cost no VM exit: the NIC reads and writes guest memory by DMA through
 * the IOMMU, and its interrupts are posted straight to the vCPU.
 *
 * A whole NIC keeps its burnt-in address (the guest sees it); a virtual function takes
 * the configured MAC and port VLAN from the PF, as libvirt sets them before assigning.
 *
 * Simplification: no IOMMU page tables or DMA remapping faults are modelled; the
 * guest's memory is taken as pinned (as VFIO pins it).
 */
import type { Kernel } from '../../kernel/kernel.js';
import { EtherDevice, type NetDevice } from '../../kernel/net/netdev.js';
import { setVfMac, type VirtualFunction } from '../../kernel/net/sriov.js';
import { MAC_ZERO } from '../../kernel/net/inet.js';
import type { VmConfig, VmNic } from '../vm-config.js';
import { VmLaunchError } from '../launch-error.js';

/** One device a VM holds, to give back when it stops. */
export interface Assignment {
  /** The host's device that left (the NIC, or the VF's host device). */
  readonly name: string;
  readonly mac: string;
  readonly guest: EtherDevice;
  readonly vf: VirtualFunction | null;
  /** A VF's MAC and port VLAN before the VM had it, restored after (as libvirt does). */
  readonly before?: { mac: string; vlan: number };
}


function hostNic(k: Kernel, name: string, vmm: string): EtherDevice {
  const d = k.initNsproxy.net.byName(name);
  if (!(d instanceof EtherDevice) || !d.sriovCapable) throw new VmLaunchError(`${vmm}: -device vfio-pci,host=${name}: no such physical NIC on the host (ip link shows the host's NICs)`);
  return d;
}

/** The configuration with each whole passed-through NIC's MAC replaced by the host NIC's burnt-in one. */
export function withAssignedMacs(k: Kernel, config: VmConfig, vmm: string): VmConfig {
  if (!config.nics.some((n) => n.passthrough && !n.sriovVf)) return config;
  return { ...config, nics: config.nics.map((n) => (n.passthrough && !n.sriovVf ? { ...n, mac: hostNic(k, n.hostDev!, vmm).mac } : n)) };
}

/** Assigns `nic`'s host device to the guest's network device `guest` (at VM start). */
export function assignNic(k: Kernel, nic: VmNic, guest: EtherDevice, vmName: string, vmm: string): Assignment {
  const dev = hostNic(k, nic.hostDev!, vmm);
  if (!nic.sriovVf) {
    if (dev.eswitch) throw new VmLaunchError(`${vmm}: -device vfio-pci,host=${dev.name}: the NIC has virtual functions enabled (echo 0 > /sys/class/net/${dev.name}/device/sriov_numvfs first)`);
    const far = dev.cable;
    k.net.deleteDevice(dev);
    dev.cable = null;
    guest.cable = far;
    if (far instanceof EtherDevice) far.cable = guest;
    return { name: dev.name, mac: dev.mac, guest, vf: null };
  }
  const vf = dev.eswitch?.pf === dev ? dev.eswitch.vfs.find((v) => v.assignedTo === null) : undefined;
  if (!vf) throw new VmLaunchError(`${vmm}: -device vfio-pci: ${dev.name} has no free virtual function (echo N > /sys/class/net/${dev.name}/device/sriov_numvfs makes N)`);
  const hostName = vf.dev.name;
  const before = { mac: vf.adminMac, vlan: vf.vlan };
  k.net.deleteDevice(vf.dev);
  setVfMac(vf, nic.mac);
  vf.vlan = nic.vlan ?? 0;
  vf.assignedTo = vmName;
  vf.dev = guest;
  guest.eswitch = dev.eswitch;
  return { name: hostName, mac: nic.mac, guest, vf, before };
}

/** Gives the device back to the host (the VM stopped): the host's driver binds it again, down and unaddressed. */
export function releaseNic(k: Kernel, a: Assignment): void {
  const ns = k.initNsproxy.net;
  const freeName = (at: typeof ns, want: string): string => {
    let name = want;
    for (let i = 0; at.byName(name); i++) name = `eth${i}`;
    return name;
  };
  if (a.vf) {
    const vf = a.vf;
    const pf = a.guest.eswitch?.pf;
    a.guest.eswitch = null;
    vf.adminMac = a.before?.mac ?? MAC_ZERO;
    vf.vlan = a.before?.vlan ?? 0;
    const at = pf?.netns ?? ns;
    // The host's VF driver binds again: the PF's address for it, or one of its own.
    const dev = k.net.createEther(at, freeName(at, a.name), vf.adminMac !== MAC_ZERO ? vf.adminMac : k.net.randomMac());
    dev.eswitch = pf?.eswitch ?? null;
    vf.dev = dev;
    vf.assignedTo = null;
    return;
  }
  const far: NetDevice | null = a.guest.cable;
  a.guest.cable = null;
  const dev = k.net.createEther(ns, freeName(ns, a.name), a.mac);
  dev.macSource = 'perm';
  dev.sriovCapable = true;
  if (far instanceof EtherDevice) {
    dev.cable = far;
    far.cable = dev;
  }
}
