/**
 * The world outside the simulated host, and the host's physical NIC cabled to it.
 *
 *   host eth0 192.168.1.10/24 ──cable── lan0 192.168.1.1  router  wan0 203.0.113.1 ──cable (5 ms)── eth0 remote
 *                                         (forwards; knows only its two networks)          203.0.113.10 www.example.com
 *                                                                                           203.0.113.20 mirror.example.com
 *
 * The router and the remote host are network namespaces of the same stack that no
 * process can enter, so their packets are counted, traced and timed like any
 * other. The router knows no route to the host's private container networks: a
 * container reaches the outside only when the host masquerades it (the point of
 * the classic walkthrough). The remote host answers ping (the kernel does), UDP
 * echo on port 7 and HTTP/1.0 on port 80 with small kernel-side services; its
 * /probe?host=A&port=P&path=/X page fetches a URL from the outside, which is how a
 * user sees a port the host publishes with DNAT.
 *
 * Simplification: one remote host with several addresses stands for "the
 * Internet"; the 5 ms one-way delay of its cable is a design choice giving a
 * ~10 ms round trip; there is no DNS (names come from the host's /etc/hosts).
 */
import type { Kernel } from '../kernel.js';
import { NetNamespace } from '../ns/net-ns.js';
import type { NetStack } from './stack.js';
import { EtherDevice } from './netdev.js';
import { parseIpv4, broadcastOf } from './inet.js';
import { RT_TABLE_MAIN } from './route.js';
import { AF_INET, InetSock, SOCK_DGRAM } from './sockets.js';
import { TcpSock, tcpClose, tcpConnect, tcpListen, tcpSend, tcpShutdownWrite } from './tcp.js';
import { IPPROTO_UDP } from './packet.js';
import { ipSend, DEFAULT_TTL } from './ipv4.js';

/** The addresses of the outside network (documentation prefixes of RFC 5737 for the remote side). */
export const OUTSIDE = {
  hostMac: '52:54:00:12:34:56',
  hostAddr: '192.168.1.10',
  lanPrefix: 24,
  router: '192.168.1.1',
  routerLanMac: '52:54:00:ab:cd:01',
  routerWan: '203.0.113.1',
  routerWanMac: '52:54:00:ab:cd:02',
  remoteMac: '52:54:00:ab:cd:10',
  remotes: [
    { addr: '203.0.113.10', name: 'www.example.com' },
    { addr: '203.0.113.20', name: 'mirror.example.com' },
  ],
  wanPrefix: 24,
  /** Extra one-way delay of the router–remote cable ("the Internet"). */
  wanDelayNs: 5_000_000,
} as const;

/** The body the remote web server sends for any path but /missing. */
export function remotePage(host: string): string {
  return `<html><body><h1>${host}</h1><p>Hello from outside the simulated host.</p></body></html>\n`;
}

/** Joins two physical NICs by a cable with an extra delay (they may belong to different machines of one simulation). */
export function cable(a: EtherDevice, b: EtherDevice, delayNs = 0): void {
  if (a.cable || b.cable) throw new Error(`cable: ${a.cable ? a.name : b.name} is cabled already (unplug it first)`);
  a.cable = b;
  b.cable = a;
  a.cableDelayNs = delayNs;
  b.cableDelayNs = delayNs;
  a.netns.stack.carrierChanged(a);
  b.netns.stack.carrierChanged(b);
}

/** Pulls the cable out of `a` (and its far end): both lose their carrier. */
export function unplug(a: EtherDevice): void {
  const b = a.cable as EtherDevice | null;
  a.cable = null;
  a.netns.stack.carrierChanged(a);
  if (b && b.cable === a) {
    b.cable = null;
    b.netns.stack.carrierChanged(b);
  }
}

/**
 * The burnt-in address of physical NIC `i` (eth1, eth2, …) of machine `name`: QEMU's
 * OUI and the host's eth0 pattern, the middle bytes a hash of the name so that the
 * machines of one simulation differ (12:34 for "host").
 */
export function physicalNicMac(name: string, i: number): string {
  let h = 0x811c9dc5;
  for (const c of name) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  const mid = name === 'host' ? [0x12, 0x34] : [(h >>> 8) & 255, h & 255];
  return ['52', '54', '00', ...mid.map((b) => b.toString(16).padStart(2, '0')), (0x56 + i).toString(16)].join(':');
}

function addr(stack: NetStack, dev: EtherDevice, text: string, len: number): void {
  const a = parseIpv4(text)!;
  stack.addAddr(dev, { local: a, prefixlen: len, broadcast: broadcastOf(a, len), scope: 'global', label: dev.name, secondary: false });
}

/**
 * Builds the outside network and the host's eth0 (up, addressed, with a default
 * route through the router, as a configured Debian host has it), and the host's other
 * physical NICs, down and uncabled (`Host.plug` cables them to another host).
 */
export function buildOutside(k: Kernel, extraNics = 0): void {
  const stack = k.net;
  stack.quiet = true;
  const host = k.initNsproxy.net;
  const mkNs = (inum: number): NetNamespace => {
    // Namespaces no process is in and no /proc link names; their inode numbers are
    // never shown, so they take none from the kernel's counter.
    const ns = new NetNamespace(inum, k.initUserNs, stack);
    ns.refs++;
    stack.setUp(ns.lo, true);
    return ns;
  };
  const router = mkNs(1);
  router.outsideLabel = `the outside router (${OUTSIDE.router}, not part of this host)`;
  const remote = mkNs(2);
  remote.outsideLabel = `the remote host (${OUTSIDE.remotes.map((r) => r.name).join(', ')}; outside, not part of this host)`;
  router.ipForward = true;

  const eth0 = stack.createEther(host, 'eth0', OUTSIDE.hostMac);
  const lan0 = stack.createEther(router, 'lan0', OUTSIDE.routerLanMac);
  const wan0 = stack.createEther(router, 'wan0', OUTSIDE.routerWanMac);
  const reth = stack.createEther(remote, 'eth0', OUTSIDE.remoteMac);
  cable(eth0, lan0);
  cable(wan0, reth, OUTSIDE.wanDelayNs);
  for (const d of [lan0, wan0, reth, eth0]) stack.setUp(d, true);
  addr(stack, eth0, OUTSIDE.hostAddr, OUTSIDE.lanPrefix);
  addr(stack, lan0, OUTSIDE.router, OUTSIDE.lanPrefix);
  addr(stack, wan0, OUTSIDE.routerWan, OUTSIDE.wanPrefix);
  for (const r of OUTSIDE.remotes) addr(stack, reth, r.addr, OUTSIDE.wanPrefix);
  const gw = (ns: NetNamespace, via: string, dev: EtherDevice): void => {
    ns.fib.add({ table: RT_TABLE_MAIN, type: 'unicast', dst: 0, len: 0, gw: parseIpv4(via), dev, proto: 'boot', scope: 'global', prefsrc: null, metric: 0 });
  };
  gw(host, OUTSIDE.router, eth0);
  gw(remote, OUTSIDE.routerWan, reth);
  startServices(stack, remote);
  eth0.sriovCapable = true;
  for (let i = 1; i <= extraNics; i++) stack.createEther(host, `eth${i}`, physicalNicMac(k.machine.name, i)).sriovCapable = true;
  stack.quiet = false;
}

/**
 * The remote host fetching http://HOST:PORT/PATH itself, for /probe — a port checker
 * on the Internet, the way to see a published (DNAT) port from outside. Answers
 * with the response, or "probe failed: ERRNO" (3 s limit).
 */
function outsideFetch(stack: NetStack, ns: NetNamespace, host: string, port: number, path: string, done: (text: string) => void): void {
  const s = new TcpSock(ns);
  let finished = false;
  const finish = (text: string): void => {
    if (finished) return;
    finished = true;
    timer.cancel();
    s.onReadable = null;
    done(text);
  };
  const timer = stack.later(stack.k.now + 3_000_000_000, () => {
    finish('probe failed: ETIMEDOUT\n');
    tcpClose(stack, s, stack.k.now);
  });
  let got = '';
  let sent = false;
  s.orphan = true;
  s.onReadable = () => {
    if (s.err) return finish(`probe failed: ${s.err}\n`);
    if (s.state === 'ESTABLISHED' && !sent) {
      sent = true;
      tcpSend(stack, s, `GET ${path} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: ctsim-probe\r\n\r\n`, stack.k.now + stack.costs.netTx);
    }
    got += s.rcvBuf;
    s.rcvBuf = '';
    if (s.finReceived) {
      finish(got);
      tcpClose(stack, s, stack.k.now);
    }
  };
  const e = tcpConnect(stack, s, { family: AF_INET, addr: parseIpv4(host)!, port }, stack.k.now + stack.costs.netTx);
  if (e) finish(`probe failed: ${e}\n`);
}

/** The remote host's services: UDP echo (7) and a one-page HTTP/1.0 server (80) with /probe. */
function startServices(stack: NetStack, ns: NetNamespace): void {
  const echo = new InetSock(SOCK_DGRAM, IPPROTO_UDP, ns);
  ns.sockets.bindUdp(echo, 0, 7);
  echo.onReadable = () => {
    for (let d = echo.dequeue(); d; d = echo.dequeue()) {
      const at = stack.k.now + stack.costs.netTx;
      ipSend(stack, ns, { src: 0, dst: d.from.addr, ttl: DEFAULT_TTL, proto: IPPROTO_UDP, id: stack.ipId++ & 0xffff, udp: { sport: 7, dport: d.from.port, data: d.data } }, at);
    }
  };
  const web = new TcpSock(ns);
  web.localPort = 80;
  ns.sockets.tcp.add(web);
  tcpListen(web, 128);
  web.onAccept = () => {
    for (let c = web.acceptq.shift(); c; c = web.acceptq.shift()) {
      c.parent = null;
      c.orphan = true;
      const conn = c;
      conn.onReadable = () => {
        const end = conn.rcvBuf.indexOf('\r\n\r\n');
        if (end < 0 || conn.finPending || conn.state !== 'ESTABLISHED') return;
        const head = conn.rcvBuf.slice(0, end);
        conn.rcvBuf = '';
        const path = /^[A-Z]+ (\S+)/.exec(head)?.[1] ?? '/';
        const hostHdr = /\r\nHost: ([^\r\n:]+)/i.exec(head)?.[1] ?? OUTSIDE.remotes[0].name;
        const reply = (status: string, body: string, type = 'text/html'): void => {
          const resp = `HTTP/1.0 ${status}\r\nServer: ctsim-remote\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
          const at = stack.k.now + stack.costs.netTx;
          tcpSend(stack, conn, resp, at);
          tcpShutdownWrite(stack, conn, at);
        };
        const probe = /^\/probe\?host=([0-9.]+)&port=(\d+)(?:&path=(\S*))?$/.exec(path);
        if (probe) {
          outsideFetch(stack, ns, probe[1], Number(probe[2]), decodeURIComponent(probe[3] ?? '/'), (text) => reply('200 OK', text, 'text/plain'));
          return;
        }
        if (path === '/missing') reply('404 Not Found', '<html><body><h1>404 Not Found</h1></body></html>\n');
        else reply('200 OK', remotePage(hostHdr));
      };
    }
  };
}
