/**
 * `ctsim vm`'s sessions: the VMs live on the simulated host kept in --root (the same
 * one `ctsim oci` and `ctsim run --root` use), so every operation is recorded in the
 * host's log and a later invocation replays it.
 */
import { HostSession } from './host-session.js';
import type { VmOp } from '../hypervisor/vm-manager.js';
import { resolve as resolvePath } from 'node:path';

/** Opens the kept host, applies `op` live (printing what it prints), records it, and returns its status. */
export function applyVmOp(root: string, op: VmOp, version: string, opts: { timeLimitNs?: number; before?: (s: HostSession) => void; after?: (s: HostSession, status: number) => void } = {}): number {
  const session = HostSession.open({ root: resolvePath(root), shape: {}, version });
  let saved = false;
  try {
    opts.before?.(session);
    const argv = op.op === 'exec' ? ['ctsim-vm', 'exec', op.name, '--', ...op.argv] : ['ctsim-vm', op.op, op.name];
    const applied = session.apply({ atNs: session.startTime(), argv, path: '', cwd: '/', uploads: [], stdin: '', vm: op }, opts.timeLimitNs);
    opts.after?.(session, applied.status);
    saved = true;
    return applied.status;
  } finally {
    session.close(version, saved);
  }
}

/** Opens the kept host read-only (it is replayed, nothing is recorded): for list and inspect. */
export function withVms<T>(root: string, version: string, fn: (s: HostSession) => T): T {
  const session = HostSession.open({ root: resolvePath(root), shape: {}, version });
  try {
    return fn(session);
  } finally {
    session.close(version, false);
  }
}
