/**
 * free(1) from procps-ng 4.0.2: how much memory is used and free, from
 * /proc/meminfo (free-report.ts prints it, meminfo.ts reads it). -s N repeats the
 * report every N seconds (any decimal, with "." or ","), -c N stops after N reports
 * (one second apart if -s is not given), with a blank line between reports.
 *
 * Behaviour pinned down on the real tool: options act in the order given (the
 * first bad one is reported: `free -c 0 --bogus` complains about the count), a second
 * unit option is "Multiple unit options don't make sense.", an operand prints the
 * usage; getopt's complaints start with argv[0] as given, free's own with its base
 * name. -s takes [blanks][sign]digits[(.|,)digits] and nothing else (the complaint
 * ends in ": Invalid argument" unless the text had a decimal point), and must be
 * above 0; -c takes a C long from 1 to 2147483647. The delay goes to usleep(3) as
 * a 32-bit count of microseconds (the real `free -s 5000` sleeps 705.03 s). libproc2
 * reads /proc/meminfo again only when time(2) has moved on by a second since its
 * last read, so reports less than a second apart may repeat the same figures. An
 * unreadable or empty /proc/meminfo is "free: Unable to create meminfo structure".
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { NS_PER_SEC } from '../../lib/time.js';
import type { OptionSpec } from '../../lib/getopt.js';
import { lastComponent } from './gnu-style.js';
import { getoptInOrder, parseCLong } from './procps-args.js';
import { parseMeminfo, summarizeMeminfo } from './meminfo.js';
import { freeReport, type FreeLayout } from './free-report.js';

/** User CPU of free to start, and per report — design choices. */
const FREE_NS = 30_000;
const FREE_REPORT_NS = 15_000;
const VERSION = 'procps-ng 4.0.2';
const INT_MAX = 2 ** 31 - 1;

export const FREE_USAGE = (name: string): string =>
  `\nUsage:\n ${name} [options]\n\nOptions:\n` +
  ' -b, --bytes         show output in bytes\n' +
  '     --kilo          show output in kilobytes\n' +
  '     --mega          show output in megabytes\n' +
  '     --giga          show output in gigabytes\n' +
  '     --tera          show output in terabytes\n' +
  '     --peta          show output in petabytes\n' +
  ' -k, --kibi          show output in kibibytes\n' +
  ' -m, --mebi          show output in mebibytes\n' +
  ' -g, --gibi          show output in gibibytes\n' +
  '     --tebi          show output in tebibytes\n' +
  '     --pebi          show output in pebibytes\n' +
  ' -h, --human         show human-readable output\n' +
  '     --si            use powers of 1000 not 1024\n' +
  ' -l, --lohi          show detailed low and high memory statistics\n' +
  ' -t, --total         show total for RAM + swap\n' +
  ' -v, --committed     show committed memory and commit limit\n' +
  ' -s N, --seconds N   repeat printing every N seconds\n' +
  ' -c N, --count N     repeat printing N times, then exit\n' +
  ' -w, --wide          wide output\n\n' +
  '     --help     display this help and exit\n' +
  ' -V, --version  output version information and exit\n\n' +
  'For more details see free(1).\n';

/** The message when /proc/meminfo cannot be read. */
export const FREE_NO_MEMINFO = 'Unable to create meminfo structure';

const SPECS: OptionSpec[] = [
  { short: 'b', long: 'bytes' },
  { long: 'kilo' },
  { long: 'mega' },
  { long: 'giga' },
  { long: 'tera' },
  { long: 'peta' },
  { short: 'k', long: 'kibi' },
  { short: 'm', long: 'mebi' },
  { short: 'g', long: 'gibi' },
  { long: 'tebi' },
  { long: 'pebi' },
  { short: 'h', long: 'human' },
  { long: 'si' },
  { short: 'l', long: 'lohi' },
  { short: 't', long: 'total' },
  { short: 'v', long: 'committed' },
  { short: 's', long: 'seconds', arg: 'required' },
  { short: 'c', long: 'count', arg: 'required' },
  { short: 'w', long: 'wide' },
  { long: 'help' },
  { short: 'V', long: 'version' },
];

/** Unit options: the exponent each sets, and whether it implies --si. */
const UNIT_OPTIONS: Record<string, [number, boolean]> = {
  bytes: [1, false],
  kilo: [2, true],
  mega: [3, true],
  giga: [4, true],
  tera: [5, true],
  peta: [6, true],
  kibi: [2, false],
  mebi: [3, false],
  gibi: [4, false],
  tebi: [5, false],
  pebi: [6, false],
};

/** What free's command line asks for. */
export type FreeCommand =
  | { kind: 'report'; layout: FreeLayout; /** Between reports (µs), when repeating. */ delayUs: number; repeat: boolean; /** Reports to print; null: until killed. */ count: number | null }
  | { kind: 'help' }
  | { kind: 'version' }
  /** `text` goes to standard error as is; exit status 1. */
  | { kind: 'error'; text: string };

/**
 * -s's number as procps's strtod_nol_or_err reads it: C-locale-free, "." or "," as
 * the decimal point. Returns the value, or whether the complaint carries errno's text.
 */
export function parseSeconds(text: string): number | { withErrno: boolean } {
  if (text === '') return { withErrno: false };
  const m = /^[ \t\n\v\f\r]*([+-]?)(\d*)(?:([.,])(\d*))?/.exec(text)!;
  if (m[0].length !== text.length) return { withErrno: m[3] === undefined };
  const value = Number(`${m[2] || '0'}.${m[4] || '0'}`);
  return m[1] === '-' ? -value : value;
}

/** usleep(3)'s argument: seconds × 10^6 converted to a C useconds_t (32 bits, wrapping). */
function usleepArgUs(seconds: number): number {
  const us = seconds * 1e6;
  // A double too large for a long converts to LONG_MIN on x86-64 (cvttsd2si), whose low 32 bits are 0.
  if (!(us < 2 ** 63)) return 0;
  return Number(BigInt(Math.trunc(us)) & 0xffffffffn);
}

/** Reads free's arguments (argv without argv[0]) as the real free does, in order. */
export function parseFreeArgs(prog: string, args: readonly string[]): FreeCommand {
  const name = lastComponent(prog);
  const layout: FreeLayout = { exponent: 0, si: false, human: false, wide: false, lohi: false, total: false, committed: false };
  let unitSet = false;
  let seconds: number | null = null;
  let count: number | null = null;
  const parsed = getoptInOrder(prog, args, SPECS);
  for (const [key, value] of parsed.list) {
    const unit = UNIT_OPTIONS[key];
    if (unit) {
      if (unitSet) return { kind: 'error', text: `${name}: Multiple unit options don't make sense.\n` };
      unitSet = true;
      layout.exponent = unit[0];
      if (unit[1]) layout.si = true;
      continue;
    }
    switch (key) {
      case 'human':
        layout.human = true;
        break;
      case 'si':
        layout.si = true;
        break;
      case 'lohi':
        layout.lohi = true;
        break;
      case 'total':
        layout.total = true;
        break;
      case 'committed':
        layout.committed = true;
        break;
      case 'wide':
        layout.wide = true;
        break;
      case 'seconds': {
        const s = parseSeconds(value as string);
        if (typeof s !== 'number') return { kind: 'error', text: `${name}: seconds argument failed: '${value}'${s.withErrno ? ': Invalid argument' : ''}\n` };
        if (!(s > 0)) return { kind: 'error', text: `${name}: seconds argument \`${value}' is not positive number\n` };
        seconds = s;
        break;
      }
      case 'count': {
        const n = parseCLong(value as string);
        if (n === 'invalid') return { kind: 'error', text: `${name}: failed to parse count argument: '${value}'\n` };
        if (n === 'range' || n < 1 || n > INT_MAX) return { kind: 'error', text: `${name}: failed to parse count argument: '${value}': Numerical result out of range\n` };
        count = n;
        break;
      }
      case 'help':
        return { kind: 'help' };
      case 'version':
        return { kind: 'version' };
    }
  }
  if (parsed.error) return { kind: 'error', text: `${parsed.error.message}\n${FREE_USAGE(name)}` };
  if (parsed.operands.length) return { kind: 'error', text: FREE_USAGE(name) };
  const repeat = seconds !== null || count !== null;
  return { kind: 'report', layout, delayUs: usleepArgUs(seconds ?? 1), repeat, count };
}

export function* freeMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'free';
  const name = lastComponent(prog);
  yield FREE_NS;
  const cmd = parseFreeArgs(prog, argv.slice(1));
  const out = new OutBuffer(1);
  if (cmd.kind === 'error') {
    yield* errOut(cmd.text);
    return 1;
  }
  if (cmd.kind === 'help' || cmd.kind === 'version') {
    yield* out.write(cmd.kind === 'help' ? FREE_USAGE(name) : `${name} from ${VERSION}\n`);
    return (yield* out.flush()) ? 1 : 0;
  }
  let text = '';
  let readSec = -1;
  for (let n = 1; ; n++) {
    const now = yield* sys.clockGettime(CLOCK_REALTIME);
    const nowSec = now instanceof SysError ? 0 : Math.floor(now / NS_PER_SEC);
    if (readSec < 0 || nowSec - readSec >= 1) {
      const read = yield* readFile('/proc/meminfo');
      // libproc2 gives up on an empty file as on a missing one.
      if (read instanceof SysError || read === '') {
        yield* out.flush();
        yield* errOut(`${name}: ${FREE_NO_MEMINFO}\n`);
        return 1;
      }
      text = read;
      readSec = nowSec;
    }
    yield FREE_REPORT_NS;
    yield* out.write(freeReport(summarizeMeminfo(parseMeminfo(text)), cmd.layout));
    if (!cmd.repeat || (cmd.count !== null && n >= cmd.count)) break;
    yield* out.write('\n');
    if (yield* out.flush()) return 1;
    yield* sys.nanosleep(cmd.delayUs * 1000);
  }
  return (yield* out.flush()) ? 1 : 0;
}
