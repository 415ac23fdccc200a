/**
 * `ctsim vm inspect` as text: what the VM is, and the counters that explain its time —
 * exits by reason, callouts, hypercalls, the translation cache, page-walk references.
 * Only what happened is listed (a reason with no exits is left out).
 */
import Table from 'cli-table3';

const us = (ns: number): string => `${(ns / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })} µs`;
const n = (x: number): string => x.toLocaleString('en-US');

function table(head: string[], rows: (string | number)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r);
  return `${t.toString()}\n`;
}

export function formatVmInspect(doc: Record<string, unknown>): string {
  const cfg = doc.config as Record<string, Record<string, unknown>>;
  const mc = cfg['machine-config'];
  const hv = cfg.hypervisor;
  let out = `VM ${String(doc.name)}: ${String(doc.status)}\n`;
  out += `  profile ${String(hv.profile)}, type ${String(hv.type)}, cpu-virt ${String(cfg['cpu-virt'])}, mem-virt ${String(cfg['mem-virt'])}, ${String(mc.vcpu_count)} vCPU, ${String(mc.mem_size_mib)} MiB\n`;
  const vmm = doc.vmm as { pid: number | null; hostBytes: number } | undefined;
  if (!vmm) return out;
  out += `  VMM PID ${vmm.pid ?? '-'}; host memory for the guest: ${n(Math.round(vmm.hostBytes / 1024))} KiB (backed pages and the VMM's tables)\n`;
  const boot = doc.boot as { phase: string; ns: number | null }[];
  if (boot.length > 0) out += `  boot: ${boot.map((b) => `${b.phase} ${b.ns === null ? '…' : `${n(Math.round(b.ns / 1e6))} ms`}`).join(' → ')}\n`;
  const vcpus = doc.vcpus as { index: number; online: boolean; halted: boolean; stealNs: number }[];
  out += `\nvCPUs\n${table(['vCPU', 'mode', 'state', 'steal'], vcpus.map((v) => [v.index, String(cfg['cpu-virt']), v.online ? 'running' : v.halted ? 'halted' : 'waiting for a CPU', us(v.stealNs)]))}`;
  const cv = doc.cpuVirt as {
    exits: Record<string, { count: number; ns: number }>;
    callouts: Record<string, number>;
    hypercalls: Record<string, number>;
    pvUpdatesBatched: number;
    translationCache: { paths: number; blocks: number; hits: number; misses: number; evictions: number; translateNs: number };
  };
  const exits = Object.entries(cv.exits).filter(([, e]) => e.count > 0);
  if (exits.length > 0) out += `\nVM exits (hardware assist)\n${table(['reason', 'exits', 'time'], exits.map(([r, e]) => [r, n(e.count), us(e.ns)]))}`;
  const callouts = Object.entries(cv.callouts).filter(([, c]) => c > 0);
  if (callouts.length > 0) {
    const tc = cv.translationCache;
    out += `\nBinary translation: ${n(tc.paths)} kernel paths in the translation cache (${n(tc.blocks)} blocks); ${n(tc.hits)} hits, ${n(tc.misses)} blocks translated (${us(tc.translateNs)}), ${n(tc.evictions)} evicted\n`;
    out += table(['callout into the VMM', 'count'], callouts.map(([k, c]) => [k, n(c)]));
  }
  const hc = Object.entries(cv.hypercalls).filter(([, c]) => c > 0);
  if (hc.length > 0) out += `\nHypercalls (paravirtualization): ${n(cv.pvUpdatesBatched)} page-table updates sent in batches\n${table(['hypercall', 'count'], hc.map(([k, c]) => [k, n(c)]))}`;
  const mv = doc.memVirt as Record<string, number | string>;
  out += `\nMemory: ${String(mv.technique)}\n`;
  const rows: [string, number][] = [
    ['TLB misses walked', mv.tlbMisses as number],
    ['page-walk memory references', mv.walkRefs as number],
    ['  of guest page-table entries', mv.guestRefs as number],
    ["  of the VMM's tables", mv.hostRefs as number],
    ['references of the last walk', mv.lastWalkRefs as number],
    ['guest pages backed by host frames', mv.backedPages as number],
    ['EPT violations', mv.eptViolations as number],
    ["pages of the VMM's tables", mv.vmmTablePages as number],
    ['hidden page faults (shadow fills)', mv.hiddenFaults as number],
    ['faults given to the guest', mv.guestFaults as number],
    ['trapped page-table writes', mv.ptWriteTraps as number],
    ['pinned guest tables (PV)', mv.pinnedTables as number],
  ];
  out += table(['counter', 'value'], rows.filter(([, v]) => v > 0).map(([k, v]) => [k, n(v)]));
  const devices = doc.devices as
    | {
        serial: { model: string; ioPort: string; irq: number; guestDevice: string; console: boolean; bytesOut: number; bytesIn: number; traps: number; interrupts: number } | null;
        scsi: { model: string; notifications: number; disks: { id: string; device: string; commands: Record<string, number> }[] } | null;
      }
    | undefined;
  const serial = devices?.serial;
  if (serial) {
    const mode = String(cfg['cpu-virt']);
    const trapped = mode === 'hw' ? 'I/O exits' : mode === 'bt' ? 'I/O callouts' : 'event-channel notifications';
    out += `
Serial port: ${serial.model} at ${serial.ioPort}, IRQ ${serial.irq} (${serial.guestDevice} in the guest${serial.console ? ', its console' : ''})
`;
    out += table(['bytes out', 'bytes in', trapped, 'receive interrupts'], [[n(serial.bytesOut), n(serial.bytesIn), n(serial.traps), n(serial.interrupts)]]);
  }
  const scsi = devices?.scsi;
  if (scsi) {
    out += `\nDisks on a ${scsi.model} adapter (${n(scsi.notifications)} register accesses or notifications)\n`;
    const names = Object.keys(scsi.disks[0]?.commands ?? {});
    out += table(['disk', ...names], scsi.disks.map((d) => [`${d.id} (${d.device})`, ...names.map((c) => n(d.commands[c]))]));
  }
  type NicRow = { id: string; model: string; mac: string; host: string | null; framesTx: number; framesRx: number; traps: number; notificationsSuppressed: number; interruptsCoalesced: number };
  const nics = (doc.devices as { nics?: NicRow[] } | undefined)?.nics ?? [];
  if (nics.length > 0) {
    out += '\nNetwork interfaces (traps: register accesses and notifications that left the guest; sent without a kick: virtio event suppression; received without an interrupt: NAPI)\n';
    out += table(
      ['interface', 'model', 'MAC', 'host side', 'frames sent', 'frames received', 'traps', 'sent without a kick', 'received without an interrupt'],
      nics.map((x) => [x.id, x.model, x.mac, x.host ?? '-', n(x.framesTx), n(x.framesRx), n(x.traps), n(x.notificationsSuppressed), n(x.interruptsCoalesced)]),
    );
  }
  return out;
}
