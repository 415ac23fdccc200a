/**
 * uptime(1) from procps-ng 4.0.2: the time, how long the system has been up, the
 * number of logged-in users (from utmp) and the load averages, from /proc/uptime
 * and /proc/loadavg: ` 00:05:00 up 5 min,  0 user,  load average: 0.00, 0.00, 0.00`.
 * -p prints the uptime in words ("up 5 minutes"), -s the boot time.
 *
 * Simplification: ctsim has no utmp (nobody logs in), so the user count is 0, as
 * in a container.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { gmtime, NS_PER_SEC } from '../../lib/time.js';
import { getopt, GetoptError } from '../../lib/getopt.js';

/** User CPU of uptime — a design choice. */
const UPTIME_NS = 20_000;
/** Logged-in users: utmp is not modelled. */
const USERS = 0;

const two = (n: number): string => String(n).padStart(2, '0');

/** procps_uptime_sprint: the classic one-line report. */
export function uptimeLine(nowSec: number, upSecs: number, loads: [string, string, string], users: number): string {
  const t = gmtime(nowSec);
  const up = Math.trunc(upSecs);
  const days = Math.floor(up / 86400);
  const hours = Math.floor(up / 3600) % 24;
  const minutes = Math.floor(up / 60) % 60;
  let s = ` ${two(t.hour)}:${two(t.min)}:${two(t.sec)} up `;
  if (days) s += `${days} ${days > 1 ? 'days' : 'day'}, `;
  if (hours) s += `${String(hours).padStart(2)}:${two(minutes)}, `;
  else s += `${minutes} min, `;
  s += `${String(users).padStart(2)} ${users > 1 ? 'users' : 'user'},  load average: ${loads.join(', ')}`;
  return s;
}

/** procps_uptime_sprint_short: "up 1 day, 2 hours, 3 minutes". */
export function uptimePretty(upSecs: number): string {
  let secs = upSecs;
  const parts: string[] = [];
  const take = (unit: number, one: string, many: string): void => {
    if (secs > unit) {
      const n = Math.trunc(secs / unit);
      secs -= n * unit;
      parts.push(`${n} ${n > 1 ? many : one}`);
    }
  };
  take(60 * 60 * 24 * 365 * 10, 'decade', 'decades');
  take(60 * 60 * 24 * 365, 'year', 'years');
  take(60 * 60 * 24 * 7, 'week', 'weeks');
  take(60 * 60 * 24, 'day', 'days');
  take(60 * 60, 'hour', 'hours');
  let minutes = 0;
  if (secs > 60) {
    minutes = Math.trunc(secs / 60);
    secs -= minutes * 60;
  }
  if (minutes || secs < 60) parts.push(`${minutes} ${minutes !== 1 ? 'minutes' : 'minute'}`);
  return 'up ' + parts.join(', ');
}

const USAGE = (name: string): string =>
  `\nUsage:\n ${name} [options]\n\nOptions:\n -p, --pretty   show uptime in pretty format\n -h, --help     display this help and exit\n -s, --since    system up since\n -V, --version  output version information and exit\n\nFor more details see uptime(1).\n`;

export function* uptimeMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'uptime';
  const name = prog.slice(prog.lastIndexOf('/') + 1);
  yield UPTIME_NS;
  const out = new OutBuffer(1);
  let parsed;
  try {
    parsed = getopt(prog, argv.slice(1), [
      { short: 'p', long: 'pretty' },
      { short: 'h', long: 'help' },
      { short: 's', long: 'since' },
      { short: 'V', long: 'version' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message}\n${USAGE(name)}`);
    return 1;
  }
  if (parsed.operands.length) {
    yield* errOut(USAGE(name));
    return 1;
  }
  const first = parsed.list[0]?.[0];
  if (first === 'help') {
    yield* out.write(USAGE(name));
    yield* out.flush();
    return 0;
  }
  if (first === 'version') {
    yield* out.write(`${name} from procps-ng 4.0.2\n`);
    yield* out.flush();
    return 0;
  }
  const up = yield* readFile('/proc/uptime');
  if (up instanceof SysError) {
    yield* errOut(`${prog}: Cannot get system uptime: ${up.message}\n`);
    return 1;
  }
  const upSecs = Number(up.split(' ')[0]) || 0;
  const nowNs = yield* sys.clockGettime(CLOCK_REALTIME);
  const now = nowNs instanceof SysError ? 0 : nowNs;
  if (first === 'since') {
    const since = Math.floor(now / NS_PER_SEC - upSecs + 0.5);
    const t = gmtime(since);
    yield* out.write(`${t.year}-${two(t.mon + 1)}-${two(t.mday)} ${two(t.hour)}:${two(t.min)}:${two(t.sec)}\n`);
  } else if (parsed.values.has('pretty')) {
    yield* out.write(uptimePretty(upSecs) + '\n');
  } else {
    const la = yield* readFile('/proc/loadavg');
    const f = la instanceof SysError ? ['0', '0', '0'] : la.split(' ');
    const loads = [f[0], f[1], f[2]].map((x) => (Number(x) || 0).toFixed(2)) as [string, string, string];
    yield* out.write(uptimeLine(Math.floor(now / NS_PER_SEC), upSecs, loads, USERS) + '\n');
  }
  return (yield* out.flush()) ? 1 : 0;
}
