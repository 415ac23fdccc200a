/** Flags, arguments and the one-operation commands every `ctsim vm` command shares. */
import { Args, Flags } from '@oclif/core';
import { defaultStateDir } from '../../cli/state-store.js';
import { BaseCommand } from '../base.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { guardFlags, guardLimitsFrom } from '../../cli/guard-limits.js';

export const vmRootFlag = {
  root: Flags.string({ description: 'Where the simulated host with its VMs is kept (shared with ctsim oci and ctsim run --root).', default: defaultStateDir() }),
};

/** The flags of a VM operation that runs the simulation: where the host is kept, and the simulator's guard limits. */
export const vmOpFlags = { ...vmRootFlag, ...guardFlags };

export const vmNameArg = { name: Args.string({ description: 'The VM\'s name.', required: true }) };

/** `ctsim vm OP NAME` for an operation that takes nothing but the VM's name. */
export function vmOpCommand(op: 'start' | 'stop' | 'pause' | 'resume' | 'delete', summary: string): typeof BaseCommand {
  return class VmOp extends BaseCommand {
    static override summary = summary;
    static override args = vmNameArg;
    static override flags = vmOpFlags;

    async run(): Promise<void> {
      const { args, flags } = await this.parse(VmOp);
      process.exitCode = applyVmOp(flags.root, { op, name: args.name }, this.config.version, { limits: guardLimitsFrom(flags) });
    }
  };
}
