/**
 * Property (issue 11, "Isolation fuzzing"): containers of three kinds try the classic
 * escapes in random order, and only what escapes on Linux escapes here.
 *
 *   chroot         root with new mount/UTS/IPC/PID/net/cgroup namespaces, chrooted
 *                  into its directory (a chroot is not a boundary: chroot(2) NOTES);
 *   userns-chroot  the same made by an unprivileged user (uid 1000) through a user
 *                  namespace ("0 1000 1"), as `unshare -U -r` does;
 *   pivot          root with the namespaces, its directory made the mount
 *                  namespace's root by pivot_root and the old root detached, as runc.
 *
 * Escapes tried: the chroot escape with a kept directory fd (fchdir, "..", chroot ".")
 * — it reaches the host's files from a chroot, privileged or in a user namespace, and
 * not after pivot_root (checked on this machine's Linux with unshare and python3's
 * os.chroot/os.fchdir, 2026-11-28); ".." walks; a symlink to "/"; /proc/PID/root of
 * every PID; setns(2) to the host's namespaces from a user namespace (EPERM: no
 * CAP_SYS_ADMIN over the init user namespace); uid_map written twice (EPERM,
 * user_namespaces(7)); a tmpfs over /proc; a move to the root of the cgroup hierarchy
 * (cgroup namespaces: the container's own cgroup is its root); a raw ICMP socket to
 * the host's address (ENETUNREACH from a namespace with only lo); kill(2) of any PID.
 * After each run: the host's name, /proc, marker file and cgroup limits are untouched;
 * no container task left its cgroup (checked where it tried).
 */
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { forkEachAndWait, hostWith } from '../../helpers/programs.js';
import { fuzzRuns } from '../../fuzz/mutate.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { readFile, writeAll } from '../../../src/userland/lib/io.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program } from '../../../src/kernel/proc/program.js';
import type { Kernel } from '../../../src/kernel/kernel.js';
import { CLONE_NEWCGROUP, CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS } from '../../../src/kernel/syscalls/abi.js';
import { MNT_DETACH, MS_BIND, MS_PRIVATE, MS_REC } from '../../../src/kernel/syscalls/sys-mount.js';
import { O_CREAT, O_DIRECTORY, O_RDONLY, O_WRONLY } from '../../../src/kernel/vfs/types.js';
import { AF_INET, SOCK_RAW } from '../../../src/kernel/net/sockets.js';
import { IPPROTO_ICMP } from '../../../src/kernel/net/packet.js';
import { parseIpv4 } from '../../../src/kernel/net/inet.js';

type Kind = 'chroot' | 'userns-chroot' | 'pivot';
type Attack = 'chroot-fd' | 'dotdot' | 'symlink' | 'proc-root' | 'setns' | 'uid-map' | 'proc-over' | 'cgroup-root' | 'raw-socket' | 'kill' | 'hostname';
const ATTACKS: Attack[] = ['chroot-fd', 'dotdot', 'symlink', 'proc-root', 'setns', 'uid-map', 'proc-over', 'cgroup-root', 'raw-socket', 'kill', 'hostname'];

const MARKER = '/etc/host-marker';
const MARK = 'the host\n';

/** What one attack got. */
interface Outcome {
  container: number;
  kind: Kind;
  attack: Attack;
  /** Whether the host's marker file was read. */
  reachedHost: boolean;
  /** The errno of the decisive call, or 'ok'. */
  result: string;
  /** Whether an earlier attack of its container put a tmpfs over its /proc. */
  procCovered: boolean;
}

const errnoOf = (r: unknown): string => (r instanceof SysError ? r.errno : 'ok');

function containers(kinds: Kind[], plans: Attack[][], k: () => Kernel, hostAddr: string, out: Outcome[]) {
  /** One attack, in a child of the container's init so that an escape does not change the others. */
  function* attack(i: number, a: Attack, saved: { net: number; mnt: number }, procCovered: boolean): Program {
    const rec = (reachedHost: boolean, result: string): void => void out.push({ container: i, kind: kinds[i], attack: a, reachedHost, result, procCovered });
    const reads = function* (p: string) {
      const t = yield* readFile(p);
      return !(t instanceof SysError) && t === MARK;
    };
    switch (a) {
      case 'chroot-fd': {
        const fd = yield* sys.open('/', O_RDONLY | O_DIRECTORY);
        yield* sys.mkdir('/x');
        const r = yield* sys.chroot('/x');
        if (typeof fd !== 'number' || r !== 0) return rec(false, errnoOf(r));
        yield* sys.fchdir(fd);
        for (let n = 0; n < 12; n++) yield* sys.chdir('..');
        const c = yield* sys.chroot('.');
        return rec(yield* reads(MARKER), errnoOf(c));
      }
      case 'dotdot':
        return rec(yield* reads(`/../../../..${MARKER}`), 'ok');
      case 'symlink':
        yield* sys.symlink('/', '/to-root');
        return rec(yield* reads(`/to-root/../..${MARKER}`), 'ok');
      case 'proc-root': {
        let reached = false;
        for (let pid = 1; pid <= 30; pid++) reached ||= yield* reads(`/proc/${pid}/root${MARKER}`);
        return rec(reached, 'ok');
      }
      case 'setns': {
        const n = yield* sys.setns(saved.net, CLONE_NEWNET);
        const m = yield* sys.setns(saved.mnt, CLONE_NEWNS);
        return rec(m === 0 ? yield* reads(MARKER) : false, `${errnoOf(n)}/${errnoOf(m)}`);
      }
      case 'uid-map': {
        const fd = yield* sys.open('/proc/self/uid_map', O_WRONLY);
        if (typeof fd !== 'number') return rec(false, errnoOf(fd));
        const w = yield* writeAll(fd, '0 0 4294967295\n');
        yield* sys.close(fd);
        return rec(false, errnoOf(w));
      }
      case 'proc-over':
        return rec(false, errnoOf(yield* sys.mount('none', '/proc', 'tmpfs', 0)));
      case 'cgroup-root': {
        yield* sys.mkdir('/sys');
        yield* sys.mkdir('/sys/fs');
        yield* sys.mkdir('/sys/fs/cgroup');
        const m = yield* sys.mount('none', '/sys/fs/cgroup', 'cgroup2', 0);
        const fd = yield* sys.open('/sys/fs/cgroup/cgroup.procs', O_WRONLY);
        if (typeof fd !== 'number') return rec(false, `${errnoOf(m)}/${errnoOf(fd)}`);
        const w = yield* writeAll(fd, '0\n');
        yield* sys.close(fd);
        // "Reached the host" here: left its own cgroup (the root of its cgroup namespace).
        return rec(!k().current!.cgroup.path.startsWith(`/ct${i}`), errnoOf(w));
      }
      case 'raw-socket': {
        const fd = yield* sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        if (typeof fd !== 'number') return rec(false, errnoOf(fd));
        const s = yield* sys.sendto(fd, { type: 8, code: 0, id: 1, seq: 1, dataLen: 56 }, 0, { family: AF_INET, addr: parseIpv4(hostAddr)!, port: 0 });
        return rec(false, errnoOf(s));
      }
      case 'kill': {
        let foreign = false;
        const me = k().current!.pidNs;
        for (let pid = 1; pid <= 40; pid++) if ((yield* sys.kill(pid, 0)) === 0 && k().current!.pidNs.tasks.get(pid)?.pidNs !== me) foreign = true;
        return rec(foreign, 'ok');
      }
      case 'hostname':
        return rec(false, errnoOf(yield* sys.sethostname(`ct${i}`)));
    }
  }

  function* init(i: number, saved: { net: number; mnt: number }): Program {
    if ((yield* sys.mount('proc', '/proc', 'proc', 0)) !== 0) throw new Error(`container ${i}: mount proc failed`);
    for (const [n, a] of plans[i].entries()) {
      const covered = plans[i].slice(0, n).includes('proc-over');
      const pid = yield* sys.fork(() => attack(i, a, saved, covered));
      if (typeof pid !== 'number') throw new Error('fork failed');
      yield* sys.wait4(pid);
    }
    return 0;
  }

  function* container(i: number): Program {
    const dir = `/tmp/ct${i}`;
    const kind = kinds[i];
    // Its cgroup, with a limit the host set.
    yield* sys.mkdir(`/sys/fs/cgroup/ct${i}`);
    for (const [f, v] of [[`/sys/fs/cgroup/ct${i}/pids.max`, '50\n'], [`/sys/fs/cgroup/ct${i}/cgroup.procs`, '0\n']]) {
      const fd = yield* sys.open(f, O_WRONLY);
      if (typeof fd !== 'number' || (yield* writeAll(fd, v)) instanceof SysError) throw new Error(`cgroup ${f}`);
      yield* sys.close(fd);
    }
    for (const d of ['', '/proc', '/tmp', '/etc', '/old']) yield* sys.mkdir(`${dir}${d}`);
    let flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;
    if (kind === 'userns-chroot') {
      for (const d of ['', '/proc', '/tmp', '/etc', '/old']) yield* sys.chown(`${dir}${d}`, 1000, 1000);
      yield* sys.setgid(1000);
      yield* sys.setuid(1000);
      flags |= CLONE_NEWUSER;
    }
    // The host's namespaces, opened before leaving them (a leaked descriptor).
    const net = yield* sys.open('/proc/self/ns/net', O_RDONLY);
    const mnt = yield* sys.open('/proc/self/ns/mnt', O_RDONLY);
    if (typeof net !== 'number' || typeof mnt !== 'number') throw new Error('open ns');
    if ((yield* sys.unshare(flags)) !== 0) throw new Error(`container ${i}: unshare failed`);
    if (kind === 'userns-chroot') {
      for (const [f, v] of [['/proc/self/setgroups', 'deny'], ['/proc/self/uid_map', '0 1000 1\n'], ['/proc/self/gid_map', '0 1000 1\n']]) {
        const fd = yield* sys.open(f, O_WRONLY);
        if (typeof fd !== 'number' || (yield* writeAll(fd, v)) instanceof SysError) throw new Error(`container ${i}: ${f}`);
        yield* sys.close(fd);
      }
    }
    if ((yield* sys.mount('none', '/', '', MS_REC | MS_PRIVATE)) !== 0) throw new Error('make-rprivate failed');
    const pid = yield* sys.fork(function* (): Program {
      if (kind === 'pivot') {
        if ((yield* sys.mount(dir, dir, '', MS_BIND)) !== 0) throw new Error('bind');
        yield* sys.chdir(dir);
        if ((yield* sys.pivotRoot('.', 'old')) !== 0) throw new Error('pivot_root failed');
        if ((yield* sys.umount2('/old', MNT_DETACH)) !== 0) throw new Error('umount old');
      } else if ((yield* sys.chroot(dir)) !== 0) throw new Error(`container ${i}: chroot failed`);
      yield* sys.chdir('/');
      return yield* init(i, { net, mnt });
    });
    if (typeof pid !== 'number') throw new Error(`container ${i}: fork failed`);
    const r = yield* sys.wait4(pid);
    return r instanceof SysError ? 1 : r.status >> 8;
  }

  return function* main(): Program {
    const fd = yield* sys.open(MARKER, O_WRONLY | O_CREAT, 0o644);
    if (typeof fd !== 'number') throw new Error('marker');
    yield* writeAll(fd, MARK);
    yield* sys.close(fd);
    const ctl = yield* sys.open('/sys/fs/cgroup/cgroup.subtree_control', O_WRONLY);
    if (typeof ctl !== 'number' || (yield* writeAll(ctl, '+pids')) instanceof SysError) throw new Error('+pids');
    yield* sys.close(ctl);
    return yield* forkEachAndWait(kinds.length, container);
  };
}

/** What Linux does with each attack, by kind (null: any errno, as long as nothing escapes). */
function expected(o: Outcome): { reachedHost: boolean; result: string | null } {
  switch (o.attack) {
    case 'chroot-fd':
      // The escape works from a chroot, privileged or not; pivot_root leaves nothing above the root.
      return { reachedHost: o.kind !== 'pivot', result: 'ok' };
    case 'setns':
      // Root in the initial user namespace may join any namespace (it is not a boundary); a user namespace's root may not.
      return o.kind === 'userns-chroot' ? { reachedHost: false, result: 'EPERM/EPERM' } : { reachedHost: true, result: 'ok/ok' };
    case 'uid-map':
      // Written once already (userns) or the initial namespace's map: EPERM either way (no /proc: no file).
      return { reachedHost: false, result: o.procCovered ? 'ENOENT' : 'EPERM' };
    case 'raw-socket':
      return { reachedHost: false, result: 'ENETUNREACH' };
    case 'hostname':
    case 'proc-over':
      return { reachedHost: false, result: 'ok' };
    default:
      return { reachedHost: false, result: null };
  }
}

describe('escapes from containers', () => {
  test('property: only the escapes Linux allows work, and the host and the other containers stay untouched', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Kind>('chroot', 'userns-chroot', 'pivot'), { minLength: 1, maxLength: 3 }),
        fc.array(fc.array(fc.constantFrom(...ATTACKS), { minLength: 1, maxLength: 8 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 1, max: 1000 }),
        (kinds, plans, seed) => {
          let kernel: Kernel | null = null;
          const out: Outcome[] = [];
          const probe = hostWith({}, { cpus: 2, seed });
          const hostAddr = /inet (\d+\.\d+\.\d+\.\d+)/.exec(probe.sh('ip -4 addr show eth0').stdout)![1];
          const host = hostWith({ esc: containers(kinds, plans, () => kernel!, hostAddr, out) }, { cpus: 2, seed });
          kernel = host.kernel;
          const k = host.kernel;
          const hostName = host.run(['/usr/bin/hostname']).stdout;
          const r = host.run(['/usr/bin/esc']);
          expect(r.status, k.log.map((l) => l.text).join('\n')).toBe(0);
          expect(out).toHaveLength(kinds.reduce((n, _, i) => n + plans[i].length, 0));
          for (const o of out) {
            const want = expected(o);
            expect(o, JSON.stringify(o)).toEqual({ ...o, reachedHost: want.reachedHost, result: want.result ?? o.result });
          }
          // The host: its name, its /proc, its marker, its cgroup limits.
          expect(host.run(['/usr/bin/hostname']).stdout).toBe(hostName);
          expect(host.sh(`cat ${MARKER}; cat /proc/1/comm; ls /proc | grep -c '^[0-9]'`).stdout).toMatch(/^the host\ninit\n\d+\n$/);
          expect(host.sh('findmnt -n -o FSTYPE /proc').stdout).toBe('proc\n');
          for (let i = 0; i < kinds.length; i++) expect(host.sh(`cat /sys/fs/cgroup/ct${i}/pids.max`).stdout).toBe('50\n');
        },
      ),
      { numRuns: Math.max(25, Math.ceil(fuzzRuns(0) / 100)) },
    );
  });
});
