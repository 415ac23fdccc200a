/**
 * The host a view (`ctsim ns tree`, `cgroup tree`, `top`, `mem walk`) shows: a fresh
 * one booted as `ctsim sh` boots it, after a setup script (-c) has run in a shell — the
 * jobs it left in the background keep running — or the host kept in a state directory
 * (--root, as `ctsim sh --root` loads it), replayed and never saved: looking changes
 * nothing on disk.
 */
import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { createHost, type Host, type HostOptions } from '../host.js';
import { installGuard, type GuardLimits } from './guard-limits.js';
import { HostSession } from './host-session.js';
import { StateStore } from './state-store.js';
import { SETTLE_NS } from '../runtime/host-log.js';
import { InputError, UsageError } from '../sim/input-error.js';

const toBytes = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

export interface ViewHostRequest {
  /** The setup script (-c), run by /bin/sh on a fresh host. */
  script?: string;
  /** A kept host's state directory (--root). */
  root?: string;
  hostOpts: HostOptions;
  /** The simulator's guard limits: all of them for the setup script, the memory one while a person watches. */
  limits: GuardLimits;
  /** Whether a host flag was given on the command line (only those are checked against a kept host). */
  given: (flag: string) => boolean;
  version: string;
  /** Where the setup script's output goes (the view's own output stays clean). */
  scriptOutput: (bytes: string) => void;
}

export interface ViewHost {
  host: Host;
  /** The setup script's status (0 without one). */
  status: number;
  /** Lets go of a kept host (unlocks it without saving). */
  close: () => void;
  /**
   * Keeps what the setup script's jobs write from now on (a full-screen view would be
   * garbled by it) until the returned function is called, which writes it out.
   */
  holdScriptOutput: () => () => void;
}

export function openViewHost(r: ViewHostRequest): ViewHost {
  if (r.root !== undefined && r.script !== undefined) {
    throw new UsageError({ source: '-c', expected: 'either -c SCRIPT (a fresh host) or --root DIR (a kept host), not both', fix: 'run the script on the kept host first with "ctsim sh --root DIR -c SCRIPT"' });
  }
  if (r.root !== undefined) {
    const root = resolvePath(r.root);
    const store = new StateStore(root);
    if (!existsSync(store.logPath)) {
      throw new InputError({ source: '--root', expected: 'a directory holding a kept host (made by ctsim oci/run/vm/sh --root)', found: `no ${store.logPath}`, fix: 'check the path, or leave --root out to look at a fresh host' });
    }
    const o = r.hostOpts;
    const session = HostSession.open({
      root,
      shape: { ...(r.given('--cpus') ? { cpus: o.cpus } : {}), ...(r.given('--memory') ? { memoryBytes: o.memoryBytes } : {}), ...(r.given('--swap') ? { swapBytes: o.swapBytes } : {}) },
      seed: r.given('--seed') ? o.seed : undefined,
      version: r.version,
      // A view is watched by a person (top runs until q): of the guard limits only memory applies.
      limits: r.limits,
      interactive: true,
    });
    // A kept host's commands write nothing when replayed, nor afterwards (its output switch is off).
    return { host: session.host, status: 0, close: () => session.close(r.version, false), holdScriptOutput: () => () => undefined };
  }
  const host = createHost(r.hostOpts);
  // The setup script runs under the simulator's guard limits; the view after it, watched by a person, only under the memory one.
  installGuard(host, r.limits);
  let status = 0;
  let held: string[] | null = null;
  const output = (b: string): void => void (held ? held.push(b) : r.scriptOutput(b));
  if (r.script !== undefined) {
    status = host.run(['sh', '-c', toBytes(r.script)], { path: '/bin/sh', stdout: output, stderr: output }).status;
    // Let the jobs the script left in the background get going (a kept host's commands settle the same way).
    host.engine.runUntil(host.now + SETTLE_NS);
  }
  installGuard(host, r.limits, true);
  const holdScriptOutput = (): (() => void) => {
    held = [];
    return () => {
      const kept = held ?? [];
      held = null;
      for (const b of kept) r.scriptOutput(b);
    };
  };
  return { host, status, close: () => undefined, holdScriptOutput };
}
