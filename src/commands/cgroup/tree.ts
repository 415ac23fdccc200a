/**
 * `ctsim cgroup tree`: the cgroup v2 hierarchy of a simulated host, as systemd-cgls
 * draws it, with each group's usage against its limits (src/teach/views/cgroup-tree.ts).
 */
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { viewFlags, openViewFrom } from '../view-flags.js';
import { cgroupView, renderCgroupTree } from '../../teach/views/index.js';

export default class CgroupTree extends BaseCommand {
  static override summary = 'Show the cgroup tree of a simulated host with usage against limits.';
  static override description = `Each cgroup (from /sys/fs/cgroup down), its processes, and for each controller enabled in it what its files say now: memory.current against memory.max (memory.high when set, OOM kills), pids.current against pids.max, cpu.max with cpu.stat's usage, nr_throttled and throttled_usec, and whether the group is being throttled at this moment. Groups without the cpu controller show their CPU usage only.

The host is a fresh one (after the -c script, whose background jobs keep running) or the one kept in --root DIR, which is not changed.`;
  static override examples = [
    `<%= config.bin %> cgroup tree -c 'echo +cpu +memory +pids > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/web; echo "20000 100000" > /sys/fs/cgroup/web/cpu.max; echo 64M > /sys/fs/cgroup/web/memory.max; stress --cpu 2 & echo $! > /sys/fs/cgroup/web/cgroup.procs; sleep 1'`,
    `<%= config.bin %> cgroup tree --root ./state --json`,
  ];
  static override flags = {
    json: Flags.boolean({ description: 'Print the tree as JSON (limits that are "max" are null).' }),
    ...viewFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(CgroupTree);
    const view = openViewFrom(flags, this.argv, this.config.version);
    try {
      const tree = cgroupView(view.host.kernel);
      if (flags.json) this.printJson({ ctsim: this.config.version, seed: view.host.engine.seed, simulatedNs: view.host.now, cgroups: tree });
      else this.out(renderCgroupTree(tree).join('\n') + '\n');
    } finally {
      view.close();
    }
  }
}
