/**
 * Registers the tools that deal with disks and what is written to them, at Debian 12's
 * paths: coreutils 9.1's sync and util-linux 2.38's blkid.
 */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { syncMain } from './sync.js';
import { blkidMain } from './blkid.js';

export function registerDiskutils(t: ProgramTable): void {
  t.add({ name: 'blkid', main: blkidMain, paths: ['/usr/sbin/blkid'], summary: 'util-linux blkid: LABEL, BLOCK_SIZE, TYPE of ctsimfs devices and image files (-s TAG, -o value|full|export)' });
  t.add({ name: 'sync', main: syncMain, paths: ['/usr/bin/sync'], summary: 'coreutils sync: sync(2), or fsync/fdatasync/syncfs of FILEs (-d -f)' });
}
