/**
 * The network stack end to end through its system calls: rtnetlink requests make
 * devices, addresses and routes; a raw ICMP socket pings across a veth pair
 * between two network namespaces; ARP, counters and timing follow.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { rtnl } from '../../../src/userland/lib/rtnl.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Op } from '../../../src/kernel/proc/program.js';
import { CLONE_NEWNET } from '../../../src/kernel/syscalls/abi.js';
import { AF_INET, SOCK_RAW } from '../../../src/kernel/net/sockets.js';
import { IPPROTO_ICMP, ICMP_ECHO, ICMP_ECHOREPLY, type IpPacket } from '../../../src/kernel/net/packet.js';
import { parseIpv4 } from '../../../src/kernel/net/inet.js';
import type { RtnlReply, RtnlRequest } from '../../../src/kernel/net/rtnl-abi.js';
import { SOL_SOCKET, SO_RCVTIMEO } from '../../../src/kernel/syscalls/sys-net.js';

function* must(req: RtnlRequest): Generator<Op, RtnlReply, unknown> {
  const r = yield* rtnl(req);
  if (r instanceof SysError) throw new Error(`${req.op}: ${r.errno}`);
  if (!r.ok) throw new Error(`${req.op}: ${r.errno} ${r.extack ?? ''}`);
  return r;
}

/** Sends one echo request and waits up to 1 s for the reply; returns the rtt in ns or an error word. */
function* ping(dst: string, seq: number): Generator<Op, string | number, unknown> {
  const fd = yield* sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  if (fd instanceof SysError) return fd.errno;
  yield* sys.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, 1_000_000);
  const t0 = (yield* sys.clockGettime(1)) as number;
  const s = yield* sys.sendto(fd, { type: ICMP_ECHO, code: 0, id: 7, seq, dataLen: 56 }, 0, { family: AF_INET, addr: parseIpv4(dst)!, port: 0 });
  if (s instanceof SysError) return s.errno;
  for (;;) {
    const r = yield* sys.recvfrom<IpPacket>(fd, 65536);
    if (r instanceof SysError) return r.errno;
    const icmp = r.data.icmp!;
    if (icmp.type === ICMP_ECHOREPLY && icmp.id === 7 && icmp.seq === seq) {
      const t1 = (yield* sys.clockGettime(1)) as number;
      yield* sys.close(fd);
      return t1 - t0;
    }
  }
}

describe('two network namespaces joined by a veth pair', () => {
  test('ping crosses the pair, ARP resolves, counters count', () => {
    const out: (string | number)[] = [];
    const h = hostWith({
      t: function* () {
        const child = yield* sys.fork(function* () {
          yield* sys.unshare(CLONE_NEWNET);
          yield* sys.nanosleep(10_000_000);
          yield* must({ op: 'setlink', dev: 'lo', up: true });
          yield* must({ op: 'newaddr', dev: 'v1', local: '10.0.0.2', prefixlen: 24 });
          yield* must({ op: 'setlink', dev: 'v1', up: true });
          yield* sys.nanosleep(5_000_000_000);
          return 0;
        });
        if (child instanceof SysError) throw child;
        yield* sys.nanosleep(1_000_000);
        yield* must({ op: 'newlink', name: 'v0', kind: 'veth', peer: { name: 'v1', netnsPid: child } });
        yield* must({ op: 'newaddr', dev: 'v0', local: '10.0.0.1', prefixlen: 24 });
        yield* must({ op: 'setlink', dev: 'v0', up: true });
        yield* sys.nanosleep(20_000_000);
        out.push(yield* ping('10.0.0.2', 1));
        out.push(yield* ping('10.0.0.2', 2));
        // Without the default route (through eth0 to the outside router) 10.9.9.9 has no route.
        yield* must({ op: 'delroute', dst: '0.0.0.0', len: 0 });
        out.push(yield* ping('10.9.9.9', 3));
        const links = yield* must({ op: 'getlink', dev: 'v0' });
        const l = links.ok ? links.links![0] : null;
        out.push(`${l?.name} link=${l?.link} nsid=${l?.linkNetnsid} tx=${l?.stats.tx_packets} rx=${l?.stats.rx_packets} ${l?.operstate}`);
        const n = yield* must({ op: 'getneigh' });
        if (n.ok) for (const e of n.neigh!) out.push(`${e.dst} ${e.lladdr} ${e.state}`);
        yield* sys.wait4(-1);
        return 0;
      },
    });
    const r = h.run(['/usr/bin/t']);
    expect(r.status, h.kernel.log.map((x) => x.text).join('\n') + r.stderr).toBe(0);
    const [rtt1, rtt2, unreach, link, ...neigh] = out;
    expect(typeof rtt1).toBe('number');
    expect(typeof rtt2).toBe('number');
    // The first ping waits for ARP; the second does not.
    expect(rtt1 as number).toBeGreaterThan(rtt2 as number);
    expect(unreach).toBe('ENETUNREACH');
    expect(link).toMatch(/^v0 link=2 nsid=0 tx=3 rx=3 UP$/);
    expect(neigh).toEqual([expect.stringMatching(/^10\.0\.0\.2 [0-9a-f:]{17} REACHABLE$/)]);
  });
});

describe('physical devices and namespaces', () => {
  test('NET-09: a physical NIC in a namespace that dies returns to the initial namespace (down, without addresses)', () => {
    // network_namespaces(7): "When a network namespace is freed … physical network
    // devices are moved back to the initial network namespace (not to the parent)".
    const h = hostWith({});
    const r = h.sh(`unshare -n sleep 1 &
sleep 0.1
ip link set eth0 netns $!
ip -br link | cut -c1-17
wait
ip -br link | sed 's/ *$//'
ip -br addr show eth0 | sed 's/ *$//'`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      'lo               \n' +
        'lo               UNKNOWN        00:00:00:00:00:00 <LOOPBACK,UP,LOWER_UP>\neth0             DOWN           52:54:00:12:34:56 <BROADCAST,MULTICAST>\n' +
        'eth0             DOWN\n',
    );
  });
});
