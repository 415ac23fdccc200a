/**
 * `ctsim top`: procps top on a simulated host — at a terminal, redrawn in place every
 * -d seconds of simulated time (paced to the wall clock) until q, ^C or -n frames;
 * piped (or with -b), one snapshot in top's batch format, taken one delay after the
 * host was set up so that %CPU covers that interval (src/teach/views/top.ts).
 */
import { Flags } from '@oclif/core';
import { BaseCommand } from './base.js';
import { viewFlags, openViewFrom } from './view-flags.js';
import { UsageError } from '../sim/input-error.js';
import { TOP_SORT_FIELDS, renderTop, sampleTop, type TopSample, type TopSortField } from '../teach/views/index.js';
import { runLiveView } from '../cli/live-view.js';

export default class Top extends BaseCommand {
  static override summary = 'Watch the tasks of a simulated host, as top does: CPU share, memory, and cgroup throttling.';
  static override description = `At a terminal the screen is redrawn in place every -d seconds of simulated time, kept in step with your clock: the summary (uptime, load average, tasks by state, %Cpu us/sy/id, MiB Mem and Swap) and the task list (PID USER PR NI VIRT RES SHR S %CPU %MEM TIME+ COMMAND, as procps-ng top), plus ctsim's THR (thr: held back by its cgroup's cpu.max now, frz: by cgroup.freeze) and CGROUP. q or ^C quits; -n N stops after N frames.

When the output is not a terminal (or with -b), one frame in top's batch format is printed after one delay of simulated time (-n N: N frames, a delay apart) and ctsim exits.

The host is a fresh one (after the -c script, whose background jobs keep running) or the one kept in --root DIR, which is not changed.`;
  static override examples = [
    `<%= config.bin %> top -c 'stress --cpu 2 & unshare -p -f sleep 100 &'`,
    `<%= config.bin %> top -c 'echo +cpu > /sys/fs/cgroup/cgroup.subtree_control; mkdir /sys/fs/cgroup/slow; echo "20000 100000" > /sys/fs/cgroup/slow/cpu.max; stress --cpu 1 & echo $! > /sys/fs/cgroup/slow/cgroup.procs' -b`,
    `<%= config.bin %> top -c 'stress --cpu 1 &' -d 2 -n 3 -b -o TIME+`,
  ];
  static override flags = {
    delay: Flags.string({ char: 'd', description: 'Seconds of simulated time between frames (e.g. 1, 0.5).', default: '1' }),
    iterations: Flags.integer({ char: 'n', description: 'Stop after this many frames.' }),
    batch: Flags.boolean({ char: 'b', description: 'Batch mode: print frames one after the other instead of redrawing the screen.' }),
    'sort-override': Flags.string({ char: 'o', description: `Sort the task list by this field: ${TOP_SORT_FIELDS.join(', ')} (highest first).`, default: '%CPU' }),
    ...viewFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Top);
    const delaySecs = /^\d+(\.\d+)?$/.test(flags.delay) ? Number(flags.delay) : NaN;
    if (!(delaySecs > 0) || delaySecs > 3600) throw new UsageError({ source: '-d', expected: 'seconds between frames, more than 0 and at most 3600 (e.g. 1 or 0.5)', found: flags.delay });
    const delayNs = Math.round(delaySecs * 1e9);
    if (flags.iterations !== undefined && flags.iterations < 1) throw new UsageError({ source: '-n', expected: 'a number of frames of at least 1', found: String(flags.iterations) });
    const sort = TOP_SORT_FIELDS.find((f) => f.toLowerCase() === flags['sort-override'].toLowerCase());
    if (sort === undefined) throw new UsageError({ source: '-o', expected: `a field among ${TOP_SORT_FIELDS.join(', ')}`, found: flags['sort-override'] });
    const batch = flags.batch || process.stdout.isTTY !== true;
    const view = openViewFrom(flags, this.argv, this.config.version);
    try {
      const host = view.host;
      let prev: TopSample = sampleTop(host.kernel);
      if (batch) {
        const n = flags.iterations ?? 1;
        const frames: string[] = [];
        for (let i = 0; i < n; i++) {
          host.engine.runUntil(host.now + delayNs);
          const cur = sampleTop(host.kernel);
          frames.push(renderTop(prev, cur, { sort: sort as TopSortField }).join('\n') + '\n');
          prev = cur;
        }
        // Frames are a blank line apart, as top -b prints them.
        this.out(frames.join('\n'));
        return;
      }
      let first = true;
      const release = view.holdScriptOutput();
      await runLiveView(host, process.stdout, process.stdin, {
        delayNs,
        iterations: flags.iterations ?? Infinity,
        frame: ({ rows, columns }) => {
          const cur = sampleTop(host.kernel);
          // The first frame's shares are over the time since boot, as top's first frame is.
          const lines = renderTop(first ? null : prev, cur, { sort: sort as TopSortField, rows, columns });
          first = false;
          prev = cur;
          return lines;
        },
      }).finally(release);
    } finally {
      view.close();
    }
  }
}
