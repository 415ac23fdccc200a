/**
 * /proc/net/arp and /proc/net/route (proc(5)) for a network namespace, in the
 * kernel's column formats (arp_seq_show, fib_route_seq_show).
 */
import type { NetNamespace } from '../ns/net-ns.js';
import { formatIpv4, prefixMask } from './inet.js';
import { RT_TABLE_MAIN } from './route.js';

const ATF_COM = 0x02;
const ATF_PERM = 0x04;

/** The ARP cache, newest entry first as the hash walk tends to show it. */
export function renderProcArp(ns: NetNamespace, now: number): string {
  let out = 'IP address       HW type     Flags       HW address            Mask     Device\n';
  for (const n of [...ns.neigh.entries].reverse()) {
    const state = ns.neigh.stateAt(n, now);
    const complete = n.mac !== null && state !== 'INCOMPLETE' && state !== 'FAILED';
    const flags = (complete ? ATF_COM : 0) | (n.permanent ? ATF_PERM : 0);
    const mac = complete ? n.mac! : '00:00:00:00:00:00';
    out += `${formatIpv4(n.ip).padEnd(16)} 0x${'1'.padEnd(10)}0x${flags.toString(16).padEnd(10)}${mac.padEnd(17)}     *        ${n.dev.name}\n`;
  }
  return out;
}

/** A 32-bit address as the kernel prints it here: the in-memory (little-endian) word in hex. */
function le(a: number): string {
  const b = [(a >>> 24) & 255, (a >>> 16) & 255, (a >>> 8) & 255, a & 255];
  return b
    .reverse()
    .map((x) => x.toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

/** The main table's unicast routes, each line padded to 127 columns. */
export function renderProcRoute(ns: NetNamespace): string {
  const RTF_UP = 0x1;
  const RTF_GATEWAY = 0x2;
  let out = 'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT'.padEnd(127) + '\n';
  for (const r of ns.fib.list(RT_TABLE_MAIN)) {
    if (r.type !== 'unicast' || !r.dev) continue;
    const flags = RTF_UP | (r.gw !== null ? RTF_GATEWAY : 0);
    const line = `${r.dev.name}\t${le(r.dst)}\t${le(r.gw ?? 0)}\t${flags.toString(16).toUpperCase().padStart(4, '0')}\t0\t0\t${r.metric}\t${le(prefixMask(r.len))}\t0\t0\t0`;
    out += line.padEnd(127) + '\n';
  }
  return out;
}
