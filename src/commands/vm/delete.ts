/** `ctsim vm delete NAME`. */
import { vmOpCommand } from './common.js';

export default vmOpCommand('delete', 'Forget a stopped VM.');
