/**
 * ip(8) from iproute2 6.1: the front end (ip/ip.c). Global options come first and may
 * be abbreviated as iproute2's matches() allows (-s, -stat, -d, -br, -j, -p, -o, -n
 * NETNS, -4, -6, -0, -f FAMILY, -c[olor][=WHEN], -a); then the object, also
 * abbreviated (l/link, a/addr, r/route, n/neigh, netns), and its command.
 *
 *   ip [-4|-6] [-br] [-s] [-d] [-o] [-j [-p]] [-n NETNS] OBJECT COMMAND …
 *
 * Exit statuses as iproute2's: 1 for an unknown object or a failure the tool noticed
 * itself ("Cannot find device"), 2 when the kernel refused (rtnl_talk), 255 for bad
 * arguments (exit(-1)). `-n NETNS` switches namespaces the way `ip netns exec` does
 * before anything is asked of the kernel.
 *
 *   ip [-force] [-n NETNS] … -batch FILE|-
 *
 * `-batch` runs one command per line of FILE (standard input for "-") in one process,
 * as ip.c's batch() does: `#` starts a comment, a backslash before the newline joins
 * the next line, a word in '…' or "…" may hold blanks; each line starts from the
 * family given on the command line. A failing line prints "Command failed FILE:LINE"
 * and ends the batch with status 1 — or, with -force, the rest still run and the status
 * is 1 at the end. A bad argument (status 255) ends ip at once, as invarg()'s exit does.
 *
 * Simplification: no -rcvbuf, -timestamp or -human; colour is accepted and ignored
 * (output is never a terminal that ip would colour by default).
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { O_RDONLY } from '../../../kernel/vfs/types.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, LineReader } from '../../lib/io.js';
import { fail, matches, netnsSwitch, writeOut, type Gen, type GlobalOptions } from './common.js';
import { ipLink } from './ip-link.js';
import { ipAddr } from './ip-addr.js';
import { ipRoute } from './ip-route.js';
import { ipNeigh } from './ip-neigh.js';
import { ipNetns } from './ip-netns.js';

const IP_NS = 30_000;

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

/** An object's handler: its arguments after the object word, the global options, the environment. */
type ObjectMain = (args: string[], o: GlobalOptions, envp: readonly string[]) => Gen<number>;

/**
 * ip.c's command table in its order — an abbreviation names the first object it is a
 * prefix of ("a" is address, "n" neighbour, "r" route). Objects ctsim does not model
 * are listed so that their abbreviations resolve as in iproute2, and report ENOSYS-like.
 */
const OBJECTS: [string, ObjectMain | null][] = [
  ['address', ipAddr],
  ['addrlabel', null],
  ['maddress', null],
  ['route', ipRoute],
  ['rule', null],
  ['neighbor', ipNeigh],
  ['neighbour', ipNeigh],
  ['ntable', null],
  ['ntbl', null],
  ['link', ipLink],
  ['l2tp', null],
  ['fou', null],
  ['ila', null],
  ['macsec', null],
  ['tunnel', null],
  ['tunl', null],
  ['tuntap', null],
  ['tap', null],
  ['token', null],
  ['tcpmetrics', null],
  ['tcp_metrics', null],
  ['monitor', null],
  ['xfrm', null],
  ['mroute', null],
  ['mrule', null],
  ['netns', ipNetns],
  ['netconf', null],
  ['vrf', null],
  ['sr', null],
  ['nexthop', null],
  ['mptcp', null],
  ['ioam', null],
  ['help', null],
];

/** Parses the global options; returns the index of the object word, or an exit status. */
function* parseGlobal(argv: readonly string[], o: GlobalOptions): Gen<{ next: number; netns?: string; batch?: string; force: boolean } | number> {
  let i = 1;
  let netns: string | undefined;
  let batch: string | undefined;
  let force = false;
  for (; i < argv.length; i++) {
    let opt = argv[i];
    if (opt === '--') {
      i++;
      break;
    }
    if (!opt.startsWith('-')) break;
    if (opt[1] === '-') opt = opt.slice(1);
    const m = (name: string): boolean => matches(opt, name);
    if (m('-loops')) i++;
    else if (m('-family')) {
      const f = argv[++i];
      if (f === undefined || f === 'help') return yield* fail(USAGE, 255);
      const fam = ({ inet: 'inet', inet6: 'inet6', link: 'link', bridge: 'bridge' } as const)[f];
      if (!fam) return yield* fail(`Error: argument "${f}" is wrong: invalid protocol family\n`, 255);
      o.family = fam;
    } else if (opt === '-4') o.family = 'inet';
    else if (opt === '-6') o.family = 'inet6';
    else if (opt === '-0') o.family = 'link';
    else if (opt === '-B') o.family = 'bridge';
    else if (m('-human') || m('-human-readable') || m('-iec') || m('-resolve') || m('-timestamp') || m('-tshort')) continue;
    else if (m('-stats') || m('-statistics')) o.stats++;
    else if (m('-details')) o.details++;
    else if (m('-oneline')) o.oneline = true;
    else if (m('-Version')) return { next: -1, force };
    else if (m('-force')) force = true;
    else if (m('-batch')) {
      batch = argv[++i];
      if (batch === undefined) return yield* fail(USAGE, 255);
    }
    else if (m('-brief')) o.brief = true;
    else if (m('-json')) o.json = true;
    else if (m('-pretty')) o.pretty = true;
    else if (/^-c(o(l(o(r)?)?)?)?(=.*)?$/.test(opt)) continue;
    else if (m('-help')) return yield* fail(USAGE, 255);
    else if (m('-netns')) {
      netns = argv[++i];
      if (netns === undefined) return yield* fail('Command line is not complete. Try option "help"\n', 255);
    } else if (m('-Numeric')) continue;
    else if (m('-all')) o.all = true;
    else return yield* fail(`Option "${opt}" is unknown, try "ip -help".\n`, 255);
  }
  return { next: i, netns, batch, force };
}

/** One command's words: the object and its arguments, as the command line gives them. */
function* runObject(words: readonly string[], o: GlobalOptions, envp: readonly string[]): Gen<number> {
  const word = words[0];
  if (word === undefined) return yield* fail(USAGE, 255);
  const hit = OBJECTS.find(([name]) => matches(word, name));
  if (!hit) return yield* fail(`Object "${word}" is unknown, try "ip help".\n`, 1);
  const [name, main] = hit;
  if (name === 'help' || main === null) {
    if (name === 'help') return yield* fail(USAGE, 255);
    return yield* fail(`ip: object "${name}" is not modelled by ctsim\n`, 255);
  }
  return yield* main(words.slice(1), o, envp);
}

/**
 * makeargs() (lib/utils.c): words split at blanks; a word that begins with a quote runs
 * to the matching quote. Null for an unterminated quote.
 */
export function batchWords(line: string): string[] | null {
  const words: string[] = [];
  const ws = ' \t\r\n';
  let i = 0;
  while (i < line.length) {
    while (i < line.length && ws.includes(line[i])) i++;
    if (i >= line.length) break;
    const q = line[i];
    if (q === "'" || q === '"') {
      const end = line.indexOf(q, i + 1);
      if (end < 0) return null;
      words.push(line.slice(i + 1, end));
      i = end + 1;
    } else {
      let j = i;
      while (j < line.length && !ws.includes(line[j])) j++;
      words.push(line.slice(i, j));
      i = j + 1;
    }
  }
  return words;
}

/** batch() (ip/ip.c): each command line of `file` ("-": standard input) in turn. */
function* runBatch(file: string, force: boolean, o: GlobalOptions, envp: readonly string[]): Gen<number> {
  let fd = 0;
  if (file !== '-') {
    const r = yield* sys.open(file, O_RDONLY);
    if (r instanceof SysError) return yield* fail(`Cannot open file "${file}" for reading: ${r.message}\n`, 1);
    fd = r;
  }
  const lines = new LineReader(fd);
  let lineNo = 0;
  let status = 0;
  /** getcmdline(): a line without its comment, joined with the next while it ends in a backslash. */
  const cut = (l: string): string => {
    const hash = l.indexOf('#');
    return hash < 0 ? l : l.slice(0, hash);
  };
  for (;;) {
    const first = yield* lines.next();
    if (first === null) break;
    lineNo++;
    let line = cut(first);
    while (line.endsWith('\\\n')) {
      const more = yield* lines.next();
      if (more === null) {
        yield* errOut('Missing continuation line\n');
        return status;
      }
      lineNo++;
      line = line.slice(0, -2) + cut(more);
    }
    const words = batchWords(line);
    if (words === null) return yield* fail('Unterminated quoted string\n', 1);
    if (words.length === 0) continue;
    const r = yield* runObject(words, { ...o }, envp);
    if (r === 255) return r;
    if (r !== 0) {
      yield* errOut(`Command failed ${file}:${lineNo}\n`);
      status = 1;
      if (!force) break;
    }
  }
  return status;
}

export function* ipMain({ argv, envp }: ProgramArgs): Program {
  yield IP_NS;
  const o: GlobalOptions = { brief: false, stats: 0, details: 0, oneline: false, json: false, pretty: false, all: false };
  const g = yield* parseGlobal(argv, o);
  if (typeof g === 'number') return g;
  if (g.next < 0) return yield* writeOut('ip utility, iproute2-6.1.0, libbpf 1.1.2\n');
  if (g.netns !== undefined && !(yield* netnsSwitch(g.netns))) return 255;
  if (g.batch !== undefined) return yield* runBatch(g.batch, g.force, o, envp);
  return yield* runObject(argv.slice(g.next), o, envp);
}
