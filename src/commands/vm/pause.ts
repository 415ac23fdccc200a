/** `ctsim vm pause NAME`. */
import { vmOpCommand } from './common.js';

export default vmOpCommand('pause', "Pause a VM: its vCPUs leave their CPUs where they are (the guest's clock keeps going).");
