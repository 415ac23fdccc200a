/** `ctsim vm save NAME FILE`: the whole VM in one file, to resume here or on another host. */
import { Args } from '@oclif/core';
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BaseCommand } from '../base.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { vmOpFlags } from './common.js';
import { buildVmImage } from '../../runtime/vm-image.js';
import { UsageError } from '../../sim/input-error.js';

export default class VmSave extends BaseCommand {
  static override summary = 'Save a VM to one file (configuration, memory, vCPU and device state) and power it off; ctsim vm restore resumes it, here or on another host.';
  static override examples = ['<%= config.bin %> vm save web web.vm', '<%= config.bin %> vm restore web.vm --root /tmp/other-host'];
  static override args = {
    name: Args.string({ description: 'The VM\'s name.', required: true }),
    file: Args.string({ description: 'The file to write.', required: true }),
  };

  static override flags = vmOpFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmSave);
    const file = resolve(args.file);
    let size = 0;
    const status = applyVmOp(flags.root, { op: 'save', name: args.name }, this.config.version, {
      limits: guardLimitsFrom(flags),
      after: (s, st) => {
        if (st !== 0) return;
        const text = buildVmImage(s.log, s.log.entries.length - 1, args.name, s.host.vms.config(args.name), (id) => s.getBlob(id), this.config.version);
        try {
          writeFileSync(`${file}.tmp`, text);
          renameSync(`${file}.tmp`, file);
        } catch (e) {
          throw new UsageError({ source: args.file, expected: 'a file ctsim can write', found: (e as Error).message });
        }
        size = text.length;
      },
    });
    if (status === 0) this.out(`VM ${args.name} saved to ${args.file} (${Math.ceil(size / 1024)} KiB)\n`);
    process.exitCode = status;
  }
}
