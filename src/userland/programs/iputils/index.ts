/** Registers iputils' ping at Debian 12's path. */
import type { ProgramTable } from '../../../kernel/exec/program-table.js';
import { pingMain } from './ping.js';

export function registerIputils(t: ProgramTable): void {
  t.add({ name: 'ping', main: pingMain, paths: ['/usr/bin/ping'], summary: 'iputils ping (IPv4): -c COUNT -i INTERVAL -W TIMEOUT -w DEADLINE -s SIZE -t TTL -f (flood, root only) -q -n' });
}
