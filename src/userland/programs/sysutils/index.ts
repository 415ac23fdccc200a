/** Registers file and system tools: coreutils file commands, procps, util-linux, stress. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';

export function registerSysutils(_t: ProgramTable): void {
  // Filled in by the programs of this group.
}
