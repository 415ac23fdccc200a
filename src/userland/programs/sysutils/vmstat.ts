/**
 * vmstat(8) from procps-ng 4.0.2: processes, memory, paging, block I/O, interrupts
 * and CPU activity (vmstat-report.ts formats them). `vmstat` prints one line of
 * averages since boot; `vmstat DELAY [COUNT]` then a line of per-second rates every
 * DELAY seconds (COUNT lines in all, forever without COUNT); -y leaves out the line
 * since boot. -a shows inactive/active memory, -w wide columns, -n the header once
 * (otherwise it is repeated every terminal height - 3 lines, 21 when not writing to a
 * terminal), -t a timestamp, -S k|K|m|M the memory unit; -s prints the event
 * counters and -f the forks since boot, once.
 *
 * Behaviour pinned down on the real tool: options act in the order given (-S's check
 * and -h/-V as met); then -f wins over everything else; then DELAY (a C long, at least
 * 1 and at most 4294967295) and COUNT (a C long; 0 prints only the line since boot, a
 * negative one never stops); a third operand prints the usage, and so do two of
 * -s/-d/-D/-p/-m. Reports read /proc/vmstat, /proc/stat and /proc/meminfo, and
 * "Unable to create vmstat structure" (or system stat, or meminfo) is the complaint
 * when one cannot be read.
 *
 * Differences: procps-ng 4.0.2 keeps printing the memory columns (swpd free buff
 * cache) of its first reading on every later line — they stay put for as long as it
 * runs — although vmstat(8) documents them as instantaneous; this vmstat reads
 * /proc/meminfo again for each line, so that memory pressure shows. ctsim's kernel has
 * no /proc/diskstats or /proc/slabinfo: -d, -D and -p say "Unable to create diskstat
 * structure" and -m "Unable to create slabinfo structure", as the real vmstat does
 * when it cannot read them.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { CLOCK_REALTIME, TIOCGWINSZ } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { gmtime, NS_PER_SEC, TZ_NAME } from '../../lib/time.js';
import type { OptionSpec } from '../../lib/getopt.js';
import { lastComponent, type Gen } from './gnu-style.js';
import { getoptInOrder, parseCLong } from './procps-args.js';
import { parseMeminfo, type Meminfo } from './meminfo.js';
import { parseUnit, parseVmCounters, UNIT_KIB, vmForks, vmHeader, vmLine, vmStats, type VmCounters, type VmLayout, type VmUnit } from './vmstat-report.js';

/** User CPU of vmstat to start, and per report line — design choices. */
const VMSTAT_NS = 40_000;
const VMSTAT_LINE_NS = 20_000;
const VERSION = 'procps-ng 4.0.2';
const UINT_MAX = 2 ** 32 - 1;
/** Lines of a page when standard output is not a terminal (a 24-line screen). */
const DEFAULT_ROWS = 24;

export const VMSTAT_USAGE = (name: string): string =>
  `\nUsage:\n ${name} [options] [delay [count]]\n\nOptions:\n` +
  ' -a, --active           active/inactive memory\n' +
  ' -f, --forks            number of forks since boot\n' +
  ' -m, --slabs            slabinfo\n' +
  ' -n, --one-header       do not redisplay header\n' +
  ' -s, --stats            event counter statistics\n' +
  ' -d, --disk             disk statistics\n' +
  ' -D, --disk-sum         summarize disk statistics\n' +
  ' -p, --partition <dev>  partition specific statistics\n' +
  ' -S, --unit <char>      define display unit\n' +
  ' -w, --wide             wide output\n' +
  ' -t, --timestamp        show timestamp\n' +
  ' -y, --no-first         skips first line of output\n\n' +
  ' -h, --help     display this help and exit\n' +
  ' -V, --version  output version information and exit\n\n' +
  'For more details see vmstat(8).\n';

const SPECS: OptionSpec[] = [
  { short: 'a', long: 'active' },
  { short: 'f', long: 'forks' },
  { short: 'm', long: 'slabs' },
  { short: 'n', long: 'one-header' },
  { short: 's', long: 'stats' },
  { short: 'd', long: 'disk' },
  { short: 'D', long: 'disk-sum' },
  { short: 'p', long: 'partition', arg: 'required' },
  { short: 'S', long: 'unit', arg: 'required' },
  { short: 'w', long: 'wide' },
  { short: 't', long: 'timestamp' },
  { short: 'y', long: 'no-first' },
  { short: 'h', long: 'help' },
  { short: 'V', long: 'version' },
];

/** The report modes other than the VM table; two different ones make a usage error. */
const MODES = new Set(['stats', 'disk', 'disk-sum', 'partition', 'slabs']);

/** What vmstat's command line asks for. */
export type VmstatCommand =
  | {
      kind: 'table';
      layout: VmLayout;
      /** Seconds between lines. */
      delaySec: number;
      /** Lines to print; null: until killed. */
      lines: number | null;
      /** -y: no line of averages since boot. */
      noFirst: boolean;
      /** -n: the header only once. */
      oneHeader: boolean;
    }
  | { kind: 'stats'; unit: VmUnit }
  | { kind: 'forks' }
  | { kind: 'disk' }
  | { kind: 'slabs' }
  | { kind: 'help' }
  | { kind: 'version' }
  /** `text` goes to standard error as is; exit status 1. */
  | { kind: 'error'; text: string };

/** Reads vmstat's arguments (argv without argv[0]) as the real vmstat does. */
export function parseVmstatArgs(prog: string, args: readonly string[]): VmstatCommand {
  const name = lastComponent(prog);
  const layout: VmLayout = { active: false, wide: false, timestamp: false, unit: UNIT_KIB };
  const flags = new Set<string>();
  const modes = new Set<string>();
  const parsed = getoptInOrder(prog, args, SPECS);
  for (const [key, value] of parsed.list) {
    if (key === 'help') return { kind: 'help' };
    if (key === 'version') return { kind: 'version' };
    if (key === 'unit') {
      const unit = parseUnit(value as string);
      if (!unit) return { kind: 'error', text: `${name}: -S requires k, K, m or M (default is KiB)\n` };
      layout.unit = unit;
    } else if (MODES.has(key)) modes.add(key);
    else flags.add(key);
  }
  if (parsed.error) return { kind: 'error', text: `${parsed.error.message}\n${VMSTAT_USAGE(name)}` };
  if (flags.has('forks')) return { kind: 'forks' };
  const number = (text: string): number | VmstatCommand => {
    const n = parseCLong(text);
    if (typeof n === 'number') return n;
    return { kind: 'error', text: `${name}: failed to parse argument: '${text}'${n === 'range' ? ': Numerical result out of range' : ''}\n` };
  };
  const ops = parsed.operands;
  let delaySec: number | null = null;
  let count: number | null = null;
  if (ops.length > 0) {
    const d = number(ops[0]);
    if (typeof d !== 'number') return d;
    if (d < 1) return { kind: 'error', text: `${name}: delay must be positive integer\n` };
    if (d > UINT_MAX) return { kind: 'error', text: `${name}: too large delay value\n` };
    delaySec = d;
  }
  if (ops.length > 1) {
    const c = number(ops[1]);
    if (typeof c !== 'number') return c;
    count = c;
  }
  if (ops.length > 2 || modes.size > 1) return { kind: 'error', text: VMSTAT_USAGE(name) };
  if (modes.has('stats')) return { kind: 'stats', unit: layout.unit };
  if (modes.has('slabs')) return { kind: 'slabs' };
  if (modes.size) return { kind: 'disk' };
  layout.active = flags.has('active');
  layout.wide = flags.has('wide');
  layout.timestamp = flags.has('timestamp');
  const noFirst = flags.has('no-first');
  // Without DELAY, one line; COUNT lines with it (none under -y if COUNT is 0), or forever.
  let lines: number | null;
  if (delaySec === null) lines = 1;
  else if (count === null || count < 0) lines = null;
  else lines = noFirst ? count : Math.max(count, 1);
  return { kind: 'table', layout, delaySec: delaySec ?? 1, lines, noFirst, oneHeader: flags.has('one-header') };
}

/** What one reading of /proc/stat, /proc/vmstat and /proc/meminfo gave. */
interface Reading {
  counters: VmCounters;
  mem: Meminfo;
}

/** Reads the files in `order`; a reading, or the complaint about the first that cannot be read. */
function* readAll(order: ('vmstat' | 'stat' | 'meminfo')[]): Gen<Reading | string> {
  const texts: Record<string, string> = {};
  const what = { vmstat: 'vmstat', stat: 'system stat', meminfo: 'meminfo' };
  for (const f of order) {
    const t = yield* readFile(`/proc/${f}`);
    // An empty file is as bad as none; /proc/stat needs its "cpu" line.
    if (t instanceof SysError || t === '' || (f === 'stat' && !parseVmCounters(t, ''))) return `Unable to create ${what[f]} structure`;
    texts[f] = t;
  }
  return { counters: parseVmCounters(texts.stat, texts.vmstat ?? '')!, mem: parseMeminfo(texts.meminfo ?? '') };
}

/** Data lines between headers: the terminal's rows - 3, or 21 when not a terminal. */
function* pageLines(): Gen<number> {
  const ws = yield* sys.ioctl(1, TIOCGWINSZ);
  const rows = ws instanceof SysError || typeof ws !== 'object' || ws === null ? 0 : ((ws as { rows?: number }).rows ?? 0);
  return Math.max(1, (rows > 0 ? rows : DEFAULT_ROWS) - 3);
}

/** " YYYY-MM-DD HH:MM:SS" of the current time, for -t. */
function* timestamp(): Gen<string> {
  const now = yield* sys.clockGettime(CLOCK_REALTIME);
  const t = gmtime(Math.floor((now instanceof SysError ? 0 : now) / NS_PER_SEC));
  const two = (n: number): string => String(n).padStart(2, '0');
  return ` ${t.year}-${two(t.mon + 1)}-${two(t.mday)} ${two(t.hour)}:${two(t.min)}:${two(t.sec)}`;
}

export function* vmstatMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'vmstat';
  const name = lastComponent(prog);
  yield VMSTAT_NS;
  const cmd = parseVmstatArgs(prog, argv.slice(1));
  const out = new OutBuffer(1);
  const fail = function* (message: string): Gen<number> {
    yield* out.flush();
    yield* errOut(`${name}: ${message}\n`);
    return 1;
  };
  switch (cmd.kind) {
    case 'error':
      yield* errOut(cmd.text);
      return 1;
    case 'help':
    case 'version':
      yield* out.write(cmd.kind === 'help' ? VMSTAT_USAGE(name) : `${name} from ${VERSION}\n`);
      return (yield* out.flush()) ? 1 : 0;
    case 'disk':
      return yield* fail('Unable to create diskstat structure');
    case 'slabs':
      return yield* fail('Unable to create slabinfo structure');
    case 'forks': {
      const r = yield* readAll(['stat']);
      if (typeof r === 'string') return yield* fail(r);
      yield* out.write(vmForks(r.counters));
      return (yield* out.flush()) ? 1 : 0;
    }
    case 'stats': {
      const r = yield* readAll(['stat', 'vmstat', 'meminfo']);
      if (typeof r === 'string') return yield* fail(r);
      yield* out.write(vmStats(r.counters, r.mem, cmd.unit));
      return (yield* out.flush()) ? 1 : 0;
    }
  }
  const order: ('vmstat' | 'stat' | 'meminfo')[] = ['vmstat', 'stat', 'meminfo'];
  let prev = yield* readAll(order);
  if (typeof prev === 'string') return yield* fail(prev);
  const page = yield* pageLines();
  const header = vmHeader(cmd.layout, TZ_NAME);
  yield* out.write(header);
  let printed = 0;
  const print = function* (line: string): Gen<void> {
    yield VMSTAT_LINE_NS;
    if (printed > 0 && !cmd.oneHeader && printed % page === 0) yield* out.write(header);
    yield* out.write(line + (cmd.layout.timestamp ? yield* timestamp() : '') + '\n');
    printed++;
  };
  if (!cmd.noFirst && (cmd.lines === null || cmd.lines > 0)) yield* print(vmLine(prev.counters, null, cmd.delaySec, prev.mem, cmd.layout));
  while (cmd.lines === null || printed < cmd.lines) {
    if (yield* out.flush()) return 1;
    yield* sys.nanosleep(cmd.delaySec * NS_PER_SEC);
    const cur: Reading | string = yield* readAll(order);
    if (typeof cur === 'string') return yield* fail(cur);
    yield* print(vmLine(cur.counters, prev.counters, cmd.delaySec, cur.mem, cmd.layout));
    prev = cur;
  }
  return (yield* out.flush()) ? 1 : 0;
}
