/**
 * A machine's network adapters as the kernel's NIC drivers see them: a MAC address and
 * a model. The kernel makes a network device for each (eth0, eth1, …) and binds it to
 * the port; on a VM the port is the VMM's NIC model (an emulated Intel e1000 or a
 * paravirtual virtio-net), which prices every frame sent and received.
 */
export interface NicPort {
  /** The interface's id in the machine's configuration. */
  readonly id: string;
  readonly mac: string;
  /** The VMM's emulated or paravirtual model, or the real NIC assigned to the guest (ixgbe, or its virtual function ixgbevf). */
  readonly model: 'virtio' | 'e1000' | 'ixgbe' | 'ixgbevf';
  /**
   * The driver made network device `dev` for this port. `dev` has onTx/onRx hooks the
   * port sets (the kernel's EtherDevice; typed loosely so that hw stays below the kernel).
   */
  bind(dev: NicDevice): void;
}

/** What a port sees of the kernel's network device. */
export interface NicDevice {
  /** A frame is sent; `queued`: the device was still busy with earlier frames (its queue was not empty). */
  onTx: ((bytes: number, queued: boolean) => void) | null;
  onRx: ((bytes: number) => void) | null;
}
