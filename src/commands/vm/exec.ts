/** `ctsim vm exec NAME -- CMD [ARG…]`: run a command in a running VM's guest. */
import { BaseCommand } from '../base.js';
import { guardLimitsFrom } from '../../cli/guard-limits.js';
import { applyVmOp } from '../../cli/vm-session.js';
import { vmNameArg, vmOpFlags } from './common.js';
import { UsageError } from '../../sim/input-error.js';

export default class VmExec extends BaseCommand {
  static override summary = 'Run a command in a running VM\'s guest (its own kernel) and exit with its status.';
  static override examples = ['<%= config.bin %> vm exec web -- uname -a', "<%= config.bin %> vm exec web -- sh -c 'cat /proc/stat | head -1'"];
  static override strict = false;
  static override args = vmNameArg;
  static override flags = vmOpFlags;

  async run(): Promise<void> {
    const raw = [...this.argv];
    const dashes = raw.indexOf('--');
    const { args, flags, argv } = await this.parse(VmExec, dashes >= 0 ? raw.slice(0, dashes) : raw);
    const cmd = dashes >= 0 ? raw.slice(dashes + 1) : (argv as string[]).slice(1);
    if (cmd.length === 0) throw new UsageError({ source: 'COMMAND', expected: 'a command to run in the guest after the VM name', fix: `ctsim vm exec ${args.name} -- uname -a` });
    process.exitCode = applyVmOp(flags.root, { op: 'exec', name: args.name, argv: cmd }, this.config.version, { limits: guardLimitsFrom(flags) });
  }
}
