/** Registers the archivers at Debian 12's paths: GNU tar 1.34. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { tarMain } from './tar.js';

export function registerArchive(t: ProgramTable): void {
  t.add({ name: 'tar', main: tarMain, paths: ['/usr/bin/tar'], summary: 'GNU tar 1.34 (gnu format): -c -t -x, -f -C -v -p -P -k -O -m -h --numeric-owner --same-owner --no-same-owner --strip-components; reads ustar, GNU and pax; no compression' });
}
