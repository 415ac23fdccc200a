/**
 * iptables 1.8.9 (nf_tables) as Debian 12 ships it, for the nat table: append,
 * insert, delete (by rule or number), check, list (-L with -n -v -x --line-numbers),
 * -S, flush, zero and policy; SNAT, DNAT, MASQUERADE and RETURN with -s -d -p
 * --sport --dport -i -o and `!`. The filter table lists its empty chains.
 *
 * Rules go to the kernel over a NETLINK_NETFILTER socket (kernel/net/nf-abi.ts).
 *
 * Simplification: no user-defined chains, no filter rules, no matches beyond
 * -p/--sport/--dport, no name resolution (addresses print numerically, protocol
 * names are used without -n as iptables does), no address ranges for -s/-d.
 */
import { SysError } from '../../../kernel/errno.js';
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { parseIpv4 } from '../../../kernel/net/inet.js';
import type { NfChainInfo, NfReply, NfRequest, NfRule, NfTable, NfTarget } from '../../../kernel/net/nf-abi.js';
import { errOut, out } from '../../lib/io.js';
import { nfTalk } from './nf-talk.js';

const ME = 'iptables v1.8.9 (nf_tables)';
const TRY = "Try `iptables -h' or 'iptables --help' for more information.\n";
const PROTOS: Record<string, number> = { all: 0, icmp: 1, tcp: 6, udp: 17 };
const PROTO_NAMES: Record<number, string> = { 0: 'all', 1: 'icmp', 6: 'tcp', 17: 'udp' };
const TARGETS: NfTarget[] = ['MASQUERADE', 'SNAT', 'DNAT', 'ACCEPT', 'RETURN'];

class Usage extends Error {
  constructor(
    message: string,
    readonly status = 2,
    readonly tryHint = true,
  ) {
    super(message);
  }
}

interface Cmd {
  table: NfTable;
  op: 'A' | 'I' | 'D' | 'C' | 'L' | 'S' | 'F' | 'Z' | 'P';
  chain?: string;
  num?: number;
  policy?: string;
  rule: NfRule;
  numeric: boolean;
  verbose: boolean;
  exact: boolean;
  lineNumbers: boolean;
  hasRuleSpec: boolean;
}

function parseAddr(v: string, neg: boolean): { addr: string; len: number; neg: boolean } {
  const [a, m] = v.split('/');
  const addr = parseIpv4(a);
  if (addr === null) throw new Usage(`host/network \`${a}' not found`);
  let len = 32;
  if (m !== undefined) {
    if (!/^\d+$/.test(m) || Number(m) > 32) throw new Usage(`invalid mask \`${m}' specified`);
    len = Number(m);
  }
  return { addr: a, len, neg };
}

function parseRange(v: string, what: string): NonNullable<NfRule['to']> {
  const m = /^([^:-]*)(?:-([^:]*))?(?::(\d+)(?:-(\d+))?)?$/.exec(v);
  const addr = m?.[1] ?? '';
  if (!m || (addr !== '' && parseIpv4(addr) === null) || (m[2] !== undefined && parseIpv4(m[2]) === null)) throw new Usage(`Bad IP address "${addr || v}"`);
  if (addr === '') throw new Usage(`${what}: Bad IP address "${v}"`);
  return { addr, ...(m[2] ? { addrTo: m[2] } : {}), ...(m[3] ? { port: Number(m[3]) } : {}), ...(m[4] ? { portTo: Number(m[4]) } : {}) };
}

function parse(argv: readonly string[]): Cmd {
  const c: Cmd = { table: 'filter', op: 'L', rule: { proto: 0, target: 'ACCEPT' }, numeric: false, verbose: false, exact: false, lineNumbers: false, hasRuleSpec: false };
  let haveOp = false;
  let neg = false;
  let target: string | undefined;
  const rest = [...argv.slice(1)];
  const need = (o: string): string => {
    const v = rest.shift();
    if (v === undefined) throw new Usage(`option "${o}" requires an argument`);
    return v;
  };
  const setOp = (op: Cmd['op'], arg: boolean): void => {
    if (haveOp) throw new Usage('Cannot use more than one command');
    haveOp = true;
    c.op = op;
    if (arg) c.chain = need(`-${op}`);
    else if (rest[0] !== undefined && !rest[0].startsWith('-')) c.chain = rest.shift();
  };
  while (rest.length) {
    const a = rest.shift()!;
    const spec = (): void => {
      c.hasRuleSpec = true;
    };
    switch (a) {
      case '!':
        neg = true;
        continue;
      case '-t':
      case '--table': {
        const t = need(a);
        if (t !== 'nat' && t !== 'filter') throw new Usage(`table '${t}' does not exist\nPerhaps iptables or your kernel needs to be upgraded.`, 3, false);
        c.table = t;
        break;
      }
      case '-A':
      case '--append':
        setOp('A', true);
        break;
      case '-C':
      case '--check':
        setOp('C', true);
        break;
      case '-D':
      case '--delete':
        setOp('D', true);
        if (rest[0] !== undefined && /^\d+$/.test(rest[0])) c.num = Number(rest.shift());
        break;
      case '-I':
      case '--insert':
        setOp('I', true);
        c.num = rest[0] !== undefined && /^\d+$/.test(rest[0]) ? Number(rest.shift()) : 1;
        break;
      case '-L':
      case '--list':
        setOp('L', false);
        break;
      case '-S':
      case '--list-rules':
        setOp('S', false);
        break;
      case '-F':
      case '--flush':
        setOp('F', false);
        break;
      case '-Z':
      case '--zero':
        setOp('Z', false);
        break;
      case '-P':
      case '--policy':
        setOp('P', true);
        c.policy = need(a);
        break;
      case '-n':
      case '--numeric':
        c.numeric = true;
        break;
      case '-v':
      case '--verbose':
        c.verbose = true;
        break;
      case '-x':
      case '--exact':
        c.exact = true;
        break;
      case '--line-numbers':
        c.lineNumbers = true;
        break;
      case '-s':
      case '--source':
        c.rule.src = parseAddr(need(a), neg);
        spec();
        break;
      case '-d':
      case '--destination':
        c.rule.dst = parseAddr(need(a), neg);
        spec();
        break;
      case '-p':
      case '--protocol': {
        const p = need(a).toLowerCase();
        const n = /^\d+$/.test(p) ? Number(p) : PROTOS[p];
        if (n === undefined) throw new Usage(`unknown protocol "${p}" specified`);
        c.rule.proto = n;
        if (neg) c.rule.protoNeg = true;
        spec();
        break;
      }
      case '-i':
      case '--in-interface':
        c.rule.inIf = { name: need(a), neg };
        spec();
        break;
      case '-o':
      case '--out-interface':
        c.rule.outIf = { name: need(a), neg };
        spec();
        break;
      case '--sport':
      case '--source-port':
      case '--dport':
      case '--destination-port': {
        if (c.rule.proto !== 6 && c.rule.proto !== 17) throw new Usage(`unknown option "${a}"`);
        const v = need(a);
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Usage(`invalid port/service \`${v}' specified`);
        if (a.startsWith('--s')) c.rule.sport = Number(v);
        else c.rule.dport = Number(v);
        spec();
        break;
      }
      case '-m':
      case '--match':
        need(a); // -m tcp / -m udp: implied by -p.
        break;
      case '-j':
      case '--jump':
        target = need(a);
        spec();
        break;
      case '--to-source':
      case '--to-destination': {
        const want = a === '--to-source' ? 'SNAT' : 'DNAT';
        if (target !== want) throw new Usage(`unknown option "${a}"`);
        c.rule.to = parseRange(need(a), want);
        break;
      }
      case '--to-ports': {
        if (target !== 'MASQUERADE') throw new Usage(`unknown option "${a}"`);
        const v = need(a);
        const m = /^(\d+)(?:-(\d+))?$/.exec(v);
        if (!m) throw new Usage(`Port "${v}" not valid`);
        c.rule.to = { addr: '', port: Number(m[1]), ...(m[2] ? { portTo: Number(m[2]) } : {}) };
        break;
      }
      default:
        if (a.startsWith('-')) throw new Usage(`unknown option "${a}"`);
        throw new Usage(`Bad argument \`${a}'`);
    }
    neg = false;
  }
  if (target !== undefined) {
    if (target === 'DROP' && c.table === 'nat') throw new Usage('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.');
    if (!TARGETS.includes(target as NfTarget)) throw new Usage(`Chain '${target}' does not exist`);
    c.rule.target = target as NfTarget;
    if ((target === 'SNAT' || target === 'DNAT') && !c.rule.to) throw new Usage(`${target}: option "--to-${target === 'SNAT' ? 'source' : 'destination'}" must be specified`);
  }
  if (c.op === 'P' && c.table === 'nat' && c.policy === 'DROP') throw new Usage('\nThe "nat" table is not intended for filtering, the use of DROP is therefore inhibited.');
  return c;
}

// ---- output ------------------------------------------------------------------

const addrText = (m: NfRule['src'], numeric: boolean): string => {
  if (!m) return numeric ? '0.0.0.0/0' : 'anywhere';
  const body = m.len === 32 ? m.addr : `${m.addr}/${m.len}`;
  return (m.neg ? '!' : '') + body;
};
const ifText = (m: NfRule['inIf']): string => (m ? (m.neg ? '!' : '') + m.name : '*');
const rangeText = (r: NonNullable<NfRule['to']>): string =>
  `${r.addr}${r.addrTo ? `-${r.addrTo}` : ''}${r.port !== undefined ? `:${r.port}${r.portTo !== undefined ? `-${r.portTo}` : ''}` : ''}`;

/** The matches and target options after the destination column (print_* of each extension). */
function extText(r: NfRule): string {
  const parts: string[] = [];
  if (r.sport !== undefined || r.dport !== undefined) {
    const p = PROTO_NAMES[r.proto];
    const ports = [r.sport !== undefined ? `spt:${r.sport}` : '', r.dport !== undefined ? `dpt:${r.dport}` : ''].filter(Boolean).join(' ');
    parts.push(`${p} ${ports}`);
  }
  if ((r.target === 'SNAT' || r.target === 'DNAT') && r.to) parts.push(`to:${rangeText(r.to)}`);
  if (r.target === 'MASQUERADE' && r.to?.port !== undefined) parts.push(`masq ports: ${r.to.port}${r.to.portTo !== undefined ? `-${r.to.portTo}` : ''}`);
  return parts.join(' ');
}

/** A counter as -v prints it: exact with -x, else with K/M/G suffixes past 99999. */
function counter(n: number, exact: boolean): string {
  if (exact) return String(n).padStart(8);
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = n;
  let u = 0;
  while (v > 99999 && u < units.length - 1) {
    v = Math.floor(v / 1000);
    u++;
  }
  return u === 0 ? String(v).padStart(5) : `${String(v).padStart(4)}${units[u]}`;
}

function listChain(c: NfChainInfo, o: Cmd): string {
  let s = o.verbose
    ? `Chain ${c.name} (policy ${c.policy} ${c.pkts} packets, ${c.bytes} bytes)\n`
    : `Chain ${c.name} (policy ${c.policy})\n`;
  let head = '';
  if (o.lineNumbers) head += 'num  ';
  if (o.verbose) head += o.exact ? '    pkts      bytes ' : ' pkts bytes ';
  head += 'target     prot opt ';
  if (o.verbose) head += 'in     out     ';
  s += `${head}source               destination         \n`;
  c.rules.forEach((r, i) => {
    let line = o.lineNumbers ? `${String(i + 1).padEnd(4)} ` : '';
    if (o.verbose) line += `${counter(r.pkts ?? 0, o.exact)} ${counter(r.bytes ?? 0, o.exact)} `;
    // iptables-nft prints the protocol number with -n.
    const proto = o.numeric ? String(r.proto) : (PROTO_NAMES[r.proto] ?? String(r.proto));
    line += `${r.target.padEnd(9)} ${r.protoNeg ? '!' : ' '}${proto.padEnd(5)}--  `;
    // The in and out columns are 6 and 7 wide (print_iface in iptables' nft-shared.c layout).
    if (o.verbose) line += `${ifText(r.inIf).padEnd(6)} ${ifText(r.outIf).padEnd(7)} `;
    line += `${addrText(r.src, o.numeric).padEnd(20)} ${addrText(r.dst, o.numeric).padEnd(20)}`;
    const ext = extText(r);
    s += (ext ? `${line} ${ext}` : line) + '\n';
  });
  return s;
}

/** One rule as -S prints it (iptables-save syntax). */
export function ruleSpec(chain: string, r: NfRule): string {
  const parts = [`-A ${chain}`];
  const addr = (flag: string, m: NfRule['src']): void => {
    if (m) parts.push(`${m.neg ? '! ' : ''}${flag} ${m.addr}/${m.len}`);
  };
  addr('-s', r.src);
  addr('-d', r.dst);
  if (r.inIf) parts.push(`${r.inIf.neg ? '! ' : ''}-i ${r.inIf.name}`);
  if (r.outIf) parts.push(`${r.outIf.neg ? '! ' : ''}-o ${r.outIf.name}`);
  if (r.proto !== 0) {
    const p = PROTO_NAMES[r.proto] ?? String(r.proto);
    parts.push(`${r.protoNeg ? '! ' : ''}-p ${p}`);
    if (r.sport !== undefined || r.dport !== undefined) {
      parts.push(`-m ${p}`);
      if (r.sport !== undefined) parts.push(`--sport ${r.sport}`);
      if (r.dport !== undefined) parts.push(`--dport ${r.dport}`);
    }
  }
  parts.push(`-j ${r.target}`);
  if (r.target === 'SNAT' && r.to) parts.push(`--to-source ${rangeText(r.to)}`);
  if (r.target === 'DNAT' && r.to) parts.push(`--to-destination ${rangeText(r.to)}`);
  if (r.target === 'MASQUERADE' && r.to?.port !== undefined) parts.push(`--to-ports ${r.to.port}${r.to.portTo !== undefined ? `-${r.to.portTo}` : ''}`);
  return parts.join(' ');
}

// ---- main --------------------------------------------------------------------

function request(c: Cmd): NfRequest {
  const { table, chain } = c;
  switch (c.op) {
    case 'A':
      return { op: 'append', table, chain: chain!, rule: c.rule };
    case 'C':
      return { op: 'check', table, chain: chain!, rule: c.rule };
    case 'I':
      return { op: 'insert', table, chain: chain!, rule: c.rule, pos: c.num ?? 1 };
    case 'D':
      return c.num !== undefined ? { op: 'delete-num', table, chain: chain!, num: c.num } : { op: 'delete', table, chain: chain!, rule: c.rule };
    case 'F':
      return { op: 'flush', table, chain };
    case 'Z':
      return { op: 'zero', table, chain };
    case 'P':
      return { op: 'policy', table, chain: chain!, policy: c.policy as 'ACCEPT' | 'DROP' };
    default:
      return { op: 'list', table, chain };
  }
}

export function* iptablesMain({ argv }: ProgramArgs): Program {
  let c: Cmd;
  try {
    c = parse(argv);
  } catch (e) {
    if (!(e instanceof Usage)) throw e;
    yield* errOut(`${ME}: ${e.message}\n${e.tryHint ? TRY : ''}`);
    return e.status;
  }
  // Simplification: a rule without -j (a bare counter) is not modelled.
  const needsRule = c.op === 'A' || c.op === 'I' || c.op === 'C' || (c.op === 'D' && c.num === undefined);
  if (needsRule && !c.hasRuleSpec) {
    yield* errOut(`${ME}: ctsim models rules with a target only: add -j MASQUERADE, SNAT, DNAT, RETURN or ACCEPT\n${TRY}`);
    return 2;
  }
  const reply: NfReply | SysError = yield* nfTalk(request(c));
  if (reply instanceof SysError) {
    yield* errOut(`${ME}: socket: ${reply.message}\n`);
    return 4;
  }
  if (!reply.ok) {
    if (reply.errno === 'EPERM') {
      yield* errOut(`${ME}: Could not fetch rule set generation id: Permission denied (you must be root)\n`);
      return 4;
    }
    if (c.op === 'L' && reply.msg === 'No chain/target/match by that name.') {
      yield* errOut(`${ME}: chain \`${c.chain}' in table \`${c.table}' is incompatible, use 'nft' tool.\n`);
      return 1;
    }
    if (reply.errno === 'EINVAL' && reply.msg) {
      yield* errOut(`${ME}: ${reply.msg}\n${TRY}`);
      return 2;
    }
    yield* errOut(`iptables: ${reply.msg ?? reply.errno}\n`);
    return 1;
  }
  if (c.op === 'L') {
    yield* out((reply.chains ?? []).map((ch) => listChain(ch, c)).join('\n'));
  } else if (c.op === 'S') {
    let s = '';
    for (const ch of reply.chains ?? []) {
      s += `-P ${ch.name} ${ch.policy}\n`;
    }
    for (const ch of reply.chains ?? []) for (const r of ch.rules) s += `${ruleSpec(ch.name, r)}\n`;
    yield* out(s);
  }
  return 0;
}
