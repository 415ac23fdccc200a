/**
 * Property (issue 4 "Done when"): isolation holds whatever containers do. Random
 * sequences of system calls run in processes that each live in their own namespace
 * set — mount, UTS, IPC, PID and network namespaces, chrooted into their own
 * directory — at the same time; none may observe or change another's (or the
 * host's) PIDs, mounts, host name, IPC objects or files outside its root.
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { forkEachAndWait, hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { readFile } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUTS } from '../../../src/kernel/syscalls/abi.js';
import { MS_PRIVATE, MS_REC } from '../../../src/kernel/syscalls/sys-mount.js';
import { O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY } from '../../../src/kernel/vfs/types.js';
import type { PidNamespace } from '../../../src/kernel/proc/pid-namespace.js';

type Step =
  | { op: 'hostname'; n: number }
  | { op: 'mount'; j: number }
  | { op: 'file'; j: number }
  | { op: 'kill'; pid: number }
  | { op: 'proc' }
  | { op: 'escape'; other: number; j: number }
  | { op: 'msg'; key: number }
  | { op: 'sleep'; us: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('hostname' as const), n: fc.nat(99) }),
  fc.record({ op: fc.constant('mount' as const), j: fc.nat(3) }),
  fc.record({ op: fc.constant('file' as const), j: fc.nat(3) }),
  fc.record({ op: fc.constant('kill' as const), pid: fc.integer({ min: 1, max: 40 }) }),
  fc.constant({ op: 'proc' as const }),
  fc.record({ op: fc.constant('escape' as const), other: fc.nat(2), j: fc.nat(3) }),
  fc.record({ op: fc.constant('msg' as const), key: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ op: fc.constant('sleep' as const), us: fc.integer({ min: 1, max: 2000 }) }),
);

/** What a container saw of itself, recorded from inside. */
interface Seen {
  lastHostname: string | null;
  hostnameAtEnd: string;
  /** Sources of the mounts in its mountinfo at the end. */
  mountSources: string[];
  /** PIDs /proc listed, with the kernel's namespace of each at that moment. */
  procPids: { pid: number; ns: PidNamespace | null }[];
  /** kill(pid, 0) results: the PID and whether it succeeded. */
  kills: { pid: number; ok: boolean; target: PidNamespace | null }[];
  /** Files of other containers it managed to open (must stay empty). */
  escapes: string[];
  /** Message-queue keys created and the keys msgget found without creating. */
  msgKeysMade: number[];
  msgKeysFound: number[];
  pidNs: PidNamespace | null;
}

const N = 3;

function containers(plans: Step[][], k: () => Kernel, seen: Seen[]) {
  function* inside(i: number, steps: Step[]): Program {
    const s = seen[i];
    s.pidNs = k().current!.pidNs;
    if ((yield* sys.mount('proc', '/proc', 'proc', 0)) instanceof SysError) throw new Error('mount proc failed');
    for (const st of steps) {
      switch (st.op) {
        case 'hostname': {
          const name = `ct${i}-${st.n}`;
          expect(yield* sys.sethostname(name)).toBe(0);
          s.lastHostname = name;
          break;
        }
        case 'mount':
          yield* sys.mkdir(`/m${st.j}`);
          yield* sys.mount(`ct${i}src${st.j}`, `/m${st.j}`, 'tmpfs', 0);
          break;
        case 'file': {
          const fd = yield* sys.open(`/f${st.j}`, O_WRONLY | O_CREAT);
          if (typeof fd === 'number') {
            yield* sys.write(fd, `ct${i}`);
            yield* sys.close(fd);
          }
          break;
        }
        case 'kill': {
          const r = yield* sys.kill(st.pid, 0);
          s.kills.push({ pid: st.pid, ok: r === 0, target: k().current!.pidNs.tasks.get(st.pid)?.pidNs ?? null });
          break;
        }
        case 'proc': {
          const fd = yield* sys.open('/proc', O_RDONLY | O_DIRECTORY);
          if (typeof fd !== 'number') throw new Error('no /proc');
          const ents = yield* sys.getdents(fd);
          yield* sys.close(fd);
          if (ents instanceof SysError) throw ents;
          for (const e of ents) {
            if (!/^\d+$/.test(e.name)) continue;
            const pid = Number(e.name);
            s.procPids.push({ pid, ns: k().current!.pidNs.tasks.get(pid)?.pidNs ?? null });
          }
          break;
        }
        case 'escape': {
          // Another container's file by every path that would reach it outside a chroot.
          const j = (i + 1 + st.other) % N;
          for (const p of [`/tmp/ct${j}/f${st.j}`, `/../../tmp/ct${j}/f${st.j}`, `/../ct${j}/f${st.j}`, '/../../etc/hostname']) {
            const text = yield* readFile(p);
            if (!(text instanceof SysError)) s.escapes.push(p);
          }
          break;
        }
        case 'msg': {
          const found = yield* sys.msgget(1000 + st.key, 0);
          if (typeof found === 'number') s.msgKeysFound.push(st.key);
          else if ((yield* sys.msgget(1000 + st.key, 0o1000 | 0o644)) !== undefined) s.msgKeysMade.push(st.key);
          break;
        }
        case 'sleep':
          yield* sys.nanosleep(st.us * 1000);
          break;
      }
    }
    const u = yield* sys.uname();
    s.hostnameAtEnd = u instanceof SysError ? '' : u.nodename;
    const info = yield* readFile('/proc/self/mountinfo');
    if (info instanceof SysError) throw info;
    s.mountSources = info.split('\n').filter(Boolean).map((l) => l.split(' - ')[1].split(' ')[1]);
    return 0;
  }

  function* container(i: number): Program {
    const dir = `/tmp/ct${i}`;
    yield* sys.mkdir(dir);
    yield* sys.mkdir(`${dir}/proc`);
    yield* sys.mkdir(`${dir}/tmp`);
    if ((yield* sys.unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET)) !== 0) throw new Error('unshare failed');
    if ((yield* sys.mount('none', '/', '', MS_REC | MS_PRIVATE)) !== 0) throw new Error('make-rprivate failed');
    // The first child is PID 1 of the new PID namespace; it chroots into the container's directory.
    const pid = yield* sys.fork(function* (): Program {
      if ((yield* sys.chroot(dir)) !== 0) throw new Error('chroot failed');
      yield* sys.chdir('/');
      return yield* inside(i, plans[i]);
    });
    if (typeof pid !== 'number') throw new Error('fork failed');
    const r = yield* sys.wait4(pid);
    return r instanceof SysError ? 1 : r.status >> 8;
  }

  return function* main(): Program {
    return yield* forkEachAndWait(N, container);
  };
}

describe('isolation between namespace sets', () => {
  test('property: containers never see or change each other\'s PIDs, mounts, host name, IPC objects or files', () => {
    fc.assert(
      fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 14 }), { minLength: N, maxLength: N }), fc.integer({ min: 1, max: 1000 }), (plans, seed) => {
        let kernel: Kernel | null = null;
        const seen: Seen[] = plans.map(() => ({ lastHostname: null, hostnameAtEnd: '', mountSources: [], procPids: [], kills: [], escapes: [], msgKeysMade: [], msgKeysFound: [], pidNs: null }));
        const host = hostWith({ iso: containers(plans, () => kernel!, seen) }, { cpus: 2, seed });
        kernel = host.kernel;
        const k = host.kernel;
        const hostName = host.run(['/usr/bin/hostname']).stdout;
        const r = host.run(['/usr/bin/iso']);
        expect(r.status, k.log.map((l) => l.text).join('\n')).toBe(0);
        // The host's name and mounts are untouched.
        expect(host.run(['/usr/bin/hostname']).stdout).toBe(hostName);
        expect(k.initMntNs.all().filter((m) => m.fs.source.startsWith('ct'))).toEqual([]);
        expect(host.run(['/bin/sh', '-c', 'ipcs -q | grep -c 0x']).stdout).toBe('0\n');
        seen.forEach((s, i) => {
          // Its own name only.
          if (s.lastHostname !== null) expect(s.hostnameAtEnd).toBe(s.lastHostname);
          else expect(s.hostnameAtEnd).toBe(hostName.trim());
          // Only its own mounts were added.
          for (const src of s.mountSources) if (src.startsWith('ct')) expect(src.startsWith(`ct${i}src`)).toBe(true);
          // /proc and kill name only processes of its own PID namespace.
          for (const p of s.procPids) expect(p.ns).toBe(s.pidNs);
          for (const kl of s.kills) {
            if (kl.ok) expect(kl.target).toBe(s.pidNs);
          }
          // No file outside its root could be opened.
          expect(s.escapes).toEqual([]);
          // Its IPC objects are its own: a key is found only after this container made it.
          for (const key of s.msgKeysFound) expect(s.msgKeysMade).toContain(key);
        });
        // The files the containers wrote are where the host put their roots, each with its own mark.
        for (let i = 0; i < N; i++) {
          const text = host.run(['/bin/sh', '-c', `cat /tmp/ct${i}/f* 2>/dev/null`]).stdout;
          expect(text.replaceAll(`ct${i}`, '')).toBe('');
        }
      }),
      { numRuns: 25, seed: 20261127 },
    );
  });
});
