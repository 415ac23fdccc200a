/** `ctsim vm restore FILE [--name NAME]`: resume a saved VM on this host. */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { vmOpFlags } from './common.js';
import { readInputFile } from '../input-files.js';
import { parseVmImage } from '../../runtime/vm-image.js';
import { HostLogError } from '../../runtime/host-log.js';
import { InputError } from '../../sim/input-error.js';

export default class VmRestore extends BaseCommand {
  static override summary = 'Resume a VM saved with ctsim vm save: every process in its guest goes on where it stopped, on this host (whatever its CPUs and memory).';
  static override args = { file: Args.string({ description: 'A file written by ctsim vm save.', required: true }) };
  static override flags = { ...vmOpFlags, name: Flags.string({ description: 'The name to give the VM here (default: its name when saved).' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmRestore);
    const text = readInputFile(args.file, 'FILE', 'a VM image written by ctsim vm save');
    let name: string;
    try {
      name = flags.name ?? parseVmImage(text).name;
    } catch (e) {
      if (e instanceof HostLogError) throw new InputError({ source: args.file, expected: 'a VM image written by ctsim vm save', found: e.message });
      throw e;
    }
    // The image becomes one of the host state's blobs (content-addressed), so that a replay restores it again.
    const op: { op: 'restore'; name: string; blob: string } = { op: 'restore', name, blob: '' };
    const status = applyVmOp(flags.root, op, this.config.version, {
      limits: guardLimitsFrom(flags),
      before: (s) => {
        op.blob = s.putBlob(Buffer.from(text, 'latin1'));
      },
    });
    if (status === 0) this.out(`${name}\n`);
    process.exitCode = status;
  }
}
