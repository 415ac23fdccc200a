/** `ctsim vm migrate NAME --to DIR`: live migration to another kept host. */
import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../base.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { vmNameArg, vmOpFlags } from './common.js';
import { buildVmImage } from '../../runtime/vm-image.js';
import { UsageError } from '../../sim/input-error.js';

export default class VmMigrate extends BaseCommand {
  static override summary = 'Move a running VM to another kept host by live migration: pre-copy rounds of dirty pages while it runs, then a short stop-and-copy (the downtime); prints each round.';
  static override description = 'The copy runs on this host (--root) over a 10 GbE link (linkKiB), until what is left fits 300 ms of downtime or 30 rounds have passed; the VM then goes on on the host kept in --to, processes and all, whatever that host\'s hardware.';
  static override examples = ['<%= config.bin %> vm migrate web --to /tmp/other-host'];
  static override args = vmNameArg;
  static override flags = { ...vmOpFlags, to: Flags.string({ description: 'The directory of the destination\'s kept host.', required: true }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmMigrate);
    if (resolve(flags.to) === resolve(flags.root)) throw new UsageError({ source: '--to', expected: 'another kept host than --root', found: flags.to });
    let image = '';
    const limits = guardLimitsFrom(flags);
    const status = applyVmOp(flags.root, { op: 'migrate', name: args.name }, this.config.version, {
      limits,
      after: (s, st) => {
        if (st === 0) image = buildVmImage(s.log, s.log.entries.length - 1, args.name, s.host.vms.config(args.name), (id) => s.getBlob(id), this.config.version);
      },
    });
    if (status !== 0) {
      process.exitCode = status;
      return;
    }
    const op: { op: 'restore'; name: string; blob: string } = { op: 'restore', name: args.name, blob: '' };
    process.exitCode = applyVmOp(flags.to, op, this.config.version, {
      limits,
      before: (s) => {
        op.blob = s.putBlob(Buffer.from(image, 'latin1'));
      },
    });
  }
}
