/** Registers the scheduling tools: chrt (util-linux). `nice` is with the system tools. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { chrtMain } from './chrt.js';

export function registerSchedutils(t: ProgramTable): void {
  t.add({ name: 'chrt', main: chrtMain, paths: ['/usr/bin/chrt'], summary: 'util-linux chrt: -f -r -o -b -i -p -m -v (no SCHED_DEADLINE)' });
}
