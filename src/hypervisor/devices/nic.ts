/**
 * A VM's network adapter in the VMM, in one of two models —
 *
 *   e1000    an emulated Intel PRO/1000: the guest driver writes the transmit tail
 *            register and reads and acknowledges the interrupt cause registers, and
 *            every one of those accesses traps to the VMM (E1000_ACCESSES per frame
 *            sent; an interrupt and an ICR read per frame received);
 *   virtio   a paravirtual virtio-net: frames go through virtqueues in guest memory,
 *            one notification per frame sent and one interrupt per frame received.
 *
 * The guest's eth device is cabled to a tap device on the host (vnetN, as libvirt
 * names them), so frames cross the same network stacks as containers' do.
 *
 * Simplifications: no virtqueue event suppression or interrupt coalescing (under load
 * a real virtio-net notifies once per batch); no offloads (TSO, checksums).
 */
import type { NicDevice, NicPort } from '../../hw/nic.js';
import type { EtherDevice } from '../../kernel/net/netdev.js';
import type { VmNic } from '../vm-config.js';
import type { VirtualMachine } from '../virtual-machine.js';

/** Register accesses (each a trap) the e1000 driver makes per frame it sends. */
const E1000_ACCESSES = 4;

export class VirtualNic implements NicPort {
  readonly id: string;
  readonly mac: string;
  readonly model: 'virtio' | 'e1000';
  /** The guest's device for this NIC, once its driver has bound it. */
  guestDev: EtherDevice | null = null;
  /** The tap device on the host it is cabled to, while the VM runs on a host. */
  tap: EtherDevice | null = null;
  framesTx = 0;
  framesRx = 0;
  traps = 0;

  constructor(
    readonly config: VmNic,
    private readonly vm: VirtualMachine,
  ) {
    this.id = config.id;
    this.mac = config.mac;
    this.model = config.model;
  }

  bind(dev: NicDevice): void {
    this.guestDev = dev as EtherDevice;
    dev.onTx = () => {
      this.framesTx++;
      this.vm.chargeKernel(this.trapNs(this.model === 'e1000' ? E1000_ACCESSES : 1));
    };
    dev.onRx = () => {
      this.framesRx++;
      const cv = this.vm.cpuVirt;
      // The completion interrupt, and under emulation the interrupt-cause read.
      let ns = cv.mode === 'hw' ? cv.exit('external interrupt') : 0;
      if (this.model === 'e1000') ns += this.trapNs(1);
      this.vm.chargeKernel(ns);
    };
  }

  /** `n` register accesses or notifications, priced by the CPU technique. */
  private trapNs(n: number): number {
    this.traps += n;
    return this.vm.cpuVirt.deviceTrap(n);
  }
}
