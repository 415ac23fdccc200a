/**
 * runc's messages: logrus's text format on standard error. runc reports a failure
 * with `level=error` and exits 1; to a file or pipe each line carries the time in
 * RFC 3339 (`time="2025-01-01T00:00:00Z" level=error msg="container does not exist"`).
 *
 * Simplification: the terminal form (`ERRO[0000] …`) is not used; ctsim's runc always
 * writes the logfmt form.
 */
import type { Op } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { errOut, utf8 } from '../../lib/io.js';
import { gmtime } from '../../lib/time.js';

type Gen<T> = Generator<Op, T, unknown>;

/** A failure that ends the command with runc's error line and exit status 1. */
export class RuncError extends Error {
  constructor(
    message: string,
    readonly status = 1,
  ) {
    super(message);
  }
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** logrus quotes a value (Go's %q) unless it is only letters, digits and -._/@^+. */
const quote = (s: string): string => (/^[A-Za-z0-9\-._/@^+]+$/.test(s) ? s : JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1'));

function* logLine(level: string, msg: string): Gen<void> {
  const now = yield* sys.clockGettime(0);
  const sec = Math.floor((typeof now === 'number' ? now : 0) / 1e9);
  const t = gmtime(sec);
  const stamp = `${t.year}-${pad(t.mon + 1)}-${pad(t.mday)}T${pad(t.hour)}:${pad(t.min)}:${pad(t.sec)}Z`;
  yield* errOut(utf8(`time="${stamp}" level=${level} msg=${quote(msg)}\n`));
}

export function* logError(msg: string): Gen<void> {
  yield* logLine('error', msg);
}

export function* logWarning(msg: string): Gen<void> {
  yield* logLine('warning', msg);
}
