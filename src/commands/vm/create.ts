/** `ctsim vm create NAME --config FILE`: define a VM from a Firecracker-like JSON configuration. */
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { vmNameArg, vmOpFlags } from './common.js';
import { readInputFile } from '../input-files.js';
import { parseVmConfigText, toVmConfigDoc } from '../../hypervisor/vm-config.js';

export default class VmCreate extends BaseCommand {
  static override summary = 'Define a VM from a Firecracker-like JSON configuration (machine-config, boot-source, drives, network-interfaces, cpu-virt, mem-virt, hypervisor).';
  static override description = 'The configuration is checked first (unknown keys are errors naming their JSON path); defaults come from the profile (--profile, or the file\'s hypervisor.profile, else kvm). Examples are in fixtures/vm/examples/.';
  static override examples = ['<%= config.bin %> vm create web --config fixtures/vm/examples/kvm-microvm.json', '<%= config.bin %> vm create old --profile vmware-2006 --config my.json'];
  static override args = vmNameArg;
  static override flags = {
    ...vmOpFlags,
    config: Flags.string({ char: 'c', description: 'The VM configuration file (JSON).', required: true }),
    profile: Flags.string({ description: 'The hypervisor profile whose defaults apply: kvm, firecracker, esxi, vmware-2006, xen-pv, virtualbox, hyperv.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(VmCreate);
    const text = readInputFile(flags.config, '--config', 'a readable VM configuration file (JSON)');
    // Checked here, so that a bad file is an input error (exit 3) and nothing is recorded.
    const cfg = parseVmConfigText(text, flags.config, { name: args.name, profile: flags.profile });
    // Firecracker's memory settings are kept, but ctsim does not model them yet: say so.
    if (cfg.hugePages) this.err(`ctsim vm create: warning: ${flags.config}: "huge_pages": "2M" is kept but not modelled (guest memory is backed by 4 KiB host pages)\n`);
    if (cfg.balloonMib > 0) this.err(`ctsim vm create: warning: ${flags.config}: the balloon of ${cfg.balloonMib} MiB is kept but not modelled (it does not inflate)\n`);
    const status = applyVmOp(flags.root, { op: 'create', name: args.name, config: toVmConfigDoc(cfg) }, this.config.version, { limits: guardLimitsFrom(flags) });
    if (status === 0) this.out(`${args.name}\n`);
    process.exitCode = status;
  }
}
