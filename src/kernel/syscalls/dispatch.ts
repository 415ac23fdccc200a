/**
 * The system-call table: handlers indexed by x86-64 number. A number without a
 * handler fails with ENOSYS, as on Linux; the support table (support.ts) says which
 * calls are modelled fully or in part.
 */
import type { Handler, HandlerTable } from './handler.js';
import { NR, STRACE_NR, type SyscallName } from './numbers.js';
import { straceRequest } from '../trace/tracer.js';
import { procSyscalls } from './sys-proc.js';
import { fileSyscalls } from './sys-file.js';
import { pathSyscalls } from './sys-path.js';
import { signalSyscalls } from './sys-signal.js';
import { infoSyscalls } from './sys-info.js';
import { schedSyscalls } from './sys-sched.js';
import { mmSyscalls } from './sys-mm.js';
import { nsSyscalls } from './sys-ns.js';
import { mountSyscalls } from './sys-mount.js';
import { ipcSyscalls } from './sys-ipc.js';
import { netSyscalls } from './sys-net.js';
import { syncSyscalls } from './sys-sync.js';

export const SYSCALL_TABLE: (Handler | undefined)[] = [];

const ALL: HandlerTable[] = [procSyscalls, fileSyscalls, pathSyscalls, signalSyscalls, infoSyscalls, schedSyscalls, mmSyscalls, nsSyscalls, mountSyscalls, ipcSyscalls, netSyscalls, syncSyscalls];
for (const table of ALL) {
  for (const [name, h] of Object.entries(table)) SYSCALL_TABLE[NR[name as SyscallName]] = h;
}
SYSCALL_TABLE[STRACE_NR] = straceRequest;

/** Names of the calls that have a handler. */
export function implementedSyscalls(): SyscallName[] {
  return (Object.keys(NR) as SyscallName[]).filter((n) => SYSCALL_TABLE[NR[n]] !== undefined);
}
