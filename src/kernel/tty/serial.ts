/**
 * The 8250/16550 serial driver and the serial console (drivers/tty/serial/8250,
 * Documentation/admin-guide/serial-console.rst): a machine's serial port becomes the
 * terminal /dev/ttyS0 (character device 4:64), whose output goes to the port's
 * transmit register byte by byte and whose input comes from its receive interrupt
 * through the line discipline (echoed, as a serial line is).
 *
 * With `console=ttyS0` on the kernel command line the port is also a console: it
 * prints the whole kernel log so far when it is registered (CON_PRINTBUFFER), then
 * every printk line as it is logged; and, when ttyS0 is the last console= (the
 * preferred console), what is written to /dev/console goes out on it too.
 *
 *   printk ───────────────┐
 *   /dev/console (5:1) ───┼──▶ ttyS0 (4:64) ──ONLCR──▶ SerialPort.transmit ──▶ the line
 *   write(2) on ttyS0 ────┘         ▲
 *                                   └── n_tty (ICRNL, ECHO, ^C…) ◀── receive interrupt
 *
 * Simplifications: only COM1 exists (no ttyS1–3 nodes); every printk line reaches
 * the console (no log levels, so `quiet` and `loglevel=` change nothing); reading
 * /dev/console does not read ttyS0 (it reads end of file).
 */
import type { Kernel } from '../kernel.js';
import { formatPrintk } from '../kernel.js';
import type { Console } from '../fs/console.js';
import { makedev } from '../vfs/types.js';
import { registerTty, Tty } from './tty.js';

/** The major number of serial ports and the minor of ttyS0 (Documentation/admin-guide/devices.txt). */
export const TTYS_MAJOR = 4;
export const TTYS0_MINOR = 64;

/** The consoles named by `console=NAME[,options]` on a command line, in order (the last is the preferred one). */
export function consoleNames(cmdline: string): string[] {
  const out: string[] = [];
  for (const word of cmdline.split(/\s+/)) {
    if (word.startsWith('console=')) out.push(word.slice('console='.length).split(',')[0]);
  }
  return out;
}

/**
 * Probes the machine's serial port at boot: registers ttyS0 and, when the command
 * line asks for it, the serial console (before the driver's own messages, as the
 * 8250 console is registered by a console initcall, early).
 */
export function probeSerial(k: Kernel, con: Console): void {
  const port = k.machine.serial;
  if (!port) return;
  const tty = new Tty(k, 0, (bytes) => port.transmit(bytes), { dev: makedev(TTYS_MAJOR, TTYS0_MINOR), name: 'ttyS0', echo: true });
  k.serialTtys.push(tty);
  registerTty(k, tty);
  port.bind((bytes) => tty.receive(bytes));
  const consoles = consoleNames(k.cmdline);
  if (consoles.includes('ttyS0')) {
    k.printk('printk: console [ttyS0] enabled');
    for (const line of k.log) tty.write(formatPrintk(line));
    k.printkConsole = (line) => tty.write(line);
    if (consoles[consoles.length - 1] === 'ttyS0') con.sink = (bytes) => tty.write(bytes);
  }
  k.printk('Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled');
  k.printk('serial8250: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A');
}
