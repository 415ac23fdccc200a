/**
 * capget(2), capset(2) and the capability options of prctl(2) — ambient capabilities,
 * keep-capabilities, securebits, no_new_privs — and how execve(2) transforms the sets
 * (capabilities(7)). Every expectation was first seen on Linux 6.18 with Python's
 * ctypes (capget/capset/prctl) and /proc/self/status.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Op, Program } from '../../../src/kernel/proc/program.js';
import { CAP_FULL_SET } from '../../../src/kernel/ns/capabilities.js';
import {
  PR_CAP_AMBIENT,
  PR_CAP_AMBIENT_CLEAR_ALL,
  PR_CAP_AMBIENT_IS_SET,
  PR_CAP_AMBIENT_LOWER,
  PR_CAP_AMBIENT_RAISE,
  PR_CAPBSET_DROP,
  PR_GET_KEEPCAPS,
  PR_GET_NO_NEW_PRIVS,
  PR_GET_SECUREBITS,
  PR_SET_KEEPCAPS,
  PR_SET_NO_NEW_PRIVS,
  PR_SET_SECUREBITS,
  SECBIT_KEEP_CAPS_LOCKED,
  SECBIT_NO_CAP_AMBIENT_RAISE,
  SECBIT_NOROOT,
} from '../../../src/kernel/syscalls/abi.js';
import { readFile } from '../../../src/userland/lib/io.js';

type Gen<T> = Generator<Op, T, unknown>;

const e = (r: unknown): unknown => (r instanceof SysError ? r.errno : r);
const hex = (n: bigint): string => n.toString(16);
const bit = (cap: number): bigint => 1n << BigInt(cap);
const ALL = CAP_FULL_SET;
const CAP_NET_BIND_SERVICE = 10;
const CAP_NET_RAW = 13;
const CAP_SETPCAP = 8;
const CAP_SYS_ADMIN = 21;

function must<T>(r: T | SysError): T {
  if (r instanceof SysError) throw new Error(`unexpected ${r.errno}: ${r.message}`);
  return r;
}

/** The lines of /proc/self/status about capabilities and no_new_privs, as "Name value". */
function* capStatus(): Gen<string> {
  const text = must(yield* readFile('/proc/self/status'));
  return text
    .split('\n')
    .filter((l) => /^(Cap(Inh|Prm|Eff|Amb)|NoNewPrivs):/.test(l))
    .map((l) => l.replace(/:\s+/, ' '))
    .join(', ');
}

/**
 * Runs `main` as root on a host that also has /usr/bin/show, a program that records
 * what it runs with (euid, capability lines, keepcaps) — for execve tests.
 */
function run(main: (out: unknown[]) => Program, opts: { uid?: number; gid?: number } = {}): unknown[] {
  const out: unknown[] = [];
  const show = function* (): Program {
    out.push(`exec: euid=${e(yield* sys.geteuid())} keepcaps=${e(yield* sys.prctl(PR_GET_KEEPCAPS))} ${yield* capStatus()}`);
    return 0;
  };
  const h = hostWith({ t: () => main(out), show });
  const r = h.run(['/usr/bin/t'], opts);
  expect(r.status, h.kernel.log.map((l) => l.text).join('\n') + r.stderr).toBe(0);
  return out;
}

/** Forks `body` and waits for it (so each case starts from fresh root credentials). */
function* inChild(body: () => Program): Gen<void> {
  must(yield* sys.fork(body));
  yield* sys.wait4(-1);
}

function* execShow(): Gen<void> {
  const r = yield* sys.execve('/usr/bin/show', ['show'], []);
  throw new Error(`execve failed: ${e(r)}`);
}

describe('capget(2) and capset(2)', () => {
  test('capget reads any process; bad pids are ESRCH and EINVAL', () => {
    const out = run(function* (o) {
      const me = must(yield* sys.capget());
      o.push(me.effective === ALL, me.permitted === ALL, me.inheritable);
      const init = must(yield* sys.capget(1));
      o.push(init.permitted === ALL);
      o.push(e(yield* sys.capget(99999)), e(yield* sys.capget(-1)));
      return 0;
    });
    expect(out).toEqual([true, true, 0n, true, 'ESRCH', 'EINVAL']);
  });

  test('capset: only the caller; the rules on permitted, effective and inheritable; ambient follows', () => {
    const out = run(function* (o) {
      const pid = must(yield* sys.getpid());
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: 0n }, 1)));
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: 0n }, pid)));
      // Bits beyond CAP_LAST_CAP are dropped silently.
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL | bit(50), inheritable: 0n })), hex(must(yield* sys.capget()).permitted));
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL & ~1n, inheritable: 0n })));
      // The inheritable set cannot go outside the bounding set, even with CAP_SETPCAP.
      must(yield* sys.prctl(PR_CAPBSET_DROP, 5));
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: bit(5) })));
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: bit(6) })));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, 6)), yield* capStatus());
      // Lowering the inheritable set takes the capability out of the ambient set.
      o.push(e(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: 0n })), e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 6)));
      // Without CAP_SETPCAP (dropped from permitted) the inheritable set stays within inheritable ∪ permitted.
      const noSetpcap = ALL & ~bit(CAP_SETPCAP);
      o.push(e(yield* sys.capset({ effective: 0n, permitted: noSetpcap, inheritable: 0n })));
      o.push(e(yield* sys.capset({ effective: 0n, permitted: noSetpcap, inheritable: bit(CAP_SETPCAP) })));
      o.push(e(yield* sys.capset({ effective: 0n, permitted: noSetpcap, inheritable: bit(1) })));
      o.push(e(yield* sys.capset({ effective: 0n, permitted: ALL, inheritable: bit(1) })));
      return 0;
    });
    expect(out).toEqual([
      'EPERM',
      0,
      0, hex(ALL),
      'EPERM',
      'EPERM',
      0,
      0, `CapInh 0000000000000040, CapPrm 000001ffffffffff, CapEff 000001ffffffffff, CapAmb 0000000000000040, NoNewPrivs 0`,
      0, 0,
      0,
      'EPERM',
      0,
      'EPERM',
    ]);
  });
});

describe('prctl(2) capability options', () => {
  test('PR_CAP_AMBIENT: raise needs permitted and inheritable; is-set, lower, clear-all; bad arguments are EINVAL', () => {
    const out = run(function* (o) {
      must(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: bit(CAP_NET_RAW) }));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 99)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, 9, 1)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 1)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW, 1)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, CAP_NET_RAW)), e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW)));
      must(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL)), e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_NET_RAW)));
      // SECBIT_NO_CAP_AMBIENT_RAISE forbids raising.
      o.push(e(yield* sys.prctl(PR_SET_SECUREBITS, SECBIT_NO_CAP_AMBIENT_RAISE)));
      o.push(e(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW)));
      return 0;
    });
    expect(out).toEqual(['EPERM', 0, 1, 'EINVAL', 'EINVAL', 'EINVAL', 'EINVAL', 0, 0, 0, 0, 0, 'EPERM']);
  });

  test('PR_SET_NO_NEW_PRIVS: arg2 must be 1 and the rest 0; it cannot be unset; /proc shows it; fork and execve keep it', () => {
    const out = run(function* (o) {
      o.push(e(yield* sys.prctl(PR_GET_NO_NEW_PRIVS)));
      o.push(e(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 0)), e(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 2)), e(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 1, 1)));
      o.push(e(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 1)), e(yield* sys.prctl(PR_GET_NO_NEW_PRIVS)), e(yield* sys.prctl(PR_GET_NO_NEW_PRIVS, 1)));
      const status = must(yield* readFile('/proc/self/status'));
      o.push(/CapAmb:\t0{16}\nNoNewPrivs:\t1\nSeccomp:\t0\n/.test(status));
      yield* inChild(function* () {
        o.push(`child ${e(yield* sys.prctl(PR_GET_NO_NEW_PRIVS))}`);
        yield* execShow();
        return 0;
      });
      return 0;
    });
    expect(out).toEqual([
      0,
      'EINVAL', 'EINVAL', 'EINVAL',
      0, 1, 'EINVAL',
      true,
      'child 1',
      'exec: euid=0 keepcaps=0 CapInh 0000000000000000, CapPrm 000001ffffffffff, CapEff 000001ffffffffff, CapAmb 0000000000000000, NoNewPrivs 1',
    ]);
  });

  test('PR_SET_KEEPCAPS: setuid away from root keeps permitted and clears effective; fork keeps the flag, execve clears it', () => {
    const out = run(function* (o) {
      o.push(e(yield* sys.prctl(PR_GET_KEEPCAPS)), e(yield* sys.prctl(PR_SET_KEEPCAPS, 2)));
      yield* inChild(function* () {
        must(yield* sys.setuid(1000));
        o.push(`no keepcaps: ${yield* capStatus()}`);
        return 0;
      });
      o.push(e(yield* sys.prctl(PR_SET_KEEPCAPS, 1)), e(yield* sys.prctl(PR_GET_KEEPCAPS)), e(yield* sys.prctl(PR_GET_SECUREBITS)));
      yield* inChild(function* () {
        must(yield* sys.setuid(1000));
        o.push(`keepcaps: ${yield* capStatus()} flag=${e(yield* sys.prctl(PR_GET_KEEPCAPS))}`);
        yield* execShow();
        return 0;
      });
      return 0;
    });
    expect(out).toEqual([
      0, 'EINVAL',
      'no keepcaps: CapInh 0000000000000000, CapPrm 0000000000000000, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0',
      0, 1, 16,
      'keepcaps: CapInh 0000000000000000, CapPrm 000001ffffffffff, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0 flag=1',
      'exec: euid=1000 keepcaps=0 CapInh 0000000000000000, CapPrm 0000000000000000, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0',
    ]);
  });

  test('securebits: CAP_SETPCAP is needed, locks cannot be released and lock their flag; setuid drops ambient even with keepcaps', () => {
    const out = run(function* (o) {
      o.push(e(yield* sys.prctl(PR_SET_SECUREBITS, 1 << 12)));
      o.push(e(yield* sys.prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED)));
      o.push(e(yield* sys.prctl(PR_SET_KEEPCAPS, 1)), e(yield* sys.prctl(PR_SET_SECUREBITS, 0)));
      must(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: bit(CAP_NET_RAW) }));
      must(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
      must(yield* sys.setresuid(1000, 1000, 1000));
      o.push(yield* capStatus());
      o.push(e(yield* sys.prctl(PR_SET_SECUREBITS, SECBIT_KEEP_CAPS_LOCKED)), e(yield* sys.prctl(PR_CAPBSET_DROP, 99)));
      return 0;
    });
    expect(out).toEqual([
      'EPERM',
      0,
      'EPERM', 'EPERM',
      'CapInh 0000000000002000, CapPrm 0000000000000000, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0',
      'EPERM', 'EPERM',
    ]);
  });
});

describe('execve(2) capability transformation (capabilities(7))', () => {
  test('ambient capabilities carry a non-root program: P\' = E\' = A; a set-user-ID root program makes root and clears the ambient set', () => {
    const out = run(function* () {
      const dropToAmbient = function* (): Program {
        must(yield* sys.prctl(PR_SET_KEEPCAPS, 1));
        must(yield* sys.setresuid(1000, 1000, 1000));
        const net = bit(CAP_NET_RAW) | bit(CAP_NET_BIND_SERVICE);
        must(yield* sys.capset({ effective: net, permitted: must(yield* sys.capget()).permitted, inheritable: net }));
        must(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
        must(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_BIND_SERVICE));
        yield* execShow();
        return 0;
      };
      yield* inChild(dropToAmbient);
      must(yield* sys.chmod('/usr/bin/show', 0o4755));
      yield* inChild(dropToAmbient);
      return 0;
    });
    expect(out).toEqual([
      'exec: euid=1000 keepcaps=0 CapInh 0000000000002400, CapPrm 0000000000002400, CapEff 0000000000002400, CapAmb 0000000000002400, NoNewPrivs 0',
      'exec: euid=0 keepcaps=0 CapInh 0000000000002400, CapPrm 000001ffffffffff, CapEff 000001ffffffffff, CapAmb 0000000000000000, NoNewPrivs 0',
    ]);
  });

  test('a set-user-ID program clears the ambient set; an effective UID that already differs from the real one does not', () => {
    const out = run(function* () {
      must(yield* sys.capset({ effective: ALL, permitted: ALL, inheritable: bit(CAP_NET_RAW) }));
      must(yield* sys.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW));
      yield* inChild(function* () {
        // uid 0, euid 1000: root by the real UID only — permitted from the bounding set, effective only ambient.
        must(yield* sys.setresuid(0, 1000, 0));
        yield* execShow();
        return 0;
      });
      // chown clears set-user-ID bits, so the mode comes second.
      must(yield* sys.chown('/usr/bin/show', 1000, 0));
      must(yield* sys.chmod('/usr/bin/show', 0o4755));
      yield* inChild(function* () {
        yield* execShow();
        return 0;
      });
      return 0;
    });
    expect(out).toEqual([
      'exec: euid=1000 keepcaps=0 CapInh 0000000000002000, CapPrm 000001ffffffffff, CapEff 0000000000002000, CapAmb 0000000000002000, NoNewPrivs 0',
      'exec: euid=1000 keepcaps=0 CapInh 0000000000002000, CapPrm 000001ffffffffff, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0',
    ]);
  });

  test('no_new_privs: set-user-ID bits are ignored and root cannot regain permitted capabilities it dropped', () => {
    const out = run(function* () {
      must(yield* sys.chmod('/usr/bin/show', 0o4755));
      yield* inChild(function* () {
        must(yield* sys.setresuid(1000, 1000, 1000));
        yield* inChild(execShow);
        must(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 1));
        yield* inChild(execShow);
        return 0;
      });
      const noAdmin = ALL & ~bit(CAP_SYS_ADMIN);
      must(yield* sys.capset({ effective: noAdmin, permitted: noAdmin, inheritable: 0n }));
      yield* inChild(execShow);
      must(yield* sys.prctl(PR_SET_NO_NEW_PRIVS, 1));
      yield* inChild(execShow);
      return 0;
    });
    expect(out).toEqual([
      'exec: euid=0 keepcaps=0 CapInh 0000000000000000, CapPrm 000001ffffffffff, CapEff 000001ffffffffff, CapAmb 0000000000000000, NoNewPrivs 0',
      'exec: euid=1000 keepcaps=0 CapInh 0000000000000000, CapPrm 0000000000000000, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 1',
      'exec: euid=0 keepcaps=0 CapInh 0000000000000000, CapPrm 000001ffffffffff, CapEff 000001ffffffffff, CapAmb 0000000000000000, NoNewPrivs 0',
      'exec: euid=0 keepcaps=0 CapInh 0000000000000000, CapPrm 000001ffffdfffff, CapEff 000001ffffdfffff, CapAmb 0000000000000000, NoNewPrivs 1',
    ]);
  });

  test('SECBIT_NOROOT: root gets no capabilities from execve', () => {
    const out = run(function* () {
      must(yield* sys.prctl(PR_SET_SECUREBITS, SECBIT_NOROOT));
      yield* inChild(execShow);
      return 0;
    });
    expect(out).toEqual(['exec: euid=0 keepcaps=0 CapInh 0000000000000000, CapPrm 0000000000000000, CapEff 0000000000000000, CapAmb 0000000000000000, NoNewPrivs 0']);
  });
});
