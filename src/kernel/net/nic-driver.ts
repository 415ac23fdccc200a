/**
 * The NIC drivers: a network device (eth0, eth1, …, down and unaddressed, as a fresh
 * machine's) for each of the machine's NICs, bound to its port, with the driver's
 * boot message. A VM's guest has these instead of the physical host's cable to the
 * simulated outside.
 */
import type { Kernel } from '../kernel.js';
import type { NicPort } from '../../hw/nic.js';

export function attachNics(k: Kernel, nics: readonly NicPort[]): void {
  const ns = k.initNsproxy.net;
  nics.forEach((port, i) => {
    const dev = k.net.createEther(ns, `eth${i}`, port.mac);
    const slot = `0000:00:${(3 + i).toString(16).padStart(2, '0')}.0`;
    if (port.model === 'e1000') {
      k.printk(`e1000 ${slot} eth${i}: (PCI:33MHz:32-bit) ${port.mac}`);
      k.printk(`e1000 ${slot} eth${i}: Intel(R) PRO/1000 Network Connection`);
    } else if (port.model === 'ixgbe') {
      k.printk(`ixgbe ${slot}: ${port.mac}`);
      k.printk(`ixgbe ${slot}: Intel(R) 10 Gigabit Network Connection`);
    } else if (port.model === 'ixgbevf') {
      k.printk(`ixgbevf ${slot}: ${port.mac}`);
      k.printk(`ixgbevf ${slot}: Intel(R) 82599 Virtual Function`);
    } else {
      k.printk(`virtio_net virtio${i} eth${i}: ${port.mac}`);
    }
    port.bind(dev);
  });
}
