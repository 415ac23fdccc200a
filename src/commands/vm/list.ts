/** `ctsim vm list`: the VMs of the kept host. */
import { Flags } from '@oclif/core';
import Table from 'cli-table3';
import { BaseCommand } from '../base.js';
import { withVms } from '../../cli/vm-session.js';
import { vmRootFlag } from './common.js';

export default class VmList extends BaseCommand {
  static override summary = 'List the VMs of the kept host: state, profile, CPU and memory virtualization, vCPUs, memory, VMM PID.';
  static override flags = { ...vmRootFlag, json: Flags.boolean({ description: 'Print JSON.' }) };

  async run(): Promise<void> {
    const { flags } = await this.parse(VmList);
    const rows = withVms(flags.root, this.config.version, (s) =>
      s.host.vms.names().map((name) => {
        const c = s.host.vms.config(name);
        const h = s.host.vms.hosted(name);
        return { name, status: s.host.vms.status(name), profile: c.profile, cpuVirt: c.cpuVirt, memVirt: c.memVirt, vcpus: c.vcpus, memMib: c.memMib, vmmPid: h?.vmm?.tgid ?? null };
      }),
    );
    if (flags.json) {
      this.printJson(rows);
      return;
    }
    const t = new Table({ head: ['NAME', 'STATE', 'PROFILE', 'CPU', 'MEMORY VIRT', 'VCPUS', 'RAM', 'VMM PID'], style: { head: [], border: [] } });
    for (const r of rows) t.push([r.name, r.status, r.profile, r.cpuVirt, r.memVirt, r.vcpus, `${r.memMib} MiB`, r.vmmPid ?? '-']);
    this.out(`${t.toString()}\n`);
  }
}
