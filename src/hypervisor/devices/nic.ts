/**
 * A VM's network adapter in the VMM, in one of two models —
 *
 *   e1000    an emulated Intel PRO/1000: the guest driver writes the transmit tail
 *            register and reads and acknowledges the interrupt cause registers, and
 *            every one of those accesses traps to the VMM (E1000_ACCESSES per frame
 *            sent; an interrupt and an ICR read per frame received);
 *   virtio   a paravirtual virtio-net: frames go through virtqueues in guest memory;
 *            the driver notifies the device only when it is idle (event suppression,
 *            VIRTIO_RING_F_EVENT_IDX), so a burst costs one notification.
 *
 * On both, a frame received raises an interrupt unless the guest is still polling the
 * ring from the last one (NAPI), so a burst costs one interrupt.
 *
 * The guest's eth device is cabled to a tap device on the host (vnetN, as libvirt
 * names them), so frames cross the same network stacks as containers' do.
 *
 * A NIC assigned to the guest (passthrough, or an SR-IOV virtual function) is the real
 * device's model (ixgbe, ixgbevf): its frames only count (devices/passthrough.ts).
 *
 * Simplifications: the device is "busy" while its tap's transmit queue is not empty,
 * and the guest polls for netRx per frame; no offloads (TSO, checksums).
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
  readonly model: 'virtio' | 'e1000' | 'ixgbe' | 'ixgbevf';
  /** The guest's device for this NIC, once its driver has bound it. */
  guestDev: EtherDevice | null = null;
  /** The tap device on the host it is cabled to, while the VM runs on a host. */
  tap: EtherDevice | null = null;
  framesTx = 0;
  framesRx = 0;
  traps = 0;
  /** Frames sent without a notification (virtio event suppression). */
  suppressed = 0;
  /** Frames received without an interrupt (NAPI polling). */
  coalesced = 0;
  /** Until when the guest's NAPI poll is still taking frames off the receive ring. */
  private pollUntil = 0;

  constructor(
    readonly config: VmNic,
    private readonly vm: VirtualMachine,
  ) {
    this.id = config.id;
    this.mac = config.mac;
    this.model = config.passthrough ? (config.sriovVf ? 'ixgbevf' : 'ixgbe') : config.model;
  }

  bind(dev: NicDevice): void {
    this.guestDev = dev as EtherDevice;
    if (this.config.passthrough) {
      // An assigned NIC: DMA through the IOMMU and posted interrupts — no exit per frame (devices/passthrough.ts).
      dev.onTx = () => void this.framesTx++;
      dev.onRx = () => void this.framesRx++;
      return;
    }
    dev.onTx = (_bytes, queued) => {
      this.framesTx++;
      // virtio with VIRTIO_RING_F_EVENT_IDX: while the device is still working through
      // the ring, the driver adds the frame without a kick (the device will see it).
      if (this.model === 'virtio' && queued) {
        this.suppressed++;
        return;
      }
      this.vm.chargeKernel(this.trapNs(this.model === 'e1000' ? E1000_ACCESSES : 1));
    };
    dev.onRx = () => {
      this.framesRx++;
      // NAPI: after an interrupt the driver polls the ring with interrupts off; frames that
      // arrive while it is still at work raise none (one interrupt per burst).
      const now = this.vm.engine.now;
      const polling = now < this.pollUntil;
      this.pollUntil = Math.max(now, this.pollUntil) + this.vm.costs.netRx;
      if (polling) {
        this.coalesced++;
        return;
      }
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
