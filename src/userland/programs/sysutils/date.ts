/**
 * date(1) from GNU coreutils 9.1: the time now (CLOCK_REALTIME), or of -d STRING,
 * -r FILE (its modification time) or each line of -f FILE, in the default format
 * `Wed Jan  1 00:00:00 UTC 2025`, a +FORMAT (strftime, lib/time.ts), -R (RFC 5322),
 * -I[FMT] (ISO 8601) or --rfc-3339=FMT. -u is accepted (local time is UTC).
 *
 * Simplification: ctsim's kernel has no clock_settime(2), so setting the date
 * (-s, or an MMDDhhmm[[CC]YY][.ss] operand) fails: "Operation not permitted" for a
 * non-root user, as on Linux, and "Function not implemented" for root.
 */
import type { Program, ProgramArgs } from '../../../kernel/proc/program.js';
import { SysError } from '../../../kernel/errno.js';
import { CLOCK_REALTIME } from '../../../kernel/syscalls/abi.js';
import * as sys from '../../lib/sys.js';
import { errOut, readFile } from '../../lib/io.js';
import { OutBuffer } from '../../lib/out-buffer.js';
import { formatNs, parseDate } from '../../lib/time.js';
import { parseOptions, quote, quoteaf, usageError } from './gnu-style.js';

/** User CPU of date — a design choice. */
const DATE_NS = 20_000;
/** nl_langinfo(_DATE_FMT) in the C locale. */
export const DEFAULT_DATE_FORMAT = '%a %b %e %H:%M:%S %Z %Y';
const RFC_5322 = '%a, %d %b %Y %H:%M:%S %z';
const ISO_8601: Record<string, string> = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%:z',
  minutes: '%Y-%m-%dT%H:%M%:z',
  seconds: '%Y-%m-%dT%H:%M:%S%:z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
};
const RFC_3339: Record<string, string> = {
  date: '%Y-%m-%d',
  seconds: '%Y-%m-%d %H:%M:%S%:z',
  ns: '%Y-%m-%d %H:%M:%S.%N%:z',
};

/** Resolves an abbreviated argument (`--rfc-3339=sec`) against the valid ones, as argmatch does. */
function argmatch(value: string, valid: string[]): string | null {
  if (valid.includes(value)) return value;
  const m = valid.filter((v) => v.startsWith(value));
  return m.length === 1 && value !== '' ? m[0] : null;
}

export function* dateMain({ argv }: ProgramArgs): Program {
  const prog = argv[0] ?? 'date';
  yield DATE_NS;
  // -I takes an optional argument attached to it (-Iseconds).
  const args = argv.slice(1).map((a) => (a === '-I' ? '--iso-8601' : /^-I[a-z]/.test(a) ? `--iso-8601=${a.slice(2)}` : a));
  const parsed = yield* parseOptions(prog, args, [
    { short: 'd', long: 'date', arg: 'required' },
    { short: 'f', long: 'file', arg: 'required' },
    { long: 'iso-8601', arg: 'optional' },
    { short: 'r', long: 'reference', arg: 'required' },
    { short: 'R', long: 'rfc-email' },
    { long: 'rfc-3339', arg: 'required' },
    { short: 's', long: 'set', arg: 'required' },
    { short: 'u', long: 'utc' },
    { long: 'universal', key: 'utc' },
    { long: 'debug' },
  ]);
  if (!parsed) return 1;
  let format: string | null = null;
  let formats = 0;
  for (const [k, v] of parsed.list) {
    if (k === 'rfc-email') {
      format = RFC_5322;
      formats++;
    } else if (k === 'iso-8601') {
      const which = v === true ? 'date' : argmatch(v, Object.keys(ISO_8601));
      if (which === null) {
        yield* errOut(`${prog}: invalid argument ${quote(String(v))} for '--iso-8601'\nValid arguments are:\n  - 'hours'\n  - 'minutes'\n  - 'date'\n  - 'seconds'\n  - 'ns'\n`);
        return yield* usageError(prog, null);
      }
      format = ISO_8601[which];
      formats++;
    } else if (k === 'rfc-3339') {
      const which = argmatch(String(v), Object.keys(RFC_3339));
      if (which === null) {
        yield* errOut(`${prog}: invalid argument ${quote(String(v))} for '--rfc-3339'\nValid arguments are:\n  - 'date'\n  - 'seconds'\n  - 'ns'\n`);
        return yield* usageError(prog, null);
      }
      format = RFC_3339[which];
      formats++;
    }
  }
  const ops = parsed.operands;
  let setText: string | null = (parsed.values.get('set') as string | undefined) ?? null;
  if (ops.length > 0 && ops[0].startsWith('+')) {
    if (formats > 0) {
      yield* errOut(`${prog}: multiple output formats specified\n`);
      return 1;
    }
    format = ops[0].slice(1);
    if (ops.length > 1) return yield* usageError(prog, `extra operand ${quote(ops[1])}`);
  } else if (ops.length > 0) {
    if (ops.length > 1) return yield* usageError(prog, `extra operand ${quote(ops[1])}`);
    if (parsed.values.has('date') || parsed.values.has('file') || parsed.values.has('reference') || setText !== null) {
      yield* errOut(`${prog}: the argument ${quote(ops[0])} lacks a leading '+';\nwhen using an option to specify date(s), any non-option\nargument must be a format string beginning with '+'\n`);
      return yield* usageError(prog, null);
    }
    setText = ops[0];
  }
  const fmt = format ?? DEFAULT_DATE_FORMAT;
  const nowNs = yield* sys.clockGettime(CLOCK_REALTIME);
  const now = nowNs instanceof SysError ? 0 : nowNs;
  const out = new OutBuffer(1);

  if (setText !== null) {
    const parsedSet = /^\d{8}(\d{2}|\d{4})?(\.\d{2})?$/.test(setText) ? now : parseDate(setText, now);
    if (parsedSet === null) {
      yield* errOut(`${prog}: invalid date ${quote(setText)}\n`);
      return 1;
    }
    const euid = yield* sys.geteuid();
    yield* errOut(`${prog}: cannot set date: ${euid === 0 ? 'Function not implemented' : 'Operation not permitted'}\n`);
    yield* out.write(formatNs(fmt, now) + '\n');
    yield* out.flush();
    return 1;
  }

  const file = parsed.values.get('file');
  if (typeof file === 'string') {
    const text = yield* readFile(file === '-' ? '/dev/stdin' : file);
    if (text instanceof SysError) {
      yield* errOut(`${prog}: ${quoteaf(file)}: ${text.message}\n`);
      return 1;
    }
    let status = 0;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (const line of lines) {
      const t = parseDate(line, now);
      if (t === null) {
        yield* out.flush();
        yield* errOut(`${prog}: invalid date ${quote(line)}\n`);
        status = 1;
      } else yield* out.write(formatNs(fmt, t) + '\n');
    }
    return (yield* out.flush()) ? 1 : status;
  }

  let when = now;
  const ref = parsed.values.get('reference');
  const dateText = parsed.values.get('date');
  if (typeof ref === 'string') {
    const st = yield* sys.stat(ref);
    if (st instanceof SysError) {
      yield* errOut(`${prog}: ${quoteaf(ref)}: ${st.message}\n`);
      return 1;
    }
    when = st.mtimeNs;
  } else if (typeof dateText === 'string') {
    const t = parseDate(dateText, now);
    if (t === null) {
      yield* errOut(`${prog}: invalid date ${quote(dateText)}\n`);
      return 1;
    }
    when = t;
  }
  yield* out.write(formatNs(fmt, when) + '\n');
  return (yield* out.flush()) ? 1 : 0;
}
