/**
 * `ctsim mem walk`: one virtual address of one process of a simulated host, walked
 * through the process's own page tables — each level's index bits and entry, the
 * frame and the physical address, or where the walk stops and what a page fault
 * would do there (src/teach/views/page-walk.ts). `mem translate` does the same on
 * tables drawn for the exercise; this one reads the kernel's.
 */
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../base.js';
import { viewFlags, openViewFrom } from '../view-flags.js';
import { InputError, UsageError } from '../../sim/input-error.js';
import { renderPageWalk, walkPageOf } from '../../teach/views/index.js';

const ADDRESS = /^(?:0[xX][0-9a-fA-F]+|\d+)$/;

export default class MemWalk extends BaseCommand {
  static override summary = "Walk one virtual address through a simulated process's page tables.";
  static override description = `The x86-64 4-level walk of ADDR in the page tables of process --pid (its PID in the initial PID namespace) as the kernel keeps them: for each level (PML4/pgd, PDPT/pud, PD/pmd, PT/pte) the address bits that index it, the entry read (its physical address, value and flags: present, rw, user, accessed, dirty, nx) and the frame it names; then the physical address. When an entry is not present, where the walk stops and what a page fault would do: a swap entry is read back (a major fault), a page never touched gets the zero page or a zeroed frame, an address outside every memory area is a SIGSEGV. Nothing is changed: no accessed bit is set.

The host is a fresh one (after the -c script, whose background jobs keep running) or the one kept in --root DIR, which is not changed. Use cat /proc/PID/maps in the script to find addresses.`;
  static override examples = [
    `<%= config.bin %> mem walk 0x555555554000 --pid 1`,
    `<%= config.bin %> mem walk 0x7ffffffde000 --pid 3 -c 'stress --vm 1 --vm-bytes 1M & sleep 0.1'`,
    `<%= config.bin %> mem walk 0x7ffff7ff0000 --pid 3 --swap 64M --memory 32M -c 'stress --vm 2 --vm-bytes 20M --vm-keep & sleep 1'`,
  ];
  static override args = {
    address: Args.string({ description: 'The virtual address, in hex (0x…) or decimal.', required: true }),
  };
  static override flags = {
    pid: Flags.integer({ char: 'p', description: 'The process, by its PID in the initial PID namespace.', required: true }),
    json: Flags.boolean({ description: 'Print the walk as JSON.' }),
    ...viewFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(MemWalk);
    const text = args.address.trim();
    if (!ADDRESS.test(text)) throw new UsageError({ source: 'ADDRESS', expected: 'an address in hex (0x555555554000) or decimal', found: JSON.stringify(args.address) });
    const vaddr = BigInt(text);
    if (vaddr >= 1n << 64n) throw new UsageError({ source: 'ADDRESS', expected: 'a 64-bit address (below 2^64)', found: args.address });
    const view = openViewFrom(flags, this.argv, this.config.version);
    try {
      const w = walkPageOf(view.host.kernel, flags.pid, vaddr);
      if ('refused' in w) {
        if (w.refused === 'no-such-process') throw new InputError({ source: '--pid', expected: `a process of the host (there are ${w.pids.join(', ')})`, found: String(flags.pid), fix: 'list them with -c "ps -e" or ctsim top -b' });
        throw new InputError({ source: '--pid', expected: 'a process with an address space', found: `${flags.pid} (${w.comm}) has none (it has exited or not yet run a program)` });
      }
      if (flags.json) this.printJson({ ctsim: this.config.version, seed: view.host.engine.seed, simulatedNs: view.host.now, walk: w });
      else this.out(renderPageWalk(w).join('\n') + '\n');
    } finally {
      view.close();
    }
  }
}
