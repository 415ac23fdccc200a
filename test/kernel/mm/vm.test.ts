/**
 * Virtual memory as Linux behaves (mm/memory.c, proc(5), mmap(2)): demand paging with
 * the shared zero page, copy-on-write after fork, SIGSEGV for bad addresses, swapping
 * when RAM runs out, the OOM killer when swap does too — and counters that add up.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { out } from '../../../src/userland/lib/io.js';
import { readFile } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_READ, PROT_WRITE, brk, mmap, munmap, peek, poke, touch } from '../../../src/userland/lib/mem.js';
import { WIFSIGNALED, WTERMSIG } from '../../../src/kernel/proc/wstatus.js';
import { SIG } from '../../../src/kernel/proc/signals.js';

const MiB = 1024 * 1024;

function* status(field: string): Generator<import('../../../src/kernel/proc/program.js').Op, number, unknown> {
  const s = yield* readFile('/proc/self/status');
  if (s instanceof SysError) return -1;
  return Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? -1);
}

function* anon(len: number): Generator<import('../../../src/kernel/proc/program.js').Op, number, unknown> {
  const p = yield* mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
  if (p instanceof SysError) throw new Error(`mmap: ${p.errno}`);
  return p;
}

function vmstat(host: ReturnType<typeof hostWith>): Record<string, number> {
  const r = host.run(['/bin/cat', '/proc/vmstat']);
  return Object.fromEntries(r.stdout.trim().split('\n').map((l) => [l.split(' ')[0], Number(l.split(' ')[1])]));
}

describe('demand paging', () => {
  test('reading untouched memory maps the zero page (no RSS); writing it gives each page a frame', () => {
    const host = hostWith({
      *t(): Program {
        const p = yield* anon(MiB);
        const before = yield* status('RssAnon');
        yield* touch(p, MiB, false);
        const afterRead = yield* status('RssAnon');
        yield* touch(p, MiB, true);
        const afterWrite = yield* status('RssAnon');
        const data = yield* peek(p + 100, 4);
        yield* out(`${afterRead - before} ${afterWrite - before} ${JSON.stringify(data)}\n`);
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe(`0 1024 "\\u0000\\u0000\\u0000\\u0000"\n`);
  });

  test('a page fault is counted once per page; the second pass hits in the TLB or walks without faulting', () => {
    const host = hostWith({
      *t(): Program {
        const p = yield* anon(64 * 4096);
        yield* touch(p, 64 * 4096, true);
        yield* touch(p, 64 * 4096, true);
        return 0;
      },
    });
    const before = vmstat(host).pgfault;
    host.run(['/usr/bin/t']);
    const faults = vmstat(host).pgfault - before;
    // 64 data pages; the rest are exec's prefaults and cat's (a handful).
    expect(faults).toBeGreaterThanOrEqual(64);
    expect(faults).toBeLessThan(64 + 12);
  });
});

describe('copy-on-write after fork', () => {
  test('parent and child share frames until one writes; the child\'s write does not change what the parent reads', () => {
    const host = hostWith({
      *t(): Program {
        const len = 256 * 4096;
        const p = yield* anon(len);
        yield* touch(p, len, true);
        yield* poke(p, 'parent');
        const pid = yield* sys.fork(function* (): Program {
          const shared = yield* status('RssAnon');
          yield* poke(p, 'child!');
          const mine = yield* peek(p, 6);
          yield* out(`child rss=${shared >= 1024 ? 'shares' : shared} reads=${mine}\n`);
          return 0;
        });
        if (pid instanceof SysError) return 1;
        yield* sys.wait4(pid);
        yield* out(`parent reads=${yield* peek(p, 6)}\n`);
        return 0;
      },
    });
    const k = host.kernel;
    const framesBefore = k.mem.anonPages;
    const cowBefore = k.mem.events.cowFaults;
    const r = host.run(['/usr/bin/t']);
    expect(r.stdout).toBe('child rss=shares reads=child!\nparent reads=parent\n');
    // The child copied exactly the page it wrote (plus its stack page); the rest stayed shared.
    expect(k.mem.events.cowFaults - cowBefore).toBeLessThanOrEqual(3);
    expect(k.mem.anonPages).toBe(framesBefore);
  });

  test('fork is cheap until pages are written: the child adds no frames for memory it only reads', () => {
    let peakFrames = 0;
    const host = hostWith({
      *t(): Program {
        const len = 512 * 4096;
        const p = yield* anon(len);
        yield* touch(p, len, true);
        const pid = yield* sys.fork(function* (): Program {
          yield* touch(p, len, false);
          yield* sys.nanosleep(1_000_000);
          return 0;
        });
        if (pid instanceof SysError) return 1;
        yield* sys.nanosleep(500_000);
        peakFrames = host.kernel.mem.anonPages;
        yield* sys.wait4(pid);
        return 0;
      },
    });
    const base = host.kernel.mem.anonPages;
    host.run(['/usr/bin/t']);
    // 512 shared pages plus a few stack pages, not 1,024.
    expect(peakFrames - base).toBeLessThan(512 + 8);
    expect(peakFrames - base).toBeGreaterThanOrEqual(512);
  });
});

describe('bad addresses', () => {
  test('touching an unmapped address kills with SIGSEGV; the shell says "Segmentation fault", status 139', () => {
    const host = hostWith({
      *t(): Program {
        yield* touch(0x1000, 1, true);
        yield* out('not reached\n');
        return 0;
      },
    });
    const r = host.run(['/bin/sh', '-c', 't; echo status=$?']);
    expect(r.stdout).toBe('status=139\n');
    expect(r.stderr).toBe('Segmentation fault\n');
    // The kernel logs it as x86's show_signal_msg() does: error 6 = a user-mode write to an unmapped page.
    expect(host.run(['/bin/dmesg']).stdout).toMatch(
      /\] t\[3\]: segfault at 1000 ip 0000555555555000 sp 00007fffffffe000 error 6 in t\[555555555000\+4000\] likely on CPU 0 \(core 0, socket 0\)\n/,
    );
  });

  test('a fault kills even the init of a PID namespace (force_sig_fault), which kill -SEGV from inside does not', () => {
    // Checked on Linux 2026-11-28: `unshare -p -f python3 -c "import ctypes; ctypes.string_at(0)"`
    // exits 139; `unshare -p -f sh -c 'kill -SEGV $$; echo survived'` prints survived.
    const host = hostWith({
      *t(): Program {
        yield* touch(0x1000, 1, true);
        return 0;
      },
    });
    const r = host.run(['/bin/sh', '-c', 'unshare -p -f /usr/bin/t; echo status=$?; unshare -p -f sh -c "kill -SEGV \\$\\$; echo survived"']);
    expect(r.stdout).toBe('status=139\nsurvived\n');
  });

  test('writing a read-only mapping is a SIGSEGV; after munmap the range is gone', () => {
    const host = hostWith({
      *ro(): Program {
        const p = yield* mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
        if (p instanceof SysError) return 2;
        yield* touch(p, 1, false);
        yield* touch(p, 1, true);
        return 0;
      },
      *gone(): Program {
        const p = yield* anon(8192);
        yield* touch(p, 8192, true);
        yield* munmap(p, 8192);
        yield* touch(p, 1, false);
        return 0;
      },
    });
    for (const name of ['ro', 'gone']) {
      const r = host.run([`/usr/bin/${name}`]);
      expect(WIFSIGNALED(r.waitStatus) && WTERMSIG(r.waitStatus)).toBe(SIG.SIGSEGV);
    }
  });
});

describe('mmap, munmap and brk', () => {
  test('errors as mmap(2) and munmap(2) give them', () => {
    const host = hostWith({
      *t(): Program {
        const res = [
          yield* mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS),
          yield* mmap(0, 4096, PROT_READ, MAP_ANONYMOUS),
          yield* mmap(0, 4096, PROT_READ, MAP_PRIVATE),
          yield* mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100),
          yield* mmap(0, 64 * 1024 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS),
          yield* munmap(4097, 4096),
          yield* munmap(4096, 0),
        ];
        yield* out(res.map((r) => (r instanceof SysError ? r.errno : 'ok')).join(' ') + '\n');
        return 0;
      },
    });
    expect(host.run(['/usr/bin/t']).stdout).toBe('EINVAL EINVAL EBADF EINVAL ENOMEM EINVAL EINVAL\n');
  });

  test('brk grows the [heap] area right after the program image and shrinks it again', () => {
    const host = hostWith({
      *t(): Program {
        const start = (yield* brk(0)) as number;
        const grown = (yield* brk(start + 200_000)) as number;
        yield* touch(start, 200_000, true);
        const maps = (yield* readFile('/proc/self/maps')) as string;
        const rss = yield* status('RssAnon');
        yield* brk(start);
        const after = yield* status('RssAnon');
        const heap = /^(\w+)-(\w+) rw-p 00000000 00:00 0 +\[heap\]$/m.exec(maps);
        yield* out(`${start.toString(16)} ${grown - start} ${heap ? `${heap[1]}-${heap[2]}` : 'none'} ${rss - after}\n`);
        return 0;
      },
    });
    // 0x555555554000 + 8 image pages; 200,000 bytes round up to 49 pages.
    expect(host.run(['/usr/bin/t']).stdout).toBe(`55555555c000 200000 55555555c000-55555558d000 196\n`);
  });

  test('/proc/PID/maps lists the areas as Linux prints them, mmap areas top-down from mmap_base', () => {
    const host = hostWith({
      *t(): Program {
        yield* anon(3 * 4096);
        const maps = (yield* readFile('/proc/self/maps')) as string;
        yield* out(maps);
        return 0;
      },
    });
    const lines = host.run(['/usr/bin/t']).stdout.split('\n');
    const fields = lines.map((l) => l.replace(/ 08:01 \d+ +/, ' 08:01 INO ').replace(/ {2,}/, ' '));
    expect(fields).toEqual([
      '555555554000-555555555000 r--p 00000000 08:01 INO /usr/bin/t',
      '555555555000-555555559000 r-xp 00001000 08:01 INO /usr/bin/t',
      '555555559000-55555555b000 r--p 00005000 08:01 INO /usr/bin/t',
      '55555555b000-55555555c000 rw-p 00007000 08:01 INO /usr/bin/t',
      '7ffff7ffc000-7ffff7fff000 rw-p 00000000 00:00 0 ',
      '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0 [stack]',
      '',
    ]);
    // Names start in column 73 (seq_pad), as in Linux's output.
    for (const l of lines) if (l.endsWith('/usr/bin/t') || l.endsWith('[stack]')) expect(l.length - l.split(' ').pop()!.length).toBe(73);
  });
});

/**
 * A program that writes `mib` MiB in 8 MiB mappings (so that no single one trips the
 * overcommit heuristic), stamps the first and last page, reads everything back and
 * checks the stamps.
 */
function hog(mib: number) {
  return function* (): Program {
    const chunk = 8 * MiB;
    const parts: number[] = [];
    for (let left = mib * MiB; left > 0; left -= chunk) {
      const p = yield* anon(Math.min(chunk, left));
      yield* touch(p, Math.min(chunk, left), true);
      parts.push(p);
    }
    const first = parts[0];
    const lastEnd = parts[parts.length - 1] + Math.min(chunk, mib * MiB - (parts.length - 1) * chunk);
    yield* poke(first, 'first');
    yield* poke(lastEnd - 5, 'last!');
    for (const p of parts) yield* touch(p, chunk, false);
    const a = yield* peek(first, 5);
    const b = yield* peek(lastEnd - 5, 5);
    yield* out(`${a} ${b}\n`);
    return 0;
  };
}

describe('swap', () => {
  for (const policy of ['clock', 'lru', 'fifo', 'rand'] as const) {
    test(`${policy}: a program touching 2x RAM runs to completion by swapping, and its data survives`, () => {
      const host = hostWith({ hog: hog(64) }, { memoryBytes: 32 * MiB, swapBytes: 128 * MiB, swapPolicy: policy });
      const r = host.run(['/bin/sh', '-c', 'hog; echo status=$?']);
      expect(r.stdout).toBe('first last!\nstatus=0\n');
      const v = vmstat(host);
      expect(v.pswpout).toBeGreaterThan(0);
      // Every major fault is one swap-in.
      expect(v.pgmajfault).toBe(v.pswpin);
      expect(v.oom_kill).toBe(0);
    });
  }

  test('a process waiting for swap is in D state, and its CPU counts the wait as iowait in /proc/stat', () => {
    const host = hostWith({ hog: hog(64) }, { memoryBytes: 32 * MiB, swapBytes: 128 * MiB, cpus: 2 });
    const r = host.run(['/bin/sh', '-c', 'hog > /dev/null & sleep 0.02; grep procs_blocked /proc/stat; ps -o stat= -p $!; wait; head -1 /proc/stat']);
    const [blocked, stat, cpu] = r.stdout.trim().split('\n');
    expect(blocked).toBe('procs_blocked 1');
    expect(stat.trim()).toBe('D');
    // cpu  user nice system idle iowait ...
    expect(Number(cpu.split(/ +/)[5])).toBeGreaterThan(0);
  });

  test('the same seed gives the same paging, page for page', () => {
    const run = () => {
      const host = hostWith({ hog: hog(48) }, { memoryBytes: 32 * MiB, swapBytes: 64 * MiB, swapPolicy: 'rand', seed: 7 });
      host.run(['/usr/bin/hog']);
      return vmstat(host);
    };
    expect(run()).toEqual(run());
  });
});

describe('the OOM killer', () => {
  test('processes touching more than RAM + swap: one is killed, the shell says Killed (137), dmesg says why', () => {
    const host = hostWith({ hog: hog(40) }, { memoryBytes: 32 * MiB, swapBytes: 16 * MiB });
    const r = host.run(['/bin/sh', '-c', 'hog & hog; echo status=$?; wait']);
    const v = vmstat(host);
    expect(v.oom_kill).toBe(1);
    const log = host.run(['/bin/dmesg']).stdout;
    expect(log).toMatch(/hog invoked oom-killer: gfp_mask=0x140cca\(GFP_HIGHUSER_MOVABLE\|__GFP_COMP\), order=0, oom_score_adj=0/);
    expect(log).toMatch(/Out of memory: Killed process \d+ \(hog\) total-vm:\d+kB, anon-rss:\d+kB, file-rss:\d+kB, shmem-rss:0kB, UID:0 pgtables:\d+kB oom_score_adj:0/);
    // One of the two finished; the other was killed (the foreground one is reported by the shell).
    expect(r.stdout.match(/first last!/g)?.length).toBe(1);
    if (!r.stdout.includes('status=0')) {
      expect(r.stdout).toContain('status=137');
      expect(r.stderr).toContain('Killed');
    }
  });

  test('when every process is at -1000 there is nobody to kill: the kernel says so and the faulting process dies', () => {
    const host = hostWith({}, { memoryBytes: 32 * MiB });
    const r = host.run(['/bin/sh', '-c', 'echo -1000 > /proc/self/oom_score_adj; tail /dev/zero; echo "status $?"; dmesg | grep -c "Out of memory and no killable processes"']);
    // Linux panics here ("System is deadlocked on memory"); ctsim kills the faulting process instead.
    expect(r.stdout).toBe('status 137\n1\n');
  });

  test('without swap, a hog bigger than RAM is killed; the kernel\'s memory is all free again afterwards', () => {
    const host = hostWith({ hog: hog(64) }, { memoryBytes: 32 * MiB });
    const free0 = host.kernel.mem.freeFrames;
    const r = host.run(['/bin/sh', '-c', 'hog; echo status=$?']);
    expect(r.stdout).toBe('status=137\n');
    expect(r.stderr).toBe('Killed\n');
    expect(host.kernel.mem.freeFrames).toBeGreaterThanOrEqual(free0 - 64);
  });
});

describe('overcommit and the watermark (sysctl vm.*)', () => {
  test('vm.overcommit_memory: 0 refuses only a single request larger than RAM + swap, 2 keeps Committed_AS within CommitLimit, 1 allows anything', () => {
    const host = hostWith({
      *t(): Program {
        const big = yield* mmap(0, 3 * 1024 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
        yield* out(big instanceof SysError ? `${big.errno}\n` : 'ok\n');
        return 0;
      },
    }, { memoryBytes: 4096 * MiB });
    const r = host.run([
      '/bin/sh',
      '-c',
      't; echo 2 > /proc/sys/vm/overcommit_memory; t; grep -E "^Commit" /proc/meminfo; echo 100 > /proc/sys/vm/overcommit_ratio; t; echo 1 > /proc/sys/vm/overcommit_memory; t; echo 3 > /proc/sys/vm/overcommit_memory; cat /proc/sys/vm/overcommit_memory',
    ]);
    // 4 GiB minus the kernel's share is 4,112,384 KiB; CommitLimit at 50% is half of it.
    expect(r.stdout).toBe('ok\nENOMEM\nCommitLimit:     2056192 kB\nCommitted_AS:        408 kB\nok\nok\n1\n');
    expect(r.stderr).toBe('/bin/sh: 1: echo: echo: I/O error\n');
  });

  test('free memory settles at vm.min_free_kbytes under pressure, not at zero', () => {
    const host = hostWith({ hog: hog(64) }, { memoryBytes: 32 * MiB, swapBytes: 128 * MiB });
    const r = host.run(['/bin/sh', '-c', 'hog > /dev/null & sleep 0.02; cat /proc/sys/vm/min_free_kbytes; grep MemFree /proc/meminfo; wait']);
    const [minFree, memFree] = r.stdout.trim().split('\n');
    // sqrt(16 × 28,160 KiB) = 671 KiB; free stays within a page of it.
    expect(minFree).toBe('671');
    expect(Number(/\d+/.exec(memFree)![0])).toBeGreaterThanOrEqual(668);
    expect(Number(/\d+/.exec(memFree)![0])).toBeLessThan(671 + 8);
  });
});

describe('programs charge their buffers', () => {
  test('sort holds all its input (and a line record each) in memory; wc streams and does not', () => {
    const host = hostWith({});
    const faults = (cmd: string): number => {
      const before = vmstat(host).pgfault;
      host.run(['/bin/sh', '-c', cmd]);
      return vmstat(host).pgfault - before;
    };
    // 200,000 lines of seq: 1.29 MB of text plus 6.4 MB of line records, ~1,880 pages.
    expect(faults('seq 1 200000 | sort -n > /dev/null')).toBeGreaterThan(1800);
    expect(faults('seq 1 200000 | wc -l > /dev/null')).toBeLessThan(100);
  });
});

describe('oom_score and oom_score_adj', () => {
  test('/proc/PID/oom_score is badness scaled to 0..1000 (2/3 of 0..2000); init scores 0; oom_score_adj takes -1000..1000', () => {
    const host = hostWith({});
    const r = host.run([
      '/bin/sh',
      '-c',
      'cat /proc/self/oom_score /proc/1/oom_score /proc/self/oom_score_adj; sh -c "echo 500 > /proc/self/oom_score_adj; cat /proc/self/oom_score"; echo 1001 > /proc/self/oom_score_adj; echo $?',
    ]);
    // A small process scores (1000 + 0) * 2/3 = 666, as on the real kernel. At +500 the
    // real kernel shows 1000; here 999, because oom_badness scales the adjustment by
    // floor(totalpages / 1000) and ctsim's process has only 3 resident pages to make up
    // the rounding (the real sh has hundreds).
    expect(r.stdout).toBe('666\n0\n0\n999\n1\n');
    const student = host.run(['/bin/sh', '-c', 'echo 100 > /proc/self/oom_score_adj && cat /proc/self/oom_score_adj; echo -5 > /proc/self/oom_score_adj; echo $?'], { uid: 1000, gid: 1000 });
    expect(student.stdout).toBe('100\n1\n');
  });

  test('the OOM killer spares a process at -1000 and takes the next worst', () => {
    const host = hostWith({ big: hog(24), small: hog(16) }, { memoryBytes: 32 * MiB, swapBytes: 8 * MiB });
    const r = host.run(['/bin/sh', '-c', '(echo -1000 > /proc/self/oom_score_adj; exec big) & small; echo "small $?"; wait $!; echo "big $?"']);
    expect(r.stdout).toBe('small 137\nfirst last!\nbig 0\n');
    expect(host.run(['/bin/dmesg']).stdout).toMatch(/Out of memory: Killed process \d+ \(small\)/);
  });
});

describe('counters add up', () => {
  test('every TLB miss is one walk; a walk that finds the page reads 4 entries', () => {
    const host = hostWith({
      *t(): Program {
        const len = 300 * 4096;
        const p = yield* anon(len);
        yield* touch(p, len, true);
        return 0;
      },
    });
    const m = host.machine;
    const misses = () => m.cpus.reduce((n, c) => n + c.tlb.misses, 0);
    host.run(['/usr/bin/t']);
    expect(m.mmu.walks).toBe(misses());
    // A second pass over present pages: 4 references per miss, no faults.
    const host2 = hostWith({
      *t(): Program {
        const len = 300 * 4096;
        const p = yield* anon(len);
        yield* touch(p, len, true);
        const w0 = m2.mmu.walks;
        const r0 = m2.mmu.memoryReferences;
        const f0 = m2.mmu.faults;
        const miss0 = m2.cpus.reduce((n, c) => n + c.tlb.misses, 0);
        yield* touch(p, len, false);
        const dw = m2.mmu.walks - w0;
        yield* out(`${dw} ${m2.mmu.memoryReferences - r0} ${m2.mmu.faults - f0} ${m2.cpus.reduce((n, c) => n + c.tlb.misses, 0) - miss0}\n`);
        return 0;
      },
    });
    const m2 = host2.machine;
    const [walks, refs, faults, miss] = host2.run(['/usr/bin/t']).stdout.trim().split(' ').map(Number);
    expect(walks).toBe(miss);
    expect(faults).toBe(0);
    expect(refs).toBe(4 * walks);
    expect(walks).toBeGreaterThanOrEqual(300 - 64);
  });
});
