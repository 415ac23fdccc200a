/**
 * iputils' ping (20221126), IPv4: sends ICMP echo requests on a raw socket every
 * interval, prints each reply and each ICMP error about its packets, and ends with
 * the statistics block. Before the first packet it connects a UDP socket to the
 * target to learn the route (which is how "ping: connect: Network is unreachable"
 * arises). With -c it stops after COUNT packets, waiting afterwards up to -W
 * seconds (default 10) for what is still outstanding; -w bounds the whole run.
 * Exit status: 0 when a reply came, 1 when none did, 2 on other errors.
 *
 * Times are what the simulated clock says (CLOCK_MONOTONIC), in the program's
 * microsecond arithmetic, so an rtt follows the cost table.
 *
 * It uses a ping socket (SOCK_DGRAM, IPPROTO_ICMP) where net.ipv4.ping_group_range
 * lets the user's group, else a raw socket, which needs CAP_NET_RAW.
 *
 * -f floods (root only, as any interval under 2 ms: "cannot flood; minimal interval
 * allowed for user is 2ms"): without -i, the next request goes as soon as the reply to
 * the last came back, or after 10 ms (MININTERVAL) without one; a "." for each request
 * and a backspace for each reply ("\bE" for an ICMP error) instead of a line each, and
 * ", ipg/ewma" (the mean gap between requests, the 1/8 moving average of the rtt) on
 * the statistics' last line.
 *
 * Simplification: names come from /etc/hosts only (no DNS); no
 * IPv6, preload, record-route or timestamp options; the identifier is the
 * PID rather than random; a flood's dots are not limited to the terminal's width.
 */
import * as sys from '../../lib/sys.js';
import { SysError, STRERROR } from '../../../kernel/errno.js';
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { AF_INET, SOCK_DGRAM, SOCK_RAW, type SockAddrIn } from '../../../kernel/net/sockets.js';
import { ICMP_DEST_UNREACH, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_TIME_EXCEEDED, IPPROTO_ICMP, type IpPacket } from '../../../kernel/net/packet.js';
import { formatIpv4, parseIpv4 } from '../../../kernel/net/inet.js';
import { IP_TTL, POLLIN, SOL_IP } from '../../../kernel/syscalls/sys-net.js';
import { errOut, out } from '../../lib/io.js';
import { readHosts } from '../../lib/hosts.js';

const CLOCK_MONOTONIC = 1;
/** MINUSERINTERVAL: the shortest interval a user other than root may ask for. */
const MIN_USER_INTERVAL_US = 2_000;
/** MININTERVAL: an unlimited flood sends at least this often when no reply comes. */
const MIN_INTERVAL_US = 10_000;
/** pr_icmph's words for the ICMP_DEST_UNREACH codes the stack sends. */
const UNREACH_TEXT: Record<number, string> = {
  0: 'Destination Net Unreachable',
  1: 'Destination Host Unreachable',
  2: 'Destination Protocol Unreachable',
  3: 'Destination Port Unreachable',
  13: 'Packet filtered',
};

interface Opts {
  count: number;
  intervalUs: number;
  /** -i was given. */
  intervalGiven: boolean;
  flood: boolean;
  lingerUs: number;
  deadlineUs: number;
  quiet: boolean;
  size: number;
  ttl: number | null;
  numeric: boolean;
}

type Gen<T> = Generator<Op, T, unknown>;

function* fail(text: string, status: number): Gen<number> {
  yield* errOut(`ping: ${text}\n`);
  return status;
}

/** A number in [min, max] or iputils' "invalid argument" message. */
function intArg(v: string, min: number, max: bigint): number | string {
  if (!/^-?[0-9]+$/.test(v)) return `invalid argument: '${v}'`;
  const n = BigInt(v);
  if (n < BigInt(min) || n > max) return `invalid argument: '${v}': out of range: ${min} <= value <= ${max}`;
  return Number(n);
}

function* parse(argv: readonly string[]): Gen<{ opts: Opts; host: string } | number> {
  const opts: Opts = { count: Infinity, intervalUs: 1_000_000, intervalGiven: false, flood: false, lingerUs: 10_000_000, deadlineUs: Infinity, quiet: false, size: 56, ttl: null, numeric: false };
  let host: string | undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('-') || a === '-') {
      host = a;
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j];
      if ('qn4f'.includes(c)) {
        if (c === 'q') opts.quiet = true;
        if (c === 'n') opts.numeric = true;
        if (c === 'f') opts.flood = true;
        continue;
      }
      if ('ciWwst'.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return yield* fail(`option requires an argument -- '${c}'`, 2);
        j = a.length;
        if (c === 'c' || c === 's' || c === 't') {
          const n = intArg(v, c === 'c' ? 1 : 0, c === 'c' ? 9223372036854775807n : c === 's' ? 2147483647n : 255n);
          if (typeof n === 'string') return yield* fail(n, 1);
          if (c === 'c') opts.count = n;
          else if (c === 's') opts.size = n;
          else opts.ttl = n;
        } else {
          const secs = Number(v);
          if (!/^[0-9]*\.?[0-9]+$/.test(v) || !Number.isFinite(secs)) {
            if (c === 'W') return yield* fail(`bad linger time: ${v}`, 2);
            if (c === 'w') return yield* fail(`bad wait time: ${v}`, 2);
            return yield* fail(`bad timing interval: ${v}`, 2);
          }
          const us = Math.round(secs * 1_000_000);
          if (c === 'i') {
            opts.intervalUs = us;
            opts.intervalGiven = true;
          }
          else if (c === 'W') opts.lingerUs = us;
          else opts.deadlineUs = us;
        }
        continue;
      }
      if (c === 'V') {
        yield* out('ping from iputils 20221126\nlibcap: yes, IDN: yes, NLS: no, error.h: yes, getrandom(): yes, __fpending(): yes\n');
        return 0;
      }
      return yield* fail(`invalid option -- '${c}'`, 2);
    }
  }
  if (host === undefined) return yield* fail('usage error: Destination address required', 1);
  return { opts, host };
}

/** iputils prints a round-trip time in µs with 3, 2, 1 or 0 decimals by size. */
function fmtTime(us: number): string {
  if (us >= 100000 - 50) return `${Math.floor((us + 500) / 1000)}`;
  if (us >= 10000 - 5) return `${Math.floor((us + 50) / 1000)}.${Math.floor(((us + 50) % 1000) / 100)}`;
  if (us >= 1000) return `${Math.floor((us + 5) / 1000)}.${String(Math.floor(((us + 5) % 1000) / 10)).padStart(2, '0')}`;
  return `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;
}

const ms3 = (us: number): string => `${Math.floor(us / 1000)}.${String(us % 1000).padStart(3, '0')}`;

export function* pingMain({ argv }: ProgramArgs): Program {
  const parsed = yield* parse(argv);
  if (typeof parsed === 'number') return parsed;
  const { opts, host } = parsed;
  const hosts = yield* readHosts();
  const dst = parseIpv4(host) ?? hosts.find((h) => h.names.includes(host))?.addr ?? null;
  if (dst === null) return yield* fail(`${host}: Temporary failure in name resolution`, 2);
  // Replies name their sender as getnameinfo would from /etc/hosts: "NAME (ADDR)".
  const nameOf = (a: number): string => {
    const n = opts.numeric || parseIpv4(host) !== null ? undefined : hosts.find((h) => h.addr === a)?.names[0];
    return n ? `${n} (${formatIpv4(a)})` : formatIpv4(a);
  };
  const to: SockAddrIn = { family: AF_INET, addr: dst, port: 0 };
  // A ping socket first (no privilege needed where net.ipv4.ping_group_range allows),
  // then a raw socket (CAP_NET_RAW), as iputils' create_socket does.
  let dgram = true;
  let fd = yield* sys.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
  if (fd instanceof SysError && (fd.errno === 'EACCES' || fd.errno === 'EPROTONOSUPPORT')) {
    dgram = false;
    fd = yield* sys.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
  }
  if (fd instanceof SysError) return yield* fail(`socket: ${STRERROR[fd.errno]}`, 2);
  // The route probe: a UDP socket connected to the target.
  const probe = yield* sys.socket(AF_INET, SOCK_DGRAM, 0);
  if (probe instanceof SysError) return yield* fail(`socket: ${STRERROR[probe.errno]}`, 2);
  const c = yield* sys.connect(probe, { ...to, port: 1025 });
  if (c instanceof SysError) return yield* fail(`connect: ${STRERROR[c.errno]}`, 2);
  yield* sys.close(probe);
  if (opts.ttl !== null) {
    const r = yield* sys.setsockopt(fd, SOL_IP, IP_TTL, opts.ttl);
    if (r instanceof SysError) return yield* fail(`cannot set unicast time-to-live: ${STRERROR[r.errno]}`, 2);
  }
  yield* out(`PING ${host} (${formatIpv4(dst)}) ${opts.size}(${opts.size + 28}) bytes of data.\n`);
  // setup(): a flood without -i has no interval; under 2 ms is for root only.
  if (opts.flood && !opts.intervalGiven) opts.intervalUs = 0;
  if (opts.intervalUs < MIN_USER_INTERVAL_US && (yield* sys.getuid()) !== 0) return yield* fail('cannot flood; minimal interval allowed for user is 2ms', 2);
  const pid = (yield* sys.getpid()) as number;
  const ident = pid & 0xffff;
  const nowUs = function* (): Gen<number> {
    return Math.floor(((yield* sys.clockGettime(CLOCK_MONOTONIC)) as number) / 1000);
  };
  const start = yield* nowUs();
  const sentAt = new Map<number, number>();
  let transmitted = 0;
  let received = 0;
  let errors = 0;
  let lastSend = start;
  let pipe = 0;
  // The rtts' count, sum, sum of squares, least and greatest (iputils' tsum, tsum2, tmin, tmax).
  let tsum = 0;
  let tsum2 = 0;
  let tmin = Infinity;
  let tmax = 0;
  const timing = opts.size >= 16;
  let nextSend = start;
  /** The 1/8 moving average of the rtt, times 8 (rts->rtt). */
  let ewma8 = 0;
  const dots = opts.flood && !opts.quiet;
  for (;;) {
    const now = yield* nowUs();
    if (now - start >= opts.deadlineUs) break;
    // An unlimited flood sends when nothing is in flight, or MININTERVAL after the last request.
    const due = opts.intervalUs === 0 && transmitted > 0 ? (transmitted - received - errors > 0 ? lastSend + MIN_INTERVAL_US : now) : nextSend;
    if (transmitted < opts.count && now >= due) {
      transmitted++;
      // By the 16-bit icmp_seq the reply carries (it wraps after 65535 requests).
      sentAt.set(transmitted & 0xffff, now);
      lastSend = now;
      nextSend = start + transmitted * opts.intervalUs;
      pipe = Math.max(pipe, transmitted - received - errors);
      // A failed send counts as transmitted, as in iputils.
      const sent = yield* sys.sendto(fd, { type: ICMP_ECHO, code: 0, id: ident, seq: transmitted & 0xffff, dataLen: opts.size }, 0, to);
      if (dots) yield* out(sent instanceof SysError ? 'E' : '.');
      continue;
    }
    if (transmitted >= opts.count && received + errors >= transmitted) break;
    const until = transmitted < opts.count ? due : Math.min(lastSend + opts.lingerUs, Infinity);
    const end = Math.min(until, start + opts.deadlineUs);
    if (now >= end) break;
    const ready = yield* sys.poll([{ fd, events: POLLIN }], Math.max(1, Math.ceil((end - now) / 1000)));
    if (ready instanceof SysError || !(ready[0] & POLLIN)) continue;
    const r = yield* sys.recvfrom<IpPacket>(fd, 65536);
    if (r instanceof SysError) continue;
    const p = r.data;
    const icmp = p.icmp!;
    const at = yield* nowUs();
    // A ping socket only receives its own replies; the kernel chose their identifier.
    const mine = (id: number | undefined): boolean => dgram || id === ident;
    if (icmp.type === ICMP_ECHOREPLY && mine(icmp.id) && p.src === dst) {
      const t0 = sentAt.get(icmp.seq);
      if (t0 === undefined) continue;
      sentAt.delete(icmp.seq);
      received++;
      const rtt = at - t0;
      tsum += rtt;
      tsum2 += rtt * rtt;
      if (rtt < tmin) tmin = rtt;
      if (rtt > tmax) tmax = rtt;
      ewma8 = ewma8 === 0 ? rtt * 8 : ewma8 + rtt - Math.trunc(ewma8 / 8);
      if (dots) yield* out('\b \b');
      else if (!opts.quiet) {
        const from = nameOf(p.src);
        yield* out(`${icmp.dataLen + 8} bytes from ${from}: icmp_seq=${icmp.seq} ttl=${p.ttl}${timing ? ` time=${fmtTime(rtt)} ms` : ''}\n`);
      }
    } else if ((icmp.type === ICMP_DEST_UNREACH || icmp.type === ICMP_TIME_EXCEEDED) && icmp.quoted?.icmp && mine(icmp.quoted.icmp.id) && icmp.quoted.dst === dst) {
      errors++;
      const seq = icmp.quoted.icmp.seq;
      sentAt.delete(seq);
      const what = icmp.type === ICMP_TIME_EXCEEDED ? 'Time to live exceeded' : UNREACH_TEXT[icmp.code] ?? `Dest Unreachable, Bad Code: ${icmp.code}`;
      if (dots) yield* out('\bE');
      else if (!opts.quiet) yield* out(`From ${formatIpv4(p.src)} icmp_seq=${seq} ${what}\n`);
    }
  }
  const elapsedMs = Math.floor((lastSend - start + 500) / 1000);
  let stats = `\n--- ${host} ping statistics ---\n${transmitted} packets transmitted, ${received} received`;
  if (errors) stats += `, +${errors} errors`;
  const loss = transmitted ? ((transmitted - received) * 100) / transmitted : 0;
  stats += `, ${Number(loss.toPrecision(6))}% packet loss, time ${elapsedMs}ms\n`;
  // The last line: rtt, pipe and (flooding, or with no interval) ipg/ewma, comma-separated.
  const last: string[] = [];
  if (received && timing) {
    const avg = Math.floor(tsum / received);
    // finish()'s order of operations (it avoids rounding small times away), in 64-bit integers.
    const n = BigInt(received);
    const tmvar = tsum < 2 ** 31 - 1 ? (BigInt(tsum2) - (BigInt(tsum) * BigInt(tsum)) / n) / n : BigInt(tsum2) / n - BigInt(avg) * BigInt(avg);
    const mdev = Math.floor(Math.sqrt(Math.max(0, Number(tmvar))));
    last.push(`rtt min/avg/max/mdev = ${ms3(tmin)}/${ms3(avg)}/${ms3(tmax)}/${ms3(mdev)} ms`);
  }
  if (pipe > 1) last.push(`pipe ${pipe}`);
  if (received && (opts.intervalUs === 0 || opts.flood) && transmitted > 1) {
    const ipg = Math.floor((lastSend - start) / (transmitted - 1));
    last.push(`ipg/ewma ${ms3(ipg)}/${ms3(Math.trunc(ewma8 / 8))} ms`);
  }
  stats += `${last.join(', ')}\n`;
  yield* out(stats);
  return received ? 0 : 1;
}
