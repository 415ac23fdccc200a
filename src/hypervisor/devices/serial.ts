/**
 * The VM's serial port in the VMM: an emulated 16550A UART at I/O port 0x3f8, IRQ 4
 * (COM1), as QEMU's `-serial` and Firecracker's serial device present it. The guest's
 * 8250 driver makes /dev/ttyS0 for it, and with `console=ttyS0` on the kernel command
 * line the guest's console — its boot messages, everything printk says, what is
 * written to /dev/console — goes out through it.
 *
 *   guest ── OUT 0x3f8 (THR), one byte ──▶ trap ──▶ VirtualUart ──▶ log (what the VMM keeps)
 *                                                        └──────▶ an attached console (ctsim vm console)
 *   guest ◀── IRQ 4, IN 0x3f8 (RBR) per byte ◀── receive(bytes) ◀── keys typed at the console
 *
 * Every byte the guest sends is a write to the transmit holding register, and every
 * byte it takes a read of the receive buffer register: each is a port I/O
 * instruction that traps to the VMM (`CpuVirt.deviceTrap`: an I/O-instruction exit
 * under hardware assist, an I/O callout under binary translation). Input also
 * raises the UART's interrupt (an external-interrupt exit under hardware assist).
 * A paravirtual guest (cpu-virt pv) writes its console to a ring shared with the
 * hypervisor and notifies it once per write, as Xen's hvc console does.
 *
 * Simplifications: one trap per byte — the driver's reads of the line status
 * register before each byte, the interrupt identification reads and the 16-byte
 * FIFOs are not modelled; the line has no baud rate (a byte takes no time to send);
 * a paravirtual guest's console is still called ttyS0 (Xen's is hvc0, 229:0).
 */
import type { SerialPort } from '../../hw/serial.js';
import type { VirtualMachine } from '../virtual-machine.js';

/** How much of the guest's output the VMM keeps (the tail), in bytes. */
export const SERIAL_LOG_BYTES = 64 * 1024;

export class VirtualUart implements SerialPort {
  readonly model = '16550A';
  /** COM1's I/O port base and interrupt line, as the guest's dmesg names them. */
  readonly ioPort = 0x3f8;
  readonly irq = 4;
  /** Bytes the guest sent and received since the VM was made. */
  bytesOut = 0;
  bytesIn = 0;
  /** Register accesses that trapped to the VMM (exits, callouts or hypercalls) and receive interrupts. */
  traps = 0;
  interrupts = 0;
  /** Where output goes as the guest writes it while a console is attached (the CLI), or null. */
  onOutput: ((bytes: string) => void) | null = null;
  /** Invariant: the chunks' total length is `kept`; the log is their concatenation's last SERIAL_LOG_BYTES bytes. */
  private chunks: string[] = [];
  private kept = 0;
  private receiver: ((bytes: string) => void) | null = null;

  constructor(private readonly vm: VirtualMachine) {}

  bind(receive: (bytes: string) => void): void {
    this.receiver = receive;
  }

  /** The guest wrote `bytes` to the transmit holding register (its price goes to the current kernel path). */
  transmit(bytes: string): void {
    if (bytes.length === 0) return;
    this.vm.chargeKernel(this.trapNs(bytes.length));
    this.bytesOut += bytes.length;
    this.chunks.push(bytes);
    this.kept += bytes.length;
    if (this.kept > 2 * SERIAL_LOG_BYTES) {
      const tail = this.log;
      this.chunks = [tail];
      this.kept = tail.length;
    }
    this.onOutput?.(bytes);
  }

  /**
   * Bytes arrive on the line (typed at the console): the UART interrupts the guest,
   * whose driver reads them one by one and hands them to ttyS0's line discipline.
   * Without a driver bound they are lost, as on a port nobody opened.
   */
  receive(bytes: string): void {
    if (bytes.length === 0 || !this.receiver) return;
    this.bytesIn += bytes.length;
    this.interrupts++;
    const cv = this.vm.cpuVirt;
    const irq = cv.mode === 'hw' ? cv.exit('external interrupt') : 0;
    this.vm.chargeKernel(irq + this.trapNs(bytes.length));
    this.receiver(bytes);
  }

  /** The tail of everything the guest has written (up to SERIAL_LOG_BYTES). */
  get log(): string {
    const all = this.chunks.join('');
    return all.length > SERIAL_LOG_BYTES ? all.slice(all.length - SERIAL_LOG_BYTES) : all;
  }

  /** The traps moving `n` bytes costs: one per byte, or one notification for a paravirtual guest. */
  private trapNs(n: number): number {
    const count = this.vm.cpuVirt.mode === 'pv' ? 1 : n;
    this.traps += count;
    return this.vm.cpuVirt.deviceTrap(count);
  }
}
