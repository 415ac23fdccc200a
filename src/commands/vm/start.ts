/** `ctsim vm start NAME`. */
import { vmOpCommand } from './common.js';

export default vmOpCommand('start', 'Boot a VM: start its VMM process (qemu-system-x86_64, firecracker, …) on the host and wait until the guest is up.');
