/** Registers strace (Debian's strace package, 6.1) at /usr/bin/strace. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { straceMain } from './strace.js';

export function registerStrace(t: ProgramTable): void {
  t.add({ name: 'strace', main: straceMain, paths: ['/usr/bin/strace'], summary: 'strace 6.1: -f -o FILE -s N -e trace=NAME,…|%CLASS -c (no -p: ctsim has no ptrace)' });
}
