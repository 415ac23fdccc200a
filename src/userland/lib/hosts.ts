/**
 * /etc/hosts (hosts(5)): the address lines, each with its names — what the
 * programs that resolve names (ping, wget, ab) read in place of a resolver.
 */
import { SysError } from '../../kernel/errno.js';
import type { Op } from '../../kernel/proc/program.js';
import { parseIpv4, type Ipv4 } from '../../kernel/net/inet.js';
import { readFile } from './io.js';

export interface HostsEntry {
  addr: Ipv4;
  names: string[];
}

/** The IPv4 lines of /etc/hosts in file order (comments dropped); none when the file cannot be read. */
export function* readHosts(): Generator<Op, HostsEntry[], unknown> {
  const text = yield* readFile('/etc/hosts');
  if (text instanceof SysError) return [];
  const out: HostsEntry[] = [];
  for (const line of text.split('\n')) {
    const [a, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
    const addr = a ? parseIpv4(a) : null;
    if (addr !== null && names.length) out.push({ addr, names });
  }
  return out;
}
