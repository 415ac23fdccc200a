/** `ctsim vm resume NAME`. */
import { vmOpCommand } from './common.js';

export default vmOpCommand('resume', 'Resume a paused VM.');
