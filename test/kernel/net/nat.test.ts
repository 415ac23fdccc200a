/**
 * NAT end to end on the simulated host: a namespace behind a bridge reaches the
 * outside only through MASQUERADE, and a DNAT rule publishes a server inside it,
 * seen from the outside through the remote host's /probe page.
 */
import { describe, expect, test } from 'vitest';
import { hostWith } from '../../helpers/programs.js';
import * as sys from '../../../src/userland/lib/sys.js';
import { SysError } from '../../../src/kernel/errno.js';
import type { Program, ProgramArgs } from '../../../src/kernel/proc/program.js';
import { AF_INET, SOCK_STREAM } from '../../../src/kernel/net/sockets.js';
import { parseIpv4 } from '../../../src/kernel/net/inet.js';
import { out } from '../../../src/userland/lib/io.js';

/** srv PORT TEXT: answers one HTTP request per connection with TEXT, forever. */
function* srv({ argv }: ProgramArgs): Program {
  const s = yield* sys.socket(AF_INET, SOCK_STREAM);
  if (s instanceof SysError) return 1;
  if ((yield* sys.bind(s, { family: AF_INET, addr: 0, port: Number(argv[1]) })) instanceof SysError) return 2;
  yield* sys.listen(s, 16);
  for (;;) {
    const c = yield* sys.accept(s);
    if (c instanceof SysError) return 3;
    yield* sys.read(c.fd, 4096);
    yield* sys.write(c.fd, `HTTP/1.0 200 OK\r\nContent-Length: ${argv[2].length + 1}\r\n\r\n${argv[2]}\n`);
    yield* sys.close(c.fd);
  }
}

/** get ADDR PORT PATH: one HTTP/1.0 request, prints the body (or the errno). */
function* get({ argv }: ProgramArgs): Program {
  const s = yield* sys.socket(AF_INET, SOCK_STREAM);
  if (s instanceof SysError) return 1;
  const c = yield* sys.connect(s, { family: AF_INET, addr: parseIpv4(argv[1])!, port: Number(argv[2]) });
  if (c instanceof SysError) {
    yield* out(`${c.errno}\n`);
    return 1;
  }
  yield* sys.write(s, `GET ${argv[3]} HTTP/1.0\r\n\r\n`);
  let resp = '';
  for (;;) {
    const d = yield* sys.read(s, 65536);
    if (d instanceof SysError || d === '') break;
    resp += d;
  }
  yield* out(resp.slice(resp.indexOf('\r\n\r\n') + 4));
  return 0;
}

const SETUP = `
ip netns add c1
ip link add veth0 type veth peer name ceth0 netns c1
ip link add br0 type bridge
ip link set br0 up
ip link set veth0 master br0
ip link set veth0 up
ip addr add 172.18.0.1/16 dev br0
ip netns exec c1 ip link set lo up
ip netns exec c1 ip link set ceth0 up
ip netns exec c1 ip addr add 172.18.0.10/16 dev ceth0
ip netns exec c1 ip route add default via 172.18.0.1
echo 1 > /proc/sys/net/ipv4/ip_forward
`;

function run(script: string): string {
  const h = hostWith({ srv: srv as unknown as (a: ProgramArgs) => Program, get: get as unknown as (a: ProgramArgs) => Program });
  const r = h.sh(SETUP + script);
  expect(r.stderr, r.stdout).toBe('');
  return r.stdout;
}

describe('NAT', () => {
  test('a published port (DNAT) is reachable from the outside; without the rule it is not', () => {
    const o = run(`
ip netns exec c1 srv 80 hello-from-inside &
sleep 0.1
get 203.0.113.10 80 '/probe?host=192.168.1.10&port=8080&path=/'
iptables -t nat -A PREROUTING -d 192.168.1.10 -p tcp --dport 8080 -j DNAT --to-destination 172.18.0.10:80
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
get 203.0.113.10 80 '/probe?host=192.168.1.10&port=8080&path=/'
conntrack -L -p tcp 2>/dev/null | grep -c 'dport=8080 src=172.18.0.10'
kill $!
`);
    // The probe page returns the inner response whole, status line and headers included.
    expect(o).toBe('probe failed: ECONNREFUSED\nHTTP/1.0 200 OK\r\nContent-Length: 18\r\n\r\nhello-from-inside\n1\n');
  });

  test('the container reaches the outside web server only with MASQUERADE', () => {
    const o = run(`
ip netns exec c1 get 203.0.113.10 80 / &
sleep 4
kill $! 2>/dev/null
iptables -t nat -A POSTROUTING -s 172.18.0.0/16 ! -o br0 -j MASQUERADE
ip netns exec c1 get 203.0.113.10 80 / | grep -o 'Hello from outside'
`);
    expect(o).toBe('Hello from outside\n');
  });
});
