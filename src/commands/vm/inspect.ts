/** `ctsim vm inspect NAME`: a VM's configuration and every counter of its virtualization. */
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { withVms } from '../../cli/vm-session.js';
import { vmNameArg, vmRootFlag } from './common.js';
import { VmOpError } from '../../hypervisor/vm-manager.js';
import { formatVmInspect } from '../../report/vm-report.js';

export default class VmInspect extends BaseCommand {
  static override summary = 'Show a VM: its configuration, vCPU modes, VM exits by reason, translation-cache stats, page-walk references, hypercalls.';
  static override args = vmNameArg;
  static override flags = { ...vmRootFlag, json: Flags.boolean({ description: 'Print JSON.' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmInspect);
    const doc = withVms(flags.root, this.config.version, (s) => {
      try {
        return s.host.vms.inspect(args.name);
      } catch (e) {
        if (e instanceof VmOpError) return e;
        throw e;
      }
    });
    if (doc instanceof VmOpError) {
      this.err(`ctsim vm inspect: ${doc.message}\n`);
      process.exitCode = 1;
      return;
    }
    if (flags.json) this.printJson(doc);
    else this.out(formatVmInspect(doc));
  }
}
