/**
 * dmesg(1) from util-linux 2.38: the kernel ring buffer, read with syslog(2)
 * (SYSLOG_ACTION_READ_ALL), one `[    0.000000] text` line per message. -t drops
 * the timestamps, -T prints them as wall-clock dates (boot time + offset), -r
 * prints the buffer raw. Reading needs CAP_SYSLOG on Debian (dmesg_restrict=1):
 * others get "dmesg: read kernel buffer failed: Operation not permitted".
 *
 * Simplification: util-linux reads /dev/kmsg by default; ctsim's kernel offers the
 * log through syslog(2), which gives the same lines. Clearing (-c, -C) and level
 * filtering are not offered.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { ctime } from '../../lib/time.js';
import { getopt, GetoptError } from '../../lib/getopt.js';

/** User CPU of dmesg, plus per line formatted — design choices. */
const DMESG_NS = 30_000;
const DMESG_PER_LINE_NS = 500;
/** util-linux names itself by its short program name. */
const PROG = 'dmesg';

export function* dmesgMain({ argv }: ProgramArgs): Program {
  yield DMESG_NS;
  let parsed;
  try {
    parsed = getopt(argv[0] ?? PROG, argv.slice(1), [
      { short: 't', long: 'notime' },
      { short: 'T', long: 'ctime' },
      { short: 'r', long: 'raw' },
      { short: 'k', long: 'kernel' },
      { short: 'S', long: 'syslog' },
      { short: 'x', long: 'decode' },
      { short: 'L', long: 'color', arg: 'optional' },
      { short: 'V', long: 'version' },
      { short: 'h', long: 'help' },
    ]);
  } catch (e) {
    if (!(e instanceof GetoptError)) throw e;
    yield* errOut(`${e.message.replace(/^[^:]*:/, `${PROG}:`)}\nTry '${PROG} --help' for more information.\n`);
    return 1;
  }
  const v = parsed.values;
  const out = new OutBuffer(1);
  if (v.has('version')) {
    yield* out.write('dmesg from util-linux 2.38.1\n');
    yield* out.flush();
    return 0;
  }
  if (parsed.operands.length) {
    yield* errOut(`${PROG}: bad usage\nTry '${PROG} --help' for more information.\n`);
    return 1;
  }
  const text = yield* sys.syslog(3);
  if (text instanceof SysError) {
    yield* errOut(`${PROG}: read kernel buffer failed: ${text.message}\n`);
    return 1;
  }
  let bootSec = 0;
  if (v.has('ctime')) {
    const stat = yield* readFile('/proc/stat');
    bootSec = stat instanceof SysError ? 0 : Number(/^btime (\d+)/m.exec(stat)?.[1] ?? 0);
  }
  for (const line of text.split('\n')) {
    if (line === '') continue;
    yield DMESG_PER_LINE_NS;
    const m = /^\[\s*(\d+)\.(\d+)\] ?(.*)$/.exec(line);
    if (!m || v.has('raw')) yield* out.write(line + '\n');
    else if (v.has('notime')) yield* out.write(m[3] + '\n');
    else if (v.has('ctime')) yield* out.write(`[${ctime(bootSec + Number(m[1]))}] ${m[3]}\n`);
    else yield* out.write(line + '\n');
  }
  return (yield* out.flush()) ? 1 : 0;
}
