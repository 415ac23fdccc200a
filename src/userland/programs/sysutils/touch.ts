/**
 * touch(1) from GNU coreutils 9.1: sets a file's access and modification times
 * (to now, to -d DATE, -t [[CC]YY]MMDDhhmm[.ss] or -r FILE's times), creating it
 * empty unless -c; -a or -m changes only one of the two times.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { O_CREAT, O_NOCTTY, O_NONBLOCK, O_WRONLY } from '../../../kernel/vfs/types.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut } from '../../lib/io.js';
import { gmtime, NS_PER_SEC, parseDate, timegm } from '../../lib/time.js';
import { parseOptions, quote, quoteaf, usageError } from './gnu-style.js';

/** User CPU of touch, and per file — design choices. */
const TOUCH_NS = 15_000;
const TOUCH_PER_FILE_NS = 1_500;

/** posixtime: [[CC]YY]MMDDhhmm[.ss] → seconds since the epoch, or null. */
export function parseTouchStamp(text: string, nowSec: number): number | null {
  const m = /^(\d{8}|\d{10}|\d{12})(?:\.(\d{2}))?$/.exec(text);
  if (!m) return null;
  const d = m[1];
  let year: number;
  let rest: string;
  if (d.length === 12) {
    year = Number(d.slice(0, 4));
    rest = d.slice(4);
  } else if (d.length === 10) {
    const yy = Number(d.slice(0, 2));
    year = yy < 69 ? 2000 + yy : 1900 + yy;
    rest = d.slice(2);
  } else {
    year = gmtime(nowSec).year;
    rest = d;
  }
  const [mon, day, hour, min] = [0, 2, 4, 6].map((i) => Number(rest.slice(i, i + 2)));
  const sec = m[2] === undefined ? 0 : Number(m[2]);
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return null;
  const t = timegm(year, mon - 1, day, hour, min, sec);
  // Reject dates like Feb 30 that mktime would normalize (posixtime checks the round trip).
  const back = gmtime(t);
  if (back.mday !== day || back.mon !== mon - 1) return null;
  return t;
}

export function* touchMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'touch';
  yield TOUCH_NS;
  const parsed = yield* parseOptions(prog, argv.slice(1), [
    { short: 'a' },
    { short: 'c', long: 'no-create' },
    { short: 'd', long: 'date', arg: 'required' },
    { short: 'f' },
    { short: 'h', long: 'no-dereference' },
    { short: 'm' },
    { short: 'r', long: 'reference', arg: 'required' },
    { short: 't', arg: 'required' },
    { long: 'time', arg: 'required' },
  ]);
  if (!parsed) return 1;
  const v = parsed.values;
  if (parsed.operands.length === 0) return yield* usageError(prog, 'missing file operand');
  let changeA = v.has('a');
  let changeM = v.has('m');
  const time = v.get('time');
  if (typeof time === 'string') {
    if (['access', 'atime', 'use'].includes(time)) changeA = true;
    else if (['modify', 'mtime'].includes(time)) changeM = true;
    else {
      yield* errOut(`${prog}: invalid argument ${quote(time)} for '--time'\n`);
      return yield* usageError(prog, null);
    }
  }
  if (!changeA && !changeM) changeA = changeM = true;
  const nowNs = (yield* sys.clockGettime(CLOCK_REALTIME)) as number;
  let atime: number | undefined;
  let mtime: number | undefined;
  const ref = v.get('reference');
  if (typeof ref === 'string') {
    const st = yield* sys.stat(ref);
    if (st instanceof SysError) {
      yield* errOut(`${prog}: failed to get attributes of ${quoteaf(ref)}: ${st.message}\n`);
      return 1;
    }
    atime = st.atimeNs;
    mtime = st.mtimeNs;
  }
  const d = v.get('date');
  if (typeof d === 'string') {
    const t = parseDate(d, nowNs);
    if (t === null) {
      yield* errOut(`${prog}: invalid date format ${quote(d)}\n`);
      return 1;
    }
    atime = mtime = t;
  }
  const stamp = v.get('t');
  if (typeof stamp === 'string') {
    const t = parseTouchStamp(stamp, Math.floor(nowNs / NS_PER_SEC));
    if (t === null) {
      yield* errOut(`${prog}: invalid date format ${quote(stamp)}\n`);
      return 1;
    }
    atime = mtime = t * NS_PER_SEC;
  }
  const noCreate = v.has('no-create');
  let status = 0;
  for (const file of parsed.operands) {
    yield TOUCH_PER_FILE_NS;
    let st = yield* sys.stat(file);
    if (st instanceof SysError) {
      if (noCreate) continue;
      const fd = yield* sys.open(file, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY, 0o666);
      if (fd instanceof SysError) {
        yield* errOut(`${prog}: cannot touch ${quoteaf(file)}: ${fd.message}\n`);
        status = 1;
        continue;
      }
      yield* sys.close(fd);
      if (atime === undefined && changeA && changeM) continue;
      st = yield* sys.stat(file);
      if (st instanceof SysError) continue;
    }
    // utimensat without UTIME_OMIT: the time not being changed is passed back as it is.
    const explicit = atime !== undefined || !(changeA && changeM);
    const a = changeA ? atime ?? (explicit ? nowNs : undefined) : st.atimeNs;
    const m = changeM ? mtime ?? (explicit ? nowNs : undefined) : st.mtimeNs;
    const r = explicit ? yield* sys.utimensat(file, a, m) : yield* sys.utimensat(file);
    if (r instanceof SysError) {
      yield* errOut(`${prog}: setting times of ${quoteaf(file)}: ${r.message}\n`);
      status = 1;
    }
  }
  return status;
}
