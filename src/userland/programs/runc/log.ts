/**
 * runc's messages: logrus's text format on standard error. runc reports a failure
 * with `level=error` and exits 1; to a file or pipe each line carries the time in
 * RFC 3339 (`time="2025-01-01T00:00:00Z" level=error msg="container does not exist"`).
 *
 * With `--log FILE` (as containerd's shim runs runc) the error goes to FILE instead, in
 * logrus's text or JSON form (`--log-format json`: {"level":…,"msg":…,"time":…}), and
 * standard error gets the bare message, as runc's fatalWithCode prints it.
 *
 * Simplification: the terminal form (`ERRO[0000] …`) is not used; ctsim's runc always
 * writes the logfmt form. Only the final error goes to --log's FILE; warnings stay on
 * standard error.
 */
import type { Op } from '../../../kernel/proc/program.js';
import * as sys from '../../lib/sys.js';
import { errOut, utf8 } from '../../lib/io.js';
import { SysError } from '../../../kernel/errno.js';
import { O_APPEND, O_CLOEXEC, O_CREAT, O_WRONLY } from '../../../kernel/vfs/types.js';
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

/** Where runc's log goes (--log, --log-format): standard error when `file` is null. */
export interface RuncLog {
  file: string | null;
  json: boolean;
}

export const STDERR_LOG: RuncLog = { file: null, json: false };

/** Opens --log's FILE as runc does at start (created 0644, appended to); the error when it cannot. */
export function* openLog(log: RuncLog): Gen<number | SysError> {
  return yield* sys.open(log.file!, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644);
}

function* logLine(level: string, msg: string, log: RuncLog = STDERR_LOG): Gen<void> {
  const now = yield* sys.clockGettime(0);
  const sec = Math.floor((typeof now === 'number' ? now : 0) / 1e9);
  const t = gmtime(sec);
  const stamp = `${t.year}-${pad(t.mon + 1)}-${pad(t.mday)}T${pad(t.hour)}:${pad(t.min)}:${pad(t.sec)}Z`;
  const line = log.json ? `${JSON.stringify({ level, msg, time: stamp })}\n` : `time="${stamp}" level=${level} msg=${quote(msg)}\n`;
  if (log.file === null) {
    yield* errOut(utf8(line));
    return;
  }
  const fd = yield* openLog(log);
  if (!(fd instanceof SysError)) {
    yield* sys.write(fd, utf8(line));
    yield* sys.close(fd);
  }
  // fatalWithCode: when the log is not standard error, the bare message is printed there too.
  if (level === 'error') yield* errOut(utf8(`${msg}\n`));
}

export function* logError(msg: string, log: RuncLog = STDERR_LOG): Gen<void> {
  yield* logLine('error', msg, log);
}

export function* logWarning(msg: string): Gen<void> {
  yield* logLine('warning', msg);
}
