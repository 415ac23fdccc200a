/**
 * Regressions from a review of the virtual-memory code: reclaim or the OOM killer
 * running in the middle of fork or of building page tables, address spaces shared
 * with CLONE_VM, a heap split by MAP_FIXED, and argument errors as mmap(2),
 * munmap(2) and brk(2) give them (checked against a real 6.18 kernel).
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import { checkBooks } from '../../helpers/mm-books.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { out, readFile } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, PROT_READ, PROT_WRITE, brk, mmap, munmap, peek, poke, touch } from '../../../src/userland/lib/mem.js';
import { CLONE_VM } from '../../../src/kernel/syscalls/abi.js';
import { O_RDONLY } from '../../../src/kernel/vfs/types.js';

const MiB = 1024 * 1024;
const MAP_NORESERVE = 0x4000;

describe('reclaim during fork', () => {
  // Fork when free memory is just at the watermark, so that getting the child's page
  // tables evicts pages the copy is about to read (and may be the page just read).
  for (const slack of [-1, 0, 1, 4, 6]) {
    test(`the child gets what the parent had, and the books balance (slack ${slack})`, () => {
      let k: Kernel | null = null;
      const host = hostWith(
        {
          *t(): Program {
            const len = 7 * MiB;
            const p = (yield* mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)) as number;
            yield* poke(p + 6 * MiB, 'stamp');
            for (let off = 0; off < len && k!.mem.freeFrames > k!.mem.minFreeFrames + 1 + slack; off += 4096) yield* touch(p + off, 1, true);
            const pid = yield* sys.fork(function* (): Program {
              yield* out(`child ${yield* peek(p + 6 * MiB, 5)}\n`);
              return 0;
            });
            if (pid instanceof SysError) return 1;
            yield* sys.wait4(pid);
            checkBooks(k!);
            yield* out(`parent ${yield* peek(p + 6 * MiB, 5)}\n`);
            return 0;
          },
        },
        { memoryBytes: 8 * MiB, swapBytes: 32 * MiB, swapPolicy: 'fifo' },
      );
      k = host.kernel;
      const r = host.run(['/usr/bin/t']);
      expect(r.stdout).toBe('child stamp\nparent stamp\n');
      checkBooks(k);
    });
  }
});

describe('the OOM killer in the middle of building page tables', () => {
  test('a fault that needs a new page table when the faulting process is the victim: killed cleanly, nothing leaks', () => {
    let k: Kernel | null = null;
    const host = hostWith(
      {
        *t(): Program {
          const len = 64 * 1024 * MiB;
          const p = (yield* mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE)) as number;
          for (let off = 0; k!.mem.freeFrames > k!.mem.minFreeFrames; off += 4096) yield* touch(p + off, 1, true);
          // Far away: needs new page-table pages, whose allocation runs the OOM killer.
          for (let i = 1; i <= 64; i++) yield* touch(p + i * 8 * 1024 * MiB, 1, true);
          return 0;
        },
      },
      { memoryBytes: 32 * MiB },
    );
    k = host.kernel;
    const free0 = k.mem.freeFrames;
    const r = host.run(['/bin/sh', '-c', '/usr/bin/t; echo "status $?"']);
    expect(r.stdout).toBe('status 137\n');
    checkBooks(k);
    expect(k.mem.freeFrames).toBeGreaterThanOrEqual(free0 - 16);
  });

  test('processes sharing an address space (CLONE_VM) die together when it is chosen', () => {
    const host = hostWith(
      {
        *t(): Program {
          const p = (yield* mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)) as number;
          yield* poke(p, 'hello');
          yield* sys.clone(function* (): Program {
            yield* sys.nanosleep(10e9);
            return 0;
          }, CLONE_VM);
          for (let i = 0; i < 3; i++) {
            const big = (yield* mmap(0, 16 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)) as number;
            yield* touch(big, 16 * MiB, true);
          }
          yield* out(`survived: ${yield* peek(p, 5)}\n`);
          return 0;
        },
      },
      { memoryBytes: 32 * MiB },
    );
    const r = host.run(['/bin/sh', '-c', '/usr/bin/t; echo "status $?"']);
    expect(r.stdout).toBe('status 137\n');
  });
});

describe('brk, mmap and munmap arguments', () => {
  test('brk grows the area at the old break, not an earlier piece of a heap split by MAP_FIXED', () => {
    const host = hostWith({
      *t(): Program {
        const b = (yield* brk(0)) as number;
        yield* brk(b + 3 * 4096);
        yield* mmap(b + 4096, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
        const grown = (yield* brk(b + 5 * 4096)) as number;
        const maps = (yield* readFile('/proc/self/maps')) as string;
        const areas = maps.trim().split('\n').map((l) => l.split(' ')[0].split('-').map((x) => parseInt(x, 16)));
        const overlaps = areas.some(([s, e], i) => i > 0 && s < areas[i - 1][1] && e > areas[i - 1][0]);
        yield* out(`${grown - b} ${overlaps}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe(`${5 * 4096} false\n`);
  });

  test('errors and non-errors as the real kernel gives them', () => {
    const host = hostWith({
      *t(): Program {
        const fd = (yield* sys.open('/etc/passwd', O_RDONLY)) as number;
        const res = [
          yield* mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, -4096),
          yield* mmap(0x7fff_ffff_0000, 0x20000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
          yield* mmap(0x1000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED),
          yield* mmap(0, -1, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS),
          yield* munmap(-4096, 4096),
          yield* mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | 0x4000000),
        ];
        yield* out(res.map((x) => (x instanceof SysError ? x.errno : 'ok')).join(' ') + '\n');
        return 0;
      },
    });
    // EOVERFLOW, ENOMEM, EPERM (below mmap_min_addr), ENOMEM, EINVAL, and unknown flag bits ignored.
    expect(host.run(['/usr/bin/t']).stdout).toBe('EOVERFLOW ENOMEM EPERM ENOMEM EINVAL ok\n');
  });

  test('an access with a fractional or NaN address is a SIGSEGV, not a crash of the simulator', () => {
    const host = hostWith({
      *t(): Program {
        yield { nr: 1000, addr: 0x7fff_f000_0000 + 0.5, len: 4, write: true };
        return 0;
      },
      *u(): Program {
        yield { nr: 1000, addr: NaN, len: 4, write: false };
        return 0;
      },
    });
    for (const name of ['t', 'u']) expect(host.run(['/bin/sh', '-c', `/usr/bin/${name}; echo "status $?"`]).stdout).toBe('status 139\n');
  });
});
