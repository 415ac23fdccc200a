/**
 * The ptrace access check (ptrace(2) "Ptrace access mode checking") in its
 * PTRACE_MODE_READ_FSCREDS form, which guards /proc/PID/ns links (namespaces(7)) and
 * other per-process secrets: a process may look at itself, at a process whose real,
 * effective and saved IDs all equal its filesystem IDs, or at anything in a user
 * namespace where it holds CAP_SYS_PTRACE — and, as the capability module adds, a
 * target in another user namespace or with capabilities the reader lacks needs
 * CAP_SYS_PTRACE in the target's user namespace (CAP-05).
 *
 * Simplification: the "dumpable" attribute is not modelled (every process is dumpable).
 */
import type { Task } from '../proc/task.js';
import { CAP, nsCapable } from './capabilities.js';

export function mayPtraceRead(reader: Task, target: Task): boolean {
  if (reader === target) return true;
  const r = reader.creds;
  const c = target.creds;
  const sameIds = r.fsuid === c.uid && r.fsuid === c.euid && r.fsuid === c.suid && r.fsgid === c.gid && r.fsgid === c.egid && r.fsgid === c.sgid;
  if (!sameIds && !nsCapable(r, c.userNs, CAP.SYS_PTRACE)) return false;
  // cap_ptrace_access_check: same user namespace and the target's permitted set within the reader's.
  if (r.userNs === c.userNs && (c.capPrm & ~r.capPrm) === 0n) return true;
  return nsCapable(r, c.userNs, CAP.SYS_PTRACE);
}
