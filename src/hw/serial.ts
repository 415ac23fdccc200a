/**
 * A machine's serial port (COM1: a 16550A UART at I/O port 0x3f8, IRQ 4) as the
 * kernel's 8250 driver sees it: bytes written to its transmit holding register go
 * out on the line; bytes that arrive on the line raise its receive interrupt, whose
 * handler the driver binds. On a VM the port is the VMM's device model, which keeps
 * what the guest wrote (its console log) and prices every register access.
 */
export interface SerialPort {
  /** The driver writes `bytes` to the transmit holding register, one after the other. */
  transmit(bytes: string): void;
  /** The driver's receive interrupt handler: the port calls it with the bytes it received. */
  bind(receive: (bytes: string) => void): void;
}
