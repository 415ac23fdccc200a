/**
 * TCP through the socket calls: handshake, a request and a reply, orderly close,
 * the errors connect(2) and bind(2) return, and ports per network namespace (NET-06).
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { rtnl } from '../../../src/userland/lib/rtnl.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Op, Program } from '../../../src/kernel/proc/program.js';
import { AF_INET, SOCK_DGRAM, SOCK_STREAM } from '../../../src/kernel/net/sockets.js';
import { SOL_SOCKET, SO_REUSEADDR } from '../../../src/kernel/syscalls/sys-net.js';
import { parseIpv4 } from '../../../src/kernel/net/inet.js';
import { CLONE_NEWNET } from '../../../src/kernel/syscalls/abi.js';

const LO = parseIpv4('127.0.0.1')!;
const e = (r: unknown): string => (r instanceof SysError ? r.errno : 'ok');

function run(main: (out: string[]) => Program): string[] {
  const out: string[] = [];
  const h = hostWith({ t: () => main(out) });
  const r = h.run(['/usr/bin/t']);
  expect(r.status, h.kernel.log.map((l) => l.text).join('\n') + r.stderr).toBe(0);
  return out;
}

function* listener(port: number, backlog = 5): Generator<Op, number, unknown> {
  const s = yield* sys.socket(AF_INET, SOCK_STREAM);
  if (s instanceof SysError) throw s;
  const b = yield* sys.bind(s, { family: AF_INET, addr: LO, port });
  if (b instanceof SysError) throw b;
  yield* sys.listen(s, backlog);
  return s;
}

function* readAll(fd: number): Generator<Op, string, unknown> {
  let out = '';
  for (;;) {
    const d = yield* sys.read(fd, 65536);
    if (d instanceof SysError) return `${out}<${d.errno}>`;
    if (d === '') return out;
    out += d;
  }
}

describe('TCP', () => {
  test('a client and a server exchange data and close in order', () => {
    const out = run(function* (o) {
      const l = yield* listener(8080);
      const pid = yield* sys.fork(function* () {
        const c = yield* sys.accept(l);
        if (c instanceof SysError) return 1;
        const req = yield* sys.read(c.fd, 100);
        yield* sys.write(c.fd, `echo:${req}`);
        yield* sys.close(c.fd);
        return 0;
      });
      if (pid instanceof SysError) throw pid;
      const s = yield* sys.socket(AF_INET, SOCK_STREAM);
      if (s instanceof SysError) throw s;
      o.push(e(yield* sys.connect(s, { family: AF_INET, addr: LO, port: 8080 })));
      const me = yield* sys.getsockname(s);
      o.push(me instanceof SysError ? me.errno : `${me.port >= 32768 && me.port <= 60999}`);
      yield* sys.write(s, 'hello');
      o.push(yield* readAll(s));
      yield* sys.close(s);
      yield* sys.wait4(pid);
      return 0;
    });
    expect(out).toEqual(['ok', 'true', 'echo:hello']);
  });

  test('big writes are segmented and all arrive', () => {
    const big = 'x'.repeat(300_000);
    const out = run(function* (o) {
      const l = yield* listener(9000);
      const pid = yield* sys.fork(function* () {
        const c = yield* sys.accept(l);
        if (c instanceof SysError) return 1;
        yield* sys.write(c.fd, big);
        yield* sys.close(c.fd);
        return 0;
      });
      if (pid instanceof SysError) throw pid;
      const s = yield* sys.socket(AF_INET, SOCK_STREAM);
      if (s instanceof SysError) throw s;
      yield* sys.connect(s, { family: AF_INET, addr: LO, port: 9000 });
      o.push(String((yield* readAll(s)).length));
      yield* sys.wait4(pid);
      return 0;
    });
    expect(out).toEqual(['300000']);
  });

  test('ECONNREFUSED, EADDRINUSE, ENETUNREACH', () => {
    const out = run(function* (o) {
      const s = yield* sys.socket(AF_INET, SOCK_STREAM);
      if (s instanceof SysError) throw s;
      o.push(e(yield* sys.connect(s, { family: AF_INET, addr: LO, port: 1 })));
      yield* listener(7000);
      const t = yield* sys.socket(AF_INET, SOCK_STREAM);
      if (t instanceof SysError) throw t;
      o.push(e(yield* sys.bind(t, { family: AF_INET, addr: LO, port: 7000 })));
      const u = yield* sys.socket(AF_INET, SOCK_STREAM);
      if (u instanceof SysError) throw u;
      o.push(e(yield* sys.connect(u, { family: AF_INET, addr: parseIpv4('10.1.2.3')!, port: 80 })));
      return 0;
    });
    expect(out).toEqual(['ECONNREFUSED', 'EADDRINUSE', 'ENETUNREACH']);
  });

  test('UDP: a second bind of a port is EADDRINUSE unless both sockets set SO_REUSEADDR', () => {
    const out = run(function* (o) {
      const udp = function* (reuse: boolean): Generator<Op, string, unknown> {
        const s = yield* sys.socket(AF_INET, SOCK_DGRAM);
        if (s instanceof SysError) return s.errno;
        if (reuse) yield* sys.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1);
        return e(yield* sys.bind(s, { family: AF_INET, addr: LO, port: 5353 }));
      };
      o.push(yield* udp(false), yield* udp(false), yield* udp(true));
      return 0;
    });
    expect(out).toEqual(['ok', 'EADDRINUSE', 'EADDRINUSE']);
    const both = run(function* (o) {
      for (let i = 0; i < 2; i++) {
        const s = yield* sys.socket(AF_INET, SOCK_DGRAM);
        if (s instanceof SysError) throw s;
        yield* sys.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1);
        o.push(e(yield* sys.bind(s, { family: AF_INET, addr: LO, port: 5353 })));
      }
      return 0;
    });
    expect(both).toEqual(['ok', 'ok']);
  });

  test('NET-06: the same address and port can be bound in two network namespaces', () => {
    const out = run(function* (o) {
      yield* listener(8080);
      const pid = yield* sys.fork(function* () {
        yield* sys.unshare(CLONE_NEWNET);
        yield* rtnl({ op: 'setlink', dev: 'lo', up: true });
        const s = yield* sys.socket(AF_INET, SOCK_STREAM);
        if (s instanceof SysError) return 1;
        const b = yield* sys.bind(s, { family: AF_INET, addr: LO, port: 8080 });
        return b instanceof SysError ? 2 : 0;
      });
      if (pid instanceof SysError) throw pid;
      const w = yield* sys.wait4(pid);
      o.push(w instanceof SysError ? w.errno : String(w.status >> 8));
      return 0;
    });
    expect(out).toEqual(['0']);
  });

  test('a new SYN reopens a pair the server holds in TIME_WAIT (RFC 1122 4.2.2.13, tcp_timewait_state_process)', () => {
    const out = run(function* (o) {
      const l = yield* listener(8080);
      yield* sys.setsockopt(l, SOL_SOCKET, SO_REUSEADDR, 1);
      const pid = yield* sys.fork(function* () {
        // The server answers and closes first: its side of each pair waits in TIME_WAIT.
        for (let i = 0; i < 2; i++) {
          const c = yield* sys.accept(l);
          if (c instanceof SysError) return 1;
          yield* sys.write(c.fd, `hello ${i}`);
          yield* sys.close(c.fd);
        }
        return 0;
      });
      if (pid instanceof SysError) throw pid;
      const t0 = yield* sys.clockGettime(1);
      for (let i = 0; i < 2; i++) {
        // The same source port both times.
        const s = yield* sys.socket(AF_INET, SOCK_STREAM);
        if (s instanceof SysError) throw s;
        yield* sys.setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1);
        o.push(e(yield* sys.bind(s, { family: AF_INET, addr: LO, port: 40000 })));
        o.push(e(yield* sys.connect(s, { family: AF_INET, addr: LO, port: 8080 })));
        o.push(yield* readAll(s));
        yield* sys.close(s);
      }
      const t1 = yield* sys.clockGettime(1);
      // Without reopening, the second SYN would be dropped until TIME_WAIT ends (60 s).
      o.push(String((t1 as number) - (t0 as number) < 1e9));
      return 0;
    });
    expect(out).toEqual(['ok', 'ok', 'hello 0', 'ok', 'ok', 'hello 1', 'true']);
  });
});
