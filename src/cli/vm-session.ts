/**
 * `ctsim vm`'s sessions: the VMs live on the simulated host kept in --root (the same
 * one `ctsim oci` and `ctsim run --root` use), so every operation is recorded in the
 * host's log and a later invocation replays it.
 */
import { HostSession } from './host-session.js';
import type { GuardLimits } from './guard-limits.js';
import type { VmOp } from '../hypervisor/vm-manager.js';
import type { SerialConsole } from '../hypervisor/serial-console.js';
import type { Host } from '../host.js';
import { prepareEntry, SETTLE_NS, type InputChunk } from '../runtime/host-log.js';
import { resolve as resolvePath } from 'node:path';

/** Opens the kept host, applies `op` live (printing what it prints), records it, and returns its status. */
export function applyVmOp(root: string, op: VmOp, version: string, opts: { timeLimitNs?: number; limits?: GuardLimits; before?: (s: HostSession) => void; after?: (s: HostSession, status: number) => void } = {}): number {
  const session = HostSession.open({ root: resolvePath(root), shape: {}, version, limits: opts.limits });
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

/** A console attachment as its driver sees it (the interactive terminal, or a script). */
export interface ConsoleSession {
  host: Host;
  console: SerialConsole;
  /** Types `bytes` into the console now; recorded with the simulated time. */
  send(bytes: string): void;
}

/**
 * Attaches to VM `name`'s serial console on the kept host: replays the host, starts
 * the guest's getty if it is not running, lets `drive` type and watch, and records the
 * session — every chunk typed with the simulated time it arrived, and when it ended —
 * so that a replay leaves the guest as the session did. Throws VmOpError (nothing
 * recorded) for a VM that is not running or has no serial port. Returns `drive`'s status.
 */
export async function attachVmConsole(root: string, name: string, version: string, drive: (s: ConsoleSession) => Promise<number>, opts: { limits?: GuardLimits; interactive?: boolean } = {}): Promise<number> {
  const session = HostSession.open({ root: resolvePath(root), shape: {}, version, limits: opts.limits, interactive: opts.interactive });
  let saved = false;
  try {
    const host = session.host;
    const atNs = session.startTime();
    // From here on the host's processes print, as during any live command.
    session.io.live = true;
    prepareEntry(host, { atNs, uploads: [] }, (id) => session.getBlob(id));
    const c = host.vms.console(name);
    const chunks: InputChunk[] = [];
    const send = (bytes: string): void => {
      chunks.push({ atNs: host.now, bytes });
      c.send(bytes);
    };
    const status = await drive({ host, console: c, send });
    const endNs = host.now;
    host.engine.run({ until: host.now + SETTLE_NS });
    session.record({ atNs, argv: ['ctsim-vm', 'console', name], path: '', cwd: '/', uploads: [], stdin: '', input: chunks, inputEndNs: endNs, status: 0, vm: { op: 'console', name } });
    saved = true;
    return status;
  } finally {
    session.close(version, saved);
  }
}

/** Simulated time between two looks at whether the guest waits for the next line. */
const TYPE_STEP_NS = 1_000_000;

/**
 * Types a script into the console as a person (or expect(1)) would: each line when
 * a program in the guest waits to read one, so that the guest's echo, its output and
 * its prompt interleave as at a terminal. Runs flat out (no wall clock). Ends when
 * the script is typed and the guest waits again, when nothing more can happen, when
 * the VM stops, or after `limitNs` of simulated time.
 *
 * A line is typed at an instant at which nothing has run yet (one ns after the last
 * step, when nothing is due by then), so that a replay, which feeds it as an event at
 * that time, sees the same order of things.
 */
export function typeLines(s: ConsoleSession, lines: readonly string[], limitNs: number): 'done' | 'time-limit' | 'stopped' {
  const engine = s.host.engine;
  const guard = engine.now + limitNs;
  let next = 0;
  for (;;) {
    const until = engine.now + TYPE_STEP_NS;
    const why = engine.run({ until });
    engine.advanceTo(until + 1);
    if (s.console.vmStopped) return 'stopped';
    const fresh = engine.now > until;
    if (fresh && s.console.guestWaiting) {
      if (next >= lines.length) return 'done';
      s.send(lines[next++]);
      continue;
    }
    if (why === 'idle' && !s.console.guestWaiting) return 'done';
    if (engine.now >= guard) return 'time-limit';
  }
}
