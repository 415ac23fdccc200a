/**
 * Registers the tools that deal with disks and what is written to them, at Debian 12's
 * paths: coreutils 9.1's sync.
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { syncMain } from './sync.js';

export function registerDiskutils(t: ProgramTable): void {
  t.add({ name: 'sync', main: syncMain, paths: ['/usr/bin/sync'], summary: 'coreutils sync: sync(2), or fsync/fdatasync/syncfs of FILEs (-d -f)' });
}
