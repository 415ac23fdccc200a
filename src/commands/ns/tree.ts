/**
 * `ctsim ns tree`: the namespaces of a simulated host as a tree — per type, each
 * namespace (inode, owner, number of processes) with its processes, nested PID and
 * user namespaces below their parents (src/teach/views/ns-tree.ts).
 */
import { Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { viewFlags, openViewFrom } from '../view-flags.js';
import { UsageError } from '../../sim/input-error.js';
import { NS_VIEW_TYPES, namespaceForest, renderNsTree } from '../../teach/views/index.js';
import type { NsType } from '../../kernel/ns/namespace.js';

export default class NsTree extends BaseCommand {
  static override summary = 'Show the namespaces of a simulated host as a tree, with their processes.';
  static override description = `One tree per namespace type (mnt, net, pid, uts, ipc, user, cgroup, time — or those of --type): each namespace with its inode number (what /proc/PID/ns/TYPE names and lsns shows as NS), its owning user namespace, how many processes are in it, and those processes (their PID inside and, when it differs, in the initial PID namespace). Nested PID and user namespaces hang below their parents, as lsns --tree=parent draws them.

The host is a fresh one (after the -c script, whose background jobs keep running) or the one kept in --root DIR, which is not changed.`;
  static override examples = [
    `<%= config.bin %> ns tree -c 'unshare -p -f sleep 100 &' --type pid`,
    `<%= config.bin %> ns tree -c 'unshare -U -p -f --mount-proc sleep 100 &' --type user,pid`,
    `<%= config.bin %> ns tree --root ./state --no-processes`,
  ];
  static override flags = {
    type: Flags.string({ char: 't', description: 'Only these namespace types (comma-separated): mnt, net, pid, uts, ipc, user, cgroup, time.' }),
    'no-processes': Flags.boolean({ description: 'Draw only the namespaces, not their processes.' }),
    json: Flags.boolean({ description: 'Print the trees as JSON.' }),
    ...viewFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NsTree);
    let types: readonly NsType[] = NS_VIEW_TYPES;
    if (flags.type !== undefined) {
      const asked = flags.type.split(',').map((t) => t.trim());
      const bad = asked.find((t) => !(NS_VIEW_TYPES as readonly string[]).includes(t));
      if (bad !== undefined) throw new UsageError({ source: '--type', expected: `namespace types among ${NS_VIEW_TYPES.join(', ')}`, found: bad });
      types = NS_VIEW_TYPES.filter((t) => asked.includes(t));
    }
    const view = openViewFrom(flags, this.argv, this.config.version);
    try {
      const forest = namespaceForest(view.host.kernel, types);
      if (flags.json) this.printJson({ ctsim: this.config.version, seed: view.host.engine.seed, simulatedNs: view.host.now, namespaces: forest });
      else this.out(renderNsTree(forest, { processes: !flags['no-processes'] }).join('\n') + '\n');
    } finally {
      view.close();
    }
  }
}
