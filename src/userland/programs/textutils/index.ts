/** Registers the text tools of coreutils, grep and sed. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';

export function registerTextutils(_t: ProgramTable): void {
  // Filled in by the programs of this group.
}
