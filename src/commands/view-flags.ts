/**
 * The flags of the views that show a simulated host (`ns tree`, `cgroup tree`, `top`,
 * `mem walk`): which host — a fresh one after a setup script (-c), or a kept one
 * (--root) — and the usual host flags for a fresh one.
 */
import { Flags } from '@oclif/core';
import { hostFlags, hostOptionsFrom } from './host-flags.js';
import { openViewHost, type ViewHost } from '../cli/view-host.js';
import { guardFlags, guardLimitsFrom, type GuardFlagValues } from '../cli/guard-limits.js';

export const viewFlags = {
  command: Flags.string({ char: 'c', description: 'Boot a fresh host and run this shell script in it first (as ctsim sh -c does); the jobs it starts in the background keep running.' }),
  root: Flags.string({ description: 'Show the host kept in this directory (ctsim oci/run/vm/sh --root) instead; it is not changed.' }),
  ...hostFlags,
  ...guardFlags,
};

type ViewFlagValues = { command?: string; root?: string } & Parameters<typeof hostOptionsFrom>[0] & GuardFlagValues;

/** Opens the host the flags name; `argv` is the command line (to tell given host flags from defaults). */
export function openViewFrom(flags: ViewFlagValues, argv: readonly string[], version: string): ViewHost {
  const view = openViewHost({
    script: flags.command,
    root: flags.root,
    hostOpts: hostOptionsFrom(flags),
    limits: guardLimitsFrom(flags),
    given: (flag) => argv.some((a) => a === flag || a.startsWith(`${flag}=`)),
    version,
    scriptOutput: (b) => void process.stderr.write(Buffer.from(b, 'latin1')),
  });
  // The view still shows the host as the script left it; a failed setup is said, not hidden.
  if (view.status !== 0) process.stderr.write(`ctsim: note: the -c script exited with status ${view.status}\n`);
  return view;
}
