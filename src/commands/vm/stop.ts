/** `ctsim vm stop NAME`. */
import { vmOpCommand } from './common.js';

export default vmOpCommand('stop', 'Power a VM off: its vCPUs stop and its VMM process exits.');
