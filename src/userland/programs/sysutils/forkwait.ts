/**
 * forkwait: the process-creation microbenchmark of Adams & Agesen (ASPLOS 2006,
 * VIRT-FIGURES §1b): a parent that has touched some memory forks children that exit
 * at once and waits for each. Every fork copies the parent's page tables and
 * write-protects its pages for copy-on-write, so it is as heavy on page-table updates
 * as it is on system calls — the workload where shadow paging and first-generation
 * hardware assist paid most.
 *
 *   forkwait [-n CHILDREN] [-m BYTES]     (defaults: 1000 children, 1 MiB touched)
 *
 * It prints nothing on success and exits 0; a failed fork is reported on stderr
 * (exit 1). Options are ctsim's own: the paper's program took no options.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { Heap, touch } from '../../lib/mem.js';
import { parseStressSize } from './stress.js';

const USAGE = 'usage: forkwait [-n CHILDREN] [-m BYTES]\n';

export function* forkwaitMain({ argv }: ProgramArgs): Program {
  let children = 1000;
  let bytes = 1024 * 1024;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if ((a === '-n' || a === '-m') && v !== undefined) {
      const n = a === '-n' ? (/^\d+$/.test(v) ? Number(v) : NaN) : parseStressSize(v);
      if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
        yield* errOut(`forkwait: invalid ${a === '-n' ? 'child count' : 'size'} '${v}'\n${USAGE}`);
        return 2;
      }
      if (a === '-n') children = n;
      else bytes = n;
      i++;
      continue;
    }
    yield* errOut(USAGE);
    return 2;
  }
  if (bytes > 0) {
    const heap = new Heap();
    const p = yield* heap.alloc(bytes);
    if (p instanceof SysError) {
      yield* errOut(`forkwait: cannot allocate ${bytes} bytes: ${p.message}\n`);
      return 1;
    }
    yield* touch(p, bytes, true);
  }
  for (let i = 0; i < children; i++) {
    const pid = yield* sys.fork(function* (): Program {
      return 0;
    });
    if (pid instanceof SysError) {
      yield* errOut(`forkwait: fork: ${pid.message}\n`);
      return 1;
    }
    yield* sys.wait4(pid);
  }
  return 0;
}
