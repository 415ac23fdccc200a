/** Registers dash, the Debian Almquist shell (/usr/bin/dash, /bin/sh → dash). */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';

export function registerDash(_t: ProgramTable): void {
  // Filled in by the programs of this group.
}
