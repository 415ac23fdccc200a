/**
 * iproute2 6.1's ss (/usr/bin/ss), for the internet sockets ctsim's kernel has:
 * TCP (-t), UDP (-u) and raw (-w), read over sock_diag (sock-diag.ts). By
 * default it shows connected sockets (TCP's SS_CONN states, connected UDP and
 * raw); -l shows listening and unconnected ones, -a all; `state NAME` picks
 * states as ss's filter does. The Netid column appears only when more than one
 * protocol is asked for and State only when more than one state can match, as
 * in ss.c. -p names the processes holding each socket by scanning
 * /proc/PID/fd for socket:[INODE], as ss does. -s prints the summary.
 *
 * Simplification: no IPv6, unix, netlink or packet sockets (ctsim's kernel has
 * none), so -6 lists nothing and plain `ss` shows TCP, UDP and raw only; no
 * filter expressions (`sport = :80`), -e, -i, -m, -o timers, -K or -E; port
 * numbers are printed even without -n because the root file system has no
 * /etc/services (as the real ss does then); TCP sockets come out listeners
 * first, then the others in the kernel's table order, UDP sockets by port
 * (the kernel walks hash buckets); -s counts only what sock_diag reports (the
 * real one reads /proc/net/sockstat, which ctsim lacks), so "Total" is the
 * number of internet sockets.
 */
import * as sys from '../../lib/sys.js';
import { SysError } from '../../../kernel/errno.js';
import type { Op, Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { errOut, out, readFile } from '../../lib/io.js';
import { sockDiagDump, type DiagProto, type SockDiag } from './sock-diag.js';
import { renderTable, type Column, type Row } from './ss-format.js';

type Gen<T> = Generator<Op, T, unknown>;

/** ss's state bits (SS_ESTABLISHED = 1 … SS_CLOSING = 11). */
const STATE_BIT: Record<string, number> = {
  ESTAB: 1,
  'SYN-SENT': 2,
  'SYN-RECV': 3,
  'FIN-WAIT-1': 4,
  'FIN-WAIT-2': 5,
  'TIME-WAIT': 6,
  UNCONN: 7,
  'CLOSE-WAIT': 8,
  'LAST-ACK': 9,
  LISTEN: 10,
  CLOSING: 11,
};
const bit = (name: string): number => 1 << STATE_BIT[name];
const SS_ALL = 0xffe;
const SS_CONN = SS_ALL & ~(bit('LISTEN') | bit('UNCONN') | bit('TIME-WAIT') | bit('SYN-RECV'));

/** The state names `ss state NAME` takes (ss.c sstate_namel and the groups). */
const STATE_NAMES: Record<string, number> = {
  all: SS_ALL,
  connected: SS_ALL & ~(bit('LISTEN') | bit('UNCONN')),
  synchronized: SS_ALL & ~(bit('LISTEN') | bit('UNCONN') | bit('SYN-SENT')),
  bucket: bit('SYN-RECV') | bit('TIME-WAIT'),
  big: SS_ALL & ~(bit('SYN-RECV') | bit('TIME-WAIT')),
  established: bit('ESTAB'),
  'syn-sent': bit('SYN-SENT'),
  'syn-recv': bit('SYN-RECV'),
  'fin-wait-1': bit('FIN-WAIT-1'),
  'fin-wait-2': bit('FIN-WAIT-2'),
  'time-wait': bit('TIME-WAIT'),
  closed: bit('UNCONN'),
  'close-wait': bit('CLOSE-WAIT'),
  'last-ack': bit('LAST-ACK'),
  listening: bit('LISTEN'),
  closing: bit('CLOSING'),
};

/** Default states per protocol when none are asked for (ss.c default_dbs). */
const DEFAULT_STATES: Record<DiagProto, number> = { tcp: SS_CONN, udp: bit('ESTAB'), raw: bit('ESTAB') };
/** The order ss.c's main() dumps in. */
const DUMP_ORDER: DiagProto[] = ['raw', 'udp', 'tcp'];

const USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -o, --options       show timer information
   -e, --extended      show detailed socket information
   -m, --memory        show socket memory usage
   -p, --processes     show process using socket
   -T, --threads       show thread using socket
   -i, --info          show internal TCP information
       --tipcinfo      show internal tipc socket information
   -s, --summary       show socket usage summary
       --tos           show tos and priority information
       --cgroup        show cgroup information
   -b, --bpf           show bpf filter socket information
   -E, --events        continually display sockets as they are destroyed
   -Z, --context       display task SELinux security contexts
   -z, --contexts      display task and socket SELinux security contexts
   -N, --net           switch to the specified network namespace name

   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -0, --packet        display PACKET sockets
   -t, --tcp           display only TCP sockets
   -M, --mptcp         display only MPTCP sockets
   -S, --sctp          display only SCTP sockets
   -u, --udp           display only UDP sockets
   -d, --dccp          display only DCCP sockets
   -w, --raw           display only RAW sockets
   -x, --unix          display only Unix domain sockets
       --tipc          display only TIPC sockets
       --vsock         display only vsock sockets
       --xdp           display only XDP sockets
   -f, --family=FAMILY display sockets of type FAMILY
       FAMILY := {inet|inet6|link|unix|netlink|vsock|tipc|xdp|help}

   -K, --kill          forcibly close sockets, display what was closed
   -H, --no-header     Suppress header line
   -O, --oneline       socket's data printed on a single line
       --inet-sockopt  show various inet socket options

   -A, --query=QUERY, --socket=QUERY
       QUERY := {all|inet|tcp|mptcp|udp|raw|unix|unix_dgram|unix_stream|unix_seqpacket|packet|packet_raw|packet_dgram|netlink|dccp|sctp|vsock_stream|vsock_dgram|tipc|xdp}[,QUERY]

   -D, --diag=FILE     Dump raw information about TCP sockets to FILE
   -F, --filter=FILE   read filter information from FILE
       FILTER := [ state STATE-FILTER ] [ EXPRESSION ]
       STATE-FILTER := {all|connected|synchronized|bucket|big|TCP-STATES}
         TCP-STATES := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|closed|close-wait|last-ack|listening|closing}
          connected := {established|syn-sent|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
       synchronized := {established|syn-recv|fin-wait-{1,2}|time-wait|close-wait|last-ack|closing}
             bucket := {syn-recv|time-wait}
                big := {established|syn-sent|fin-wait-{1,2}|closed|close-wait|last-ack|listening|closing}
`;

const LONG: Record<string, string> = {
  help: 'h',
  version: 'V',
  numeric: 'n',
  resolve: 'r',
  all: 'a',
  listening: 'l',
  processes: 'p',
  summary: 's',
  ipv4: '4',
  ipv6: '6',
  tcp: 't',
  udp: 'u',
  raw: 'w',
  'no-header': 'H',
  options: 'o',
};
/** Options ss has that ctsim's ss does not model. */
const UNMODELLED = 'emiTbEzKODFAfNMSdx0';

interface Opts {
  protos: Set<DiagProto>;
  states: number;
  ipv6Only: boolean;
  summary: boolean;
  processes: boolean;
  header: boolean;
}

function* usageError(msg: string): Gen<number> {
  yield* errOut(`ss: ${msg}\n${USAGE}`);
  return 255;
}

function* parse(argv: readonly string[]): Gen<Opts | number> {
  const o: Opts = { protos: new Set(), states: 0, ipv6Only: false, summary: false, processes: false, header: true };
  let stateFilter = 0;
  let explicitStates = 0;
  const letters: string[] = [];
  const operands: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const name = a.slice(2);
      const hits = Object.keys(LONG).filter((k) => k.startsWith(name));
      const exact = LONG[name] !== undefined ? name : hits.length === 1 ? hits[0] : undefined;
      if (exact === undefined) return yield* usageError(`unrecognized option '${a}'`);
      letters.push(LONG[exact]);
    } else if (a.startsWith('-') && a.length > 1) letters.push(...a.slice(1));
    else operands.push(a);
  }
  for (const c of letters) {
    switch (c) {
      case 'h':
        yield* out(USAGE);
        return 0;
      case 'V':
        yield* out('ss utility, iproute2-6.1.0\n');
        return 0;
      case 'n':
      case 'r':
      case '4':
      case 'o':
        break;
      case '6':
        o.ipv6Only = true;
        break;
      case 'a':
        stateFilter = SS_ALL;
        break;
      case 'l':
        stateFilter = bit('LISTEN') | bit('UNCONN');
        break;
      case 's':
        o.summary = true;
        break;
      case 'p':
        o.processes = true;
        break;
      case 'H':
        o.header = false;
        break;
      case 't':
        o.protos.add('tcp');
        break;
      case 'u':
        o.protos.add('udp');
        break;
      case 'w':
        o.protos.add('raw');
        break;
      case 'Z':
      case 'z':
        yield* errOut('ss: SELinux is not enabled.\n');
        return 1;
      default:
        if (UNMODELLED.includes(c)) {
          yield* errOut(`ss: option -${c} is not modelled by ctsim's ss\n`);
          return 255;
        }
        return yield* usageError(`invalid option -- '${c}'`);
    }
  }
  for (let i = 0; i < operands.length; i++) {
    const w = operands[i];
    if ((w === 'state' || w === 'exclude' || w === 'excl') && i + 1 < operands.length) {
      const name = operands[++i];
      const bits = STATE_NAMES[name];
      if (bits === undefined) {
        yield* errOut(`ss: wrong state name: ${name}\n`);
        return 255;
      }
      explicitStates = w === 'state' ? explicitStates | bits : (explicitStates || SS_ALL) & ~bits;
      continue;
    }
    yield* errOut(`ss: filter expressions are not modelled by ctsim's ss: ${operands.slice(i).join(' ')}\n`);
    return 255;
  }
  const dflt = o.protos.size === 0;
  if (dflt) for (const p of DUMP_ORDER) o.protos.add(p);
  for (const p of o.protos) o.states |= DEFAULT_STATES[p];
  if (stateFilter) o.states = stateFilter;
  if (explicitStates) o.states = explicitStates;
  return o;
}

/** socket inode → users:((…)) entries, from /proc/PID/fd (ss.c user_ent_hash_build). */
function* processTable(): Gen<Map<number, string[]>> {
  const users = new Map<number, string[]>();
  const dir = yield* sys.open('/proc', 0o200000);
  if (dir instanceof SysError) return users;
  const ents = yield* sys.getdents(dir);
  yield* sys.close(dir);
  if (ents instanceof SysError) return users;
  const pids = ents.map((e) => e.name).filter((n) => /^[0-9]+$/.test(n)).map(Number).sort((a, b) => a - b);
  for (const pid of pids) {
    const fdDir = yield* sys.open(`/proc/${pid}/fd`, 0o200000);
    if (fdDir instanceof SysError) continue;
    const fds = yield* sys.getdents(fdDir);
    yield* sys.close(fdDir);
    if (fds instanceof SysError) continue;
    let comm: string | null = null;
    for (const fd of fds.map((e) => e.name).filter((n) => /^[0-9]+$/.test(n)).map(Number).sort((a, b) => a - b)) {
      const link = yield* sys.readlink(`/proc/${pid}/fd/${fd}`);
      if (link instanceof SysError) continue;
      const m = /^socket:\[([0-9]+)\]$/.exec(link);
      if (!m) continue;
      if (comm === null) {
        const c = yield* readFile(`/proc/${pid}/comm`);
        comm = c instanceof SysError ? '' : c.replace(/\n$/, '');
      }
      const ino = Number(m[1]);
      // ss prepends to its hash chain, so the last process found is listed first.
      users.set(ino, [`("${comm}",pid=${pid},fd=${fd})`, ...(users.get(ino) ?? [])]);
    }
  }
  return users;
}

function* summary(socks: SockDiag[]): Gen<void> {
  const n = (p: string): number => socks.filter((s) => s.proto === p).length;
  const tcp = socks.filter((s) => s.proto === 'tcp');
  const tw = tcp.filter((s) => s.state === 'TIME-WAIT').length;
  const estab = tcp.filter((s) => s.state === 'ESTAB').length;
  const tcpHashed = tcp.length - tw;
  const row = (name: string, v: number): string => `${name}\t  ${String(v).padEnd(9)} ${String(v).padEnd(9)} ${'0'.padEnd(9)}\n`;
  let text = `Total: ${socks.length}\n`;
  text += `TCP:   ${tcpHashed} (estab ${estab}, closed 0, orphaned 0, timewait ${tw})\n\n`;
  text += 'Transport Total     IP        IPv6\n';
  text += row('RAW', n('raw')) + row('UDP', n('udp')) + row('TCP', tcpHashed) + row('INET', n('raw') + n('udp') + tcpHashed) + row('FRAG', 0);
  yield* out(text + '\n');
}

function orderOf(socks: SockDiag[], proto: DiagProto): SockDiag[] {
  const mine = socks.filter((s) => s.proto === proto);
  if (proto === 'tcp') return [...mine.filter((s) => s.state === 'LISTEN'), ...mine.filter((s) => s.state !== 'LISTEN')];
  return mine.map((s, i) => ({ s, i })).sort((a, b) => a.s.localPort - b.s.localPort || a.i - b.i).map((x) => x.s);
}

const IPPROTO_ICMP = 1;

export function* ssMain({ argv }: ProgramArgs): Program {
  const o = yield* parse(argv);
  if (typeof o === 'number') return o;
  const r = yield* sockDiagDump([...DUMP_ORDER]);
  if (r instanceof SysError || !r.ok) {
    yield* errOut(`ss: Cannot open netlink socket: ${r instanceof SysError ? r.message : r.errno}\n`);
    return 1;
  }
  // Linux's inet_diag lists only hashed TCP sockets: listening, connecting, connected.
  const all = r.socks.filter((s) => !(s.proto === 'tcp' && s.state === 'UNCONN'));
  if (o.summary) {
    yield* summary(all);
    if (argv.length === 2) return 0;
  }
  const users = o.processes ? yield* processTable() : new Map<number, string[]>();
  const rows: Row[] = [];
  for (const proto of DUMP_ORDER) {
    if (!o.protos.has(proto) || o.ipv6Only) continue;
    for (const s of orderOf(all, proto)) {
      if (!(o.states & bit(s.state))) continue;
      const u = users.get(s.inode);
      rows.push({
        netid: proto,
        state: s.state,
        recvq: String(s.recvQ).padEnd(6),
        sendq: String(s.sendQ).padEnd(6),
        local: `${s.localAddr}:`,
        lport: proto === 'raw' ? String(IPPROTO_ICMP) : s.localPort ? String(s.localPort) : '*',
        peer: `${s.peerAddr}:`,
        pport: s.peerPort ? String(s.peerPort) : '*',
        process: u ? ` users:(${u.join(',')})` : '',
      });
    }
  }
  const disabled = new Set<Column>();
  if (o.protos.size === 1) disabled.add('netid');
  if ((o.states & (o.states - 1)) === 0) disabled.add('state');
  yield* out(renderTable(rows, disabled, o.header));
  return 0;
}
